"""R-HOOK-4 (what is sent), R-HOOK-5 (retries, faults, redelivery, rotation) and R-HOOK-7
(endpoints independent), against a real HTTP server on 127.0.0.1."""

import base64
import datetime as dt
import hashlib
import hmac
import json
import threading
import time

import pytest
import standardwebhooks

from opsconsole.billing import actions
from opsconsole.errors import DomainError
from opsconsole.store.models import Event
from opsconsole.store.webhook_models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from opsconsole.webhooks import deliverer, deliveries, endpoints
from opsconsole.webhooks.deliverer import SCHEDULE, Deliverer
from tests.webhooks.receiver import closed_port


def _send(wall=None, **kw):
    kw = {"now": wall, **kw} if wall is not None else kw
    return Deliverer(**kw).run()


def _delivery(endpoint_id) -> WebhookDelivery:
    return WebhookDelivery.select().where(WebhookDelivery.endpoint == endpoint_id) \
        .order_by(WebhookDelivery.id).get()


def _attempts(delivery_id) -> list[tuple]:
    return [(a.number, a.status_code, a.error) for a in
            WebhookAttempt.select().where(WebhookAttempt.delivery == delivery_id)
            .order_by(WebhookAttempt.number)]


def test_R_HOOK_4_body_and_both_signatures_verify(store, receiver):
    endpoint, secret = endpoints.add(receiver.url("/in"))
    sub = store.sub(next_charge="2026-01-31", email="hook@example.com")
    store.run()
    stats = _send()
    assert stats.delivered == 2 and stats.failed_attempts == 0
    got = sorted(receiver.at("/in"), key=lambda r: r.event_number)  # 4 in flight at once
    events = list(Event.select().order_by(Event.id))
    assert [r.event_number for r in got] == [e.id for e in events]
    epoch = WebhookDelivery.get().epoch
    assert len(epoch) == 8 and all(r.event_id == f"evt_{epoch}_{r.event_number}" for r in got)
    verifier = standardwebhooks.Webhook(secret)
    for r, event in zip(got, events):
        assert r.headers["Content-Type"] == "application/json"
        expected = base64.b64encode(hmac.new(secret.encode(), r.body, hashlib.sha256).digest())
        assert r.headers["X-FS-Signature"] == expected.decode()
        assert verifier.verify(r.body, r.headers) == r.document  # the standard's own check
        assert int(r.headers["webhook-timestamp"]) == pytest.approx(time.time(), abs=60)
        (item,) = r.document["events"]
        assert item["type"] == event.type and item["live"] is False
        assert item["processed"] is False
        assert item["created"] == int(event.at.replace(tzinfo=dt.UTC).timestamp()
                                      * 1000)  # the store is on UTC
        assert item["data"] == json.loads(event.payload)
        assert item["data"]["id"] == sub
    assert {r.headers["webhook-id"] for r in got} == \
        {f"msg_{d.epoch}_{d.id}" for d in WebhookDelivery.select()}
    d = _delivery(endpoint.id)
    assert (d.status, d.attempts, d.next_attempt_at, d.last_status) == ("delivered", 1, None, 204)
    tampered = got[0].body.replace(b'"live":false', b'"live":true')
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        verifier.verify(tampered, got[0].headers)


def test_R_HOOK_5_a_rotated_secret_signs_beside_the_old_one_for_a_day(store, receiver, wall):
    endpoint, old = endpoints.add(receiver.url("/in"))
    _, new = endpoints.rotate(endpoint.id, now=wall())
    assert new != old and endpoints.show(endpoint.id, True)["secret"] == new
    store.sub(next_charge="2026-02-01")
    _send(wall)
    (r,) = receiver.at("/in")
    assert len(r.headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):  # a receiver on either secret accepts it
        _verify_at(secret, r, wall())
    assert r.headers["X-FS-Signature"] == base64.b64encode(
        hmac.new(new.encode(), r.body, hashlib.sha256).digest()).decode()
    wall.advance(hours=24, seconds=1)
    deliveries.redeliver(_delivery(endpoint.id).id, now=wall())
    _send(wall)
    assert len(receiver.at("/in")[-1].headers["webhook-signature"].split(" ")) == 1


