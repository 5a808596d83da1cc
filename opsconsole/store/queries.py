"""Read queries the command line and the console share. Nothing here writes."""

import datetime as dt

import peewee as pw

from . import engine
from .models import (
    LIST_ORDER,
    SORT_END,
    Account,
    Audit,
    Charge,
    Event,
    Notification,
    PaymentMethod,
    Product,
    Subscription,
    SubscriptionAddon,
    database,
    fold,
)
from .states import FIRST_DATE, LAST_DATE


def unknown_state() -> pw.Expression:
    """A subscription whose state is none of SUB_STATES (a store written to by hand): the gaps
    between the known states, each a range the state index finds at once, empty or not."""
    from .states import SUB_STATES

    S = Subscription
    known = sorted(SUB_STATES)
    term = (S.state < known[0]) | (S.state > known[-1])
    for low, high in zip(known, known[1:]):
        term |= (S.state > low) & (S.state < high)
    return term


def dates_out_of_range() -> list[pw.Expression]:
    """A subscription whose schedule dates are outside R-INPUT-1's (2300-01-01, or on SQLite
    'garbage', which sorts after every date, or a number, before them), one term per indexed
    date: each a range its index finds at once. The next charge date is indexed after the
    state (subscription_report), so it is asked per state."""
    S = Subscription
    terms = [(column < FIRST_DATE) | (column > LAST_DATE) for column in (
        S.end_date, S.cancel_date, S.pause_date, S.resume_date, S.dunning_next, S.remind_on)]
    terms.append(S.state.in_(("active", "trial"))
                 & ((S.next_charge_date < FIRST_DATE) | (S.next_charge_date > LAST_DATE)))
    return terms


# R-INPUT-5: search compares fold()ed text (models.fold: every alphabet's case) with the folded
# copies the store keeps of each searched column, and "starts with" is a range of those values,
# never LIKE: there are no wildcards, so `%`, `_` and `\` are ordinary characters by
# construction, and a plain (binary) index finds the range on SQLite and PostgreSQL alike.
TOP = "\U0010ffff"  # the last code point: after every continuation of a prefix


def search_text(text: str) -> str | None:
    """What a search compares: the typed text, trimmed and folded; None when no stored text
    can start with it (a lone surrogate: an undecodable byte from a command line)."""
    folded = fold(text.strip())
    try:
        folded.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return None if "\x00" in folded else folded  # no stored text holds one (R-INPUT-4)


def prefix_range(folded: str) -> tuple[str, str]:
    """[low, high): exactly the strings that start with `folded`, in code point order (SQLite's
    BINARY collation compares UTF-8 bytes, which sorts the same)."""
    return folded, folded + TOP


def starts_with(column, folded: str):
    """`column` starts with `folded`, as a range an index on the column can seek."""
    low, high = prefix_range(folded)
    return (column >= low) & (column < high)


