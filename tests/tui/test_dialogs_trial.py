"""Pilot tests of a hostile trial of the dialogs: the bulk price dialog applies only the plan
made for exactly the fields (R-BULK-1); what is typed is kept whole, never cut or stripped of
a '.', and refused in words (R-INPUT-1); a paste never brings control characters into a field
(R-INPUT-4); a refusal quotes what was typed as it is, never as markup."""

import datetime as dt

import pytest
from textual import events
from textual.widgets import DataTable, Input, Select

from opsconsole.billing import actions, bulk
from opsconsole.store.models import CaseNote, Store, Subscription
from tests.tui.conftest import SIZE, open_first, settle, writes
from tests.tui.test_dialogs_review import (
    PAUSED,
    PRORATED,
    Hold,
    confirm_button,
    dialog,
    open_sub,
    said,
    wait_for_actions,
)

WEEKLY = 4  # weekly-box: 8 subscriptions at 12.50 USD


def weekly_prices() -> set[int]:
    return {s.price for s in Subscription.select().where(Subscription.product == WEEKLY)}


async def retype(pilot, selector: str, text: str) -> Input:
    """The field emptied, then `text` typed into it key by key."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*("space" if c == " " else c for c in text))
    await settle(pilot)
    return field


# --- bulk price update (R-BULK-1) ------------------------------------------------------------

async def open_bulk(pilot, value: str = "13.00") -> None:
    """`b`, weekly-box and `value` as the new price, and its plan on show."""
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    pilot.app.screen.query_one("#bulk-product", Select).value = "weekly-box"
    await retype(pilot, "#value", value)
    assert pilot.app.screen.plan["count"] == 8
    assert pilot.app.screen.ready and not confirm_button(pilot.app, "#apply").disabled


async def test_R_BULK_1_apply_reaching_the_dialog_before_the_edit_does_nothing(console):
    """R-BULK-1: Apply compares the fields with the request its plan was made for: a press
    handled before the edit's Changed message asks nothing and applies nothing; once the new
    plan is shown, Apply applies exactly it."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_bulk(pilot, "13.00")
        before = writes()
        app.screen.query_one("#value", Input).value = "14.00"
        app.screen.apply()  # before Input.Changed has been handled
        await settle(pilot)
        assert dialog(app) == "BulkPriceModal"  # no confirmation of the 13.00 plan
        assert writes() == before and weekly_prices() == {1250}
        assert app.screen.plan["rows"][0]["new"] == "14.00"  # now planned, only now applied
        assert app.screen.ready and not confirm_button(app, "#apply").disabled
        await pilot.click("#apply")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert weekly_prices() == {1400}


async def test_R_BULK_1_apply_waits_for_the_new_plan(console, monkeypatch):
    """R-BULK-1: while the plan of an edit has not come back, Apply is disabled and its
    handler asks nothing: the plan on show is not the fields' plan."""
    held = Hold(monkeypatch, bulk, "plan")
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        try:
            await open_bulk(pilot, "13.00")
            before = writes()
            held.hold()
            await pilot.press(*["backspace"] * 5, "1", "9")
            await wait_for_actions(pilot)
            assert confirm_button(app, "#apply").disabled and not app.screen.ready
            app.screen.apply()
            await wait_for_actions(pilot)
            assert dialog(app) == "BulkPriceModal"
            assert writes() == before and weekly_prices() == {1250}
        finally:
            held.release()
        await settle(pilot)
        assert app.screen.plan["rows"][0]["new"] == "19.00"
        assert not confirm_button(app, "#apply").disabled


