"""make bench: every benchmark at a size that finishes in a few minutes, as one table.
The goals are stated at full size (run each script without arguments for that).

python bench/all.py [--engine postgres]   (on PostgreSQL also the copy of the store onto it)"""

import importlib
import json
import shutil

import bulk
import console
import frames
import pg_copy
import report
import run_day
import terminal
import webhooks
import year
from common import PG, engine_info

import_bench = importlib.import_module("import")  # `import` is a keyword: no plain import


def main() -> None:
    info = engine_info()
    print(f"{info['engine']} {info['version']}")
    rows = [("benchmark", "opsconsole", "baseline (same run)", "ratio", "goal at full size")]
    p = None
    if PG:
        p = pg_copy.main(20_000, 1)
        rows.append(("copy onto PostgreSQL, 20k store", f"{p['opsconsole_copy_seconds']} s",
                     f"COPY floor {p['floor_copy_seconds']} s", f"{p['ratio']}×",
                     "1M store in minutes"))
    r = run_day.main(20_000, 3)
    rows.append(("run-day, 20k store", f"{r['opsconsole_us_per_due']} µs/due",
                 f"floor {r['floor_us_per_due']} µs", f"{r['ratio']}×", "≤ 1.5× (1M store)"))
    i = import_bench.main(5_000, 3)
    rows.append(("import, 5k rows", f"{i['opsconsole_seconds']} s",
                 f"floor {i['floor_seconds']} s", f"{i['ratio']}×", "≤ 3× (100k rows)"))
    b = bulk.main(20_000, 3)
    rows.append((f"bulk price, {b['changed']:,} subs", f"preview {b['preview_seconds']} s",
                 f"apply {b['apply_seconds']} s", "", "< 2 s each (100k subs)"))
    c = console.main([10_000])[0]
    rows.append(("console, 10k store", f"first screen {c['first_screen_s']} s",
                 f"minimal app {c['minimal_app_s']} s", f"{c['ratio']}×", "≤ 1.5× (1M store)"))
    rows.append(("console, 10k store", f"key {c['search_key_ms']} ms",
                 f"page {c['page_down_ms']} ms, end {c['jump_to_end_ms']} ms", "",
                 "< 50 ms each"))
    t = terminal.main([10_000], 3)[0] if shutil.which("tmux") else None
    if t is None:
        rows.append(("console in tmux", "skipped: no tmux", "", "", ""))
    else:
        ours, bare = t["console"], t["bare_app"]
        rows.append(("console in tmux, 10k month store", f"start {ours['start_to_rows_s']} s, "
                     f"key {ours['keys_ms']} ms, page {ours['pages_ms']} ms, cursor "
                     f"{ours['cursor_ms']} ms, dashboard {ours['dashboard_ms']} ms",
                     f"bare app start {bare['start_to_rows_s']} s", f"{t['start_ratio']}×",
                     "start ≤ 1.5×, keys ≤ 50 ms, cursor ≤ 16 ms (1M)"))
    f = frames.main(10_000, 1) if shutil.which("tmux") else None
    if f is not None:
        rows.append(("console in tmux: bytes written", f"key {f['keys']['bytes']}, page "
                     f"{f['pages']['bytes']}, cursor {f['cursor']['bytes']}",
                     f"screens per page-down {f['pages']['screens']}", "", "one screen a key"))
    w = webhooks.main(2_000, 1)
    for label, figures in (("one endpoint", w["one_endpoint"]),
                           ("+ a hanging one", w["with_a_hanging_endpoint"])):
        rows.append((f"webhooks, 2k events, {label}", f"{figures['deliveries_per_second']}/s",
                     f"httpx {figures['floor_per_second']}/s", f"{figures['ratio_to_floor']}×",
                     "≥ 500/s, flat memory (10k)"))
    h = report.main(10_000, 3)
    rows.append(("report / attention, 10k store, a month run", f"{h['report_ms']} / "
                 f"{h['attention_ms']} ms", f"commands {h['report_cmd_ms']} / "
                 f"{h['attention_cmd_ms']} ms, clock {h['clock_cmd_ms']} ms", "",
                 "< 1 s each (1M store)"))
    y = year.main(2_000, 90)
    private = {day: m["private"] for day, m in y["memory_mb_at_day"].items()}
    rows.append(("90 days, 2k store", f"{y['seconds']} s",
                 f"{y['charges_per_second']} charges/s", f"private MB by day {private}",
                 "100k × 365 d < 120 s, flat"))
    widths = [max(len(str(row[c])) for row in rows) for c in range(5)]
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
    print(json.dumps({"copy": p, "run_day": r, "import": i, "bulk": b, "console": c,
                      "report": h, "terminal": t, "frames": f, "year": y}))


if __name__ == "__main__":
    main()
