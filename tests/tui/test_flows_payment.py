"""Pilot tests of the payment method (R-DUN-5), Pay now (R-MANUAL-1) and manual renewal
(R-MANUAL-2) on the subscription screen: each writes what the core says, going back writes
nothing, and a refusal is said in the dialog and writes nothing."""

import datetime as dt

import pytest
from textual.widgets import Button

from opsconsole.store.models import Audit, Charge, PaymentMethod, Subscription
from tests.tui.conftest import SIZE, settle, writes

# In the demo store (2026-01-30): LEG-1002 (3) declines on 01-31 and is overdue from then;
# LEG-1051 (52) renews manually, due 02-02; LEG-1000 (1) renews automatically with the card
# •••• 7158; LEG-1042 (43) is managed (adhoc).
OVERDUE, MANUAL, AUTOMATIC, MANAGED = 3, 52, 1, 43


async def open_sub(pilot, sub_id: int) -> None:
    from opsconsole.tui.screens.detail import SubscriptionScreen

    await settle(pilot)
    pilot.app.push_screen(SubscriptionScreen(sub_id))
    await settle(pilot)


async def type_in(pilot, selector: str, text: str) -> None:
    """Click into a field and type, key by key, as an operator does."""
    await pilot.click(selector)
    await pilot.press(*text)
    await settle(pilot)


def said(app, selector: str = "#preview") -> str:
    return str(app.screen.query_one(selector).render())


def refused(app, selector: str = "#preview") -> bool:
    return app.screen.query_one(selector).has_class("refused")


def confirm_enabled(app, selector: str = "#confirm") -> bool:
    return not app.screen.query_one(selector, Button).disabled


def last_audit() -> Audit:
    return Audit.select().order_by(Audit.id.desc()).get()


def charges_of(sub_id: int) -> list[Charge]:
    return list(Charge.select().where(Charge.subscription == sub_id).order_by(Charge.id))


def run_to(day: dt.date) -> None:
    from opsconsole import clock

    clock.run_days(until=day)


# --- payment method (R-DUN-5, R-GW-1) -------------------------------------------------------

async def test_R_DUN_5_a_card_on_an_overdue_subscription_is_charged_at_once(console):
    run_to(dt.date(2026, 1, 31))
    old_card = Subscription.get_by_id(OVERDUE).payment_method_id
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, OVERDUE)
        await pilot.press("C")
        await settle(pilot)
        assert type(app.screen).__name__ == "PaymentModal"
        text = said(app)
        assert "•••• 7588" in text and "29.00 USD is charged at once" in text
        assert not confirm_enabled(app)  # no token yet
        await type_in(pilot, "#token", "tok_visa")
        await type_in(pilot, "#last4", "4242")
        await type_in(pilot, "#expiry", "12/29")
        assert confirm_enabled(app) and not refused(app)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"
    sub = Subscription.get_by_id(OVERDUE)
    pm = sub.payment_method
    assert (pm.token, pm.last4, pm.expiry) == ("tok_visa", "4242", "12/29")
    assert sub.state == "active" and sub.next_charge_date == dt.date(2026, 2, 28)
    assert PaymentMethod.get_or_none(PaymentMethod.id == old_card) is None
    row = charges_of(OVERDUE)[-1]
    assert (row.kind, row.status, row.amount, row.date) == (
        "retry", "completed", 2900, dt.date(2026, 1, 31))
    audit = last_audit()
    assert (audit.action, audit.operator, audit.subscription_id) == (
        "payment", "tester", OVERDUE)


async def test_R_DUN_5_a_declined_new_card_starts_dunning_again_today(console):
    run_to(dt.date(2026, 2, 1))  # overdue since 01-31, day 1's retry declined too
    assert Subscription.get_by_id(OVERDUE).overdue_since == dt.date(2026, 1, 31)
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, OVERDUE)
        await pilot.press("C")
        await settle(pilot)
        await type_in(pilot, "#token", "tok_chargeDeclined")
        await pilot.click("#confirm")
        await settle(pilot)
    sub = Subscription.get_by_id(OVERDUE)
    assert sub.state == "overdue" and sub.overdue_since == dt.date(2026, 2, 1)
    assert sub.payment_method.token == "tok_chargeDeclined"
    assert sub.payment_method.last4 is None  # last 4 and expiry are optional
    row = charges_of(OVERDUE)[-1]
    assert (row.kind, row.status, row.date) == ("retry", "failed", dt.date(2026, 2, 1))
    assert (last_audit().action, last_audit().operator) == ("payment", "tester")


