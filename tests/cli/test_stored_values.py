"""A store written to behind opsconsole's back (psql, sqlite3) with values of the right type
that no command writes: a quantity of -2, a state of 'bogus', a discount with no value, store
settings no store can run on. On both engines: never billed, never passed over in silence,
every reader names the value (R-INPUT-1, R-INPUT-3), and a refusal writes nothing."""

import json
from pathlib import Path

import pytest

from tests import engines
from tests.cli.conftest import STORY, count_rows, hand_edit


def _set_aside(cli, sub_id: int, holds: str):
    """The first run-day (to 2026-01-31) sets the subscription aside, naming what it holds."""
    ran = cli("run-day", expect=1)
    assert f"subscription {sub_id} set aside on 2026-01-31 (it holds {holds}" in ran.stderr, \
        ran.stderr
    return ran


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
    _set_aside(cli, 4, "remind_on 2300-01-01, which must be a date from 2000-01-01 to "
                       "2199-12-31)")
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


def test_R_INPUT_1_no_action_takes_on_a_product_or_offer_outside_the_limits(imported, tmp_path):
    """A change, a proration, an add-on and an import take a product's price (or an offer's)
    on: one of -5.00 is named, and nothing is written (a proration refunded money for it)."""
    cli = imported
    cli("product", "add", "monthly-plus", "--name", "Plus", "--interval", "month",
        "--price", "40.00")
    cli("product", "addon", "monthly-pro", "--offer", "seats", "--price", "5.00")
    _set(cli, "UPDATE product SET price = -500 WHERE path = 'monthly-plus'")
    _set(cli, "UPDATE product_addon SET price = -300 WHERE path = 'seats'")
    [(plus,)] = engines.execute(cli.db, "SELECT id FROM product WHERE path = 'monthly-plus'")
    [(pro,)] = engines.execute(cli.db, "SELECT id FROM product WHERE path = 'monthly-pro'")
    before = (count_rows(cli, "audit"), count_rows(cli, "event"), count_rows(cli, "charge"))
    said = f"product {plus} holds price -500, which must be whole minor units"
    cli.refused("change", 1, "--product", "monthly-plus", match=said)
    cli.refused("prorate", 1, "--product", "monthly-plus", "--confirm", match=said)
    cli.refused("addon", "add", 1, "seats", match=f"product {pro} holds add-on seats price -300")
    assert (count_rows(cli, "audit"), count_rows(cli, "event"), count_rows(cli, "charge")) \
        == before
    lines = (STORY / "subscriptions.csv").read_text().splitlines()
    form = tmp_path / "plus.csv"
    form.write_text(lines[0] + "\n" + lines[1].replace("OLD-1001", "NEW-1")
                    .replace("monthly-pro", "monthly-plus") + "\n")
    ran = cli("import", form, expect=1)
    assert f"productPath 'monthly-plus' cannot be signed up to: {said}" in ran.stderr


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
    _set_aside(cli, 3, "state 'bogus'")  # not one of the day's states: set aside, not left out


def test_a_discount_with_no_value_is_named_not_an_internal_error(imported):
    cli = imported
    _set(cli, "UPDATE subscription SET discount_type = 'amount', discount_value = NULL "
              "WHERE id = 1")
    ran = _set_aside(cli, 1, "discount_value None, which must be a whole number its discount "
                             "allows)")
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
    _set_aside(cli, 1, "add-on seats quantity 0")
    assert cli.json("charges", "--sub", 1) == []


def test_bulk_price_names_a_quantity_outside_the_limits_and_writes_nothing(imported):
    cli = imported
    _set(cli, "UPDATE subscription SET quantity = 20000 WHERE id = 2")
    before = (count_rows(cli, "audit"), count_rows(cli, "event"))
    cli.refused("bulk-price", "--product", "monthly-pro", "--percent", "10", "--confirm",
                match="subscription 2 holds quantity 20000, which must be a whole number")
    assert (count_rows(cli, "audit"), count_rows(cli, "event")) == before


@pytest.mark.parametrize(("column", "value", "named"), [
    ("interval_length", 0, "interval_length 0, which must be a length its interval unit"),
    ("state", "bogus", "state 'bogus', which must be one of"),
    ("end_date", "2300-01-01", "end_date 2300-01-01, which must be a date from 2000-01-01"),
])
def test_bulk_price_reprices_no_subscription_others_refuse(imported, column, value, named):
    """R-INPUT-1: a row every other command refuses is not repriced either (an interval of 0
    was an internal error, a state of 'bogus' and an end in 2300 were repriced)."""
    cli = imported
    _set(cli, f"UPDATE subscription SET {column} = ? WHERE id = 2", value)
    before = (count_rows(cli, "audit"), count_rows(cli, "event"))
    cli.refused("bulk-price", "--product", "monthly-pro", "--percent", "10", "--confirm",
                match=f"subscription 2 holds {named}")
    assert (count_rows(cli, "audit"), count_rows(cli, "event")) == before
    assert engines.execute(cli.db, "SELECT price FROM subscription WHERE id = 1") == [(3000,)]


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
    _set_aside(cli, 1, "price 29.5")
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
    _set_aside(cli, 4, "dunning_next 'garbage', which the store cannot read)")


