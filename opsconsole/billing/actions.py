"""One function per operator action. Each is one transaction that writes its events, emails
and audit row, or raises DomainError and writes nothing."""

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .. import text
from ..store import context
from ..store.models import Charge, PaymentMethod, Subscription, database
from . import charging, outbox, present, subs
from .errors import DomainError
from .schedule import advance

PAUSED = "Subscription Paused"
CANCELED = "Subscription Canceled"
MAX_PAUSE_PERIODS = 12


@dataclass
class Outcome:
    """What an action did; `ok` is False when the money part of it was declined."""

    subscription: dict
    message: str
    ok: bool = True
    charge: dict | None = None


@contextmanager
def operator_action(operator: str | None, name: str, ref,
                    checked: bool = True) -> Iterator[tuple[context.Ctx, Subscription, dict]]:
    """The transaction, the subscription, and the audit row with before and after.
    `checked`: refused when the subscription holds a value no rule can run on (subs.find)."""
    with database.atomic():
        ctx = context.current(operator)
        sub = subs.find(ref, checked)
        before = present.subscription(sub)
        detail: dict = {}
        yield ctx, sub, detail
        outbox.audit(ctx, name, sub, before, present.subscription(sub), detail or None)


def _outcome(sub: Subscription, message: str, row: Charge | None = None) -> Outcome:
    return Outcome(present.subscription(sub), message,
                   ok=row is None or row.status == "completed",
                   charge=present.charge(row) if row is not None else None)


def written(row: Charge | charging.Collected) -> Charge:
    """A charge an operator action made: no batch is open in one (store/batch.py), so
    charging.attempt wrote its row at once and returned it."""
    assert isinstance(row, Charge)
    return row


def _label(sub: Subscription) -> str:
    return f"subscription {sub.id}"


def _refuse_deactivated(sub: Subscription, doing: str) -> None:
    if sub.state == "deactivated":
        raise DomainError(f"{_label(sub)} was deactivated on {sub.deactivated_on}; "
                          f"it cannot be {doing}")


# --- pause (R-PAUSE-*) ------------------------------------------------------------------

def _pause_dates(sub: Subscription, periods: int):
    """R-PAUSE-1's checks and R-PAUSE-2's dates, shared by the preview and the action."""
    if not 1 <= periods <= MAX_PAUSE_PERIODS:
        raise DomainError(f"a pause lasts 1 to {MAX_PAUSE_PERIODS} periods, not {periods}")
    _refuse_deactivated(sub, "paused")
    if sub.interval_unit == "adhoc":
        raise DomainError(f"{_label(sub)} is managed (adhoc) and has no periods to pause")
    if sub.manual_renew:
        raise DomainError(f"{_label(sub)} renews manually; only automatic renewals pause")
    if sub.state == "paused":
        raise DomainError(f"{_label(sub)} is already paused until {sub.resume_date}")
    if sub.pause_date:
        raise DomainError(f"{_label(sub)} already has a pause scheduled from {sub.pause_date}")
    if sub.state != "active":
        raise DomainError(f"only an active subscription can be paused; {_label(sub)} is "
                          f"{sub.state}")
    if sub.cancel_date:
        raise DomainError(f"{_label(sub)} is canceled (deactivates on {sub.cancel_date}); "
                          "uncancel it first")
    pause_date = sub.next_charge_date
    assert pause_date is not None  # active and scheduled: it has a next charge
    resume = advance(pause_date, sub.interval_unit, sub.interval_length, periods)
    return pause_date, resume


def preview_pause(ref, periods: int) -> dict:
    """What pausing would do. Writes nothing."""
    pause_date, resume_date = _pause_dates(subs.find(ref), periods)
    return {"pause_date": pause_date, "resume_date": resume_date}


def pause(ref, periods: int, operator: str | None = None) -> Outcome:
    with operator_action(operator, "pause", ref) as (ctx, sub, detail):
        sub.pause_date, sub.resume_date = _pause_dates(sub, periods)
        detail["periods"] = periods
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.updated")
        outbox.email(ctx, sub, PAUSED)
        return _outcome(sub, f"pauses on {sub.pause_date}, resumes on {sub.resume_date}")


def _pause_removable(sub: Subscription) -> None:
    if sub.state == "paused":
        raise DomainError(f"{_label(sub)} is already paused; resume it instead")
    if not sub.pause_date:
        raise DomainError(f"{_label(sub)} has no pause scheduled")


def check_cancel_pause(ref) -> dict:
    """The scheduled pause a cancel-pause would remove, or its refusal: asked before the
    operator confirms."""
    sub = subs.find(ref)
    _pause_removable(sub)
    pause_date = sub.pause_date
    assert pause_date is not None  # _pause_removable refused it otherwise
    return {"pause_date": pause_date.isoformat(),
            "resume_date": sub.resume_date.isoformat() if sub.resume_date else None}