def _as_id(text: str) -> int | None:
    """The subscription ID a search names, if it is one (ASCII digits only: "²" is a digit to
    str.isdigit but not to int)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _search_term(text: str):
    """Where a subscription matches a search: its ID, or the start of its reference, its
    customer's email, first name, last name or "first last", in any case (R-INPUT-5). A start,
    not any part: that is what an index can find without reading the store. This is the
    definition; search_ids finds the same rows through the indexes."""
    S = Subscription
    folded = search_text(text)
    if folded is None:
        return pw.SQL("1 = 0")
    term = (starts_with(S.reference_fold, folded) | starts_with(Account.email_fold, folded)
            | starts_with(Account.first_fold, folded) | starts_with(Account.last_fold, folded)
            | starts_with(Account.first_fold.concat(" ").concat(Account.last_fold), folded))
    sub_id = _as_id(text)
    if sub_id is not None:
        term = term | (S.id == sub_id)
    return term


def _earlier_of_same_product():
    """R-TRIAL-2: the account already had a subscription of the same product (an earlier one,
    in any state)."""
    S = Subscription
    other = S.alias("other")
    return pw.fn.EXISTS(other.select(pw.SQL("1")).where(
        (other.account == S.account) & (other.product == S.product) & (other.id < S.id)))


def repeat_trials():
    """Where a subscription is a repeat trial: in trial, and its account had the product."""
    return (Subscription.state == "trial") & _earlier_of_same_product()


def repeat_trial_ids(ids: list[int]) -> list[int]:
    """Those of `ids` that are repeat trials."""
    S = Subscription
    return [i for (i,) in S.select(S.id).where(S.id.in_(ids), repeat_trials()).tuples()]


def subscriptions(state: str | None = None, product: str | None = None,
                  search: str | None = None, limit: int | None = None,
                  repeat_trials_only: bool = False):
    """Subscriptions sorted by next charge date (none last), then ID."""
    S = Subscription
    # outer joins: one naming a product or account the store lacks is listed, to be named
    # (present.reading), never left out in silence
    query = (S.select(S, Product, Account, PaymentMethod)
             .join(Product, pw.JOIN.LEFT_OUTER).switch(S).join(Account, pw.JOIN.LEFT_OUTER)
             .switch(S).join(PaymentMethod, pw.JOIN.LEFT_OUTER))
    if state:
        query = query.where(S.state == state)
    if repeat_trials_only:
        query = query.where(repeat_trials())
    if product:
        query = query.where(Product.path == product)
    if search and search.strip():
        text = search.strip()
        ids = search_ids(text)  # few matches: found through the indexes, not by reading all
        query = query.where(_search_term(text) if ids is None else S.id.in_(ids))
    # the list-order index's own expression, so SQLite reads in index order and need not sort
    query = query.order_by(pw.SQL(LIST_ORDER), S.id)
    if limit:
        query = query.limit(limit)
    return query


PAST_END = (SORT_END, 2**62)  # a key after every subscription: page back from it for the last
SEARCH_CAP = 5000  # matches found through the indexes before a search counts as broad


def sort_key(sub) -> tuple[str, int]:
    """A subscription's place in the list: the `after` of the next page. A date column holding
    other text (a file written to by hand) is ordered by that text, as the list's SQL does."""
    day = sub.next_charge_date
    if day is None:
        return (SORT_END, sub.id)
    return (day.isoformat() if isinstance(day, dt.date) else str(day), sub.id)


def _search_branches(text: str) -> list[tuple[str, list]] | None:
    """One index range per searched column (and per space, for "first last": the first name
    whole, the last name begun), and the ID: each a statement and its parameters; None when
    nothing can match."""
    folded = search_text(text)
    if folded is None:
        return None
    p = database.param  # ? on SQLite, %s on PostgreSQL
    whole = list(prefix_range(folded))
    branches = [(f"SELECT id FROM subscription WHERE reference_fold >= {p} "
                 f"AND reference_fold < {p}", whole)]
    joined = "SELECT s.id FROM account a JOIN subscription s ON s.account_id = a.id WHERE "
    for column in ("email_fold", "first_fold", "last_fold"):
        branches.append((joined + f"a.{column} >= {p} AND a.{column} < {p}", whole))
    for i, char in enumerate(folded):
        if char == " ":
            branches.append((joined + f"a.first_fold = {p} AND a.last_fold >= {p} "
                             f"AND a.last_fold < {p}",
                             [folded[:i], *prefix_range(folded[i + 1:])]))
    sub_id = _as_id(text)
    if sub_id is not None:
        branches.append((f"SELECT id FROM subscription WHERE id = {p}", [sub_id]))
    return branches


def search_sql(text: str) -> tuple[str, list] | None:
    """The statement search_ids runs: its branches' matches, each at most once per branch;
    None when nothing can match."""
    branches = _search_branches(text)
    if branches is None:
        return None
    # A match appears at most once per branch, so this many rows mean more than SEARCH_CAP
    # subscriptions: the server stops there, and a driver that fetches a whole result
    # (psycopg) never pulls every match of a one-letter search on a big store.
    return (" UNION ALL ".join(sql for sql, _ in branches)
            + f" LIMIT {len(branches) * (SEARCH_CAP + 1)}",
            [value for _, params in branches for value in params])


