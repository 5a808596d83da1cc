"""The machinery of the CLI fuzz test (tests/cli/test_fuzz.py): a seeded store built once, a
copy of it per example, two ways to run a command (in-process through click's CliRunner, or
the real console script), a logical dump of a store, and the rules every invocation must keep.

On both engines (tests/engines.py): the seeded store is a SQLite file, copied into each
example's folder, or a PostgreSQL database, copied per example as a template into a database
of its own (the example still has its folder, where relative paths, exports and --db files go).

The rules (CONTRACT.md "Exit codes", SPEC 9b R-INPUT-*):
- the exit code is 0, 1 or 2; nothing prints "internal error" or a traceback, and no exception
  other than SystemExit escapes the command;
- exit 1 (refused) and exit 2 (usage error) leave the store's dump identical and write no file;
  the one documented exception is a charge that was attempted and declined (`charge`, `pay`),
  which is reported on stdout and recorded;
- a refusal in text mode is exactly one line on stderr starting with "opsconsole: " and nothing
  on stdout (`charge A B C` reports one line per ID instead);
- no output carries a control character other than newline and tab (R-INPUT-4), nor the
  password of a database URL;
- `--json` output of a command that succeeded is JSON, with no floats (amounts are strings);
- listings, previews (prorate and bulk-price without --confirm), dry runs and --help write
  nothing even when they succeed;
- after a command that succeeded, the store is still a store (`clock` works), every table
  listing prints exactly one line per row (no stored text can forge a line, R-INPUT-4), and no
  charge above 1,000,000 was made (R-INPUT-1).
"""

import concurrent.futures
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from tests import engines

ROOT = Path(__file__).resolve().parents[2]
STORY = ROOT / "fixtures" / "story"
EXE = shutil.which("opsconsole", path=str(Path(sys.executable).parent)) or "opsconsole"

STORE = "store.db"  # the copy of the seeded store, in each example's folder (SQLite)
STORE_VAR = "$STORE"  # how a reproducer names the copy of a seeded PostgreSQL store
OPERATOR = "fuzzer"
SECRET = "s3cr3tpw"  # the password in every database URL the fuzzer makes; never to be printed
TIMEOUT = float(os.environ.get("OPSCONSOLE_FUZZ_TIMEOUT", "15"))  # seconds per invocation

# Placeholders a strategy may put in an argument; filled in per example.
DIR_TOKEN = "@DIR@"      # the example's folder (absolute)
STORE_TOKEN = "@STORE@"  # the example's copy of the store (absolute path, or its URL)
INPUT_TOKEN = "@IN@"     # the folder of prepared input files (absolute, read-only use)

# C0 controls but newline and tab, DEL, and the C1 controls (\x9b is a CSI on many terminals).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")


class FuzzTimeout(BaseException):
    """An invocation ran past TIMEOUT. A BaseException, so the CLI's own catch-all (which
    turns Exception into 'internal error') lets it through."""


@dataclasses.dataclass
class Outcome:
    argv: list[str]
    operator: str
    exit_code: int | None
    stdout: str
    stderr: str
    exception: str | None = None  # "Type: message" of an exception other than SystemExit
    trace: str | None = None
    elapsed: float = 0.0
    timed_out: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


# ---------------------------------------------------------------------------------------------
# Running a command

def _force_close() -> None:
    """Close the store the last in-process command opened, whatever state it was left in."""
    from opsconsole.store import db as store_db
    from opsconsole.store.models import database

    try:
        store_db.close_store()
    except Exception:
        db = database.obj
        if db is not None:
            with contextlib.suppress(Exception):
                conn = db._state.conn
                if conn is not None:
                    conn.close()
            with contextlib.suppress(Exception):
                db._state.reset()


