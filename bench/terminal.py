"""The console as an operator feels it: in a real terminal (tmux 120x40), keys sent by
`tmux send-keys`, the screen read by `tmux capture-pane` every few ms until it stops changing.
Beside it, in the same run, the bare app of bare_app.py (Header, Input, a 300-row DataTable,
Footer) driven the same way: what the same keys cost in Textual itself on this machine.

python bench/terminal.py [N ...] [RUNS] [--engine postgres]
    (default 10000 100000 1000000 subscriptions, 3 runs; a last argument under 100 is RUNS)

Each run starts a fresh process in a new tmux session and times, from the moment the session
is started:
- start: until the first rows are on screen (and until the screen settles);
- search keystroke: `/`, then each key of SEARCH, each timed to a settled screen;
- page-down: PAGES presses, each to a settled screen (table focused);
- cursor: CURSOR presses of up after the page-downs, in the scrolled table, each to a settled
  screen (the row cursor is a colour, so these read the pane with its escape sequences);
- dashboard (console only): `4`, until the dashboard's charts are drawn and the screen settles.
"Settled" is the last change before QUIET seconds without one; the figure is that change's
time. A poll costs ~2-3 ms (a tmux client process), which bounds the resolution; the start
and the dashboard, which keep the console busy for a second, are polled every SLOW_POLL.

The store: the bench store of N run for a month (report.py's history-N: charges, declines,
cases), a fresh working copy of it. Medians over all keys of all runs, and the worst key."""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import engine_info, median
from report import fresh, history

HERE = Path(__file__).resolve().parent
SOCKET = "opsconsole-bench"
SIZE = ("120", "40")
QUIET = 0.3  # seconds without a change: settled
ROWS = re.compile(r"\d+\.\d\d (USD|EUR)")
# A poll is a tmux client process (~2-3 ms of CPU). Polled back to back while the console
# works for a second (start, the dashboard's read), the poller took most of one of this
# machine's two cores: the dashboard's read took 1.1-1.3 s so watched, 0.63 s unwatched. The
# long figures are polled every SLOW_POLL seconds; a key, which is over in tens of ms, at once.
SLOW_POLL = 0.02
SEARCH = "last123"
PAGES = 8
CURSOR = 20
EXE = shutil.which("opsconsole", path=str(Path(sys.executable).parent)) or "opsconsole"


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args],
                          capture_output=True, text=True, check=True).stdout


class Pane:
    """One program in its own tmux session, timed from its start."""

    def __init__(self, command: list[str], name: str) -> None:
        self.name = name
        self.started = time.perf_counter()
        tmux("new-session", "-d", "-x", SIZE[0], "-y", SIZE[1], "-s", name,
             "-e", "COLORTERM=truecolor", " ".join(command))

    def screen(self, styled: bool = False) -> str:
        return tmux("capture-pane", "-p", *(["-e"] if styled else []), "-t", self.name)

    def settle(self, since: float, last: str, styled: bool = False, until=None,
               timeout: float = 60.0, every: float = 0.0) -> tuple[float, float]:
        """(first change from `last` or `until` met, last change) in seconds after `since`,
        the screen read every `every` seconds (0: as fast as tmux answers)."""
        first = changed = None
        while True:
            time.sleep(every)
            now = time.perf_counter()
            screen = self.screen(styled)
            if screen != last:
                last, changed = screen, now
                if first is None and (until is None or until(screen)):
                    first = now
            if first is not None and time.perf_counter() - changed > QUIET:
                return first - since, changed - since
            if now - since > timeout:
                raise TimeoutError(f"{self.name}: the screen did not settle:\n{last}")

    def key(self, key: str, styled: bool = False, until=None, every: float = 0.0) -> float:
        """Send one key; seconds to a settled screen (that meets `until`)."""
        before = self.screen(styled)
        sent = time.perf_counter()
        tmux("send-keys", "-t", self.name, key)
        try:
            return self.settle(sent, before, styled, until, timeout=10.0, every=every)[1]
        except TimeoutError as gone:
            raise TimeoutError(f"{key!r} changed nothing: {gone}") from None

    def close(self) -> None:
        subprocess.run(["tmux", "-L", SOCKET, "kill-session", "-t", self.name],
                       capture_output=True)


