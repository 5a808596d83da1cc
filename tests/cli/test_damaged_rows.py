"""A store file written to by hand (SQLite keeps any value in any column: a price of 'abc', a
date of 'garbage'). Every command that reads such a row says which row holds what, in one line
per row, and never ends in 'internal error'; a list shows the others; a refusal writes nothing.
PostgreSQL's columns refuse such values themselves, so these run on SQLite only."""

import json

import pytest

from tests.cli.conftest import count_rows, hand_edit

DAMAGE = {3: ("price", "'abc'"), 5: ("begin_date", "'garbage'"),
          7: ("next_charge_date", "'2026-13-45'")}


@pytest.fixture
def damaged(imported_sqlite):
    hand_edit(imported_sqlite, *(f"UPDATE subscription SET {column} = {value} WHERE id = {i}"
                                 for i, (column, value) in DAMAGE.items()))
    return imported_sqlite


def test_a_list_shows_the_readable_rows_and_names_each_other_one(damaged):
    listed = damaged("subs", "list", "--json", expect=1)
    ids = {s["id"] for s in json.loads(listed.stdout)}
    assert ids == set(range(1, count_rows(damaged, "subscription") + 1)) - set(DAMAGE)
    lines = listed.stderr.strip().splitlines()
    assert lines == [f"opsconsole: subscription {i} holds {c} {v}, which the store cannot "
                     "read; restore a snapshot, or correct the row in the database; not listed"
                     for i, (c, v) in sorted(DAMAGE.items())]
    table = damaged("subs", "list", expect=1)
    assert len(table.stdout.strip().splitlines()) == 1 + len(ids)  # a header, then the rows


@pytest.mark.parametrize("sub_id", sorted(DAMAGE))
def test_showing_or_acting_on_a_damaged_row_is_a_refusal_naming_it(damaged, sub_id):
    column, value = DAMAGE[sub_id]
    before = (count_rows(damaged, "audit"), count_rows(damaged, "event"))
    said = f"subscription {sub_id} holds {column} {value}"
    damaged.refused("subs", "show", sub_id, match=said)
    damaged.refused("pause", sub_id, "--periods", 1, match=said)
    assert (count_rows(damaged, "audit"), count_rows(damaged, "event")) == before


def test_the_report_leaves_damaged_rows_out_and_names_them(damaged):
    report = damaged.json("report")
    # price and next charge date are among the figures' columns; the begin date is not
    assert report["unreadable"] == [3, 7]
    assert sum(report["states"].values()) == count_rows(damaged, "subscription") - 2
    assert sum(m["subscriptions"] for m in report["mrr"]) > 0
    text = damaged("report").stdout
    assert "Left out of every figure" in text and "3, 7" in text


