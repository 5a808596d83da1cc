"""Light rows: a model's columns, as the driver returned them, in a list whose attributes read
like the model's fields (`row.price`, `row.begin_date`, `row.account_id`).

A peewee instance of a loaded subscription costs ~11 µs to build (a dict of its 44 columns, one
for its account, one for its payment method, every date parsed); a row is the driver's values
in a list, each date parsed the first time it is read. For the paths that read many
subscriptions and write what they decide with store/batch (a bulk price change): the rules
that only read a subscription (its payload, its amount) take a row or a model alike. A row is
never saved: its writes are named by the caller (batch.update)."""

import datetime as dt
import functools
import json
import operator
from collections.abc import Callable
from typing import Any

import peewee as pw

from ..errors import Unreadable
from . import engine
from .models import iso_date

# a batch's dates repeat (its due date, begin dates, ...): each text is parsed once
date_text = functools.lru_cache(maxsize=4096)(iso_date)


def converter(field: pw.Field) -> Callable[[Any], Any] | None:
    """What turns the driver's value (never None) into the field's Python value; None where
    the driver's is already it (whole numbers and text on both engines)."""
    if isinstance(field, pw.DateTimeField):
        return _iso(field, dt.datetime, dt.datetime.fromisoformat)
    if isinstance(field, pw.DateField):
        return _iso(field, dt.date, date_text)
    if isinstance(field, (pw.IntegerField, pw.CharField, pw.TextField, pw.ForeignKeyField)):
        return None
    return field.python_value


def _iso(field: pw.Field, native: type, parse: Callable[[str], Any]) -> Callable[[Any], Any]:
    """ISO text the fast way (SQLite); a driver's own date (PostgreSQL) as it is; anything else
    as peewee itself would read it."""
    def convert(value):
        if type(value) is native:
            return value
        try:
            return parse(value)
        except (TypeError, ValueError):
            return field.python_value(value)
    return convert


def _converted(i: int, field: pw.Field, convert: Callable[[Any], Any]) -> property:
    if isinstance(field, pw.DateField):  # the commonest, read the most: one call, not two
        def get(row: list) -> Any:
            value = row[i]
            if value is None or type(value) is dt.date:
                return value
            try:
                value = date_text(value)
            except (TypeError, ValueError):
                value = field.python_value(value)
            row[i] = value  # kept: parsed once
            return value
    else:
        def get(row: list) -> Any:
            value = row[i]
            if value is not None:
                value = row[i] = convert(value)  # kept: converted once
            return value
    return property(get, functools.partial(_set, i))


def _set(i: int, row: list, value: Any) -> None:
    row[i] = value


def row_type(model: type[pw.Model], related: tuple[str, ...] = (),
             fields: list[pw.Field] | None = None) -> type[list]:
    """A list type for rows of `model`'s `fields` (all, in `_meta.sorted_fields` order, by
    default), in that order. A foreign key reads as `<name>_id`; each of `related` is a slot
    for the related row itself. A field not among them is not an attribute: reading it fails
    loudly rather than reading None."""
    attributes: dict[str, Any] = {"__slots__": (*related, "_addons", "_repeat")}
    for i, field in enumerate(model._meta.sorted_fields if fields is None else fields):
        convert = converter(field)
        name = field.name + "_id" if isinstance(field, pw.ForeignKeyField) else field.name
        attributes[name] = (_converted(i, field, convert) if convert is not None
                            else property(operator.itemgetter(i), functools.partial(_set, i)))
    return type(f"{model.__name__}Row", (list,), attributes)


# the Python type each kind of column reads as; a value of another type was written around the
# store (SQLite keeps any value in any column)
_KINDS = ((pw.DateTimeField, dt.datetime), (pw.DateField, dt.date), (pw.BooleanField, bool),
          (pw.IntegerField, int), (pw.ForeignKeyField, int), (pw.CharField, str),
          (pw.TextField, str))


def fits(field: pw.Field, value: Any) -> bool:
    """Whether a loaded value is of its column's type (None always fits: NULL is no type)."""
    if value is None:
        return True
    kind = next((t for base, t in _KINDS if isinstance(field, base)), None)
    return kind is None or type(value) is kind or (kind is str and isinstance(value, str))


