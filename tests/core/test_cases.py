"""Section 8: support cases, R-CASE-1..7."""

import datetime as dt

import pytest

from opsconsole import clock
from opsconsole.cases import actions, model, rules
from opsconsole.errors import DomainError
from opsconsole.store.models import Audit, Case, Event, Store
from tests.conftest import d


def set_clock(moment: dt.datetime) -> None:
    """Put the store clock at a time of day (run-day only moves whole days)."""
    Store.update(clock=moment).execute()


def case_events(case_id, type_):
    return [e.at for e in Event.select().where(Event.case == case_id, Event.type == type_)]


def test_R_CASE_1_a_case_and_what_it_holds(store, tmp_path):
    shot = tmp_path / "screenshot.png"
    shot.write_bytes(b"png")
    sub = store.sub()
    case = actions.open_case("Rebill missing", "subscriptions", "No charge on the 1st",
                             "Open the sub; look at charges", [str(shot)], sub)
    row = Case.get_by_id(case["id"])
    assert (row.kind, row.category, row.subscription_id, row.status) == \
        ("seller", "Subscriptions", sub, "New")
    assert case["subscription"] == sub
    full = model.as_dict(row, row.opened_at, "UTC", full=True)
    assert full["attachments"] == [str(shot)] and full["steps"].startswith("Open the sub")
    consumer = actions.open_case("Charged twice", "Transactions", order="FS-123",
                                 descriptor="FSPRG*SHOP")
    assert Case.get_by_id(consumer["id"]).kind == "consumer"
    with pytest.raises(DomainError, match="billing descriptor"):
        actions.open_case("Charged twice", "Transactions", order="FS-123", kind="consumer")
    with pytest.raises(DomainError, match="unknown category 'Billing'"):
        actions.open_case("x", "Billing")
    with pytest.raises(DomainError, match="does not exist"):
        actions.open_case("x", "API", attachments=[str(tmp_path / "missing.png")])
    with pytest.raises(DomainError, match="no subscription"):
        actions.open_case("x", "API", subscription="NOPE")
    assert Case.select().count() == 2


@pytest.mark.parametrize("areas,severity", [
    ("severity,breadth,urgency,visibility", 0), ("severity,breadth,urgency", 1),
    ("urgency,visibility", 2), ("breadth", 2), ("", 3)])
def test_R_CASE_2_severity_from_the_areas_met(store, areas, severity):
    assert actions.open_case("x", "API", qualify=areas)["severity"] == severity


def test_R_CASE_2_unknown_area_is_refused(store):
    with pytest.raises(DomainError, match="unknown qualification area 'impact'"):
        actions.open_case("x", "API", qualify="severity,impact")


@pytest.mark.parametrize("areas,hours", [("severity,breadth,urgency,visibility", 1),
                                         ("severity,breadth,urgency", 4), ("urgency", 12),
                                         ("", 24)])
def test_R_CASE_3_first_response_due_after_opening(store, areas, hours):
    set_clock(dt.datetime(2026, 1, 30, 9, 30))
    case = actions.open_case("x", "API", qualify=areas)
    opened = dt.datetime(2026, 1, 30, 9, 30)
    assert case["response_due"] == (opened + dt.timedelta(hours=hours)).isoformat() + "+00:00"


def test_R_CASE_3_severity_1_updated_friday_afternoon_is_due_monday(make_store):
    make_store("2026-03-06", timezone="America/Los_Angeles")  # a Friday
    case = actions.open_case("x", "API", qualify="severity,breadth,urgency")
    set_clock(dt.datetime(2026, 3, 6, 15, 0))
    shown = actions.add_note(case["id"], "We are on it")
    assert shown["next_update_due"] == "2026-03-09T15:00:00-07:00"  # Monday (DST began Sunday)


def test_R_CASE_3_business_days_are_counted_in_los_angeles(store):
    # 23:00 UTC on Friday is 15:00 in Los Angeles: still Friday there
    friday = dt.datetime(2026, 1, 30, 23, 0)
    assert rules.update_due(friday, 1, "UTC") == dt.datetime(2026, 2, 2, 23, 0)
    assert rules.update_due(friday, 2, "UTC") == dt.datetime(2026, 2, 6, 23, 0)
    assert rules.update_due(friday, 3, "UTC") == dt.datetime(2026, 2, 27, 23, 0)
    assert rules.update_due(friday, 0, "UTC") == dt.datetime(2026, 1, 31, 11, 0)  # 24/7
    # 08:00 UTC on Saturday is still Friday, 00:00, in Los Angeles
    assert rules.update_due(dt.datetime(2026, 1, 31, 8, 0), 1, "UTC") == \
        dt.datetime(2026, 2, 2, 8, 0)