async def test_R_MANUAL_1_a_card_turns_a_manual_renewal_automatic_and_charges_nothing(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, MANUAL)
        await pilot.press("C")
        await settle(pilot)
        text = said(app)
        assert "no card on file" in text and "becomes automatic" in text
        assert "Nothing is charged now" in text
        before = len(charges_of(MANUAL))
        await type_in(pilot, "#token", "tok_visa")
        await pilot.press("enter")
        await settle(pilot)
    sub = Subscription.get_by_id(MANUAL)
    assert not sub.manual_renew and sub.payment_method.token == "tok_visa"
    assert sub.state == "active" and len(charges_of(MANUAL)) == before
    assert (last_audit().action, last_audit().operator) == ("payment", "tester")


async def test_payment_method_back_writes_nothing(console):
    run_to(dt.date(2026, 1, 31))
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, OVERDUE)
        before, charged = writes(), len(charges_of(OVERDUE))
        await pilot.press("C")
        await settle(pilot)
        await type_in(pilot, "#token", "tok_visa")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"
    assert writes() == before and len(charges_of(OVERDUE)) == charged
    sub = Subscription.get_by_id(OVERDUE)
    assert sub.state == "overdue" and sub.payment_method.last4 == "7588"


@pytest.mark.parametrize("token, last4, expiry, message", [
    ("4242424242424242", "", "", "looks like a card number"),
    ("tok_visa", "12345", "", "last4 '12345' is not four digits"),
    ("tok_visa", "4242", "13/29", "expiry '13/29' is not MM/YY"),
], ids=["card-number", "five-digits", "month-13"])
async def test_R_GW_1_a_refused_payment_method_is_said_in_the_dialog_and_writes_nothing(
        console, token, last4, expiry, message):
    run_to(dt.date(2026, 1, 31))
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, OVERDUE)
        before, charged = writes(), len(charges_of(OVERDUE))
        await pilot.press("C")
        await settle(pilot)
        for selector, value in (("#token", token), ("#last4", last4), ("#expiry", expiry)):
            if value:
                await type_in(pilot, selector, value)
        assert message in said(app) and refused(app) and not confirm_enabled(app)
        await pilot.press("enter")  # nothing to confirm
        await settle(pilot)
        assert type(app.screen).__name__ == "PaymentModal"
    assert writes() == before and len(charges_of(OVERDUE)) == charged
    assert Subscription.get_by_id(OVERDUE).payment_method.last4 == "7588"


# --- Pay now (R-MANUAL-1) -------------------------------------------------------------------

async def test_R_MANUAL_1_pay_renews_a_manual_renewal_for_one_period(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, MANUAL)
        await pilot.press("dollar_sign")
        await settle(pilot)
        assert type(app.screen).__name__ == "PayModal"
        text = said(app)
        assert "Charges 29.00 USD for the period due 2026-02-02" in text
        assert "next due date becomes 2026-03-02" in text
        assert not confirm_enabled(app)  # no token yet
        await type_in(pilot, "#token", "tok_visa")
        assert confirm_enabled(app)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"
    sub = Subscription.get_by_id(MANUAL)
    assert sub.manual_renew and sub.payment_method_id is None  # the token is used once
    assert sub.state == "active" and sub.next_charge_date == dt.date(2026, 3, 2)
    row = charges_of(MANUAL)[-1]
    assert (row.kind, row.status, row.amount, row.scheduled_date, row.date) == (
        "payment", "completed", 2900, dt.date(2026, 2, 2), dt.date(2026, 1, 30))
    audit = last_audit()
    assert (audit.action, audit.operator, audit.subscription_id) == ("pay", "tester", MANUAL)


async def test_R_MANUAL_1_a_late_payment_ends_the_overdue_state(console):
    run_to(dt.date(2026, 2, 3))  # unpaid on its due date 02-02: overdue, no charge row
    assert Subscription.get_by_id(MANUAL).state == "overdue"
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, MANUAL)
        await pilot.press("dollar_sign")
        await settle(pilot)
        assert "no longer overdue" in said(app)
        await type_in(pilot, "#token", "tok_visa")
        await pilot.click("#confirm")
        await settle(pilot)
    sub = Subscription.get_by_id(MANUAL)
    assert sub.state == "active" and sub.overdue_since is None
    assert sub.next_charge_date == dt.date(2026, 3, 2)  # from the due date, not from today
    row = charges_of(MANUAL)[-1]
    assert (row.kind, row.status, row.scheduled_date) == (
        "payment", "completed", dt.date(2026, 2, 2))


async def test_R_MANUAL_1_pay_is_refused_for_an_automatic_renewal(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, AUTOMATIC)
        before, charged = writes(), len(charges_of(AUTOMATIC))
        await pilot.press("dollar_sign")
        await settle(pilot)
        await type_in(pilot, "#token", "tok_visa")
        assert "renews automatically; it is charged on schedule" in said(app)
        assert refused(app) and not confirm_enabled(app)
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "PayModal"
    assert writes() == before and len(charges_of(AUTOMATIC)) == charged


