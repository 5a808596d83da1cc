"""R-INPUT-5: search matches the typed text literally (`%`, `_` and `\\` are ordinary
characters) and ignores case for every alphabet, through the indexes and in the plain
definition alike, on a new store and on one upgraded from an earlier schema."""

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from opsconsole.store import db as store_db, queries
from opsconsole.store.models import Account, Subscription, database, fold
from tests import engines
from tests.core.test_listing import listed, paged, plain

STORES = Path(__file__).resolve().parents[1] / "stores"

# (reference, email, first, last): what the tests look for, and near misses beside it
PEOPLE = [
    ("JD-1", "john_doe@example.com", "John", "Doe"),
    ("JX-1", "johnxdoe@example.com", "Johnny", "Xdoe"),  # `_` as a wildcard would find this
    ("%OFF-1", "pct@example.com", "Percy", "Cent"),
    ("OFF-2", "off@example.com", "100%", "Sure"),
    ("A\\B-7", "back\\slash@example.com", "Bo", "Slash"),
    ("AB-7", "ab@example.com", "Abe", "Bee"),
    ("FR-1", "e.durand@example.com", "Élodie", "Durand"),
    ("ES-1", "jg@example.com", "José", "Gómez"),
    ("GR-1", "sofia@example.com", "Σοφία", "Παπαδοπούλου"),
    ("RU-1", "ivan@example.com", "Иван", "Петров"),
    ("DE-1", "strasse@example.com", "Hans", "Straße"),
]


def make(path: Path) -> dict[str, int]:
    """A store of PEOPLE, through signup (the path import and the console use)."""
    from opsconsole import clock
    from opsconsole.billing import products, signup
    from opsconsole.store import context
    from opsconsole.store.models import Product

    clock.init_store(str(path), dt.date(2026, 1, 30))
    products.add("monthly", "Monthly", "month", "30.00")
    ids = {}
    with database.atomic():
        for i, (ref, email, first, last) in enumerate(PEOPLE):
            sub = signup.create(context.current("test"), signup.NewSubscription(
                product=Product.get(Product.path == "monthly"), email=email, first=first,
                last=last, currency="USD", price=3000, interval_unit="month",
                reference_id=ref, next_charge_date=dt.date(2026, 2, 1 + i)))
            ids[ref] = sub.id
    return ids