@contextlib.contextmanager
def _deadline(seconds: float):
    def fire(signum, frame):
        raise FuzzTimeout(f"ran past {seconds:g} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_inprocess(argv: list[str], db: Path | str, operator: str = OPERATOR,
                  timeout: float = TIMEOUT) -> Outcome:
    """`opsconsole ARGV` through click's CliRunner on `opsconsole.cli:cli`, with the same
    environment the console script would see; the store is closed afterwards."""
    from opsconsole.cli import cli

    env = {"OPSCONSOLE_DB": str(db), "OPSCONSOLE_OPERATOR": operator, "OPSCONSOLE_DEBUG": None,
           "COLUMNS": "80"}
    runner = CliRunner()
    started = time.monotonic()
    try:
        with _deadline(timeout):
            result = runner.invoke(cli, argv, env=env, prog_name="opsconsole",
                                   catch_exceptions=True)
    except FuzzTimeout as exc:
        _force_close()
        return Outcome(argv, operator, None, "", "", f"FuzzTimeout: {exc}", None,
                       time.monotonic() - started, timed_out=True)
    finally:
        _force_close()
    exception = trace = None
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exception = f"{type(result.exception).__name__}: {result.exception}"
        trace = "".join(traceback.format_exception(*result.exc_info))
    return Outcome(argv, operator, result.exit_code, result.stdout, result.stderr, exception,
                   trace, time.monotonic() - started)


def run_subprocess(argv: list[str], db: Path | str, operator: str = OPERATOR,
                   timeout: float = TIMEOUT) -> Outcome:
    """`opsconsole ARGV` through the installed console script, in the current folder (an
    example's: Example makes it the current one)."""
    env = {**os.environ, "OPSCONSOLE_DB": str(db), "OPSCONSOLE_OPERATOR": operator,
           "COLUMNS": "80"}
    env.pop("OPSCONSOLE_DEBUG", None)
    started = time.monotonic()
    try:
        proc = subprocess.run([EXE, *argv], capture_output=True, env=env, cwd=os.getcwd(),
                              stdin=subprocess.DEVNULL, timeout=timeout)
    except subprocess.TimeoutExpired:
        return Outcome(argv, operator, None, "", "", f"FuzzTimeout: ran past {timeout:g} s",
                       None, time.monotonic() - started, timed_out=True)
    decode = lambda b: b.decode("utf-8", "backslashreplace")  # noqa: E731
    return Outcome(argv, operator, proc.returncode, decode(proc.stdout), decode(proc.stderr),
                   None, None, time.monotonic() - started)


# ---------------------------------------------------------------------------------------------
# The seeded store, and an example's folder

SEED_COMMANDS = [
    ["init", "--date", "2026-01-30"],
    ["product", "add", "monthly-pro", "--name", "Pro (monthly)", "--interval", "month",
     "--price", "30.00"],
    ["product", "add", "annual-team", "--name", "Team (annual)", "--interval", "year",
     "--price", "200.00", "--currency", "EUR"],
    ["product", "add", "weekly-box", "--name", "Box (weekly)", "--interval", "week",
     "--price", "9.99"],
    ["product", "add", "usage-api", "--name", "API usage", "--interval", "adhoc",
     "--price", "5.00"],
    ["product", "add", "daily-news", "--name", "News (every 7 days)", "--interval", "day",
     "--length", "7", "--price", "1.50", "--trial-days", "3"],
    ["product", "add", "euro-month", "--name", "Euro (monthly)", "--interval", "month",
     "--price", "12.50", "--currency", "EUR"],
    ["product", "add", "intro-month", "--name", "Intro (monthly)", "--interval", "month",
     "--price", "10.00", "--rebills", "2", "--renews-into", "monthly-pro"],
    # two endpoints on ports nothing listens on (no deliverer runs): the import's and the
    # days' events get deliveries to look at, redeliver and filter
    ["webhooks", "add", "http://127.0.0.1:9/all"],
    ["webhooks", "add", "http://127.0.0.1:9/charges", "--events", "subscription.charge.*"],
    ["import", str(STORY / "subscriptions.csv"), "--payments", str(STORY / "payments.csv")],
    ["run-day", "--days", "3"],
    ["pause", "OLD-1002", "--periods", "1"],
    ["cancel", "OLD-1005"],
    ["cases", "new", "--subject", "Charged twice", "--category", "Transactions", "--sub",
     "OLD-1001", "--description", "line one\nline two"],
    ["cases", "new", "--subject", "Refund please", "--category", "Subscriptions",
     "--qualify", "severity,breadth"],
    ["cases", "note", "2", "We are on it"],
    ["cases", "status", "2", "Closed"],
    ["product", "addon", "monthly-pro", "--offer", "storage", "--price", "4.95"],
    ["product", "addon", "monthly-pro", "--offer", "support-standard", "--price", "3.00",
     "--group", "support", "--single"],
    ["product", "addon", "monthly-pro", "--offer", "support-priority", "--price", "8.00",
     "--group", "support", "--single"],
    ["addon", "add", "OLD-1001", "storage", "--quantity", "2"],
    ["addon", "add", "OLD-1003", "support-standard"],
]