async def test_R_MANUAL_1_pay_with_a_card_number_is_refused(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, MANUAL)
        before = writes()
        await pilot.press("dollar_sign")
        await settle(pilot)
        await type_in(pilot, "#token", "4242424242424242")
        assert "looks like a card number" in said(app) and refused(app)
        await pilot.press("enter")
        await settle(pilot)
    assert writes() == before and charges_of(MANUAL) == []


async def test_pay_back_writes_nothing(console):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, MANUAL)
        before = writes()
        await pilot.press("dollar_sign")
        await settle(pilot)
        await type_in(pilot, "#token", "tok_visa")
        await pilot.press("escape")
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"
    assert writes() == before and charges_of(MANUAL) == []
    assert Subscription.get_by_id(MANUAL).next_charge_date == dt.date(2026, 2, 2)


# --- manual renewal (R-MANUAL-2) ------------------------------------------------------------

@pytest.mark.parametrize("yes", ["y", "#yes"])
async def test_R_MANUAL_2_manual_renewal_deletes_the_card_for_good(console, yes):
    card = Subscription.get_by_id(AUTOMATIC).payment_method_id
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, AUTOMATIC)
        charged = len(charges_of(AUTOMATIC))
        await pilot.press("M")
        await settle(pilot)
        assert type(app.screen).__name__ == "ManualRenewModal"
        text = said(app, ".dialog-text")
        assert "•••• 7158" in text and "deleted for good" in text
        assert "pays each period by hand" in text
        if yes.startswith("#"):
            await pilot.click(yes)
        else:
            await pilot.press(yes)
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"
        shown = app.screen.data  # the screen read again after the write
        assert shown["manual_renew"] and shown["payment_method"] is None
    sub = Subscription.get_by_id(AUTOMATIC)
    assert sub.manual_renew and sub.payment_method_id is None
    assert PaymentMethod.get_or_none(PaymentMethod.id == card) is None
    assert len(charges_of(AUTOMATIC)) == charged
    audit = last_audit()
    assert (audit.action, audit.operator, audit.subscription_id) == (
        "manual-renew", "tester", AUTOMATIC)


@pytest.mark.parametrize("back", ["n", "escape", "#no"])
async def test_R_MANUAL_2_manual_renewal_back_writes_nothing(console, back):
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, AUTOMATIC)
        before = writes()
        await pilot.press("M")
        await settle(pilot)
        if back.startswith("#"):
            await pilot.click(back)
        else:
            await pilot.press(back)
        await settle(pilot)
        assert type(app.screen).__name__ == "SubscriptionScreen"
    assert writes() == before
    sub = Subscription.get_by_id(AUTOMATIC)
    assert not sub.manual_renew and sub.payment_method.last4 == "7158"


@pytest.mark.parametrize("sub_id, message", [
    (MANAGED, "is managed (adhoc); manual renewal does not apply"),
    (MANUAL, "already renews manually"),
], ids=["managed", "already-manual"])
async def test_R_MANUAL_2_a_refused_manual_renewal_is_said_in_the_dialog(console, sub_id,
                                                                         message):
    card = Subscription.get_by_id(sub_id).payment_method_id
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, sub_id)
        before = writes()
        await pilot.press("M")
        await settle(pilot)
        assert message in said(app, ".dialog-text") and refused(app, ".dialog-text")
        assert not confirm_enabled(app, "#yes")
        await pilot.press("y")  # nothing to confirm
        await settle(pilot)
        assert type(app.screen).__name__ == "ManualRenewModal"
        await pilot.press("n")
        await settle(pilot)
    assert writes() == before and Subscription.get_by_id(sub_id).payment_method_id == card


# --- the keys ---------------------------------------------------------------------------------

async def test_the_keys_are_listed_offered_and_clash_with_none(console):
    from opsconsole.tui.app import OpsConsole, binding_ids
    from opsconsole.tui.screens.detail import SubscriptionScreen

    keys = {"payment": "C", "manual-renew": "M", "pay": "dollar_sign"}
    assert set(keys) <= binding_ids()
    for ident, key in keys.items():  # one binding per key on the screen, the app's included
        bound = [b for b in [*SubscriptionScreen.BINDINGS, *OpsConsole.BINDINGS]
                 if key in b.key.split(",")]
        assert [b.id for b in bound] == [ident]
    app = console()
    async with app.run_test(size=SIZE) as pilot:
        await open_sub(pilot, AUTOMATIC)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Payment method", "Manual renewal", "Pay now"} <= titles
        await pilot.press("question_mark")
        await settle(pilot)
        table = app.screen.query_one("#keys")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        by_id = {r[2]: r[0] for r in rows}
        assert (by_id["payment"], by_id["manual-renew"], by_id["pay"]) == ("C", "M", "$")