def _verify_at(secret, received, moment):
    """The standard's own verifier (the injected clock is a minute ahead: within its
    tolerance), and the timestamp is the attempt's."""
    assert standardwebhooks.Webhook(secret).verify(received.body, received.headers)["events"]
    assert int(received.headers["webhook-timestamp"]) == \
        int(moment.replace(tzinfo=dt.UTC).timestamp())


@pytest.mark.parametrize("fault", ["down", "fail", "reset"])
def test_R_HOOK_5_a_failed_attempt_is_logged_and_retried_on_the_schedule(store, receiver, wall,
                                                                         fault):
    url = (f"http://127.0.0.1:{closed_port()}/in" if fault == "down"
           else receiver.url("/in", fault))
    endpoint, _ = endpoints.add(url)
    store.sub(next_charge="2026-02-01")
    expected_error = {"down": "connection refused", "fail": "HTTP 500",
                      "reset": "connection reset"}[fault]
    for failures, wait in enumerate(SCHEDULE, start=1):
        stats = _send(wall)
        assert stats.failed_attempts == 1 and stats.delivered == 0
        d = _delivery(endpoint.id)
        assert d.attempts == failures and d.status == "pending"
        assert d.next_attempt_at == wall() + wait
        assert expected_error in d.last_error
        assert _send(wall).failed_attempts == 0  # nothing is due before its time
        wall.advance(seconds=wait.total_seconds())
    _send(wall)
    d = _delivery(endpoint.id)
    assert (d.status, d.attempts, d.next_attempt_at) == ("failed", 9, None)
    log = _attempts(d.id)
    assert [n for n, _, _ in log] == list(range(1, 10))
    assert all(expected_error in error for _, _, error in log)
    if fault == "fail":
        assert all(status == 500 for _, status, _ in log)
        assert WebhookAttempt.get(WebhookAttempt.number == 1).response == "answer 500"
    assert deliveries.attention()[0]["kind"] == "webhook-failed"
    assert str(endpoint.id) in deliveries.attention()[0]["reason"]
    assert expected_error in deliveries.attention()[0]["reason"]
    # redelivery by hand starts over, with the same webhook-id
    receiver.modes["/in"] = "ok"
    if fault == "down":
        WebhookEndpoint.update(url=receiver.url("/in")).execute()
    deliveries.redeliver(d.id, now=wall())
    assert _send(wall).delivered == 1
    assert receiver.at("/in")[-1].headers["webhook-id"] == f"msg_{d.epoch}_{d.id}"
    assert deliveries.attention() == []


def test_R_HOOK_5_no_answer_within_10_s_is_a_failed_attempt(store, receiver, wall):
    receiver.delay = 15
    endpoint, _ = endpoints.add(receiver.url("/in", "slow"))
    store.sub(next_charge="2026-02-01")
    started = time.monotonic()
    stats = _send(wall)
    assert 9.5 <= time.monotonic() - started < 14
    assert stats.failed_attempts == 1
    d = _delivery(endpoint.id)
    assert d.last_error == "no answer within 10 s" and d.last_status is None
    assert d.next_attempt_at == wall() + SCHEDULE[0]


