"""opsconsole: operations for a subscription store, from a terminal console or the command
line, over a SQLite file or a PostgreSQL database."""

import sys as _sys


def _import_peewee_without_its_driver() -> None:
    """peewee imports psycopg (~110 ms, a third of a command's run) when it is itself imported,
    though only a PostgreSQL store needs it: store.engine loads the driver when one is opened."""
    if "peewee" in _sys.modules or "psycopg" in _sys.modules:
        return
    _sys.modules["psycopg"] = None  # type: ignore[assignment]  # peewee's import fails: no driver
    try:
        import peewee  # noqa: F401
    finally:
        del _sys.modules["psycopg"]


_import_peewee_without_its_driver()
