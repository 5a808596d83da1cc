"""Pilot tests: each flow driven by keys from the subscriptions screen to its confirmation,
checked against the store; going back changes nothing."""

import datetime as dt

from textual.widgets import DataTable, Input

from opsconsole.store.models import Audit, Case, Event, Store, Subscription
from tests.tui.conftest import settle

SIZE = (120, 40)


def writes() -> tuple[int, int]:
    return Event.select().count(), Audit.select().count()


async def open_first(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_pause_flow_writes_what_the_core_says(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)  # subscription 1, next charge 2026-01-31
        await pilot.press("p", "backspace", "2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        sub = Subscription.get_by_id(1)
        assert (sub.pause_date, sub.resume_date) == (dt.date(2026, 1, 31), dt.date(2026, 3, 28))
        audit = Audit.select().order_by(Audit.id.desc()).get()
        assert (audit.action, audit.operator) == ("pause", "tester")


async def test_pause_back_changes_nothing(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        before = writes()
        await pilot.press("p", "backspace", "3")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert writes() == before and Subscription.get_by_id(1).pause_date is None


async def test_pause_refusal_is_shown_and_writes_nothing(console):
    from opsconsole.tui.screens.detail import SubscriptionScreen

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(SubscriptionScreen(25))  # in its trial
        await settle(pilot)
        before = writes()
        await pilot.press("p")
        await settle(pilot)
        preview = str(app.screen.query_one("#preview").render())
        assert "only an active subscription can be paused" in preview
        await pilot.press("enter")
        await settle(pilot)
        assert writes() == before


async def test_cancel_flow_at_period_end_and_back(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        before = writes()
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert writes() == before
        await pilot.press("c")
        await settle(pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        sub = Subscription.get_by_id(1)
        assert sub.cancel_date == dt.date(2026, 1, 31) and sub.state == "active"


async def test_cancel_now(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("c")
        await settle(pilot)
        await pilot.click("#now")
        await pilot.click("#confirm")
        await settle(pilot)
        assert Subscription.get_by_id(1).state == "deactivated"


async def test_uncancel_and_cancel_pause_ask_first(console):
    from opsconsole.billing import actions

    actions.cancel(1)
    actions.pause(2, 1)
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("n")  # no
        await settle(pilot)
        assert Subscription.get_by_id(1).cancel_date is not None
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert Subscription.get_by_id(1).cancel_date is None
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert Subscription.get_by_id(2).pause_date is None


async def test_next_day_preview_then_run(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert Store.get().clock.date() == dt.date(2026, 1, 30)  # the preview wrote nothing
        await pilot.press("escape")
        await settle(pilot)
        assert Store.get().clock.date() == dt.date(2026, 1, 30)
        await pilot.press("d")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert Store.get().clock.date() == dt.date(2026, 1, 31)
        assert "Sat 2026-01-31" in app.sub_title


async def test_run_to_date_in_a_worker(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        until = app.screen.query_one("#until", Input)
        until.value = "2026-02-10"
        await pilot.press("enter")
        await settle(pilot, rounds=20)
        assert Store.get().clock.date() == dt.date(2026, 2, 10)
        assert Case.get_by_id(6).status == "Closed"  # pending closure, five days on


async def test_search_as_you_type_and_open(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lamport")
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 1
        await pilot.press("enter")  # back to the table
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_id == 12


async def test_paging_keeps_a_bounded_window(console, monkeypatch):
    from opsconsole.tui.screens import subscriptions

    monkeypatch.setattr(subscriptions, "PAGE", 10)
    monkeypatch.setattr(subscriptions, "WINDOW", 20)
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert len(screen.rows) == 10
        for _ in range(45):
            await pilot.press("down")
            await settle(pilot, rounds=2)
        assert len(screen.rows) <= 20 and not screen.at_start
        seen = screen.rows[screen.query_one(DataTable).cursor_row]["id"]
        assert seen in {s.id for s in Subscription.select()}
        await pilot.press("G")
        await settle(pilot)
        assert screen.at_end and screen.rows[-1]["next_charge_date"] is None
        await pilot.press("g")
        await settle(pilot)
        assert screen.at_start and screen.rows[0]["id"] == 1


async def test_a_refusal_is_a_message_not_a_traceback(console):
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_first(pilot)
        await pilot.press("r")  # subscription 1 is not paused
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert any("not paused" in m for m in messages)
        assert app.is_running


async def test_console_refreshes_when_another_process_writes(demo_db):
    import subprocess
    import sys

    from opsconsole.tui.app import make_app

    app = make_app(demo_db, "tester", poll=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        subprocess.run([sys.executable, "-m", "opsconsole", "--db", demo_db, "run-day",
                        "--days", "2"], check=True, capture_output=True)
        await pilot.pause(2.5)
        await settle(pilot)
        assert "2026-02-01" in app.sub_title
        statuses = [r["state"] for r in app.screen.rows]
        assert "overdue" in statuses


async def test_prorate_review_then_confirm(console):
    from opsconsole import clock
    from opsconsole.tui.screens.detail import SubscriptionScreen

    clock.run_days(days=3)  # 2026-02-02: subscription 12 began 2025-08-07 ... too old
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(SubscriptionScreen(26))  # LEG-1025: a trial until 02-03
        await settle(pilot)
        before = writes()
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("backspace", "2")
        await settle(pilot)
        review = str(app.screen.query_one("#review").render())
        assert "only an active subscription can be prorated" in review
        await pilot.press("escape")
        await settle(pilot)
        assert writes() == before
        app.pop_screen()
        app.push_screen(SubscriptionScreen(25))  # LEG-1024: converted on 02-01, began 01-17
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("backspace", "3")
        await settle(pilot)
        from textual.widgets import Button

        assert app.screen.ready and not app.screen.query_one("#confirm", Button).disabled
        await pilot.click("#confirm")
        await settle(pilot)
        sub = Subscription.get_by_id(25)
        assert sub.quantity == 3 and sub.last_prorated == dt.date(2026, 2, 2)
        from opsconsole.store.models import Charge

        row = Charge.select().where(Charge.subscription == 25).order_by(Charge.id.desc()).get()
        assert row.kind == "prorate" and row.status == "completed"


async def test_bulk_price_preview_confirm_apply(console):
    from textual.widgets import Select

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        app.screen.query_one("#bulk-product", Select).value = "weekly-box"
        app.screen.query_one("#value", Input).value = "13.00"
        await settle(pilot)
        assert app.screen.plan["count"] == 8
        before = writes()
        await pilot.click("#apply")
        await settle(pilot)
        await pilot.press("n")  # the confirmation: no
        await settle(pilot)
        assert writes() == before
        await pilot.click("#apply")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        prices = {s.price for s in Subscription.select().where(Subscription.product == 4)}
        assert prices == {1300}


async def test_bulk_price_needs_a_currency_when_several(console):
    from textual.widgets import Select

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        app.screen.query_one("#bulk-product", Select).value = "monthly-pro"
        app.screen.query_one("#value", Input).value = "5"
        await settle(pilot)
        assert "give --currency" in str(app.screen.query_one("#summary").render())


async def test_charge_several_each_on_its_own(console):
    from opsconsole import clock

    clock.run_days(days=1)  # two month-end declines are now overdue
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        rows = app.screen.rows
        kinds = {r["due"]["kind"] for r in rows}
        assert kinds == {"managed", "retry"} and len(rows) == 7
        await pilot.press("a")
        await pilot.click("#charge")
        await settle(pilot, rounds=10)
        from opsconsole.store.models import Charge

        today = Charge.select().where(Charge.date == dt.date(2026, 1, 31),
                                      Charge.kind.in_(["managed", "retry"]))
        assert today.count() == 7
        assert {c.status for c in today} == {"completed", "failed"}


async def test_new_case_with_live_severity(console):
    from textual.widgets import Checkbox, Select

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "n")
        await settle(pilot)
        screen = app.screen
        await pilot.press(*"Refunds fail")
        screen.query_one("#category", Select).value = "Transactions"
        for area in ("severity", "breadth", "urgency"):
            screen.query_one(f"#q-{area}", Checkbox).value = True
        await settle(pilot)
        assert "Severity 1 High" in str(screen.query_one("#severity").render())
        await pilot.click("#confirm")
        await settle(pilot)
        case = Case.select().order_by(Case.id.desc()).get()
        assert (case.subject, case.category, case.severity) == ("Refunds fail",
                                                               "Transactions", 1)


async def test_case_note_status_escalate_survey(console):
    from textual.widgets import Select

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("enter")  # case 2, New, severity 1
        await settle(pilot)
        assert app.screen.case_id == 2
        await pilot.press("n", *"On it", "enter")
        await settle(pilot)
        assert Case.get_by_id(2).first_response_at is not None
        await pilot.press("e", *"Revenue at risk", "enter")
        await settle(pilot)
        assert Case.get_by_id(2).severity == 0
        await pilot.press("v")
        await settle(pilot)
        app.screen.query_one("#score", Select).value = 5
        await pilot.click("#confirm")
        await settle(pilot)
        assert "only a closed case" in str(app.screen.query_one("#form-message").render())
        await pilot.press("escape", "s")
        await settle(pilot)
        app.screen.query_one("#new-status", Select).value = "Closed"
        await pilot.click("#confirm")
        await settle(pilot)
        assert Case.get_by_id(2).status == "Closed"
        await pilot.press("v")
        await settle(pilot)
        app.screen.query_one("#score", Select).value = 4
        await pilot.click("#confirm")
        await settle(pilot)
        assert Case.get_by_id(2).satisfaction_score == 4


async def test_command_palette_offers_the_screen_actions(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Go to cases", "Run the next day", "Pause", "Cancel", "Prorate",
                       "Charge"):
            assert wanted in titles, wanted
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"pause")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        from opsconsole.tui.modals.pause import PauseModal

        assert isinstance(app.screen, PauseModal)