def test_R_HOOK_5_410_disables_the_endpoint_until_enabled_by_hand(store, receiver, wall):
    endpoint, _ = endpoints.add(receiver.url("/in", "gone"))
    store.sub(next_charge="2026-02-01")
    store.sub(next_charge="2026-02-01")
    stats = _send(wall)
    assert stats.endpoints_gone == [endpoint.id]
    shown = endpoints.show(endpoint.id)
    assert shown["enabled"] is False and shown["disabled_reason"].startswith("410 Gone")
    assert [i["kind"] for i in deliveries.attention()] == ["webhook-gone"]
    wall.advance(hours=1)
    assert _send(wall).failed_attempts == 0  # nothing goes to a disabled endpoint
    store.sub(next_charge="2026-02-01")
    assert WebhookDelivery.select().count() == 2  # and it gets no new deliveries
    receiver.modes["/in"] = "ok"
    endpoints.set_enabled(endpoint.id, True)
    assert deliveries.attention() == []
    assert _send(wall).delivered == 2


def test_R_HOOK_5_retry_after_is_waited_for(store, receiver, wall):
    receiver.retry_after = "600"
    endpoint, _ = endpoints.add(receiver.url("/in", "busy"))
    store.sub(next_charge="2026-02-01")
    _send(wall)
    d = _delivery(endpoint.id)
    assert d.last_status == 429 and d.next_attempt_at == wall() + dt.timedelta(seconds=600)
    receiver.retry_after = "1"  # shorter than the schedule's step: the schedule wins
    wall.advance(seconds=600)
    _send(wall)
    assert _delivery(endpoint.id).next_attempt_at == wall() + SCHEDULE[1]
    assert deliverer.retry_after("Wed, 21 Oct 2015 07:28:00 GMT", wall()) == dt.timedelta(0)
    assert deliverer.retry_after("soon", wall()) is None


def test_R_HOOK_5_redeliver_an_endpoints_deliveries_since_a_date(store, receiver, wall):
    endpoint, _ = endpoints.add(receiver.url("/in"))
    sub = store.sub(next_charge="2026-02-01")
    store.run(days=3)  # 2026-02-01: the rebill
    actions.pause(sub, 1)
    _send(wall)
    assert len(receiver.at("/in")) == 3
    count = deliveries.redeliver_since(endpoint.id, dt.date(2026, 2, 1), now=wall())
    assert count == 2
    _send(wall)
    again = sorted(receiver.at("/in")[3:], key=lambda r: r.event_number)  # 4 at once
    assert [r.document["events"][0]["type"] for r in again] == \
        ["subscription.charge.completed", "subscription.updated"]
    first = {r.event_id: r.headers["webhook-id"] for r in receiver.at("/in")[:3]}
    assert all(first[r.event_id] == r.headers["webhook-id"] for r in again)


def test_R_HOOK_7_at_most_four_in_flight_per_endpoint_oldest_first(store, receiver):
    receiver.delay = 0.05
    endpoints.add(receiver.url("/in", "slow"))
    for _ in range(24):
        store.sub(next_charge="2026-02-01")
    assert _send().delivered == 24
    assert receiver.most_in_flight["/in"] == 4
    ids = [r.event_number for r in receiver.at("/in")]
    # four at a time, oldest first: each request was among the four oldest not yet sent
    for i, event_id in enumerate(ids):
        assert event_id in sorted(ids[i:])[:4]


def test_R_HOOK_7_a_hanging_endpoint_does_not_hold_up_another(store, receiver, wall):
    slow, _ = endpoints.add(receiver.url("/slow", "hang"))
    fast, _ = endpoints.add(receiver.url("/fast"))
    for _ in range(20):
        store.sub(next_charge="2026-02-01")
    stop = threading.Event()
    worker = threading.Thread(target=lambda: Deliverer(now=wall, timeout=30, stop=stop)
                              .run(watch=True, poll=0.1))
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and endpoints.show(fast.id)["delivered"] < 20:
            time.sleep(0.05)
        assert endpoints.show(fast.id)["delivered"] == 20
        while time.monotonic() < deadline and len(receiver.at("/slow")) < 4:
            time.sleep(0.05)  # on a loaded machine the slow lane may start later
        assert len(receiver.at("/slow")) == 4  # four in flight, all still hanging
        assert WebhookAttempt.select().join(WebhookDelivery).where(
            WebhookDelivery.endpoint == slow.id).count() == 0
    finally:
        receiver.release.set()
        stop.set()
        worker.join(30)
    assert not worker.is_alive()


