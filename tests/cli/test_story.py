"""A full story through the real entry point, checking CONTRACT.md's JSON field by field."""

import csv
import io

from opsconsole.transfer.form import COLUMNS
from tests.cli.conftest import STORY

SUB_FIELDS = {"id", "reference_id", "state", "product", "quantity", "currency", "price",
              "amount", "begin_date", "next_charge_date", "end_date", "trial_end_date",
              "cancel_date", "pause_date", "resume_date", "manual_renew", "payment_method",
              "discount"}
COUNT_KEYS = {"charged", "declined", "retried", "paused", "resumed", "deactivated",
              "reminders", "overdue_notices", "cases_closed"}


def test_story_from_init_to_export(story):
    cli = story
    products = cli.json("product", "list")
    assert [p["path"] for p in products] == ["annual-team", "monthly-pro", "usage-api",
                                             "weekly-box"]

    report = cli.json("import", STORY / "subscriptions.csv", "--payments",
                      STORY / "payments.csv")
    assert set(report) >= {"imported", "rejected", "skipped", "errors", "warnings"}
    assert (report["imported"], report["rejected"], report["skipped"]) == (8, 1, 0)
    error = report["errors"][0]
    assert error["row"] == 10 and error["reference_id"] == "OLD-1009"
    assert len(error["reasons"]) >= 8

    grace = cli.json("subs", "show", "OLD-1002")
    assert SUB_FIELDS <= set(grace)
    assert {k: grace[k] for k in SUB_FIELDS} == {
        "id": 2, "reference_id": "OLD-1002", "state": "active", "product": "monthly-pro",
        "quantity": 2, "currency": "USD", "price": "30.00", "amount": "45.00",
        "begin_date": "2026-01-01", "next_charge_date": "2026-02-01", "end_date": None,
        "trial_end_date": None, "cancel_date": None, "pause_date": None, "resume_date": None,
        "manual_renew": False, "payment_method": {"last4": "4444", "expiry": "11/27"},
        "discount": {"type": "percent", "value": "25", "remaining": 2}}
    assert cli.json("subs", "show", "2") == grace  # the store's ID works too
    listing = cli.json("subs", "list", "--state", "trial")
    assert [s["reference_id"] for s in listing] == ["OLD-1007"]

    days = cli.json("run-day", "--days", "3")
    assert [d["date"] for d in days] == ["2026-01-31", "2026-02-01", "2026-02-02"]
    assert all(set(d["counts"]) == COUNT_KEYS for d in days)
    assert [d["counts"]["charged"] for d in days] == [1, 1, 0]
    assert days[2]["counts"]["declined"] == 1 and days[2]["counts"]["reminders"] == 1

    assert cli.json("charges", "--sub", "OLD-1003") == [{
        "id": 3, "subscription": 3, "date": "2026-02-02", "scheduled_date": "2026-02-02",
        "amount": "30.00", "currency": "USD", "kind": "rebill", "status": "failed",
        "reason": "declined: insufficient funds"}]

    cli("pause", "OLD-1001", "--periods", "2")
    ada = cli.json("subs", "show", "OLD-1001")
    assert (ada["pause_date"], ada["resume_date"]) == ("2026-02-28", "2026-04-28")
    cli("cancel-pause", "OLD-1001")
    assert cli.json("subs", "show", "OLD-1001")["pause_date"] is None

    cli("cancel", "OLD-1005")
    assert cli.json("subs", "show", "OLD-1005")["cancel_date"] == "2026-02-03"
    cli("uncancel", "OLD-1005")
    assert cli.json("subs", "show", "OLD-1005")["cancel_date"] is None

    lines = cli("charge", "OLD-1006", "OLD-1003", "--json").stdout.strip().splitlines()
    import json

    managed, retry = (json.loads(line) for line in lines)
    assert managed["ok"] and managed["charge"]["kind"] == "managed"
    assert managed["charge"]["amount"] == "5.00"
    assert not retry["ok"] and retry["charge"]["kind"] == "retry"

    quote = cli.json("prorate", "OLD-1001", "--price", "45.00")
    # R-PRORATE-2: the period began on the scheduled date the store charged, 01-31 (28 days
    # to 02-28), not one month before 02-28
    assert {k: quote[k] for k in ("left", "total", "credit", "charge", "net",
                                  "last_prorated", "period_start")} == {
        "left": 26, "total": 28, "credit": "27.86", "charge": "41.79", "net": "13.93",
        "last_prorated": None, "period_start": "2026-01-31"}
    assert cli.json("subs", "show", "OLD-1001")["price"] == "30.00"  # a review writes nothing
    done = cli.json("prorate", "OLD-1001", "--price", "45.00", "--confirm")
    assert done["net"] == "13.93" and done["confirmed"]
    assert cli.json("charges", "--sub", "OLD-1001")[-1]["kind"] == "prorate"

    preview = cli.json("bulk-price", "--product", "monthly-pro", "--percent", "10")
    assert preview["count"] == 5
    assert {"id": 2, "old": "30.00", "new": "33.00"} in preview["rows"]
    assert {"id": 1, "old": "45.00", "new": "49.50"} in preview["rows"]
    assert cli.json("subs", "show", "OLD-1002")["price"] == "30.00"
    applied = cli.json("bulk-price", "--product", "monthly-pro", "--percent", "10",
                       "--confirm")
    assert applied["count"] == 5
    assert cli.json("subs", "show", "OLD-1002")["price"] == "33.00"

    cli("payment", "OLD-1003", "--token", "tok_visa", "--last4", "4242", "--expiry", "12/29")
    alan = cli.json("subs", "show", "OLD-1003")
    assert alan["state"] == "active" and alan["next_charge_date"] == "2026-03-02"

    cli("manual-renew", "OLD-1002")
    grace = cli.json("subs", "show", "OLD-1002")
    assert grace["manual_renew"] and grace["payment_method"] is None
    cli("pay", "OLD-1008", "--token", "tok_onetime")
    assert cli.json("subs", "show", "OLD-1008")["next_charge_date"] == "2026-03-03"

    cli("pause", "OLD-1004", "--periods", "1")
    cli("run-day", "--until", "2026-02-12")
    assert cli.json("subs", "show", "OLD-1004")["state"] == "paused"
    cli("resume", "OLD-1004")
    edsger = cli.json("subs", "show", "OLD-1004")
    assert edsger["state"] == "active" and edsger["next_charge_date"] == "2027-02-12"
    types = [e["type"] for e in cli.json("events", "--sub", "OLD-1004")]
    assert types[0] == "subscription.activated"
    assert types[-3:] == ["subscription.resumed", "subscription.updated",
                          "subscription.charge.completed"]
    event = cli.json("events", "--sub", "OLD-1004")[-1]
    assert set(event) == {"type", "subscription", "at", "payload"}
    assert event["at"] == "2026-02-12T00:00:00+00:00" and event["payload"]["state"] == "active"
    paused = cli.json("events", "--type", "subscription.paused")
    assert [e["subscription"] for e in paused] == [4]

    mails = cli.json("notifications", "--sub", "OLD-1004")
    assert set(mails[0]) == {"template", "to", "subscription", "at"}
    assert mails[0]["to"] == "edsger@example.com"

    cli("cancel", "OLD-1005", "--now")
    cli.refused("uncancel", "OLD-1005", match="cannot be uncanceled")

    audit = cli.json("audit")
    assert {a["operator"] for a in audit} == {"tester"}
    actions = [a["action"] for a in audit]
    for action in ("product-add", "import", "pause", "cancel-pause", "cancel", "uncancel",
                   "charge", "prorate", "bulk-price", "payment", "manual-renew", "pay",
                   "resume", "cancel-now"):
        assert action in actions, action
    assert {key for a in audit for key in a} == {"operator", "action", "subscription", "before",
                                                 "after", "detail", "at", "wall_at"}
    # R-BULK-1: the bulk action is one audit row, every subscription's old -> new price in it
    [bulk] = [a for a in audit if a["action"] == "bulk-price"]
    assert bulk["subscription"] is None
    assert bulk["detail"] == {"product": "monthly-pro", "currency": "USD",
                              "change": {"percent": "10"}, "count": 5}
    assert [{"id": int(k), "old": bulk["before"][k], "new": bulk["after"][k]}
            for k in bulk["before"]] == applied["rows"]
    text = [line.split("  ") for line in cli("audit").stdout.splitlines()]
    assert text[0][-1] == "SUMMARY"
    [line] = [[cell.strip() for cell in cells if cell.strip()] for cells in text
              if "bulk-price" in cells]
    assert line[1:] == ["tester", "bulk-price", "—", "monthly-pro +10%: 5 subscriptions"]

    exported = cli("export").stdout
    rows = list(csv.reader(io.StringIO(exported)))
    assert tuple(rows[0]) == COLUMNS
    assert sorted(r[0] for r in rows[1:]) == ["OLD-1001", "OLD-1002", "OLD-1003", "OLD-1004",
                                              "OLD-1006", "OLD-1007", "OLD-1008"]

    clock = cli.json("clock")
    assert clock["date"] == "2026-02-12" and clock["at"] == "2026-02-12T00:00:00+00:00"
    dry = cli.json("run-day", "--days", "2", "--dry-run")
    assert [d["date"] for d in dry] == ["2026-02-13", "2026-02-14"]
    assert cli.json("clock")["date"] == "2026-02-12"


def test_text_output_reads_well(story):
    cli = story
    imported = cli("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    assert imported.stderr == ""  # no progress bar when the output is not a terminal
    out = cli("subs", "list").stdout
    assert out.splitlines()[0].split()[:3] == ["ID", "REFERENCE", "CUSTOMER"]
    assert "OLD-1008" in out and "manual" in out
    show = cli("subs", "show", "OLD-1002").stdout
    assert "45.00 USD per period" in show and "card ending 4444" in show
    assert "2026-01-31  1 charged" in cli("run-day").stdout
    week = cli("run-day", "--days", "7")
    assert week.stderr == "" and len(week.stdout.splitlines()) == 7
