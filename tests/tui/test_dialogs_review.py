"""Pilot tests of the previewed dialogs' one promise: Confirm acts only on the values whose
review is on show. An edit makes Confirm unavailable (disabled, and Enter and the confirm
handler refuse) until the review of exactly the values now in the fields has been shown; what
is confirmed is what was reviewed (R-PRORATE-3, R-PAUSE-1, R-PAUSE-2). The payment method
dialog takes the expiry as an operator types it and stores the core's MM/YY (R-GW-1). No
dialog cuts what is typed: a value the core refuses is refused in words."""

import io
import threading

import pytest
from textual import events
from textual.widgets import Button, Input

from opsconsole.billing import actions, proration
from opsconsole.store.models import Charge, Subscription
from tests.tui.conftest import SIZE, open_first, settle, writes

# The demo store is on 2026-01-30. LEG-1002 (3): active, 29.00 monthly, card •••• 7588.
# LEG-1000 (1): active, next charge 2026-01-31.
PRORATED, PAUSED = 3, 1


# --- helpers ---------------------------------------------------------------------------------

class Hold:
    """A core function whose answer is held back until `release`: the preview worker has not
    answered yet, however fast the machine. Open until `hold`."""

    def __init__(self, monkeypatch, module, name: str):
        self.open = threading.Event()
        self.open.set()
        real = getattr(module, name)

        def held(*args, **kwargs):
            self.open.wait(20)
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, held)

    def hold(self) -> None:
        self.open.clear()

    def release(self) -> None:
        self.open.set()


