"""Exact money (R-MONEY-1): integer minor units in storage, Decimal at the edges, never float."""

import functools
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from ..errors import DomainError

# ISO 4217 currencies whose minor unit is not 2 places.
_EXPONENTS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
    "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
    "CLF": 4, "UYW": 4,
}


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency.upper(), 2)


def round_half_up(value: Decimal) -> int:
    """Round a Decimal to a whole number of minor units, half away from zero."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _scaled(text, places: int, what: str, unit: str) -> int:
    """An exact decimal from text, as a whole number of 10**-places; refuses what is not."""
    if isinstance(text, float):  # pragma: no cover - a programming error, never user input
        raise TypeError("money never comes from a float")
    raw = str(text).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise DomainError(f"{what} {raw!r} is not a number") from None
    if not value.is_finite():
        raise DomainError(f"{what} {raw!r} is not a number")
    if value and value.adjusted() > 30:  # beyond every limit: refused before any arithmetic
        raise DomainError(f"{what} {raw} is far too large")
    if value and value.adjusted() < -30:
        raise DomainError(f"{what} {raw} has more than {places} decimal places{unit}")
    with localcontext() as exact:
        exact.prec = 80  # enough for any value past the checks above: scaling never rounds
        scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise DomainError(f"{what} {raw} has more than {places} decimal places{unit}")
    return int(scaled)


def parse_amount(text: str, currency: str, what: str = "amount") -> int:
    """'30.00' in USD -> 3000. Refuses more decimals than the currency has."""
    return _scaled(text, exponent(currency), what, f" for {currency}")


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-exponent(currency))


@functools.lru_cache(maxsize=8192)
def format_amount(minor: int, currency: str) -> str:
    """3000 USD -> '30.00'; the JSON form of an amount. Integer arithmetic, exact; kept for the
    amounts that repeat (a store has a few hundred prices, formatted for every event)."""
    places = exponent(currency)
    whole, part = divmod(abs(minor), 10 ** places)
    sign = "-" if minor < 0 else ""
    return f"{sign}{whole}.{part:0{places}d}" if places else f"{sign}{whole}"


def fraction_of(minor: int, numerator: int, denominator: int) -> int:
    """round(minor x numerator / denominator), half away from zero, exact: whole numbers
    only, so no precision to run out of (a bulk change prices 100,000 rows with it)."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    product = minor * numerator
    whole, rest = divmod(abs(product), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return whole if product >= 0 else -whole


def percent_off(gross: int, basis_points: int) -> int:
    """The amount left after a percent discount, rounded once after it is applied (R-MONEY-2)."""
    return round_half_up(Decimal(gross) * (10000 - basis_points) / 10000)


def parse_percent(text: str, what: str = "percent") -> int:
    """'12.5' -> 1250 basis points (hundredths of a percent)."""
    return _scaled(text, 2, what, "")


def format_percent(basis_points: int) -> str:
    return f"{Decimal(basis_points).scaleb(-2).normalize():f}"