def broad_sql(text: str) -> tuple[str, list] | None:
    """The statement that tells a broad search at once: how many times each column alone
    starts with the text, each count stopped past SEARCH_CAP in its index."""
    branches = _search_branches(text)
    if branches is None:
        return None
    counts = ", ".join(f"(SELECT COUNT(*) FROM ({sql} LIMIT {SEARCH_CAP + 1}) b{i})"
                       for i, (sql, _) in enumerate(branches))
    return f"SELECT {counts}", [value for _, params in branches for value in params]


def search_ids(text: str) -> list[int] | None:
    """The IDs a search matches, found through the indexes on the folded copies; None when
    there are more than SEARCH_CAP (a broad search: the list is then read in its own order,
    filtered)."""
    statement = search_sql(text)
    if statement is None:
        return []
    # one column alone past the cap: broad, told without handing thousands of ids to Python
    if max(database.execute_sql(*broad_sql(text)).fetchone()) > SEARCH_CAP:
        return None
    found: set[int] = set()
    cursor = database.execute_sql(*statement)
    try:
        for (sub_id,) in cursor:  # streamed: a broad search stops at the cap, not at the end
            found.add(sub_id)
            if len(found) > SEARCH_CAP:
                return None
    finally:
        cursor.close()
    return sorted(found)


def _page_query(state, product, search, repeat_only=False, searched: dict | None = None):
    """Just the IDs and sort keys, through the list-order indexes. `searched` keeps a
    search's matches for the next call with the same text (a page and its count: one search
    per keystroke, not two)."""
    S = Subscription
    query = S.select(S.id, pw.SQL(LIST_ORDER).alias("k"))
    if state:
        query = query.where(S.state == state)
    if repeat_only:
        query = query.where(repeat_trials())
    if product:
        found = Product.get_or_none(Product.path == product)
        query = query.where(S.product == (found.id if found else -1))
    ids = None
    if search and search.strip():
        if searched is not None and search in searched:
            ids = searched[search]
        else:
            ids = search_ids(search)
            if searched is not None:
                searched[search] = ids
        if ids is None:  # broad: most rows match, so the list order finds a page quickly
            query = (query.join(Account, on=(Account.id == S.account))
                     .where(_search_term(search.strip())))
        else:
            query = query.where(engine.among(S.id, ids))
    return query, ids


def subscription_page(after: tuple[str, int] | None = None, limit: int = 100,
                      state: str | None = None, product: str | None = None,
                      search: str | None = None, backwards: bool = False,
                      repeat_only: bool = False, searched: dict | None = None):
    """One page in next-charge order, by keyset: never OFFSET, never the whole store. The
    page's IDs come from an index in list order; its rows are then loaded by ID."""
    from . import bulkload

    key = pw.SQL(LIST_ORDER)
    query, _ = _page_query(state, product, search, repeat_only, searched)
    if after is not None:
        bound, after_id = after
        # `k >= bound` lets SQLite seek in the index; a row-value comparison would scan it
        if backwards:
            query = query.where(key <= bound, (key < bound) | (Subscription.id < after_id))
        else:
            query = query.where(key >= bound, (key > bound) | (Subscription.id > after_id))
    order = [key.desc(), Subscription.id.desc()] if backwards else [key, Subscription.id]
    ids = [sub_id for sub_id, _ in query.order_by(*order).limit(limit).tuples()]
    try:
        by_id = {sub.id: sub for sub in bulkload.subscriptions(ids)}
    except Product.DoesNotExist:
        by_id = {}
    # one the batched load could not (its product or account is missing): read alone, to be
    # named in its place (present.reading), never left out in silence
    rows = [sub for sub in (by_id.get(i) or Subscription.get_or_none(Subscription.id == i)
                            for i in ids) if sub is not None]
    if backwards:
        rows.reverse()
    return rows


