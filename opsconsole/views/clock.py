"""The store's date, a day run from the console (with its revenue), and the snapshots to
rewind to."""

import datetime as dt

from .. import clock
from ..billing import daily
from ..store import context, snapshots


def today() -> dt.date:
    return context.current().today


def _with_revenue(report: dict) -> None:
    """Called inside the day's own transaction (a dry run's too, before it is rolled back)."""
    report["revenue"] = daily.revenue(dt.date.fromisoformat(report["date"]))


def preview_tomorrow() -> list[dict]:
    return clock.run_days(days=1, dry_run=True, on_day=_with_revenue)


def run_tomorrow() -> list[dict]:
    return clock.run_days(days=1, on_day=_with_revenue)


def snapshot_choices() -> dict:
    return {"today": snapshots.store_date(),
            "snapshots": [(s.name, s.store_date, s.saved_at) for s in snapshots.listing()]}
