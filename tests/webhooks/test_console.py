"""The console's Webhooks screen (key 5) and its background deliverer (R-HOOK-6)."""

import asyncio
import time

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