def cancel_pause(ref, operator: str | None = None) -> Outcome:
    with operator_action(operator, "cancel-pause", ref) as (ctx, sub, _):
        _pause_removable(sub)
        sub.pause_date = sub.resume_date = None
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.updated")
        return _outcome(sub, "scheduled pause removed")


def _resumable(sub: Subscription) -> int:
    """R-PAUSE-5's checks; the amount a resume charges now."""
    if sub.state != "paused":
        hint = "; cancel the scheduled pause instead" if sub.pause_date else ""
        raise DomainError(f"{_label(sub)} is {sub.state}, not paused{hint}")
    if sub.cancel_date:
        raise DomainError(f"{_label(sub)} is canceled (deactivates on {sub.cancel_date}); "
                          "uncancel it before resuming")
    return subs.amount(sub)


def preview_resume(ref) -> dict:
    from .money import format_amount

    sub = subs.find(ref)
    return {"amount": format_amount(_resumable(sub), sub.currency), "currency": sub.currency}


def resume(ref, operator: str | None = None) -> Outcome:
    """R-PAUSE-5: charge now; on success a new period starts today."""
    with operator_action(operator, "resume", ref) as (ctx, sub, _):
        owed = _resumable(sub)
        row = written(charging.attempt(ctx, sub, "resume", ctx.today, owed))
        sub.pause_date = sub.resume_date = None
        if row.status == "completed":
            charging.renew(sub, ctx.today, ctx.today)
            subs.persist(sub)
            outbox.event(ctx, sub, "subscription.resumed")
            outbox.event(ctx, sub, "subscription.updated")
            charging.completed(ctx, sub)
            return _outcome(sub, f"resumed; next charge {sub.next_charge_date}", row)
        sub.next_charge_date = ctx.today
        outbox.event(ctx, sub, "subscription.updated")
        charging.start_dunning(ctx, sub, "rebill", ctx.today, owed)
        return _outcome(sub, f"resume charge {row.reason}; overdue from today", row)


# --- cancel (R-CANCEL-*, R-UNCANCEL-1) ------------------------------------------------------

def _cancel_date(sub: Subscription, now: bool, today):
    """R-CANCEL-1/2: the date it deactivates, and whether that is now."""
    _refuse_deactivated(sub, "canceled")
    if sub.cancel_date:
        raise DomainError(f"{_label(sub)} is already canceled: it deactivates on "
                          f"{sub.cancel_date}")
    if now or sub.interval_unit == "adhoc" or sub.state == "overdue":
        return today, True
    return (sub.resume_date if sub.state == "paused" else sub.next_charge_date), False


def preview_cancel(ref) -> dict:
    """The choice an operator has: the period-end date, unless only 'now' is possible."""
    sub = subs.find(ref)
    today = context.current().today
    at, now_only = _cancel_date(sub, False, today)
    return {"period_end": None if now_only else at, "now_only": now_only}


def cancel(ref, now: bool = False, operator: str | None = None) -> Outcome:
    # ending it now is how an operator stops one whose values no rule can run on (a quantity
    # of -2, set aside every day): allowed, as it bills nothing
    with operator_action(operator, "cancel-now" if now else "cancel", ref,
                         checked=not now) as (ctx, sub, _):
        sub.cancel_date, immediate = _cancel_date(sub, now, ctx.today)
        if immediate:
            outbox.event(ctx, sub, "subscription.canceled")
            charging.deactivate(ctx, sub, email=False)
            outbox.email(ctx, sub, CANCELED)
            return _outcome(sub, "canceled and deactivated now")
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.canceled")
        outbox.email(ctx, sub, CANCELED)
        return _outcome(sub, f"canceled; deactivates on {sub.cancel_date}")


def _uncancelable(sub: Subscription) -> None:
    _refuse_deactivated(sub, "uncanceled")
    if not sub.cancel_date:
        raise DomainError(f"{_label(sub)} is not canceled")


def check_uncancel(ref) -> dict:
    """The cancel date an uncancel would clear, or its refusal (R-UNCANCEL-1): asked before
    the operator confirms."""
    sub = subs.find(ref)
    _uncancelable(sub)
    cancel_date = sub.cancel_date
    assert cancel_date is not None  # _uncancelable refused it otherwise
    return {"cancel_date": cancel_date.isoformat()}


def uncancel(ref, operator: str | None = None) -> Outcome:
    with operator_action(operator, "uncancel", ref) as (ctx, sub, _):
        _uncancelable(sub)
        sub.cancel_date = None
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.uncanceled")
        return _outcome(sub, "uncanceled")