def test_a_subscription_whose_account_is_gone_is_set_aside_not_passed_over(imported_sqlite):
    cli = imported_sqlite
    hand_edit(cli, "UPDATE subscription SET account_id = 999 WHERE id = 1")
    _set_aside(cli, 1, "account_id 999, which must be the id of an account the store has)")
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


def test_a_flag_of_no_is_named_never_read_as_true(imported_sqlite):
    """R-INPUT-1: peewee's bool() read a manual_renew of 'no' as true, and the day moved an
    automatic renewal into manual dunning; a copy carried it on as true."""
    cli = imported_sqlite
    hand_edit(cli, "UPDATE subscription SET manual_renew = 'no' WHERE id = 1",
              "UPDATE subscription SET live = 7 WHERE id = 2")
    cli.refused("subs", "show", 1, match="subscription 1 holds manual_renew 'no', which the "
                                          "store cannot read")
    _set_aside(cli, 1, "manual_renew 'no'")
    assert engines.execute(cli.db, "SELECT state, last_run FROM subscription WHERE id = 1") \
        == [("active", None)]
    listed = cli("subs", "list", expect=1)
    assert "subscription 2 holds live 7" in listed.stderr
    copy = Path(cli.db).parent / "copy.db"
    cli.refused("copy", cli.db, copy, match="cannot be copied: it holds values it cannot read "
                                            "(subscription 1: manual_renew 'no'; subscription 2: "
                                            "live 7)")
    assert not copy.exists()


def test_a_date_not_written_yyyy_mm_dd_is_named_not_passed_over(imported_sqlite):
    """'2026-W06-1' is a date to Python's fromisoformat, but the store compares dates as text
    and would never find it due: it is named, as any date the store cannot read."""
    cli = imported_sqlite
    hand_edit(cli, "UPDATE subscription SET next_charge_date = '2026-W06-1' WHERE id = 3")
    cli.refused("subs", "show", 3, match="subscription 3 holds next_charge_date '2026-W06-1', "
                                          "which the store cannot read")
    assert 3 in cli.json("report")["unreadable"]


def test_a_card_the_store_lacks_is_named_never_read_as_no_card(imported_sqlite):
    """A payment method key naming no row was read as no card: run-day declined the charge
    and put the subscription into dunning. It is set aside, naming the key."""
    cli = imported_sqlite
    hand_edit(cli, "UPDATE subscription SET payment_method_id = 999 WHERE id = 1")
    cli.refused("subs", "show", 1, match="subscription 1 holds payment_method_id 999")
    _set_aside(cli, 1, "payment_method_id 999, which must be the id of a payment method the "
                       "store has)")
    assert cli.json("charges", "--sub", 1) == []
    assert engines.execute(cli.db, "SELECT state FROM subscription WHERE id = 1") == [("active",)]


def test_a_day_run_whose_counts_are_not_counts_is_named_and_mended_the_day_goes_on(imported):
    """The day's own counts (day_run) written to by hand were an internal error of every
    run-day from then on; they are named by their row, and once mended the day finishes."""
    cli = imported
    _set(cli, "INSERT INTO day_run (date, counts, finished) VALUES (?, ?, ?)",
         "2026-01-31", "{garbage", False)
    cli.refused("run-day", match="day run 2026-01-31 holds counts '{garbage', which must be JSON")
    assert cli.json("charges", "--sub", 1) == []
    _set(cli, "UPDATE day_run SET counts = ?", '{"charged": "x"}')
    cli.refused("run-day", match="which must be counts by name, in JSON")
    _set(cli, "UPDATE day_run SET counts = ?", "{}")
    assert "2026-01-31  1 charged" in cli("run-day").stdout


@pytest.mark.parametrize("clock", ["9999-01-01 00:00:00", "1900-05-01 00:00:00"])
def test_a_clock_outside_the_stores_dates_is_named_by_every_command(imported, clock):
    """R-INPUT-1's dates hold for the store's own clock: one of 9999 ended the report in an
    internal error, and actions wrote rows dated there."""
    cli = imported
    _set(cli, "UPDATE store SET clock = ?", clock)
    before = count_rows(cli, "audit")
    said = f"settings hold clock '{clock}', which no store can run on"
    for command in (("clock",), ("report",), ("cancel", 1), ("run-day",)):
        cli.refused(*command, match=said)
    assert count_rows(cli, "audit") == before


def test_a_clock_with_an_offset_is_named_not_read_without_it(imported_sqlite):
    cli = imported_sqlite
    hand_edit(cli, "UPDATE store SET clock = '2026-01-30T00:00:00+14:00'")
    cli.refused("clock", match="settings hold clock '2026-01-30 00:00:00+14:00', which no store")