def build_seed(folder: Path, url: str | None = None) -> Path | str:
    """The seeded store: on 2026-01-30, seven products (every interval, adhoc, two in EUR), the
    story import (8 subscriptions, one rejected row), three days run, a pause, a scheduled
    cancel, an open case and a closed one. Built in-process, then closed (WAL checkpointed):
    folder/store.db, or, given the URL of a new PostgreSQL database, that database (closed,
    with no connection left, so that it can be copied as a template)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = url if url is not None else folder / STORE
    for argv in SEED_COMMANDS:
        out = run_inprocess(argv, db, "seeder")
        assert out.exit_code == 0 and out.exception is None, (argv, out)
    if url is not None:
        others = engines.execute(
            url, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid()")[0][0]
        assert others == 0, f"the seeded store still has {others} connections"
        return url
    # one plain connection, closed: the WAL is checkpointed into the file and removed
    sqlite3.connect(db).close()
    for suffix in ("-wal", "-shm"):
        assert not Path(f"{db}{suffix}").exists() or Path(f"{db}{suffix}").stat().st_size == 0
    return db


def make_inputs(folder: Path) -> Path:
    """Files the fuzzer may name as input (import, --payments, --attach, --db): read-only."""
    folder.mkdir(parents=True, exist_ok=True)
    header = (STORY / "subscriptions.csv").read_text().splitlines()[0]
    cols = header.split(",")
    good = (STORY / "subscriptions.csv").read_text().splitlines()[1]
    new_row = good.replace("OLD-1001", "NEW-1").replace("ada@example.com", "new1@example.com") \
        .replace("2026-01-31", "2026-02-20")
    (folder / "story.csv").write_text((STORY / "subscriptions.csv").read_text())
    (folder / "payments.csv").write_text((STORY / "payments.csv").read_text())
    (folder / "one-new.csv").write_text(header + "\n" + new_row + "\n")
    (folder / "all-bad.csv").write_text(header + "\n" + ",".join(["x"] * len(cols)) + "\n")
    (folder / "header-only.csv").write_text(header + "\n")
    (folder / "bad-header.csv").write_text("referenceId,first,last\nX,A,B\n")
    (folder / "control.csv").write_text(
        header + "\n" + new_row.replace("NEW-1", "NEW-\x1b[2J").replace("Ada", "A\x07da") + "\n")
    (folder / "bom.csv").write_bytes(b"\xef\xbb\xbf" + (header + "\n" + new_row + "\n").encode())
    (folder / "latin1.csv").write_bytes((header + "\n" + new_row.replace("Ada", "Ad\xe9") + "\n")
                                        .encode("latin-1"))
    (folder / "empty.csv").write_bytes(b"")
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (folder / "huge-field.csv").write_text(header + "\n" + new_row.replace("Ada", "A" * 200_000)
                                           + "\n")
    (folder / "pay-card.csv").write_text("referenceId,token,last4,expiry\n"
                                         "NEW-1,4242424242424242,4242,12/28\n")
    (folder / "a dir").mkdir(exist_ok=True)
    (folder / "résumé ☃.csv").write_text(header + "\n" + new_row.replace("NEW-1", "NEW-2")
                                         .replace("new1@", "new2@") + "\n")
    return folder


class Example:
    """A folder holding a fresh copy of the seeded store (and a few files a --db may name);
    the process works in it while the example runs, so relative paths land there. On
    PostgreSQL the copy is a database of its own (`db` is its URL; see Copies)."""

    def __init__(self, seed: Path | str, inputs: Path, base: Path):
        self.dir = Path(tempfile.mkdtemp(prefix="ex-", dir=base))
        if engines.is_sqlite(seed):
            self.db = self.dir / STORE
            shutil.copyfile(seed, self.db)
            os.chmod(self.db, 0o600)
        else:
            self.db = COPIES.take(str(seed))
        (self.dir / "empty.db").write_bytes(b"")
        (self.dir / "text.db").write_text("this is not a database\n")
        (self.dir / "sub").mkdir()
        self.inputs = inputs
        self._cwd = None
        self._conn = None  # PostgreSQL: the connection dump() reads the store on

    @property
    def is_sqlite(self) -> bool:
        return isinstance(self.db, Path)

    def fill(self, arg: str) -> str:
        return (arg.replace(STORE_TOKEN, str(self.db)).replace(DIR_TOKEN, str(self.dir))
                .replace(INPUT_TOKEN, str(self.inputs)))

    def scrub(self, text: str) -> str:
        """Output with what differs from one copy of the seed to the next written @DIR@ and
        @STORE@ (the folder; the database's URL, as given and as printed, and its name)."""
        if not self.is_sqlite:
            from opsconsole.store.target import display

            name = engines.database_name(self.db)
            for shown in (self.db, display(self.db)):
                text = text.replace(shown, "@STORE@")
            text = re.sub(rf"(?<![0-9A-Za-z_]){re.escape(name)}(?![0-9A-Za-z_])", "@STORE@",
                          text)
        return text.replace(str(self.dir), "@DIR@")

    def dump(self) -> str:
        """dump() of the example's store. On PostgreSQL through one connection kept for the
        example (in autocommit: between two dumps it is idle, holding no lock and no
        snapshot), which saves a new server process per dump."""
        if self.is_sqlite:
            return dump(self.db)
        if self._conn is None or self._conn.closed:
            import psycopg

            try:
                self._conn = psycopg.connect(self.db, autocommit=True, prepare_threshold=0)
            except psycopg.Error as exc:
                return f"<no database: {' '.join(str(exc).split())}>"
        return dump_postgres(self._conn)

    def __enter__(self):
        self._cwd = os.getcwd()
        os.chdir(self.dir)
        return self

    def __exit__(self, *exc):
        os.chdir(self._cwd)
        shutil.rmtree(self.dir, ignore_errors=True)
        if self._conn is not None:
            self._conn.close()
        if not self.is_sqlite:
            COPIES.used(self.db)


class Copies:
    """Copies of a seeded PostgreSQL store, engines.new_database(template=seed), made AHEAD
    at a time in the background while examples run: a copy is a CREATE DATABASE, whose cost
    is the disk's (it writes the ~8 MB any database holds), not this process's.

    Used copies are not dropped: a drop forces a checkpoint, which costs more than the copy,
    and the throwaway server goes with its folder at the end of the run (as every other
    test's databases do). Past KEEP of them (OPSCONSOLE_FUZZ_EXAMPLES scaled up), the oldest
    are dropped in the background, so that a long run's disk use stays bounded, on a server
    OPSCONSOLE_TEST_PG names too."""

    AHEAD = 2
    KEEP = 400

    def __init__(self):
        self._workers: concurrent.futures.ThreadPoolExecutor | None = None
        self._ahead: dict[str, list[concurrent.futures.Future]] = {}
        self._used: list[str] = []

    def _submit(self, fn, *args) -> concurrent.futures.Future:
        if self._workers is None:
            self._workers = concurrent.futures.ThreadPoolExecutor(self.AHEAD, "fuzz-copies")
        return self._workers.submit(fn, *args)

    def take(self, seed: str) -> str:
        """A new copy of the seed (which must be closed: no connection open on it)."""
        ahead = self._ahead.setdefault(seed, [])
        url = ahead.pop(0).result() if ahead else engines.new_database(template=seed)
        while len(ahead) < self.AHEAD:
            ahead.append(self._submit(engines.new_database, seed))
        return url

    def used(self, url: str) -> None:
        """An example is done with its copy (and has closed its connections)."""
        self._used.append(url)
        while len(self._used) > self.KEEP:
            self._submit(engines.drop_database, self._used.pop(0))

    def finish(self, seed: str) -> None:
        """Done with this seed: wait for the copies made ahead of it and any drop under way."""
        for future in self._ahead.pop(seed, []):
            self._used.append(future.result())
        if self._workers is not None:
            self._workers.shutdown(wait=True)
            self._workers = None


COPIES = Copies()


# ---------------------------------------------------------------------------------------------
# What a store and a folder hold

def dump(db: Path | str) -> str:
    """A logical dump of every table (schema and rows, nothing left out); a file that is gone
    or is not a database dumps as a line that says so. A PostgreSQL URL: dump_postgres."""
    if not isinstance(db, Path):
        return dump_postgres(db)
    if not db.exists():
        return "<no file>"
    if not db.is_file():
        return "<not a file>"
    try:
        conn = sqlite3.connect(db)
        try:
            head = [f"-- user_version {conn.execute('PRAGMA user_version').fetchone()[0]}"]
            return "\n".join(head + list(conn.iterdump()))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"<not a database: {exc}>"


_PG_SCHEMA = """
SELECT line FROM (
  SELECT 1 AS k, c.relname AS t, a.attnum AS n,
         format('column %s.%s %s collate %s%s default %s', c.relname, a.attname,
                format_type(a.atttypid, a.atttypmod), coalesce(co.collname, '-'),
                CASE WHEN a.attnotnull THEN ' not null' ELSE '' END,
                coalesce(pg_get_expr(d.adbin, d.adrelid), '-')) AS line
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
     AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 2, conrelid::regclass::text, 0,
         format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
    FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
  UNION ALL
  SELECT 3, tablename, 0, 'index ' || indexdef FROM pg_indexes
   WHERE schemaname = current_schema()
  UNION ALL
  SELECT 4, tgrelid::regclass::text, 0, 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger
   WHERE NOT tgisinternal AND tgrelid IN (
         SELECT oid FROM pg_class WHERE relnamespace = current_schema()::regnamespace)
  UNION ALL
  SELECT 5, proname, 0, 'function ' || pg_get_functiondef(oid) FROM pg_proc
   WHERE pronamespace = current_schema()::regnamespace AND prokind IN ('f', 'p')
) schema ORDER BY k, t, n, line
;
SELECT c.relname, coalesce((
         SELECT array_agg(a.attname::text ORDER BY k.n)
           FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
          WHERE i.indrelid = c.oid AND i.indisprimary), '{}')
  FROM pg_class c
 WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
 ORDER BY 1
"""


def dump_postgres(db) -> str:
    """A PostgreSQL store's logical dump (db: its URL, or a connection in autocommit): every
    table of the store's schema, with its columns, constraints, indexes and triggers (and the
    schema's functions), then every row of it as JSON, one a line, in the order of its
    primary key (of the row's text where it has none), so that the same content dumps the
    same whatever the rows' physical order. Nothing is left out but the sequences' positions,
    which are not data (PostgreSQL never rolls them back: a refused insert may use up ids)."""
    import psycopg
    from psycopg import sql

    if isinstance(db, str):
        try:
            conn = psycopg.connect(db, autocommit=True)
        except psycopg.Error as exc:
            return f"<no database: {' '.join(str(exc).split())}>"
        with conn:
            return dump_postgres(conn)
    schema, tables_query = _PG_SCHEMA.split(";")
    out = [f"-- {line}" for line, in db.execute(schema).fetchall()]
    tables = db.execute(tables_query).fetchall()
    if not tables:
        return "\n".join(out + ["-- no tables"])
    parts = []
    for table, key in tables:
        order = (sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(c)) for c in key)
                 if key else sql.SQL("row_to_json(r)::text"))
        parts.append(sql.SQL("(SELECT string_agg(row_to_json(r)::text, E'\\n' ORDER BY {}) "
                             "FROM {} AS r)").format(order, sql.Identifier(table)))
    rows = db.execute(sql.SQL("SELECT ") + sql.SQL(", ").join(parts)).fetchone()
    for (table, _), text in zip(tables, rows):
        out.append(f"-- rows of {table}")
        out += [f"{table} {line}" for line in (text or "").split("\n") if line]
    return "\n".join(out)


