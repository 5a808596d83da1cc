"""Read queries for the dashboard's figures and the attention list (issue 16). Each is one
aggregate the database computes through an index (schema 6: models.REPORT_INDEXES), so a store
of a million subscriptions is summed by the database, never walked row by row in Python; what
comes back is a few thousand groups at most. views/report.py and views/attention.py turn them
into figures with the core's own rules. Nothing here writes."""

import datetime as dt
import json
import sqlite3
from collections.abc import Callable

import peewee as pw

from . import queries, rows
from .models import (
    CHARGES_COLLECTED,
    CHARGES_COMPLETED,
    CHARGES_FAILED,
    REPORT_GROUP,
    REPORT_PLAIN,
    SPECIAL_TERMS,
    Audit,
    Case,
    Subscription,
    SubscriptionAddon,
    database,
)

S = Subscription
# What a subscription's monthly amount and its coming charges depend on: one group for each
# distinct combination, in the order of the index each is read from, so that the database groups
# while it reads and never sorts.
PLAIN_FIELDS = tuple(S._meta.columns[name] for name in REPORT_PLAIN)
GROUP_FIELDS = tuple(S._meta.columns[name] for name in REPORT_GROUP)
NOT_DEACTIVATED = ("active", "overdue", "paused", "trial")
ROWS = pw.fn.COUNT(pw.SQL("*"))  # not COUNT(id): PostgreSQL then reads the index alone
PLAIN_REST = (False,) + (None,) * (len(REPORT_GROUP) - len(REPORT_PLAIN) - 1)