def test_R_HOOK_4_the_10_s_is_for_the_whole_answer_not_each_byte(store, receiver, wall):
    endpoint, _ = endpoints.add(receiver.url("/in", "trickle"))
    store.sub(next_charge="2026-02-01")
    started = time.monotonic()
    stats = Deliverer(now=wall, timeout=1.5).run()
    assert time.monotonic() - started < 6
    assert stats.failed_attempts == 1
    assert _delivery(endpoint.id).last_error == "no answer within 1.5 s"


def test_R_HOOK_5_an_odd_retry_after_is_a_logged_failure_on_the_schedule(store, receiver, wall):
    receiver.retry_after = "\u00b2"  # a digit to str.isdigit, not to int()
    endpoint, _ = endpoints.add(receiver.url("/in", "busy"))
    store.sub(next_charge="2026-02-01")
    assert _send(wall).failed_attempts == 1
    d = _delivery(endpoint.id)
    assert (d.attempts, d.last_status, d.next_attempt_at) == (1, 429, wall() + SCHEDULE[0])


@pytest.mark.parametrize("url", ["http://a..b/", "http://\u2603.net/"])
def test_R_HOOK_2_a_url_the_client_cannot_use_is_refused_at_once(store, url):
    with pytest.raises(DomainError):
        endpoints.add(url)


def test_R_HOOK_5_a_second_rotation_keeps_the_first_old_secret_its_day(store, receiver, wall):
    endpoint, first = endpoints.add(receiver.url("/in"))
    _, second = endpoints.rotate(endpoint.id, now=wall() - dt.timedelta(hours=1))
    _, third = endpoints.rotate(endpoint.id, now=wall())  # an hour after the first rotation
    store.sub(next_charge="2026-02-01")
    _send(wall)
    (r,) = receiver.at("/in")
    assert len(r.headers["webhook-signature"].split(" ")) == 3
    for secret in (first, second, third):
        _verify_at(secret, r, wall())
    wall.advance(hours=23, seconds=1)  # the first secret's day is over, the second's is not
    deliveries.redeliver(_delivery(endpoint.id).id, now=wall())
    _send(wall)
    assert len(receiver.at("/in")[-1].headers["webhook-signature"].split(" ")) == 2


def test_R_HOOK_5_a_stop_cuts_what_is_in_the_air_and_it_stays_due(store, receiver, wall):
    endpoint, _ = endpoints.add(receiver.url("/in", "hang"))
    store.sub(next_charge="2026-02-01")
    stop = threading.Event()
    worker = threading.Thread(target=lambda: Deliverer(now=wall, timeout=30, stop=stop)
                              .run(watch=True, poll=0.1))
    worker.start()
    deadline = time.monotonic() + 10
    while not receiver.at("/in") and time.monotonic() < deadline:
        time.sleep(0.05)
    started = time.monotonic()
    stop.set()
    worker.join(10)
    assert not worker.is_alive() and time.monotonic() - started < 5
    d = _delivery(endpoint.id)
    assert (d.status, d.attempts) == ("pending", 0)  # not the endpoint's failure: sent again


def test_R_HOOK_4_ids_never_repeat_for_another_event_after_a_restore(store, receiver, wall):
    from opsconsole.store import snapshots

    endpoints.add(receiver.url("/in"))
    snapshots.save("before")
    first = store.sub(next_charge="2026-02-01")
    _send(wall)
    snapshots.restore("before")
    second = store.sub(next_charge="2026-02-01")
    assert second == first  # the same row ids again, for another subscription's event
    _send(wall)
    sent = receiver.at("/in")
    assert len(sent) == 2 and sent[0].event_number == sent[1].event_number
    assert sent[0].event_id != sent[1].event_id
    assert sent[0].headers["webhook-id"] != sent[1].headers["webhook-id"]
