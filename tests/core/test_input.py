"""Bad and hostile input through the core (SPEC section 9b, R-INPUT-*)."""

import csv
import json

import pytest

from opsconsole.billing import actions, bulk, charging, limits, products, proration
from opsconsole.billing.actions import looks_like_card_number
from opsconsole.cases import actions as cases
from opsconsole.errors import DomainError
from opsconsole.store.models import Audit, Charge, Event, Notification, Subscription
from opsconsole.transfer.form import COLUMNS
from opsconsole.transfer.importer import import_file
from tests.conftest import d


def counts() -> tuple:
    return tuple(m.select().count() for m in (Subscription, Charge, Event, Notification, Audit))


def refused(match: str, call, *args, **kw) -> None:
    """Refused with `match` in the message, and nothing written, audit rows included."""
    before = counts()
    with pytest.raises(DomainError, match=match):
        call(*args, **kw)
    assert counts() == before


def form(tmp_path, rows: list[dict], name="subs.csv"):
    base = {"referenceId": "R-1", "first": "Ada", "last": "Lovelace", "email": "ada@example.com",
            "language": "en", "country": "GB", "region": "", "postalCode": "", "live": "true",
            "productPath": "monthly", "quantity": "1", "currency": "USD", "listPrice": "30.00",
            "interval": "month", "intervalLength": "1", "nextChargeDate": "2026-02-15",
            "endDate": ""}
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({**base, **row})
    return str(path)


# --- R-INPUT-1: limits ----------------------------------------------------------------------

@pytest.mark.parametrize("interval,length,ok", [
    ("day", 365, True), ("day", 366, False), ("week", 52, True), ("week", 53, False),
    ("month", 12, True), ("month", 13, False), ("year", 10, True), ("year", 11, False),
    ("month", 100000000, False), ("month", 0, False)])
def test_R_INPUT_1_interval_lengths_have_limits_per_unit(store, interval, length, ok):
    call = lambda: store.product(f"p-{interval}-{length}", interval, "5.00",  # noqa: E731
                                 length=length)
    if ok:
        assert call()["length"] == length
    else:
        refused(f"an interval of {interval}s is 1 to", call)


@pytest.mark.parametrize("price,match", [
    ("1e309", "far too large"), ("1000000.01", "above the limit of 1,000,000 USD"),
    ("0", "more than zero"), ("-5", "more than zero"), ("0.001", "more than 2 decimal places"),
    ("NaN", "not a number"), ("Infinity", "not a number"), ("1e-40", "decimal places")])
def test_R_INPUT_1_prices_are_finite_positive_and_at_most_a_million(store, price, match):
    refused(match, store.product, "p2", "month", price)


def test_R_INPUT_1_a_million_itself_is_a_price_and_the_limit_follows_the_currency(store):
    assert store.product("big", "year", "1000000")["price"] == "1000000.00"
    assert store.product("yen", "year", "1000000", currency="JPY")["price"] == "1000000"
    refused("above the limit of 1,000,000 JPY", store.product, "yen2", "year", "1000001",
            currency="JPY")


def test_R_INPUT_1_prorate_quantity_and_price_have_limits(store):
    sub = store.sub(next_charge="2026-02-15", begin_date="2026-01-15")
    refused("quantity must be from 1 to 10,000, not 999999999999", proration.confirm, sub,
            quantity=999999999999, operator="t")
    refused("quantity must be from 1 to 10,000", proration.review, sub, quantity=0)
    refused("far too large", proration.confirm, sub, price="1e309", operator="t")
    refused("above the limit", proration.confirm, sub, price="1000000.01", operator="t")


def test_R_INPUT_1_no_charge_above_a_million_is_ever_made(store):
    """10,000 x 1,000,000 is within each limit alone; the charge itself is refused."""
    store.product("big", "month", "1000000")
    sub = store.sub("big", next_charge="2026-02-15", begin_date="2026-01-15")
    # 16 of 31 days left at 3 x 1,000,000 instead of 1 x: a net of 1,032,258.06
    refused("above the limit of 1,000,000 USD; nothing charged", proration.confirm, sub,
            quantity=3, operator="t")
    assert Charge.select().count() == 0


