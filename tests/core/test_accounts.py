"""R-ACCOUNT-1 (customer accounts) and R-TRIAL-2 (repeat trials)."""

import pytest

from opsconsole.billing import accounts, actions, addons, present, proration
from opsconsole.errors import DomainError
from opsconsole.store import queries
from tests.conftest import d


def test_R_ACCOUNT_1_an_account_lists_its_subscriptions_and_charges_total(make_store):
    s = make_store("2026-01-16")
    s.product("basic", "month", "30.00")
    s.product("box", "week", "10.00")
    addons.offer("basic", "storage", "5.00")
    first = s.sub("basic", email="ada@example.com", next_charge="2026-01-17",
                  begin_date="2026-01-01")
    second = s.sub("box", email="ada@example.com", next_charge="2026-01-20")
    s.sub("basic", email="bob@example.com", next_charge="2026-01-17")
    addons.add(first, "storage")
    s.run_until("2026-01-20")
    proration.confirm(first, price="20.00")  # a refund is money returned
    shown = accounts.show("ada@example.com")
    assert [x["id"] for x in shown["subscriptions"]] == [second, first]  # next charge order
    row = {x["id"]: x for x in shown["subscriptions"]}[first]
    assert (row["state"], row["product"], row["amount"], row["next_charge_date"]) == \
        ("active", "basic", "25.00", "2026-02-17")
    refund = s.charges(first)[-1]
    assert refund[1] == "refund"
    assert shown["charges_total"] == [{"currency": "USD", "charged": "45.00",
                                       "refunded": f"{refund[2] / 100:.2f}",
                                       "total": f"{(4500 - refund[2]) / 100:.2f}"}]
    assert accounts.show("ADA@Example.com")["email"] == "ada@example.com"  # any case
    others = accounts.of_subscription(first)["others"]
    assert [x["id"] for x in others] == [second]


def test_R_ACCOUNT_1_an_unknown_email_is_refused(store):
    with pytest.raises(DomainError, match="no account with the email 'nobody@example.com'"):
        accounts.show("nobody@example.com")
    with pytest.raises(DomainError, match="control character"):
        accounts.show("a\x1b@example.com")


def test_R_TRIAL_2_a_second_trial_of_the_same_product_is_a_repeat_trial(store):
    store.product("other", "month", "10.00")
    first = store.sub(email="eve@example.com", next_charge="2026-02-05",
                      trial_end_date="2026-02-04")
    again = store.sub(email="eve@example.com", next_charge="2026-02-10",
                      trial_end_date="2026-02-09")
    elsewhere = store.sub("other", email="eve@example.com", next_charge="2026-02-10",
                          trial_end_date="2026-02-09")
    stranger = store.sub(email="sam@example.com", next_charge="2026-02-10",
                         trial_end_date="2026-02-09")
    flags = {i: present.subscription(store.get(i))["repeat_trial"]
             for i in (first, again, elsewhere, stranger)}
    assert flags == {first: False, again: True, elsewhere: False, stranger: False}
    assert "repeat trial" in present.flags(present.subscription(store.get(again)))
    listed = [s.id for s in queries.subscriptions(repeat_trials_only=True)]
    assert listed == [again]
    assert queries.count_subscriptions(repeat_only=True) == 1
    assert [s.id for s in queries.subscription_page(repeat_only=True)] == [again]
    assert accounts.show("eve@example.com")["subscriptions"][1]["repeat_trial"] is True


def test_R_TRIAL_2_a_deactivated_earlier_one_counts_and_the_operator_cancels_now(store):
    old = store.sub(email="eve@example.com", next_charge="2026-02-05")
    actions.cancel(old, now=True)
    again = store.sub(email="eve@example.com", next_charge="2026-02-10",
                      trial_end_date="2026-02-09")
    assert present.subscription(store.get(again))["repeat_trial"]
    out = actions.cancel(again, now=True)
    assert out.subscription["state"] == "deactivated"
    assert not out.subscription["repeat_trial"]  # no longer a trial


def test_R_TRIAL_2_a_converted_trial_is_no_longer_flagged(store):
    store.sub(email="eve@example.com", next_charge="2026-02-05")
    again = store.sub(email="eve@example.com", next_charge="2026-01-31",
                      trial_end_date="2026-01-30")
    assert present.subscription(store.get(again))["repeat_trial"]
    store.run(1)
    assert store.get(again).state == "active"
    assert not present.subscription(store.get(again))["repeat_trial"]
    assert store.get(again).next_charge_date == d("2026-02-28")
