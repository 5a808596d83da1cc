"""What an operator does to a case. Each is one transaction with its event and audit row,
or a DomainError and nothing written."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import DomainError
from ..store import context, journal
from ..store.models import Case, CaseEscalation, CaseNote, Subscription, database
from ..text import check as check_text
from . import model, rules

SIDES = ("support", "customer")


def find(ref) -> Case:
    """The case, refused (Unreadable) where it holds a value no case can, as for showing it
    or acting on it."""
    text = str(ref).strip()
    case = Case.get_or_none(Case.id == int(text)) if text.isdigit() and len(text) < 19 else None
    if case is None:
        raise DomainError(f"no case {text!r}")
    model.require(case)
    return case


@contextmanager
def case_action(operator: str | None, name: str,
                ref) -> Iterator[tuple[context.Ctx, Case, dict]]:
    with database.atomic():
        ctx = context.current(operator)
        case = find(ref)
        before = model.as_dict(case, ctx.now, ctx.timezone)
        detail: dict = {}
        yield ctx, case, detail
        model.refresh(case, ctx.timezone)
        case.save()
        after = model.as_dict(case, ctx.now, ctx.timezone)
        journal.event(ctx, f"case.{name}", after, subscription=case.subscription_id, case=case)
        journal.audit(ctx, f"case-{name}", before, after, detail or None, case=case)


def _subscription(ref) -> int | None:
    if ref is None:
        return None
    text = str(ref).strip()
    sub = Subscription.get_or_none(Subscription.id == int(text)) if text.isdigit() and \
        len(text) < 19 else None
    if sub is None:
        sub = Subscription.get_or_none(Subscription.reference_id == text)
    if sub is None:
        raise DomainError(f"no subscription {text!r} to link")
    return sub.id


def _texts(**fields: tuple[str | None, bool]) -> None:
    """R-INPUT-4: no control characters; tabs and newlines only in the long texts."""
    for what, (value, long_text) in fields.items():
        check_text(value, f"the {what}", multiline=long_text)


def open_case(subject: str, category: str, description: str = "", steps: str = "",
              attachments: list[str] | None = None, subscription=None, order: str | None = None,
              descriptor: str | None = None, qualify: str | None = None,
              kind: str | None = None, operator: str | None = None) -> dict:
    """R-CASE-1, R-CASE-2: a new case, its severity from the qualification areas met."""
    subject = (subject or "").strip()
    if not subject:
        raise DomainError("a case needs a subject")
    _texts(subject=(subject, False), description=(description, True), steps=(steps, True),
           order=(order, False), descriptor=(descriptor, False),
           attachment=(" ".join(str(p) for p in attachments or []), False))
    name = rules.category(category)
    areas = rules.parse_areas(qualify)
    kind = kind or ("consumer" if order or descriptor else "seller")
    if kind not in ("seller", "consumer"):
        raise DomainError(f"a case is a seller or a consumer case, not {kind!r}")
    if kind == "consumer" and not (order and descriptor):
        raise DomainError("a consumer case needs the order or invoice number (--order) and "
                          "the billing descriptor (--descriptor)")
    files = [str(p) for p in attachments or []]
    missing = [p for p in files if not Path(p).is_file()]
    if missing:
        raise DomainError(f"attachment {missing[0]} does not exist")
    with database.atomic():
        ctx = context.current(operator)
        case = Case(kind=kind, subject=subject, description=description or "",
                    steps=steps or "", attachments=json.dumps(files), category=name,
                    subscription=_subscription(subscription), order_ref=order,
                    descriptor=descriptor, severity=rules.severity_for(len(areas)),
                    status="New", opened_at=ctx.now, last_communication_at=ctx.now,
                    **{"q_" + a: a in areas for a in rules.AREAS})
        model.refresh(case, ctx.timezone)
        case.save()
        shown = model.as_dict(case, ctx.now, ctx.timezone)
        journal.event(ctx, "case.opened", shown, subscription=case.subscription_id, case=case)
        journal.audit(ctx, "case-new", None, shown, case=case)
        return shown


def set_status(ref, status: str, operator: str | None = None) -> dict:
    new = rules.status(status)
    with case_action(operator, "status", ref) as (ctx, case, detail):
        rules.check_move(case.status, new)
        detail.update({"from": case.status, "to": new})
        case.status = new
        case.pending_since = ctx.now if new == "Pending Closure" else None
        if new == "Closed":
            case.closed_at = ctx.now
    return model.as_dict(case, ctx.now, ctx.timezone)


def add_note(ref, text: str, side: str = "support", operator: str | None = None) -> dict:
    """A note is communication. From the support side it is a response and an update
    (R-CASE-3); on a Pending Closure case it moves it back to Working (R-CASE-6)."""
    text = (text or "").strip()
    if not text:
        raise DomainError("a note needs some text")
    _texts(note=(text, True))
    if side not in SIDES:
        raise DomainError(f"a note is from {' or '.join(SIDES)}, not {side!r}")
    with case_action(operator, "note", ref) as (ctx, case, detail):
        if case.status == "Closed":
            raise DomainError("the case is Closed; it takes no more notes")
        CaseNote.create(case=case, side=side, author=ctx.operator or "unknown", text=text,
                        at=ctx.now)
        case.last_communication_at = ctx.now
        if side == "support":
            case.first_response_at = case.first_response_at or ctx.now
            case.last_update_at = ctx.now
        if case.status == "Pending Closure":
            case.status = "Working"
            case.pending_since = None
            detail["reopened"] = True
    return model.as_dict(case, ctx.now, ctx.timezone)


def escalate(ref, why: str, operator: str | None = None) -> dict:
    """R-CASE-7: raising the priority records who and why; severity moves up one level."""
    why = (why or "").strip()
    if not why:
        raise DomainError("say why the case is escalated")
    _texts(why=(why, True))
    with case_action(operator, "escalated", ref) as (ctx, case, detail):
        if case.status == "Closed":
            raise DomainError("the case is Closed; it cannot be escalated")
        before = case.severity
        case.severity = max(before - 1, 0)
        CaseEscalation.create(case=case, who=ctx.operator or "unknown", why=why, at=ctx.now,
                              severity_before=before, severity_after=case.severity)
        detail.update({"why": why, "severity_before": before, "severity_after": case.severity})
    return model.as_dict(case, ctx.now, ctx.timezone)


def survey(ref, score: int, comment: str | None = None, operator: str | None = None) -> dict:
    """R-CASE-7: a closed case takes a satisfaction score from 1 to 5 and a comment."""
    if not 1 <= score <= 5:
        raise DomainError(f"a satisfaction score is 1 to 5, not {score}")
    _texts(comment=(comment, True))
    with case_action(operator, "survey", ref) as (ctx, case, detail):
        if case.status != "Closed":
            raise DomainError(f"the case is {case.status}; only a closed case takes a survey")
        if case.satisfaction_score is not None:
            raise DomainError("the case already has its survey")
        case.satisfaction_score = score
        case.satisfaction_comment = comment
        detail.update({"score": score, "comment": comment})
    return model.as_dict(case, ctx.now, ctx.timezone)
