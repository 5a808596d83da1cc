"""Save a small store written by today's schema as tests/stores/store-vN.db.

Run it once whenever SCHEMA_VERSION goes up, and commit the files (a SQLite store and a
PostgreSQL dump): the upgrade test then proves
that every later schema opens it. Usage: python tests/stores/save_store.py"""

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from opsconsole import clock  # noqa: E402
from opsconsole.billing import actions, products  # noqa: E402
from opsconsole.cases import actions as cases  # noqa: E402
from opsconsole.store import db as store_db  # noqa: E402
from opsconsole.store.models import SCHEMA_VERSION  # noqa: E402
from opsconsole.transfer.importer import import_file  # noqa: E402


def fill(target: str) -> None:
    """The same small store on either engine."""
    clock.init_store(target, dt.date(2026, 1, 30))
    products.add("monthly-pro", "Pro", "month", "30.00", operator="fixture")
    story = ROOT / "fixtures" / "story"
    import_file(str(story / "subscriptions.csv"), str(story / "payments.csv"),
                operator="fixture")
    clock.run_days(days=3)
    actions.pause("OLD-1002", 1, "fixture")
    cases.open_case("Fixture case", "API", qualify="urgency", operator="fixture")


def save_sqlite(folder: Path) -> Path:
    path = folder / f"store-v{SCHEMA_VERSION}.db"
    fill(str(path))
    store_db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store_db.close_store()
    return path


def save_postgres(folder: Path) -> Path:
    """A plain-SQL dump (INSERTs, no owner): tests load it into a new database with psycopg."""
    import subprocess

    import pgserver

    from tests import engines

    path = folder / f"store-v{SCHEMA_VERSION}.pg.sql"
    target = engines.new_database()
    fill(target)
    store_db.close_store()
    pg_dump = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"
    dump = subprocess.run([str(pg_dump), "--inserts", "--no-owner", "--no-privileges",
                           "--dbname", target], capture_output=True, text=True, check=True)
    path.write_text(dump.stdout)
    return path


def main() -> None:
    folder = Path(__file__).resolve().parent
    for name, save in ((f"store-v{SCHEMA_VERSION}.db", save_sqlite),
                       (f"store-v{SCHEMA_VERSION}.pg.sql", save_postgres)):
        if (folder / name).exists():
            print(f"{name} exists already; it is the record of schema {SCHEMA_VERSION}")
            continue
        print(f"saved {save(folder)}")


if __name__ == "__main__":
    main()
