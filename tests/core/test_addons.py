"""R-ADDON-1..3: add-ons a product offers, a subscription carries, billed in one charge."""

import json

import pytest

from opsconsole.billing import actions, addons, present, proration
from opsconsole.errors import DomainError
from opsconsole.store.models import (
    Audit,
    Charge,
    Event,
    Notification,
    PaymentMethod,
    ProductAddon,
    SubscriptionAddon,
)
from tests.conftest import d


@pytest.fixture
def shop(make_store):
    """9.95 monthly with a free-standing 4.95 add-on and a single-choice support group."""
    s = make_store("2026-01-30")
    s.product("basic", "month", "9.95")
    addons.offer("basic", "storage", "4.95")
    addons.offer("basic", "support-standard", "3.00", group="support", single=True)
    addons.offer("basic", "support-priority", "8.00", group="support", single=True)
    return s


def writes() -> tuple[int, ...]:
    return (Charge.select().count(), Event.select().count(), Notification.select().count(),
            Audit.select().count(), SubscriptionAddon.select().count(),
            ProductAddon.select().count())


def refused(match: str, fn, *args, **kw) -> None:
    before = writes()
    with pytest.raises(DomainError, match=match):
        fn(*args, **kw)
    assert writes() == before


def test_R_ADDON_1_a_product_offers_addons_at_a_price_in_its_currency(shop):
    offered = addons.listing("basic")
    assert [(o["path"], o["price"], o["group"], o["single"]) for o in offered] == [
        ("support-priority", "8.00", "support", True),
        ("support-standard", "3.00", "support", True),
        ("storage", "4.95", None, False)]
    assert all(o["currency"] == "USD" for o in offered)
    again = addons.offer("basic", "storage", "5.50")  # a new price for new additions
    assert again["updated"] and again["price"] == "5.50"
    assert Audit.select().where(Audit.action == "product-addon").count() == 4


def test_R_ADDON_1_bad_offers_are_refused_and_write_nothing(shop):
    shop.product("yen", "month", "1000", currency="JPY")
    refused("decimal places", addons.offer, "yen", "extra", "4.95")
    refused("needs --group", addons.offer, "basic", "extra", "1.00", single=True)
    refused("single-choice; add --single", addons.offer, "basic", "support-gold", "9.00",
            group="support")
    refused("letters, digits", addons.offer, "basic", "a b", "1.00")
    refused("no product", addons.offer, "nope", "extra", "1.00")
    refused("more than zero", addons.offer, "basic", "extra", "0")
    refused("nothing to change", addons.offer, "basic", "storage", "4.95")


def test_R_ADDON_1_single_choice_holds_one_of_its_group_any_number_outside(shop):
    sub = shop.sub("basic")
    addons.add(sub, "support-standard")
    out = addons.add(sub, "support-priority")  # replaces the other one of its group
    assert "instead of support-standard" in out.message
    addons.add(sub, "storage", quantity=2)
    assert [(a["path"], a["quantity"]) for a in present.subscription(shop.get(sub))["addons"]] \
        == [("storage", 2), ("support-priority", 1)]
    addons.offer("basic", "backup", "1.00", group="extras")  # a multiple-choice group
    addons.offer("basic", "sync", "1.00", group="extras")
    addons.add(sub, "backup")
    addons.add(sub, "sync")
    assert len(present.subscription(shop.get(sub))["addons"]) == 4


def test_R_ADDON_1_a_group_cannot_become_single_while_a_subscription_holds_two(shop):
    addons.offer("basic", "backup", "1.00", group="extras")
    addons.offer("basic", "sync", "1.00", group="extras")
    sub = shop.sub("basic")
    addons.add(sub, "backup")
    addons.add(sub, "sync")
    refused("multiple-choice; leave out --single", addons.offer, "basic", "sync", "1.00",
            group="extras", single=True)


