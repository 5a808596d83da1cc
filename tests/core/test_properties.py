"""Property-based tests (hypothesis): schedule arithmetic, money, and a state machine of random
operator actions and days that never reaches an impossible state."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from opsconsole import clock
from opsconsole.billing import actions, money, proration, schedule
from opsconsole.errors import DomainError

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
units = st.sampled_from(["day", "week", "month", "year"])


@given(start=days, unit=units, length=st.integers(1, 12), times=st.integers(1, 30))
def test_R_SCHED_2_schedule_dates_strictly_increase(start, unit, length, times):
    chain = [start]
    for _ in range(times):
        chain.append(schedule.advance(chain[-1], unit, length))
    assert all(a < b for a, b in zip(chain, chain[1:]))


@given(start=days, length=st.integers(1, 12), times=st.integers(1, 40))
def test_R_SCHED_2_month_end_rule_for_every_start_day(start, length, times):
    """Each date is the previous one plus `length` months, clamped; a clamped day sticks."""
    day = start
    for _ in range(times):
        nxt = schedule.advance(day, "month", length)
        months = (nxt.year - day.year) * 12 + nxt.month - day.month
        assert months == length
        assert nxt.day == day.day or (nxt.day < day.day and (nxt + dt.timedelta(days=1)).day == 1)
        assert nxt.day <= start.day
        day = nxt


def _pendulum_step(day: dt.date, unit: str, length: int) -> dt.date:
    """The schedule's arithmetic as it was done with pendulum, the reference for the plain one."""
    import pendulum

    moved = pendulum.Date(day.year, day.month, day.day)
    moved = moved.add(**{unit + "s": length}) if length >= 0 \
        else moved.subtract(**{unit + "s": -length})
    return dt.date(moved.year, moved.month, moved.day)


wide_days = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(8000, 12, 31))


@settings(max_examples=2000)
@given(start=wide_days, unit=units, length=st.integers(1, 400), times=st.integers(1, 4))
def test_R_SCHED_2_plain_date_arithmetic_is_pendulums(start, unit, length, times):
    """advance, back and add_months moved off pendulum (the daily process's hot path): they
    give what pendulum's Date.add and subtract give, chained one interval at a time."""
    want = start
    for _ in range(times):
        want = _pendulum_step(want, unit, length)
    assert schedule.advance(start, unit, length, times) == want
    assert schedule.back(start, unit, length) == _pendulum_step(start, unit, -length)
    if unit == "month":
        assert schedule.add_months(start, length) == _pendulum_step(start, "month", length)
        assert schedule.add_months(start, -length) == _pendulum_step(start, "month", -length)


@pytest.mark.parametrize("day", [dt.date(2024, 1, 31), dt.date(2024, 2, 29), dt.date(2023, 3, 31),
                                 dt.date(2024, 12, 31), dt.date(2025, 1, 1)])
@pytest.mark.parametrize("unit", ["day", "week", "month", "year"])
def test_R_SCHED_2_plain_date_arithmetic_at_month_and_year_ends(day, unit):
    for length in (1, 2, 11, 12, 13, 59):
        assert schedule.advance(day, unit, length) == _pendulum_step(day, unit, length)
        assert schedule.back(day, unit, length) == _pendulum_step(day, unit, -length)


@given(minor=st.integers(0, 10**12), currency=st.sampled_from(["USD", "JPY", "KWD", "EUR"]))
def test_R_MONEY_1_amounts_round_trip_exactly(minor, currency):
    text = money.format_amount(minor, currency)
    assert money.parse_amount(text, currency) == minor
    assert "e" not in text.lower()


@given(value=st.decimals(min_value=-10**6, max_value=10**6, places=3, allow_nan=False))
def test_R_MONEY_1_rounding_is_half_up(value):
    rounded = money.round_half_up(value)
    assert abs(Decimal(rounded) - value) <= Decimal("0.5")
    if abs(value - int(value)) == Decimal("0.5"):
        assert abs(rounded) == abs(int(value)) + 1


@given(minor=st.integers(-10**15, 10**15), numerator=st.integers(-10**6, 10**6),
       denominator=st.integers(1, 10**6))
def test_R_MONEY_1_fraction_of_is_the_exact_quotient_rounded_half_up(minor, numerator,
                                                                     denominator):
    exact = Fraction(minor * numerator, denominator)
    got = money.fraction_of(minor, numerator, denominator)
    assert abs(got - exact) <= Fraction(1, 2)
    if abs(got - exact) == Fraction(1, 2):  # a tie goes away from zero
        assert abs(got) > abs(exact)
    # the same as rounding the Decimal quotient, at any size a store holds
    assert got == money.round_half_up(Decimal(minor) * numerator / denominator)


@given(old=st.integers(0, 10**8), new=st.integers(0, 10**8),
       start=days, period=st.integers(1, 400), offset=st.integers(0, 400))
def test_R_PRORATE_2_quote_is_exact_and_bounded(old, new, start, period, offset):
    end = start + dt.timedelta(days=period)
    today = start + dt.timedelta(days=min(offset, period))
    q = proration.compute(old, new, start, end, today)
    assert isinstance(q.credit, int) and isinstance(q.charge, int)
    assert 0 <= q.credit <= old and 0 <= q.charge <= new
    assert q.net == q.charge - q.credit
    assert q.left == (end - today).days and q.total == period


