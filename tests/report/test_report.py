"""The dashboard's figures (issue 16) against answers worked out by hand, on both engines."""

import datetime as dt
from collections import defaultdict

import pytest

from opsconsole.billing import actions, addons, daily, proration
from opsconsole.billing.money import format_amount
from opsconsole.cases import actions as cases
from opsconsole.errors import DomainError
from opsconsole.store import reports
from opsconsole.store.models import Case, Charge
from opsconsole.views import report
from tests.conftest import d
from tests.report.conftest import card_works


def _by_currency(cells: list[dict], field: str) -> dict[str, str]:
    return {c["currency"]: c[field] for c in cells}


def test_report_days_are_1_to_366(shop):
    for bad in (0, -1, 367):
        with pytest.raises(DomainError, match="--days is 1 to 366"):
            report.report(bad)
    assert report.report(366)["revenue"]["from"] == "2025-01-30"


# --- MRR and states -------------------------------------------------------------------------------

def test_R_MONEY_2_R_ADDON_3_mrr_is_each_paying_subscription_as_a_month(shop):
    s = shop
    on = "2026-02-10"
    s.sub("monthly", on, quantity=2)  # 60.00
    s.sub("weekly", on)  # 7.50 x 52 / 12 = 32.50
    s.sub("yearly", on)  # 300.00 / 12 = 25.00
    s.sub("daily", on)  # 1.00 x 365 / 12 = 30.41666...
    s.sub("quarterly", on, length=3)  # 90.00 / 3 = 30.00
    s.sub("monthly", on, price="9.99", discount_type="percent",
          discount_value=1500)  # 15% off 9.99 = 8.4915, rounded once: 8.49 (R-MONEY-2)
    with_addon = s.sub("monthly", on)
    addons.add(with_addon, "storage", operator="t")  # 30.00 + 4.95 = 34.95 (R-ADDON-3)
    s.sub("monthly", on, discount_type="amount", discount_value=500,
          discount_remaining=0)  # used up (R-DISC-1): 30.00
    overdue = s.sub("monthly", "2026-01-31", token="tok_chargeDeclined")  # still owed: 30.00
    paused = s.sub("monthly", "2026-01-31")
    actions.pause(paused, 1, operator="t")  # paused from 01-31: not counted
    s.sub("monthly", on, trial_end_date="2026-02-09")  # a trial: not counted
    s.sub("api", None)  # managed: not counted
    s.sub("eu", on)  # EUR 27.00
    gone = s.sub("monthly", on)
    actions.cancel(gone, now=True, operator="t")  # deactivated: not counted
    ending = s.sub("monthly", on)
    actions.cancel(ending, operator="t")  # pays until its cancel date: 30.00
    s.run(1)
    assert s.get(overdue).state == "overdue" and s.get(paused).state == "paused"
    figures = report.report()
    # 60 + 32.50 + 25 + 30.41666... + 30 + 8.49 + 34.95 + 30 + 30 + 30 = 311.35666...
    assert figures["mrr"] == [
        {"currency": "EUR", "amount": "27.00", "addons": "0.00", "subscriptions": 1},
        {"currency": "USD", "amount": "311.36", "addons": "4.95", "subscriptions": 10}]
    assert figures["states"] == {"trial": 1, "active": 11, "overdue": 1, "paused": 1,
                                 "deactivated": 1}


def test_mrr_of_an_empty_store_is_zero_in_its_currency(shop):
    figures = report.report()
    assert figures["mrr"] == [{"currency": "USD", "amount": "0.00", "addons": "0.00",
                               "subscriptions": 0}]
    assert figures["states"] == dict.fromkeys(("trial", "active", "overdue", "paused",
                                               "deactivated"), 0)


def test_monthly_shares():
    from fractions import Fraction

    assert report.monthly_share("week", 1) == Fraction(52, 12)
    assert report.monthly_share("week", 2) == Fraction(52, 24)
    assert report.monthly_share("year", 1) == Fraction(1, 12)
    assert report.monthly_share("day", 1) == Fraction(365, 12)
    assert report.monthly_share("month", 3) == Fraction(1, 3)