@pytest.fixture(scope="module", params=engines.ENGINES)
def people_engine(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def people_store(people_engine, tmp_path_factory):
    """On both engines (R-INPUT-5): the folds and ranges must find the same rows."""
    path = engines.target(people_engine, tmp_path_factory.mktemp("search"))
    ids = make(path)
    store_db.close_store()
    return path, ids


@pytest.fixture
def people(people_store):
    """PEOPLE's store, bound for this test (other tests here bind stores of their own)."""
    path, ids = people_store
    store_db.open_store(str(path))
    yield ids
    store_db.close_store()


def found(text: str, cap: int | None = None) -> list[int]:
    """What every path finds, checked to agree: the plain definition, the command line's list,
    the console's pages both ways and its count."""
    want = plain(search=text)
    assert listed(search=text) == want, text
    assert paged(search=text) == want, text
    assert paged(search=text, backwards=True) == want, text
    assert queries.count_subscriptions(search=text) in (len(want), None), text
    return want


@pytest.fixture(params=["narrow", "broad"])
def cap(request, monkeypatch):
    """Both search paths: found through the indexes, and read in list order, filtered."""
    if request.param == "broad":
        monkeypatch.setattr(queries, "SEARCH_CAP", 0)


def test_r_input_5_percent_is_an_ordinary_character(people, cap):
    assert found("%") == [people["%OFF-1"]]  # not everything: only what starts with a %
    assert found("%off") == [people["%OFF-1"]]
    assert found("100%") == [people["OFF-2"]]
    assert found("100% s") == [people["OFF-2"]]
    assert found("1%") == []


def test_r_input_5_underscore_is_an_ordinary_character(people, cap):
    assert found("john_doe") == [people["JD-1"]]  # and not johnxdoe
    assert found("JOHN_") == [people["JD-1"]]
    assert found("_") == []
    assert found("j_") == []


def test_r_input_5_backslash_is_an_ordinary_character(people, cap):
    assert found("a\\b") == [people["A\\B-7"]]  # and not AB-7
    assert found("A\\") == [people["A\\B-7"]]
    assert found("back\\slash@") == [people["A\\B-7"]]
    assert found("\\") == []
    assert found("ab") == [people["AB-7"]]


def test_r_input_5_case_is_ignored_in_every_alphabet(people, cap):
    assert found("élodie") == [people["FR-1"]]
    assert found("ÉLO") == [people["FR-1"]]
    assert found("GÓMEZ") == [people["ES-1"]]
    assert found("josé gó") == [people["ES-1"]]
    assert found("ΣΟΦΊΑ") == [people["GR-1"]]
    assert found("σοφία παπα") == [people["GR-1"]]
    assert found("ИВАН") == [people["RU-1"]]
    assert found("петров") == [people["RU-1"]]
    assert found("STRASSE") == [people["DE-1"]]  # ß folds to ss
    assert found("hans straß") == [people["DE-1"]]
    assert found("Fr-1") == [people["FR-1"]]
    assert found("JOHN_DOE@EXAMPLE") == [people["JD-1"]]


def test_r_input_5_search_is_still_a_start_or_an_id(people, cap):
    assert found("ohn") == []  # the middle of a name or an email never matches
    assert found("JOHN") == sorted([people["JD-1"], people["JX-1"]],
                                   key=lambda i: Subscription.get_by_id(i).next_charge_date)
    assert found(str(people["GR-1"])) == [people["GR-1"]]
    assert found("²") == []  # a digit to str.isdigit, not an ID
    assert found("\udcff") == []  # an undecodable byte from a command line: no match, no error


def test_r_input_5_every_written_row_has_its_folds(people):
    for account in Account.select():
        assert (account.email_fold, account.first_fold, account.last_fold) == (
            fold(account.email), fold(account.first), fold(account.last))
    for sub in Subscription.select():
        assert sub.reference_fold == fold(sub.reference_id)


def test_r_input_5_imported_rows_have_their_folds(new_target, tmp_path):
    """The import writes its rows in batches (store/batch), not through save()."""
    from tests.reliability import storegen

    target = new_target()
    storegen.build(target, 30, folder=tmp_path)
    store_db.open_store(target)
    try:
        assert Account.select().where(Account.email_fold.is_null()).count() == 0
        for account in Account.select():
            assert (account.email_fold, account.first_fold, account.last_fold) == (
                fold(account.email), fold(account.first), fold(account.last))
        for sub in Subscription.select():
            assert sub.reference_fold == fold(sub.reference_id)
        assert found("C17@") == [Subscription.get(Subscription.reference_id == "R17").id]
    finally:
        store_db.close_store()


def test_r_input_5_search_reads_indexes_not_the_store(people, people_engine):
    """A narrow search is a few index ranges: no table is scanned for it. (SQLite's plan:
    PostgreSQL's planner rightly scans a table of a dozen rows.)"""
    if people_engine != "sqlite":
        pytest.skip("PostgreSQL plans a tiny table as a scan")
    for text in ("john_doe", "élodie", "josé gó", "hans straß", "12"):
        for sql, params in (queries.search_sql(text), queries.broad_sql(text)):
            plan = database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            details = [row[-1] for row in plan]
            # a scan of a table, not of a count's own subquery (b0, b1, …) or its one row
            scans = [d for d in details if d.startswith("SCAN")
                     and not re.fullmatch(r"SCAN (CONSTANT ROW|b\d+)", d)]
            assert not scans, (text, details)


def test_r_input_5_the_command_line_searches_literally(new_target):
    from tests.cli.conftest import Cli

    path = new_target()
    make(path)
    store_db.close_store()
    cli = Cli(path)

    def refs(text):
        return [s["reference_id"] for s in cli.json("subs", "list", "--search", text)]

    assert refs("john_doe") == ["JD-1"]
    assert refs("%") == ["%OFF-1"]
    assert refs("GÓMEZ") == ["ES-1"]


@pytest.mark.parametrize("saved", sorted(STORES.glob("store-v[123].db")), ids=lambda p: p.stem)
def test_r_input_5_an_upgraded_store_finds_by_folded_prefix(saved, tmp_path):
    copy = tmp_path / saved.name
    shutil.copy(saved, copy)
    store_db.open_store(str(copy))
    try:
        for account in Account.select():
            assert (account.email_fold, account.first_fold, account.last_fold) == (
                fold(account.email), fold(account.first), fold(account.last))
        for sub in Subscription.select():
            assert sub.reference_fold == fold(sub.reference_id)
        indexes = {i.name for t in ("account", "subscription") for i in database.get_indexes(t)}
        assert not {i for i in indexes if i.endswith("_nocase")}
        grace = Subscription.get(Subscription.reference_id == "OLD-1002").id
        for text in ("old-1002", "GRACE@", "grace HOP", "HOPPER", "Gra"):
            assert found(text) == [grace], text
        assert found("old_1002") == []  # `_` is not a wildcard on an upgraded store either
    finally:
        store_db.close_store()
