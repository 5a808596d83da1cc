"""Pilot tests: the clock, support cases, the palette and refreshing, driven by keys and
checked against the store; going back changes nothing."""

import datetime as dt
import time

from textual.widgets import Input

from opsconsole.store.models import Case, Store
from tests.tui.conftest import SIZE, open_first, settle


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


async def test_enter_again_while_days_run_starts_no_second_run(console, monkeypatch):
    """R-CLOCK-2, R-DB-2: the date field still takes enter while the days run; a second run
    beside the first moved the clock under it and charges went missing."""
    from opsconsole import clock
    from opsconsole.store.models import DayRun

    runs = []
    run_days = clock.run_days

    def slow_days(on_day, **kwargs):
        runs.append(kwargs)

        def slowly(report):
            on_day(report)
            time.sleep(0.2)

        return run_days(on_day=slowly, **kwargs)

    monkeypatch.setattr(clock, "run_days", slow_days)
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        app.screen.query_one("#until", Input).value = "2026-02-05"
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("enter")  # again, while the days run
        await settle(pilot, rounds=20)
        assert len(runs) == 1
        assert Store.get().clock.date() == dt.date(2026, 2, 5)
        assert DayRun.select().count() == 6
        assert "Ran 6 days." in str(app.screen.query_one("#run-message").render())


async def test_run_to_today_says_so_and_takes_another_date(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        until = app.screen.query_one("#until", Input)
        until.value = "2026-01-30"  # today
        await pilot.press("enter")
        await settle(pilot)
        assert "Nothing to run" in str(app.screen.query_one("#run-message").render())
        until.value = "2026-02-01"
        await pilot.press("enter")
        await settle(pilot, rounds=20)
        assert Store.get().clock.date() == dt.date(2026, 2, 1)


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
        for wanted in ("Go to cases", "Clock: run the next day", "Pause", "Cancel", "Prorate",
                       "Charge", "Keys",
                       "Cancel pause", "Remove add-on"):  # not in the footer, still offered
            assert wanted in titles, wanted
        assert titles.count("Clock: run the next day") == 1  # the app's, not a hidden copy
        # "clock" finds the clock's three commands (the README says ctrl+p has the clock)
        assert len([t for t in titles if "clock" in t.lower()]) == 3
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"pause")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        from opsconsole.tui.modals.pause import PauseModal

        assert isinstance(app.screen, PauseModal)


async def test_a_case_the_store_cannot_read_keeps_its_place_and_is_refused_where_it_is(console):
    """R-INPUT-1 for cases: a severity of 99 (a store written to by hand) was an internal
    error of the cases screen; the case is shown as unreadable, and opening it says why."""
    Case.update(severity=99).where(Case.id == 2).execute()
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        assert [c["id"] for c in screen.cases if "unreadable" in c] == [2]
        assert len(screen.cases) == Case.select().count()
        table = screen.query_one("DataTable")
        table.move_cursor(row=table.get_row_index("2"))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # no empty case page
        said = [n.message for n in app._notifications]
        assert any("case 2 holds severity 99, which must be 0 (Highest) to 3 (Low)" in m
                   for m in said), said
