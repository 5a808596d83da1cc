"""Import fuzzing: every row is imported whole or rejected with its reasons; never a
traceback, never a partial row (R-IMPORT-1)."""

import csv
import datetime as dt
import io
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from opsconsole import clock
from opsconsole.billing import products
from opsconsole.errors import DomainError
from opsconsole.store import db as store_db
from opsconsole.store.models import Account, Event, PaymentMethod, Subscription
from opsconsole.transfer.form import COLUMNS, REQUIRED
from opsconsole.transfer.importer import import_file
from tests import engines

GOOD = {"referenceId": "G1", "first": "Ada", "last": "L", "email": "a@example.com",
        "language": "en", "country": "GB", "region": "", "postalCode": "", "live": "true",
        "productPath": "monthly", "quantity": "2", "currency": "USD", "listPrice": "30.00",
        "interval": "month", "intervalLength": "1", "nextChargeDate": "2026-02-15",
        "endDate": "", "discountType": "", "discountValue": "", "discountDuration": "",
        "beginDate": "", "trialEndDate": "", "intervalCount": "", "manualRenew": ""}

CHOICES = {
    "quantity": ["1", "3", "0", "-2", "x", "1.5", ""],
    "listPrice": ["30.00", "0.5", "1,00", "-1", "1e3", "NaN", "30.001", ""],
    "currency": ["USD", "JPY", "usd", "XXX", ""],
    "interval": ["month", "week", "adhoc", "fortnight", ""],
    "intervalLength": ["1", "0", "two", ""],
    "nextChargeDate": ["2026-02-15", "2026-02-30", "15/02/2026", ""],
    "endDate": ["", "2026-12-31", "soon"],
    "email": ["a@example.com", "nope", "", "é@exämple.com"],
    "country": ["GB", "US", "XX", "gb", ""],
    "language": ["en", "xx", "english", ""],
    "productPath": ["monthly", "missing", ""],
    "discountType": ["", "percent", "amount", "bogus"],
    "discountValue": ["", "10", "150", "-1", "abc"],
    "manualRenew": ["", "true", "maybe"],
    "trialEndDate": ["", "2026-02-14", "tomorrow"],
}
text = st.text(alphabet=string.printable + "éü€日本\u00a0", max_size=30)


def row_strategy():
    return st.fixed_dictionaries({c: st.one_of(st.sampled_from(CHOICES[c]), text)
                                  if c in CHOICES else st.one_of(st.just(GOOD.get(c, "")), text)
                                  for c in COLUMNS})


@pytest.fixture
def fresh(tmp_path_factory, engine):
    """A new store per example, on each engine."""
    def make():
        path = engines.target(engine, tmp_path_factory.mktemp("fuzz"))
        clock.init_store(str(path), dt.date(2026, 1, 30))  # before the rows' dates
        products.add("monthly", "M", "month", "30.00")
        return path
    yield make
    store_db.close_store()


def write(path, rows, columns=COLUMNS, extra=None):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for row in rows:
            cells = [row.get(c, "") for c in columns]
            w.writerow(cells + (extra or []))


def check_whole_or_rejected(report, rows):
    """Every data row is counted once; each imported row is whole; nothing else got in."""
    assert report.imported + report.rejected + report.skipped == len(rows)
    assert all(e["reasons"] for e in report.errors)
    subs = list(Subscription.select())
    assert len(subs) == report.imported
    for sub in subs:
        assert sub.account_id and sub.price > 0 and sub.quantity >= 1 and sub.currency
        assert Event.select().where(Event.subscription == sub,
                                    Event.type == "subscription.activated").count() == 1
    assert Account.select().count() <= report.imported
    assert PaymentMethod.select().count() <= report.imported


