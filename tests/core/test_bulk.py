"""R-BULK-1."""

import json

import pytest

from opsconsole.billing import actions, bulk
from opsconsole.errors import DomainError
from opsconsole.store.models import Audit, Event, Notification


def test_R_BULK_1_preview_every_change_and_write_nothing(store):
    a = store.sub(price="30.00")
    b = store.sub(price="20.00", quantity=2)
    gone = store.sub(price="30.00")
    actions.cancel(gone, now=True)
    before = (Event.select().count(), Notification.select().count())
    plan = bulk.plan("monthly", percent="10").as_dict()
    assert plan["count"] == 2
    assert plan["rows"] == [{"id": a, "old": "30.00", "new": "33.00"},
                            {"id": b, "old": "20.00", "new": "22.00"}]
    assert plan["monthly_change"] == "7.00"
    assert (Event.select().count(), Notification.select().count()) == before
    assert store.get(a).price == 3000


def test_R_BULK_1_apply_in_one_transaction_with_events_and_emails(store):
    subs = [store.sub(price="30.00") for _ in range(3)]
    plan = bulk.apply("monthly", price="35.00", operator="ops")
    assert len(plan.rows) == 3
    for sub in subs:
        assert store.get(sub).price == 3500
        assert store.events(sub)[-1] == "subscription.updated"
        assert store.emails(sub)[-1][1] == "Subscription Updated"
    assert Event.select().where(Event.type == "subscription.updated").count() == 3
    assert Notification.select().where(Notification.template == "Subscription Updated"
                                       ).count() == 3


def _bulk_audit_rows() -> list[Audit]:
    return list(Audit.select().where(Audit.action == "bulk-price").order_by(Audit.id))


def test_R_BULK_1_the_audit_log_records_the_bulk_action_as_one_row(store):
    """One operator action, one row: no subscription of its own; detail names the product and
    the change; before/after map every subscription's id to its old and new price."""
    a = store.sub(price="30.00")
    b = store.sub(price="20.00", quantity=2)
    same = store.sub(price="35.00")  # already at the new price: not changed, not audited
    plan = bulk.apply("monthly", price="35.00", operator="ops")
    assert [r[0] for r in plan.rows] == [a, b]
    [row] = _bulk_audit_rows()
    assert row.subscription_id is None and row.operator == "ops"
    assert json.loads(row.detail) == {"product": "monthly", "currency": "USD",
                                      "change": {"price": "35.00"}, "count": 2}
    assert json.loads(row.before) == {str(a): "30.00", str(b): "20.00"}
    assert json.loads(row.after) == {str(a): "35.00", str(b): "35.00"}
    assert str(same) not in json.loads(row.before)
    assert Audit.select().where(Audit.subscription.in_([a, b, same])).count() == 0


def test_R_BULK_1_the_one_audit_row_matches_the_plan_row_for_row(store):
    subs = [store.sub(price=price) for price in ("30.00", "19.99", "7.05", "100.00")]
    store.product("weekly", "week", "9.00")
    store.sub("weekly")  # another product: not in the action
    plan = bulk.apply("monthly", percent="-12.5", operator="pricing").as_dict()
    [row] = _bulk_audit_rows()
    assert json.loads(row.detail) == {"product": "monthly", "currency": "USD",
                                      "change": {"percent": "-12.5"}, "count": 4}
    before, after = json.loads(row.before), json.loads(row.after)
    assert list(before) == list(after) == [str(s) for s in subs]  # in id order
    assert [{"id": int(k), "old": before[k], "new": after[k]} for k in before] == plan["rows"]
    assert row.operator == "pricing"


def test_R_BULK_1_each_bulk_action_is_its_own_audit_row(store):
    a = store.sub(price="30.00")
    bulk.apply("monthly", percent="10", operator="ops")
    bulk.apply("monthly", percent="10", operator="ops")
    first, second = _bulk_audit_rows()
    assert json.loads(first.after) == json.loads(second.before) == {str(a): "33.00"}
    assert json.loads(second.after) == {str(a): "36.30"}