SIDECARS = ("-wal", "-shm", "-journal")


def files(folder: Path, store: Path | str) -> dict[str, tuple]:
    """Every file under the folder but the store and SQLite's side files: name -> size, hash.
    (A PostgreSQL store is not in the folder: every file there counts.)"""
    out = {}
    for path in sorted(folder.rglob("*")):
        if isinstance(store, Path) and (path == store or path.name.endswith(SIDECARS)
                                        and path.name.startswith(store.name)):
            continue
        rel = str(path.relative_to(folder))
        if path.is_dir():
            out[rel] = ("dir",)
        else:
            data = path.read_bytes()
            out[rel] = (len(data), hashlib.sha1(data).hexdigest())
    return out


def diff_summary(before: str, after: str, limit: int = 3) -> str:
    old, new = set(before.splitlines()), set(after.splitlines())
    gone = sorted(old - new)[:limit]
    came = sorted(new - old)[:limit]
    return "; ".join([f"- {line[:160]}" for line in gone] + [f"+ {line[:160]}" for line in came])


# ---------------------------------------------------------------------------------------------
# The rules

def _words(argv: list[str]) -> list[str]:
    """The command words of an argv, past the global options."""
    rest = list(argv)
    while rest and rest[0] in ("--db", "--operator"):
        rest = rest[2:]
    return rest