@settings(max_examples=40, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(row_strategy(), min_size=1, max_size=8))
def test_random_rows_are_whole_or_rejected(fresh, tmp_path_factory, rows):
    fresh()
    for i, row in enumerate(rows):
        if row["referenceId"].strip() == "":
            continue
        row["referenceId"] = f"{row['referenceId'][:10]}-{i}"  # duplicates tested elsewhere
    path = tmp_path_factory.mktemp("rows") / "subs.csv"
    write(path, rows)
    data_rows = [r for r in rows if any(str(v).strip() for v in r.values())]
    try:
        report = import_file(str(path))
    except DomainError:
        return  # a whole-file refusal (e.g. a cell that breaks the CSV) writes nothing
    check_whole_or_rejected(report, data_rows)
    json.dumps(report.as_dict())  # the report is always printable as JSON


def test_missing_and_extra_cells(fresh, tmp_path):
    fresh()
    path = tmp_path / "ragged.csv"
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerow([GOOD.get(c, "") for c in COLUMNS])
        w.writerow([GOOD.get(c, "") for c in COLUMNS][:5])  # too few cells
        w.writerow([GOOD.get(c, "") for c in COLUMNS] + ["surplus"])  # one too many
    report = import_file(str(path))
    assert (report.imported, report.rejected) == (1, 2)
    assert all(any("cells" in r for r in e["reasons"]) for e in report.errors)


def test_a_spreadsheet_bom_is_fine(fresh, tmp_path):
    fresh()
    path = tmp_path / "bom.csv"
    buffer = io.StringIO()
    w = csv.writer(buffer)
    w.writerow(REQUIRED)
    w.writerow([GOOD[c] for c in REQUIRED])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode())
    assert import_file(str(path)).imported == 1


def test_latin1_bytes_refuse_the_file_with_the_line(fresh, tmp_path):
    fresh()
    path = tmp_path / "latin1.csv"
    good = ",".join(GOOD[c] for c in REQUIRED)
    path.write_bytes((",".join(REQUIRED) + "\n" + good + "\n").encode() +
                     good.replace("Ada", "Jos\xe9").encode("latin-1") + b"\n")
    with pytest.raises(DomainError, match=r"not UTF-8 text \(line 3\)"):
        import_file(str(path))
    assert Subscription.select().count() == 0


def test_semicolons_are_refused_with_a_hint(fresh, tmp_path):
    fresh()
    path = tmp_path / "semi.csv"
    path.write_text(";".join(REQUIRED) + "\n" + ";".join(GOOD[c] for c in REQUIRED) + "\n")
    with pytest.raises(DomainError, match="separated by ';'"):
        import_file(str(path))


def test_a_10_mb_cell_rejects_its_row_only(fresh, tmp_path):
    fresh()
    path = tmp_path / "big.csv"
    huge = dict(GOOD, referenceId="HUGE", first="x" * 10_000_000)
    write(path, [GOOD, huge])
    report = import_file(str(path))
    assert (report.imported, report.rejected) == (1, 1)
    assert "longer than" in report.errors[0]["reasons"][0]


def test_empty_file_and_header_only(fresh, tmp_path):
    fresh()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(DomainError, match="empty"):
        import_file(str(empty))
    header = tmp_path / "header.csv"
    header.write_text(",".join(COLUMNS) + "\n")
    report = import_file(str(header))
    assert (report.imported, report.rejected, report.skipped) == (0, 0, 0)


def test_a_nul_byte_is_not_a_text_file(fresh, tmp_path):
    fresh()
    path = tmp_path / "nul.csv"
    path.write_bytes(b",".join(c.encode() for c in REQUIRED) + b"\n\x00\x00\n")
    with pytest.raises(DomainError, match="not a text file"):
        import_file(str(path))


def test_a_row_with_a_long_cell_and_a_control_character_names_both(fresh, tmp_path):
    """Cells are looked at one by one only when the row has something to find (R-INPUT-4):
    each bad cell is still named, in the file's order, and the good row beside it goes in."""
    fresh()
    path = tmp_path / "both.csv"
    bad = dict(GOOD, referenceId="BAD", first="x" * 10_000, last="Love\x07lace")
    write(path, [bad, GOOD])
    report = import_file(str(path))
    assert (report.imported, report.rejected) == (1, 1)
    assert report.errors[0]["reasons"][:2] == ["first is longer than 1000 characters",
                                               "last holds a control character"]
