"""The limits every value meets wherever it enters: CLI, import or console (R-INPUT-1).

Each check returns the value or raises a DomainError that names the limit."""

import datetime as dt

from ..store.states import FIRST_DATE, LAST_DATE  # noqa: F401  (one definition, for the store too)
from .errors import DomainError
from .money import exponent, format_amount

MAX_QUANTITY = 10_000
# interval unit -> the longest interval of it: a year of days, ten years of years
MAX_INTERVAL = {"day": 365, "week": 52, "month": 12, "year": 10, "adhoc": 1}
MAX_AMOUNT_MAJOR = 1_000_000  # in the currency's major unit: no price or charge above it
MIN_PERCENT, MAX_PERCENT = -100, 1000
MAX_RUN_DAYS = 3660
MAX_DAYS_SETTING = 365  # trial, reminder and deactivation days
MAX_COUNT = 10_000  # rebills, discount durations, charges left


def max_amount(currency: str) -> int:
    return MAX_AMOUNT_MAJOR * 10 ** exponent(currency)


def quantity(value: int, what: str = "quantity") -> int:
    if not 1 <= value <= MAX_QUANTITY:
        raise DomainError(f"{what} must be from 1 to {MAX_QUANTITY:,}, not {value}")
    return value


def interval(unit: str, length: int) -> int:
    top = MAX_INTERVAL.get(unit)
    if top is None:
        return length  # the caller refuses the unit itself
    if unit == "adhoc":
        if length != 1:
            raise DomainError("a managed (adhoc) product has no interval length; leave it at 1")
        return length
    if not 1 <= length <= top:
        raise DomainError(f"an interval of {unit}s is 1 to {top} long, not {length}")
    return length


def amount(minor: int, currency: str, what: str = "amount", zero_ok: bool = False) -> int:
    """A price or amount in minor units: above zero (or zero where allowed), at most
    1,000,000 in the currency's major unit."""
    if minor < 0 or (minor == 0 and not zero_ok):
        raise DomainError(f"{what} must be more than zero")
    if minor > max_amount(currency):
        raise DomainError(f"{what} {format_amount(minor, currency)} {currency} is above the "
                          f"limit of {MAX_AMOUNT_MAJOR:,} {currency}")
    return minor


def charge(minor: int, currency: str) -> int:
    """No charge above the limit is ever made, whatever the price times the quantity."""
    if minor > max_amount(currency):
        raise DomainError(f"a charge of {format_amount(minor, currency)} {currency} would be "
                          f"above the limit of {MAX_AMOUNT_MAJOR:,} {currency}; nothing charged")
    return minor


def percent(basis_points: int, what: str = "percent") -> int:
    if not MIN_PERCENT * 100 <= basis_points <= MAX_PERCENT * 100:
        raise DomainError(f"{what} must be from {MIN_PERCENT} to {MAX_PERCENT}")
    return basis_points


def date(value: dt.date, what: str = "date") -> dt.date:
    if not FIRST_DATE <= value <= LAST_DATE:
        raise DomainError(f"{what} {value} is outside {FIRST_DATE} to {LAST_DATE}")
    return value


def days_setting(value: int, what: str, minimum: int = 0) -> int:
    if not minimum <= value <= MAX_DAYS_SETTING:
        raise DomainError(f"{what} must be from {minimum} to {MAX_DAYS_SETTING}, not {value}")
    return value


def count(value: int, what: str) -> int:
    if not 1 <= value <= MAX_COUNT:
        raise DomainError(f"{what} must be from 1 to {MAX_COUNT:,}, not {value}")
    return value


def run_days(days: int) -> int:
    if days > MAX_RUN_DAYS:
        raise DomainError(f"run-day runs at most {MAX_RUN_DAYS:,} days in one call, not "
                          f"{days:,}; run it in steps")
    return days


MAX_WORKERS = 32  # processes one date's work is split over (each holds a connection)


def workers(count: int) -> int:
    if not 1 <= count <= MAX_WORKERS:
        raise DomainError(f"--workers must be from 1 to {MAX_WORKERS}, not {count:,}")
    return count


def price(text, currency: str, what: str = "price") -> int:
    """A price typed or imported: exact, in the currency's places, within the limits."""
    from .money import parse_amount

    return amount(parse_amount(text, currency, what), currency, what)
