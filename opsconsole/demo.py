"""The demo store: built from fixtures/demo through the same core functions an operator uses."""

import json
import os
from importlib import resources
from pathlib import Path

from . import clock
from .billing import actions, addons, products
from .cases import actions as cases
from .errors import DomainError
from .store import db as store_db, snapshots
from .store.models import Meta
from .transfer.importer import import_file


def _fixtures() -> Path:
    """The demo's data: inside the installed package (the wheel carries fixtures/demo), else
    the repository's fixtures/demo, the one source of it."""
    packaged = resources.files("opsconsole") / "fixtures" / "demo"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "fixtures" / "demo"


FIXTURES = _fixtures()
START = "start"  # the snapshot a fresh demo store is saved as, to rewind to (R-SNAP-1)
OPERATOR = "demo"


def is_demo_store(target: str) -> bool:
    try:
        store_db.open_store(target)
        return Meta.get_or_none(Meta.key == "demo") is not None
    except DomainError:
        return False
    finally:
        store_db.close_store()


def build(target: str, fixtures: Path = FIXTURES) -> dict:
    """A fresh demo store at `target`: products, the import, a few actions and the cases."""
    spec = json.loads((fixtures / "store.json").read_text())
    import datetime as dt

    clock.init_store(target, dt.date.fromisoformat(spec["date"]), spec["timezone"],
                     spec["currency"])
    Meta.create(key="demo", value="1")
    for p in spec["products"]:
        products.add(p["path"], p["name"], p["interval"], p["price"],
                     currency=p.get("currency"), trial_days=p.get("trial_days", 0),
                     rebills=p.get("rebills"), renews_into=p.get("renews_into"),
                     reminder_days=p.get("reminder_days"), operator=OPERATOR)
        for a in p.get("addons", []):
            addons.offer(p["path"], a["path"], a["price"], a.get("group"),
                         a.get("single", False), OPERATOR)
    report = import_file(str(fixtures / "subscriptions.csv"), str(fixtures / "payments.csv"),
                         operator=OPERATOR)
    for step in spec["actions"]:
        if step["do"] == "pause":
            actions.pause(step["sub"], step["periods"], OPERATOR)
        elif step["do"] == "cancel":
            actions.cancel(step["sub"], operator=OPERATOR)
        elif step["do"] == "addon":
            addons.add(step["sub"], step["path"], step.get("quantity", 1), OPERATOR)
    for c in spec["cases"]:
        case = cases.open_case(c["subject"], c["category"], c.get("description", ""),
                               c.get("steps", ""), subscription=c.get("sub"),
                               order=c.get("order"), descriptor=c.get("descriptor"),
                               qualify=c.get("qualify"), operator=OPERATOR)
        for side, text in c.get("notes", []):
            cases.add_note(case["id"], text, side, OPERATOR)
        if c["status"] != "New":
            if c["status"] == "Closed" and c.get("survey"):
                cases.set_status(case["id"], "Closed", OPERATOR)
                cases.survey(case["id"], *c["survey"], operator=OPERATOR)
            elif c["status"] != cases.find(case["id"]).status:
                cases.set_status(case["id"], c["status"], OPERATOR)
    return {"imported": report.imported, "cases": len(spec["cases"]), **clock.clock_info()}


def prepare(target: str, fresh: bool) -> dict | None:
    """Build the demo store unless one is there already. --fresh rebuilds a demo store, and
    refuses to touch a store that the demo did not build."""
    path = store_db.sqlite_path(target)
    exists = path is not None and Path(path).exists()
    if exists and not fresh:
        store_db.open_store(target)  # a folder or a file that is no store is refused here
        return None
    if exists:
        if not is_demo_store(target):
            raise DomainError(f"{path} is not a demo store; --fresh rebuilds only a store that "
                              "'opsconsole demo' built")
        for suffix in ("", "-wal", "-shm"):
            if Path(path + suffix).exists():
                os.remove(path + suffix)
    built = build(target)
    snapshots.save(START, OPERATOR)  # so the demo can be rewound and shown again
    return built
