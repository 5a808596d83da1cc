"""The batched daily process against the plain one, on the same store (R-REL-1, R-REL-2).

Batched, the daily process loads subscriptions with store/bulkload and writes each batch's rows
together with store/batch; plain, it loads and writes row by row through peewee. Both run the
same rule functions, so on copies of one store they must leave byte-for-byte the same tables,
row ids included."""

import contextlib
import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import peewee as pw
import pytest
from hypothesis import given, strategies as st

from opsconsole import clock, demo
from opsconsole.billing import daily, money
from opsconsole.billing.errors import DomainError
from opsconsole.store import batch, bulkload, db as store_db
from opsconsole.store.models import (
    Account,
    Charge,
    Event,
    PaymentMethod,
    Product,
    Subscription,
    database,
)
from opsconsole.webhooks import endpoints
from tests import engines
from tests.reliability import storegen

TABLES = ["subscription", "charge", "event", "notification", "case", "day_run", "store",
          "audit"]


def dump(path) -> dict[str, list[tuple]]:
    store_db.open_store(str(path))
    try:
        return {t: database.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                for t in TABLES}
    finally:
        store_db.close_store()


def run(path, days: int, batched: bool, monkeypatch) -> None:
    monkeypatch.setattr(daily, "BATCHED", batched)
    store_db.open_store(str(path))
    try:
        clock.run_days(days=days)
    finally:
        store_db.close_store()


@pytest.fixture(scope="module", params=engines.ENGINES)
def base_engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def generated(base_engine, tmp_path_factory):
    """Declines, pauses, cancellations, trials, manual and managed subscriptions."""
    folder = tmp_path_factory.mktemp("gen")
    target = engines.target(base_engine, folder)
    storegen.build(target, 300, folder=folder)
    return target


@pytest.fixture(scope="module")
def demo_store(base_engine, tmp_path_factory):
    """Renewing phases, discounts, advanced schedules, and cases of every status."""
    target = engines.target(base_engine, tmp_path_factory.mktemp("demo"), "demo")
    demo.build(target)
    store_db.close_store()
    return target


@pytest.mark.parametrize("source,days", [("generated", 45), ("demo_store", 60)])
def test_R_REL_2_batched_days_write_exactly_what_the_plain_path_writes(
        source, days, base_engine, request, tmp_path, monkeypatch):
    base = request.getfixturevalue(source)
    plain = engines.copy(base, tmp_path, "plain")
    batched = engines.copy(base, tmp_path, "batched")
    run(plain, days, False, monkeypatch)
    run(batched, days, True, monkeypatch)
    want, got = dump(plain), dump(batched)
    assert len(want["charge"]) > 50 and len(want["event"]) > 100  # the days did real work
    for table in TABLES:
        assert got[table] == want[table], table


def _deliveries(path) -> list[tuple]:
    store_db.open_store(str(path))
    try:
        return database.execute_sql(
            "SELECT endpoint_id, event_id, status FROM webhook_delivery ORDER BY id").fetchall()
    finally:
        store_db.close_store()


def test_R_REL_2_a_batch_of_events_an_endpoint_wants_and_does_not_is_written_at_once(
        generated, tmp_path, monkeypatch):
    """R-HOOK-3: events with deliveries get their ids before the batch is written, those
    without do not need one; both in one batch must not collide (which made the batch fail and
    be run again subscription by subscription)."""
    plain, batched = engines.copy(generated, tmp_path, "plain"), engines.copy(
        generated, tmp_path, "batched")
    for path in (plain, batched):
        store_db.open_store(str(path))
        endpoints.add("http://127.0.0.1:9/hook", events="subscription.charge.completed")
        store_db.close_store()

    def no_second_pass(*args):
        raise AssertionError("a batch failed and was run again one by one")

    monkeypatch.setattr(daily, "_one_by_one", no_second_pass)
    run(plain, 8, False, monkeypatch)
    run(batched, 8, True, monkeypatch)
    want, got = dump(plain), dump(batched)
    types = {row[1] for row in want["event"][-300:]}
    assert "subscription.charge.completed" in types and len(types) > 1  # both kinds made
    wall = {"audit": lambda row: row[:-1]}  # wall_at: when the endpoint was added, by the clock
    for table in TABLES:
        same = wall.get(table, lambda row: row)
        assert [same(r) for r in got[table]] == [same(r) for r in want[table]], table
    deliveries = _deliveries(batched)
    assert len(deliveries) > 20 and deliveries == _deliveries(plain)