def test_R_ADDON_2_applies_from_the_next_charge_without_proration(shop):
    sub = shop.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01")
    preview = addons.preview_add(sub, "storage")
    assert (preview["before"], preview["after"], preview["next_charge_date"]) == \
        ("9.95", "14.90", "2026-02-01")
    assert writes()[4] == 0  # the preview wrote nothing
    out = addons.add(sub, "storage", operator="ana")
    assert out.ok and "9.95 -> 14.90" in out.message
    assert shop.charges(sub) == []  # nothing charged now
    assert shop.events(sub)[-1] == "subscription.updated"
    assert shop.emails(sub)[-1] == (d("2026-01-30"), "Subscription Updated")
    audit = Audit.select().where(Audit.action == "addon-add").get()
    assert audit.operator == "ana"
    assert json.loads(audit.before)["addons"] == []
    assert json.loads(audit.after)["addons"] == [{"path": "storage", "quantity": 1,
                                                  "price": "4.95"}]
    shop.run_until("2026-02-01")
    assert shop.charges(sub) == [("2026-02-01", "rebill", 1490, "completed")]
    addons.remove(sub, "storage")
    assert shop.charges(sub) == [("2026-02-01", "rebill", 1490, "completed")]
    assert shop.events(sub)[-1] == "subscription.updated"
    shop.run_until("2026-03-01")
    assert shop.charges(sub)[-1] == ("2026-03-01", "rebill", 995, "completed")


def test_R_ADDON_2_a_quantity_change_keeps_the_price_it_took(shop):
    sub = shop.sub("basic")
    addons.add(sub, "storage")
    addons.offer("basic", "storage", "6.00")
    assert addons.preview_add(sub, "storage", 2)["after"] == "19.85"  # 9.95 + 2 x 4.95
    other = shop.sub("basic")
    assert addons.preview_add(other, "storage")["after"] == "15.95"  # 9.95 + 6.00


def test_R_ADDON_2_refusals_are_one_clear_reason_and_write_nothing(shop):
    sub = shop.sub("basic")
    euro = shop.sub("basic", currency="EUR", price="9.00")
    gone = shop.sub("basic")
    actions.cancel(gone, now=True)
    refused("does not offer the add-on 'nope'", addons.add, sub, "nope")
    refused("currencies differ", addons.add, euro, "storage")
    refused("quantity must be from 1", addons.add, sub, "storage", quantity=0)
    refused("deactivated", addons.add, gone, "storage")
    refused("carries no add-on 'storage'", addons.remove, sub, "storage")
    addons.add(sub, "storage")
    refused("already carries storage x 1", addons.add, sub, "storage")
    refused("deactivated", addons.remove, gone, "storage")
    shop.product("big", "month", "999999.00")
    addons.offer("big", "huge", "2.00")
    big = shop.sub("big")
    refused("above the limit of 1,000,000", addons.add, big, "huge")


def test_R_ADDON_3_every_charge_of_the_period_is_one_aggregate_row(shop):
    shop.product("usage", "adhoc", "9.95")
    addons.offer("usage", "storage", "4.95")
    rebill = shop.sub("basic", next_charge="2026-01-31")
    retry = shop.sub("basic", next_charge="2026-01-31", token="tok_chargeDeclined")
    resume = shop.sub("basic", next_charge="2026-01-31")
    managed = shop.sub("usage", next_charge=None)
    manual = shop.sub("basic", next_charge="2026-02-05", manual_renew=True, token=None)
    for sub in (rebill, retry, resume, managed, manual):
        addons.add(sub, "storage")
    actions.pause(resume, 1)
    shop.run(1)  # 01-31: rebills
    assert shop.charges(rebill) == [("2026-01-31", "rebill", 1490, "completed")]
    assert shop.charges(retry) == [("2026-01-31", "rebill", 1490, "failed")]
    assert shop.get(retry).dunning_amount == 1490
    PaymentMethod.update(token="tok_visa").where(
        PaymentMethod.id == shop.get(retry).payment_method_id).execute()
    shop.run(1)  # 02-01: day 1 retry
    assert shop.charges(retry)[-1] == ("2026-02-01", "retry", 1490, "completed")
    assert shop.get(resume).state == "paused"
    actions.resume(resume)
    assert shop.charges(resume) == [("2026-02-01", "resume", 1490, "completed")]
    assert actions.charge(managed).charge["amount"] == "14.90"
    actions.pay(manual, "tok_once")
    assert shop.charges(manual) == [("2026-02-01", "payment", 1490, "completed")]