# --- revenue --------------------------------------------------------------------------------------

def test_R_CHARGE_2_R_PRORATE_3_revenue_per_day_is_completed_charges_minus_refunds(shop):
    s = shop
    a = s.sub("monthly", "2026-01-31")
    s.sub("weekly", "2026-02-01")
    s.sub("monthly", "2026-02-01", token="tok_chargeDeclined")  # failed: not revenue
    s.sub("eu", "2026-02-02")
    s.run_until("2026-02-02")
    # 02-02: period 01-31..02-28 (28 days), 26 left: credit 27.86, charge 13.93, net -13.93
    proration.confirm(a, price="15.00", operator="t")
    assert Charge.get(Charge.kind == "refund").amount == 1393
    figures = report.report(days=4)["revenue"]
    assert (figures["from"], figures["to"]) == ("2026-01-30", "2026-02-02")
    rows = {day["date"]: _by_currency(day["amounts"], "net") for day in figures["days"]}
    assert rows == {
        "2026-01-30": {"EUR": "0.00", "USD": "0.00"},
        "2026-01-31": {"EUR": "0.00", "USD": "30.00"},
        "2026-02-01": {"EUR": "0.00", "USD": "7.50"},
        "2026-02-02": {"EUR": "27.00", "USD": "-13.93"}}
    assert figures["totals"] == [
        {"currency": "EUR", "charged": "27.00", "refunded": "0.00", "net": "27.00"},
        {"currency": "USD", "charged": "37.50", "refunded": "13.93", "net": "23.57"}]
    # the day report's revenue (billing.daily.revenue) says the same, date by date
    for day in figures["days"]:
        said = {r["currency"]: r["amount"] for r in daily.revenue(d(day["date"]))}
        assert {c: v for c, v in _by_currency(day["amounts"], "net").items()
                if v != "0.00"} == {c: v for c, v in said.items() if v != "0.00"}


# --- the next 30 days' scheduled charges ----------------------------------------------------------

def _scheduled_shop(s):
    """One subscription for each rule the schedule follows; today is 2026-01-30."""
    addons.offer("intro", "storage", "2.00")
    s.sub("monthly", "2026-01-31")  # 01-31, then 02-28 (R-SCHED-2: clamped)
    s.sub("weekly", "2026-02-02")  # 02-02, 02-09, 02-16, 02-23
    cancelled = s.sub("monthly", "2026-02-05")
    actions.cancel(cancelled, operator="t")  # cancel date 02-05: no charge (R-CANCEL-3)
    paused = s.sub("monthly", "2026-02-01")
    actions.pause(paused, 1, operator="t")  # paused 02-01, charged on resuming 03-01
    s.sub("monthly", "2026-02-10", trial_end_date="2026-02-09")  # converts 02-10 (R-TRIAL-1)
    s.sub("weekly", "2026-02-04", end_date="2026-02-15")  # 02-04, 02-11; 02-18 is past its end
    s.sub("daily", "2026-02-25", discount_type="amount", discount_value=50,
          discount_remaining=2)  # 0.50, 0.50, then 1.00 (R-DISC-1)
    extra = s.sub("monthly", "2026-02-20")
    addons.add(extra, "storage", operator="t")  # 34.95 on 02-20 (R-ADDON-3)
    s.sub("intro", "2026-02-06", charges_left=1)  # 5.00, then monthly 30.00 on 02-13
    phased = s.sub("intro", "2026-02-07", charges_left=1)
    addons.add(phased, "storage", operator="t")  # 7.00, then 30.00 + 4.95 on 02-14 (R-SCHED-4)
    s.sub("monthly", "2026-02-03", manual_renew=True, token=None)  # the customer pays: left out
    s.sub("api", None)  # managed: left out
    s.sub("eu", "2026-02-14")  # EUR 27.00
    s.sub("yearly", "2026-06-01")  # beyond the 30 days
    s.sub("quarterly", "2026-02-27", length=3)  # 90.00
    s.sub("monthly", "2026-01-20")  # late: charged 01-31 and moved on to 02-20 (R-INPUT-2)


