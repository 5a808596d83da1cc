"""make bench: every benchmark at a size that finishes in a few minutes, as one table.
The goals are stated at full size (run each script without arguments for that)."""

import json

import importlib
import run_day
import year


def main() -> None:
    rows = []
    r = run_day.main(20_000, 3)
    rows.append(("run-day, 20k store", f"{r['opsconsole_us_per_due']} µs/due",
                 f"floor {r['floor_us_per_due']} µs", f"{r['ratio']}×", "≤ 1.5×"))
    i = importlib.import_module("import").main(5_000, 3)  # a keyword: no plain import
    rows.append(("import, 5k rows", f"{i['opsconsole_seconds']} s",
                 f"floor {i['floor_seconds']} s", f"{i['ratio']}×", "≤ 3×"))
    y = year.main(2_000, 90)
    rows.append(("90 days, 2k store", f"{y['seconds']} s",
                 f"{y['charges_per_second']} charges/s", f"rss {y['peak_rss_mb_at_day']} MB",
                 "100k × 365 d < 120 s"))
    widths = [max(len(str(row[c])) for row in rows) for c in range(5)]
    for row in rows:
        print("  ".join(str(v).ljust(w) for v, w in zip(row, widths)))
    print(json.dumps({"run_day": r, "import": i, "year": y}))


if __name__ == "__main__":
    main()
