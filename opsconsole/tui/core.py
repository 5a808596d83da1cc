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