def count_subscriptions(state=None, product=None, search=None,
                        repeat_only: bool = False, searched: dict | None = None) -> int | None:
    """How many a page's filters match; None for a broad search (more than SEARCH_CAP)."""
    query, ids = _page_query(state, product, search, repeat_only, searched)
    if search and search.strip() and ids is None:
        return None
    return query.order_by().count()


def find_account(email: str) -> Account | None:
    """The account of an email: as stored, else the one whose email matches in any case."""
    account = Account.get_or_none(Account.email == email.strip())
    if account is not None:
        return account
    folded = search_text(email)
    if not folded:
        return None
    found = list(Account.select().where(Account.email_fold == folded).limit(2))
    return found[0] if len(found) == 1 else None


def account_subscriptions(account_id: int):
    """An account's subscriptions, with product and payment method, in list order."""
    return subscriptions().where(Subscription.account == account_id)


def account_charge_totals(account_id: int) -> list[tuple[str, int, int]]:
    """(currency, charged, refunded) over the account's completed charges, by currency."""
    C, S = Charge, Subscription
    refund = pw.Case(None, [(C.kind == "refund", C.amount)], 0)
    kept = pw.Case(None, [(C.kind == "refund", 0)], C.amount)
    return [(cur, int(charged or 0), int(refunded or 0)) for cur, charged, refunded in
            C.select(C.currency, pw.fn.SUM(kept), pw.fn.SUM(refund))
            .join(S, on=(C.subscription == S.id))
            .where(S.account == account_id, C.status == "completed")
            .group_by(C.currency).order_by(C.currency).tuples()]


def addon_totals(where) -> dict[int, int]:
    """subscription id -> its add-ons' price x quantity summed, for the subscriptions `where`
    selects (a condition on Subscription)."""
    SA, S = SubscriptionAddon, Subscription
    return dict(SA.select(SA.subscription, pw.fn.SUM(SA.price * SA.quantity))
                .join(S, on=(SA.subscription == S.id)).where(where)
                .group_by(SA.subscription).tuples())


def completed_on(day) -> list[tuple[int, str, int, str]]:
    """(subscription, kind, amount, currency) of the charges completed on a store date."""
    C = Charge
    return list(C.select(C.subscription, C.kind, C.amount, C.currency)
                .where(C.date == day, C.status == "completed").tuples())


def chargeable(limit: int = 500):
    """Subscriptions an operator may charge by hand: managed ones, and overdue automatic
    ones (a retry now). Most overdue first."""
    S = Subscription
    return (subscriptions().where(S.state != "deactivated",
                                  (S.interval_unit == "adhoc")
                                  | ((S.state == "overdue") & (S.manual_renew == False)))  # noqa: E712
            .order_by(S.overdue_since.is_null(), S.overdue_since, S.id).limit(limit))


def charges(subscription_id: int | None = None):
    query = Charge.select().order_by(Charge.id)
    if subscription_id is not None:
        query = query.where(Charge.subscription == subscription_id)
    return query


def events(subscription_id: int | None = None, type_: str | None = None):
    query = Event.select().order_by(Event.id)
    if subscription_id is not None:
        query = query.where(Event.subscription == subscription_id)
    if type_:
        query = query.where(Event.type == type_)
    return query


def event_types() -> list[str]:
    return [t for (t,) in Event.select(Event.type).distinct().order_by(Event.type).tuples()]


def notifications(subscription_id: int | None = None):
    query = Notification.select().order_by(Notification.id)
    if subscription_id is not None:
        query = query.where(Notification.subscription == subscription_id)
    return query


def audit():
    return Audit.select().order_by(Audit.id)


def fingerprint() -> tuple:
    """Changes whenever anything is written: the clock, any event, any audit row, a day."""
    return tuple(database.execute_sql(
        "SELECT (SELECT clock FROM store), (SELECT MAX(id) FROM event), "
        "(SELECT MAX(id) FROM audit), (SELECT COUNT(*) FROM day_run WHERE finished)"
    ).fetchone())