# --- charges by hand (R-MANAGED-1, R-CHARGE-3) ---------------------------------------------

def _charge_plan(sub: Subscription) -> tuple[str, int]:
    """R-MANAGED-1 / R-CHARGE-3: what a charge by hand would be, or why there is none."""
    _refuse_deactivated(sub, "charged")
    no_method = DomainError(f"{_label(sub)} has no payment method; set one first "
                            "(opsconsole payment)")
    if sub.interval_unit == "adhoc":
        if not sub.payment_method_id:
            raise no_method
        return "managed", subs.amount(sub)
    if sub.state == "overdue":
        if sub.dunning_kind == "manual":
            raise DomainError(f"{_label(sub)} renews manually: the customer pays it "
                              "(opsconsole pay)")
        if not sub.payment_method_id:
            raise no_method
        owed = sub.dunning_amount
        assert owed is not None, "overdue with no dunning amount"  # set by charging.start_dunning
        return "retry", owed
    raise DomainError(f"{_label(sub)} is {sub.state}; only managed (adhoc) or overdue "
                      "subscriptions are charged by hand")


def preview_charge(ref) -> dict:
    from .money import format_amount

    sub = subs.find(ref)
    kind, owed = _charge_plan(sub)
    return {"kind": kind, "amount": format_amount(owed, sub.currency), "currency": sub.currency}


def charge(ref, operator: str | None = None) -> Outcome:
    """Charge a managed subscription now, or retry an overdue one now."""
    with operator_action(operator, "charge", ref) as (ctx, sub, _):
        kind, owed = _charge_plan(sub)
        if kind == "managed":
            row = written(charging.attempt(ctx, sub, "managed", ctx.today, owed))
            if row.status == "completed":
                subs.use_discount(sub)
                subs.persist(sub)
                charging.completed(ctx, sub)
                return _outcome(sub, "charged", row)
            charging.failed(ctx, sub)
            outbox.email(ctx, sub, charging.CHARGE_FAILED)
            reason = row.reason
            assert reason is not None  # a declined charge says why (gateway.charge)
            return _outcome(sub, reason, row)
        row = written(charging.retry(ctx, sub))
        if row.status == "completed":
            return _outcome(sub, "charged; no longer overdue", row)
        charging.failed(ctx, sub)
        return _outcome(sub, f"{row.reason}; still overdue", row)


# --- payment methods and manual renewal (R-DUN-5, R-MANUAL-*) -------------------------------

_SEPARATORS = re.compile(r"[\s./_\-:]")
_DIGIT_RUN = re.compile(r"[0-9]+")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def looks_like_card_number(value: str) -> bool:
    """R-INPUT-7: with spaces and the separators . / _ - : taken out (and digits of any script
    read as digits), 13-19 consecutive digits passing the Luhn check: a card number, which must
    never be stored, however it is dressed."""
    if not value or len(value) < 13:  # a character is one digit at most: no run of 13
        return False
    folded = "".join(str(unicodedata.digit(c)) if c.isdigit() else c for c in value)
    plain = _SEPARATORS.sub("", folded)
    return any(13 <= len(run) <= 19 and _luhn(run) for run in _DIGIT_RUN.findall(plain))


def check_token(token: str) -> str:
    token = (token or "").strip()
    if not token:
        raise DomainError("a payment token is required")
    if looks_like_card_number(token):
        raise DomainError("that looks like a card number; only gateway tokens are accepted")
    text.check(token, "the payment token")
    if len(token) > 200:
        raise DomainError("a payment token is at most 200 characters")
    return token


_EXPIRY = re.compile(r"(\d{1,2})\s*/\s*(\d{2}|\d{4})")


