"""What the benchmarks share: a cached bench store, copies of it, medians."""

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
