"""R-INPUT-1 on what is already stored: a value no command writes (a quantity of -2, a state of
'bogus'), put there behind the store's back, is named wherever the subscription is read to be
billed or shown (billing/values). The fast check run on every due subscription and the one that
names the values give the same answer."""

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from opsconsole.billing import addons, present, subs, values
from opsconsole.errors import Unreadable
from opsconsole.store import bulkload
from opsconsole.store.models import Product, Subscription, SubscriptionAddon

# (column, a value no subscription can hold); each is of the column's own type where the
# column has one, so PostgreSQL holds it as well
BAD = [
    ("state", "bogus"), ("quantity", 0), ("quantity", -2), ("quantity", 10_001),
    ("price", -1), ("price", 100_000_001), ("currency", "XXY"), ("interval_unit", "fortnight"),
    ("interval_length", 0), ("interval_length", 13), ("discount_type", "half"),
    ("discount_remaining", -1), ("rebills_left", -5), ("reminder_days", 366),
    ("trial_reminder_days", -1), ("deactivate_after_days", 1000),
    ("overdue_notice_days", "1,x"), ("dunning_kind", "whenever"), ("dunning_amount", -3),
    ("dunning_attempts", -1), ("end_date", dt.date(2300, 1, 1)),
    ("dunning_next", dt.date(1999, 12, 31)), ("remind_on", dt.date(2200, 1, 1)),
    ("period_start", dt.date(1900, 1, 1)), ("last_prorated", dt.date(2300, 1, 1)),
]
# present.READS: what a list's light row is read with, and so held to
READ_BY_A_LIST = set(present.READS.subscription or ())


def _loaded(sub_id: int) -> Subscription:
    """As run-day loads it: the driver's values, add-ons attached."""
    products = {p.id: p for p in Product.select()}
    return subs.preload(bulkload.subscriptions([sub_id], products))[0]


def _light(sub_id: int):
    products = {p.id: p for p in Product.select()}
    return subs.preload(bulkload.subscription_rows([sub_id], products, present.READS))[0]


def test_a_subscription_as_signed_up_passes(store):
    sub_id = store.sub(next_charge="2026-02-01")
    assert values.problems(_loaded(sub_id)) == []
    values.require(_loaded(sub_id))
    values.require(_light(sub_id))
    values.require(subs.find(sub_id))


@pytest.mark.parametrize(("column", "value"), BAD)
def test_R_INPUT_1_a_stored_value_outside_the_limits_is_named(store, column, value):
    sub_id = store.sub(next_charge="2026-02-01")
    Subscription.update({column: value}).where(Subscription.id == sub_id).execute()
    shown = re.escape(value.isoformat() if isinstance(value, dt.date) else repr(value))
    with pytest.raises(Unreadable, match=f"subscription {sub_id} holds {column} {shown}, "
                                         "which must be"):
        values.require(_loaded(sub_id))
    with pytest.raises(Unreadable, match=f"holds {column} {shown}"):
        subs.find(sub_id)  # an action or `subs show`
    if column in READ_BY_A_LIST:
        with pytest.raises(Unreadable, match=f"holds {column} {shown}"):
            values.require(_light(sub_id))


def test_R_INPUT_1_a_discount_with_no_value_and_overdue_with_no_date_are_named(store):
    sub_id = store.sub(next_charge="2026-02-01")
    Subscription.update(discount_type="percent", discount_value=None).where(
        Subscription.id == sub_id).execute()
    with pytest.raises(Unreadable, match="holds discount_value None, which must be"):
        values.require(_loaded(sub_id))
    Subscription.update(discount_type=None, state="overdue", overdue_since=None).where(
        Subscription.id == sub_id).execute()
    with pytest.raises(Unreadable, match="holds overdue_since None, which must be a date"):
        values.require(_loaded(sub_id))


def test_R_INPUT_1_an_add_on_outside_the_limits_is_named_with_its_subscription(store):
    addons.offer("monthly", "seats", "5.00")
    sub_id = store.sub(next_charge="2026-02-01")
    addons.add(sub_id, "seats", operator="t")
    SubscriptionAddon.update(quantity=0).execute()
    with pytest.raises(Unreadable, match="holds add-on seats quantity 0, which must be"):
        values.require(_loaded(sub_id))
    with pytest.raises(Unreadable, match="holds add-on seats quantity 0"):
        subs.find(sub_id)


# the columns the fast check reads, each with values in and out of its limits
_COLUMNS: dict[str, list] = {
    "state": ["active", "trial", "overdue", "paused", "deactivated", "x"],
    "quantity": [1, 2, 10_000, 0, -2, 10_001],
    "price": [0, 3000, 100_000_000, -1, 100_000_001],
    "currency": ["USD", "JPY", "EUR", "XXY"],
    "interval_unit": ["day", "month", "year", "adhoc", "fortnight"],
    "interval_length": [1, 2, 10, 12, 0, 13, 366],
    "discount_type": [None, None, "percent", "amount", "half"],
    "discount_value": [None, 1, 500, 10_000, 10_001, 0, -1],
    "discount_remaining": [None, 0, 3, -1, 10_001],
    "rebills_left": [None, 0, 5, -1],
    "reminder_days": [0, 7, 365, -1, 366],
    "deactivate_after_days": [7, 0, 400],
    "overdue_notice_days": ["1,3,5", "", "2", "1,x", "1;2"],
    "dunning_kind": [None, "rebill", "manual", "later"],
    "dunning_amount": [None, 0, 100, -1],
    "dunning_attempts": [0, 2, -1],
    "overdue_since": [None, "2026-01-01"],
    "dunning_next": [None, dt.date(2026, 1, 1), dt.date(2200, 1, 1)],
    "next_charge_date": [None, dt.date(2199, 12, 31), dt.date(1999, 1, 1)],
    "period_start": [None, dt.date(2026, 1, 1), dt.date(1900, 1, 1)],
    # as a store file written to by hand holds them (models.BooleanField keeps them as stored)
    "manual_renew": [False, True, "no", 7],
    "next_charge_text": [None, "2026-W06-1"],
}


@st.composite
def _few_spoiled(draw) -> dict:
    """Each column's first value (a good one) but for up to three: a row with one bad value
    among good ones, which a draw over every column's values alone would seldom make."""
    spoiled = draw(st.sets(st.sampled_from(sorted(_COLUMNS)), max_size=3))
    return {name: draw(st.sampled_from(options)) if name in spoiled else options[0]
            for name, options in _COLUMNS.items()}


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(_few_spoiled(),
                 st.fixed_dictionaries({n: st.sampled_from(v) for n, v in _COLUMNS.items()})))
def test_the_fast_check_and_the_naming_one_agree(store, columns):
    """require() passes what the fast check passes, and names what problems() finds: the two
    must agree on every combination, or a bad row would be billed (or a good one stopped)."""
    sub = Subscription()
    sub.__data__.update(columns, id=1)
    if columns["overdue_since"]:
        sub.__data__["overdue_since"] = dt.date.fromisoformat(columns["overdue_since"])
    if text := sub.__data__.pop("next_charge_text"):
        sub.__data__["next_charge_date"] = Subscription.next_charge_date.python_value(text)
    sub._addons = []
    assert values._fine(sub.__data__.get, [], True) == (values.problems(sub) == [])
