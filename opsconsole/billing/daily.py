"""The billing part of one date (SPEC section 4), subscription by subscription, in order:
deactivations, pauses starting, resumes, dunning, charges due, reminders."""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import cast

import peewee as pw

from ..errors import DomainError, Unreadable
from ..store import batch, bulkload, engine, queries, rows
from ..store.context import Ctx
from ..store.models import Account, PaymentMethod, Product, Subscription, database
from . import addons, charging, outbox, subs, values

COUNT_KEYS = ("charged", "declined", "retried", "paused", "resumed", "deactivated", "reminders",
              "overdue_notices", "cases_closed")
BATCH = 200  # subscriptions per transaction: short enough that a console never waits long
# Batched: rows collected and written together (store/batch.py, store/bulkload.py). Not batched:
# peewee row by row, the plain path the batched one is tested against.
BATCHED = True

OVERDUE_NOTICE = "Payment Overdue"


def candidates(day: dt.date) -> list[int]:
    """Subscriptions with any work on `day` that have not had it yet. Each term is one indexed
    lookup; `last_run` makes a rerun of the same date skip what is done (R-CLOCK-3)."""
    S = Subscription
    open_ = (S.state != "deactivated") & (S.last_run.is_null() | (S.last_run < day))
    due = [
        S.end_date < day,
        S.cancel_date <= day,
        S.dunning_next <= day,
        (S.pause_date <= day) & (S.state == "active"),
        (S.resume_date <= day) & (S.state == "paused"),
        (S.next_charge_date <= day) & S.state.in_(("active", "trial"))
        & (S.interval_unit != "adhoc"),
        S.remind_on == day,
        queries.unknown_state(),  # set aside (billing/values), never passed over in silence
        (S.state == "overdue") & S.overdue_since.is_null(),  # likewise: owed since no date
        *queries.dates_out_of_range(),  # likewise: a date no rule would ever reach
    ]
    ids: set[int] = set()
    for term in due:
        # (id,) rows: peewee's stubs read .tuples() as rows of the model
        rows = cast(Iterable[tuple[int]], S.select(S.id).where(term & open_).tuples())
        ids.update(i for (i,) in rows)
    return sorted(ids)


def _deactivation(ctx: Ctx, sub: Subscription, counts: Counter) -> bool:
    day = ctx.today
    if sub.end_date is not None and day > sub.end_date:
        email = False  # R-SCHED-3: the end date is the customer's own; no email
    elif sub.cancel_date is not None and day >= sub.cancel_date:
        email = True
    elif sub.state == "overdue" and day >= subs.deactivation_day(sub):
        email = True
    else:
        return False
    charging.deactivate(ctx, sub, email)
    counts["deactivated"] += 1
    return True


def _dunning(ctx: Ctx, sub: Subscription, counts: Counter) -> None:
    since = sub.overdue_since
    assert since is not None, "overdue with no overdue_since"  # charging.start_dunning
    day_number = (ctx.today - since).days
    retries, notices = subs.dunning_days(sub)
    if day_number in retries:
        counts["retried"] += 1
        row = charging.retry(ctx, sub)
        if row.status == "completed":
            counts["charged"] += 1
            return
        charging.failed(ctx, sub)
    if day_number in notices:
        outbox.event(ctx, sub, "subscription.payment.overdue")
        outbox.email(ctx, sub, OVERDUE_NOTICE)
        counts["overdue_notices"] += 1
    sub.dunning_next = subs.next_dunning_date(sub, day_number)


def next_phase(sub: Subscription, product: Product) -> list[subs.Held]:
    """R-SCHED-4: the subscription takes the next product's price, currency, interval and
    number of rebills; the add-ons it keeps (at that product's prices) are returned, those the
    product does not offer are dropped (R-ADDON-3). Sets fields only; writes nothing."""
    values.require_product(product)
    kept, _dropped = addons.under(product, subs.held(sub))
    sub.product = product
    sub.price, sub.currency = product.price, product.currency
    sub.interval_unit, sub.interval_length = product.interval_unit, product.interval_length
    sub.rebills_left = product.rebills
    return kept


def _switch_product(ctx: Ctx, sub: Subscription) -> bool:
    """R-SCHED-4: after the last charge of a phase, renew into the next product."""
    target = sub.product.renews_into
    if not target:
        return False
    subs.set_held(sub, next_phase(sub, subs.find_product(target)))
    outbox.event(ctx, sub, "subscription.updated")
    return True


