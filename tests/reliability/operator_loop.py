"""An operator at work on a store while run-day runs elsewhere: actions and list reads in a
loop until STOP exists. Each outcome is one JSON line in OUT.

python -m tests.reliability.operator_loop DB OUT STOP [SEED]"""

import json
import random
import sys
import time
from pathlib import Path

from opsconsole.billing import actions, bulk, proration
from opsconsole.errors import DomainError
from opsconsole.store import db as store_db, queries
from opsconsole.store.models import Subscription

OPERATOR = "concurrency"


def main(db: str, out: str, stop: str, seed: str = "11") -> None:
    store_db.open_store(db)
    rng = random.Random(int(seed))
    ids = [s.id for s in Subscription.select(Subscription.id)]
    with open(out, "w") as log:
        def record(**fields):
            log.write(json.dumps(fields) + "\n")
            log.flush()

        while not Path(stop).exists():
            sub = rng.choice(ids)
            kind = rng.choice(["pause", "cancel", "uncancel", "prorate", "bulk", "read",
                               "read"])
            try:
                if kind == "pause":
                    actions.pause(sub, rng.randint(1, 3), OPERATOR)
                elif kind == "cancel":
                    actions.cancel(sub, rng.random() < 0.3, OPERATOR)
                elif kind == "uncancel":
                    actions.uncancel(sub, OPERATOR)
                elif kind == "prorate":
                    proration.confirm(sub, None, rng.randint(1, 4), None, OPERATOR)
                elif kind == "bulk":
                    plan = bulk.apply("weekly", percent="1", operator=OPERATOR)
                    record(kind="bulk-price", ok=True, count=len(plan.rows),
                           subs=[row[0] for row in plan.rows])
                    continue
                else:
                    rows = queries.subscription_page(None, 100)
                    queries.count_subscriptions()
                    record(kind="read", ok=True, rows=len(rows))
                    continue
                record(kind=kind, ok=True, sub=sub)
            except DomainError as exc:
                record(kind=kind, ok=False, sub=sub, refused=str(exc))
            except Exception as exc:  # what must never happen: a lock or any other failure
                record(kind=kind, ok=False, sub=sub, error=f"{type(exc).__name__}: {exc}")
            time.sleep(0.005)


if __name__ == "__main__":
    main(*sys.argv[1:5])
