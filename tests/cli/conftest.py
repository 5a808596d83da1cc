"""Run the real `opsconsole` console script on a temporary store."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORY = ROOT / "fixtures" / "story"
EXE = shutil.which("opsconsole", path=str(Path(sys.executable).parent)) or "opsconsole"


class Cli:
    def __init__(self, db: Path):
        self.db = db

    def __call__(self, *args, expect=0, operator="tester"):
        env = {**os.environ, "OPSCONSOLE_DB": str(self.db), "OPSCONSOLE_OPERATOR": operator}
        env.pop("OPSCONSOLE_DEBUG", None)
        proc = subprocess.run([EXE, *map(str, args)], capture_output=True, text=True, env=env,
                              stdin=subprocess.DEVNULL, timeout=60)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert proc.returncode == expect, (args, proc.returncode, proc.stdout, proc.stderr)
        return proc

    def json(self, *args, expect=0):
        return json.loads(self(*args, "--json", expect=expect).stdout)

    def refused(self, *args, match: str):
        proc = self(*args, expect=1)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1, proc.stderr
        assert match in lines[0], lines[0]
        return lines[0]


@pytest.fixture
def cli(new_target) -> Cli:
    """The command line on a new store's place: a SQLite file, or a PostgreSQL database."""
    return Cli(new_target())


@pytest.fixture
def story(cli) -> Cli:
    """The story store: four products and the fixture import, on 2026-01-30."""
    cli("init", "--date", "2026-01-30")
    cli("product", "add", "monthly-pro", "--name", "Pro (monthly)", "--interval", "month",
        "--price", "30.00")
    cli("product", "add", "annual-team", "--name", "Team (annual)", "--interval", "year",
        "--price", "200.00", "--currency", "EUR")
    cli("product", "add", "weekly-box", "--name", "Box (weekly)", "--interval", "week",
        "--price", "9.99")
    cli("product", "add", "usage-api", "--name", "API usage", "--interval", "adhoc",
        "--price", "5.00")
    return cli


@pytest.fixture
def imported(story) -> Cli:
    """The story store with the fixture import done."""
    story("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    return story


@pytest.fixture
def imported_sqlite(imported, engine) -> Cli:
    """The imported story store, on SQLite alone: its columns keep a value of any type and its
    keys can be turned off, as a store written to by hand may have them."""
    if engine != "sqlite":
        pytest.skip("a PostgreSQL column holds only its own type, and its keys are enforced")
    return imported


def hand_edit(cli: Cli, *statements: str) -> None:
    """SQL run on a SQLite store behind opsconsole's back, its foreign keys off."""
    import sqlite3

    with sqlite3.connect(cli.db) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
    conn.close()


def count_rows(cli: Cli, table: str) -> int:
    from tests import engines

    return engines.execute(cli.db, f'SELECT COUNT(*) FROM "{table}"')[0][0]
