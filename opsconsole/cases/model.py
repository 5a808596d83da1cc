"""One case's derived facts: when it is due, whether it is breached, its JSON view."""

import datetime as dt

from ..errors import Unreadable, readable
from ..store import rows
from ..store.context import iso
from ..store.models import Case, CaseEscalation, CaseNote
from . import rules

# what a case's values can be: one no command writes (a severity of 99, a store written to by
# hand) is named, never shown or acted on as what it would make of it
_CHECKS = (
    ("severity", lambda v: v in rules.SEVERITY_NAMES, "0 (Highest) to 3 (Low)"),
    ("status", lambda v: v in rules.STATUSES, "one of " + ", ".join(rules.STATUSES)),
    ("category", lambda v: v in rules.CATEGORIES, "one of " + ", ".join(rules.CATEGORIES)),
    ("kind", lambda v: v in ("seller", "consumer"), "seller or consumer"),
)


def problems(case: Case, keys: bool = False) -> list[tuple]:
    """(what, value[, expected]) for each value of a case no case can hold; `keys`: also a
    subscription it names that the store lacks (one query)."""
    found: list[tuple] = list(rows.unreadable(Case, case))
    if not found:
        found = [(name, case.__data__.get(name), expected) for name, ok, expected in _CHECKS
                 if not ok(case.__data__.get(name))]
    if not found and keys:
        found = list(rows.dangling(Case, case))
    return found


def require(case: Case, keys: bool = True) -> None:
    """Refuse (Unreadable, naming each value) a case no rule can be run on."""
    found = problems(case, keys)
    if found:
        raise Unreadable("case", case.id, found)


def due_target(case: Case) -> str | None:
    """Which target comes next: 'response' before a first response, then 'update' after
    each update. None once a resolution is in hand: Pending Closure (the handbook's targets
    run until a resolution is identified) and Closed."""
    if case.status in ("Closed", "Pending Closure"):
        return None
    return "response" if case.first_response_at is None else "update"


def next_due(case: Case, timezone: str) -> tuple[str, dt.datetime] | None:
    """The target that comes next and when: ('response', t) or ('update', t); None when
    none runs (due_target)."""
    target = due_target(case)
    if target is None:
        return None
    if target == "response":
        return "response", rules.response_due(case.opened_at, case.severity)
    last_update = case.last_update_at
    assert last_update is not None  # a first response is an update too (actions.add_note)
    return "update", rules.update_due(last_update, case.severity, timezone)


def due_words(case: dict, short: bool = False) -> str:
    """A case's next target in words, from its view's `next_due`: 'first response due
    2026-02-03T09:00…' (short: 'reply 02-03 09:00'); '' when none is running."""
    due = case.get("next_due")
    if not due:
        return ""
    if short:
        return f"{'reply' if due['target'] == 'response' else 'update'} " \
               f"{due['at'][5:16].replace('T', ' ')}"
    return f"{'first response' if due['target'] == 'response' else 'update'} due {due['at']}"


def refresh(case: Case, timezone: str) -> None:
    due = next_due(case, timezone)
    case.due_at = due[1] if due else None


def breached(case: Case, now: dt.datetime) -> bool:
    return case.due_at is not None and now > case.due_at


def as_dict(case: Case, now: dt.datetime, timezone: str, full: bool = False) -> dict:
    due = next_due(case, timezone)
    data = {
        "id": case.id,
        "subject": case.subject,
        "category": case.category,
        "status": case.status,
        "severity": case.severity,
        "severity_name": rules.SEVERITY_NAMES[case.severity],
        "response_due": iso(rules.response_due(case.opened_at, case.severity), timezone),
        "next_update_due": iso(due[1], timezone) if due and due[0] == "update" else None,
        "breached": breached(case, now),
        # the one next target (next_due): what every list and view shows as "due"
        "next_due": {"target": due[0], "at": iso(due[1], timezone)} if due else None,
        "subscription": case.subscription_id,
        "kind": case.kind,
        "opened_at": iso(case.opened_at, timezone),
        "first_response_at": iso(case.first_response_at, timezone)
        if case.first_response_at else None,
        "closed_at": iso(case.closed_at, timezone) if case.closed_at else None,
    }
    if full:
        data.update(
            description=case.description, steps=case.steps,
            attachments=rows.loads(case.attachments, "case", case.id, "attachments"),
            order=case.order_ref,
            descriptor=case.descriptor,
            qualifications=[a for a in rules.AREAS if getattr(case, "q_" + a)],
            satisfaction={"score": case.satisfaction_score,
                          "comment": case.satisfaction_comment}
            if case.satisfaction_score else None,
            notes=[{"side": n.side, "author": n.author, "text": n.text,
                    "at": iso(n.at, timezone)} for n in case.notes.order_by(CaseNote.id)],
            escalations=[{"who": e.who, "why": e.why, "at": iso(e.at, timezone),
                          "severity_before": e.severity_before,
                          "severity_after": e.severity_after}
                         for e in case.escalations.order_by(CaseEscalation.id)])
    return data


def listing(now: dt.datetime, timezone: str, status: str | None = None,
            severity: int | None = None, breached_only: bool = False,
            unread: list[Unreadable] | None = None) -> list[dict]:
    """Cases by what is due first (closed ones last), then severity. A case holding values
    no case can is left out, and added to `unread` to be named."""
    query = Case.select()
    if status:
        query = query.where(Case.status == rules.status(status))
    if severity is not None:
        if severity not in rules.SEVERITY_NAMES:
            raise_severity(severity)
        query = query.where(Case.severity == severity)
    if breached_only:
        query = query.where(Case.due_at < now)
    query = query.order_by(Case.due_at.is_null(), Case.due_at, Case.severity, Case.id)
    def listed(case: Case) -> dict:
        require(case, keys=False)
        return as_dict(case, now, timezone)

    return list(readable(query, listed, unread))


def raise_severity(value: int) -> None:
    from ..errors import DomainError

    raise DomainError(f"severity is 0 (Highest) to 3 (Low), not {value}")
