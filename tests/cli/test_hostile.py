"""The hostile-input findings through the real command line (R-INPUT-*)."""

import json

from tests import engines
from tests.cli.conftest import STORY


def test_R_INPUT_3_run_day_finishes_the_day_exits_1_and_names_the_broken_row(story):
    cli = story
    cli("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    broken = cli.json("subs", "show", "OLD-1001")["id"]
    engines.execute(cli.db, "UPDATE subscription SET interval_length = 100000000 WHERE id = ?",
                    (broken,))
    proc = cli("run-day", "--until", "2026-02-01", expect=1)  # OLD-1001 is due on 01-31
    lines = proc.stderr.strip().splitlines()
    why = "(it holds interval_length 100000000, which must be a length its interval unit allows)"
    assert lines == [
        f"opsconsole: subscription {broken} set aside on 2026-01-31 {why}; it is tried again on "
        "the next run",
        f"opsconsole: subscription {broken} set aside on 2026-02-01 {why}; it is tried again on "
        "the next run"]
    assert "internal error" not in proc.stderr
    assert proc.stdout.startswith("2026-01-31  1 set aside\n2026-02-01  ")
    charged = {c["subscription"] for c in cli.json("charges")}
    assert charged and broken not in charged  # the others were charged on the day
    assert cli.json("clock")["date"] == "2026-02-01"  # the clock did not stop
    audit = [a for a in cli.json("audit") if a["action"] == "set-aside"]
    assert [(a["subscription"], a["operator"]) for a in audit] == [(broken, "run-day")] * 2
    engines.execute(cli.db, "UPDATE subscription SET interval_length = 1 WHERE id = ?",
                    (broken,))
    cli("run-day")  # tried again, and now charged: exit 0
    assert broken in {c["subscription"] for c in cli.json("charges")}


def test_R_INPUT_1_prorate_confirm_json_keeps_charge_a_decimal_string(story):
    cli = story
    cli("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    data = cli.json("prorate", "OLD-1002", "--quantity", "3", "--confirm")
    assert isinstance(data["charge"], str) and isinstance(data["net"], str)
    assert data["attempt"]["status"] == "completed"
    text = cli("prorate", "OLD-1001", "--quantity", "2", "--confirm").stdout
    assert "{" not in text and "'" not in text
    cli.refused("prorate", "OLD-1001", "--quantity", "999999999999", "--confirm",
                match="quantity must be from 1 to 10,000")
    cli.refused("prorate", "OLD-1001", "--price", "1e309", match="far too large")
    cli.refused("bulk-price", "--product", "monthly-pro", "--percent", "1e309",
                match="far too large")


def test_R_INPUT_4_no_forged_audit_line_and_stored_controls_are_escaped(story, tmp_path):
    cli = story
    cli.refused("--operator", "evil\n2026-01-01T00:00:00+00:00  admin  refund", "clock",
                match="--operator holds a control character")
    # what an older version might have stored
    engines.execute(cli.db, "UPDATE product SET name = ? WHERE path = 'weekly-box'",
                    ("Bell\x07\x1b[2J",))
    out = cli("product", "list").stdout
    assert "\x07" not in out and "\x1b" not in out and "Bell\\x07\\x1b[2J" in out


def test_R_INPUT_9_an_import_of_nothing_says_why_on_stderr_and_audits_nothing(story, tmp_path):
    cli = story
    bad = tmp_path / "bad.csv"
    lines = (STORY / "subscriptions.csv").read_text().splitlines()
    bad.write_text(lines[0] + "\n" + lines[-1] + "\n")  # the fixture's all-wrong row
    before = len(cli.json("audit"))
    proc = cli("import", bad, expect=1)
    assert proc.stderr.startswith("opsconsole: nothing imported: 1 row rejected\n")
    assert "quantity '0' is not a positive whole number" in proc.stderr
    assert len(cli.json("audit")) == before


def test_R_INPUT_9_a_managed_charge_without_a_payment_method_writes_nothing(story):
    cli = story
    cli("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    adhoc = [s for s in cli.json("subs", "list") if s["interval"] == "adhoc"]
    assert adhoc
    events = len(cli.json("events"))
    for s in adhoc:
        if s["payment_method"] is None:
            proc = cli("charge", str(s["id"]), expect=1)
            assert "has no payment method" in proc.stderr
    assert len(cli.json("events")) == events or any(s["payment_method"] for s in adhoc)
    assert json.dumps(cli.json("charges")).count('"failed"') == 0