def test_R_REL_1_a_batched_rerun_of_a_charged_date_cannot_write_it_again(
        generated, tmp_path, monkeypatch):
    path = engines.copy(generated, tmp_path, "store")
    run(path, 3, True, monkeypatch)
    store_db.open_store(str(path))
    try:
        day = clock.today()
        charged = Charge.select().where(Charge.date == day, Charge.kind == "rebill").first()
        sub = Subscription.get_by_id(charged.subscription_id)
        before = Charge.select().count()
        with pytest.raises(pw.IntegrityError):
            with database.atomic(), batch.collect():
                batch.insert(Charge, subscription=sub, scheduled_date=charged.scheduled_date,
                             kind="rebill", attempt=1, date=day, amount=charged.amount,
                             currency=charged.currency, status="completed", at=charged.at)
        assert Charge.select().count() == before
    finally:
        store_db.close_store()


def test_a_batch_that_fails_writes_none_of_its_rows(generated, tmp_path):
    path = engines.copy(generated, tmp_path, "store")
    store_db.open_store(str(path))
    try:
        sub = Subscription.select().first()
        events = Event.select().count()
        with pytest.raises(DomainError):
            with database.atomic(), batch.collect():
                batch.insert(Event, type="x", subscription=sub, at=dt.datetime(2026, 2, 1),
                             payload="{}", key=None)
                sub.state = "paused"
                batch.save(sub)
                raise DomainError("refused half-way")
        assert Event.select().count() == events
        assert Subscription.get_by_id(sub.id).state != "paused"
    finally:
        store_db.close_store()


def test_the_fast_loader_builds_what_peewee_builds(generated, monkeypatch):
    store_db.open_store(str(generated))
    try:
        ids = [i for (i,) in Subscription.select(Subscription.id).tuples()]
        monkeypatch.setattr(bulkload, "variable_limit", lambda: 7)  # many statements
        fast = bulkload.subscriptions(ids[::-1])
        ids.sort()
        plain = list(Subscription.select(Subscription, Product, Account, PaymentMethod)
                     .join(Product).switch(Subscription).join(Account)
                     .switch(Subscription).join(PaymentMethod, pw.JOIN.LEFT_OUTER)
                     .order_by(Subscription.id))
        assert [s.id for s in fast] == ids == [s.id for s in plain]
        with_method = 0
        for a, b in zip(fast, plain):
            assert a.__data__ == b.__data__
            assert {k: type(v) for k, v in a.__data__.items()} == \
                {k: type(v) for k, v in b.__data__.items()}
            assert a.account.__data__ == b.account.__data__
            assert a.product.__data__ == b.product.__data__
            assert (a.payment_method and a.payment_method.__data__) == \
                (b.payment_method and b.payment_method.__data__)
            with_method += a.payment_method is not None
            assert not a.dirty_fields
        assert 0 < with_method < len(ids)
    finally:
        store_db.close_store()


def _peewee_models(ids: list[int], products=None, reads=None) -> list[Subscription]:
    """The subscriptions with these ids as peewee builds them, related rows joined."""
    return list(Subscription.select(Subscription, Product, Account, PaymentMethod)
                .join(Product).switch(Subscription).join(Account)
                .switch(Subscription).join(PaymentMethod, pw.JOIN.LEFT_OUTER)
                .where(Subscription.id.in_(ids)).order_by(Subscription.id))


def _fields(instance: pw.Model) -> dict:
    """Every field as its attribute reads (a foreign key as its id), with its type."""
    out = {}
    for field in type(instance)._meta.sorted_fields:
        name = field.name + "_id" if isinstance(field, pw.ForeignKeyField) else field.name
        value = getattr(instance, name)
        out[name] = (value, type(value))
    return out


def test_light_rows_read_as_the_models_do(generated, monkeypatch):
    """Declines, pauses, cancellations, trials, manual and managed subscriptions."""
    _rows_read_as_models(generated, monkeypatch)


def test_light_rows_read_as_the_models_do_on_the_demo_store(demo_store, monkeypatch):
    """Discounts, add-ons, repeat trials and renewing phases."""
    _rows_read_as_models(demo_store, monkeypatch)


