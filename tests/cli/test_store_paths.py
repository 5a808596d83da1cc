"""R-INPUT-6: what --db names, through the real console script. A folder, a file that is not
SQLite, or a SQLite file without opsconsole's tables is not a store; an in-memory store is
refused; `init` says when its folder is missing or cannot be written; a damaged store is
refused by run-day; every file written is owner-only, whatever the URL form or umask."""

import os
import shutil
import sqlite3
import stat
import subprocess

import pytest

from tests.cli.conftest import EXE, STORY, Cli


class Shell(Cli):
    """The console script run from a given folder, under a given umask."""

    def __init__(self, db, cwd, umask=None):
        super().__init__(db)
        self.cwd = cwd
        self.umask = umask

    def __call__(self, *args, expect=0, operator="tester"):
        env = {**os.environ, "OPSCONSOLE_DB": str(self.db), "OPSCONSOLE_OPERATOR": operator}
        env.pop("OPSCONSOLE_DEBUG", None)
        umask = self.umask
        proc = subprocess.run(
            [EXE, *map(str, args)], capture_output=True, text=True, env=env, cwd=self.cwd,
            stdin=subprocess.DEVNULL, timeout=60,
            preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)
        assert "Traceback" not in proc.stderr, proc.stderr
        assert "internal error" not in proc.stderr, proc.stderr
        assert proc.returncode == expect, (args, proc.returncode, proc.stdout, proc.stderr)
        return proc


@pytest.fixture
def sh(tmp_path):
    return Shell(tmp_path / "store.db", tmp_path)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def listing(folder) -> dict:
    return {p.name: p.read_bytes() if p.is_file() else None for p in folder.iterdir()}


def test_r_input_6_directory_is_not_a_store(sh, tmp_path):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    sh.db = folder
    sh.refused("init", match=f"{folder} is not an opsconsole store")
    sh.refused("clock", match=f"{folder} is not an opsconsole store")
    sh.db = f"sqlite:///{folder}"
    sh.refused("init", match="is not an opsconsole store")
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("content", [b"hello, not a database\n", b"\x00" * 5000])
def test_r_input_6_a_file_that_is_not_sqlite_is_not_a_store(sh, tmp_path, content):
    junk = tmp_path / "notes.txt"
    junk.write_bytes(content)
    junk.chmod(0o644)
    before = listing(tmp_path)
    sh.db = junk
    for command in (["init"], ["clock"], ["run-day"], ["export"]):
        sh.refused(*command, match=f"{junk} is not an opsconsole store")
    assert listing(tmp_path) == before
    assert mode(junk) == 0o644  # not ours: left as it was


def test_r_input_6_a_sqlite_file_of_another_program_is_not_a_store(sh, tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()
    before = listing(tmp_path)
    sh.db = other
    sh.refused("init", match=f"{other} is not an opsconsole store")
    sh.refused("clock", match=f"{other} is not an opsconsole store")
    sh.refused("run-day", match=f"{other} is not an opsconsole store")
    assert listing(tmp_path) == before


def test_r_input_6_init_on_a_store_says_a_store_exists(sh):
    sh("init", "--date", "2026-01-30")
    before = sh.db.read_bytes()
    sh.refused("init", match=f"a store already exists at {sh.db}")
    assert sh.db.read_bytes() == before


@pytest.mark.parametrize("target", ["sqlite://", "sqlite:///:memory:", ":memory:",
                                    "file::memory:", "sqlite:///file::memory:?timeout=1",
                                    "file:x?mode=memory"])
def test_r_input_6_an_in_memory_store_is_refused(sh, tmp_path, target):
    sh.db = target
    sh.refused("init", "--date", "2026-01-30", match="in-memory store")
    sh.refused("clock", match="in-memory store")
    sh.refused("demo", "--no-ui", match="in-memory store")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("form", ["{p}", "sqlite:///{p}"])
def test_r_input_6_init_in_a_folder_that_does_not_exist_says_so(sh, tmp_path, form):
    sh.db = form.format(p=tmp_path / "missing" / "store.db")
    sh.refused("init", match=f"the folder {tmp_path / 'missing'} does not exist")
    assert list(tmp_path.iterdir()) == []


def test_r_input_6_init_under_a_file_says_it_is_not_a_folder(sh, tmp_path):
    """A folder that cannot be written, as root can see it: the 'folder' is a regular file."""
    (tmp_path / "plain").write_text("x")
    sh.db = tmp_path / "plain" / "store.db"
    sh.refused("init", match=f"{tmp_path / 'plain'} is not a folder")
    assert (tmp_path / "plain").read_text() == "x"


def test_r_input_6_init_in_a_folder_that_cannot_be_written_says_so(sh, tmp_path):
    """Root may write any folder by its mode bits; an immutable folder it may not."""
    locked = tmp_path / "locked"
    locked.mkdir()
    if os.geteuid() != 0:
        locked.chmod(0o500)
    elif not shutil.which("chattr") or subprocess.run(
            ["chattr", "+i", str(locked)], capture_output=True).returncode:
        pytest.skip("cannot make a folder unwritable for root here (no chattr +i)")
    try:
        for form in ("{p}", "sqlite:///{p}"):
            sh.db = form.format(p=locked / "store.db")
            sh.refused("init", match=f"the folder {locked} cannot be written")
        assert list(locked.iterdir()) == []
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(locked)], check=True)
        locked.chmod(0o700)


