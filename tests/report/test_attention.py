"""R-ATTN-1: each cause an operator must act on is injected, seen on the list with its reason,
age and action, then cleared by what ends it, and seen to go. Both engines."""

import csv
import datetime as dt

from opsconsole.billing import actions
from opsconsole.cases import actions as cases
from opsconsole.store.models import Subscription
from opsconsole.store.webhook_models import WebhookDelivery
from opsconsole.transfer.form import COLUMNS
from opsconsole.transfer.importer import import_file
from opsconsole.views.attention import attention
from opsconsole.webhooks import deliveries, endpoints
from tests.report.conftest import card_works

WALL = dt.datetime(2026, 11, 22, 12, 0, 0)  # the wall clock the webhook items are aged on


def items(kind: str | None = None, wall: dt.datetime = WALL) -> list[dict]:
    found = attention(wall_now=wall)
    assert found["count"] == len(found["items"])
    return [i for i in found["items"] if kind is None or i["kind"] == kind]


def test_R_ATTN_1_an_empty_store_needs_nothing(shop):
    found = attention(wall_now=WALL)
    assert found["count"] == 0 and found["items"] == [] and found["date"] == "2026-01-30"
    assert set(found["by_kind"]) == {"set-aside", "last-retry", "case-past-target",
                                     "webhook-gone", "webhook-failed", "import-rejected"}


# --- subscriptions set aside by a day (R-INPUT-3) ----------------------------------------------

def _break(sub_id: int) -> None:
    Subscription.update(interval_length=100000000).where(Subscription.id == sub_id).execute()


def _mend(sub_id: int) -> None:
    Subscription.update(interval_length=1).where(Subscription.id == sub_id).execute()


def test_R_ATTN_1_R_INPUT_3_set_aside_until_a_later_run_does_its_work(shop):
    s = shop
    broken = s.sub("monthly", "2026-01-31")
    s.sub("monthly", "2026-01-31")
    _break(broken)
    s.run(1)  # 01-31: set aside
    [item] = items()
    assert (item["kind"], item["subject"], item["id"]) == ("set-aside", "subscription", broken)
    assert "set subscription" in item["reason"] and "2026-01-31" in item["reason"]
    assert "interval_length 100000000" in item["reason"]  # what it holds
    assert item["clock"] == "store" and item["since"] == "2026-01-31T00:00:00+00:00"
    assert (item["age"], item["age_seconds"]) == ("<1 min", 0)
    assert item["action"] == "open-subscription"
    assert item["command"] == f"opsconsole subs show {broken}"
    s.run(1)  # 02-01: tried again, set aside again: still one item, aged from the first
    [item] = items()
    assert (item["age"], item["age_seconds"]) == ("1 d", 86400)
    assert "2 runs since 2026-01-31" in item["reason"]
    _mend(broken)
    s.run(1)  # 02-02: its work done at last: the cause is gone
    assert items() == []
    assert s.charges(broken) == [("2026-02-02", "rebill", 3000, "completed")]


def test_R_ATTN_1_R_INPUT_3_set_aside_until_it_is_deactivated(shop):
    s = shop
    broken = s.sub("monthly", "2026-01-31")
    _break(broken)
    s.run(1)
    assert [i["id"] for i in items("set-aside")] == [broken]
    actions.cancel(broken, now=True, operator="t")  # no daily work left to fail
    assert items() == []


# --- overdue subscriptions on their last retry day (R-DUN-2..4) ----------------------------------

def test_R_ATTN_1_R_DUN_4_an_overdue_subscription_from_its_last_retry_to_its_end(shop):
    s = shop
    lost = s.sub("monthly", "2026-01-31", token="tok_chargeDeclined")
    saved = s.sub("monthly", "2026-01-31", token="tok_chargeDeclined")
    s.run_until("2026-02-04")  # day 4: retries on days 1 and 3 declined, day 5 still to come
    assert items("last-retry") == []
    s.run(1)  # 02-05, day 5: the last retry declined; deactivation on day 7
    found = items("last-retry")
    assert [i["id"] for i in found] == [lost, saved]
    item = found[0]
    assert item["subject"] == "subscription" and item["clock"] == "store"
    assert item["since"] == "2026-02-05T00:00:00+00:00" and item["age"] == "<1 min"
    assert item["deactivates"] == "2026-02-07"
    assert "last retry was declined on 2026-02-05" in item["reason"]
    assert "deactivated on 2026-02-07 unless 30.00 USD is collected" in item["reason"]
    assert (item["action"], item["command"]) == ("payment",
                                                 f"opsconsole payment {lost} --token TOKEN")
    actions.set_payment(saved, "tok_visa", operator="t")  # collected (R-DUN-5): gone
    assert [i["id"] for i in items("last-retry")] == [lost]
    s.run(1)  # 02-06: a day old
    assert items("last-retry")[0]["age"] == "1 d"
    s.run(1)  # 02-07: deactivated: gone
    assert s.get(lost).state == "deactivated"
    assert items() == []


