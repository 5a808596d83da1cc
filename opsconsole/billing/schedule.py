"""Schedule arithmetic (R-SCHED-1, R-SCHED-2): intervals, the month-end rule, period bounds."""

import datetime as dt

import pendulum

INTERVALS = ("day", "week", "month", "year", "adhoc")


def _pd(day: dt.date) -> pendulum.Date:
    return pendulum.Date(day.year, day.month, day.day)


def _plain(day: pendulum.Date) -> dt.date:
    return dt.date(day.year, day.month, day.day)


def advance(day: dt.date, unit: str, length: int, times: int = 1) -> dt.date:
    """Move a scheduled date forward `times` intervals, one interval at a time.

    Chaining month additions makes a clamped day stick (R-SCHED-2):
    01-31 -> 02-28 -> 03-28, never back to the 31st.
    """
    if unit == "adhoc":
        raise ValueError("a managed (adhoc) subscription has no schedule")
    current = _pd(day)
    for _ in range(times):
        current = current.add(**{unit + "s": length})
    return _plain(current)


def back(day: dt.date, unit: str, length: int) -> dt.date:
    """One interval before a date, clamping at month ends (the proration period start)."""
    return _plain(_pd(day).subtract(**{unit + "s": length}))


def add_months(day: dt.date, months: int) -> dt.date:
    return _plain(_pd(day).add(months=months))


def days_between(start: dt.date, end: dt.date) -> int:
    return (end - start).days


def parse_date(text: str, what: str = "date") -> dt.date:
    """yyyy-mm-dd only; anything else is refused by the caller's DomainError."""
    from ..errors import DomainError

    raw = str(text).strip()
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(f"{what} {raw!r} is not a date (yyyy-mm-dd)") from None
