"""The demo from an installed package: build the wheel, install it in a fresh venv (away from
this source tree) and build the demo store with it."""

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_runs_from_an_installed_wheel(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w",
                    str(wheels), str(ROOT)], check=True, timeout=600)
    (wheel,) = wheels.glob("opsconsole-*.whl")
    env_dir = tmp_path / "fresh"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   timeout=900)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = subprocess.run([str(env_dir / "bin" / "opsconsole"), "--db", "demo.db", "demo",
                          "--no-ui"], cwd=elsewhere, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "demo store built at demo.db: 59 subscriptions" in run.stderr
    assert (elsewhere / "demo.db.snapshots" / "start.db").exists()  # R-SNAP-1: to rewind
    where = subprocess.run([str(python), "-c", "import opsconsole; print(opsconsole.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where  # the wheel's copy ran, not this source tree