def test_R_ATTN_1_R_CHARGE_3_a_retry_now_clears_it_too(shop):
    s = shop
    sub = s.sub("monthly", "2026-01-31", token="tok_chargeDeclined")
    s.run_until("2026-02-05")
    assert [i["id"] for i in items("last-retry")] == [sub]
    card_works(sub)
    actions.charge(sub, operator="t")
    assert items() == []


def test_R_ATTN_1_R_MANUAL_1_a_manual_renewal_after_its_last_notice(shop):
    s = shop
    sub = s.sub("monthly", "2026-01-31", manual_renew=True, token=None)
    s.run_until("2026-02-05")  # due 01-31 unpaid: overdue, notices on days 1, 3 and 5
    [item] = items("last-retry")
    assert item["id"] == sub and "last overdue notice went out on 2026-02-05" in item["reason"]
    assert (item["action"], item["command"]) == ("pay", f"opsconsole pay {sub} --token TOKEN")
    actions.pay(sub, "tok_visa", operator="t")
    assert items() == []


# --- cases past a target (R-CASE-3) ------------------------------------------------------------

def test_R_ATTN_1_R_CASE_3_a_case_past_its_target_until_it_is_answered(shop):
    s = shop
    case = cases.open_case("Checkout down", "API",
                           qualify="severity,breadth,urgency,visibility")  # reply in 1 h
    waiting = cases.open_case("Refund?", "Transactions", qualify="urgency")  # 12 h
    assert items() == []
    s.run(1)  # the store's clock: 01-31 00:00, 23 h and 12 h past the targets
    found = items("case-past-target")
    assert [i["id"] for i in found] == [case["id"], waiting["id"]]
    item = found[0]
    assert item["subject"] == "case" and item["clock"] == "store"
    assert item["since"] == "2026-01-30T01:00:00+00:00" and item["age"] == "23 h"
    assert "first response was due 2026-01-30T01:00:00+00:00" in item["reason"]
    assert "Highest" in item["reason"] and "Checkout down" in item["reason"]
    assert (item["action"], item["command"]) == ("note-case",
                                                 f"opsconsole cases note {case['id']} TEXT")
    cases.add_note(case["id"], "Looking into it", operator="t")  # answered: next update in 12 h
    cases.set_status(waiting["id"], "Pending Closure", operator="t")  # no target runs
    assert items() == []
    s.run(1)  # 02-01 00:00: the update promised for 01-31 12:00 is late: back, as its cause
    [again] = items("case-past-target")
    assert again["id"] == case["id"] and "update was due" in again["reason"]
    cases.set_status(case["id"], "Closed", operator="t")
    assert items() == []


# --- webhooks (R-HOOK-5): on the wall clock -----------------------------------------------------

def test_R_ATTN_1_R_HOOK_5_a_failed_delivery_until_it_is_redelivered(shop):
    s = shop
    endpoint, _ = endpoints.add("http://127.0.0.1:9/in", operator="t")
    s.sub("monthly", "2026-02-10")  # its activation event gets a delivery
    [delivery] = WebhookDelivery.select()
    failed_at = WALL - dt.timedelta(hours=5)
    WebhookDelivery.update(status="failed", attempts=9, next_attempt_at=None,
                           last_error="connection refused", last_attempt_at=failed_at
                           ).execute()  # as the deliverer leaves it after its last retry
    [item] = items()
    assert (item["kind"], item["subject"], item["id"]) == ("webhook-failed", "delivery",
                                                           delivery.id)
    assert item["endpoint"] == endpoint.id and "connection refused" in item["reason"]
    assert item["clock"] == "wall" and item["since"] == "2026-11-22T07:00:00+00:00"
    assert item["age"] == "5 h" and item["age_seconds"] == 5 * 3600
    assert (item["action"], item["command"]) == ("redeliver",
                                                 f"opsconsole webhooks redeliver {delivery.id}")
    deliveries.redeliver(delivery.id, operator="t", now=WALL)
    assert items() == []


def test_R_ATTN_1_R_HOOK_5_an_endpoint_disabled_by_410_until_enabled(shop):
    gone, _ = endpoints.add("http://127.0.0.1:9/gone", operator="t")
    by_hand, _ = endpoints.add("http://127.0.0.1:9/hand", operator="t")
    since = WALL - dt.timedelta(days=2, hours=3)
    endpoints.set_enabled(gone.id, False, operator="webhooks",
                          reason="410 Gone at 2026-11-20T09:00:00+00:00", now=since)
    endpoints.set_enabled(by_hand.id, False, operator="t")  # an operator's choice: not listed
    [item] = items()
    assert (item["kind"], item["subject"], item["id"]) == ("webhook-gone", "endpoint", gone.id)
    assert item["clock"] == "wall" and item["age"] == "2 d 3 h"
    assert (item["action"], item["command"]) == ("enable-endpoint",
                                                 f"opsconsole webhooks enable {gone.id}")
    endpoints.set_enabled(gone.id, True, operator="t")
    assert items() == []


