"""A unit of work for the daily process: rows collected, then written together.

Inside `collect()`, `insert` and `save` only remember their rows; when the block ends they are
written with the connection's `executemany`, inside the caller's transaction, each table's rows
in the order they were made (so ids come out as they would row by row). Outside `collect()` the
same calls write at once. The rules call `insert`/`save` and never know which path runs, so each
rule stays written once; the daily process opens a batch, an operator action does not."""

import contextlib
import contextvars
import datetime as dt
import functools
from collections.abc import Callable, Iterator
from typing import TypeVar

import peewee as pw

from . import engine
from .models import database, fold

M = TypeVar("M", bound=pw.Model)  # a row comes back as the model it was made of

_open: contextvars.ContextVar["Writes | None"] = contextvars.ContextVar("writes", default=None)


class Writes:
    def __init__(self) -> None:
        # (model, column names) -> rows of python values, in the order they were made
        self.inserts: dict[tuple[type[pw.Model], tuple[str, ...]], list[tuple]] = {}
        self.saves: dict[tuple[type[pw.Model], int], pw.Model] = {}
        # (model, column names) -> [values..., primary key] rows, named by the caller (update)
        self.updates: dict[tuple[type[pw.Model], tuple[str, ...]], list[list]] = {}
        # per table: where its handed-out ids come from, and the last one handed out
        self.ids: dict[type[pw.Model], tuple[Iterator[int], list[int]]] = {}
        self.endpoints: list | None = None  # the webhook endpoints, read once (store/journal)
        self.epoch: str | None = None  # the store's webhook epoch, read once (store/journal)
        self.deliveries: list[tuple[int, int]] | None = None  # webhook (endpoint, event) pairs
        # set-based writes run once the rows are written, in the same transaction
        self.afterwards: list[Callable[[], None]] = []

    def allocate(self, model: type[pw.Model]) -> int:
        """The id the next new row of `model` gets. Safe because the caller's transaction holds
        the write lock (engine.id_source): nobody else hands out the same one."""
        if model not in self.ids:
            self.ids[model] = (engine.id_source(database.obj, model), [0])
        source, last = self.ids[model]
        last[0] = next(source)
        return last[0]

    def insert(self, model: type[pw.Model], values: dict) -> int | None:
        """Collect a row; the id handed out to it, if its table's ids are handed out here."""
        table = _table(model)
        if len(values) == table.width:  # every field given (an instance's data, its folds set)
            row = values
        else:
            row = table.filled(values)
            for target, source in table.folds:  # search's copies
                if target not in values and source in row:
                    row[target] = fold(row[source])
        pk = table.pk
        if (table.own_ids or model in self.ids) and row.get(pk) is None:
            # ids of this table are handed out here: the database must not pick one too
            row[pk] = self.allocate(model)
        self.inserts.setdefault((model, tuple(row)), []).append(tuple(row.values()))
        return row.get(pk)

    def save(self, instance: pw.Model) -> None:
        self.saves[(type(instance), instance._pk)] = instance

    def flush(self) -> None:
        write(self.statements())
        for model, (_source, last) in self.ids.items():
            engine.ids_handed_out(database.obj, model, last[0])
        for step in self.afterwards:
            step()
        self.afterwards.clear()

    def statements(self) -> list[tuple[str, list]]:
        """The collected rows as (SQL, parameter rows), ready for executemany, in order; the
        batch is empty afterwards."""
        out: list[tuple[str, list]] = []
        for (model, names), rows in self.inserts.items():
            fields = [model._meta.fields[name] for name in names]
            sql = (f'INSERT INTO "{model._meta.table_name}" ('
                   + ", ".join(f'"{f.column_name}"' for f in fields)
                   + ") VALUES (" + ", ".join([database.param] * len(fields)) + ")")
            out.append((sql, _db_rows(fields, rows)))
        updates = self.updates
        for (model, pk), instance in self.saves.items():
            # a rule sets fields it may not change (state = "active" on an active one); an
            # unchanged indexed column still costs an index update, so only real changes go
            loaded = getattr(instance, "_loaded", None)  # set by store/bulkload
            data = instance.__data__
            dirty = tuple(sorted(n for n in instance._dirty
                                 if loaded is None or loaded.get(n) != data.get(n)))
            if dirty:
                updates.setdefault((model, dirty), []).append(
                    [model._meta.fields[n].db_value(data.get(n)) for n in dirty] + [pk])
            instance._dirty.clear()
            if loaded is not None:
                loaded.update(data)
        for (model, names), rows in updates.items():
            meta = model._meta
            p = database.param
            sets = ", ".join(f'"{meta.fields[n].column_name}" = {p}' for n in names)
            out.append((f'UPDATE "{meta.table_name}" SET {sets} '
                        f'WHERE "{meta.primary_key.column_name}" = {p}', rows))
        self.inserts.clear()
        self.saves.clear()
        self.updates = {}
        return out


class _Table:
    """What collecting a row of a model needs of it, read once."""

    def __init__(self, model: type[pw.Model]) -> None:
        meta = model._meta
        self.defaults: dict = dict(meta._default_by_name)
        self.callable_defaults = list(meta._default_callable_list)
        self.folds = tuple(getattr(model, "folds", {}).items())
        self.pk: str = meta.primary_key.name
        self.width = len(meta.fields)
        self.own_ids: bool = getattr(model, "ids_from_batch", False)
        self.natives = {name: _native(field) for name, field in meta.fields.items()}

    def filled(self, values: dict) -> dict:
        """The model's defaults (peewee's live in Python, not the schema), then `values`."""
        row = self.defaults.copy()
        for name, default in self.callable_defaults:
            row[name] = default()
        row.update(values)
        return row