def _rows_read_as_models(target, monkeypatch) -> None:
    """store/rows: a loaded row's every attribute is the model's, type included; its account
    and payment method too; and its payload (R-EVT-1) is the model's, byte for byte, from a
    row of all the fields or of only those the payload reads (present.READS)."""
    from opsconsole.billing import present, subs
    from opsconsole.store import journal

    store_db.open_store(str(target))
    try:
        ids = [i for (i,) in Subscription.select(Subscription.id).tuples()]
        monkeypatch.setattr(bulkload, "variable_limit", lambda: 7)  # many statements
        products = {p.id: p for p in Product.select()}
        rows = subs.preload(bulkload.subscription_rows(ids[::-1], products))
        lean = subs.preload(bulkload.subscription_rows(ids, products, present.READS))
        models = _peewee_models(ids)
        assert [r.id for r in rows] == sorted(ids) == [m.id for m in models] == \
            [r.id for r in lean]
        kinds = set()
        for row, lean_row, model in zip(rows, lean, models):
            assert {n: getattr(row, n) for n in _fields(model)} == \
                {n: v for n, (v, _t) in _fields(model).items()}
            assert {n: type(getattr(row, n)) for n in _fields(model)} == \
                {n: t for n, (_v, t) in _fields(model).items()}
            for name, (value, _t) in _fields(model.account).items():
                assert (getattr(row.account, name), type(getattr(row.account, name))) == \
                    (value, type(value)), name
            assert (row.payment_method is None) == (model.payment_method is None)
            if model.payment_method is not None:
                for name, (value, _t) in _fields(model.payment_method).items():
                    assert getattr(row.payment_method, name) == value, name
            assert row.product is products[model.product_id]
            assert journal.dumps(present.subscription(row)) == \
                journal.dumps(present.subscription(model)) == \
                journal.dumps(present.subscription(lean_row))
            with pytest.raises(AttributeError):  # a field the payload does not read
                getattr(lean_row, "dunning_next")  # noqa: B009
            kinds.add((model.state, bool(model.discount_type), bool(subs.held(model)),
                       model.payment_method is None))
        assert len(kinds) > 4  # states, discounts, add-ons, with and without a card
    finally:
        store_db.close_store()


def test_the_fast_loaders_addons_and_repeat_trials_are_the_definitions(demo_store,
                                                                        monkeypatch):
    """subs.preload reads a batch's add-ons and repeat trials with plain SQL (bulkload); they
    are the rows of SubscriptionAddon and the ids of queries.repeat_trials, through peewee."""
    from opsconsole.store import queries
    from opsconsole.store.models import SubscriptionAddon as SA

    store_db.open_store(str(demo_store))
    try:
        ids = [i for (i,) in Subscription.select(Subscription.id).tuples()]
        with monkeypatch.context() as m:
            m.setattr(bulkload, "variable_limit", lambda: 7)  # many statements
            addons, repeats = bulkload.addons(ids), bulkload.repeat_trials(ids)
        want = list(SA.select(SA.subscription, SA.path, SA.quantity, SA.price)
                    .order_by(SA.subscription, SA.path).tuples())
        assert [tuple(row) for row in addons] == want
        want_repeats = [i for (i,) in Subscription.select(Subscription.id)
                        .where(queries.repeat_trials()).order_by(Subscription.id).tuples()]
        assert sorted(repeats) == want_repeats == sorted(queries.repeat_trial_ids(ids))
        assert addons and repeats  # the demo store has both
    finally:
        store_db.close_store()


def test_the_variable_limit_is_the_connections_own(generated):
    store_db.open_store(str(generated))
    try:
        assert bulkload.variable_limit() >= 999
    finally:
        store_db.close_store()


@given(st.integers(-10**15, 10**15), st.sampled_from(["USD", "JPY", "KWD", "CLF"]))
def test_R_MONEY_1_amounts_format_exactly_as_their_decimal(minor, currency):
    places = money.exponent(currency)
    assert money.format_amount(minor, currency) == \
        f"{Decimal(minor).scaleb(-places):.{places}f}"



