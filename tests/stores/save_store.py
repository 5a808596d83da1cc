"""Save a small store written by today's schema as tests/stores/store-vN.db.

Run it once whenever SCHEMA_VERSION goes up, and commit the file: the upgrade test then proves
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


def main() -> None:
    path = Path(__file__).resolve().parent / f"store-v{SCHEMA_VERSION}.db"
    if path.exists():
        sys.exit(f"{path.name} exists already; it is the record of schema {SCHEMA_VERSION}")
    clock.init_store(str(path), dt.date(2026, 1, 30))
    products.add("monthly-pro", "Pro", "month", "30.00", operator="fixture")
    story = ROOT / "fixtures" / "story"
    import_file(str(story / "subscriptions.csv"), str(story / "payments.csv"),
                operator="fixture")
    clock.run_days(days=3)
    actions.pause("OLD-1002", 1, "fixture")
    cases.open_case("Fixture case", "API", qualify="urgency", operator="fixture")
    store_db.database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    store_db.close_store()
    print(f"saved {path}")


if __name__ == "__main__":
    main()