def card_expiry(typed: str) -> str:
    """The expiry as the core stores it (MM/YY, as check_card_display takes it) from what the
    console's operator types: MM/YY or MM/YYYY, a one-digit month too; '' stays ''. Anything
    else is refused in one line, never cut. A past expiry is not refused: R-GW-1 keeps the
    expiry for display only."""
    if not typed:
        return ""
    m = _EXPIRY.fullmatch(typed)
    month, year = (int(m.group(1)), m.group(2)) if m else (0, "")
    if not 1 <= month <= 12 or (len(year) == 4 and int(year) // 100 != 20):
        years = " (a year from 2000 to 2099)" if len(year) == 4 and 1 <= month <= 12 else ""
        raise DomainError(f"expiry {typed!r} is not MM/YY or MM/YYYY{years}")
    return f"{month:02d}/{int(year) % 100:02d}"  # ASCII digits, whatever digits were typed


def check_card_display(last4: str | None, expiry: str | None) -> None:
    if last4 is not None and not re.fullmatch(r"\d{4}", last4):
        raise DomainError(f"last4 {last4!r} is not four digits")
    if expiry is not None:
        m = re.fullmatch(r"(\d{2})/(\d{2})", expiry)
        if not m or not 1 <= int(m.group(1)) <= 12:
            raise DomainError(f"expiry {expiry!r} is not MM/YY")


def check_set_payment(sub: Subscription) -> None:
    _refuse_deactivated(sub, "given a payment method")


def owed_on_new_payment(sub: Subscription) -> int | None:
    """What a new payment method is charged at once (R-DUN-5): an overdue subscription's
    debt, a manual renewal's turned into a rebill of one period; None when not overdue."""
    if sub.state != "overdue":
        return None
    return subs.amount(sub) if sub.manual_renew and sub.dunning_kind == "manual" \
        else sub.dunning_amount


def set_payment(ref, token: str, last4: str | None = None, expiry: str | None = None,
                operator: str | None = None) -> Outcome:
    token = check_token(token)
    check_card_display(last4, expiry)
    with operator_action(operator, "payment", ref) as (ctx, sub, _):
        check_set_payment(sub)
        owed = owed_on_new_payment(sub)
        subs.attach_payment(sub, token, last4, expiry)
        if sub.manual_renew:
            # Payment details on file turn a manual renewal back into an automatic one.
            sub.manual_renew = False
            if sub.dunning_kind == "manual":
                sub.dunning_kind = "rebill"
                sub.dunning_amount = owed
        subs.persist(sub)
        outbox.event(ctx, sub, "subscription.updated")
        if sub.state != "overdue":
            return _outcome(sub, "payment method set")
        row = written(charging.retry(ctx, sub))
        if row.status == "completed":
            return _outcome(sub, "payment method set; charged, no longer overdue", row)
        kind, scheduled, amount = sub.dunning_kind, sub.dunning_date, sub.dunning_amount
        assert kind is not None and scheduled is not None and amount is not None, \
            "overdue with no dunning kind, date or amount"
        charging.start_dunning(ctx, sub, kind, scheduled, amount)
        return _outcome(sub, f"payment method set; charge {row.reason}, dunning restarts today",
                        row)


def check_manual_renew(sub: Subscription) -> None:
    _refuse_deactivated(sub, "switched to manual renewal")
    if sub.interval_unit == "adhoc":
        raise DomainError(f"{_label(sub)} is managed (adhoc); manual renewal does not apply")
    if sub.manual_renew:
        raise DomainError(f"{_label(sub)} already renews manually")


def manual_renew(ref, operator: str | None = None) -> Outcome:
    with operator_action(operator, "manual-renew", ref) as (ctx, sub, _):
        check_manual_renew(sub)
        old = sub.payment_method_id
        sub.payment_method = None
        sub.manual_renew = True
        if sub.state == "overdue":
            since = sub.overdue_since
            assert since is not None, "overdue with no overdue_since"  # charging.start_dunning
            sub.dunning_kind = "manual"
            sub.dunning_next = subs.next_dunning_date(sub, (ctx.today - since).days)
        subs.persist(sub)
        if old:  # deleted for good (R-MANUAL-2)
            PaymentMethod.delete().where(PaymentMethod.id == old).execute()
        outbox.event(ctx, sub, "subscription.updated")
        return _outcome(sub, "renews manually; payment method deleted")


def check_pay(sub: Subscription) -> None:
    _refuse_deactivated(sub, "paid")
    if not sub.manual_renew:
        raise DomainError(f"{_label(sub)} renews automatically; it is charged on schedule")
    if sub.interval_unit == "adhoc":  # renewed into an adhoc product (daily.next_phase)
        raise DomainError(f"{_label(sub)} is managed (adhoc) and has no due date to pay")


def pay(ref, token: str, operator: str | None = None) -> Outcome:
    """The customer's Pay Now: renews a manual subscription for one period from its due date."""
    token = check_token(token)
    with operator_action(operator, "pay", ref) as (ctx, sub, _):
        check_pay(sub)
        due = sub.next_charge_date
        assert due is not None  # check_pay: a manual renewal, not adhoc
        row = written(charging.attempt(ctx, sub, "payment", due, subs.amount(sub),
                                      token=token))
        if row.status == "completed":
            charging.renew(sub, due, ctx.today)
            subs.persist(sub)
            charging.completed(ctx, sub)
            return _outcome(sub, f"paid; next due {sub.next_charge_date}", row)
        charging.failed(ctx, sub)
        return _outcome(sub, f"payment {row.reason}", row)