def test_a_new_instance_is_what_the_models_constructor_makes(demo_store):
    """batch.new (an import's three models a row) against Model(**values): the same data,
    the same fields dirty, the related rows read without asking the store."""
    store_db.open_store(str(demo_store))
    try:
        account, product = Account.get(), Product.get()
        method = PaymentMethod.get()
        values = {"reference_id": "R1", "state": "active", "quantity": 2, "currency": "USD",
                  "price": 1500, "interval_unit": "month", "begin_date": dt.date(2026, 1, 5),
                  "next_charge_date": dt.date(2026, 2, 5), "created_at": dt.datetime(2026, 1, 5)}
        made = Subscription(account=account, product=product, payment_method=method, **values)
        related = {"account": account, "product": product, "payment_method": method}
        new = batch.new(Subscription, {**values, "account": account.id,
                                       "product": product.id,
                                       "payment_method": method.id}, related)
        assert new.__data__ == made.__data__
        assert new._dirty == made._dirty
        assert new.__rel__ == made.__rel__
        assert (new.account, new.product, new.payment_method) == (account, product, method)
        plain = Account(email="a@example.com", first="A", last="B")
        fast = batch.new(Account, {"email": "a@example.com", "first": "A", "last": "B"})
        assert (fast.__data__, fast._dirty) == (plain.__data__, plain._dirty)
    finally:
        store_db.close_store()


@contextlib.contextmanager
def _row_by_row():
    yield batch.Writes()  # registered nowhere: every write goes straight to the store


def _second_file(tmp_path, demo_row: dict) -> Path:
    """Two rows of one new customer, one row of a customer the demo store already has."""
    path = tmp_path / "more.csv"
    with open(path, "w", newline="") as f:
        out = csv.DictWriter(f, list(demo_row))
        out.writeheader()
        for ref, email in (("N1", "new@example.com"), ("N2", "new@example.com"),
                           ("N3", demo_row["email"])):
            out.writerow({**demo_row, "referenceId": ref, "email": email})
    return path


def _import_dump(path: Path, more: Path, monkeypatch, batched: bool) -> dict:
    from opsconsole.transfer.importer import import_file

    with monkeypatch.context() as m:
        if not batched:
            m.setattr(batch, "collect", _row_by_row)
        demo.build(str(path))
        report = import_file(str(more))
        assert (report.imported, report.rejected) == (3, 0), report.errors
        out = {t: database.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
               for t in ("account", "payment_method", "subscription", "event")}
        out["audit"] = database.execute_sql(  # all but the wall-clock column
            "SELECT id, operator, action, subscription_id, before, after, detail, at "
            "FROM audit ORDER BY id").fetchall()
        store_db.close_store()
    return out


def test_R_IMPORT_1_a_batched_import_writes_exactly_what_row_by_row_writes(new_target,
                                                                           tmp_path,
                                                                           monkeypatch):
    rows = list(csv.DictReader(open(demo.FIXTURES / "subscriptions.csv", newline="")))
    more = _second_file(tmp_path, rows[0])
    plain = _import_dump(new_target("plain"), more, monkeypatch, False)
    batched = _import_dump(new_target("batched"), more, monkeypatch, True)
    assert len(plain["subscription"]) == len(rows) + 3
    # one account per email address, whether it came earlier in the file or from the store
    emails = [a[1] for a in plain["account"]]
    assert len(emails) == len(set(emails)) and "new@example.com" in emails
    for table in plain:
        assert batched[table] == plain[table], table


def test_R_BULK_1_a_batched_price_update_writes_exactly_what_row_by_row_writes(
        demo_store, tmp_path, monkeypatch):
    from opsconsole.billing import bulk

    dumps = []
    for batched in (False, True):
        path = engines.copy(demo_store, tmp_path, str(batched))
        with monkeypatch.context() as m:
            if not batched:  # models loaded by peewee, each write on its own
                m.setattr(batch, "collect", _row_by_row)
                m.setattr(bulkload, "subscription_rows", _peewee_models)
            m.setattr(bulk, "CHUNK", 3)  # several chunks in the one transaction
            store_db.open_store(str(path))
            plan = bulk.apply("monthly-pro", percent="5", currency="USD", operator="test")
            assert len(plan.rows) > 3
            dumps.append({t: database.execute_sql(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()
                          for t in ("subscription", "event", "notification")})
            dumps[-1]["audit"] = database.execute_sql(
                "SELECT id, operator, action, subscription_id, before, after, detail, at "
                "FROM audit ORDER BY id").fetchall()
            store_db.close_store()
    plain, batched_ = dumps
    for table in plain:
        assert batched_[table] == plain[table], table
