"""Section 2: money."""

from decimal import Decimal
from pathlib import Path

import pytest

from opsconsole.billing import money, subs
from opsconsole.errors import DomainError
from opsconsole.store.models import Charge

PACKAGE = Path(__file__).resolve().parents[2] / "opsconsole"


def test_R_MONEY_1_amounts_are_integer_minor_units_per_currency():
    assert money.parse_amount("30.00", "USD") == 3000
    assert money.parse_amount("30", "USD") == 3000
    assert money.parse_amount("1500", "JPY") == 1500
    assert money.parse_amount("1.234", "KWD") == 1234
    assert money.format_amount(1234, "KWD") == "1.234"
    assert money.format_amount(1500, "JPY") == "1500"
    assert money.format_amount(5, "USD") == "0.05"
    assert money.to_decimal(3000, "USD") == Decimal("30.00")
    with pytest.raises(DomainError, match="more than 0 decimal places"):
        money.parse_amount("1500.5", "JPY")
    with pytest.raises(DomainError, match="more than 2 decimal places"):
        money.parse_amount("0.001", "USD")
    with pytest.raises(DomainError, match="not a number"):
        money.parse_amount("abc", "USD")
    with pytest.raises(DomainError, match="not a number"):
        money.parse_amount("NaN", "USD")


def test_R_MONEY_1_rounding_is_half_up_not_half_even():
    assert money.round_half_up(Decimal("2.5")) == 3
    assert money.round_half_up(Decimal("3.5")) == 4
    assert money.round_half_up(Decimal("-2.5")) == -3
    assert money.fraction_of(1, 1, 2) == 1  # 0.5 -> 1 (half-even would give 0)
    assert money.fraction_of(3000, 16, 31) == 1548


def test_R_MONEY_1_storage_is_integer_and_json_is_a_decimal_string(store):
    sub = store.sub(next_charge="2026-01-31", price="19.99")
    store.run(1)
    row = Charge.get(Charge.subscription == sub)
    assert isinstance(row.amount, int) and row.amount == 1999
    from opsconsole.billing import present

    assert present.charge(row)["amount"] == "19.99"
    assert present.subscription(store.get(sub))["price"] == "19.99"


def test_R_MONEY_1_no_float_in_the_money_path():
    for folder in ("billing", "transfer"):
        for path in (PACKAGE / folder).rglob("*.py"):
            text = path.read_text()
            assert "float(" not in text, path
            assert "FloatField" not in text and "DecimalField" not in text, path


def test_R_MONEY_2_amount_is_price_times_quantity_minus_discount(store):
    plain = store.get(store.sub(price="30.00", quantity=3))
    assert subs.amount(plain) == 9000
    fixed = store.get(store.sub(price="30.00", quantity=2, discount_type="amount",
                                discount_value=500))
    assert subs.amount(fixed) == 5500
    never_negative = store.get(store.sub(price="3.00", discount_type="amount",
                                         discount_value=1000))
    assert subs.amount(never_negative) == 0


def test_R_MONEY_2_percent_discount_is_rounded_after_it_is_applied(store):
    # 0.05 x 50% = 0.025 -> 0.03 (rounding the discount first would give 0.02)
    sub = store.get(store.sub(price="0.05", discount_type="percent", discount_value=5000))
    assert subs.amount(sub) == 3
    sub = store.get(store.sub(price="30.00", quantity=2, discount_type="percent",
                              discount_value=2500))
    assert subs.amount(sub) == 4500