def test_R_INPUT_1_a_rebill_above_the_limit_is_set_aside_not_charged(store):
    store.product("big", "month", "1000000")
    sub = store.sub("big", next_charge="2026-01-31", quantity=3)
    other = store.sub(next_charge="2026-01-31")
    report = store.run(1)
    assert store.charges(sub) == []
    assert store.charges(other) == [("2026-01-31", "rebill", 3000, "completed")]
    assert [s["subscription"] for s in report[0]["set_aside"]] == [sub]


@pytest.mark.parametrize("percent,ok", [("-100", False), ("-99", True), ("1000", True),
                                        ("1000.01", False), ("1e309", False),
                                        ("-101", False)])
def test_R_INPUT_1_bulk_percent_from_minus_100_to_1000(store, percent, ok):
    store.sub(next_charge="2026-02-15")
    if ok:
        assert bulk.plan("monthly", percent=percent).rows
    else:
        refused("percent must be from -100 to 1000|far too large|to zero", bulk.plan, "monthly",
                percent=percent)


def test_R_INPUT_1_bulk_never_prices_above_the_limit(store):
    store.product("big", "month", "500000")
    store.sub("big", next_charge="2026-02-15")
    refused("above the limit", bulk.apply, "big", percent="200", operator="t")


def test_R_INPUT_1_settings_and_counts_have_limits(store):
    refused("trial days must be from 0 to 365", store.product, "t1", trial_days=10**9)
    refused("rebills must be from 1 to 10,000", store.product, "t2", rebills=10**9)
    refused("reminder days must be from 0 to 365", products.update, "monthly",
            reminder_days=10**9)
    refused("deactivate-after days must be from 1 to 365", products.update, "monthly",
            deactivate_after_days=0)


def test_R_INPUT_1_run_day_at_most_3660_days_and_dates_in_range(store):
    refused("at most 3,660 days", store.run, 3661)
    refused("outside 2000-01-01 to 2199-12-31", store.run_until, "2200-01-01")
    assert limits.date(d("2199-12-31")) == d("2199-12-31")


def test_R_INPUT_1_import_rows_meet_the_same_limits(store, tmp_path):
    store.product("weekly", "week", "5.00")
    report = import_file(form(tmp_path, [
        {"referenceId": "A", "intervalLength": "100000000"},
        {"referenceId": "B", "quantity": "10001"},
        {"referenceId": "C", "listPrice": "1e309"},
        {"referenceId": "D", "listPrice": "2000000"},
        {"referenceId": "E", "nextChargeDate": "2300-01-01"},
        {"referenceId": "F", "productPath": "weekly", "interval": "week",
         "intervalLength": "53"},
        {"referenceId": "G", "intervalCount": "99999999"},
        {"referenceId": "OK"}]))
    reasons = {e["reference_id"]: " ".join(e["reasons"]) for e in report.errors}
    assert report.imported == 1
    assert "an interval of months is 1 to 12 long, not 100000000" in reasons["A"]
    assert "quantity must be from 1 to 10,000" in reasons["B"]
    assert "far too large" in reasons["C"]
    assert "above the limit of 1,000,000 USD" in reasons["D"]
    assert "outside 2000-01-01 to 2199-12-31" in reasons["E"]
    assert "an interval of weeks is 1 to 52" in reasons["F"]
    assert "intervalCount must be from 1 to 10,000" in reasons["G"]


# --- R-INPUT-2: import dates, and no catching up ---------------------------------------------

def test_R_INPUT_2_import_refuses_dates_in_the_stores_past(make_store, tmp_path):
    s = make_store("2026-02-20")
    s.product("monthly", "month", "30.00")
    report = import_file(form(tmp_path, [
        {"referenceId": "PAST", "nextChargeDate": "2026-01-01"},
        {"referenceId": "ENDED", "nextChargeDate": "2026-03-01", "endDate": "2026-02-19"},
        {"referenceId": "BEGIN", "nextChargeDate": "2026-03-01", "beginDate": "2026-03-02"},
        {"referenceId": "TODAY", "nextChargeDate": "2026-02-20", "endDate": "2026-02-20"}]))
    reasons = {e["reference_id"]: e["reasons"] for e in report.errors}
    assert reasons == {
        "PAST": ["nextChargeDate 2026-01-01 is before the store's date 2026-02-20"],
        "ENDED": ["endDate 2026-02-19 is before the store's date 2026-02-20"],
        "BEGIN": ["beginDate 2026-03-02 is after nextChargeDate 2026-03-01"]}
    assert report.imported == 1