@functools.cache
def _table(model: type[pw.Model]) -> _Table:
    return _Table(model)


def write(statements: list[tuple[str, list]]) -> None:
    """Run prepared statements on this thread's connection, inside its open transaction."""
    cursor = database.cursor()
    with pw.__exception_wrapper__:  # the driver's errors as peewee's, as row by row
        for sql, rows in statements:
            cursor.executemany(sql, rows)


# a value of exactly this type is what the field's db_value returns it as (peewee's adapt
# leaves it alone), so it goes to the driver as it is
_NATIVE = {pw.IntegerField: int, pw.CharField: str, pw.TextField: str,
           pw.DateTimeField: dt.datetime, pw.DateField: dt.date, pw.BooleanField: bool}


def _native(field: pw.Field) -> type | None:
    if isinstance(field, pw.ForeignKeyField):  # an id, as the referenced key takes it
        return _native(field.rel_field)
    return next((t for base, t in _NATIVE.items() if isinstance(field, base)), None)


def _db_rows(fields: list[pw.Field], rows: list[tuple]) -> list[tuple]:
    """Rows as the driver takes them: peewee's db_value, skipped for a value that is already
    what the column's field would make of it (an int for an integer, a str for text, a date
    for a date). Column by column: a column whose values are all of its type (or None), as
    most are, is taken whole, its types found by C loops rather than a Python step a value."""
    if not rows:
        return []
    columns = list(zip(*rows))
    for j, (field, native) in enumerate(zip(fields, map(_native, fields))):
        column = columns[j]
        if native is None or not set(map(type, column)) <= {native, type(None)}:
            columns[j] = tuple(v if v is None or type(v) is native else field.db_value(v)
                               for v in column)
        elif native in (dt.datetime, dt.date):
            adapt = engine.repeated_values_adapter(database.obj, native)
            if adapt is not None:  # each distinct value adapted once, the column mapped in C
                adapted = {v: None if v is None else adapt(v) for v in set(column)}
                columns[j] = tuple(map(adapted.__getitem__, column))
    return list(zip(*columns))


@contextlib.contextmanager
def collect() -> Iterator[Writes]:
    """Collect the rows written inside the block; write them when it ends without error (an
    error discards them, and the caller's transaction rolls back what else was done)."""
    writes = Writes()
    token = _open.set(writes)
    try:
        yield writes
    finally:
        _open.reset(token)
    writes.flush()


def current() -> Writes | None:
    """The open batch on this thread, if any."""
    return _open.get()


def insert(model: type[M], **values) -> M | None:
    """A new row: written now and returned, or collected (returns None) in an open batch."""
    return insert_values(model, values)


def insert_values(model: type[M], values: dict) -> M | None:
    """`insert`, the values given as a dict the caller made for it (no keywords to unpack)."""
    writes = _open.get()
    if writes is None:
        return model.create(**values)
    writes.insert(model, values)
    return None


def insert_id(model: type[pw.Model], **values) -> int:
    """A new row whose id is needed at once (rows made after it name it): written now, or
    collected with the id the batch hands out (the model's ids_from_batch)."""
    writes = _open.get()
    if writes is None:
        return model.create(**values).id
    if not getattr(model, "ids_from_batch", False):
        raise TypeError(f"{model.__name__}: a batch hands out no ids of its own for it")
    row_id = writes.insert(model, values)
    assert row_id is not None
    return row_id


def new(model: type[M], values: dict, related: dict | None = None) -> M:
    """An unsaved instance, as Model(**values) makes one: the model's defaults, then `values`
    (a foreign key as its id, with its row in `related` so that reading it asks nothing), all
    of them dirty; without a descriptor call for each keyword (a third of an imported row's
    three models)."""
    data = _table(model).filled(values)
    instance = model.__new__(model)
    instance.__data__ = data
    instance._dirty = set(data)
    instance.__rel__ = dict(related) if related else {}
    return instance


def create(instance: M) -> M:
    """A new row from an unsaved instance, which gets its id now either way, so that rows made
    after it in the same batch can refer to it."""
    writes = _open.get()
    if writes is None:
        instance.save(force_insert=True)
        return instance
    model = type(instance)
    instance.fill_folds(inserting=True)
    setattr(instance, model._meta.primary_key.name, writes.allocate(model))
    writes.insert(model, dict(instance.__data__))
    instance._dirty.clear()
    return instance


def update(model: type[pw.Model], pk: int, **values) -> None:
    """Set these columns of one row (no instance needed: a light row of store/rows names its
    change this way): written now, or with the open batch's other updates."""
    for target, source in getattr(model, "folds", {}).items():  # a search copy follows
        if source in values:
            values[target] = fold(values[source])
    writes = _open.get()
    if writes is None:
        model.update(**values).where(model._meta.primary_key == pk).execute()
        return
    names = tuple(sorted(values))
    fields, natives = model._meta.fields, _table(model).natives
    row = [values[n] for n in names]
    for i, name in enumerate(names):  # as the driver takes it (see _db_rows)
        if row[i] is not None and type(row[i]) is not natives[name]:
            row[i] = fields[name].db_value(row[i])
    row.append(pk)
    writes.updates.setdefault((model, names), []).append(row)


def save(instance: pw.Model) -> None:
    """The instance's changed columns: written now, or once at the end of an open batch."""
    writes = _open.get()
    if writes is None or instance._pk is None:
        instance.save()
    else:
        instance.fill_folds()  # a changed name or reference changes its search copy too
        writes.save(instance)
