"""The one error the core raises: a refusal an operator can read."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


class DomainError(Exception):
    """A rule said no, or the input was bad. The message is shown to the operator as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Unreadable(DomainError):
    """A row holds a value its column cannot hold: SQLite keeps any value in any column, so a
    store file written to by hand can hold a price of 'abc' or a date of 'garbage'. Names the
    row and what it holds; `row_id` for a list that leaves it out and says so."""

    def __init__(self, table: str, row_id, found: list[tuple]):
        """`found`: (what, value) for a value its column cannot hold, (what, value, expected)
        for one of the right type that no row can have (a quantity of -2)."""
        self.what = "holds " + ("; " if any(len(item) > 2 for item in found) else ", ").join(
            f"{item[0]} {_shown(item[1])}" + (f", which must be {item[2]}" if len(item) > 2 else "")
            for item in found)
        if all(len(item) == 2 for item in found):
            self.what += ", which the store cannot read"
        self.subject = f"{table} {row_id}"
        super().__init__(f"{self.subject} {self.what}; restore a snapshot, or correct the "
                         "row in the database")
        self.row_id = row_id


def _shown(value) -> str:
    """A stored value as a message quotes it: a date as the store writes it, else as Python."""
    return value.isoformat() if isinstance(value, dt.date) else repr(value)


def readable(rows: Iterable[T], show: Callable[[T], Any],
             unread: list[Unreadable] | None) -> Iterator[Any]:
    """Each row as `show` gives it; one it refuses as Unreadable (a store written to by hand)
    is left out and added to `unread`, for the caller to name (a list shows the others)."""
    for row in rows:
        try:
            yield show(row)
        except Unreadable as exc:
            if unread is not None:
                unread.append(exc)