EXPECTED_USD = {  # date: (charges, amount, add-ons)
    "2026-01-31": (2, "60.00", "0.00"), "2026-02-02": (1, "7.50", "0.00"),
    "2026-02-04": (1, "7.50", "0.00"), "2026-02-06": (1, "5.00", "0.00"),
    "2026-02-07": (1, "7.00", "2.00"), "2026-02-09": (1, "7.50", "0.00"),
    "2026-02-10": (1, "30.00", "0.00"), "2026-02-11": (1, "7.50", "0.00"),
    "2026-02-13": (1, "30.00", "0.00"), "2026-02-14": (1, "34.95", "4.95"),
    "2026-02-16": (1, "7.50", "0.00"), "2026-02-20": (2, "64.95", "4.95"),
    "2026-02-23": (1, "7.50", "0.00"), "2026-02-25": (1, "0.50", "0.00"),
    "2026-02-26": (1, "0.50", "0.00"), "2026-02-27": (2, "91.00", "0.00"),
    "2026-02-28": (2, "31.00", "0.00"), "2026-03-01": (2, "31.00", "0.00"),
}


def test_R_SCHED_2_R_PAUSE_6_the_next_30_days_scheduled_charges(shop):
    _scheduled_shop(shop)
    figures = report.report()["scheduled"]
    assert (figures["from"], figures["to"]) == ("2026-01-31", "2026-03-01")
    assert len(figures["days"]) == 30
    got = {}
    for day in figures["days"]:
        usd = {c["currency"]: c for c in day["amounts"]}["USD"]
        eur = {c["currency"]: c for c in day["amounts"]}["EUR"]
        if usd["amount"] != "0.00":
            got[day["date"]] = (day["charges"] - (eur["amount"] != "0.00"), usd["amount"],
                                usd["addons"])
        if eur["amount"] != "0.00":
            assert (day["date"], eur["amount"]) == ("2026-02-14", "27.00")
    assert got == EXPECTED_USD
    assert figures["charges"] == 24
    assert figures["totals"] == [{"currency": "EUR", "amount": "27.00", "addons": "0.00"},
                                 {"currency": "USD", "amount": "430.90", "addons": "11.90"}]


def test_R_CHARGE_1_the_schedule_is_what_run_day_then_charges(shop):
    """Every charge approved, the 30 days run for real charge what the report foresaw, date by
    date and currency by currency."""
    _scheduled_shop(shop)
    foreseen = report.report()["scheduled"]
    shop.run(30)
    charged: dict = defaultdict(int)
    for row in Charge.select().where(Charge.status == "completed"):
        charged[(row.date.isoformat(), row.currency)] += row.amount
    for day in foreseen["days"]:
        for cell in day["amounts"]:
            assert format_amount(charged[(day["date"], cell["currency"])],
                                 cell["currency"]) == cell["amount"], day["date"]
    assert Charge.select().where(Charge.status == "completed").count() == foreseen["charges"]


def test_declines_are_not_predicted_and_overdue_ones_are_left_out(shop):
    s = shop
    late = s.sub("monthly", "2026-01-31", token="tok_chargeDeclined")
    before = report.report()["scheduled"]
    assert before["charges"] == 2  # 01-31 and 02-28: not predicted to decline
    s.run(1)
    assert s.get(late).state == "overdue"
    assert report.report()["scheduled"]["charges"] == 0  # dunning collects it, not the schedule


# --- the dunning funnel ---------------------------------------------------------------------------