def _charge_due(ctx: Ctx, sub: Subscription, counts: Counter) -> None:
    scheduled = sub.next_charge_date
    assert scheduled is not None, "a charge due with no next charge date"  # candidates
    if sub.end_date is not None and scheduled > sub.end_date:
        return  # R-SCHED-3: no charge after the end date
    if sub.rebills_left == 0:
        if not _switch_product(ctx, sub):
            charging.deactivate(ctx, sub, email=False)
            counts["deactivated"] += 1
            return
        if sub.interval_unit == "adhoc":
            sub.next_charge_date = None
            return
    owed = subs.amount(sub)
    if sub.manual_renew:
        # R-MANUAL-1: unpaid on its due date; overdue, no retries, no charge row
        sub.state = "overdue"
        sub.overdue_since = ctx.today
        sub.dunning_kind, sub.dunning_date, sub.dunning_amount = "manual", scheduled, owed
        sub.dunning_next = subs.next_dunning_date(sub, 0)
        outbox.event(ctx, sub, "subscription.updated")
        return
    row = charging.attempt(ctx, sub, "rebill", scheduled, owed)
    if row.status == "completed":
        charging.renew(sub, scheduled, ctx.today)
        charging.completed(ctx, sub)
        counts["charged"] += 1
    else:
        charging.start_dunning(ctx, sub, "rebill", scheduled, owed)
        counts["declined"] += 1


def _reminder(ctx: Ctx, sub: Subscription, counts: Counter) -> None:
    if subs.reminder_date(sub) != ctx.today or sub.reminded_for == sub.next_charge_date:
        return
    template = subs.reminder_template(sub)
    kind = "trial" if template == subs.TRIAL_REMINDER else "payment"
    outbox.event(ctx, sub, f"subscription.{kind}.reminder")
    outbox.email(ctx, sub, template)
    sub.reminded_for = sub.next_charge_date
    counts["reminders"] += 1


def process(day_ctx: Ctx, sub: Subscription, counts: Counter) -> None:
    """One subscription's work for one date, in the order of SPEC section 4."""
    values.require(sub)  # R-INPUT-1: a row written around the limits is set aside, never billed
    ctx = day_ctx.for_subscription(sub.id)
    day = ctx.today
    sub.last_run = day
    if sub.state != "deactivated" and not _deactivation(ctx, sub, counts):
        if sub.state == "active" and sub.pause_date and sub.pause_date <= day:
            sub.state = "paused"  # R-PAUSE-3: paused instead of charged
            sub.next_charge_date = sub.resume_date
            outbox.event(ctx, sub, "subscription.updated")
            outbox.event(ctx, sub, "subscription.paused")
            counts["paused"] += 1
        if sub.state == "paused" and sub.resume_date and sub.resume_date <= day:
            sub.state = "active"  # R-PAUSE-6: then charged today as a normal rebill
            sub.next_charge_date = sub.resume_date
            sub.pause_date = sub.resume_date = None
            outbox.event(ctx, sub, "subscription.resumed")
            counts["resumed"] += 1
        if sub.state == "overdue" and sub.dunning_next and sub.dunning_next <= day:
            _dunning(ctx, sub, counts)
        if sub.state in ("active", "trial") and sub.interval_unit != "adhoc" \
                and sub.next_charge_date and sub.next_charge_date <= day:
            _charge_due(ctx, sub, counts)
        if sub.state in ("active", "trial"):
            _reminder(ctx, sub, counts)
    subs.persist(sub)


def _orm_load(ids: list[int]):
    return (Subscription.select(Subscription, Product, Account, PaymentMethod)
            .join(Product).switch(Subscription).join(Account)
            .switch(Subscription).join(PaymentMethod, pw.JOIN.LEFT_OUTER)
            .where(Subscription.id.in_(ids)).order_by(Subscription.id))


def _process_all(day_ctx: Ctx, subs_: list[Subscription], counts: Counter) -> None:
    subs.preload(subs_)  # add-ons (R-ADDON-3) of the whole batch in one query
    for sub in subs_:
        if sub.last_run is None or sub.last_run < day_ctx.today:
            process(day_ctx, sub, counts)


