"""R-IMPORT-1, R-IMPORT-2, R-EXPORT-1."""

import csv
import io

import pytest

from opsconsole.errors import DomainError
from opsconsole.store.models import Event, Subscription
from opsconsole.transfer import exporter, form
from opsconsole.transfer.importer import import_file
from tests.conftest import d

GOOD = {"referenceId": "R1", "first": "Ada", "last": "Lovelace", "email": "ada@example.com",
        "language": "en", "country": "GB", "region": "", "postalCode": "", "live": "true",
        "productPath": "monthly", "quantity": "1", "currency": "USD", "listPrice": "30.00",
        "interval": "month", "intervalLength": "1", "nextChargeDate": "2026-02-15",
        "endDate": ""}


def write(tmp_path, rows, columns=None, name="subs.csv"):
    columns = columns or list(form.REQUIRED)
    path = tmp_path / name
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, columns, extrasaction="ignore")
        w.writeheader()
        for row in rows:
            w.writerow(row)
    return str(path)


def row(**changes):
    return {**GOOD, **changes}


def test_R_IMPORT_1_a_header_without_a_required_column_refuses_the_file(store, tmp_path):
    columns = [c for c in form.REQUIRED if c != "listPrice"]
    path = write(tmp_path, [row()], columns)
    with pytest.raises(DomainError, match="lacks the required column listPrice"):
        import_file(path)
    assert Subscription.select().count() == 0


def test_R_IMPORT_1_every_bad_row_is_rejected_with_all_its_reasons(store, tmp_path):
    rows = [row(referenceId="OK1"),
            row(referenceId="BAD", email="nope", language="eng", country="XX",
                productPath="missing", quantity="0", currency="ABC", listPrice="-1",
                interval="fortnight", intervalLength="x", nextChargeDate="2026-02-30"),
            row(referenceId="US1", country="US"),
            row(referenceId="", first=""),
            row(referenceId="OK2", interval="adhoc", nextChargeDate="")]
    report = import_file(write(tmp_path, rows))
    assert (report.imported, report.rejected, report.skipped) == (2, 3, 0)
    errors = {e["row"]: e for e in report.errors}
    assert set(errors) == {3, 4, 5}  # the header is row 1
    assert len(errors[3]["reasons"]) == 10
    assert "listPrice -1 is not a positive amount" in errors[3]["reasons"]
    assert errors[3]["reference_id"] == "BAD"
    assert any("region" in r for r in errors[4]["reasons"])
    assert any("postalCode" in r for r in errors[4]["reasons"])
    assert {"referenceId is blank", "first is blank"} <= set(errors[5]["reasons"])
    assert sorted(s.reference_id for s in Subscription.select()) == ["OK1", "OK2"]


def test_R_IMPORT_1_optional_columns_and_their_meaning(store, tmp_path):
    columns = list(form.COLUMNS)
    rows = [row(referenceId="T", trialEndDate="2026-02-14", beginDate="2026-01-15"),
            row(referenceId="PAST", trialEndDate="2026-01-20"),
            row(referenceId="COUNT", intervalCount="2"),
            row(referenceId="DISC", discountType="percent", discountValue="12.5",
                discountDuration="3"),
            row(referenceId="MAN", manualRenew="true"),
            row(referenceId="JPY", currency="JPY", listPrice="1500")]
    report = import_file(write(tmp_path, rows, columns))
    assert report.imported == 6, report.errors
    get = lambda ref: Subscription.get(Subscription.reference_id == ref)  # noqa: E731
    assert get("T").state == "trial" and get("T").begin_date == d("2026-01-15")
    assert get("PAST").state == "active"
    assert get("COUNT").rebills_left == 2
    assert (get("DISC").discount_value, get("DISC").discount_remaining) == (1250, 3)
    assert get("MAN").manual_renew and get("MAN").payment_method_id is None
    assert get("JPY").price == 1500
    store.run_until("2026-04-20")
    assert get("COUNT").state == "deactivated"  # two charges left, then it ended


def test_R_IMPORT_1_dry_run_validates_and_writes_nothing(store, tmp_path):
    report = import_file(write(tmp_path, [row(), row(referenceId="X", quantity="0")]),
                         dry_run=True)
    assert (report.imported, report.rejected) == (1, 1)
    assert Subscription.select().count() == 0 and Event.select().count() == 0