def run_once(command: list[str], name: str, dashboard: bool) -> dict:
    pane = Pane(command, name)
    try:
        first, settled = pane.settle(pane.started, "", until=lambda s: bool(ROWS.search(s)),
                                     every=SLOW_POLL)
        pane.key("/")
        keys = [pane.key(ch) for ch in SEARCH]
        pane.key("Escape")  # the console: search cleared, table focused; bare: table focused
        pages = [pane.key("PageDown", styled=True) for _ in range(PAGES)]
        # up from the last row on screen: the table is scrolled and stays so, each press
        # redraws the lines of two rows
        cursor = [pane.key("Up", styled=True) for _ in range(CURSOR)]
        # the dashboard says "Reading the store…" at once: timed to its figures and charts
        board = pane.key("4", until=lambda s: "Dunning, declines" in s,
                         every=SLOW_POLL) if dashboard else None
        return {"first": first, "settled": settled, "keys": keys, "pages": pages,
                "cursor": cursor, "dashboard": board}
    finally:
        pane.close()


def summary(runs: list[dict]) -> dict:
    def ms(values: list[float]) -> float:
        return round(median(values) * 1000, 1)

    out = {"start_to_rows_s": round(median([r["first"] for r in runs]), 3),
           "start_to_settled_s": round(median([r["settled"] for r in runs]), 3)}
    for key in ("keys", "pages", "cursor"):
        values = [v for r in runs for v in r[key]]
        out[f"{key}_ms"] = ms(values)
        out[f"{key}_worst_ms"] = round(max(values) * 1000, 1)
    if runs[0]["dashboard"] is not None:
        out["dashboard_ms"] = ms([r["dashboard"] for r in runs])
        out["dashboard_worst_ms"] = round(max(r["dashboard"] for r in runs) * 1000, 1)
    return out


def main(sizes: list[int], runs: int) -> list[dict]:
    if shutil.which("tmux") is None:
        sys.exit("bench/terminal.py needs tmux (Debian: apt-get install tmux)")
    bare = [sys.executable, str(HERE / "bare_app.py")]
    # Both start from bytecode, as an installed package does: with PYTHONDONTWRITEBYTECODE
    # set (this machine sets it) an editable checkout compiled every module of the console
    # from source at each start, while Textual's came compiled from its wheel.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "opsconsole"),
                    str(HERE / "bare_app.py")], check=True)
    # a session that outlives the measured ones: the server would exit with the last of them,
    # and the next new-session could race its exit
    tmux("new-session", "-d", "-s", "keep", "sleep 86400")
    results = []
    for n in sizes:
        target = fresh(history(n))
        subprocess.run([EXE, "--db", target, "clock"], check=True,
                       stdout=subprocess.DEVNULL)  # an upgrade, if any, is not timed
        console = [EXE, "--db", f"'{target}'", "--operator", "bench"]
        ours, base = [], []
        for i in range(runs):  # alternated, so both see the same machine
            base.append(run_once(bare, f"bare-{n}-{i}", dashboard=False))
            ours.append(run_once(console, f"console-{n}-{i}", dashboard=True))
        o, b = summary(ours), summary(base)
        results.append({**engine_info(), "subscriptions": n, "runs": runs, "console": o,
                        "bare_app": b,
                        "start_ratio": round(o["start_to_rows_s"] / b["start_to_rows_s"], 2),
                        "goals": "start <= 1.5x bare; search key and page-down <= 50 ms "
                                 "every press; cursor <= 16 ms; dashboard < 1 s"})
        print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    return results


if __name__ == "__main__":
    os.chdir(HERE.parent)
    args = [int(a) for a in sys.argv[1:] if not a.startswith("--")]
    count = args.pop() if args and args[-1] < 100 else 3
    for row in main(args or [10_000, 100_000, 1_000_000], count):
        print(json.dumps(row), flush=True)
