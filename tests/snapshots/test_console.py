"""R-SNAP-1 in the console: "Clock: rewind to a snapshot…" from the palette, and an open console
reloading on the restored date when another process restores."""

from opsconsole import clock
from opsconsole.store import snapshots
from opsconsole.tui.app import make_app
from tests.tui.conftest import SIZE, settle


def _title(app) -> str:
    return app.sub_title


async def test_R_SNAP_1_rewind_from_the_console(store):
    store.sub(next_charge="2026-02-01")
    snapshots.save("start")
    store.run(days=5)
    app = make_app(store.path, "tester", poll=False, blink=False, deliver=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "2026-02-04" in _title(app)
        await pilot.press("ctrl+p")
        await pilot.press(*"Rewind to snap")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        text = str(app.screen.query_one("#rewind-text").render())
        assert "The store is on Wed 2026-02-04" in text
        await pilot.press("enter")  # the one snapshot
        await settle(pilot)
        question = str(app.screen.query_one(".dialog-text").render())
        assert "back from 2026-02-04 to 2026-01-30" in question and "lost" in question
        await pilot.press("y")
        await settle(pilot)
        assert clock.today().isoformat() == "2026-01-30"
        assert "2026-01-30" in _title(app)
        assert len(app.screen_stack) == 1


async def test_R_SNAP_1_an_open_console_reloads_after_another_process_restores(store):
    store.sub(next_charge="2026-02-01")
    snapshots.save("start")
    store.run(days=3)
    app = make_app(store.path, "tester", poll=True, blink=False, deliver=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "2026-02-02" in _title(app)
        snapshots.restore("start")  # as `opsconsole snapshot restore start` would
        for _ in range(60):  # the console polls every 2 s
            await pilot.pause(0.1)
            if "2026-01-30" in _title(app):
                break
        assert "2026-01-30" in _title(app)
