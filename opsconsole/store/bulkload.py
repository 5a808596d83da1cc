"""Many subscriptions at once, with their product, account and payment method, as the models
the core works on.

peewee converts every column of every row through its field objects (~40 µs for a
subscription row); this builds the same instances from one plain query with one converter per
column, so loading stops dominating the daily process. `tests/core/test_batched.py` checks it
yields exactly what peewee's own join yields."""

import dataclasses
import functools
from collections.abc import Iterator

import peewee as pw

from . import engine, rows
from .models import Account, PaymentMethod, Product, Subscription, SubscriptionAddon, database


def variable_limit() -> int:
    """How many parameters one statement may hold on this connection."""
    return engine.variable_limit(database.obj)


def _by_ids(sql: str, ids: list) -> Iterator[tuple]:
    """The rows of `sql` (an `IN ({})` to fill) for these ids (or other values), one plain
    statement per `variable_limit` of them (a peewee IN of 200 ids took ~1 ms to build)."""
    step = variable_limit()
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        yield from database.execute_sql(
            sql.format(", ".join([database.param] * len(chunk))), chunk)


def existing(model: type[pw.Model], name: str, values: list) -> list:
    """Those of `values` that some row of `model` holds in its field `name`."""
    column = model._meta.fields[name].column_name
    sql = f'SELECT "{column}" FROM "{model._meta.table_name}" WHERE "{column}" IN ({{}})'
    return [value for (value,) in _by_ids(sql, values)]


def _product(products: dict[int, Product], product_id: int) -> Product:
    if product_id not in products:  # made since the caller read the products
        products[product_id] = Product.get_by_id(product_id)
    return products[product_id]


class _Shape:
    """One model's columns in a select list, and how to turn them into an instance."""

    def __init__(self, model: type[pw.Model], alias: str,
                 names: tuple[str, ...] | None = None) -> None:
        self.model = model
        self.fields = [f for f in model._meta.sorted_fields if names is None or f.name in names]
        self.names = [f.name for f in self.fields]
        self.columns = [f'{alias}."{f.column_name}"' for f in self.fields]
        self.converters = [(i, c) for i, c in enumerate(map(rows.converter, self.fields))
                           if c]

    def build(self, values: list) -> pw.Model:
        for i, convert in self.converters:
            value = values[i]
            if value is not None:  # most dates of a row are not set
                values[i] = convert(value)
        # what Model(__no_default__=True) sets up, without its keyword handling: a selected
        # row, nothing dirty, nothing related yet
        instance = self.model.__new__(self.model)
        instance.__data__ = dict(zip(self.names, values))
        instance._dirty = set()
        instance.__rel__ = {}
        return instance


_SUB = _Shape(Subscription, "s")
_ACCOUNT = _Shape(Account, "a")
_METHOD = _Shape(PaymentMethod, "m")


def _select(sub: _Shape, account: _Shape, method: _Shape) -> str:
    """The subscriptions of an id list, their account and payment method joined."""
    return ("SELECT " + ", ".join(sub.columns + account.columns + method.columns)
            + f' FROM "{Subscription._meta.table_name}" s'
            + f' JOIN "{Account._meta.table_name}" a ON a."id" = s."account_id"'
            + f' LEFT JOIN "{PaymentMethod._meta.table_name}" m'
            + ' ON m."id" = s."payment_method_id"'
            + ' WHERE s."id" IN ({}) ORDER BY s."id"')


_SQL = _select(_SUB, _ACCOUNT, _METHOD)
_METHOD_ID = _METHOD.names.index("id")


def subscriptions(ids: list[int], products: dict[int, Product] | None = None) \
        -> list[Subscription]:
    """The subscriptions with these ids, in id order, related rows attached."""
    if products is None:
        products = {p.id: p for p in Product.select()}
    n_sub, n_account = len(_SUB.fields), len(_ACCOUNT.fields)
    out = []
    for row in _by_ids(_SQL, sorted(ids)):
        sub = _SUB.build(list(row[:n_sub]))
        data, rel = sub.__data__, sub.__rel__
        sub._loaded = data.copy()  # so a batch writes only what really changed
        rel["account"] = _ACCOUNT.build(list(row[n_sub:n_sub + n_account]))
        method = row[n_sub + n_account:]
        if method[_METHOD_ID] is not None:  # else none, or a key naming no row: read lazily
            rel["payment_method"] = _METHOD.build(list(method))
        rel["product"] = _product(products, data["product"])
        out.append(sub)
    return out


