"""Webhook delivery: N events to a loopback endpoint that answers at once, and the same with a
second endpoint that hangs.

python bench/webhooks.py [N] [RUNS] [--engine postgres]      (default 10,000 events, 3 runs)

Each run makes a fresh store with one endpoint (or two), writes N events (each with its
delivery rows, as the outbox writes them), then times the deliverer sending them all. The floor,
measured in the same run, is bare httpx posting the same bodies with the same headers to the
same receiver, 4 in flight, with no store at all. The receiver is a separate process. Memory is
this process's private memory before and after. Goal: >= 500 deliveries/s, memory flat, and the
healthy endpoint's rate unchanged while the other hangs."""

import json
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import empty, engine_info, median, private_mb

HERE = Path(__file__).resolve().parent


def start_receiver() -> tuple[subprocess.Popen, str]:
    port_file = Path(tempfile.mkdtemp()) / "port"
    proc = subprocess.Popen([sys.executable, str(HERE / "webhook_receiver.py"), str(port_file)])
    while not port_file.exists() or not port_file.read_text():
        time.sleep(0.02)
    return proc, f"http://127.0.0.1:{port_file.read_text()}"


def make_store(n: int, urls: list[str]):
    from opsconsole import clock
    from opsconsole.store import batch, context, journal
    from opsconsole.store.models import database
    from opsconsole.webhooks import endpoints

    target = empty("webhooks.db")
    import datetime as dt

    clock.init_store(str(target), dt.date(2026, 1, 30))
    for url in urls:
        endpoints.add(url)
    payload = {"id": 1, "state": "active", "product": "monthly", "amount": "30.00",
               "customer": {"email": "someone@example.com", "first": "Some", "last": "One"}}
    with database.atomic(), batch.collect():
        ctx = context.current("bench")
        for i in range(n):
            journal.event(ctx, "subscription.charge.completed", {**payload, "id": i})


def deliver_all(healthy_endpoint: int, n: int) -> float:
    """Seconds until the healthy endpoint's N deliveries are all delivered (the deliverer runs
    in watch mode, so a hanging endpoint does not end the run early)."""
    from opsconsole.store.webhook_models import WebhookDelivery
    from opsconsole.webhooks.deliverer import Deliverer

    stop = threading.Event()
    deliverer = Deliverer(stop=stop)
    started = time.perf_counter()
    worker = threading.Thread(target=deliverer.run, kwargs={"watch": True, "poll": 0.05})
    worker.start()
    D = WebhookDelivery
    while (D.select().where(D.endpoint == healthy_endpoint, D.status == "delivered").count()
           < n):
        time.sleep(0.02)
    took = time.perf_counter() - started
    stop.set()
    worker.join()
    return took


def floor(base: str, n: int) -> float:
    """Bare httpx: the same bodies and headers, 4 in flight, no store."""
    import httpx

    from opsconsole.webhooks import signing

    secret = signing.new_secret()
    body = json.dumps({"events": [{"id": "evt_1", "type": "subscription.charge.completed",
                                   "live": False, "processed": False, "created": 0,
                                   "data": {"id": 1}}]}).encode()
    client = httpx.Client(limits=httpx.Limits(max_connections=4))

    def post(i: int) -> None:
        headers = signing.headers([secret], f"msg_{i}", int(time.time()), body)
        client.post(f"{base}/ok", content=body, headers=headers).raise_for_status()

    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(post, range(n)))
    client.close()
    return time.perf_counter() - started


def one_run(base: str, n: int, hanging: bool) -> tuple[float, float, int, int]:
    from opsconsole.store import db as store_db

    urls = [f"{base}/ok"] + ([f"{base}/hang"] if hanging else [])
    make_store(n, urls)
    before = private_mb()
    took = deliver_all(1, n)
    after = private_mb()
    store_db.close_store()
    return took, floor(base, n), before, after


def main(n: int, runs: int) -> dict:
    receiver, base = start_receiver()
    try:
        result = {**engine_info(), "events": n, "runs": runs}
        for hanging in (False, True):
            times, floors, mem = [], [], []
            for _ in range(runs):
                took, bare, before, after = one_run(base, n, hanging)
                times.append(took)
                floors.append(bare)
                mem.append((before, after))
            label = "with_a_hanging_endpoint" if hanging else "one_endpoint"
            result[label] = {
                "deliveries_per_second": round(n / median(times)),
                "floor_per_second": round(n / median(floors)),
                "ratio_to_floor": round(median(times) / median(floors), 2),
                "private_mb_before_after": mem[len(mem) // 2]}
        result["goal_per_second"] = 500
        return result
    finally:
        receiver.kill()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(json.dumps(main(n, runs)))