def test_R_INPUT_2_a_late_charge_never_catches_up_missed_periods(make_store):
    """A daily subscription collected on retry day 3 is charged once, and its next date is
    after today: the two missed days are not billed."""
    s = make_store("2026-01-30")
    s.product("daily", "day", "1.00")
    sub = s.sub("daily", next_charge="2026-01-31", token="tok_chargeDeclined")
    s.run(1)  # declined on 01-31: overdue
    actions.set_payment(sub, "tok_visa", operator="t")  # collected at once, on 01-31
    row = s.get(sub)
    assert row.next_charge_date == d("2026-02-01")
    s.run(3)
    assert [c for c in s.charges(sub) if c[3] == "completed"] == [
        ("2026-01-31", "retry", 100, "completed"), ("2026-02-01", "rebill", 100, "completed"),
        ("2026-02-02", "rebill", 100, "completed"), ("2026-02-03", "rebill", 100, "completed")]


def test_R_INPUT_2_renewal_moves_past_today_without_another_charge(make_store):
    s = make_store("2026-02-20")
    s.product("daily", "day", "1.00")
    sub = s.sub("daily", next_charge="2026-02-21", token="tok_chargeDeclined")
    s.run(1)  # declined 02-21
    s.run(2)  # 02-22 retry day 1 declines; 02-23 nothing
    actions.set_payment(sub, "tok_visa", operator="t")  # paid on 02-23 for 02-21
    assert s.get(sub).next_charge_date == d("2026-02-24")
    assert [c[1:] for c in s.charges(sub) if c[3] == "completed"] == [
        ("retry", 100, "completed")]
    assert charging.next_after(d("2026-01-31"), "month", 1, d("2026-03-28")) == d("2026-04-28")


# --- R-INPUT-3: one subscription never stops a day -------------------------------------------

def test_R_INPUT_3_a_broken_row_is_set_aside_and_the_day_goes_on(store):
    broken = store.sub(next_charge="2026-01-31")
    others = [store.sub(next_charge="2026-01-31") for _ in range(3)]
    Subscription.update(interval_length=100000000).where(Subscription.id == broken).execute()
    report = store.run(1)
    assert report[0]["counts"]["charged"] == 3
    assert [s["subscription"] for s in report[0]["set_aside"]] == [broken]
    assert report[0]["set_aside"][0]["error"] == (
        "it holds interval_length 100000000, which must be a length its interval unit allows")
    assert store.charges(broken) == [] and store.events(broken) == ["subscription.activated"]
    for sub in others:
        assert store.charges(sub) == [("2026-01-31", "rebill", 3000, "completed")]
    audit = Audit.get(Audit.action == "set-aside")
    assert audit.subscription_id == broken and audit.operator == "run-day"
    assert json.loads(audit.detail)["date"] == "2026-01-31"
    # mended, it is tried again on the next run and charged once
    Subscription.update(interval_length=1).where(Subscription.id == broken).execute()
    report = store.run(1)
    assert report[0]["set_aside"] == []
    assert store.charges(broken) == [("2026-02-01", "rebill", 3000, "completed")]
    assert store.get(broken).next_charge_date == d("2026-02-28")


def test_R_INPUT_3_set_aside_on_the_plain_path_too(store, monkeypatch):
    from opsconsole.billing import daily

    monkeypatch.setattr(daily, "BATCHED", False)
    broken = store.sub(next_charge="2026-01-31")
    fine = store.sub(next_charge="2026-01-31")
    Subscription.update(interval_unit="fortnight").where(Subscription.id == broken).execute()
    report = store.run(2)
    assert [s["subscription"] for s in report[0]["set_aside"]] == [broken]
    assert [s["subscription"] for s in report[1]["set_aside"]] == [broken]  # tried again
    assert store.charges(fine) == [("2026-01-31", "rebill", 3000, "completed")]
    assert store.today() == d("2026-02-01")