def test_R_DUN_2_R_DUN_5_the_dunning_funnel_of_the_last_days(shop):
    s = shop
    declining = "tok_chargeDeclined"
    r1, r3, r5, new_card, retried, paid, early, lost = (
        s.sub("monthly", "2026-01-31", token=declining) for _ in range(8))
    s.sub("eu", "2026-01-31", token=declining)  # EUR: declined, then deactivated
    still = s.sub("monthly", "2026-02-05", token=declining)
    s.run(1)  # 01-31: day 0 for all but `still`
    card_works(r1)
    card_works(early)
    s.run(1)  # 02-01: day 1: r1 and early collected by the daily retry
    actions.set_payment(early, "tok_visa", operator="t")  # not overdue any more: no charge
    s.run(1)  # 02-02: day 2
    actions.set_payment(new_card, "tok_visa", operator="t")  # R-DUN-5: charged at once
    card_works(retried)
    actions.charge(retried, operator="t")  # R-CHARGE-3: retry now
    actions.manual_renew(paid, operator="t")
    actions.pay(paid, "tok_visa", operator="t")  # R-MANUAL-1: the customer pays
    card_works(r3)
    s.run(2)  # 02-03: day 3, r3 collected; 02-04
    card_works(r5)
    s.run_until("2026-02-07")  # 02-05: day 5, r5 collected; `still` declines; 02-07: day 7
    assert s.get(lost).state == "deactivated" and s.get(still).state == "overdue"
    funnel = report.report(days=8)["dunning"]
    assert (funnel["from"], funnel["to"]) == ("2026-01-31", "2026-02-07")
    eur, usd = funnel["currencies"]
    assert usd == {
        "currency": "USD",
        "declined": {"count": 9, "amount": "270.00"},
        "recovered": {"count": 7, "amount": "210.00",
                      "retry_days": [{"day": 1, "count": 2, "amount": "60.00"},
                                     {"day": 3, "count": 1, "amount": "30.00"},
                                     {"day": 5, "count": 1, "amount": "30.00"}],
                      "new_payment_method": {"count": 1, "amount": "30.00"},
                      "retry_now": {"count": 1, "amount": "30.00"},
                      "paid": {"count": 1, "amount": "30.00"}},
        "deactivated": {"count": 1, "amount": "30.00"},
        "open": {"count": 1, "amount": "30.00"}}
    assert eur["declined"] == {"count": 1, "amount": "27.00"}
    assert eur["deactivated"] == {"count": 1, "amount": "27.00"}
    assert eur["recovered"]["count"] == 0
    # the last 2 days began no dunning
    assert report.report(days=2)["dunning"]["currencies"] == []
    assert report.report(days=3)["dunning"]["currencies"][0]["declined"]["count"] == 1


# --- support cases --------------------------------------------------------------------------------

def test_R_CASE_3_open_cases_by_severity_and_past_a_target(shop):
    s = shop
    everything = "severity,breadth,urgency,visibility"
    cases.open_case("Down", "API", qualify=everything)  # Highest: reply due 01:00
    cases.open_case("Slow", "API", qualify="severity,breadth,urgency")  # High: 04:00
    cases.open_case("Odd", "API", qualify="urgency")  # Medium: 12:00
    cases.open_case("Idea", "API")  # Low: reply due 01-31 00:00, not past at 00:00
    answered = cases.open_case("Answered", "API", qualify="urgency")
    cases.add_note(answered["id"], "On it", operator="t")  # Medium: update in 5 business days
    waiting = cases.open_case("Waiting", "API", qualify="urgency")
    cases.set_status(waiting["id"], "Pending Closure", operator="t")  # no target runs
    closed = cases.open_case("Done", "API", qualify="urgency")
    cases.set_status(closed["id"], "Closed", operator="t")
    s.run(1)  # the store's clock: 2026-01-31 00:00
    figures = report.report()["cases"]
    assert figures == {"open": 6, "past_target": 3, "by_severity": [
        {"severity": 0, "name": "Highest", "open": 1, "past_target": 1},
        {"severity": 1, "name": "High", "open": 1, "past_target": 1},
        {"severity": 2, "name": "Medium", "open": 3, "past_target": 1},
        {"severity": 3, "name": "Low", "open": 1, "past_target": 0}]}
    # the case list's own word for it (cases.model.breached) counts the same
    from opsconsole.cases import model

    now = dt.datetime(2026, 1, 31)
    assert sum(model.breached(c, now) for c in Case.select()) == 3
    assert [c.id for c in reports.cases_past_target(now)] == [1, 2, 3]