def test_an_export_refused_part_way_leaves_the_file_as_it_was(damaged, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    kept = folder / "kept.csv"
    kept.write_text("what was there\n")
    damaged.refused("export", kept, match="subscription 3 holds price 'abc'")
    assert kept.read_text() == "what was there\n"
    damaged.refused("export", folder / "new.csv", match="subscription 3 holds price")
    assert sorted(p.name for p in folder.iterdir()) == ["kept.csv"]


def test_an_interval_that_does_not_move_is_set_aside_and_the_day_finishes(imported_sqlite):
    """R-INPUT-3: an interval of length 0 or less would hold every loop stepping to a date
    after today; the day sets that subscription aside (exit 1) and the others are charged."""
    story = imported_sqlite
    hand_edit(story, "UPDATE subscription SET interval_length = 0 WHERE id = 1",
              "UPDATE subscription SET interval_length = -3 WHERE id = 2")
    ran = story("run-day", "--days", "4", expect=1)  # Cli has a timeout: a hang fails
    assert "subscription 1 set aside on 2026-01-31 (it holds interval_length 0, which must be " \
        "a length its interval unit allows)" in ran.stderr
    assert "subscription 2 set aside on 2026-02-01" in ran.stderr
    assert story.json("charges", "--sub", 3)[0]["date"] == "2026-02-02"  # its day was run
    assert story.json("clock")["date"] == "2026-02-03"


def test_a_subscription_naming_a_product_the_store_lacks_is_a_refusal(damaged):
    hand_edit(damaged, "UPDATE subscription SET product_id = 999 WHERE id = 2")
    damaged.refused("subs", "show", 2, match="subscription 2 holds product_id 999")


def test_an_export_names_a_subscription_whose_account_is_gone_never_leaves_it_out(
        imported_sqlite, tmp_path):
    story = imported_sqlite
    hand_edit(story, "UPDATE subscription SET account_id = 999 WHERE id = 2")
    story.refused("export", tmp_path / "x.csv", match="subscription 2 holds account_id 999, "
                  "which must be the id of an account the store has")
    assert not (tmp_path / "x.csv").exists()
    listed = story("subs", "list", expect=1)
    assert "subscription 2 holds account_id 999" in listed.stderr


def test_the_consoles_list_keeps_a_subscription_whose_product_is_gone_in_its_place(
        imported_sqlite):
    from opsconsole.store import db as store_db
    from opsconsole.views import subscriptions

    story = imported_sqlite
    hand_edit(story, "UPDATE subscription SET product_id = 999 WHERE id = 2",
              "UPDATE subscription SET account_id = 999 WHERE id = 3")
    store_db.open_store(str(story.db))
    try:
        rows = {r["id"]: r for r in subscriptions.page(100)["rows"]}
    finally:
        store_db.close_store()
    assert (rows[2]["state"], rows[3]["state"]) == ("unreadable", "unreadable")
    assert "holds product_id 999" in rows[2]["unreadable"]
    assert rows[3]["customer"] == {"email": "", "first": "", "last": ""}
    assert sum(r["state"] != "unreadable" for r in rows.values()) == len(rows) - 2


def test_an_add_on_the_store_cannot_read_is_named_with_its_subscription(story, engine):
    if engine != "sqlite":
        pytest.skip("a PostgreSQL column holds only its own type")
    story("product", "addon", "monthly-pro", "--offer", "support", "--price", "5.00")
    story("import", "fixtures/story/subscriptions.csv", "--payments",
          "fixtures/story/payments.csv")
    story("addon", "add", 1, "support")
    hand_edit(story, "UPDATE subscription_addon SET price = 'x' WHERE subscription_id = 1")
    story.refused("subs", "show", 1, match="subscription 1 holds add-on support price 'x'")
    listed = story("subs", "list", expect=1)
    assert "subscription 1 holds add-on support price 'x'" in listed.stderr


def test_a_command_failing_on_a_damaged_row_of_any_table_names_it(damaged):
    """A charge or a product holding a value of another type: a command that fails on it says
    what the store holds, not 'internal error'."""
    hand_edit(damaged, "UPDATE subscription SET price = 3000, begin_date = '2026-01-01', "
                       "next_charge_date = '2026-02-01' WHERE id IN (3, 5, 7)")
    damaged("run-day")
    hand_edit(damaged, "UPDATE product SET price = 'abc' WHERE path = 'weekly-box'",
              "UPDATE charge SET amount = 'x' WHERE id = 1")
    for command in (("product", "list"), ("charges",)):
        said = damaged(*command, expect=1).stderr
        assert "internal error" not in said
        assert said == ("opsconsole: the store holds values it cannot read (product 3: price "
                        "'abc'; charge 1: amount 'x'); restore a snapshot, or correct the rows "
                        "in the database\n"), said


def test_acting_on_a_row_damaged_where_no_list_reads_it_is_named(damaged):
    """subs.find reads every column of the one subscription it is asked for: a prorate's
    review reading a period start of 'zzz' is a refusal naming it, not an internal error."""
    hand_edit(damaged, "UPDATE subscription SET period_start = 'zzz' WHERE id = 1",
              "UPDATE subscription SET reminder_days = 'q' WHERE id = 2")
    damaged.refused("prorate", 1, "--quantity", 2, match="subscription 1 holds period_start "
                                                         "'zzz', which the store cannot read")
    damaged.refused("pause", 2, "--periods", 1, match="subscription 2 holds reminder_days 'q'")


def test_copying_a_store_whose_row_names_a_missing_one_is_refused_and_leaves_nothing(
        imported_sqlite, tmp_path):
    damaged = imported_sqlite  # its only fault the key (values of the wrong type are named
    # before any row is copied: test_stored_values)
    hand_edit(damaged, "UPDATE subscription SET product_id = 999 WHERE id = 2")
    copy = tmp_path / "copy.db"
    damaged.refused("copy", damaged.db, copy, match="cannot be copied: a row of its "
                    "subscription table breaks a rule of the store (FOREIGN KEY constraint "
                    "failed); nothing was copied")
    assert list(tmp_path.glob("copy.db*")) == []


def test_an_event_whose_payload_is_not_json_is_named(imported):
    """Text, so either engine keeps it: the events log names the row, not 'internal error'."""
    from tests import engines

    story = imported
    [(event_id,)] = engines.execute(story.db, "SELECT MIN(id) FROM event WHERE "
                                              "subscription_id = 1")
    engines.execute(story.db, "UPDATE event SET payload = '{garbage' WHERE id = ?", (event_id,))
    story.refused("events", "--sub", 1, match=f"event {event_id} holds payload '{{garbage', "
                                              "which must be JSON")