@pytest.mark.parametrize("emptied", ["#value", "#bulk-product"])
async def test_R_BULK_1_an_unfinished_field_takes_the_plan_away(console, emptied):
    """R-BULK-1: a field emptied leaves no plan on show and Apply disabled: the fields no
    longer say what the plan was made for."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_bulk(pilot)
        if emptied == "#value":
            await retype(pilot, "#value", "")
        else:
            app.screen.query_one("#bulk-product", Select).clear()
            await settle(pilot)
        assert confirm_button(app, "#apply").disabled and not app.screen.ready
        assert app.screen.plan is None
        assert app.screen.query_one("#bulk-rows", DataTable).row_count == 0
        assert "Pick a product and a new price or percent." in said(app, "#summary")
        app.screen.apply()
        await settle(pilot)
        assert dialog(app) == "BulkPriceModal"


@pytest.mark.parametrize("selector, typed, refusal", [
    ("#currency", "usdx", "'USDX' is not an ISO 4217 currency"),  # was cut to usd, applied
    ("#value", "1234567890123",  # 13 digits: was cut to 12 and refused as those
     "the new price 1234567890123.00 USD is above the limit of 1,000,000 USD"),
])
async def test_R_INPUT_1_bulk_fields_are_refused_as_typed_not_cut(
        console, selector, typed, refusal):
    """R-INPUT-1: the bulk fields keep every character typed; the core refuses it in words."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_bulk(pilot)
        before = writes()
        field = await retype(pilot, selector, typed)
        assert field.value == typed
        assert said(app, "#summary") == refusal
        assert confirm_button(app, "#apply").disabled and app.screen.plan is None
        app.screen.apply()
        await settle(pilot)
        assert dialog(app) == "BulkPriceModal"
    assert writes() == before and weekly_prices() == {1250}


async def test_R_BULK_1_the_currency_is_taken_with_spaces_around_it(console):
    """R-BULK-1: ' usd' typed is USD (a leading space cost the last letter)."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_bulk(pilot)
        await retype(pilot, "#currency", " usd")
        assert app.screen.ready and app.screen.plan["currency"] == "USD"


# --- whole numbers (R-INPUT-1, R-PAUSE-1) ----------------------------------------------------

async def open_dialog(pilot, key: str) -> None:
    await open_sub(pilot, PRORATED if key == "o" else PAUSED)
    await pilot.press(key)
    await settle(pilot)
    if key == "a":
        pilot.app.screen.query_one("#addon", Select).value = "support-priority"
        await settle(pilot)


WHOLE = [  # key, dialog, the number field, the preview, what the field is called
    ("p", "PauseModal", "#periods", "#preview", "periods"),
    ("o", "ProrateModal", "#quantity", "#review", "quantity"),
    ("a", "AddonAddModal", "#addon-quantity", "#addon-preview", "quantity"),
    ("e", "ChangeModal", "#quantity", "#change-preview", "quantity"),
]


@pytest.mark.parametrize("key, name, field, preview, what", WHOLE,
                         ids=["pause", "prorate", "addon", "change"])
async def test_R_INPUT_1_a_typed_point_is_kept_and_refused(
        console, key, name, field, preview, what):
    """R-INPUT-1: '0.5' typed stays 0.5 and is refused in one line naming it; it is never
    read as 05 (5) and offered for confirming. Nothing is written."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, key)
        assert dialog(app) == name
        before = writes()
        typed = await retype(pilot, field, "0.5")
        assert typed.value == "0.5"
        text = said(app, preview)
        assert text == f"{what} must be a whole number, not '0.5'"
        assert app.screen.query_one(preview).has_class("refused")
        assert confirm_button(app).disabled and not app.screen.ready
        app.screen.confirm()
        await pilot.press("enter")
        await settle(pilot)
        assert dialog(app) == name
    assert writes() == before