def command_name(argv: list[str]) -> str:
    words = _words(argv)
    if not words:
        return "(none)"
    if words[0] in ("product", "subs", "cases", "webhooks", "snapshot", "addon", "accounts"):
        return " ".join(words[:2])
    return words[0]


def lines(text: str) -> list[str]:
    """The lines a terminal shows: split at newlines only (str.splitlines also splits at
    \\x1c-\\x1e, \\x85 and \\u2028, which are caught as control characters instead)."""
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n") if text else []


def _floats(value) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_floats(v) for v in value.values())
    if isinstance(value, list):
        return any(_floats(v) for v in value)
    return False


READ_ONLY = {"clock", "product list", "subs list", "subs show", "export", "charges", "events",
             "notifications", "audit", "cases list", "cases show", "(none)",
             "webhooks list", "webhooks show", "webhooks deliveries", "snapshot list",
             "accounts show", "attention", "report"}


def _helped(out: "Outcome") -> bool:
    """--help or -h was taken as such (not as an option's value): click printed the help."""
    return out.exit_code == 0 and out.stdout.startswith("Usage: ")


def writes_nothing(out: "Outcome") -> bool:
    """Listings, previews (prorate, bulk-price without --confirm), dry runs and --help."""
    words = _words(out.argv)
    cmd = command_name(out.argv)
    return (cmd in READ_ONLY or _helped(out)
            or cmd in ("prorate", "bulk-price") and "--confirm" not in words
            or cmd in ("run-day", "import") and "--dry-run" in words)


