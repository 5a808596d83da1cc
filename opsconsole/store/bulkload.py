"""Many subscriptions at once, with their product, account and payment method, as the models
the core works on.

peewee converts every column of every row through its field objects (~40 µs for a
subscription row); this builds the same instances from one plain query with one converter per
column, so loading stops dominating the daily process. `tests/core/test_batched.py` checks it
yields exactly what peewee's own join yields."""

import peewee as pw

from . import engine, rows
from .models import Account, PaymentMethod, Product, Subscription, SubscriptionAddon, database


def variable_limit() -> int:
    """How many parameters one statement may hold on this connection."""
    return engine.variable_limit(database.obj)


class _Shape:
    """One model's columns in a select list, and how to turn them into an instance."""

    def __init__(self, model: type[pw.Model], alias: str) -> None:
        self.model = model
        self.fields = model._meta.sorted_fields
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
            sub = _SUB.build(list(row[:n_sub]))
            data, rel = sub.__data__, sub.__rel__
            sub._loaded = data.copy()  # so a batch writes only what really changed
            rel["account"] = _ACCOUNT.build(list(row[n_sub:n_sub + n_account]))
            if data["payment_method"] is not None:
                rel["payment_method"] = _METHOD.build(list(row[n_sub + n_account:]))
            product = data["product"]
            if product not in products:  # made since the caller read the products
                products[product] = Product.get_by_id(product)
            rel["product"] = products[product]
            out.append(sub)
    return out


SubscriptionRow = rows.row_type(Subscription, ("product", "account", "payment_method"))
AccountRow = rows.row_type(Account)
MethodRow = rows.row_type(PaymentMethod)
_METHOD_ID = [f.name for f in _SUB.fields].index("payment_method")
_PRODUCT_ID = [f.name for f in _SUB.fields].index("product")


def subscription_rows(ids: list[int], products: dict[int, Product]) -> list:
    """The subscriptions with these ids as light rows (store/rows), in id order, each with
    its product (a model, from `products`), account and payment method (rows) attached: for
    reading many at once, as a bulk price change does."""
    n_sub, n_account = len(_SUB.fields), len(_ACCOUNT.fields)
    out = []
    step = variable_limit()
    ids = sorted(ids)
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        cursor = database.execute_sql(_SQL.format(", ".join([database.param] * len(chunk))),
                                      chunk)
        for row in cursor:
            sub = SubscriptionRow(row[:n_sub])
            sub.account = AccountRow(row[n_sub:n_sub + n_account])
            sub.payment_method = (MethodRow(row[n_sub + n_account:])
                                  if row[_METHOD_ID] is not None else None)
            product = row[_PRODUCT_ID]
            if product not in products:  # made since the caller read the products
                products[product] = Product.get_by_id(product)
            sub.product = products[product]
            out.append(sub)
    return out


def addons(ids: list[int]) -> list[tuple[int, str, int, int]]:
    """(subscription id, path, quantity, unit price) of these subscriptions' add-ons, by
    subscription and path: one plain statement per `variable_limit` ids (a peewee IN of 200
    ids took ~1 ms to build, a tenth of a day's batch)."""
    out: list[tuple[int, str, int, int]] = []
    step = variable_limit()
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        out.extend(database.execute_sql(
            _ADDONS.format(", ".join([database.param] * len(chunk))), chunk).fetchall())
    return out


_ADDONS = (f'SELECT "subscription_id", "path", "quantity", "price" '
           f'FROM "{SubscriptionAddon._meta.table_name}" WHERE "subscription_id" IN ({{}}) '
           'ORDER BY "subscription_id", "path"')


def repeat_trials(ids: list[int]) -> list[int]:
    """Those of `ids` that are repeat trials: queries.repeat_trials (R-TRIAL-2) as plain SQL,
    which peewee took ~0.4 ms a batch to write (tests/core/test_batched.py: the same ids)."""
    out: list[int] = []
    step = variable_limit()
    for start in range(0, len(ids), step):
        chunk = ids[start:start + step]
        out.extend(i for (i,) in database.execute_sql(
            _REPEAT_TRIALS.format(", ".join([database.param] * len(chunk))), chunk))
    return out


_REPEAT_TRIALS = (
    f'SELECT s."id" FROM "{Subscription._meta.table_name}" s '
    """WHERE s."id" IN ({}) AND s."state" = 'trial' AND EXISTS ("""
    f'SELECT 1 FROM "{Subscription._meta.table_name}" o WHERE o."account_id" = s."account_id" '
    'AND o."product_id" = s."product_id" AND o."id" < s."id") ORDER BY s."id"')