@pytest.mark.parametrize("key, field, preview, typed, what", [
    ("a", "#addon-quantity", "#addon-preview", "123456", "the add-on quantity"),  # was 12345
    ("e", "#quantity", "#change-preview", "1234567", "quantity"),  # was cut to 123456
], ids=["addon", "change"])
async def test_R_INPUT_1_a_long_quantity_is_refused_not_cut(console, key, field, preview,
                                                             typed, what):
    """R-INPUT-1: a quantity past the limit is refused as typed, never cut and refused as
    another number."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, key)
        await retype(pilot, field, typed)
        assert app.screen.query_one(field, Input).value == typed
        assert said(app, preview) == f"{what} must be from 1 to 10,000, not {typed}"
        assert confirm_button(app).disabled


# --- the change dialog's dates and price (R-CHANGE-1, R-INPUT-1) -----------------------------

async def test_R_CHANGE_1_a_date_with_a_space_before_it_keeps_its_last_digit(console):
    """R-CHANGE-1: ' 2026-02-05' typed is 2026-02-05 (the field cut the last digit: a date
    that is not one was refused instead)."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, "e")
        field = await retype(pilot, "#next-date", " 2026-02-05")
        assert field.value == " 2026-02-05"
        assert app.screen.ready, said(app, "#change-preview")
        assert "2026-01-31 → 2026-02-05" in said(app, "#change-preview")
        await pilot.click("#confirm")
        await settle(pilot)
        assert dialog(app) == "SubscriptionScreen"
    assert Subscription.get_by_id(PAUSED).next_charge_date == dt.date(2026, 2, 5)


async def test_R_INPUT_1_a_13_digit_price_is_refused_not_cut(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, "e")
        await retype(pilot, "#price", "1234567890123")
        assert said(app, "#change-preview") == \
            "the new price 1234567890123.00 USD is above the limit of 1,000,000 USD"
        assert confirm_button(app).disabled


@pytest.mark.parametrize("typed", ["[/b]", "[red]1[/]"])
async def test_a_refusal_quotes_what_was_typed_never_as_markup(console, typed):
    """What is typed is quoted in the refusal as it is: '[/b]' was read as markup and
    stopped the console."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_dialog(pilot, "e")
        await retype(pilot, "#next-date", typed)
        assert said(app, "#change-preview") == \
            f"{typed!r} is not a date (YYYY-MM-DD)."
        assert dialog(app) == "ChangeModal"


async def test_run_to_quotes_what_was_typed_never_as_markup(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await retype(pilot, "#until", "[/b]")
        await pilot.press("enter")
        await settle(pilot)
        assert said(app, "#run-message") == "'[/b]' is not a date (YYYY-MM-DD)."


async def test_a_refusal_message_is_never_read_as_markup(console):
    """The app's refusal toast quotes the core's words, which quote what was typed."""
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.refusal("subject '[/b]' holds a control character")
        await settle(pilot)
        assert app.is_running
        assert [n.message for n in app._notifications][-1].startswith("subject '[/b]'")


async def test_run_to_takes_a_date_with_a_space_before_it(console):
    """' 2026-02-02' is run to 2026-02-02: the field no longer cuts its last digit."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await retype(pilot, "#until", " 2026-02-02")
        await pilot.press("enter")
        await settle(pilot, rounds=20)
        assert Store.get().clock.date() == dt.date(2026, 2, 2)


# --- pasted control characters (R-INPUT-4) ---------------------------------------------------

async def open_case(pilot) -> None:
    """Case 2's screen, from the console's first screen."""
    await settle(pilot)
    await pilot.press("2", "enter")
    await settle(pilot)
    assert dialog(pilot.app) == "CaseScreen"


