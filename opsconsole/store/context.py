"""The store clock as the core sees it (R-CLOCK-1): nothing here reads the wall clock."""

import datetime as dt
from dataclasses import dataclass, field

from .models import Store


@dataclass
class Ctx:
    """Who acts, and when on the store's clock. The daily process sets `key` per subscription
    so that every event and email it writes has a cause key the database keeps unique."""

    today: dt.date
    now: dt.datetime  # naive, in the store's time zone
    timezone: str
    operator: str | None = None
    key: str | None = None
    _seen: dict = field(default_factory=dict)

    def cause(self, name: str) -> str | None:
        if self.key is None:
            return None
        n = self._seen.get(name, 0) + 1
        self._seen[name] = n
        return f"{self.key}/{name}/{n}"

    def for_subscription(self, sub_id: int) -> "Ctx":
        return Ctx(self.today, self.now, self.timezone, self.operator, f"{self.today}/{sub_id}")

    def for_case(self, case_id: int) -> "Ctx":
        return Ctx(self.today, self.now, self.timezone, self.operator,
                   f"{self.today}/case{case_id}")


def current(operator: str | None = None) -> Ctx:
    store = Store.get()
    return Ctx(store.clock.date(), store.clock, store.timezone, operator)


def iso(moment: dt.datetime, timezone: str) -> str:
    """A store date-time as ISO 8601 with its offset."""
    import pendulum  # here, not at import: a tenth of a second off every command's start

    local = pendulum.datetime(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                              moment.second, tz=timezone)
    return local.isoformat()


def store_currency() -> str:
    return Store.get().currency