def test_R_CASE_3_a_support_note_is_the_response_and_an_update(store):
    case = actions.open_case("x", "API", qualify="urgency")  # severity 2
    customer = actions.add_note(case["id"], "Any news?", side="customer")
    assert customer["first_response_at"] is None and customer["next_update_due"] is None
    set_clock(dt.datetime(2026, 1, 30, 8, 0))
    support = actions.add_note(case["id"], "Investigating")
    assert support["first_response_at"] == "2026-01-30T08:00:00+00:00"
    assert support["next_update_due"] == "2026-02-06T08:00:00+00:00"


def test_R_CASE_3_breach_flags_flip_as_run_day_passes_the_due_time(store):
    set_clock(dt.datetime(2026, 1, 30, 20, 0))
    high = actions.open_case("x", "API", qualify="severity,breadth,urgency")  # due 00:00
    low = actions.open_case("y", "API")  # due 01-31 20:00
    assert not any(c["breached"] for c in model.listing(Store.get().clock, "UTC"))
    clock.run_days(days=1)  # 01-31 00:00: exactly due is not yet late
    assert [c["breached"] for c in model.listing(Store.get().clock, "UTC")] == [False, False]
    clock.run_days(days=1)  # 02-01 00:00: both past
    rows = {c["id"]: c["breached"] for c in model.listing(Store.get().clock, "UTC")}
    assert rows == {high["id"]: True, low["id"]: True}
    assert case_events(high["id"], "case.breached") == [dt.datetime(2026, 2, 1)]
    clock.run_days(days=3)
    assert len(case_events(high["id"], "case.breached")) == 1  # recorded once
    actions.add_note(high["id"], "Answer")
    assert not model.as_dict(Case.get_by_id(high["id"]), Store.get().clock, "UTC")["breached"]
    breached = model.listing(Store.get().clock, "UTC", breached_only=True)
    assert [c["id"] for c in breached] == [low["id"]]


def test_R_CASE_4_any_status_to_any_other_but_closed_is_final(store):
    case = actions.open_case("x", "API")["id"]
    for status in ("Open", "Working", "Pending Internal", "On Hold", "working", "pending-closure",
                   "New"):
        assert actions.set_status(case, status)["status"] == rules.status(status)
    with pytest.raises(DomainError, match="already New"):
        actions.set_status(case, "New")
    with pytest.raises(DomainError, match="unknown status 'Done'"):
        actions.set_status(case, "Done")
    for nothing in ("", "  ", None):  # the console's Move with no status chosen
        with pytest.raises(DomainError, match="^no status given; one of New, "):
            actions.set_status(case, nothing)
    actions.set_status(case, "Closed")
    audits = Audit.select().count()
    for status in rules.STATUSES[:-1]:
        with pytest.raises(DomainError, match="cannot be reopened"):
            actions.set_status(case, status)
    with pytest.raises(DomainError, match="Closed"):
        actions.add_note(case, "hello?")
    assert Audit.select().count() == audits
    assert Case.get_by_id(case).status == "Closed"


def test_R_CASE_5_pending_closure_closes_on_the_fifth_day_not_the_fourth(make_store):
    make_store("2026-02-03")
    case = actions.open_case("x", "API")["id"]
    set_clock(dt.datetime(2026, 2, 3, 16, 0))
    actions.set_status(case, "Pending Closure")  # entered on the 3rd
    reports = clock.run_days(until=d("2026-02-07"))
    assert Case.get_by_id(case).status == "Pending Closure"
    assert sum(r["counts"]["cases_closed"] for r in reports) == 0
    reports = clock.run_days(until=d("2026-02-08"))
    row = Case.get_by_id(case)
    assert row.status == "Closed" and row.closed_at == dt.datetime(2026, 2, 8)
    assert reports[-1]["counts"]["cases_closed"] == 1
    assert case_events(case, "case.closed") == [dt.datetime(2026, 2, 8)]


def test_R_CASE_6_a_note_on_pending_closure_moves_it_back_to_working(make_store):
    make_store("2026-02-03")
    case = actions.open_case("x", "API")["id"]
    actions.set_status(case, "Pending Closure")
    clock.run_days(until=d("2026-02-05"))
    assert actions.add_note(case, "It happened again", side="customer")["status"] == "Working"
    clock.run_days(until=d("2026-02-12"))
    assert Case.get_by_id(case).status == "Working"