async def open_note(pilot) -> None:
    await open_case(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert dialog(pilot.app) == "NoteModal"


@pytest.mark.parametrize("paste, kept", [
    ("abc\x1b[31mdef\x1b[0m", "abcdef"),  # a copy from a coloured terminal
    ("abc\x07\x00def\u202e", "abcdef"),
    ("first line\nsecond\tline\n", "first line second line"),  # Input kept the first only
])
async def test_R_INPUT_4_a_paste_is_kept_as_plain_text(console, paste, kept):
    """R-INPUT-4: a paste into the note field leaves its escape sequences and control
    characters out (an ESC scrambled what the field showed), keeps every line, says so, and
    the note stored is what the field showed."""
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_note(pilot)
        field = app.screen.focused
        field.post_message(events.Paste(paste))
        await settle(pilot)
        assert field.value == kept
        assert any("plain text" in n.message for n in app._notifications)
        await pilot.press("enter")
        await settle(pilot)
        assert dialog(app) == "CaseScreen"
    assert CaseNote.select().order_by(CaseNote.id.desc()).get().text == kept


async def test_a_one_line_paste_is_taken_as_it_is(console):
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_note(pilot)
        field = app.screen.focused
        field.post_message(events.Paste("Called back: fixed\n"))
        await settle(pilot)
        assert field.value == "Called back: fixed"
        assert not list(app._notifications)


# --- uncancel (R-UNCANCEL-1) -----------------------------------------------------------------

@pytest.mark.parametrize("key, refusal", [
    ("u", "cannot be uncanceled"),  # R-UNCANCEL-1: not that the cancel date will be cleared
    ("x", "no pause scheduled"),  # R-PAUSE-1: removing a pause none is scheduled for
], ids=["R_UNCANCEL_1_uncancel", "R_PAUSE_1_remove_pause"])
async def test_an_action_the_core_refuses_is_refused_up_front(console, key, refusal):
    """On a deactivated subscription, `u` and `x` say the core's refusal at once, no dialog."""
    actions.cancel(PAUSED, now=True, operator="tester")
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_sub(pilot, PAUSED)
        await pilot.press(key)
        await settle(pilot)
        assert dialog(app) != "ConfirmModal"
        assert any(refusal in n.message for n in app._notifications)


async def test_R_UNCANCEL_1_the_dialog_names_the_cancel_date_it_clears(console):
    actions.cancel(PAUSED, operator="tester")
    cancel_date = Subscription.get_by_id(PAUSED).cancel_date
    app = console()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await open_sub(pilot, PAUSED)
        await pilot.press("u")
        await settle(pilot)
        assert dialog(app) == "ConfirmModal"
        shown = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert f"The cancel date {cancel_date} is cleared" in shown


def _burst(app, *keys: tuple[str, str | None]) -> None:
    """Keys as a terminal delivers a burst: all waiting before the first is handled."""
    for key, char in keys:
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_text_typed_with_the_key_that_opens_a_dialog_lands_in_its_field(console):
    """`p3` in one burst: the 3 reaches the app before the dialog's field has focus; it is the
    field's. Other keys typed ahead act as they would in the dialog, never on the screens
    under it: `q` and `d` are the console's Quit and Next day, Enter is not replayed."""
    from opsconsole.tui.modals.pause import PauseModal

    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        before = writes()
        _burst(app, ("p", "p"), ("3", "3"), ("q", "q"), ("d", "d"), ("enter", "\r"))
        await settle(pilot)
        assert isinstance(app.screen, PauseModal)  # not quit, no next-day dialog, not applied
        assert app.screen.query_one("#periods").value == "3qd"
        assert writes() == before


async def test_an_enter_typed_with_the_key_that_opens_a_dialog_never_acts_in_it(console):
    """`n`, a note and Enter in one burst on a case: the keys come back up to the app after
    the dialog is on top, where Enter would submit its field. The note is typed ahead; the
    Enter, read before the dialog was drawn, does nothing (a hostile trial wrote the note 6
    times in 6)."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_case(pilot)
        notes = CaseNote.select().count()
        _burst(app, ("n", "n"), ("o", "o"), ("k", "k"), ("enter", "\r"))
        await settle(pilot)
        assert dialog(app) == "NoteModal" and app.screen.focused.value == "ok"
        assert CaseNote.select().count() == notes
        await pilot.press("enter")  # sent with the dialog on screen: it acts
        await settle(pilot)
        assert dialog(app) == "CaseScreen" and CaseNote.select().count() == notes + 1


async def test_a_second_enter_before_the_first_is_answered_sends_nothing(console):
    """Enter Enter on a form: the first sends the note; the second, there before the answer,
    wrote it again and its close took the case screen with it."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_note(pilot)
        await pilot.press(*"hello")
        await settle(pilot)
        notes = CaseNote.select().count()
        _burst(app, ("enter", "\r"), ("enter", "\r"))
        await settle(pilot)
        assert dialog(app) == "CaseScreen"
        assert CaseNote.select().count() == notes + 1

