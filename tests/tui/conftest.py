"""The console on a copy of the demo store: fixed data, fixed clock, no polling."""

import shutil

import pytest

from opsconsole import demo
from opsconsole.store import db as store_db
from opsconsole.tui.app import make_app


@pytest.fixture(autouse=True)
def _colour(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(str(path))
    store_db.close_store()
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path):
    """A copy of the demo store, bound at once so a test's own core calls write to it."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    store_db.open_store(str(path))
    yield str(path)
    store_db.close_store()


@pytest.fixture
def console(demo_db):
    def make():
        app = make_app(demo_db, "tester", poll=False, blink=False)
        app.theme = "textual-dark"
        return app
    return make


async def settle(pilot, rounds: int = 6) -> None:
    """Wait until no worker has run for `rounds` passes in a row and what they handed back
    has been drawn: a fixed number of passes is not enough on a busy machine."""
    quiet = 0
    for _ in range(400):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(worker.is_running for worker in pilot.app.workers)
        quiet = 0 if busy else quiet + 1
        if quiet >= rounds:
            break
        if busy:
            await pilot.pause(0.01)
    await pilot.pause(0.05)


SIZE = (120, 40)


def writes() -> tuple[int, int]:
    """How many events and audit rows the store holds: what 'nothing written' is checked by."""
    from opsconsole.store.models import Audit, Event

    return Event.select().count(), Audit.select().count()


async def open_first(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
