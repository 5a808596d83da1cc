"""The console on stores of several sizes, headless: time to the first screen with rows (against
a minimal Textual app's start and exit, measured in the same run), per search keystroke, per
page-down, jump to the end (against a bare DataTable app's no-op key and page-down, driven the
same way in the same run), and memory: peak RSS and the private memory the process holds.

python bench/console.py [N ...] [--engine postgres]   (default 10000 100000 1000000)

On PostgreSQL the console opens a fresh copy of the bench database (the template itself is never
opened: CREATE DATABASE from it needs it idle)."""

import asyncio
import json
import resource
import sys
import time

from common import copy, engine_info, is_url, median, private_mb, store

RUNS = 3


MINIMAL = """
import asyncio
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

async def main():
    async with Minimal().run_test(size=(120, 40)) as pilot:
        await pilot.pause()

asyncio.run(main())
"""

FIRST_SCREEN = """
import asyncio, sys
sys.path.insert(0, {bench!r})
from console import wait_rows
from opsconsole.tui.app import make_app

async def main():
    app = make_app({db!r}, "bench", poll=False, blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_rows(pilot, app.screen)

asyncio.run(main())
"""


class BareTable:
    """The baseline for keys: a minimal app holding a plain DataTable of 300 rows (the console's
    window), driven by the same Pilot. What a key and a page-down cost in Textual itself here."""

    @staticmethod
    async def run() -> dict:
        from textual.app import App
        from textual.widgets import DataTable

        class Bare(App):
            def compose(self):
                yield DataTable(cursor_type="row")

            def on_mount(self):
                table = self.query_one(DataTable)
                table.add_columns(*"abcdefg")
                for i in range(300):
                    table.add_row(*[f"cell {i} {c}" for c in "abcdefg"])
                table.focus()

        async with Bare().run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            noop, pages = [], []
            for _ in range(5):
                t = time.perf_counter()
                await pilot.press("x")
                await pilot.pause()
                noop.append(time.perf_counter() - t)
                t = time.perf_counter()
                await pilot.press("pagedown")
                await pilot.pause()
                pages.append(time.perf_counter() - t)
        return {"key": median(noop), "page": median(pages)}


def process_seconds(code: str) -> float:
    """A fresh interpreter from start to exit, imports included: what an operator waits."""
    import subprocess

    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


async def wait_rows(pilot, screen, before=None) -> None:
    while True:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if screen.rows and screen.rows is not before and \
                not any(w.is_running for w in pilot.app.workers):
            return


async def console_run(path) -> dict:
    from opsconsole.tui.app import make_app

    started = time.perf_counter()
    app = make_app(str(path), "bench", poll=False, blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await wait_rows(pilot, screen)
        first = time.perf_counter() - started
        keys = []
        await pilot.press("slash")
        for ch in "c12":
            before, t = screen.rows, time.perf_counter()
            await pilot.press(ch)
            await wait_rows(pilot, screen, before)
            keys.append(time.perf_counter() - t)
        await pilot.press("escape")
        await wait_rows(pilot, screen)
        pages = []
        for _ in range(5):
            t = time.perf_counter()
            await pilot.press("pagedown")
            await app.workers.wait_for_complete()
            await pilot.pause()
            pages.append(time.perf_counter() - t)
        t = time.perf_counter()
        before = screen.rows
        await pilot.press("G")
        await wait_rows(pilot, screen, before)
        end = time.perf_counter() - t
        memory = private_mb()
    return {"first": first, "key": median(keys), "page": median(pages), "end": end,
            "memory": memory}


def main(sizes: list[int]) -> list[dict]:
    results = []
    for n in sizes:
        path = store(n)
        if is_url(path):
            path = copy(path, f"console-{n}")
        from pathlib import Path

        base = median([process_seconds(MINIMAL) for _ in range(RUNS)])
        code = FIRST_SCREEN.format(bench=str(Path(__file__).resolve().parent), db=str(path))
        first = median([process_seconds(code) for _ in range(RUNS)])
        runs = [asyncio.run(console_run(path)) for _ in range(RUNS)]
        bare = [asyncio.run(BareTable.run()) for _ in range(RUNS)]
        results.append({
            **engine_info(), "subscriptions": n, "minimal_app_s": round(base, 3),
            "first_screen_s": round(first, 3), "ratio": round(first / base, 2),
            "search_key_ms": round(median([r["key"] for r in runs]) * 1000, 1),
            "page_down_ms": round(median([r["page"] for r in runs]) * 1000, 1),
            "jump_to_end_ms": round(median([r["end"] for r in runs]) * 1000, 1),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "bare_table_noop_key_ms": round(median([b["key"] for b in bare]) * 1000, 1),
            "bare_table_page_down_ms": round(median([b["page"] for b in bare]) * 1000, 1),
            "private_mb": max(r["memory"] for r in runs),
            "goals": "first <= 1.5x minimal; key and page < 50 ms; memory flat"})
    return results


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000]
    for row in main(sizes):
        print(json.dumps(row))
