"""A fresh store per test, on its own clock, with helpers that speak in store terms."""

import datetime as dt
import json

import pytest

from opsconsole import clock
from opsconsole.billing import products, signup
from opsconsole.billing.money import parse_amount
from opsconsole.store import context, db as store_db
from opsconsole.store.models import Charge, Event, Notification, Subscription
from tests import engines


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


class Store:
    """A test's store: make products and subscriptions, run days, read what happened."""

    def __init__(self, path):
        self.path = str(path)

    def product(self, path="monthly", interval="month", price="30.00", **kw):
        return products.add(path, kw.pop("name", path), interval, price, **kw)

    def sub(self, product="monthly", next_charge="2026-02-01", token="tok_visa", **kw):
        from opsconsole.billing.subs import find_product

        prod = find_product(product)
        currency = kw.pop("currency", prod.currency)
        price = kw.pop("price", None)
        fields = dict(
            product=prod, email=kw.pop("email", f"c{Subscription.select().count()}@example.com"),
            first="Test", last="Customer", currency=currency,
            price=parse_amount(price, currency) if price else prod.price,
            interval_unit=kw.pop("interval", prod.interval_unit),
            interval_length=kw.pop("length", prod.interval_length),
            next_charge_date=d(next_charge) if next_charge else None, token=token)
        for key in ("begin_date", "end_date", "trial_end_date"):
            if isinstance(kw.get(key), str):
                kw[key] = d(kw[key])
        fields.update(kw)
        with Subscription._meta.database.atomic():
            sub = signup.create(context.current("test"), signup.NewSubscription(**fields))
        return sub.id

    def get(self, sub_id) -> Subscription:
        return Subscription.get_by_id(sub_id)

    def run(self, days=1, **kw):
        return clock.run_days(days=days, **kw)

    def run_until(self, date: str):
        return clock.run_days(until=d(date))

    def today(self) -> dt.date:
        return clock.today()

    def events(self, sub_id, type_=None) -> list[str]:
        q = Event.select().where(Event.subscription == sub_id).order_by(Event.id)
        return [e.type for e in q if type_ is None or e.type == type_]

    def event_rows(self, sub_id, type_):
        return [(e.at.date(), json.loads(e.payload)) for e in
                Event.select().where(Event.subscription == sub_id, Event.type == type_)
                .order_by(Event.id)]

    def emails(self, sub_id) -> list[tuple[dt.date, str]]:
        q = Notification.select().where(Notification.subscription == sub_id) \
            .order_by(Notification.id)
        return [(n.at.date(), n.template) for n in q]

    def charges(self, sub_id) -> list[tuple]:
        q = Charge.select().where(Charge.subscription == sub_id).order_by(Charge.id)
        return [(c.date.isoformat(), c.kind, c.amount, c.status) for c in q]


@pytest.fixture(params=engines.ENGINES)
def engine(request) -> str:
    """Each test that asks for a store runs on SQLite and on PostgreSQL (R-DB-1)."""
    return request.param


@pytest.fixture
def new_target(engine, tmp_path):
    """new_target('name') -> where a new store of this test's engine goes."""
    return lambda name="store": engines.target(engine, tmp_path, name)


@pytest.fixture
def make_store(new_target):
    """make_store('2026-01-30') -> a Store whose clock starts that day."""
    def make(date="2026-01-30", **kw) -> Store:
        target = new_target()
        clock.init_store(target, d(date), **kw)
        return Store(target)
    yield make
    store_db.close_store()


@pytest.fixture
def store(make_store) -> Store:
    s = make_store("2026-01-30")
    s.product("monthly", "month", "30.00")
    return s


def pytest_sessionfinish(session, exitstatus):
    engines.stop()  # this process's PostgreSQL, stopped and deleted (engines.stop says why)
