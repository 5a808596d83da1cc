"""Pilot tests: each subscription flow from the subscriptions screen to its confirmation,
driven by keys and checked against the store; going back changes nothing."""

import datetime as dt

import pytest
from textual.widgets import Input

from opsconsole.store.models import Audit, Subscription
from tests.tui.conftest import SIZE, open_first, settle, writes


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


async def test_search_as_you_type_and_open(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lamport")
        await settle(pilot)
        table = app.screen.query_one("#subs")
        assert table.row_count == 1
        await pilot.press("enter")  # back to the table
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_id == 12


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["wide", "narrow"])
async def test_paging_keeps_a_bounded_window(console, monkeypatch, size):
    """Narrow too: paging once dropped the narrow layout and emptied the table."""
    from opsconsole.tui.screens import subscriptions

    monkeypatch.setattr(subscriptions, "PAGE", 10)
    monkeypatch.setattr(subscriptions, "WINDOW", 20)
    app = console()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        screen = app.screen
        assert len(screen.rows) == 10
        for _ in range(45):
            await pilot.press("down")
            await settle(pilot, rounds=2)
        assert len(screen.rows) <= 20 and not screen.at_start
        assert screen.query_one("#subs").row_count == len(screen.rows)
        seen = screen.rows[screen.query_one("#subs").cursor_row]["id"]
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
        assert "give the currency to reprice" in str(app.screen.query_one("#summary").render())


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


async def test_resume_flow_charges_now(console):
    from opsconsole import clock
    from opsconsole.tui.screens.detail import SubscriptionScreen

    clock.run_days(until=dt.date(2026, 2, 4))  # LEG-1009 (10) paused on 02-03
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(SubscriptionScreen(10))
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert Subscription.get_by_id(10).state == "paused"
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        sub = Subscription.get_by_id(10)
        assert sub.state == "active" and sub.next_charge_date == dt.date(2026, 3, 4)


async def test_a_busy_store_is_a_message(console, monkeypatch):
    import peewee

    from opsconsole.billing import actions

    def locked(*args, **kwargs):
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(actions, "preview_charge", locked)
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_first(pilot)
        await pilot.press("m")
        await settle(pilot)
        assert any("busy" in n.message for n in app._notifications) and app.is_running
