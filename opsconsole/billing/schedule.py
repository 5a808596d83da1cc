"""Schedule arithmetic (R-SCHED-1, R-SCHED-2): intervals, the month-end rule, period bounds."""

import calendar
import datetime as dt

INTERVALS = ("day", "week", "month", "year", "adhoc")
# Plain datetime arithmetic, as pendulum's Date.add/subtract does it (months clamp to the
# month's end; a year is 12 months): tests/core/test_properties.py proves them equal. pendulum
# cost the daily process ~10 µs a charge.
_DAYS = {"day": 1, "week": 7}
_MONTHS = {"month": 1, "year": 12}


def _step(day: dt.date, unit: str, length: int) -> dt.date:
    """One move of `length` units (negative: back)."""
    if unit in _DAYS:
        return day + dt.timedelta(days=_DAYS[unit] * length)
    return _month_step(day, _MONTHS[unit] * length)


def advance(day: dt.date, unit: str, length: int, times: int = 1) -> dt.date:
    """Move a scheduled date forward `times` intervals, one interval at a time.

    Chaining month additions makes a clamped day stick (R-SCHED-2):
    01-31 -> 02-28 -> 03-28, never back to the 31st.
    """
    if unit == "adhoc":
        raise ValueError("a managed (adhoc) subscription has no schedule")
    if not (type(length) is int and length >= 1):  # a store file written to by hand
        # an interval that does not move forward would hold every loop that steps to a
        # date after today (R-INPUT-3: the run-day sets such a subscription aside)
        raise ValueError(f"an interval of length {length!r} does not move forward")
    for _ in range(times):
        day = _step(day, unit, length)
    return day


def back(day: dt.date, unit: str, length: int) -> dt.date:
    """One interval before a date, clamping at month ends (the proration period start)."""
    return _step(day, unit, -length)


def _month_step(day: dt.date, months: int) -> dt.date:
    """One move by whole months, the day clamped to the month's end (as pendulum does)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_begin(end: dt.date, unit: str, length: int, anchor: dt.date | None) -> dt.date:
    """R-PRORATE-2's fallback, where the store has charged nothing yet: the period that ends on
    `end` began one interval before it, with the begin date's day of the month as the anchor
    when `end` lies on that anchor's schedule (begun on the 31st: the period ending 02-28 began
    01-31, not 01-28; begun on 02-29 yearly: the one ending 2025-02-28 began 2024-02-29).
    An end date off that schedule (begun 01-31, billed on the 28th since) moves back plainly."""
    if unit in ("month", "year"):
        months = length * (12 if unit == "year" else 1)
        start = _month_step(end, -months)
        if anchor is not None and \
                end.day == min(anchor.day, calendar.monthrange(end.year, end.month)[1]):
            start = start.replace(day=min(anchor.day,
                                          calendar.monthrange(start.year, start.month)[1]))
        return start
    return end - dt.timedelta(days=length * (7 if unit == "week" else 1))


def period_after(scheduled: dt.date, unit: str, length: int,
                 today: dt.date) -> tuple[dt.date, dt.date]:
    """A charge for `scheduled` succeeded: (the scheduled date the new current period began,
    the next charge date). The next date advances from the scheduled one (R-SCHED-2) until it
    is after today, with no charge for the periods skipped (R-INPUT-2); the period begins at
    the last scheduled date before it."""
    start, day = scheduled, advance(scheduled, unit, length)
    while day <= today:
        start, day = day, advance(day, unit, length)
    return start, day


def add_months(day: dt.date, months: int) -> dt.date:
    return _month_step(day, months)


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