# --- R-INPUT-4: control characters ----------------------------------------------------------

@pytest.mark.parametrize("bad", ["a\nb", "a\x07", "\x1b[31mred", "a\u202eb", "a\rb", "a\x00"])
def test_R_INPUT_4_control_characters_are_refused_in_names_and_subjects(store, bad):
    refused("control character", store.product, "p9", name=bad)
    refused("control character", cases.open_case, bad, "API", operator="t")
    refused("control character", cases.open_case, "ok", "API", order=bad, descriptor="x",
            operator="t")


def test_R_INPUT_4_long_texts_keep_tabs_and_newlines_only(store):
    shown = cases.open_case("Subject", "API", description="line 1\n\tline 2", operator="t")
    refused("control character", cases.add_note, shown["id"], "a\x1b[2Jb", operator="t")
    assert cases.add_note(shown["id"], "two\nlines", operator="t")


def test_R_INPUT_4_an_import_row_with_a_control_character_is_rejected(store, tmp_path):
    report = import_file(form(tmp_path, [{"referenceId": "BEL", "last": "Ring\x07"},
                                         {"referenceId": "ESC", "email": "a\x1b@example.com"}]))
    assert report.imported == 0
    assert [e["reasons"] for e in report.errors] == [["last holds a control character"],
                                                     ["email holds a control character"]]


# --- R-INPUT-7: card numbers however dressed -------------------------------------------------

@pytest.mark.parametrize("value", [
    "4242424242424242", "4242 4242 4242 4242", "4242-4242-4242-4242", "4242.4242.4242.4242",
    "4242/4242/4242/4242", "4242_4242_4242_4242", "card:4242424242424242",
    "tok_x 4242424242424242", "４２４２４２４２４２４２４２４２", "5555555555554444",
    "378282246310005", "4222222222222", "4222-2222-2222-2"])
def test_R_INPUT_7_card_numbers_are_refused_however_dressed(store, value):
    assert looks_like_card_number(value)
    sub = store.sub(next_charge="2026-02-15")
    refused("looks like a card number", actions.set_payment, sub, value, operator="t")


@pytest.mark.parametrize("value", ["tok_visa", "tok_4242", "4242424242424241",
                                   "pm_1234567890", "tok_12345678901234567890123"])
def test_R_INPUT_7_tokens_pass(value):
    assert not looks_like_card_number(value)


# --- R-INPUT-9: a refusal writes nothing ----------------------------------------------------

def test_R_INPUT_9_an_import_of_nothing_writes_no_audit_row(store, tmp_path):
    before = counts()
    report = import_file(form(tmp_path, [{"referenceId": "X", "quantity": "0"}]))
    assert report.imported == 0 and report.rejected == 1
    assert counts() == before


def test_R_INPUT_9_a_managed_charge_without_a_payment_method_is_refused(store):
    store.product("api", "adhoc", "5.00")
    sub = store.sub("api", next_charge=None, token=None)
    refused("has no payment method", actions.charge, sub, operator="t")
    refused("has no payment method", actions.preview_charge, sub)


def test_R_INPUT_9_product_set_with_nothing_to_change_is_refused(store):
    refused("nothing to change", products.update, "monthly", operator="t")


# --- R-INPUT-8: one customer per email ------------------------------------------------------

def test_R_INPUT_8_same_email_another_name_joins_that_customer_with_a_warning(store, tmp_path):
    report = import_file(form(tmp_path, [
        {"referenceId": "A1"},
        {"referenceId": "A2", "first": "Augusta", "last": "King"}]))
    assert report.imported == 2
    first, second = Subscription.select().order_by(Subscription.id)
    assert first.account_id == second.account_id
    assert second.account.first == "Ada"
    assert ("row 3: ada@example.com is already Ada Lovelace's address; A2 is added to that "
            "customer, not as Augusta King") in report.warnings