def _day(value) -> dt.date | None:
    """A date as SQLite (text) or PostgreSQL (a date) hands it back from raw SQL."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def subscription_groups() -> list[tuple]:
    """(the REPORT_GROUP values..., how many) for every subscription not deactivated; dates as
    dates and manual_renew as a bool on both engines (peewee converts the fields). Two reads:
    every subscription by REPORT_PLAIN alone (subscription_report), and those with more terms
    (SPECIAL_TERMS) by all of REPORT_GROUP (their partial index), taken out of the first. A
    plain group's other values are those of no terms: not manual, no dates, no phases, no
    discount (its product plays no part then, and is None)."""
    live = S.state.in_(NOT_DEACTIVATED)
    plain = dict(((*row[:-1],), row[-1]) for row in
                 S.select(*PLAIN_FIELDS, ROWS).where(live)
                 .group_by(*PLAIN_FIELDS).order_by().tuples())
    special = list(S.select(*GROUP_FIELDS, ROWS)
                   .where(live & pw.SQL(f"({SPECIAL_TERMS})"))
                   .group_by(*GROUP_FIELDS).order_by().tuples())
    for row in special:
        plain[row[:len(PLAIN_FIELDS)]] -= row[-1]
    return [(*key, *PLAIN_REST, n) for key, n in plain.items() if n] + special


def _fits(values) -> bool:
    return all(map(rows.fits, GROUP_FIELDS, values))


def readable_groups(groups: list[tuple], sane: Callable[[tuple], bool] = _fits,
                    ) -> tuple[list[tuple], bool]:
    """The groups whose values are `sane` (by default: of their columns' types), and whether
    any was not (a store written to by hand: SQLite keeps any value in any column, and either
    engine a quantity of -2); a subscription in a state no rule knows counts as one not."""
    kept = [g for g in groups if sane(g[:-1])]
    return kept, len(kept) != len(groups) or unknown_states(1) != []


def unknown_states(limit: int) -> list[int]:
    """Up to `limit` subscriptions in a state no rule knows (queries.unknown_state). Not
    ordered by id: SQLite would then walk the table in id order rather than seek the gaps."""
    return sorted(i for (i,) in S.select(S.id).where(queries.unknown_state())
                  .limit(limit).tuples())


def unreadable_ids(sane: Callable[[tuple], bool] = _fits, limit: int = 20) -> list[int]:
    """The first subscriptions (not deactivated) whose report values are not `sane`, or whose
    state is unknown: read only once a group was found so, to name them."""
    query = S.select(S.id, *GROUP_FIELDS).where(S.state.in_(NOT_DEACTIVATED)).order_by(S.id)
    found = unknown_states(limit)
    for sub_id, *values in query.tuples().iterator():
        if not sane(values):
            found.append(sub_id)
            if len(found) == limit:
                break
    return sorted(found)[:limit]


_TERMS = [REPORT_GROUP.index(name) for name in (
    "manual_renew", "pause_date", "resume_date", "cancel_date", "end_date", "rebills_left",
    "discount_type")]  # SPECIAL_TERMS, column by column


def group_of(values: tuple) -> tuple:
    """The key subscription_groups gives a subscription with these REPORT_GROUP values."""
    if any(values[i] is not None and values[i] is not False for i in _TERMS):
        return tuple(values)
    return (*values[:len(PLAIN_FIELDS)], *PLAIN_REST)


def addon_groups() -> dict[tuple, int]:
    """The same groups -> their subscriptions' add-ons summed (price x quantity), read from the
    add-on rows (few) and their subscriptions by id."""
    SA = SubscriptionAddon
    # CROSS JOIN: SQLite reads the add-on rows first (a store may have none), not every
    # subscription; PostgreSQL plans it as the inner join it is
    rows = (SA.select(*GROUP_FIELDS, pw.fn.SUM(SA.price * SA.quantity))
            .join(S, pw.JOIN.CROSS).where(SA.subscription == S.id, S.state.in_(NOT_DEACTIVATED))
            .group_by(*GROUP_FIELDS).order_by().tuples())
    found: dict[tuple, int] = {}
    for row in rows:
        key = group_of(row[:-1])
        found[key] = found.get(key, 0) + int(row[-1])
    return found


def subscriptions_with_addons(where) -> list[int]:
    """The ids of the subscriptions `where` selects that carry add-ons."""
    SA = SubscriptionAddon
    return [i for (i,) in SA.select(SA.subscription).distinct()
            .join(S, pw.JOIN.CROSS).where(SA.subscription == S.id, where).tuples()]


def count_in_state(state: str) -> int:
    return S.select(ROWS).where(S.state == state).scalar() or 0


def completed_by_day(first: dt.date, last: dt.date) -> list[tuple[dt.date, str, str, int]]:
    """(date, currency, kind, amount summed) of the charges completed from `first` to `last`
    (store dates of the attempts), in date order (the charge_completed index)."""
    p = database.param
    rows = database.execute_sql(
        f"SELECT date, currency, kind, SUM(amount) FROM charge WHERE {CHARGES_COMPLETED} "
        f"AND date >= {p} AND date <= {p} GROUP BY date, currency, kind ORDER BY date",
        (first, last)).fetchall()
    return [(_day(day), currency, kind, int(total)) for day, currency, kind, total in rows]


# What began a dunning (R-DUN-1): a declined rebill, resume or proration charge; retries are
# its continuation. What ended it well: a completed retry or payment for the same scheduled
# date. Which hand made that retry: an operator action recorded at the same store time on the
# same subscription that took it from overdue to collected (a new payment method, R-DUN-5, or
# a retry now, R-CHARGE-3); none: the daily retry (R-DUN-2).
DECLINE_KINDS = ("rebill", "resume", "prorate")
COLLECTING_ACTIONS = ("payment", "charge")
_OVERDUE = "%" + json.dumps({"state": "overdue"})[1:-1] + "%"  # as journal.audit writes it
# the collections are read once through their small index, then matched to each decline
# (without MATERIALIZED SQLite would look each up among every charge of the subscription)
_MATERIALIZED = "MATERIALIZED " if sqlite3.sqlite_version_info >= (3, 35) else ""


def declines(first: dt.date, last: dt.date) -> list[tuple]:
    """The dunnings begun from `first` to `last`, grouped: (currency, date declined, date
    collected or None, kind of the collecting charge or None, the operator action that
    collected it or None, deactivated now, how many, amount declined, amount collected)."""
    p = database.param
    kinds = ", ".join([p] * len(DECLINE_KINDS))
    actions = ", ".join([p] * len(COLLECTING_ACTIONS))
    sql = (
        f"WITH got AS {_MATERIALIZED}(SELECT subscription_id, scheduled_date, date, kind, "
        f"amount, at FROM charge WHERE {CHARGES_COLLECTED} AND date >= {p}) "
        "SELECT d.currency, d.date, r.date, r.kind, a.action, "
        "CASE WHEN s.state = 'deactivated' THEN 1 ELSE 0 END, COUNT(*), SUM(d.amount), "
        "SUM(r.amount) "
        "FROM charge d JOIN subscription s ON s.id = d.subscription_id "
        "LEFT JOIN got r ON r.subscription_id = d.subscription_id "
        "AND r.scheduled_date = d.scheduled_date "
        "LEFT JOIN audit a ON a.subscription_id = r.subscription_id AND a.at = r.at "
        f"AND a.action IN ({actions}) AND a.before LIKE {p} AND a.after NOT LIKE {p} "
        f"WHERE d.{CHARGES_FAILED} AND d.kind IN ({kinds}) AND d.date >= {p} "
        f"AND d.date <= {p} "
        "GROUP BY d.currency, d.date, r.date, r.kind, a.action, "
        "CASE WHEN s.state = 'deactivated' THEN 1 ELSE 0 END")
    params = [first, *COLLECTING_ACTIONS, _OVERDUE, _OVERDUE, *DECLINE_KINDS, first, last]
    return [(currency, _day(declined), _day(collected), kind, action, bool(gone), int(n),
             int(amount), int(got or 0))
            for currency, declined, collected, kind, action, gone, n, amount, got
            in database.execute_sql(sql, params).fetchall()]


def case_counts(now: dt.datetime) -> list[tuple[int, int, int]]:
    """(severity, cases open, of them past a target) for the cases not closed; past a target:
    the target that is next due (cases.model.next_due, kept in due_at) is before now."""
    past = pw.Case(None, [(Case.due_at < now, 1)], 0)
    return [(severity, int(n), int(late or 0)) for severity, n, late in
            Case.select(Case.severity, ROWS, pw.fn.SUM(past))
            .where(Case.status != "Closed").group_by(Case.severity).order_by(Case.severity)
            .tuples()]


# --- the attention list ---------------------------------------------------------------------

def audit_rows(action: str) -> list[tuple[int, int | None, dt.datetime, str | None]]:
    """(id, subscription, store time, detail) of the audit rows of one action, oldest first,
    through the audit_action index."""
    A = Audit
    return list(A.select(A.id, A.subscription, A.at, A.detail).where(A.action == action)
                .order_by(A.id).tuples())


def runs_of(ids: list[int]) -> dict[int, tuple[str, dt.date | None]]:
    """subscription id -> (state, last_run) for the given ids."""
    from .bulkload import variable_limit

    found: dict[int, tuple[str, dt.date | None]] = {}
    step = variable_limit()
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        for sub_id, state, last_run in (S.select(S.id, S.state, S.last_run)
                                        .where(S.id.in_(chunk)).tuples()):
            found[sub_id] = (state, last_run)
    return found


def references_present(references: list[str]) -> set[str]:
    """Those of the referenceIds that a subscription of the store carries."""
    from .bulkload import variable_limit

    present: set[str] = set()
    step = variable_limit()
    for start in range(0, len(references), step):
        chunk = references[start:start + step]
        present.update(r for (r,) in S.select(S.reference_id)
                       .where(S.reference_id.in_(chunk)).tuples())
    return present


def overdue() -> list:
    """The overdue subscriptions with what their dunning needs, as light rows with the
    model's field names (through the state index)."""
    return list(S.select(S.id, S.state, S.reference_id, S.currency, S.overdue_since,
                         S.dunning_next, S.dunning_kind, S.dunning_amount,
                         S.deactivate_after_days, S.overdue_notice_days, S.manual_renew)
                .where(S.state == "overdue").order_by(S.id).namedtuples())


def cases_past_target(now: dt.datetime) -> list:
    """Open cases whose next target (due_at) has passed, most overdue first, as light rows
    with the model's field names."""
    return list(Case.select(Case.id, Case.subject, Case.severity, Case.status, Case.due_at,
                            Case.first_response_at)
                .where(Case.due_at < now, Case.status != "Closed")
                .order_by(Case.due_at, Case.id).namedtuples())
