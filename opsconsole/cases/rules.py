"""The pure rules of support cases: severity, targets, business days, statuses."""

import datetime as dt

import pendulum

from ..errors import DomainError

CATEGORIES = ("Transactions", "Subscriptions", "WebHooks", "API", "Fulfillments", "Payouts",
              "B2B", "Accounts")
STATUSES = ("New", "Open", "Working", "Pending Internal", "Pending Closure", "On Hold",
            "Closed")
AREAS = ("severity", "breadth", "urgency", "visibility")
SEVERITY_NAMES = {0: "Highest", 1: "High", 2: "Medium", 3: "Low"}

# R-CASE-3
RESPONSE_HOURS = {0: 1, 1: 4, 2: 12, 3: 24}
UPDATE_HOURS_SEVERITY_0 = 12
UPDATE_BUSINESS_DAYS = {1: 1, 2: 5, 3: 20}
BUSINESS_TZ = "America/Los_Angeles"
AUTO_CLOSE_DAYS = 5  # R-CASE-5


def severity_for(areas_met: int) -> int:
    """R-CASE-2: 4 areas -> 0 Highest, 3 -> 1 High, 1-2 -> 2 Medium, 0 -> 3 Low."""
    if areas_met >= 4:
        return 0
    if areas_met == 3:
        return 1
    if areas_met >= 1:
        return 2
    return 3


def parse_areas(text: str | None) -> set[str]:
    if not text:
        return set()
    areas = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = sorted(areas - set(AREAS))
    if unknown:
        raise DomainError(f"unknown qualification area {unknown[0]!r}; the areas are "
                          f"{', '.join(AREAS)}")
    return areas


def category(text: str) -> str:
    for name in CATEGORIES:
        if name.lower() == (text or "").strip().lower():
            return name
    raise DomainError(f"unknown category {text!r}; one of {', '.join(CATEGORIES)}")


def status(text: str) -> str:
    key = (text or "").strip().lower().replace("-", " ").replace("_", " ")
    if not key:
        raise DomainError(f"no status given; one of {', '.join(STATUSES)}")
    for name in STATUSES:
        if name.lower() == key:
            return name
    raise DomainError(f"unknown status {text!r}; one of {', '.join(STATUSES)}")


def check_move(current: str, new: str) -> None:
    """R-CASE-4: any status but Closed may move to any other; Closed is final."""
    if current == "Closed":
        raise DomainError("the case is Closed; a closed case cannot be reopened or changed")
    if current == new:
        raise DomainError(f"the case is already {current}")


def _aware(moment: dt.datetime, timezone: str) -> pendulum.DateTime:
    return pendulum.datetime(moment.year, moment.month, moment.day, moment.hour,
                             moment.minute, moment.second, tz=timezone)


def _naive(moment: pendulum.DateTime, timezone: str) -> dt.datetime:
    local = moment.in_timezone(timezone)
    return dt.datetime(local.year, local.month, local.day, local.hour, local.minute,
                       local.second)


def add_business_days(moment: dt.datetime, days: int, timezone: str) -> dt.datetime:
    """Move forward `days` Monday-Friday days in Los Angeles, keeping the time of day there.
    A case updated on a Friday afternoon with one business day is next due on Monday."""
    local = _aware(moment, timezone).in_timezone(BUSINESS_TZ)
    counted = 0
    while counted < days:
        local = local.add(days=1)
        if local.day_of_week not in (pendulum.SATURDAY, pendulum.SUNDAY):
            counted += 1
    return _naive(local, timezone)


def response_due(opened_at: dt.datetime, severity: int) -> dt.datetime:
    """24/7: wall hours from opening."""
    return opened_at + dt.timedelta(hours=RESPONSE_HOURS[severity])


def update_due(last_update: dt.datetime, severity: int, timezone: str) -> dt.datetime:
    if severity == 0:
        return last_update + dt.timedelta(hours=UPDATE_HOURS_SEVERITY_0)
    return add_business_days(last_update, UPDATE_BUSINESS_DAYS[severity], timezone)