def _declined(out: Outcome) -> bool:
    """A charge attempted and declined: reported on stdout, recorded, exit 1 (`charge`, `pay`)."""
    return command_name(out.argv) in ("charge", "pay") and out.exit_code == 1 \
        and out.stdout.strip() != ""


def check(out: Outcome, before: str, after: str, files_before: dict,
          files_after: dict) -> list[str]:
    """Every rule this invocation broke, as short labels with detail (empty: it kept them)."""
    bad = []
    cmd = command_name(out.argv)
    json_mode = "--json" in out.argv
    if out.timed_out:
        return [f"{cmd}: no answer within {TIMEOUT:g} s ({out.exception})"]
    if out.exception is not None:
        bad.append(f"{cmd}: exception escaped the CLI: {out.exception}")
    for text, where in ((out.stdout, "stdout"), (out.stderr, "stderr")):
        if "internal error" in text:
            m = re.search(r"internal error \(([A-Za-z_.]+)", text)
            bad.append(f"{cmd}: internal error ({m.group(1) if m else '?'}) on {where}: "
                       f"{text.strip()[:300]!r}")
        if "Traceback" in text:
            bad.append(f"{cmd}: traceback on {where}")
        found = sorted(set(CONTROL.findall(text)))
        if found:
            bad.append(f"{cmd}: control characters {found!r} printed on {where}")
        if SECRET in text:
            bad.append(f"{cmd}: a database URL's password printed on {where}")
    if out.exit_code not in (0, 1, 2):
        bad.append(f"{cmd}: exit code {out.exit_code}")
    if out.exit_code == 0 and after != before and writes_nothing(out):
        bad.append(f"{cmd}: a command that writes nothing (a listing, a preview, a dry run, "
                   f"--help) changed the store: {diff_summary(before, after)}")
    refused = out.exit_code in (1, 2) and not _declined(out)
    if refused and after != before:
        bad.append(f"{cmd}: exit {out.exit_code} but the store changed: "
                   f"{diff_summary(before, after)}")
    if refused and files_after != files_before:
        added = sorted(set(files_after) - set(files_before))
        changed = sorted(k for k in files_before if files_after.get(k) != files_before[k])
        bad.append(f"{cmd}: exit {out.exit_code} but files were written: "
                   f"new {added}, changed {changed}")
    words = _words(out.argv)
    if cmd == "charge" and out.exit_code in (0, 1) and not json_mode and not _helped(out) \
            and not out.stderr.startswith("opsconsole: "):
        # one line per ID, on stdout (charged or declined) or stderr (refused)
        refs = [w for w in words[1:] if w != "--"]
        printed = lines(out.stdout) + lines(out.stderr)
        if len(printed) != len(refs):
            bad.append(f"charge: {len(refs)} IDs reported in {len(printed)} lines: "
                       f"{(out.stdout + out.stderr)[:300]!r}")
    elif out.exit_code == 1 and not _declined(out):
        said = lines(out.stderr)
        if out.stdout and not json_mode:
            bad.append(f"{cmd}: refused (exit 1) but printed on stdout: {out.stdout[:200]!r}")
        # R-INPUT-9: an import that imports nothing prints its reasons (one a line) after it
        if not said or not said[0].startswith("opsconsole: ") \
                or len(said) > 1 and not (cmd == "import" and not json_mode):
            bad.append(f"{cmd}: a refusal is not one 'opsconsole: ' line on stderr: "
                       f"{out.stderr[:300]!r}")
    if out.exit_code == 0 and json_mode and not _helped(out):
        try:
            docs = ([json.loads(line) for line in lines(out.stdout)] if cmd == "charge"
                    else [json.loads(out.stdout)])
        except ValueError as exc:
            bad.append(f"{cmd}: --json printed something that is not JSON ({exc}): "
                       f"{out.stdout[:200]!r}")
        else:
            if any(_floats(d) for d in docs):
                bad.append(f"{cmd}: --json printed a float")
    return bad


