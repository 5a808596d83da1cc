"""What the console writes to its terminal for each key: bytes, screens and the time to the
last byte, read by a tmux control-mode client (tmux forwards everything the program writes as
`%output` lines as it arrives; nothing polls the screen).

python bench/frames.py [N] [RUNS]   (default 1000000 subscriptions, 2 runs)

The keys are terminal.py's (`/`, SEARCH, Escape, PAGES page-downs, CURSOR ups), on a fresh
copy of report.py's history-N. A "screen" is a burst of output with no gap over GAP seconds.
Over a slow link (ssh) the bytes are what an operator waits for; here, on the same machine,
tmux forwarding every byte to the control client makes the times longer than terminal.py's:
compare bytes and screens, and times only between runs of this script."""

import json
import os
import re
import subprocess
import sys
import threading
import time

from common import median
from report import fresh, history
from terminal import CURSOR, EXE, PAGES, ROWS, SEARCH, SLOW_POLL, SOCKET, Pane, tmux

QUIET = 0.3  # seconds without output: the key's work is over
GAP = 0.005  # a gap longer than this between outputs starts another screen


class Control:
    """A control-mode client on one session: sends keys, notes when output arrives."""

    def __init__(self, session: str) -> None:
        self.session = session
        self.process = subprocess.Popen(
            ["tmux", "-L", SOCKET, "-f", "/dev/null", "-C", "attach", "-t", session],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.outputs: list[tuple[float, int]] = []  # (when, bytes of the program's output)
        self.lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.startswith(b"%output "):
                when = time.perf_counter()
                # the data after "%output %<pane> ", with tmux's octal escapes (\033) counted
                # as the one byte they stand for
                data = line.split(b" ", 2)[2].rstrip(b"\n")
                size = len(data) - 3 * len(re.findall(rb"\\[0-7]{3}", data))
                with self.lock:
                    self.outputs.append((when, size))

    def key(self, key: str) -> dict:
        with self.lock:
            self.outputs.clear()
        sent = time.perf_counter()
        self.process.stdin.write(f"send-keys -t {self.session} {key}\n".encode())
        while True:
            time.sleep(0.02)
            with self.lock:
                outputs = list(self.outputs)
            if outputs and time.perf_counter() - outputs[-1][0] > QUIET:
                break
            if time.perf_counter() - sent > 10:
                raise TimeoutError(f"{key!r}: no output")
        screens = 1 + sum(1 for a, b in zip(outputs, outputs[1:]) if b[0] - a[0] > GAP)
        return {"bytes": sum(s for _, s in outputs), "screens": screens,
                "last_ms": (outputs[-1][0] - sent) * 1000}

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait()


def run_once(target: str, name: str) -> dict:
    pane = Pane([EXE, "--db", f"'{target}'", "--operator", "bench"], name)
    try:
        pane.settle(pane.started, "", until=lambda s: bool(ROWS.search(s)), every=SLOW_POLL)
        time.sleep(1.0)  # the start's own work over
        control = Control(name)
        time.sleep(0.3)
        control.key("/")
        out = {"keys": [control.key(ch) for ch in SEARCH]}
        control.key("Escape")
        out["pages"] = [control.key("PageDown") for _ in range(PAGES)]
        out["cursor"] = [control.key("Up") for _ in range(CURSOR)]
        control.close()
        return out
    finally:
        pane.close()


def main(n: int, runs: int) -> dict:
    tmux("new-session", "-d", "-s", "keep", "sleep 86400")
    target = fresh(history(n))
    subprocess.run([EXE, "--db", target, "clock"], check=True, stdout=subprocess.DEVNULL)
    results = [run_once(target, f"frames-{i}") for i in range(runs)]
    subprocess.run(["tmux", "-L", SOCKET, "kill-server"], capture_output=True)
    summary: dict = {"subscriptions": n, "runs": runs}
    for kind in ("keys", "pages", "cursor"):
        presses = [p for r in results for p in r[kind]]
        summary[kind] = {"bytes": median([p["bytes"] for p in presses]),
                         "bytes_most": max(p["bytes"] for p in presses),
                         "screens": median([p["screens"] for p in presses]),
                         "screens_most": max(p["screens"] for p in presses),
                         "last_byte_ms": round(median([p["last_ms"] for p in presses]), 1)}
    print(json.dumps(summary))
    return summary


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)) + "/..")
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 1_000_000, args[1] if len(args) > 1 else 2)