def test_R_ADDON_3_a_discount_applies_to_the_base_amount_only(shop):
    sub = shop.sub("basic", discount_type="percent", discount_value=5000,
                   discount_remaining=1, next_charge="2026-01-31")
    addons.add(sub, "storage")
    shop.run(1)
    assert shop.charges(sub)[-1][2] == 498 + 495  # half of 9.95, rounded, then 4.95 whole
    amount_off = shop.sub("basic", discount_type="amount", discount_value=2000,
                          next_charge="2026-01-31")
    addons.add(amount_off, "storage")
    assert present.subscription(shop.get(amount_off))["amount"] == "4.95"  # base never < 0


def test_R_ADDON_3_subs_show_amount_is_the_total_and_lists_the_addons(shop):
    sub = shop.sub("basic", quantity=2)
    addons.add(sub, "storage", quantity=3)
    addons.add(sub, "support-priority")
    shown = present.subscription(shop.get(sub))
    assert shown["price"] == "9.95" and shown["amount"] == "42.75"  # 19.90 + 14.85 + 8.00
    assert shown["addons"] == [{"path": "storage", "quantity": 3, "price": "4.95"},
                               {"path": "support-priority", "quantity": 1, "price": "8.00"}]
    assert present.subscription(shop.get(shop.sub("basic")))["addons"] == []
    payload = shop.event_rows(sub, "subscription.updated")[-1][1]
    assert payload["amount"] == "42.75" and len(payload["addons"]) == 2


def test_R_ADDON_3_renewing_into_another_product_drops_what_it_does_not_offer(make_store):
    s = make_store("2026-01-30")
    s.product("pro", "month", "30.00")
    s.product("intro", "month", "5.00", rebills=1, renews_into="pro")
    addons.offer("intro", "storage", "2.00")
    addons.offer("intro", "coaching", "10.00")
    addons.offer("pro", "storage", "4.00")
    sub = s.sub("intro", next_charge="2026-02-01", charges_left=1)
    addons.add(sub, "storage")
    addons.add(sub, "coaching")
    s.run_until("2026-02-01")
    assert s.charges(sub) == [("2026-02-01", "rebill", 1700, "completed")]
    s.run_until("2026-03-01")
    row = s.get(sub)
    assert row.product.path == "pro"
    assert s.charges(sub)[-1] == ("2026-03-01", "rebill", 3400, "completed")  # 30 + 4
    switched = s.event_rows(sub, "subscription.updated")[-1][1]
    assert switched["product"] == "pro"
    assert switched["addons"] == [{"path": "storage", "quantity": 1, "price": "4.00"}]


def test_R_ADDON_3_proration_quotes_the_amounts_with_addons(make_store):
    s = make_store("2026-01-16")
    s.product("basic", "month", "30.00")
    s.product("premium", "month", "60.00")
    addons.offer("basic", "storage", "10.00")
    sub = s.sub("basic", next_charge="2026-02-01", begin_date="2026-01-01")
    addons.add(sub, "storage")
    review = proration.review(sub, product="premium")  # premium does not offer storage
    assert (review.old["amount"], review.new["amount"]) == ("40.00", "60.00")
    _, out = proration.confirm(sub, product="premium")
    assert present.subscription(s.get(sub))["addons"] == []


def test_R_ADDON_3_bulk_price_review_counts_addon_revenue(shop):
    from opsconsole.billing import bulk

    sub = shop.sub("basic")
    shop.sub("basic")
    addons.add(sub, "storage", quantity=2)
    plan = bulk.plan("basic", price="10.95").as_dict()
    assert (plan["monthly_before"], plan["monthly_after"], plan["monthly_addons"],
            plan["monthly_change"]) == ("29.80", "31.80", "9.90", "2.00")


def test_R_ADDON_3_a_day_says_what_it_took_in_and_the_addons_part(shop):
    from opsconsole.billing import daily

    sub = shop.sub("basic", next_charge="2026-01-31")
    shop.sub("basic", next_charge="2026-01-31")
    addons.add(sub, "storage")
    shop.run(1)
    assert daily.revenue(d("2026-01-31")) == [{"currency": "USD", "amount": "24.85",
                                               "addons": "4.95"}]
    assert daily.revenue(d("2026-02-01")) == []