LISTINGS = [["subs", "list"], ["product", "list"], ["cases", "list"], ["audit"],
            ["notifications"], ["charges"]]
MAX_CHARGE = 1_000_000  # R-INPUT-1: no charge above 1,000,000 (major units) is ever made


def listing_check(run, db: Path | str) -> list[str]:
    """After commands that succeeded: the store still opens, and each table prints one line per
    row (a header and the rows), so no stored text forged a line (R-INPUT-4)."""
    bad = []
    clock = run(["clock"], db)
    if clock.exit_code != 0:
        return [f"after a command that succeeded the store no longer opens: "
                f"{(clock.stderr or clock.stdout).strip()[:200]!r}"]
    for words in LISTINGS:
        name = " ".join(words)
        text = run(words, db)
        data = run(words + ["--json"], db)
        for out in (text, data):
            bad += [f"(listing) {b}" for b in check(out, "", "", {}, {})]
        if text.exit_code != 0 or data.exit_code != 0:
            bad.append(f"(listing) {name} exits {text.exit_code}/{data.exit_code} on a store a "
                       f"command left: {(text.stderr or data.stderr).strip()[:200]!r}")
            continue
        rows = json.loads(data.stdout)
        if words == ["charges"]:
            big = [c for c in rows if Decimal(c["amount"]) > MAX_CHARGE]
            if big:
                bad.append(f"(listing) a charge above {MAX_CHARGE:,} was made: {big[0]}")
        printed = lines(text.stdout)
        if len(printed) != 1 + len(rows):
            extra = [line for line in printed[1:] if line][:3]
            bad.append(f"(listing) {name}: {len(rows)} rows printed as {len(printed) - 1} lines "
                       f"(stored text forged a line): {extra!r}")
    return bad