def test_R_CASE_7_escalation_records_who_and_why_and_raises_priority(store):
    case = actions.open_case("x", "API", qualify="urgency")["id"]  # severity 2
    shown = actions.escalate(case, "Revenue impact growing", operator="maria")
    assert shown["severity"] == 1
    full = model.as_dict(Case.get_by_id(case), Store.get().clock, "UTC", full=True)
    assert full["escalations"] == [{"who": "maria", "why": "Revenue impact growing",
                                    "at": "2026-01-30T00:00:00+00:00", "severity_before": 2,
                                    "severity_after": 1}]
    assert shown["response_due"] == "2026-01-30T04:00:00+00:00"  # the high target now
    with pytest.raises(DomainError, match="why"):
        actions.escalate(case, "  ")


def test_R_CASE_7_a_closed_case_takes_a_score_and_a_comment(store):
    case = actions.open_case("x", "API")["id"]
    with pytest.raises(DomainError, match="only a closed case"):
        actions.survey(case, 5)
    actions.set_status(case, "Closed")
    for score in (0, 6):
        with pytest.raises(DomainError, match="1 to 5"):
            actions.survey(case, score)
    actions.survey(case, 4, "Quick and clear")
    row = Case.get_by_id(case)
    assert (row.satisfaction_score, row.satisfaction_comment) == (4, "Quick and clear")
    with pytest.raises(DomainError, match="already"):
        actions.survey(case, 5)


def test_R_CASE_3_no_breach_is_recorded_for_a_case_without_a_target(store):
    """Pending Closure has no target; a stale due time on such a case is not a breach."""
    case = actions.open_case("x", "API")["id"]
    actions.set_status(case, "Pending Closure")
    Case.update(due_at=dt.datetime(2026, 1, 30, 1, 0)).where(Case.id == case).execute()
    clock.run_days(days=2)
    assert case_events(case, "case.breached") == []


def test_R_CASE_3_a_case_s_next_due_is_said_the_same_everywhere(store):
    """One computation (model.next_due) behind the JSON, `cases show`, `cases list` and the
    console: a Pending Closure case with no response has no target running in any of them."""
    from opsconsole.views.cases import due_text

    case = actions.open_case("Where is my refund", "Transactions", qualify="urgency",
                             operator="t")
    view = model.as_dict(Case.get_by_id(case["id"]), *_now())
    assert view["next_due"]["target"] == "response"
    assert model.due_words(view).startswith("first response due 2026-")
    assert due_text(view).startswith("reply ")
    actions.set_status(case["id"], "Pending Closure", operator="t")
    view = model.as_dict(Case.get_by_id(case["id"]), *_now())
    assert view["next_due"] is None
    assert model.due_words(view) == "" and due_text(view) == "—"
    listed = next(c for c in model.listing(*_now()) if c["id"] == case["id"])
    assert listed["next_due"] is None


def _now():
    from opsconsole.store import context

    ctx = context.current()
    return ctx.now, ctx.timezone


def test_R_INPUT_3_a_case_whose_work_fails_is_set_aside_and_the_day_finishes(store, engine):
    """As a subscription never stops a day, neither does a case written to by hand: its work
    is rolled back, it is named, the others' work stands, and the clock reaches the date."""
    broken = actions.open_case("Broken", "subscriptions")["id"]
    closing = actions.open_case("Done", "subscriptions")["id"]
    actions.set_status(closing, "Pending Closure", operator="t")
    # severity 99: of the column's type on either engine, and no target has it
    Case.update(severity=99).where(Case.id == broken).execute()
    reports = clock.run_days(days=6)
    aside = [s for r in reports for s in r["set_aside"]]
    assert aside and all(s["case"] == broken for s in aside)
    assert Case.get_by_id(closing).status == "Closed"  # R-CASE-5 on its fifth day, as ever
    assert clock.today() == d("2026-02-05")
    audit = Audit.get(Audit.action == "set-aside")
    assert audit.subscription_id is None and f'"case": {broken}' in audit.detail
    if engine == "sqlite":  # a value of another type is named
        Case.update(severity="x").where(Case.id == broken).execute()
        [report] = clock.run_days(days=1)
        assert report["set_aside"] == [{"case": broken, "error": "it holds severity 'x', which "
                                        "the store cannot read"}]