@pytest.mark.parametrize("target, match", [
    ("", "no store given"),
    ("   ", "no store given"),
    ("sqlite:///x.db?timeout=abc", "timeout must be a number of seconds, not 'abc'"),
    ("sqlite:///x.db?timeout=-1", "timeout must be a number of seconds"),
    ("sqlite:///x.db?timeout=nan", "timeout must be a number of seconds"),
    ("sqlite:///x.db?mode=memory", "unknown setting 'mode'"),
    ("sqlite:///x.db?uri=true", "unknown setting 'uri'"),
    ("sqlite://host/x.db", "a SQLite URL names a file, not a host"),
    ("sqliteext:///x.db", "unknown kind of database 'sqliteext'"),
    ("nosuch://x/y", "unknown kind of database 'nosuch'"),
])
def test_r_input_6_a_bad_store_url_is_a_clean_refusal_that_writes_nothing(sh, tmp_path,
                                                                          target, match):
    sh.db = target
    sh.refused("--db", target, "init", match=match)  # as an option: click reads an empty
    sh.refused("--db", target, "clock", match=match)  # $OPSCONSOLE_DB as unset
    assert list(tmp_path.iterdir()) == []


def test_r_db_1_a_password_is_never_printed_in_a_refusal(sh, tmp_path):
    for target in ("postgresql://ops:s3cretpw@127.0.0.1:1/shop",
                   "postgres://ops:s3cretpw@127.0.0.1:1/shop?password=s3cretpw",
                   "nosuch://ops:s3cretpw@127.0.0.1/shop",
                   "postgresql://ops:s3c/retpw@127.0.0.1/shop"):  # a / urlparse cannot read
        sh.db = target
        for command in ("init", "clock"):
            line = sh.refused(command, match="cannot open")
            assert "s3c" not in line and "retpw" not in line
            assert "***" in line


def test_r_input_6_a_good_url_with_a_timeout_opens(sh, tmp_path):
    sh.db = "sqlite:///timed.db?timeout=2.5"
    sh("init", "--date", "2026-01-30")
    assert (tmp_path / "timed.db").exists()
    assert sh.json("clock")["date"] == "2026-01-30"


@pytest.mark.parametrize("form", ["{abs}", "rel.db", "./rel.db", "sqlite:///rel.db",
                                  "sqlite:///{abs}", "sqlite+pool:///{abs}", "file:odd.db"])
@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_r_input_6_every_url_form_makes_an_owner_only_store(tmp_path, form, umask):
    """The store and SQLite's -wal and -shm beside it, whatever the umask: a reader holds the
    WAL open while run-day writes, so all three exist at once."""
    target = form.format(abs=tmp_path / "abs.db")
    sh = Shell(target, tmp_path, umask=umask)
    sh("init", "--date", "2026-01-30")
    files = [p for p in tmp_path.iterdir() if p.suffix == ".db"]
    assert len(files) == 1, files
    path = files[0]
    reader = sqlite3.connect(path)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM meta").fetchall()  # a read snapshot, held
        sh("run-day", "--days", "2")
        side = [tmp_path / (path.name + s) for s in ("-wal", "-shm")]
        assert all(p.exists() for p in side), list(tmp_path.iterdir())
        for p in [path, *side]:
            assert mode(p) == 0o600, (p.name, oct(mode(p)))
    finally:
        reader.close()
    assert sh.json("clock")["date"] == "2026-02-01"