# ---------------------------------------------------------------------------------------------
# Reproducers

def shell_quote(arg: str) -> str:
    if arg and all(c.isprintable() and c not in "'\\" for c in arg) \
            and not CONTROL.search(arg):
        return shlex.quote(arg)
    out = []
    for c in arg:
        if c == "'":
            out.append("\\'")
        elif c == "\\":
            out.append("\\\\")
        elif c == "\n":
            out.append("\\n")
        elif c == "\t":
            out.append("\\t")
        elif ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f:
            out.append(f"\\x{ord(c):02x}")
        elif not c.isprintable():
            out.append(f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}")
        else:
            out.append(c)
    return "$'" + "".join(out) + "'"


def reproducer(argv: list[str], operator: str, example: "Example | None" = None) -> str:
    """The command line, on a copy of the seeded store: a file named store.db in the current
    folder, or (PostgreSQL) the database whose URL is in $STORE."""
    on_url = example is not None and not example.is_sqlite

    def local(a: str) -> str:
        if example is None:
            return shell_quote(a)
        if on_url and str(example.db) in a:  # the URL, wherever it is in the argument
            return f'"{STORE_VAR}"'.join(_relative(part, example) if part else ""
                                         for part in a.split(str(example.db)))
        return _relative(a.replace(str(example.db), STORE), example)

    db = f'"{STORE_VAR}"' if on_url else STORE
    env = f"OPSCONSOLE_DB={db} OPSCONSOLE_OPERATOR={shell_quote(operator)}"
    return f"{env} opsconsole " + " ".join(local(a) for a in argv)


def _relative(a: str, example: "Example") -> str:
    a = a.replace(str(example.dir) + "/", "").replace(str(example.dir), ".") \
        .replace(str(example.inputs), "$IN")
    return shell_quote(a)
