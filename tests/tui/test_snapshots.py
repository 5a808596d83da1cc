"""Snapshots of every screen and the key states of each flow, on the demo store."""

import pytest

from tests.tui.conftest import settle

BIG, SMALL = (120, 40), (80, 24)


def snap(snap_compare, app, *keys, size=BIG, before=None):
    async def run_before(pilot):
        await settle(pilot)
        if before:
            await before(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return snap_compare(app, run_before=run_before, terminal_size=size)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_subscriptions_screen(snap_compare, console, size):
    assert snap(snap_compare, console(), size=size)


def test_search_as_you_type(snap_compare, console):
    assert snap(snap_compare, console(), "slash", *"hop")


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_subscription_detail(snap_compare, console, size):
    assert snap(snap_compare, console(), "enter", size=size)


def test_pause_preview(snap_compare, console):
    assert snap(snap_compare, console(), "enter", "p", "backspace", "2")


def test_pause_refused_for_a_trial(snap_compare, console):
    async def open_trial(pilot):
        from opsconsole.tui.screens.detail import SubscriptionScreen

        pilot.app.push_screen(SubscriptionScreen(25))  # LEG-1024, in its trial
        await settle(pilot)

    assert snap(snap_compare, console(), "p", before=open_trial)


def test_cancel_choice(snap_compare, console):
    assert snap(snap_compare, console(), "enter", "c")


def test_resume_confirmation(snap_compare, console):
    async def paused(pilot):
        from opsconsole import clock
        from opsconsole.tui.screens.detail import SubscriptionScreen

        clock.run_days(until=__import__("datetime").date(2026, 2, 4))  # LEG-1009 pauses 02-03
        pilot.app.store_changed()
        pilot.app.push_screen(SubscriptionScreen(10))
        await settle(pilot)

    assert snap(snap_compare, console(), "r", before=paused)


def test_next_day_preview(snap_compare, console):
    assert snap(snap_compare, console(), "d")


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_day_report(snap_compare, console, size):
    assert snap(snap_compare, console(), "d", "enter", size=size)


def test_run_to_date_report(snap_compare, console):
    assert snap(snap_compare, console(), "D", *"\b" * 0, "enter")


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_cases_screen(snap_compare, console, size):
    assert snap(snap_compare, console(), "2", size=size)


def test_case_detail(snap_compare, console):
    assert snap(snap_compare, console(), "2", "down", "enter")


def test_activity(snap_compare, console):
    assert snap(snap_compare, console(), "d", "enter", "escape", "3")


async def _to_feb_2(pilot):
    from opsconsole import clock
    from opsconsole.tui.screens.detail import SubscriptionScreen

    clock.run_days(days=3)
    pilot.app.store_changed()
    pilot.app.push_screen(SubscriptionScreen(25))  # converted from its trial on 02-01
    await settle(pilot)


def test_prorate_review(snap_compare, console):
    assert snap(snap_compare, console(), "o", "backspace", "3", before=_to_feb_2)


def test_prorate_refused(snap_compare, console):
    async def trial(pilot):
        from opsconsole.tui.screens.detail import SubscriptionScreen

        pilot.app.push_screen(SubscriptionScreen(26))
        await settle(pilot)

    assert snap(snap_compare, console(), "o", "backspace", "2", before=trial)


def test_bulk_preview(snap_compare, console):
    async def fill(pilot):
        from textual.widgets import Input, Select

        await pilot.press("b")
        await settle(pilot)
        pilot.app.screen.query_one("#bulk-product", Select).value = "weekly-box"
        pilot.app.screen.query_one("#value", Input).value = "13.00"
        await settle(pilot)

    assert snap(snap_compare, console(), before=fill)


def test_charge_results(snap_compare, console):
    async def overdue(pilot):
        from opsconsole import clock

        clock.run_days(days=1)
        pilot.app.store_changed()
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("a")
        await pilot.click("#charge")
        await settle(pilot, rounds=10)

    assert snap(snap_compare, console(), before=overdue)


def test_new_case_live_severity(snap_compare, console):
    async def form(pilot):
        from textual.widgets import Checkbox, Select

        await pilot.press("2", "n")
        await settle(pilot)
        await pilot.press(*"Refunds fail at checkout")
        pilot.app.screen.query_one("#category", Select).value = "Transactions"
        for area in ("severity", "breadth", "urgency"):
            pilot.app.screen.query_one(f"#q-{area}", Checkbox).value = True
        await settle(pilot)

    assert snap(snap_compare, console(), before=form)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_case_status_move(snap_compare, console, size):
    assert snap(snap_compare, console(), "2", "enter", "s", size=size)


def test_prorate_review_80x24(snap_compare, console):
    assert snap(snap_compare, console(), "o", "backspace", "3", before=_to_feb_2, size=SMALL)


def test_bulk_preview_80x24(snap_compare, console):
    async def fill(pilot):
        from textual.widgets import Input, RadioButton, Select

        await pilot.press("b")
        await settle(pilot)
        pilot.app.screen.query_one("#bulk-product", Select).value = "weekly-box"
        pilot.app.screen.query_one("#by-percent", RadioButton).value = True
        pilot.app.screen.query_one("#value", Input).value = "5"
        await settle(pilot)

    assert snap(snap_compare, console(), before=fill, size=SMALL)


@pytest.mark.parametrize("key", ["n", "e", "v"], ids=["note", "escalate", "survey"])
def test_case_dialogs(snap_compare, console, key):
    assert snap(snap_compare, console(), "2", "enter", key)


# --- add-ons, change, accounts, repeat trials (R-ADDON-2, R-CHANGE-1, R-ACCOUNT-1, R-TRIAL-2)

async def _open(pilot, sub_id):
    from opsconsole.tui.screens.detail import SubscriptionScreen

    pilot.app.push_screen(SubscriptionScreen(sub_id))
    await settle(pilot)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_addon_add_preview(snap_compare, console, size):
    async def fill(pilot):
        from textual.widgets import Input, Select

        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        pilot.app.screen.query_one("#addon", Select).value = "support-standard"
        pilot.app.screen.query_one("#addon-quantity", Input).value = "1"
        await settle(pilot)

    assert snap(snap_compare, console(), before=fill, size=size)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_addon_remove_preview(snap_compare, console, size):
    async def fill(pilot):
        from textual.widgets import Select

        await _open(pilot, 5)  # LEG-1004: support-standard and extra-storage
        await pilot.press("A")
        await settle(pilot)
        pilot.app.screen.query_one("#addon", Select).value = "extra-storage"
        await settle(pilot)

    assert snap(snap_compare, console(), before=fill, size=size)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_change_preview(snap_compare, console, size):
    async def fill(pilot):
        from textual.widgets import Input

        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        pilot.app.screen.query_one("#next-date", Input).value = "2026-02-10"
        pilot.app.screen.query_one("#quantity", Input).value = "3"
        await settle(pilot)

    assert snap(snap_compare, console(), before=fill, size=size)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_account_tab(snap_compare, console, size):
    async def account(pilot):
        from textual.widgets import TabbedContent

        await _open(pilot, 26)  # LEG-1025: its customer also has the repeat trial LEG-1058
        pilot.app.screen.query_one(TabbedContent).active = "account-tab"
        await settle(pilot)

    assert snap(snap_compare, console(), before=account, size=size)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_repeat_trial_cancel_now(snap_compare, console, size):
    async def repeat(pilot):
        await _open(pilot, 59)

    assert snap(snap_compare, console(), "c", before=repeat, size=size)


# --- payment method, Pay now, manual renewal (R-DUN-5, R-MANUAL-1, R-MANUAL-2) --------------

async def _type(pilot, *fields):
    for selector, text in fields:
        await pilot.click(selector)
        await pilot.press(*text)
    await settle(pilot)


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_payment_method_preview(snap_compare, console, size):
    async def overdue(pilot):
        from opsconsole import clock

        clock.run_days(days=1)  # LEG-1002 (3) is declined on 01-31: overdue, 29.00 owed
        pilot.app.store_changed()
        await _open(pilot, 3)
        await pilot.press("C")
        await settle(pilot)
        await _type(pilot, ("#token", "tok_visa"), ("#last4", "4242"), ("#expiry", "12/29"))

    assert snap(snap_compare, console(), before=overdue, size=size)


def test_pay_preview_80x24(snap_compare, console):
    async def manual(pilot):
        await _open(pilot, 52)  # LEG-1051 renews manually, due 02-02
        await pilot.press("dollar_sign")
        await settle(pilot)
        await _type(pilot, ("#token", "tok_visa"))

    assert snap(snap_compare, console(), before=manual, size=SMALL)


def test_manual_renewal_confirmation_80x24(snap_compare, console):
    async def automatic(pilot):
        await _open(pilot, 1)  # LEG-1000, the card •••• 7158

    assert snap(snap_compare, console(), "M", before=automatic, size=SMALL)