def test_an_overdue_subscription_owed_since_no_date_is_set_aside_not_passed_over(imported):
    """With no date it went overdue on, no dunning date comes: run-day never found it, in
    silence. It is set aside each day, naming the value."""
    cli = imported
    _set(cli, "UPDATE subscription SET state = 'overdue', overdue_since = NULL, "
              "dunning_next = NULL, next_charge_date = '2026-03-01' WHERE id = 3")
    _set_aside(cli, 3, "overdue_since None, which must be a date while it is overdue)")


def test_a_case_holding_a_severity_of_99_is_named_by_the_list_and_every_action(imported):
    """R-INPUT-1 for cases: a severity of 99 was an internal error (KeyError) of the list,
    `show` and every action; it is named, the list shows the other cases, nothing is written."""
    cli = imported
    cli("cases", "new", "--subject", "Card declined", "--category", "Transactions")
    cli("cases", "new", "--subject", "Webhook late", "--category", "WebHooks")
    [(first,), (second,)] = engines.execute(cli.db, 'SELECT id FROM "case" ORDER BY id')
    _set(cli, 'UPDATE "case" SET severity = 99 WHERE id = ?', first)
    said = f"case {first} holds severity 99, which must be 0 (Highest) to 3 (Low)"
    listed = cli("cases", "list", "--json", expect=1)
    assert [c["id"] for c in json.loads(listed.stdout)] == [second]
    assert said in listed.stderr and "not listed" in listed.stderr
    before = count_rows(cli, "audit")
    for command in (("show", first), ("note", first, "hello"), ("escalate", first, "--why", "late"),
                    ("status", first, "Open")):
        cli.refused("cases", *command, match=said)
    assert count_rows(cli, "audit") == before


def test_a_case_naming_a_subscription_the_store_lacks_is_named(imported_sqlite):
    cli = imported_sqlite
    cli("cases", "new", "--subject", "Card declined", "--category", "Transactions", "--sub", 1)
    hand_edit(cli, 'UPDATE "case" SET subscription_id = 999')
    cli.refused("cases", "note", 1, "hello", match="case 1 holds subscription_id 999, which "
                                                   "must be the id of a subscription the store")


def test_a_delivery_in_a_status_no_rule_knows_is_named_not_shown_as_one(imported):
    """R-INPUT-1 for the outbox: a status of 'bogus' was listed as such and never sent, with
    nothing said; the listings name it and leave it out (exit 1), as `subs list` does."""
    cli = imported
    cli("webhooks", "add", "http://127.0.0.1:9/hook")
    cli("cancel", 3)
    [(first, *_)] = engines.execute(cli.db, "SELECT MIN(id) FROM webhook_delivery")
    _set(cli, "UPDATE webhook_delivery SET status = 'bogus' WHERE id = ?", first)
    said = f"webhook delivery {first} holds status 'bogus', which must be one of pending"
    listed = cli("webhooks", "deliveries", "--json", expect=1)
    assert first not in [d["id"] for d in json.loads(listed.stdout)]
    assert said in listed.stderr
    cli.refused("webhooks", "delivery", first, match=said)
    cli.refused("webhooks", "redeliver", first, match=said)


def test_an_endpoint_whose_flag_is_not_a_flag_is_named_and_can_be_removed(imported_sqlite):
    cli = imported_sqlite
    cli("webhooks", "add", "http://127.0.0.1:9/hook")
    hand_edit(cli, "UPDATE webhook_endpoint SET enabled = 'no'")
    said = "webhook endpoint 1 holds enabled 'no', which the store cannot read"
    listed = cli("webhooks", "list", "--json", expect=1)
    assert json.loads(listed.stdout) == [] and said in listed.stderr
    cli.refused("webhooks", "show", 1, match=said)
    cli.refused("webhooks", "disable", 1, match=said)
    cli("webhooks", "remove", 1)  # the way out, as `cancel --now` is for a subscription
    assert cli.json("webhooks", "list") == []


def test_a_second_row_of_settings_is_named_not_passed_over(imported):
    """Store.get() read one of two settings rows, in silence: which clock ran was luck."""
    cli = imported
    _set(cli, "INSERT INTO store (id, name, timezone, currency, clock) SELECT 2, name, "
              "'Europe/Paris', currency, clock FROM store")
    cli.refused("clock", match="settings hold 2 rows, which no store can run on")


def test_a_delivery_naming_an_event_the_store_lacks_is_said_by_the_deliverer(imported_sqlite):
    """It was passed over by `webhooks deliver` in silence, pending for ever."""
    cli = imported_sqlite
    cli("webhooks", "add", "http://127.0.0.1:9/hook")
    cli("cancel", 3)
    [(first,)] = engines.execute(cli.db, "SELECT MIN(id) FROM webhook_delivery")
    hand_edit(cli, f"UPDATE webhook_delivery SET event_id = 99999 WHERE id = {first}")
    ran = cli("webhooks", "deliver", expect=1)
    assert f"webhook delivery {first} holds event_id 99999, which must be the id of an event " \
        "the store has; it is not sent" in ran.stderr