@pytest.mark.parametrize("form", ["{p}", "sqlite:///{p}"])
def test_r_input_6_init_makes_an_existing_empty_file_owner_only(tmp_path, form):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    empty.chmod(0o666)
    sh = Shell(form.format(p=empty), tmp_path, umask=0o000)
    sh.refused("clock", match="is empty")  # opening it changes nothing
    assert mode(empty) == 0o666
    sh("init", "--date", "2026-01-30")
    assert mode(empty) == 0o600
    assert sh.json("clock")["date"] == "2026-01-30"


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_r_input_6_the_export_file_is_owner_only(tmp_path, umask):
    sh = Shell(tmp_path / "store.db", tmp_path, umask=umask)
    sh("init", "--date", "2026-01-30")
    for path, interval, currency in [("monthly-pro", "month", "USD"),
                                     ("annual-team", "year", "EUR"),
                                     ("weekly-box", "week", "USD"),
                                     ("usage-api", "adhoc", "USD")]:
        sh("product", "add", path, "--name", path, "--interval", interval, "--price", "9.00",
           "--currency", currency)
    sh("import", STORY / "subscriptions.csv", "--payments", STORY / "payments.csv")
    new = tmp_path / "new.csv"
    sh("export", new)
    assert mode(new) == 0o600
    assert "@" in new.read_text()  # customers' emails: the reason it is private
    old = tmp_path / "old.csv"
    old.write_text("a much longer text that was here before the export " * 20)
    old.chmod(0o644)
    sh("export", old)
    assert mode(old) == 0o600
    assert old.read_text() == new.read_text()  # overwritten whole, no tail left over


def test_r_input_6_export_refuses_a_folder_a_missing_folder_and_the_store_itself(sh, tmp_path):
    sh("init", "--date", "2026-01-30")
    before = sh.db.read_bytes()
    (tmp_path / "out").mkdir()
    sh.refused("export", tmp_path / "out", match="cannot write the export file")
    sh.refused("export", tmp_path / "nowhere" / "x.csv",
               match="cannot write the export file")
    sh.refused("export", sh.db, match="is the store itself")
    assert sh.db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "store.db"]


def _damage(path) -> None:
    """Overwrite bytes of the page that holds the products' rows: its cell pointers now point
    outside the page. The schema, meta and store pages are left whole, so the store opens."""
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'product'").fetchone()[0]
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * size + 8)
        f.write(b"customer data written over the page " * 3)


def test_r_input_6_run_day_refuses_a_store_that_fails_the_integrity_check(sh, tmp_path):
    sh("init", "--date", "2026-01-30")
    sh("product", "add", "monthly-pro", "--name", "Pro", "--interval", "month", "--price", "30")
    _damage(sh.db)
    before = sh.db.read_bytes()
    for args in (["run-day"], ["run-day", "--days", "3"], ["run-day", "--dry-run"]):
        line = sh.refused(*args, match="fails SQLite's integrity check")
        assert line.startswith(f"opsconsole: {sh.db} fails SQLite's integrity check: ")
    assert sh.db.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["store.db"]
    assert sh.json("clock")["date"] == "2026-01-30"  # the clock never moved


def test_r_input_6_a_snapshot_file_made_for_sqlite_to_fill_is_owner_only(tmp_path):
    """The helper `snapshot save` is to use: SQLite's VACUUM INTO keeps the file's mode."""
    from opsconsole.errors import DomainError
    from opsconsole.store import db as store_db

    old = os.umask(0)
    try:
        target = tmp_path / "snap.db"
        store_db.new_private_file(str(target), "snapshot")
        conn = sqlite3.connect(":memory:")
        conn.execute("CREATE TABLE t (x)")
        conn.execute("VACUUM INTO ?", (str(target),))
        conn.close()
        assert mode(target) == 0o600 and target.stat().st_size > 0
        with pytest.raises(DomainError, match="exists already"):
            store_db.new_private_file(str(target), "snapshot")
    finally:
        os.umask(old)