# --- imports with rejected rows (R-IMPORT-1) ------------------------------------------------------

def _form(folder, rows: list[dict], name: str) -> str:
    base = {"referenceId": "R-1", "first": "Ada", "last": "Lovelace", "email": "ada@example.com",
            "language": "en", "country": "GB", "region": "", "postalCode": "", "live": "true",
            "productPath": "monthly", "quantity": "1", "currency": "USD", "listPrice": "30.00",
            "interval": "month", "intervalLength": "1", "nextChargeDate": "2026-02-15",
            "endDate": ""}
    folder.mkdir(exist_ok=True)
    path = folder / name
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**base, **row})
    return str(path)


def test_R_ATTN_1_R_IMPORT_1_rejected_rows_until_they_are_in_the_store(shop, tmp_path):
    s = shop
    good = {"referenceId": "G-1", "email": "g@example.com"}
    bad = {"referenceId": "B-1", "email": "b@example.com", "quantity": "0"}
    worse = {"referenceId": "B-2", "email": "w@example.com", "country": "XX"}
    first = _form(tmp_path / "in", [good, bad, worse], "subs.csv")
    assert import_file(first, operator="t").rejected == 2
    [item] = items()
    assert (item["kind"], item["subject"]) == ("import-rejected", "import")
    assert item["file"] == first and item["clock"] == "store"
    assert item["since"] == "2026-01-30T00:00:00+00:00"
    assert "2 of 2 rejected rows not in the store: row 3 (B-1), 4 (B-2)" in item["reason"]
    assert (item["action"], item["command"]) == ("import", f"opsconsole import {first}")
    # B-1 corrected and imported from another file: one row left
    import_file(_form(tmp_path / "fix", [{**bad, "quantity": "1"}], "fix.csv"), operator="t")
    [item] = items()
    assert "1 of 2 rejected rows not in the store: row 4 (B-2)" in item["reason"]
    s.run(1)
    assert items()[0]["age"] == "1 d"
    import_file(_form(tmp_path / "fix2", [{**worse, "country": "FR"}], "more.csv"),
                operator="t")
    assert items() == []


def test_R_ATTN_1_R_IMPORT_1_a_file_imported_again_whole_clears_it(shop, tmp_path):
    nameless = {"referenceId": "", "email": "n@example.com"}  # no referenceId to look for
    good = {"referenceId": "G-1", "email": "g@example.com"}
    path = _form(tmp_path / "a", [good, nameless], "subs.csv")
    import_file(path, operator="t")
    [item] = items()
    assert "row 3 (no referenceId)" in item["reason"]
    # the file corrected (same name, another folder), imported again with nothing rejected
    import_file(_form(tmp_path / "b", [good, {**nameless, "referenceId": "N-1"},
                                       {"referenceId": "G-2", "email": "x@example.com"}],
                      "subs.csv"), operator="t")
    assert items() == []


def test_R_INPUT_9_an_import_that_imports_nothing_leaves_no_item(shop, tmp_path):
    bad = _form(tmp_path, [{"referenceId": "B-1", "quantity": "0"}], "bad.csv")
    assert import_file(bad, operator="t").imported == 0
    assert items() == []


def test_R_ATTN_1_every_kind_at_once_in_a_fixed_order(shop, tmp_path):
    s = shop
    broken = s.sub("monthly", "2026-01-31")
    _break(broken)
    overdue = s.sub("monthly", "2026-01-27", token="tok_chargeDeclined")
    cases.open_case("Down", "API", qualify="severity,breadth,urgency,visibility")
    import_file(_form(tmp_path, [{"referenceId": "G-1"},
                                 {"referenceId": "B-1", "email": "b@example.com",
                                  "quantity": "0"}], "subs.csv"), operator="t")
    gone, _ = endpoints.add("http://127.0.0.1:9/gone", operator="t")
    endpoints.set_enabled(gone.id, False, operator="webhooks", reason="410 Gone", now=WALL)
    s.run_until("2026-02-05")  # day 5 of the decline on 01-31 (overdue since then)
    assert s.get(overdue).overdue_since.isoformat() == "2026-01-31"
    found = attention(wall_now=WALL)
    assert [i["kind"] for i in found["items"]] == [
        "set-aside", "last-retry", "case-past-target", "webhook-gone", "import-rejected"]
    assert found["by_kind"] == {"set-aside": 1, "last-retry": 1, "case-past-target": 1,
                                "webhook-gone": 1, "webhook-failed": 0, "import-rejected": 1}
