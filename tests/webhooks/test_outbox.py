"""R-HOOK-2 (endpoints) and R-HOOK-3 (a delivery row with each event, in its transaction)."""

import base64

import pytest

from opsconsole.billing import actions
from opsconsole.errors import DomainError
from opsconsole.store.journal import EVENT_TYPES, wants
from opsconsole.store.models import Audit, Event
from opsconsole.store.webhook_models import WebhookDelivery, WebhookEndpoint
from opsconsole.webhooks import deliveries, endpoints


def _deliveries(endpoint_id=None):
    q = WebhookDelivery.select().order_by(WebhookDelivery.id)
    if endpoint_id is not None:
        q = q.where(WebhookDelivery.endpoint == endpoint_id)
    return [(d.event.type, d.status) for d in q]


def test_R_HOOK_2_an_endpoint_gets_a_secret_shown_once_and_again_on_request(store):
    endpoint, secret = endpoints.add("https://hooks.example.com/in", operator="maria")
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[len("whsec_"):])) == 24
    assert "secret" not in endpoints.show(endpoint.id)
    assert endpoints.show(endpoint.id, with_secret=True)["secret"] == secret
    row = Audit.select().order_by(Audit.id.desc()).get()
    assert row.action == "webhook-add" and row.operator == "maria"
    assert secret not in (row.after or "") + (row.before or "") + (row.detail or "")
    assert endpoints.listing() == [{"id": endpoint.id, "url": "https://hooks.example.com/in",
                                    "events": ["*"], "enabled": True, "disabled_reason": None,
                                    "pending": 0, "delivered": 0, "failed": 0}]


def test_R_HOOK_2_a_given_secret_must_be_one_the_standard_can_key_with(store):
    good = "whsec_" + base64.b64encode(b"k" * 32).decode()
    assert endpoints.add("http://127.0.0.1/x", secret=good)[1] == good
    for bad in ("hunter2", "whsec_!!!", "whsec_" + base64.b64encode(b"short").decode()):
        with pytest.raises(DomainError, match="--secret must be whsec_"):
            endpoints.add("http://127.0.0.1/x", secret=bad)
    assert WebhookEndpoint.select().count() == 1


@pytest.mark.parametrize("url", ["ftp://example.com/x", "example.com/hook", "http://",
                                 "javascript:alert(1)", "http://exa mple.com/", "http://x:99999/",
                                 "https://e.com/\x1b[2J"])
def test_R_HOOK_2_only_http_and_https_urls(store, url):
    audit = Audit.select().count()
    with pytest.raises(DomainError):
        endpoints.add(url)
    assert WebhookEndpoint.select().count() == 0 and Audit.select().count() == audit


def test_R_HOOK_2_event_filters_take_known_types_and_prefixes(store):
    assert endpoints.parse_events(None) == "*"
    assert endpoints.parse_events("subscription.*, case.opened") == "subscription.*,case.opened"
    for bad in ("subscription.bogus", "nothing.*", "subscription"):
        with pytest.raises(DomainError, match="unknown event type"):
            endpoints.parse_events(bad)
    assert wants("subscription.*", "subscription.charge.completed")
    assert wants("subscription.charge.*", "subscription.charge.failed")
    assert not wants("subscription.*", "case.opened")
    assert not wants("subscription.paused", "subscription.paused.x")
    assert wants("*", "return.created")


def test_R_HOOK_3_each_event_gets_a_delivery_per_enabled_endpoint_that_wants_it(store):
    everything, _ = endpoints.add("http://127.0.0.1:1/all")
    charges, _ = endpoints.add("http://127.0.0.1:1/charges",
                               events="subscription.charge.*")
    off, _ = endpoints.add("http://127.0.0.1:1/off")
    endpoints.set_enabled(off.id, False)
    sub = store.sub(next_charge="2026-01-31")
    store.run()  # the rebill: charge.completed
    actions.pause(sub, 1)
    types = [e.type for e in Event.select().order_by(Event.id)]
    assert types == ["subscription.activated", "subscription.charge.completed",
                     "subscription.updated"]
    assert _deliveries(everything.id) == [(t, "pending") for t in types]
    assert _deliveries(charges.id) == [("subscription.charge.completed", "pending")]
    assert _deliveries(off.id) == []
    # each delivery names its event; nothing was written without its deliveries
    for d in WebhookDelivery.select():
        assert d.event_id is not None and d.next_attempt_at is not None


