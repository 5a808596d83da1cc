"""What the benchmarks share: a cached bench store, copies of it, medians."""

import json
import shutil
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "bench" / ".cache"


def store(n: int) -> Path:
    """A bench store of n subscriptions, built once and kept in bench/.cache."""
    from make_store import build

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"store-{n}.db"
    if not path.exists():
        build(n, path)
    return path


def copy(source: Path, name: str) -> Path:
    target = CACHE / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(source, target)
    return target


def median(values: list[float]) -> float:
    return statistics.median(values)


def money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def payload(**v) -> str:
    """A subscription as JSON with the keys of the payload opsconsole writes on every event, as
    a hand-written script would make it: what the floors write, so they write the same rows."""
    return json.dumps({
        "id": v["id"], "reference_id": v.get("reference_id"), "state": v["state"],
        "product": v["product"], "quantity": v["quantity"], "currency": v["currency"],
        "price": money(v["price"]), "amount": money(v["price"] * v["quantity"]),
        "interval": v["interval"], "interval_length": v["interval_length"],
        "begin_date": v.get("begin_date"), "next_charge_date": v.get("next_charge_date"),
        "end_date": v.get("end_date"), "trial_end_date": v.get("trial_end_date"),
        "cancel_date": v.get("cancel_date"), "pause_date": v.get("pause_date"),
        "resume_date": v.get("resume_date"), "manual_renew": bool(v.get("manual_renew")),
        "payment_method": {"last4": v["last4"], "expiry": v["expiry"]} if v.get("last4")
        else None,
        "discount": None, "customer": {"email": v["email"], "first": v["first"],
                                       "last": v["last"]},
        "overdue_since": v.get("overdue_since"), "last_prorated": v.get("last_prorated")})


def private_mb() -> int:
    """Memory this process holds itself (anonymous pages), apart from the store file's pages
    SQLite reads through mmap, which the OS shares and drops at will but which count in RSS."""
    with open("/proc/self/smaps_rollup") as f:
        fields = dict(line.split(":", 1) for line in f if ":" in line)
    return int(fields["Anonymous"].split()[0]) // 1024
