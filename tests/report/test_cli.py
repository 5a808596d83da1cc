"""`report [--days N] [--json]` and `attention [--json]` through the real console script:
the JSON shapes, text that fits 80 columns, refusals, and no Textual."""

import subprocess
import sys

from tests.cli.conftest import STORY, cli, story  # noqa: F401  (fixtures)


def _fits(text: str) -> None:
    assert text.strip()
    for line in text.splitlines():
        assert len(line) <= 80, line


def _store(story):  # noqa: F811
    story("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    story("cases", "new", "--subject", "Checkout down", "--category", "API",
          "--qualify", "severity,breadth,urgency,visibility")
    story("run-day", "--days", "3")
    return story


def test_report_json_shape_and_text(story):  # noqa: F811
    cli = _store(story)
    data = cli.json("report", "--days", "7")
    assert set(data) == {"date", "days", "mrr", "states", "revenue", "scheduled", "dunning",
                         "cases"}
    assert data["date"] == "2026-02-02" and data["days"] == 7
    assert set(data["states"]) == {"trial", "active", "overdue", "paused", "deactivated"}
    assert all(set(m) == {"currency", "amount", "addons", "subscriptions"} for m in data["mrr"])
    revenue = data["revenue"]
    assert (revenue["from"], revenue["to"], len(revenue["days"])) == ("2026-01-27",
                                                                       "2026-02-02", 7)
    assert set(revenue["days"][0]["amounts"][0]) == {"currency", "charged", "refunded", "net"}
    ahead = data["scheduled"]
    assert (ahead["from"], ahead["to"], len(ahead["days"])) == ("2026-02-03", "2026-03-04", 30)
    assert set(ahead["days"][0]) == {"date", "charges", "amounts"}
    assert set(data["dunning"]) == {"from", "to", "currencies"}
    assert set(data["cases"]) == {"open", "past_target", "by_severity"}
    assert data["cases"]["past_target"] == 1
    # amounts are decimal strings, never floats (R-MONEY-1)
    assert isinstance(revenue["totals"][0]["net"], str)
    text = cli("report").stdout
    _fits(text)
    for heading in ("MRR", "Subscriptions by state", "Revenue per day", "Scheduled charges",
                    "Dunning", "Support cases"):
        assert heading in text
    assert cli.json("report")["days"] == 30


def test_report_refusals(story):  # noqa: F811
    cli = story
    for days in ("0", "-3", "367"):
        cli.refused("report", "--days", days, match=f"--days is 1 to 366, not {days}")
    proc = cli("report", "--days", "abc", expect=2)  # not a number: click's usage error
    assert "abc" in proc.stderr and "Traceback" not in proc.stderr


def test_report_and_attention_without_a_store(cli):  # noqa: F811
    cli.refused("report", match="opsconsole")
    cli.refused("attention", match="opsconsole")


def test_attention_json_shape_and_text(story):  # noqa: F811
    cli = story
    assert cli("attention").stdout == ("Nothing waits for an operator (store date "
                                       "2026-01-30).\n")
    assert cli.json("attention") == {
        "date": "2026-01-30", "count": 0, "items": [],
        "by_kind": {"set-aside": 0, "last-retry": 0, "case-past-target": 0, "webhook-gone": 0,
                    "webhook-failed": 0, "import-rejected": 0}}
    _store(cli)
    data = cli.json("attention")
    assert data["count"] >= 1 and data["by_kind"]["case-past-target"] == 1
    case = next(i for i in data["items"] if i["kind"] == "case-past-target")
    assert set(case) == {"kind", "subject", "id", "reason", "since", "clock", "age",
                         "age_seconds", "action", "command", "clears"}
    assert case["command"] == f"opsconsole cases note {case['id']} TEXT"
    text = cli("attention").stdout
    _fits(text)
    assert "case-past-target  case" in text and "do: opsconsole cases note" in text


def test_report_and_attention_do_not_import_textual(story):  # noqa: F811
    cli = story
    for command in ("report", "attention"):
        code = ("import sys; from opsconsole.cli import cli;\n"
                f"try: cli(['--db', sys.argv[1], '{command}'], standalone_mode=False)\n"
                "finally: print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN')")
        out = subprocess.run([sys.executable, "-c", code, str(cli.db)], capture_output=True,
                             text=True).stdout
        assert out.strip().endswith("CLEAN"), command


def test_report_text_fits_80_columns_with_many_currencies_and_large_amounts(make_store):
    """Five currencies (0, 2 and 3 decimals) and amounts of millions: the tables split so each
    line still fits."""
    from opsconsole.cli.report_cmds import attention_text, report_text
    from opsconsole.views import attention, report

    s = make_store("2026-01-30")
    for currency, price in (("USD", "999999.99"), ("EUR", "999999.99"), ("GBP", "999999.99"),
                            ("JPY", "999999"), ("KWD", "999999.999")):
        path = f"big-{currency.lower()}"
        s.product(path, "day", price, currency=currency)
        for _ in range(3):
            s.sub(path, "2026-01-31", quantity=1)
    s.run(2)
    text = "\n".join(report_text(report.report(days=2)))
    _fits(text)
    assert "2,999,999.97" in text and "2,999,997" in text  # three of them a day, grouped
    _fits("\n".join(attention_text(attention.attention())) + "\n")