class Store(RuleBasedStateMachine):
    """Random operator actions and days on a small store; the invariants must always hold."""

    def __init__(self):
        super().__init__()
        import tempfile

        from opsconsole.billing import products
        from opsconsole.transfer.importer import import_file  # noqa: F401

        self.dir = tempfile.TemporaryDirectory()
        clock.init_store(f"{self.dir.name}/s.db", dt.date(2026, 1, 28))
        products.add("m", "M", "month", "10.00")
        products.add("w", "W", "week", "3.00")
        products.add("a", "A", "adhoc", "1.00")
        from opsconsole.billing import signup
        from opsconsole.store import context
        from opsconsole.store.models import Product

        ctx = context.current("prop")
        tokens = ["tok_visa", "tok_chargeDeclined", None]
        self.ids = []
        for i, path in enumerate(["m", "m", "w", "a", "m"]):
            product = Product.get(Product.path == path)
            new = signup.NewSubscription(
                product=product, email=f"p{i}@example.com", first="P", last=str(i),
                currency="USD", price=product.price, interval_unit=product.interval_unit,
                next_charge_date=None if path == "a" else dt.date(2026, 1, 29 + i % 3),
                token=tokens[i % 3] if path != "a" else "tok_visa",
                manual_renew=(i == 4), trial_end_date=dt.date(2026, 1, 29) if i == 1 else None)
            self.ids.append(signup.create(ctx, new).id)
        self.deactivated: set[int] = set()
        # Never charge a paused or deactivated subscription: checked at the moment of charging.
        from opsconsole.billing import charging

        self._attempt = charging.attempt

        def attempt(ctx, sub, kind, *args, **kwargs):
            if kind in ("rebill", "retry", "managed"):
                assert sub.state not in ("paused", "deactivated"), (sub.id, sub.state, kind)
            return self._attempt(ctx, sub, kind, *args, **kwargs)

        charging.attempt = attempt

    def teardown(self):
        from opsconsole.billing import charging
        from opsconsole.store import db as store_db

        charging.attempt = self._attempt
        store_db.close_store()
        self.dir.cleanup()

    def _try(self, fn, *args):
        try:
            fn(*args)
        except DomainError:
            pass  # a refusal is a fine outcome; an exception of any other kind is not

    @rule(i=st.integers(0, 4), periods=st.integers(0, 13))
    def pause(self, i, periods):
        self._try(actions.pause, self.ids[i], periods)

    @rule(i=st.integers(0, 4), now=st.booleans())
    def cancel(self, i, now):
        self._try(actions.cancel, self.ids[i], now)

    @rule(i=st.integers(0, 4))
    def uncancel(self, i):
        from opsconsole.store.models import Subscription

        before = Subscription.get_by_id(self.ids[i]).state
        self._try(actions.uncancel, self.ids[i])
        assert not (before == "deactivated" and
                    Subscription.get_by_id(self.ids[i]).state != "deactivated")

    @rule(i=st.integers(0, 4))
    def resume(self, i):
        self._try(actions.resume, self.ids[i])

    @rule(i=st.integers(0, 4))
    def cancel_pause(self, i):
        self._try(actions.cancel_pause, self.ids[i])

    @rule(i=st.integers(0, 4))
    def charge(self, i):
        self._try(actions.charge, self.ids[i])

    @rule(i=st.integers(0, 4), token=st.sampled_from(["tok_visa", "tok_chargeDeclined"]))
    def payment(self, i, token):
        self._try(actions.set_payment, self.ids[i], token)

    @rule(i=st.integers(0, 4), quantity=st.integers(1, 4))
    def prorate(self, i, quantity):
        self._try(proration.confirm, self.ids[i], None, quantity)

    @rule(n=st.integers(1, 9))
    def run_days(self, n):
        from opsconsole.store.models import Subscription

        dead = {s.id for s in Subscription.select().where(Subscription.state == "deactivated")}
        clock.run_days(days=n)
        self.deactivated |= dead

    @invariant()
    def no_impossible_state(self):
        from opsconsole.store.models import Charge, Subscription

        for sub in Subscription.select():
            assert sub.state in ("trial", "active", "overdue", "paused", "deactivated")
            if sub.state == "paused":
                assert sub.resume_date is not None and sub.next_charge_date == sub.resume_date
            if sub.state == "overdue":
                assert sub.overdue_since is not None and sub.dunning_amount is not None
            if sub.interval_unit == "adhoc":
                assert sub.next_charge_date is None
            if sub.id in self.deactivated:
                assert sub.state == "deactivated"  # never comes back
            charged = [c for c in Charge.select().where(Charge.subscription == sub,
                                                        Charge.status == "completed",
                                                        Charge.kind.in_(["rebill", "retry"]))]
            scheduled = [c.scheduled_date for c in charged]
            assert len(scheduled) == len(set(scheduled)), "charged twice for one date"
            assert all(c.amount >= 0 for c in Charge.select().where(Charge.subscription == sub))

TestStoreStateMachine = Store.TestCase
TestStoreStateMachine.settings = settings(max_examples=60, stateful_step_count=30,
                                          deadline=None,
                                          suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("currency", ["USD", "JPY"])
def test_R_MONEY_1_no_float_reaches_a_stored_amount(currency):
    with pytest.raises(TypeError):
        money.parse_amount(1.5, currency)
