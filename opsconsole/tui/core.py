"""Calling the core from the console: in a worker thread, never on the event loop, with the
thread's own database connection closed afterwards."""

from collections.abc import Callable

from ..store.models import database


def in_thread(fn: Callable, *args, **kwargs):
    """Run fn on this (worker) thread's connection and close it after."""
    try:
        return fn(*args, **kwargs)
    finally:
        if not database.is_closed():
            database.close()


def fingerprint() -> tuple:
    """Changes whenever anything is written: the clock, any event, any audit row."""
    row = database.execute_sql(
        "SELECT (SELECT clock FROM store), (SELECT MAX(id) FROM event), "
        "(SELECT MAX(id) FROM audit), (SELECT COUNT(*) FROM day_run WHERE finished)"
    ).fetchone()
    return tuple(row)
