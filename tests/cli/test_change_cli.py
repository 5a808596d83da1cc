"""The command line of add-ons, change, accounts and repeat trials (CONTRACT.md; R-ADDON-1..3,
R-CHANGE-1, R-ACCOUNT-1, R-TRIAL-2): the real console script, on both engines."""

import pytest

from tests.cli.conftest import STORY


@pytest.fixture
def store(story):
    story("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    story("product", "addon", "monthly-pro", "--offer", "storage", "--price", "4.95")
    story("product", "addon", "monthly-pro", "--offer", "support-standard", "--price", "3.00",
          "--group", "support", "--single")
    story("product", "addon", "monthly-pro", "--offer", "support-priority", "--price", "8.00",
          "--group", "support", "--single")
    return story


def dump(cli) -> tuple:
    """What a refusal must leave as it was."""
    return (cli("subs", "list", "--json").stdout, cli("events", "--json").stdout,
            cli("audit", "--json").stdout, cli("product", "list", "--json").stdout)


def test_R_ADDON_1_product_addon(store):
    offers = {p["path"]: p for p in store.json("product", "list")}["monthly-pro"]["addons"]
    assert [(o["path"], o["price"], o["group"], o["single"]) for o in offers] == [
        ("support-priority", "8.00", "support", True),
        ("support-standard", "3.00", "support", True), ("storage", "4.95", None, False)]
    out = store.json("product", "addon", "weekly-box", "--offer", "extra-bag", "--price",
                     "2.50")
    assert out == {"product": "weekly-box", "path": "extra-bag", "price": "2.50",
                   "currency": "USD", "group": None, "single": False, "updated": False}
    before = dump(store)
    store.refused("product", "addon", "monthly-pro", "--offer", "x", "--price", "1.00",
                  "--single", match="--single needs --group")
    store.refused("product", "addon", "nope", "--offer", "x", "--price", "1.00",
                  match="no product 'nope'")
    store.refused("product", "addon", "monthly-pro", "--offer", "x", "--price", "1.001",
                  match="decimal places")
    assert dump(store) == before


def test_R_ADDON_2_and_3_add_remove_and_the_aggregate_charge(store):
    out = store.json("addon", "add", "OLD-1001", "storage", "--quantity", "2")
    assert out["ok"] and out["subscription"]["amount"] == "39.90"  # 30.00 + 2 x 4.95
    store("addon", "add", "OLD-1001", "support-standard")
    out = store.json("addon", "add", "OLD-1001", "support-priority")
    assert "instead of support-standard" in out["message"]
    shown = store.json("subs", "show", "OLD-1001")
    assert shown["addons"] == [{"path": "storage", "quantity": 2, "price": "4.95"},
                               {"path": "support-priority", "quantity": 1, "price": "8.00"}]
    assert shown["amount"] == "47.90"
    text = store("subs", "show", "OLD-1001").stdout
    assert "storage x 2 at 4.95 USD" in text and "47.90 USD per period" in text
    assert store.json("charges") == []  # from the next charge, no proration
    store("run-day")  # OLD-1001 is charged on 2026-01-31
    charge = store.json("charges", "--sub", "OLD-1001")[0]
    assert (charge["amount"], charge["kind"]) == ("47.90", "rebill")
    store("addon", "remove", "OLD-1001", "support-priority")
    assert store.json("subs", "show", "OLD-1001")["amount"] == "39.90"
    events = [e["type"] for e in store.json("events", "--sub", "OLD-1001")]
    assert events.count("subscription.updated") == 4
    actions = [a["action"] for a in store.json("audit")]
    assert actions.count("addon-add") == 3 and actions.count("addon-remove") == 1


def test_R_ADDON_2_refusals_write_nothing(store, tmp_path):
    path = tmp_path / "eur.csv"  # a subscription billed in EUR on a product priced in USD
    path.write_text(
        "referenceId,first,last,email,language,country,region,postalCode,live,productPath,"
        "quantity,currency,listPrice,interval,intervalLength,nextChargeDate,endDate\n"
        "E-1,Eva,Euro,eva@example.com,en,DE,,,true,monthly-pro,1,EUR,27.00,month,1,"
        "2026-02-10,\n")
    store("import", path)
    store("cancel", "OLD-1003", "--now")
    before = dump(store)
    store.refused("addon", "add", "OLD-1001", "nope", match="does not offer the add-on 'nope'")
    store.refused("addon", "add", "E-1", "storage", match="the currencies differ")
    store.refused("addon", "add", "OLD-1001", "storage", "--quantity", "0",
                  match="quantity must be from 1")
    store.refused("addon", "add", "OLD-1003", "storage", match="deactivated")
    store.refused("addon", "remove", "OLD-1001", "storage", match="carries no add-on")
    store.refused("addon", "add", "NOPE", "storage", match="no subscription 'NOPE'")
    store("addon", "add", "OLD-1001", "storage", "--quantity", "abc", expect=2)
    assert dump(store) == before


def test_R_CHANGE_1_change_from_the_next_charge(store):
    out = store.json("change", "OLD-1001", "--next-charge-date", "2026-02-15", "--quantity",
                     "2")
    assert out["ok"] and out["charge"] is None
    assert "2026-01-31 30.00 USD -> 2026-02-15 60.00 USD" in out["message"]
    shown = store.json("subs", "show", "OLD-1001")
    assert (shown["next_charge_date"], shown["quantity"]) == ("2026-02-15", 2)
    store("change", "OLD-1001", "--end-date", "2026-06-30")
    assert store.json("subs", "show", "OLD-1001")["end_date"] == "2026-06-30"
    store("change", "OLD-1001", "--no-end-date")
    assert store.json("subs", "show", "OLD-1001")["end_date"] is None
    store("change", "OLD-1002", "--product", "weekly-box")
    moved = store.json("subs", "show", "OLD-1002")
    assert (moved["product"], moved["price"], moved["interval"]) == ("weekly-box", "9.99",
                                                                     "week")
    store("change", "OLD-1003", "--product", "weekly-box", "--price", "12.00")
    assert store.json("subs", "show", "OLD-1003")["price"] == "12.00"
    audit = [a for a in store.json("audit") if a["action"] == "change"]
    assert len(audit) == 5
    assert store.json("charges") == []
    emails = [n["template"] for n in store.json("notifications", "--sub", "OLD-1001")]
    assert emails.count("Subscription Updated") == 3


def test_R_CHANGE_1_refusals_write_nothing(store):
    store("cancel", "OLD-1003", "--now")
    before = dump(store)
    store.refused("change", "OLD-1001", "--next-charge-date", "2026-01-30",
                  match="must be after today (2026-01-30)")
    store.refused("change", "OLD-1001", "--end-date", "2026-01-29",
                  match="end date must be today")
    store.refused("change", "OLD-1001", "--product", "annual-team",
                  match="the currencies differ")
    store.refused("change", "OLD-1001", "--quantity", "0", match="quantity must be from 1")
    store.refused("change", "OLD-1003", "--quantity", "2", match="deactivated")
    store.refused("change", "OLD-1001", match="nothing to change")
    store.refused("change", "OLD-1006", "--next-charge-date", "2026-03-01",
                  match="no next charge date")
    store.refused("change", "OLD-1001", "--next-charge-date", "2300-01-01",
                  match="outside 2000-01-01 to 2199-12-31")
    store("change", "OLD-1001", "--end-date", "2026-03-01", "--no-end-date", expect=2)
    store("change", "OLD-1001", "--next-charge-date", "tomorrow", expect=2)
    assert dump(store) == before


def test_R_ACCOUNT_1_accounts_show(store):
    store("run-day")
    data = store.json("accounts", "show", "ada@example.com")
    assert set(data) == {"email", "first", "last", "subscriptions", "charges_total"}
    assert [s["reference_id"] for s in data["subscriptions"]] == ["OLD-1001"]
    sub = data["subscriptions"][0]
    assert {"state", "product", "amount", "next_charge_date"} <= set(sub)
    assert data["charges_total"] == [{"currency": "USD", "charged": "30.00",
                                      "refunded": "0.00", "total": "30.00"}]
    text = store("accounts", "show", "ADA@EXAMPLE.COM").stdout
    assert "OLD-1001" in text and "charged in all: 30.00 USD" in text
    store.refused("accounts", "show", "nobody@example.com", match="no account with the email")


def test_R_TRIAL_2_subs_list_repeat_trials(store, tmp_path):
    path = tmp_path / "again.csv"
    path.write_text(
        "referenceId,first,last,email,language,country,region,postalCode,live,productPath,"
        "quantity,currency,listPrice,interval,intervalLength,nextChargeDate,endDate,"
        "trialEndDate\n"
        "NEW-1,Ada,Lovelace,ada@example.com,en,GB,,,true,monthly-pro,1,USD,30.00,month,1,"
        "2026-02-10,,2026-02-09\n")
    store("import", path)
    found = store.json("subs", "list", "--repeat-trials")
    assert [s["reference_id"] for s in found] == ["NEW-1"]
    assert found[0]["repeat_trial"] is True and found[0]["state"] == "trial"
    assert store.json("subs", "show", "OLD-1001")["repeat_trial"] is False
    assert "repeat trial" in store("subs", "list", "--repeat-trials").stdout
    assert "repeat trial" in store("subs", "show", "NEW-1").stdout
    store("cancel", "NEW-1", "--now")
    assert store.json("subs", "list", "--repeat-trials") == []