def unreadable(model: type[pw.Model], row: Any) -> list[tuple[str, Any]]:
    """(field, value) for each value of a loaded row (a model or a light row) that is not of
    its column's type: a date column holding 'garbage', a price holding 'abc'."""
    data = getattr(row, "__data__", None)
    found = []
    for field in model._meta.sorted_fields:
        name = field.name
        if data is not None:
            value = data.get(name)
        else:  # a light row: its own attribute names, and only the fields it was read with
            attribute = name + "_id" if isinstance(field, pw.ForeignKeyField) else name
            if not hasattr(type(row), attribute):
                continue
            value = getattr(row, attribute)
        if not fits(field, value):
            found.append((name, value))
    return found


def dangling(model: type[pw.Model], row: Any) -> list[tuple[str, Any, str]]:
    """(field, id, expected) for each foreign key of a model instance that names no row."""
    found = []
    for field in model._meta.sorted_fields:
        if isinstance(field, pw.ForeignKeyField):
            try:  # an outer join leaves None where the row named is missing
                missing = getattr(row, field.name) is None
            except pw.DoesNotExist:
                missing = True
            if missing and row.__data__.get(field.name) is not None:
                what = field.rel_model._meta.table_name.replace("_", " ")
                found.append((field.name + "_id", row.__data__.get(field.name),
                              f"the id of {'an' if what[0] in 'aeiou' else 'a'} {what} "
                              "the store has"))
    return found


def _bad_sql(field: pw.Field) -> str | None:
    """SQLite: the condition under which a column holds a value not of its field's type."""
    c = f'"{field.column_name}"'
    if isinstance(field, pw.BooleanField):
        return f"({c} IS NOT NULL AND (typeof({c}) != 'integer' OR {c} NOT IN (0, 1)))"
    if isinstance(field, (pw.IntegerField, pw.AutoField, pw.ForeignKeyField)):
        return f"typeof({c}) NOT IN ('integer', 'null')"
    if isinstance(field, pw.DateTimeField):
        return f"({c} IS NOT NULL AND (typeof({c}) != 'text' OR datetime({c}) IS NULL))"
    if isinstance(field, pw.DateField):
        return f"({c} IS NOT NULL AND (typeof({c}) != 'text' OR date({c}) IS NOT {c}))"
    if isinstance(field, (pw.CharField, pw.TextField)):
        return f"typeof({c}) NOT IN ('text', 'null')"
    return None


def _bad_value(field: pw.Field, value: Any) -> bool:
    if value is None:
        return False
    if isinstance(field, pw.BooleanField):
        return type(value) is not int or value not in (0, 1)
    if isinstance(field, (pw.IntegerField, pw.AutoField, pw.ForeignKeyField)):
        return type(value) is not int
    if isinstance(field, pw.DateTimeField):
        return not isinstance(value, str) or _not(dt.datetime.fromisoformat, value)
    if isinstance(field, pw.DateField):
        return not isinstance(value, str) or _not(iso_date, value)
    return not isinstance(value, str)


def _not(parse: Callable[[str], Any], text: str) -> bool:
    try:
        parse(text)
        return False
    except ValueError:
        return True


def mistyped(db: pw.Database, models: list[type[pw.Model]], limit: int = 3) -> list[str]:
    """"table id: column value" for the first values, in any of `models`' tables, of another
    type than their column's: a store file written to by hand (SQLite keeps any value in any
    column; PostgreSQL's columns refuse them, and there this is empty). It reads every table
    whole: for a command that failed in a way nothing foresaw, to say why."""
    if engine.is_postgres(db):
        return []
    found: list[str] = []
    for model in models:
        fields = [(f, sql) for f in model._meta.sorted_fields if (sql := _bad_sql(f))]
        if not fields:
            continue
        key = model._meta.primary_key
        table = model._meta.table_name
        columns = ", ".join(f'"{f.column_name}"' for f, _ in fields)
        query = (f'SELECT "{key.column_name}", {columns} FROM "{table}" WHERE '
                 + " OR ".join(sql for _, sql in fields) + f" LIMIT {limit - len(found)}")
        for row_key, *values in db.execute_sql(query).fetchall():
            bad = [f"{f.name} {v!r}" for (f, _), v in zip(fields, values) if _bad_value(f, v)]
            found.append(f"{table.replace('_', ' ')} {row_key!r}: {', '.join(bad)}")
        if len(found) >= limit:
            break
    return found


def loads(text: str, table: str, row_id: Any, column: str) -> Any:
    """A JSON column's value; one that is not JSON (a store written to by hand) is refused
    naming its row (Unreadable), not an internal error of every reader of it."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        shown = text if not isinstance(text, str) or len(text) <= 40 else text[:40] + "…"
        raise Unreadable(table, row_id, [(column, shown, "JSON")]) from None
