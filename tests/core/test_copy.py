"""R-DB-4: `copy SRC DST` moves a whole store between engines, row for row."""

import itertools

import pytest

from opsconsole import clock, demo
from opsconsole.errors import DomainError
from opsconsole.store import db as store_db
from opsconsole.store.copying import copy_store
from opsconsole.store.models import TABLES, Charge
from tests import engines
from tests.cli.conftest import Cli

PAIRS = list(itertools.product(engines.ENGINES, repeat=2))


def contents(target: str) -> dict[str, list[tuple]]:
    """Every table's rows as Python values, in id order: comparable across engines."""
    store_db.open_store(target)
    try:
        return {m._meta.table_name: list(m.select().order_by(m._meta.primary_key).tuples())
                for m in TABLES}
    finally:
        store_db.close_store()


@pytest.fixture(scope="module")
def busy_demo(tmp_path_factory):
    """The demo store after a month: charges, declines, cases, audit rows."""
    target = str(tmp_path_factory.mktemp("copy") / "demo.db")
    demo.build(target)
    clock.run_days(days=31)
    store_db.close_store()
    return target


@pytest.mark.parametrize("there,back", PAIRS, ids=lambda e: e)
def test_R_DB_4_copy_there_and_back_keeps_every_row(busy_demo, there, back, tmp_path):
    first = engines.target(there, tmp_path, "there")
    second = engines.target(back, tmp_path, "back")
    counts = copy_store(busy_demo, first)
    store_db.close_store()
    assert counts["charge"] > 20 and counts["audit"] > 10
    copy_store(first, second)
    store_db.close_store()
    want = contents(busy_demo)
    for target in (first, second):
        got = contents(target)
        for table, rows in want.items():
            assert got[table] == rows, (target, table)
    exports = [Cli(t)("export").stdout for t in (busy_demo, first, second)]
    assert exports[0] == exports[1] == exports[2] and exports[0].count("\n") > 40
    # the copies go on as the original does: new rows get the same ids
    charged = []
    for target in (busy_demo, first):
        store_db.open_store(target)
        clock.run_days(days=5)
        charged.append([(c.id, c.subscription_id, c.amount) for c in
                        Charge.select().order_by(Charge.id)])
        store_db.close_store()
    assert charged[0] == charged[1]


def test_R_DB_4_refused_with_nothing_written(busy_demo, new_target, tmp_path):
    target = new_target("full")
    copy_store(busy_demo, target)
    store_db.close_store()
    before = contents(target)
    with pytest.raises(DomainError, match="a store already exists"):
        copy_store(busy_demo, target)
    store_db.close_store()
    assert contents(target) == before
    empty = new_target("empty")
    with pytest.raises(DomainError, match="no store at|not an opsconsole store"):
        copy_store(str(tmp_path / "missing.db"), empty)
    if engines.is_sqlite(empty):
        assert not (tmp_path / "empty.db").exists()
    else:
        assert engines.execute(empty, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                      "'public'") == [(0,)]


def test_R_DB_4_the_command_line_copies(busy_demo, new_target):
    target = new_target("cli")
    proc = Cli(target)("copy", busy_demo, target)
    assert proc.stdout.startswith("copied ") and "subscriptions" in proc.stdout
    assert "***" in proc.stdout or engines.is_sqlite(target)
