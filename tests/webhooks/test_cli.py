"""The webhooks commands (CONTRACT.md), the deliverer killed mid-batch (R-HOOK-5), and billing
unmoved by any endpoint's health (R-HOOK-6), through the real console script."""

import collections
import os
import signal
import subprocess
import time

import pytest

from opsconsole import demo
from opsconsole.store import db as store_db
from tests import engines
from tests.cli.conftest import EXE, Cli, cli  # noqa: F401  (the fixture)
from tests.webhooks.receiver import closed_port


@pytest.fixture
def shop(cli):
    cli("init", "--date", "2026-01-30")
    cli("product", "add", "monthly", "--name", "Monthly", "--interval", "month",
        "--price", "9.95")
    return cli


def _import(cli, n, tmp_path):
    rows = ["referenceId,first,last,email,language,country,region,postalCode,live,productPath,"
            "quantity,currency,listPrice,interval,intervalLength,nextChargeDate,endDate"]
    rows += [f"R{i},C,N{i},c{i}@example.com,en,US,CA,94103,true,monthly,1,USD,9.95,month,1,"
             "2026-02-01," for i in range(n)]
    path = tmp_path / "subs.csv"
    path.write_text("\n".join(rows) + "\n")
    cli("import", path)


def test_CONTRACT_webhooks_commands_and_their_json(shop, receiver, tmp_path):
    out = shop("webhooks", "add", receiver.url("/in"), "--events", "subscription.*").stdout
    secret = next(line.split()[1] for line in out.splitlines() if line.startswith("secret:"))
    assert secret.startswith("whsec_")
    assert shop.json("webhooks", "list") == [
        {"id": 1, "url": receiver.url("/in"), "events": ["subscription.*"], "enabled": True,
         "disabled_reason": None, "pending": 0, "delivered": 0, "failed": 0}]
    assert "secret" not in shop.json("webhooks", "show", "1")
    assert shop.json("webhooks", "show", "1", "--secret")["secret"] == secret
    _import(shop, 3, tmp_path)
    pending = shop.json("webhooks", "deliveries", "--status", "pending")
    assert [set(r) >= {"id", "endpoint", "event_type", "subscription", "status", "attempts",
                       "next_attempt_at", "last_status", "last_error"} for r in pending] == \
        [True] * 3
    assert {r["event_type"] for r in pending} == {"subscription.activated"}
    assert shop("webhooks", "deliver").stdout.strip() == "3 delivered, 0 failed attempts"
    assert len(receiver.at("/in")) == 3
    assert shop.json("webhooks", "list")[0]["delivered"] == 3
    one = shop.json("webhooks", "delivery", "1")
    assert one["status"] == "delivered" and one["attempt_log"][0]["status"] == 204
    assert "queued" in shop("webhooks", "redeliver", "1").stdout
    assert "3 deliveries queued" in shop("webhooks", "redeliver", "--endpoint", "1",
                                         "--since", "2026-01-30").stdout
    shop("webhooks", "deliver")
    assert len(receiver.at("/in")) == 6
    assert "new secret whsec_" in shop("webhooks", "rotate-secret", "1").stdout
    assert shop("webhooks", "disable", "1").stdout.strip() == "endpoint 1 disabled"
    assert shop("webhooks", "disable", "1").stdout.strip() == "endpoint 1 was already disabled"
    shop("webhooks", "enable", "1")
    assert "removed" in shop("webhooks", "remove", "1").stdout
    assert shop.json("webhooks", "list") == []
    actions = [r["action"] for r in shop.json("audit")]
    assert actions.count("webhook-redeliver") == 2 and "webhook-rotate-secret" in actions
    assert not any(secret in str(r) for r in shop.json("audit"))


@pytest.mark.parametrize("args, match", [
    (["add", "ftp://example.com/x"], "not an http or https URL"),
    (["add", "not a url"], "not an http or https URL"),
    (["add", "https://example.com/x", "--events", "subscription.exploded"],
     "unknown event type 'subscription.exploded'"),
    (["add", "https://example.com/x", "--secret", "swordfish"], "--secret must be whsec_"),
    (["show", "7"], "no webhook endpoint 7"),
    (["disable", "abc"], "no webhook endpoint 'abc'"),
    (["remove", "99999999999999999999999"], "no webhook endpoint"),
    (["rotate-secret", "3"], "no webhook endpoint 3"),
    (["redeliver", "42"], "no webhook delivery 42"),
    (["redeliver"], "give a DELIVERY_ID, or --endpoint ID with --since"),
    (["redeliver", "--endpoint", "1"], "give a DELIVERY_ID, or --endpoint ID with --since"),
    (["redeliver", "--endpoint", "5", "--since", "2026-01-01"], "no webhook endpoint 5"),
    (["deliveries", "--endpoint", "2"], "no webhook endpoint 2"),
    (["delivery", "x1"], "no webhook delivery 'x1'"),
])
def test_CONTRACT_webhooks_refusals_are_one_line_and_write_nothing(shop, args, match):
    shop("webhooks", "add", "https://example.com/hooks")
    audit = shop.json("audit")
    shop.refused("webhooks", *args, match=match)
    assert shop.json("audit") == audit
    assert len(shop.json("webhooks", "list")) == 1


