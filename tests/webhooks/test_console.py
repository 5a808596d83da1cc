"""The console's Webhooks screen (key 5) and its background deliverer (R-HOOK-6)."""

import asyncio
import time

import pytest
from textual.widgets import DataTable

from opsconsole.store.webhook_models import WebhookDelivery, WebhookEndpoint
from opsconsole.tui.app import make_app
from opsconsole.webhooks import endpoints
from tests.tui.conftest import SIZE, settle


def _cells(app, selector) -> list[list[str]]:
    table = app.screen.query_one(selector, DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_webhooks_screen_shows_redelivers_and_disables(store, receiver):
    endpoint, _ = endpoints.add(receiver.url("/in"))
    store.sub(next_charge="2026-02-01")
    store.sub(next_charge="2026-02-01")
    app = make_app(store.path, "tester", poll=False, blink=False, deliver=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await settle(pilot)
        assert _cells(app, "#endpoints")[0][:7] == [
            str(endpoint.id), receiver.url("/in"), "*", "enabled", "2", "0", "0"]
        deliveries = _cells(app, "#deliveries")
        assert [row[1] for row in deliveries] == ["subscription.activated"] * 2
        assert [row[3] for row in deliveries] == ["pending", "pending"]
        WebhookDelivery.update(status="failed", next_attempt_at=None).execute()
        await pilot.press("r")  # the newest delivery is chosen
        await settle(pilot)
        newest = WebhookDelivery.select().order_by(WebhookDelivery.id.desc()).get()
        assert newest.status == "pending" and newest.next_attempt_at is not None
        await pilot.press("t")
        await settle(pilot)
        assert WebhookEndpoint.get_by_id(endpoint.id).enabled is False
        assert _cells(app, "#endpoints")[0][3].startswith("off:")
        await pilot.press("t")
        await settle(pilot)
        assert WebhookEndpoint.get_by_id(endpoint.id).enabled is True


async def test_a_delivery_the_store_cannot_read_is_named_on_the_screen(store, receiver):
    """R-INPUT-1 for the outbox: a status of 'bogus' (a store written to by hand) was listed
    as such and never sent, with nothing said; it is left out of the table and named."""
    endpoint, _ = endpoints.add(receiver.url("/in"))
    store.sub(next_charge="2026-02-01")
    store.sub(next_charge="2026-02-01")
    first = WebhookDelivery.select().order_by(WebhookDelivery.id).get()
    WebhookDelivery.update(status="bogus").where(WebhookDelivery.id == first.id).execute()
    app = make_app(store.path, "tester", poll=False, blink=False, deliver=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await settle(pilot)
        assert [row[0] for row in _cells(app, "#deliveries")] == [str(first.id + 1)]
        said = str(app.screen.query_one("#deliverer").render())
        assert f"webhook delivery {first.id} holds status 'bogus', which must be one of" in said


async def test_R_HOOK_6_the_open_console_delivers_in_the_background(store, receiver):
    endpoints.add(receiver.url("/in"))
    for _ in range(5):
        store.sub(next_charge="2026-02-01")
    app = make_app(store.path, "tester", poll=False, blink=False, deliver=True)
    async with app.run_test(size=SIZE) as pilot:
        deadline = time.monotonic() + 20
        while len(receiver.at("/in")) < 5 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert len(receiver.at("/in")) == 5
        assert "delivered in the background" in app.deliverer_state
        await pilot.press("q")
    assert app._stop_delivering.is_set()


# --- snapshots of the screen, on the demo store with every wall time fixed ---------------------

from tests.tui.conftest import _colour, demo_db, demo_template  # noqa: E402,F401  (fixtures)

BIG, SMALL = (120, 40), (80, 24)


def _webhook_story(db: str):
    """Two endpoints, a day of deliveries, a few failed attempts; wall times made constant."""
    import datetime as dt

    from opsconsole import clock
    from opsconsole.store.models import database
    from opsconsole.webhooks.deliverer import Deliverer
    from tests.webhooks.receiver import closed_port

    at = dt.datetime(2026, 11, 20, 9, 30)
    endpoints.add("https://fulfilment.example.com/hooks/opsconsole", now=at)
    down = f"http://127.0.0.1:{closed_port()}/crm"
    crm, _ = endpoints.add(down, events="subscription.charge.*", now=at)
    clock.run_days(days=1)
    WebhookEndpoint.update(enabled=False).where(WebhookEndpoint.id != crm.id).execute()
    soon = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(minutes=1)
    Deliverer(now=lambda: soon).run()  # the CRM is down: one refused attempt each
    WebhookEndpoint.update(enabled=True).execute()
    WebhookEndpoint.update(url="http://crm.internal:8080/crm").where(
        WebhookEndpoint.id == crm.id).execute()
    for sql in ("UPDATE webhook_delivery SET created_at = '2026-11-20 09:30:00'",
                "UPDATE webhook_delivery SET next_attempt_at = '2026-11-20 09:30:10' "
                "WHERE attempts > 0",
                "UPDATE webhook_delivery SET next_attempt_at = '2026-11-20 09:30:00' "
                "WHERE attempts = 0",
                "UPDATE webhook_delivery SET last_attempt_at = '2026-11-20 09:30:00' "
                "WHERE attempts > 0",
                "UPDATE webhook_attempt SET duration_ms = 2, at = '2026-11-20 09:30:00'"):
        database.execute_sql(sql)


def _snap(snap_compare, console, size, keys=()):
    async def run_before(pilot):
        await pilot.press("5")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return snap_compare(console(), run_before=run_before, terminal_size=size)


@pytest.fixture
def console(demo_db):
    def make():
        app = make_app(demo_db, "tester", poll=False, blink=False)
        app.theme = "textual-dark"
        return app
    return make


@pytest.mark.parametrize("size", [BIG, SMALL], ids=["120x40", "80x24"])
def test_webhooks_screen(snap_compare, console, demo_db, size):
    _webhook_story(demo_db)
    assert _snap(snap_compare, console, size, keys=("down",))


async def test_the_subscription_detail_shows_its_events_delivery_state(store, receiver, wall):
    from opsconsole.webhooks.deliverer import Deliverer

    endpoints.add(receiver.url("/in"))
    endpoints.add(receiver.url("/broken", "fail"), events="subscription.activated")
    sub = store.sub(next_charge="2026-01-31")
    store.run()
    Deliverer(now=wall).run()
    app = make_app(store.path, "tester", poll=False, blink=False)
    async with app.run_test(size=SIZE) as pilot:
        from opsconsole.tui.screens.detail import SubscriptionScreen

        await settle(pilot)
        app.push_screen(SubscriptionScreen(sub))
        await settle(pilot)
        rows = _cells(app, "#events")
        assert [(r[1], r[3]) for r in rows] == [("charge.completed", "delivered"),
                                                ("activated", "1/2 delivered")]
