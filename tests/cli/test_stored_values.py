"""A store written to behind opsconsole's back (psql, sqlite3) with values of the right type
that no command writes: a quantity of -2, a state of 'bogus', a discount with no value, store
settings no store can run on. On both engines: never billed, never passed over in silence,
every reader names the value (R-INPUT-1, R-INPUT-3), and a refusal writes nothing."""

import json

from tests import engines
from tests.cli.conftest import STORY, count_rows, hand_edit


def _set(cli, sql: str, *params) -> None:
    engines.execute(cli.db, sql, params)


def test_R_INPUT_3_a_quantity_of_minus_two_is_set_aside_never_billed(imported):
    cli = imported
    _set(cli, "UPDATE subscription SET quantity = -2 WHERE id = 1")  # due on 01-31
    ran = cli("run-day", "--days", "2", expect=1)
    said = ("subscription 1 set aside on 2026-01-31 (it holds quantity -2, which must be a whole "
            "number from 1 to 10,000)")
    assert said in ran.stderr
    assert "subscription 1 set aside on 2026-02-01" in ran.stderr  # tried again, set aside again
    assert cli.json("charges", "--sub", 1) == []
    assert cli.json("charges", "--sub", 2)[0]["date"] == "2026-02-01"  # the others' days ran
    audit = [a for a in cli.json("audit") if a["action"] == "set-aside"]
    assert [a["subscription"] for a in audit] == [1, 1]
    _set(cli, "UPDATE subscription SET quantity = 1 WHERE id = 1")
    cli("run-day")  # mended: charged once, for its own date
    assert [c["status"] for c in cli.json("charges", "--sub", 1)] == ["completed"]


def test_an_operator_can_end_now_what_no_rule_can_run_on_and_nothing_else(imported):
    cli = imported
    _set(cli, "UPDATE subscription SET quantity = -2 WHERE id = 1")
    cli.refused("pause", 1, "--periods", 1, match="subscription 1 holds quantity -2")
    cli.refused("cancel", 1, match="subscription 1 holds quantity -2")  # it would bill on
    assert cli.json("cancel", 1, "--now")["subscription"]["state"] == "deactivated"
    cli("run-day")  # nothing left to set aside: exit 0
    assert cli.json("charges", "--sub", 1) == []


def test_a_date_no_day_would_reach_is_set_aside_the_first_day_not_passed_over(imported):
    """OLD-1004 has no work until 02-10; a reminder date of 2300-01-01 would hold its
    reminders back for ever, in silence: the day finds it at once (R-INPUT-1, R-INPUT-3)."""
    cli = imported
    _set(cli, "UPDATE subscription SET remind_on = '2300-01-01' WHERE id = 4")
    ran = cli("run-day", expect=1)
    assert "subscription 4 set aside on 2026-01-31 (it holds remind_on 2300-01-01, which must " \
        "be a date from 2000-01-01 to 2199-12-31)" in ran.stderr
    cli.refused("subs", "show", 4, match="subscription 4 holds remind_on 2300-01-01")


def test_R_SCHED_4_a_renewal_into_a_product_holding_a_price_of_minus_5_bills_nothing(imported):
    """The product a subscription renews into is held to R-INPUT-1 as the subscription is: a
    price of -5.00 is named, not billed as 0.00."""
    cli = imported
    _set(cli, "UPDATE product SET renews_into = 'weekly-box' WHERE path = 'monthly-pro'")
    _set(cli, "UPDATE product SET price = -500 WHERE path = 'weekly-box'")
    _set(cli, "UPDATE subscription SET rebills_left = 0 WHERE id = 1")  # its phase is over
    ran = cli("run-day", expect=1)
    [(weekly,)] = engines.execute(cli.db, "SELECT id FROM product WHERE path = 'weekly-box'")
    assert f"subscription 1 set aside on 2026-01-31 (product {weekly} holds price -500, which " \
        "must be whole minor units" in ran.stderr
    assert cli.json("charges", "--sub", 1) == []
    assert cli.json("subs", "show", 1)["product"] == "monthly-pro"  # rolled back whole


def test_a_state_no_rule_knows_is_named_by_every_reader_and_the_day(imported):
    cli = imported
    _set(cli, "UPDATE subscription SET state = 'bogus' WHERE id = 3")  # due on 02-02
    said = "subscription 3 holds state 'bogus', which must be one of trial, active"
    before = (count_rows(cli, "audit"), count_rows(cli, "event"))
    cli.refused("subs", "show", 3, match=said)
    cli.refused("cancel", 3, match=said)
    assert (count_rows(cli, "audit"), count_rows(cli, "event")) == before
    listed = cli("subs", "list", expect=1)
    assert said in listed.stderr
    assert 3 in cli.json("report")["unreadable"]
    ran = cli("run-day", expect=1)  # not one of the day's states: set aside, not left out
    assert "subscription 3 set aside on 2026-01-31 (it holds state 'bogus'" in ran.stderr


def test_a_discount_with_no_value_is_named_not_an_internal_error(imported):
    cli = imported
    _set(cli, "UPDATE subscription SET discount_type = 'amount', discount_value = NULL "
              "WHERE id = 1")
    ran = cli("run-day", expect=1)
    assert "(it holds discount_value None, which must be a whole number its discount " \
        "allows)" in ran.stderr
    assert "internal error" not in ran.stderr
    cli.refused("subs", "show", 1, match="subscription 1 holds discount_value None")