def test_R_HOOK_5_one_deliverer_at_a_time(shop, receiver):
    receiver.release.clear()
    shop("webhooks", "add", receiver.url("/in", "hang"))
    shop("product", "add", "weekly", "--name", "W", "--interval", "week", "--price", "1.00")
    env = {**os.environ, "OPSCONSOLE_DB": str(shop.db)}
    shop("cases", "new", "--subject", "S", "--category", "API")  # an event: a delivery
    first = subprocess.Popen([EXE, "webhooks", "deliver"], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while not receiver.at("/in") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert receiver.at("/in"), "the first deliverer never sent"
        shop.refused("webhooks", "deliver", match="another process is sending this store's "
                                                  "webhooks (opsconsole ")
    finally:
        receiver.release.set()
        first.wait(30)
    assert first.returncode == 0, first.stderr
    assert shop.json("webhooks", "list")[0]["delivered"] == 1


def test_R_HOOK_5_a_deliverer_killed_mid_batch_loses_nothing(shop, receiver, tmp_path):
    receiver.delay = 0.01
    shop("webhooks", "add", receiver.url("/in", "slow"))
    _import(shop, 300, tmp_path)
    env = {**os.environ, "OPSCONSOLE_DB": str(shop.db)}
    proc = subprocess.Popen([EXE, "webhooks", "deliver"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while len(receiver.at("/in")) < 60 and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    sent_before = len(receiver.at("/in"))
    assert 60 <= sent_before < 300, "the kill should land mid-batch"
    rows = shop.json("webhooks", "deliveries")
    assert len(rows) == 300
    assert 0 < sum(r["status"] == "pending" for r in rows) < 300
    shop("webhooks", "deliver")
    got = receiver.at("/in")
    ids_by_event = collections.defaultdict(set)
    for r in got:
        ids_by_event[r.event_number].add(r.headers["webhook-id"])
    events = {e["id"] for e in _event_ids(shop)}
    assert set(ids_by_event) == events  # every event delivered at least once
    assert all(len(ids) == 1 for ids in ids_by_event.values())  # a resend keeps its id
    assert all(r["status"] == "delivered" for r in shop.json("webhooks", "deliveries"))


def _event_ids(cli) -> list[dict]:
    target = str(cli.db)
    return [{"id": i} for (i,) in engines.execute(target, "SELECT id FROM event")]


BILLING = ["SELECT id, subscription_id, scheduled_date, kind, attempt, date, amount, status, "
           "reason, reference FROM charge ORDER BY id",
           "SELECT id, type, subscription_id, case_id, at, payload FROM event ORDER BY id",
           "SELECT id, template, recipient, subscription_id, at FROM notification ORDER BY id",
           "SELECT * FROM subscription ORDER BY id",
           "SELECT id, status, severity, due_at FROM \"case\" ORDER BY id",
           "SELECT clock FROM store"]


@pytest.mark.parametrize("health", ["up", "down", "hanging"])
def test_R_HOOK_6_billing_is_the_same_whatever_the_endpoint_does(engine, tmp_path, receiver,
                                                                  health, billing_baseline):
    target = engines.target(engine, tmp_path, "demo")
    demo.build(target)
    store_db.close_store()
    cli = Cli(target)
    url = {"up": receiver.url("/in"), "hanging": receiver.url("/in", "hang"),
           "down": f"http://127.0.0.1:{closed_port()}/in"}[health]
    cli("webhooks", "add", url)
    before = engines.execute(target, "SELECT MAX(id) FROM event")[0][0]
    env = {**os.environ, "OPSCONSOLE_DB": str(target)}
    watcher = subprocess.Popen([EXE, "webhooks", "deliver", "--watch"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        cli("run-day", "--days", "35")
    finally:
        watcher.send_signal(signal.SIGTERM)
        receiver.release.set()
        watcher.wait(30)
    assert watcher.returncode == 0, watcher.stderr
    tables = [engines.execute(target, sql) for sql in BILLING]
    key = engine
    if key not in billing_baseline:
        billing_baseline[key] = tables
    assert tables == billing_baseline[key]
    assert len(tables[0]) > 50  # the demo's month: rebills, declines, retries
    deliveries = engines.execute(target, "SELECT COUNT(*) FROM webhook_delivery")[0][0]
    # every event since the endpoint was added has its delivery, whatever happened to it
    assert deliveries == sum(row[0] > before for row in tables[1]) > 50


@pytest.fixture(scope="module")
def billing_baseline():
    return {}
