"""Many subscriptions at once, with their product, account and payment method, as the models
the core works on.

peewee converts every column of every row through its field objects (~40 µs for a
subscription row); this builds the same instances from one plain query with one converter per
column, so loading stops dominating the daily process. `tests/core/test_batched.py` checks it
yields exactly what peewee's own join yields."""

import datetime as dt

import peewee as pw

from . import engine
from .models import Account, PaymentMethod, Product, Subscription, database


def variable_limit() -> int:
    """How many parameters one statement may hold on this connection."""
    return engine.variable_limit(database.obj)


def _iso(field: pw.Field, parse):
    """ISO text the fast way (SQLite); a driver's own date (PostgreSQL) as it is; anything else
    as peewee itself would read it."""
    native = dt.datetime if parse is dt.datetime.fromisoformat else dt.date

    def convert(value):
        if value is None or type(value) is native:
            return value
        try:
            return parse(value)
        except (TypeError, ValueError):
            return field.python_value(value)
    return convert


def _converter(field: pw.Field):
    """None where SQLite's own value is already the Python one."""
    if isinstance(field, pw.DateTimeField):
        return _iso(field, dt.datetime.fromisoformat)
    if isinstance(field, pw.DateField):
        return _iso(field, dt.date.fromisoformat)
    if isinstance(field, pw.BooleanField):
        return lambda value: None if value is None else bool(value)
    if isinstance(field, (pw.IntegerField, pw.CharField, pw.TextField, pw.ForeignKeyField)):
        return None
    return field.python_value


class _Shape:
    """One model's columns in a select list, and how to turn them into an instance."""

    def __init__(self, model: type[pw.Model], alias: str) -> None:
        self.model = model
        self.fields = model._meta.sorted_fields
        self.names = [f.name for f in self.fields]
        self.columns = [f'{alias}."{f.column_name}"' for f in self.fields]
        self.converters = [(i, c) for i, c in enumerate(map(_converter, self.fields)) if c]

    def build(self, values: list) -> pw.Model:
        for i, convert in self.converters:
            values[i] = convert(values[i])
        instance = self.model(__no_default__=True)  # as peewee builds a selected row
        instance.__data__ = dict(zip(self.names, values))
        return instance


_SUB = _Shape(Subscription, "s")
_ACCOUNT = _Shape(Account, "a")
_METHOD = _Shape(PaymentMethod, "m")
_SQL = (
    "SELECT " + ", ".join(_SUB.columns + _ACCOUNT.columns + _METHOD.columns)
    + f' FROM "{Subscription._meta.table_name}" s'
    + f' JOIN "{Account._meta.table_name}" a ON a."id" = s."account_id"'
    + f' LEFT JOIN "{PaymentMethod._meta.table_name}" m ON m."id" = s."payment_method_id"'
    + ' WHERE s."id" IN ({}) ORDER BY s."id"')


def subscriptions(ids: list[int], products: dict[int, Product] | None = None) \
        -> list[Subscription]:
    """The subscriptions with these ids, in id order, related rows attached."""
    if products is None:
        products = {p.id: p for p in Product.select()}
    n_sub, n_account = len(_SUB.fields), len(_ACCOUNT.fields)
    out = []
    step = variable_limit()
    ids = sorted(ids)
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        cursor = database.execute_sql(_SQL.format(", ".join([database.param] * len(chunk))),
                                      chunk)
        for row in cursor:
            row = list(row)
            sub = _SUB.build(row[:n_sub])
            sub._loaded = dict(sub.__data__)  # so a batch writes only what really changed
            sub.__rel__["account"] = _ACCOUNT.build(row[n_sub:n_sub + n_account])
            if sub.payment_method_id is not None:
                sub.__rel__["payment_method"] = _METHOD.build(row[n_sub + n_account:])
            if sub.product_id not in products:  # made since the caller read the products
                products[sub.product_id] = Product.get_by_id(sub.product_id)
            sub.__rel__["product"] = products[sub.product_id]
            out.append(sub)
    return out