def test_an_add_on_of_quantity_zero_is_named_and_not_billed(story):
    cli = story
    cli("product", "addon", "monthly-pro", "--offer", "seats", "--price", "5.00")
    cli("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    cli("addon", "add", 1, "seats")
    _set(cli, "UPDATE subscription_addon SET quantity = 0 WHERE subscription_id = 1")
    cli.refused("subs", "show", 1, match="subscription 1 holds add-on seats quantity 0, which "
                                         "must be a whole number")
    ran = cli("run-day", expect=1)
    assert "subscription 1 set aside on 2026-01-31 (it holds add-on seats quantity 0" \
        in ran.stderr
    assert cli.json("charges", "--sub", 1) == []


def test_bulk_price_names_a_quantity_outside_the_limits_and_writes_nothing(imported):
    cli = imported
    _set(cli, "UPDATE subscription SET quantity = 20000 WHERE id = 2")
    before = (count_rows(cli, "audit"), count_rows(cli, "event"))
    cli.refused("bulk-price", "--product", "monthly-pro", "--percent", "10", "--confirm",
                match="subscription 2 holds quantity 20000, which must be a whole number")
    assert (count_rows(cli, "audit"), count_rows(cli, "event")) == before


def test_store_settings_no_store_can_run_on_are_named_and_a_restore_puts_them_right(imported):
    cli = imported
    cli("snapshot", "save", "good")
    _set(cli, "UPDATE store SET timezone = 'Mars/Olympus'")
    said = "settings hold timezone 'Mars/Olympus', which no store can run on"
    for command in (("clock",), ("subs", "list"), ("run-day",), ("report",),
                    ("snapshot", "save", "bad")):
        cli.refused(*command, match=said)
    assert [s["name"] for s in cli.json("snapshot", "list")] == ["good"]
    restored = cli("snapshot", "restore", "good").stdout
    assert "store restored to snapshot good" in restored
    assert cli.json("clock")["timezone"] == "UTC"


def test_a_schema_version_that_is_not_a_number_is_named(imported):
    _set(imported, "UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")
    imported.refused("subs", "list", match="holds schema version 'abc', which is not a number")


# --- SQLite alone: its columns keep a value of any type, and its keys can name nothing ---------

def test_a_price_of_29_5_minor_units_is_named_never_billed_as_29(imported_sqlite):
    cli = imported_sqlite
    _set(cli, "UPDATE subscription SET price = 29.5 WHERE id = 1")
    cli.refused("subs", "show", 1, match="subscription 1 holds price 29.5")
    ran = cli("run-day", expect=1)
    assert "subscription 1 set aside on 2026-01-31 (it holds price 29.5" in ran.stderr
    assert cli.json("charges", "--sub", 1) == []


def test_a_clock_that_is_not_a_time_is_named_and_a_restore_puts_it_right(imported_sqlite):
    cli = imported_sqlite
    cli("snapshot", "save", "good")
    _set(cli, "UPDATE store SET clock = 'garbage'")
    cli.refused("clock", match="settings hold clock 'garbage', which no store can run on")
    cli.refused("snapshot", "save", "bad", match="settings hold clock 'garbage'")
    assert [s["name"] for s in cli.json("snapshot", "list")] == ["good"]
    assert "store date unreadable -> 2026-01-30" in cli("snapshot", "restore", "good").stdout
    assert cli.json("clock")["date"] == "2026-01-30"


def test_a_due_date_of_garbage_is_set_aside_the_first_day(imported_sqlite):
    cli = imported_sqlite
    _set(cli, "UPDATE subscription SET dunning_next = 'garbage' WHERE id = 4")
    ran = cli("run-day", expect=1)
    assert "subscription 4 set aside on 2026-01-31 (it holds dunning_next 'garbage', which " \
        "the store cannot read)" in ran.stderr


def test_a_subscription_whose_account_is_gone_is_set_aside_not_passed_over(imported_sqlite):
    cli = imported_sqlite
    hand_edit(cli, "UPDATE subscription SET account_id = 999 WHERE id = 1")
    ran = cli("run-day", expect=1)
    assert "subscription 1 set aside on 2026-01-31 (it holds account_id 999, which must be " \
        "the id of an account the store has)" in ran.stderr
    cli.refused("subs", "show", 1, match="subscription 1 holds account_id 999")


def test_an_account_shows_its_other_subscriptions_and_names_the_one_it_cannot(imported,
                                                                             tmp_path):
    cli = imported
    header = (STORY / "subscriptions.csv").read_text().splitlines()[0]
    more = tmp_path / "more.csv"
    more.write_text(header + "\nNEW-1,Ada,Lovelace,ada@example.com,en,GB,,,true,weekly-box,1,"
                    "USD,9.99,week,1,2026-02-05,,,,,2026-01-29,,,\n")
    cli("import", more)
    _set(cli, "UPDATE subscription SET quantity = -5 WHERE id = 1")  # Ada's first
    shown = cli("accounts", "show", "ada@example.com", "--json", expect=1)
    data = json.loads(shown.stdout)
    assert [s["reference_id"] for s in data["subscriptions"]] == ["NEW-1"]
    assert [u["id"] for u in data["unreadable"]] == [1]
    assert "subscription 1 holds quantity -5" in shown.stderr


def test_a_webhook_endpoints_earlier_secrets_that_are_not_json_are_named(imported):
    cli = imported
    cli("webhooks", "add", "http://127.0.0.1:9/hook")
    cli("run-day")  # events, and deliveries for them
    _set(cli, "UPDATE webhook_endpoint SET previous_secret = '[garbage'")
    sent = cli("webhooks", "deliver", expect=1)
    assert "webhook endpoint 1 holds previous_secret '[garbage', which must be JSON" \
        in sent.stderr
    assert "Error" not in sent.stderr  # no Python error's name