def test_R_HOOK_3_a_refused_action_or_a_dry_run_writes_no_delivery(store):
    endpoints.add("http://127.0.0.1:1/all")
    sub = store.sub(next_charge="2026-01-31")
    before = _deliveries()
    with pytest.raises(DomainError):
        actions.pause(sub, 99)
    store.run(dry_run=True)
    assert _deliveries() == before
    store.run()
    assert len(_deliveries()) == len(before) + 1


def test_R_HOOK_3_the_daily_process_writes_deliveries_in_its_batches(store):
    endpoints.add("http://127.0.0.1:1/all")
    subs = [store.sub(next_charge="2026-01-31", token="tok_chargeDeclined" if i % 3 == 0
                      else "tok_visa") for i in range(30)]
    store.run(days=3)
    events = list(Event.select().order_by(Event.id))
    assert [d.event_id for d in WebhookDelivery.select().order_by(WebhookDelivery.id)] == \
        [e.id for e in events]
    assert len(events) > len(subs)


def test_R_HOOK_2_disable_enable_remove(store):
    endpoint, _ = endpoints.add("http://127.0.0.1:1/x")
    store.sub(next_charge="2026-02-01")
    assert endpoints.set_enabled(endpoint.id, False)[1] is True
    assert endpoints.set_enabled(endpoint.id, False)[1] is False
    assert endpoints.show(endpoint.id)["disabled_reason"] == "disabled by hand"
    store.sub(next_charge="2026-02-01")  # no new delivery while disabled
    assert len(_deliveries()) == 1
    endpoints.set_enabled(endpoint.id, True)
    endpoints.remove(endpoint.id)
    assert WebhookDelivery.select().count() == 0
    with pytest.raises(DomainError, match="no webhook endpoint 1"):
        endpoints.show(endpoint.id)
    for ref in ("x", "-1", "99", "1" * 30):
        with pytest.raises(DomainError, match="no webhook endpoint"):
            endpoints.find(ref)
    with pytest.raises(DomainError, match="no webhook delivery"):
        deliveries.find("12")


def test_every_event_the_store_writes_is_a_known_type(demo_run):
    written = {t for (t,) in Event.select(Event.type).distinct().tuples()}
    assert written <= set(EVENT_TYPES), written - set(EVENT_TYPES)
    assert len(written) >= 8


@pytest.mark.parametrize("there", ["sqlite", "postgres"])
def test_R_DB_4_copy_keeps_endpoints_deliveries_and_attempts(store, there, tmp_path, wall):
    from opsconsole.store import db as store_db
    from opsconsole.store.copying import copy_store
    from opsconsole.webhooks.deliverer import Deliverer
    from tests import engines
    from tests.core.test_copy import contents
    from tests.webhooks.receiver import closed_port

    if there not in engines.ENGINES:
        pytest.skip(f"{there} is not among this run's engines")
    endpoints.add(f"http://127.0.0.1:{closed_port()}/down")
    for _ in range(3):
        store.sub(next_charge="2026-01-31")
    store.run()
    Deliverer(now=wall).run()  # refused connections: attempts logged
    store_db.close_store()
    destination = engines.target(there, tmp_path, "copy")
    copy_store(store.path, destination)
    store_db.close_store()
    want, got = contents(store.path), contents(destination)
    for table in ("webhook_endpoint", "webhook_delivery", "webhook_attempt"):
        assert got[table] == want[table] and want[table], table
    store_db.open_store(store.path)  # for the fixture's teardown