async def wait_for_actions(pilot, rounds: int = 6) -> None:
    """`settle`, but blind to the held preview: long enough for a confirmed action (if one was
    wrongly started) to run and close the dialog."""
    quiet = 0
    for _ in range(300):
        await pilot.pause(0.02)
        busy = any(worker.is_running and not str(worker.group).startswith("preview@")
                   for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= rounds:
            break
    await pilot.pause(0.05)


async def open_sub(pilot, sub_id: int) -> None:
    from opsconsole.tui.screens.detail import SubscriptionScreen

    await settle(pilot)
    pilot.app.push_screen(SubscriptionScreen(sub_id))
    await settle(pilot)


def dialog(app) -> str:
    return type(app.screen).__name__


def said(app, selector: str) -> str:
    """The text on show in a Static: a string, markup or a Rich renderable (the review)."""
    from rich.console import Console
    from rich.text import Text

    content = app.screen.query_one(selector).content
    if isinstance(content, str):
        return Text.from_markup(content).plain
    if isinstance(content, Text):  # a refusal: its words as they are, never markup
        return content.plain
    out = io.StringIO()
    Console(width=200, no_color=True, file=out).print(content)
    return out.getvalue()


def confirm_button(app, selector: str = "#confirm") -> Button:
    return app.screen.query_one(selector, Button)


def charges_of(sub_id: int) -> list[Charge]:
    return list(Charge.select().where(Charge.subscription == sub_id).order_by(Charge.id))


# --- prorate (R-PRORATE-3) -------------------------------------------------------------------

async def open_prorate_with_price(pilot, price: str) -> None:
    """`o` on subscription 3, Tab to Price (its text selected), type the price, and wait for
    its review."""
    await open_sub(pilot, PRORATED)
    await pilot.press("o")
    await settle(pilot)
    await pilot.press("tab", *price)
    await settle(pilot)


@pytest.mark.parametrize("first, more, label", [
    ("30", "000", "Confirm and charge"),   # the tester's: reviewed 30.00, then 30000 typed
    ("10", "0", "Confirm and refund"),     # reviewed a refund, then a charge typed
], ids=["charge-grows", "refund-turns-charge"])
async def test_R_PRORATE_3_confirm_before_the_new_review_does_nothing(
        console, monkeypatch, first, more, label):
    """R-PRORATE-3: "Without a confirmation nothing changes": an edit after the review is
    shown makes Confirm unavailable until the review of the new price is shown; then Confirm
    saves exactly the reviewed price and charges exactly the reviewed net."""
    held = Hold(monkeypatch, proration, "review")
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        try:
            await open_prorate_with_price(pilot, first)
            assert f"{first}.00" in said(app, "#review")
            assert app.screen.ready and not confirm_button(app).disabled
            assert str(confirm_button(app).label) == label
            before, charged = writes(), len(charges_of(PRORATED))
            price = Subscription.get_by_id(PRORATED).price

            held.hold()  # the review of the new price has not come back yet
            await pilot.press("end", *more)
            await pilot.click("#confirm")
            await wait_for_actions(pilot)
            assert dialog(app) == "ProrateModal"
            app.screen.confirm()  # the handler itself refuses too
            await wait_for_actions(pilot)

            assert dialog(app) == "ProrateModal"
            assert confirm_button(app).disabled and not app.screen.ready
            assert writes() == before and len(charges_of(PRORATED)) == charged
            assert Subscription.get_by_id(PRORATED).price == price
        finally:
            held.release()
        await settle(pilot)
        new = f"{first}{more}"
        review = said(app, "#review")
        assert f"{new}.00" in review and not confirm_button(app).disabled
        assert str(confirm_button(app).label) == "Confirm and charge"
        net = proration.review(PRORATED, price=new).as_dict()["net"]
        assert f"{net} USD" in review
        await pilot.click("#confirm")
        await settle(pilot)
        assert dialog(app) == "SubscriptionScreen"
    sub = Subscription.get_by_id(PRORATED)
    assert sub.price == int(new) * 100
    row = charges_of(PRORATED)[-1]
    assert (row.kind, row.amount) == ("prorate", int(net.replace(".", "")))


async def test_R_PRORATE_3_confirm_reaching_the_dialog_before_the_edit_does_nothing(console):
    """R-PRORATE-3: Confirm compares the fields with the values the review was made for, so a
    press that reaches the dialog before the edit's own message confirms nothing."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_prorate_with_price(pilot, "30")
        assert app.screen.ready
        before, charged = writes(), len(charges_of(PRORATED))
        app.screen.query_one("#price", Input).value = "30000"
        app.screen.confirm()  # before Input.Changed has been handled
        await settle(pilot)
        assert dialog(app) == "ProrateModal"
        assert writes() == before and len(charges_of(PRORATED)) == charged
        assert Subscription.get_by_id(PRORATED).price == 2900
        assert "30000.00" in said(app, "#review")  # now reviewed, and only now confirmable
        assert app.screen.ready and not confirm_button(app).disabled


# --- pause (R-PAUSE-1, R-PAUSE-2) ------------------------------------------------------------

async def test_R_PAUSE_2_enter_before_the_new_preview_does_nothing(console, monkeypatch):
    """R-PAUSE-2: the tester's `2` and Enter sent together after the preview for 1 period:
    nothing is paused; once the dates for 12 periods are shown, Enter pauses for 12."""
    held = Hold(monkeypatch, actions, "preview_pause")
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        try:
            await open_first(pilot)  # subscription 1
            await pilot.press("p", "backspace", "1")  # the field's text is selected on open
            await settle(pilot)
            one = actions.preview_pause(PAUSED, 1)
            assert f"resumes and is charged on {one['resume_date']}" in said(app, "#preview")
            assert app.screen.ready
            before = writes()

            held.hold()
            await pilot.press("2", "enter")
            await wait_for_actions(pilot)

            assert dialog(app) == "PauseModal"
            assert confirm_button(app).disabled and not app.screen.ready
            assert writes() == before and Subscription.get_by_id(PAUSED).pause_date is None
        finally:
            held.release()
        await settle(pilot)
        twelve = actions.preview_pause(PAUSED, 12)
        assert f"resumes and is charged on {twelve['resume_date']}" in said(app, "#preview")
        await pilot.press("enter")
        await settle(pilot)
        assert dialog(app) == "SubscriptionScreen"
    sub = Subscription.get_by_id(PAUSED)
    assert (sub.pause_date, sub.resume_date) == (twelve["pause_date"], twelve["resume_date"])


async def test_R_PAUSE_2_confirm_reaching_the_dialog_before_the_edit_does_nothing(console):
    """R-PAUSE-2: a confirm handled before the edit's Input.Changed pauses nothing: the field
    no longer holds the periods the dates on show were made for."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert app.screen.ready
        before = writes()
        app.screen.query_one("#periods", Input).value = "12"
        app.screen.confirm()
        await settle(pilot)
        assert dialog(app) == "PauseModal"
        assert writes() == before and Subscription.get_by_id(PAUSED).pause_date is None


async def test_R_PAUSE_1_a_late_preview_never_overwrites_a_refusal(console, monkeypatch):
    """R-PAUSE-1: with the field emptied, the refusal stays on show and Confirm stays
    disabled when the previews asked for before it (12, then 1 period) come back late."""
    held = Hold(monkeypatch, actions, "preview_pause")
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        try:
            await open_first(pilot)
            await pilot.press("p", "backspace", "1")
            await settle(pilot)
            held.hold()
            await pilot.press("2", "backspace", "backspace")
            await wait_for_actions(pilot)
        finally:
            held.release()
        await settle(pilot)
        assert app.screen.query_one("#preview").has_class("refused")
        assert "from 1 to 12" in said(app, "#preview")
        assert confirm_button(app).disabled and not app.screen.ready


# --- typed text is never cut (R-PAUSE-1, R-PRORATE-1, R-GW-1) -------------------------------

async def test_R_PAUSE_1_periods_past_12_are_refused_not_cut(console):
    """R-PAUSE-1: `123` typed is 123 periods, refused in words, not cut to 12 and offered."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        before = writes()
        await pilot.press("p", "backspace", "1", "2", "3")
        await settle(pilot)
        assert app.screen.query_one("#periods", Input).value == "123"
        assert "not 123" in said(app, "#preview") and confirm_button(app).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert writes() == before and Subscription.get_by_id(PAUSED).pause_date is None


async def test_R_PRORATE_1_a_long_quantity_is_refused_not_cut(console):
    """R-PRORATE-1 (refused with the reason): 1000000 typed is refused as 1000000, never cut
    to 100000."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, PRORATED)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("backspace", *"1000000")
        await settle(pilot)
        assert app.screen.query_one("#quantity", Input).value == "1000000"
        assert "not 1000000" in said(app, "#review") and confirm_button(app).disabled


# --- payment method: the expiry (R-GW-1) -----------------------------------------------------

async def open_payment(pilot, sub_id: int = PRORATED) -> None:
    await open_sub(pilot, sub_id)
    await pilot.press("C")
    await settle(pilot)
    assert dialog(pilot.app) == "PaymentModal"


async def type_in(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    await pilot.press(*text)
    await settle(pilot)


@pytest.mark.parametrize("typed, stored", [
    ("12/2027", "12/27"),
    ("12/27", "12/27"),
    ("1/2028", "01/28"),
    ("01/20", "01/20"),  # in the past: R-GW-1 keeps the expiry for display only; not refused
])
async def test_R_GW_1_the_expiry_is_taken_as_typed_and_stored_as_MM_YY(console, typed, stored):
    """R-GW-1 (expiry for display): MM/YY and MM/YYYY are both taken, nothing typed is cut,
    and the core's MM/YY is what is stored. A past expiry is not refused: neither the core
    nor the SPEC makes it invalid (the gateway declines an expired card)."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_payment(pilot)
        await type_in(pilot, "#token", "tok_visa")
        await type_in(pilot, "#last4", "4242")
        await type_in(pilot, "#expiry", typed)
        assert app.screen.query_one("#expiry", Input).value == typed
        assert not app.screen.query_one("#preview").has_class("refused")
        assert not confirm_button(app).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert dialog(app) == "SubscriptionScreen"
    pm = Subscription.get_by_id(PRORATED).payment_method
    assert (pm.token, pm.last4, pm.expiry) == ("tok_visa", "4242", stored)


@pytest.mark.parametrize("typed", ["12/20277", "13/2029", "12/1999", "12/2"])
async def test_R_GW_1_an_expiry_that_is_neither_MM_YY_nor_MM_YYYY_is_refused(console, typed):
    """R-GW-1: what is not an expiry is refused in one line naming what was typed; the field
    keeps every character; nothing is written."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_payment(pilot)
        before = writes()
        await type_in(pilot, "#token", "tok_visa")
        await type_in(pilot, "#expiry", typed)
        assert app.screen.query_one("#expiry", Input).value == typed
        text = said(app, "#preview")
        assert f"expiry {typed!r} is not MM/YY or MM/YYYY" in text and "\n" not in text
        assert app.screen.query_one("#preview").has_class("refused")
        assert confirm_button(app).disabled
        await pilot.press("enter")
        await settle(pilot)
        assert dialog(app) == "PaymentModal"
    assert writes() == before
    assert Subscription.get_by_id(PRORATED).payment_method.last4 == "7588"


@pytest.mark.parametrize("key, dialog_name", [("C", "PaymentModal"), ("dollar_sign", "PayModal")])
async def test_R_GW_1_a_pasted_token_over_200_characters_is_refused_not_dropped(
        console, key, dialog_name):
    """R-GW-1: a token longer than the core takes is shown and refused in words, never
    silently dropped or cut."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, 52 if key == "dollar_sign" else PRORATED)  # 52 renews manually
        await pilot.press(key)
        await settle(pilot)
        assert dialog(app) == dialog_name
        token = "tok_" + "a" * 197
        field = app.screen.query_one("#token", Input)
        field.focus()
        field.post_message(events.Paste(token))
        await settle(pilot)
        assert field.value == token
        assert "at most 200 characters" in said(app, "#preview")
        assert confirm_button(app).disabled


async def test_R_GW_1_payment_confirm_reaching_the_dialog_before_the_edit_does_nothing(
        console):
    """R-GW-1 / R-DUN-5: the token confirmed is the token previewed."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_payment(pilot)
        await type_in(pilot, "#token", "tok_visa")
        assert app.screen.ready
        before = writes()
        app.screen.query_one("#token", Input).value = "tok_chargeDeclined"
        app.screen.confirm()
        await settle(pilot)
        assert dialog(app) == "PaymentModal"
    assert writes() == before
    assert Subscription.get_by_id(PRORATED).payment_method.last4 == "7588"



# --- change (R-CHANGE-1) ---------------------------------------------------------------------

async def test_R_CHANGE_1_save_reaching_the_dialog_before_the_edit_does_nothing(console):
    """R-CHANGE-1: Save compares the fields with the values its preview was made for."""
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_first(pilot)
        await pilot.press("e")
        await settle(pilot)
        quantity = app.screen.query_one("#quantity", Input)
        assert quantity.value == "2"
        quantity.value = "3"
        await settle(pilot)
        assert app.screen.ready, said(app, "#change-preview")  # quantity 3, previewed
        before = writes()
        app.screen.query_one("#quantity", Input).value = "9"
        app.screen.confirm()  # before Input.Changed has been handled
        await settle(pilot)
        assert dialog(app) == "ChangeModal"
        assert writes() == before and Subscription.get_by_id(PAUSED).quantity == 2