def _one_by_one(day_ctx: Ctx, chunk: list[int], counts: Counter,
                set_aside: Callable[[int, Exception], None]) -> None:
    """R-INPUT-3: each subscription of a batch that failed in its own savepoint, so the one
    whose work fails no rule foresaw is rolled back and set aside, and the others' work stands."""
    for sub_id in chunk:
        mine: Counter = Counter()
        try:
            with database.atomic():
                _process_all(day_ctx, _load([sub_id]), mine)
        except engine.UNAVAILABLE:  # the store cannot be used now: the day stops
            raise
        except Exception as exc:  # noqa: BLE001 - whatever it is, it is this row's alone
            set_aside(sub_id, _explained(sub_id, exc))
            continue
        counts.update(mine)


def _load(ids: list[int], products: dict | None = None) -> list[Subscription]:
    """A batch's subscriptions, batched or plain. One naming an account the store lacks would
    be left out by the join, in silence: the batch fails instead, and alone it is named."""
    if BATCHED and products is not None:
        found = bulkload.subscriptions(ids, products)
    else:
        found = list(_orm_load(ids))
    if len(found) != len(ids):
        missing = sorted(set(ids) - {s.id for s in found})
        sub = Subscription.get_or_none(Subscription.id == missing[0])
        if sub is not None:
            raise Unreadable("subscription", sub.id, rows.dangling(Subscription, sub))
    for sub in found:  # a card the store lacks would be read as none, and the charge declined
        if sub.payment_method_id is not None and sub.__rel__.get("payment_method") is None:
            raise Unreadable("subscription", sub.id, rows.dangling(Subscription, sub))
    return found


def _explained(sub_id: int, exc: Exception) -> Exception:
    """A failure the row's own values explain (a date of 'garbage', a product the store lacks)
    named by them, as Unreadable; any other as it is."""
    if isinstance(exc, DomainError):
        return exc
    sub = Subscription.get_or_none(Subscription.id == sub_id)
    if sub is None:
        return exc
    found = values.explained(sub)
    return Unreadable("subscription", sub_id, found) if found else exc


def run(day_ctx: Ctx, record: Callable[[Counter], None],
        progress: Callable[[int, int], None] | None = None,
        set_aside: Callable[[int, Exception], None] | None = None,
        ids: list[int] | None = None) -> None:
    """Every subscription with work on the date (or those of `ids`, a worker's part of them),
    in short batch transactions. `record` is called
    inside each batch's transaction with that batch's counts, so counts and work commit together.
    Batched, each batch's rows are written together at its end (store/batch.py); not batched,
    row by row as each rule runs. Both run the same rules and write the same rows.

    A batch that fails is rolled back and run again one subscription at a time; a subscription
    that fails alone is handed to `set_aside` (inside the transaction) and the day goes on."""
    ids = candidates(day_ctx.today) if ids is None else ids
    products = {p.id: p for p in Product.select()}
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start:start + BATCH]
        try:
            with database.atomic():
                counts: Counter = Counter()
                if BATCHED:
                    with batch.collect():
                        _process_all(day_ctx, _load(chunk, products), counts)
                else:
                    _process_all(day_ctx, _load(chunk), counts)
                record(counts)
        except engine.UNAVAILABLE:  # the store cannot be used now: the day stops
            raise
        except Exception:  # noqa: BLE001 - found and set aside one by one below
            if set_aside is None:
                raise
            with database.atomic():
                counts = Counter()
                _one_by_one(day_ctx, chunk, counts, set_aside)
                record(counts)
        done += len(chunk)
        if progress:
            progress(done, len(ids))


PERIOD_KINDS = ("rebill", "retry", "resume", "payment", "managed")  # charges with add-ons in


def revenue(day: dt.date) -> list[dict]:
    """What a date's completed charges took in, per currency, and the add-ons' part of it
    (R-ADDON-3: each period charge includes its subscription's add-ons); refunds taken off."""
    from ..store import queries
    from .money import format_amount

    rows = queries.completed_on(day)
    ids = sorted({sub for sub, kind, _, _ in rows if kind in PERIOD_KINDS})
    extras = queries.addon_totals(Subscription.id.in_(ids)) if ids else {}
    sums: dict[str, list[int]] = {}
    for sub, kind, amount, currency in rows:
        total = sums.setdefault(currency, [0, 0])
        total[0] += -amount if kind == "refund" else amount
        if kind in PERIOD_KINDS:
            total[1] += min(extras.get(sub, 0), amount)
    return [{"currency": cur, "amount": format_amount(amount, cur),
             "addons": format_amount(addons_part, cur)}
            for cur, (amount, addons_part) in sorted(sums.items())]