@dataclasses.dataclass(frozen=True)
class Reads:
    """The fields a reader needs of a subscription, its account and its payment method (None:
    all of them). A light row of just these is cheaper to load: the driver's cost is per
    column (4.3 against 10.2 µs a subscription for a payload's 29 of the 65)."""

    subscription: tuple[str, ...] | None = None
    account: tuple[str, ...] | None = None
    payment_method: tuple[str, ...] | None = None


class _RowLoad:
    """How to load light rows of what `reads` names, and the row types they come as."""

    KEYS = ("id", "account", "product", "payment_method")  # the loader's own reads

    def __init__(self, reads: Reads) -> None:
        own = reads.subscription and tuple({*reads.subscription, *self.KEYS})
        self.shapes = (_Shape(Subscription, "s", own), _Shape(Account, "a", reads.account),
                       _Shape(PaymentMethod, "m", reads.payment_method))
        self.sql = _select(*self.shapes)
        sub, account, method = self.shapes
        self.types = (rows.row_type(Subscription, ("product", "account", "payment_method"),
                                    sub.fields),
                      rows.row_type(Account, (), account.fields),
                      rows.row_type(PaymentMethod, (), method.fields))
        names = [f.name for f in sub.fields]
        self.method_id, self.product_id = names.index("payment_method"), names.index("product")


@functools.cache
def _row_load(reads: Reads) -> _RowLoad:
    return _RowLoad(reads)


def subscription_rows(ids: list[int], products: dict[int, Product],
                      reads: Reads = Reads()) -> list:
    """The subscriptions with these ids as light rows (store/rows) of the fields `reads`
    names, in id order, each with its product (a model, from `products`), account and payment
    method (rows) attached: for reading many at once, as a bulk price change does."""
    load = _row_load(reads)
    sub_type, account_type, method_type = load.types
    n_sub, n_account = len(load.shapes[0].fields), len(load.shapes[1].fields)
    method_id, product_id = load.method_id, load.product_id
    out = []
    for row in _by_ids(load.sql, sorted(ids)):
        sub = sub_type(row[:n_sub])
        sub.account = account_type(row[n_sub:n_sub + n_account])
        sub.payment_method = (method_type(row[n_sub + n_account:])
                              if row[method_id] is not None else None)
        sub.product = _product(products, row[product_id])
        out.append(sub)
    return out


def addons(ids: list[int]) -> list[tuple[int, str, int, int]]:
    """(subscription id, path, quantity, unit price) of these subscriptions' add-ons, by
    subscription and path."""
    return list(_by_ids(_ADDONS, ids))


_ADDONS = (f'SELECT "subscription_id", "path", "quantity", "price" '
           f'FROM "{SubscriptionAddon._meta.table_name}" WHERE "subscription_id" IN ({{}}) '
           'ORDER BY "subscription_id", "path"')


def repeat_trials(ids: list[int]) -> list[int]:
    """Those of `ids` that are repeat trials: queries.repeat_trials (R-TRIAL-2) as plain SQL,
    which peewee took ~0.4 ms a batch to write (tests/core/test_batched.py: the same ids)."""
    return [i for (i,) in _by_ids(_REPEAT_TRIALS, ids)]


_REPEAT_TRIALS = (
    f'SELECT s."id" FROM "{Subscription._meta.table_name}" s '
    """WHERE s."id" IN ({}) AND s."state" = 'trial' AND EXISTS ("""
    f'SELECT 1 FROM "{Subscription._meta.table_name}" o WHERE o."account_id" = s."account_id" '
    'AND o."product_id" = s."product_id" AND o."id" < s."id") ORDER BY s."id"')
