"""The cases commands through the real entry point, and their refusals."""

import pytest

CASE_FIELDS = {"id", "subject", "category", "status", "severity", "response_due",
               "next_update_due", "breached", "subscription"}


@pytest.fixture
def shop(cli):
    cli("init", "--date", "2026-03-02", "--timezone", "America/Los_Angeles")
    cli("product", "add", "pro", "--name", "Pro", "--interval", "month", "--price", "10.00")
    return cli


def test_cases_commands(shop, tmp_path):
    cli = shop
    shot = tmp_path / "error.png"
    shot.write_bytes(b"png")
    new = cli.json("cases", "new", "--subject", "Rebills not going through", "--category",
                   "Subscriptions", "--description", "Nothing charged on the 1st",
                   "--steps", "Run the day", "--qualify", "severity,breadth,urgency",
                   "--attach", shot)
    assert CASE_FIELDS <= set(new)
    assert {k: new[k] for k in CASE_FIELDS} == {
        "id": 1, "subject": "Rebills not going through", "category": "Subscriptions",
        "status": "New", "severity": 1, "response_due": "2026-03-02T04:00:00-08:00",
        "next_update_due": None, "breached": False, "subscription": None}
    consumer = cli.json("cases", "new", "--subject", "Charged twice", "--category",
                        "transactions", "--order", "FS-991", "--descriptor", "FSPRG*PRO")
    assert consumer["severity"] == 3 and consumer["kind"] == "consumer"

    cli("run-day")
    listing = cli.json("cases", "list")
    assert [c["id"] for c in listing] == [1, 2]  # what is due first
    assert [c["breached"] for c in listing] == [True, False]
    assert [c["id"] for c in cli.json("cases", "list", "--breached")] == [1]
    assert [c["id"] for c in cli.json("cases", "list", "--severity", "3")] == [2]

    noted = cli.json("cases", "note", "1", "We are looking at it")
    assert noted["next_update_due"] == "2026-03-04T00:00:00-08:00" and not noted["breached"]
    cli("cases", "status", "1", "Pending", "Closure")
    assert cli.json("cases", "show", "1")["status"] == "Pending Closure"
    assert cli.json("cases", "note", "1", "Still broken", "--from", "customer")["status"] == \
        "Working"
    escalated = cli.json("cases", "escalate", "1", "--why", "All rebills failing")
    assert escalated["severity"] == 0
    cli("cases", "status", "1", "closed")
    surveyed = cli.json("cases", "survey", "1", "--score", "5", "--comment", "Fixed fast")
    full = cli.json("cases", "show", "1")
    assert full["satisfaction"] == {"score": 5, "comment": "Fixed fast"}
    assert [n["side"] for n in full["notes"]] == ["support", "customer"]
    assert full["escalations"][0]["who"] == "tester" and surveyed["status"] == "Closed"
    assert full["attachments"] == [str(shot)]
    text = cli("cases", "show", "1").stdout
    assert "escalated by tester: All rebills failing" in text

    cli("cases", "status", "2", "Pending Closure")
    days = cli.json("run-day", "--days", "5")
    assert [d["counts"]["cases_closed"] for d in days] == [0, 0, 0, 0, 1]
    audit = [a["action"] for a in cli.json("audit")]
    assert {"case-new", "case-note", "case-status", "case-escalated", "case-survey"} <= \
        set(audit)


def test_cases_refusals(shop, tmp_path):
    cli = shop
    cli.refused("cases", "new", "--subject", "x", "--category", "Billing",
                match="unknown category 'Billing'")
    cli.refused("cases", "new", "--subject", "x", "--category", "API", "--attach",
                tmp_path / "nope.png", match="does not exist")
    cli.refused("cases", "new", "--subject", "x", "--category", "API", "--qualify", "loud",
                match="unknown qualification area")
    cli("cases", "new", "--subject", "x", "--category", "API")
    cli.refused("cases", "status", "1", "Finished", match="unknown status 'Finished'")
    cli("cases", "status", "1", "Closed")
    cli.refused("cases", "survey", "1", "--score", "0", match="1 to 5")
    cli.refused("cases", "survey", "1", "--score", "6", match="1 to 5")
    cli.refused("cases", "status", "1", "Open", match="cannot be reopened")
    cli.refused("cases", "show", "7", match="no case '7'")
    cli("cases", "survey", "1", "--score", "five", expect=2)
    assert cli.json("cases", "list")[0]["status"] == "Closed"
