"""Pilot tests of add-ons (R-ADDON-2), change (R-CHANGE-1), the account tab (R-ACCOUNT-1) and
repeat trials (R-TRIAL-2) in the console, checked against the store."""

import datetime as dt

from textual.widgets import Checkbox, DataTable, Input, RadioButton, Select, TabbedContent

from opsconsole.billing import present, subs
from opsconsole.store.models import Audit, Subscription
from tests.tui.conftest import SIZE, open_first, settle, writes


def shown(app, selector: str) -> str:
    """A Static's text, tables included, as a terminal of 120 columns shows it."""
    import io

    from rich.console import Console

    content = app.screen.query_one(selector).content
    if isinstance(content, str):
        return content
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(content)
    return out.getvalue()


def addons_of(sub_id: int) -> list[tuple[str, int]]:
    return [(a["path"], a["quantity"])
            for a in present.subscription(subs.find(sub_id))["addons"]]


async def open_sub(pilot, sub_id: int) -> None:
    from opsconsole.tui.screens.detail import SubscriptionScreen

    await settle(pilot)
    pilot.app.push_screen(SubscriptionScreen(sub_id))
    await settle(pilot)


async def test_R_ADDON_2_add_dialog_previews_the_next_charge_then_adds(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)  # LEG-1000: 2 x 29.00 + support-priority 12.00
        assert "support-priority × 1 (12.00)" in shown(app, "#overview")
        before = writes()
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#addon", Select).value = "extra-storage"
        app.screen.query_one("#addon-quantity", Input).value = "2"
        await settle(pilot)
        preview = shown(app, "#addon-preview")
        assert "70.00 USD" in preview and "79.90 USD" in preview and "2026-01-31" in preview
        assert writes() == before  # a preview writes nothing
        await pilot.click("#confirm")
        await settle(pilot)
        assert addons_of(1) == [("extra-storage", 2), ("support-priority", 1)]
        assert Audit.select().order_by(Audit.id.desc()).get().action == "addon-add"
        assert "79.90 USD per period" in shown(app, "#overview")


async def test_R_ADDON_2_single_choice_replacement_is_said_before_it_happens(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#addon", Select).value = "support-standard"
        await settle(pilot)
        assert "Replaces support-priority" in shown(app, "#addon-preview")
        await pilot.press("escape")
        await settle(pilot)
        assert addons_of(1) == [("support-priority", 1)]


async def test_R_ADDON_2_remove_dialog_previews_then_removes(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, 5)  # LEG-1004: support-standard and extra-storage
        await pilot.press("A")
        await settle(pilot)
        app.screen.query_one("#addon", Select).value = "support-standard"
        await settle(pilot)
        preview = shown(app, "#addon-preview")
        assert "38.95 USD" in preview and "33.95 USD" in preview
        await pilot.click("#confirm")
        await settle(pilot)
        assert addons_of(5) == [("extra-storage", 1)]


async def test_R_ADDON_2_a_product_without_addons_is_said_and_nothing_written(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, 25)  # a starter trial: its product offers none
        before = writes()
        await pilot.press("a")
        await settle(pilot)
        assert "offers no add-ons" in shown(app, "#addon-preview")
        assert app.screen.query_one("#confirm").disabled
        await pilot.press("escape")
        await settle(pilot)
        assert writes() == before


async def test_R_CHANGE_1_change_dialog_shows_the_next_charge_before_and_after(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#next-date", Input).value = "2026-02-10"
        app.screen.query_one("#quantity", Input).value = "3"
        await settle(pilot)
        preview = shown(app, "#change-preview")
        assert "2026-01-31  70.00 USD" in preview and "2026-02-10  99.00 USD" in preview
        await pilot.click("#confirm")
        await settle(pilot)
        sub = Subscription.get_by_id(1)
        assert (sub.next_charge_date, sub.quantity) == (dt.date(2026, 2, 10), 3)
        assert Audit.select().order_by(Audit.id.desc()).get().action == "change"


async def test_R_CHANGE_1_a_refused_change_is_shown_and_writes_nothing(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        before = writes()
        await pilot.press("e")
        await settle(pilot)
        app.screen.query_one("#next-date", Input).value = "2026-01-30"
        await settle(pilot)
        assert "must be after today" in shown(app, "#change-preview")
        assert app.screen.query_one("#confirm").disabled
        app.screen.query_one("#next-date", Input).value = "2026-01-31"
        app.screen.query_one("#no-end", Checkbox).value = True  # it has no end date anyway
        await settle(pilot)
        assert "Change a field" in shown(app, "#change-preview")
        await pilot.press("escape")
        await settle(pilot)
        assert writes() == before


async def test_R_ACCOUNT_1_the_account_tab_lists_the_others_and_opens_one(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, 26)  # LEG-1025, Linus's first starter trial
        app.screen.query_one(TabbedContent).active = "account-tab"
        await settle(pilot)
        assert "1 other subscription" in shown(app, "#account-summary")
        table = app.screen.query_one("#account", DataTable)
        assert table.row_count == 1
        table.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_id == 59
        assert "repeat trial" in shown(app, "#overview")


async def test_R_TRIAL_2_cancel_now_is_offered_first_for_a_repeat_trial(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, 59)
        await pilot.press("c")
        await settle(pilot)
        assert "repeat trial" in shown(app, "#explain")
        assert app.screen.query_one("#now", RadioButton).value
        assert not app.screen.query_one("#period-end", RadioButton).value
        await pilot.click("#confirm")
        await settle(pilot)
        assert Subscription.get_by_id(59).state == "deactivated"


async def test_R_TRIAL_2_the_list_filters_repeat_trials(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one("#state", Select).value = "repeat trials"
        await settle(pilot)
        table = app.screen.query_one("#subs")
        assert table.row_count == 1
        assert "1 subscription" in shown(app, "#status")
