"""The dashboard (key 4) and the attention list (!, its count in every screen's header):
they show what views.report and views.attention compute, and follow the store as it changes
(R-ATTN-1). The figures themselves are proved against hand-computed answers in tests/report."""

import pytest

from opsconsole import clock
from opsconsole.billing import actions
from opsconsole.views import attention, report
from tests.tui.conftest import SIZE, settle
from tests.tui.test_snapshots import BIG, SMALL, snap


def text_of(app, selector: str) -> str:
    import io

    from rich.console import Console

    out = Console(width=200, record=True, file=io.StringIO())
    out.print(app.screen.query_one(selector).content)
    return out.export_text()


async def test_the_dashboard_shows_the_report_and_follows_a_day_run(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("4")
        await settle(pilot)
        figures = report.report()
        for row in figures["mrr"]:
            assert row["amount"] in text_of(app, "#dash-mrr")
        assert f"{figures['scheduled']['charges']} charges" in \
            app.screen.chart_titles["#dash-scheduled"]
        await pilot.press("d")  # the next day, run from the dashboard
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        after = report.report()
        assert after["date"] == "2026-01-31" and after != figures
        for row in after["mrr"]:
            assert row["amount"] in text_of(app, "#dash-mrr")


def overdue_on_its_last_retry() -> int:
    """A subscription whose card declines, run past its last retry day (R-DUN-2)."""
    clock.run_days(days=12)
    found = [i for i in attention.attention()["items"] if i["kind"] == "last-retry"]
    assert found, "the demo has a declining card that reaches its last retry by then"
    return int(found[0]["id"])


async def test_R_ATTN_1_the_header_counts_what_waits_and_enter_goes_to_it(console, demo_db):
    sub_id = overdue_on_its_last_retry()
    waiting = attention.count()
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"{waiting} need attention (!)" in app.sub_title
        await pilot.press("exclamation_mark")
        await settle(pilot)
        table = app.screen.query_one("#attention")
        assert table.row_count == waiting
        assert str(table.get_row_at(0)[1]) == f"sub {sub_id}"
        await pilot.press("enter")  # to the subscription, where C sets a card
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"
        assert app.screen.sub_id == sub_id
        actions.set_payment(sub_id, "tok_visa", operator="tester")  # the cause is gone
        app.store_changed()
        await settle(pilot)
        assert f"{waiting - 1} need" in app.sub_title
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#attention").row_count == waiting - 1


async def test_nothing_waiting_says_so_and_the_header_has_no_count(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "attention" not in app.sub_title
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert "Nothing needs you" in text_of(app, "#attention-how")


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_dashboard_screen(snap_compare, console, demo_db, size):
    clock.run_days(days=12)  # charges behind and ahead, declines, late cases
    assert snap(snap_compare, console(), "4", size=size)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_attention_screen(snap_compare, console, demo_db, size):
    overdue_on_its_last_retry()
    assert snap(snap_compare, console(), "exclamation_mark", size=size)


@pytest.mark.parametrize("key, module, reader", [("4", "dashboard", "report"),
                                                 ("exclamation_mark", "attention", "attention")])
async def test_a_reading_screen_reads_once_when_first_shown(console, monkeypatch, key, module,
                                                           reader):
    """On a million subscriptions the report takes half a second: opening the dashboard once
    read it twice at the same time (on mount and on resume), and took twice as long."""
    import importlib

    screen_module = importlib.import_module(f"opsconsole.tui.screens.{module}")
    calls = []
    real = getattr(screen_module, reader)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(screen_module, reader, counted)
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("1")
        await settle(pilot)
        await pilot.press(key)  # back in front: read again, once
        await settle(pilot)
        assert len(calls) == 2


async def test_enter_typed_after_down_acts_on_the_item_the_cursor_reached(console, demo_db):
    """`Down Enter` in one burst: Enter is a priority key here (the table's own would hide it
    from the footer), so it acted as it arrived, on the row before the Down moved."""
    from tests.tui.test_dialogs_trial import _burst

    overdue_on_its_last_retry()
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        items = app.screen.items
        assert len(items) >= 2 and items[1]["subject"] in ("subscription", "case")
        _burst(app, ("down", None), ("enter", "\r"))
        await settle(pilot)
        opened = app.screen
        shown = getattr(opened, "sub_id", None) or getattr(opened, "case_id", None)
        assert shown == int(items[1]["id"]), (type(opened).__name__, items[:2])