def test_R_IMPORT_1_payment_file_attaches_tokens(store, tmp_path):
    subs = write(tmp_path, [row(referenceId="A"), row(referenceId="B")])
    pay = tmp_path / "pay.csv"
    pay.write_text("referenceId,token,last4,expiry\nA,tok_visa,4242,12/28\n"
                   "ZZ,tok_visa,1111,01/29\n")
    report = import_file(subs, payments=str(pay))
    a = Subscription.get(Subscription.reference_id == "A")
    assert a.payment_method.token == "tok_visa" and a.payment_method.last4 == "4242"
    assert any("ZZ" in w for w in report.warnings)
    assert any("B has no payment token" in w for w in report.warnings)


def test_R_IMPORT_1_a_card_number_in_the_payment_file_refuses_it(store, tmp_path):
    subs = write(tmp_path, [row(referenceId="A")])
    pay = tmp_path / "pay.csv"
    pay.write_text("referenceId,token\nA,4111111111111111\n")
    with pytest.raises(DomainError, match="card number"):
        import_file(subs, payments=str(pay))
    assert Subscription.select().count() == 0


def test_R_IMPORT_2_reference_ids_are_unique(store, tmp_path):
    path = write(tmp_path, [row(referenceId="R1"), row(referenceId="R2"),
                            row(referenceId="R2")])
    first = import_file(path)
    assert (first.imported, first.rejected) == (2, 1)
    assert "also on row 3" in first.errors[0]["reasons"][0]
    again = import_file(write(tmp_path, [row(referenceId="R1"), row(referenceId="R3")],
                              name="again.csv"))
    assert (again.imported, again.skipped) == (1, 1)
    assert any("R1 is already in the store" in w for w in again.warnings)
    assert Subscription.select().count() == 3


def test_R_IMPORT_2_no_token_imports_with_a_warning_and_goes_overdue(store, tmp_path):
    report = import_file(write(tmp_path, [row(nextChargeDate="2026-01-31")]))
    assert report.imported == 1 and "no payment token" in report.warnings[0]
    store.run(1)
    assert Subscription.get().state == "overdue"


def test_R_EXPORT_1_same_columns_for_subscriptions_not_deactivated(store, tmp_path):
    import_file(write(tmp_path, [row(referenceId="KEEP"), row(referenceId="GONE"),
                                 row(referenceId="EVIL", first="=HYPERLINK(\"x\")",
                                     last="+1", email="-x@example.com")]))
    from opsconsole.billing import actions

    actions.cancel("GONE", now=True)
    out = io.StringIO()
    assert exporter.export(out) == 2
    lines = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(lines[0]) == form.COLUMNS
    records = [dict(zip(lines[0], line)) for line in lines[1:]]
    assert [r["referenceId"] for r in records] == ["KEEP", "EVIL"]
    evil = records[1]
    assert evil["first"] == "'=HYPERLINK(\"x\")" and evil["last"] == "'+1"
    assert evil["email"] == "'-x@example.com"
    assert records[0]["listPrice"] == "30.00" and records[0]["nextChargeDate"] == "2026-02-15"


def test_R_EXPORT_1_round_trips_through_import(store, tmp_path, make_store):
    rows = [row(referenceId="A", quantity="3"),
            row(referenceId="B", interval="adhoc", nextChargeDate="")]
    import_file(write(tmp_path, rows))
    out = io.StringIO()
    exporter.export(out)
    first = out.getvalue()
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "export.csv").write_text(first)
    from opsconsole import clock

    clock.init_store(str(copy / "other.db"), d("2026-01-30"))
    store.product("monthly", "month", "30.00")
    assert import_file(str(copy / "export.csv")).imported == 2
    again = io.StringIO()
    exporter.export(again)
    assert again.getvalue() == first


def test_R_IMPORT_1_a_form_feed_inside_a_cell_is_part_of_the_cell(store, tmp_path):
    """Found by fuzzing: str.splitlines() split one row in two at a form feed. It stays one
    row, rejected for its control character (R-INPUT-4)."""
    report = import_file(write(tmp_path, [row(referenceId="FF", first="Ada\x0cMarie")]))
    assert report.imported == 0 and report.rejected == 1
    assert report.errors == [{"row": 2, "reference_id": "FF",
                              "reasons": ["first holds a control character"]}]
    assert Subscription.select().count() == 0