def test_R_BULK_1_a_refused_bulk_writes_no_audit_row(store):
    store.sub(price="30.00")
    audited = Audit.select().count()
    with pytest.raises(DomainError, match="no subscription"):
        bulk.apply("monthly", price="30.00", operator="ops")  # nothing would change
    with pytest.raises(DomainError):
        bulk.apply("monthly", price="0", operator="ops")
    with pytest.raises(DomainError):
        bulk.apply("monthly", percent="-100", operator="ops")
    assert Audit.select().count() == audited
    assert _bulk_audit_rows() == []


def test_R_BULK_1_new_prices_apply_at_the_next_charge_without_proration(store):
    sub = store.sub(next_charge="2026-02-01", price="30.00")
    bulk.apply("monthly", percent="-10")
    assert store.charges(sub) == []
    store.run_until("2026-02-01")
    assert store.charges(sub) == [("2026-02-01", "rebill", 2700, "completed")]


def test_R_BULK_1_currency_required_when_several(store):
    store.sub(price="30.00")
    eur = store.sub(price="28.00", currency="EUR")
    with pytest.raises(DomainError, match="USD.*EUR|EUR.*USD"):
        bulk.plan("monthly", price="40.00")
    plan = bulk.plan("monthly", price="31.00", currency="EUR")
    assert [r[0] for r in plan.rows] == [eur]


def test_R_BULK_1_warns_when_payment_reminders_are_off(store):
    store.product("quiet", "month", "9.00", reminder_days=0)
    store.sub("quiet")
    assert bulk.plan("quiet", price="10.00").warnings
    assert not bulk.plan("monthly", price="10.00").warnings


def test_R_BULK_1_refuses_prices_of_zero_or_less(store):
    store.sub()
    with pytest.raises(DomainError):
        bulk.plan("monthly", percent="-100")
    with pytest.raises(DomainError):
        bulk.plan("monthly", price="0")
    with pytest.raises(DomainError, match="no subscription"):
        bulk.apply("monthly", price="30.00")


def test_R_BULK_1_monthly_figures_are_each_subscription_per_month_summed(store):
    """The preview's monthly revenue before and after, summed per interval: equal to each
    subscription's own amount per month, exactly, whatever its interval."""
    from fractions import Fraction

    terms = [("month", 1, "30.00", 1), ("month", 3, "19.99", 2), ("week", 2, "7.45", 1),
             ("year", 1, "99.95", 3), ("day", 10, "1.15", 1), ("week", 1, "3.33", 5)]
    for unit, length, price, quantity in terms:
        store.sub(price=price, interval=unit, length=length, quantity=quantity)
    plan = bulk.plan("monthly", percent="7.5")
    per_month = {"day": Fraction(365, 12), "week": Fraction(52, 12), "month": Fraction(1),
                 "year": Fraction(1, 12)}
    before = after = Fraction(0)
    for (unit, length, _price, quantity), (_id, old, new) in zip(terms, plan.rows):
        before += old * quantity * per_month[unit] / length
        after += new * quantity * per_month[unit] / length
        # the new price is the old one x 1.075, rounded half up to the cent
        assert new == int(Fraction(old * 1075, 1000) + Fraction(1, 2))

    def half_up(value: Fraction) -> int:
        return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))

    assert len(plan.rows) == len(terms)
    assert (plan.monthly_before, plan.monthly_after, plan.monthly_change) == (
        half_up(before), half_up(after), half_up(after - before))


@pytest.mark.parametrize("column,value", [("price", "'abc'"), ("quantity", "2.5"),
                                          ("begin_date", "'garbage'")])
def test_R_BULK_1_a_row_the_store_cannot_read_refuses_the_bulk_naming_it(store, engine, column,
                                                                         value):
    """A damaged row (SQLite keeps any value in any column; a PostgreSQL column refuses it) is
    a clear refusal naming the subscription, and the bulk writes nothing: no traceback, no
    'internal error'."""
    if engine != "sqlite":
        pytest.skip("a PostgreSQL column holds only its own type")
    from opsconsole.store.models import database

    good = store.sub(price="30.00")
    bad = store.sub(price="30.00")
    database.execute_sql(f"UPDATE subscription SET {column} = {value} WHERE id = ?", (bad,))
    before = (Event.select().count(), Notification.select().count(), Audit.select().count())
    with pytest.raises(DomainError, match=f"subscription {bad} "):
        bulk.apply("monthly", percent="10", operator="ops")
    assert (Event.select().count(), Notification.select().count(),
            Audit.select().count()) == before
    assert store.get(good).price == 3000
