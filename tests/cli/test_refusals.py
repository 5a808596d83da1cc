"""Every refusal exits 1 with one line on stderr, writes nothing, and shows no traceback."""

import pytest

from tests.cli.conftest import STORY


@pytest.fixture
def store(story):
    story("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    return story


def test_no_store(cli, engine):
    # a file that is not there; a database with nothing in it
    cli.refused("subs", "list", match="no store at" if engine == "sqlite" else
                "is not an opsconsole store")


def test_init_twice(store):
    store.refused("init", match="already exists")


def test_bad_id(store):
    store.refused("subs", "show", "NOPE-1", match="no subscription 'NOPE-1'")
    store.refused("pause", "999", "--periods", "1", match="no subscription '999'")


def test_pause_13(store):
    store.refused("pause", "OLD-1001", "--periods", "13", match="1 to 12 periods")
    assert store.json("subs", "show", "OLD-1001")["pause_date"] is None


def test_pause_not_a_number_is_a_usage_error(store):
    proc = store("pause", "OLD-1001", "--periods", "abc", expect=2)
    assert "Traceback" not in proc.stderr


def test_uncancel_a_deactivated_subscription(store):
    store("cancel", "OLD-1001", "--now")
    store.refused("uncancel", "OLD-1001", match="cannot be uncanceled")


def test_prorate_past_6_months(store):
    # OLD-1004 began 2025-02-10: a year before the store's date
    store.refused("prorate", "OLD-1004", "--quantity", "6", match="more than 6 months")


def test_prorate_on_a_day_with_a_charge(store):
    store("run-day")  # OLD-1001 is charged on 2026-01-31
    store.refused("prorate", "OLD-1001", "--price", "40.00", "--confirm",
                  match="Last charge is still pending")
    assert store.json("subs", "show", "OLD-1001")["price"] == "30.00"


def test_run_day_backwards(store):
    store.refused("run-day", "--until", "2026-01-01", match="cannot go back")
    assert store.json("clock")["date"] == "2026-01-30"


def test_import_missing_columns(store, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("referenceId,first,last\nX,A,B\n")
    line = store.refused("import", bad, match="lacks the required columns")
    assert "email" in line and "listPrice" in line


def test_import_where_every_row_is_bad_exits_1(store, tmp_path):
    header = (STORY / "subscriptions.csv").read_text().splitlines()[0]
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "\n" + ",".join(["x"] * len(header.split(","))) + "\n")
    proc = store("import", bad, "--json", expect=1)
    assert '"rejected": 1' in proc.stdout


def test_bad_money_and_rules(store):
    store.refused("prorate", "OLD-1001", "--price", "30.001", match="decimal places")
    store.refused("bulk-price", "--product", "monthly-pro", "--percent", "-100",
                  match="zero or below")
    store.refused("charge", "OLD-1001", match="only managed")
    store.refused("payment", "OLD-1001", "--token", "4111 1111 1111 1111",
                  match="card number")
    store.refused("product", "add", "bad path", "--name", "x", "--interval", "month",
                  "--price", "1", match="letters, digits")
    proc = store("bulk-price", "--product", "monthly-pro", "--price", "ten", expect=2)
    assert "not a number" in proc.stderr


def test_charge_reports_each_and_fails_only_when_none_succeed(store):
    proc = store("charge", "OLD-1006", "NOPE", expect=0)
    assert "OLD-1006" not in proc.stdout and "6: charged" in proc.stdout
    assert "no subscription 'NOPE'" in proc.stderr
    store("charge", "NOPE", "OLD-1001", expect=1)


def test_not_a_store(cli, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("this is not a database" * 100)
    cli.db = junk
    cli.refused("clock", match="not an opsconsole store")
    assert junk.read_text().startswith("this is not a database")


def test_commands_do_not_import_textual(store):
    import subprocess
    import sys

    code = ("import sys; from opsconsole.cli import cli;\n"
            "try: cli(['--db', sys.argv[1], 'subs', 'list'], standalone_mode=False)\n"
            "finally: print('TEXTUAL' if 'textual' in sys.modules else 'CLEAN')")
    out = subprocess.run([sys.executable, "-c", code, str(store.db)], capture_output=True,
                         text=True).stdout
    assert out.strip().endswith("CLEAN")


def test_an_empty_file_is_not_a_store_and_is_left_alone(cli, tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    cli.db = empty
    cli.refused("clock", match="is empty")
    assert empty.stat().st_size == 0


def test_a_database_url_opens_the_same_store(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'url.db'}"
    cli.db = url
    cli("init", "--date", "2026-05-01")
    assert cli.json("clock")["date"] == "2026-05-01"
    cli.db = "postgresql://nobody@127.0.0.1:1/none"
    cli.refused("clock", match="cannot open")


def test_a_reader_that_stops_early_is_not_an_error(tmp_path):
    """`opsconsole subs list | head -1`: the reader closes the pipe; no message, no traceback."""
    import os
    import subprocess

    from opsconsole.store import db as store_db
    from tests.cli.conftest import EXE
    from tests.reliability import storegen

    db = tmp_path / "store.db"
    storegen.build(db, 1200)  # a table of ~150 KB: more than a pipe holds
    store_db.close_store()
    env = {**os.environ, "OPSCONSOLE_DB": str(db)}
    env.pop("OPSCONSOLE_DEBUG", None)
    proc = subprocess.Popen([EXE, "subs", "list"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env,
                            bufsize=0)
    assert proc.stdout.read(2) == b"ID"
    proc.stdout.close()  # the reader goes away with most of the output unread
    _, err = proc.communicate(timeout=60)
    assert err == b"", err
    assert proc.returncode == 141


def test_the_postgresql_driver_is_loaded_only_for_a_postgresql_store(cli, engine):
    """peewee would import psycopg (~110 ms) for every command; only a PostgreSQL store needs
    it, and there it works (the driver handed to peewee when the store is opened)."""
    import subprocess
    import sys

    cli("init", "--date", "2026-01-30")
    code = ("import sys; from opsconsole.cli import cli;\n"
            "try: cli(['--db', sys.argv[1], 'clock'], standalone_mode=False)\n"
            "finally: print('DRIVER' if 'psycopg' in sys.modules else 'NO DRIVER')")
    done = subprocess.run([sys.executable, "-c", code, str(cli.db)], capture_output=True,
                          text=True)
    assert "2026-01-30" in done.stdout, done.stderr
    want = "NO DRIVER" if engine == "sqlite" else "DRIVER"
    assert done.stdout.strip().splitlines()[-1] == want
