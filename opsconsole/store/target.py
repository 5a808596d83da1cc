"""What --db names (R-INPUT-6, R-DB-1): a SQLite file or a PostgreSQL database, checked before
anything is opened or written, and shown with any password as ***."""

import math
import re
from urllib.parse import parse_qsl, urlparse

from ..errors import DomainError
from ..text import blank_controls, has_control

_SQLITE_QUERY = {"timeout"}  # the only setting a SQLite URL may carry: seconds to wait for a lock
SQLITE_SCHEMES = ("sqlite", "sqlite+pool")  # playhouse.db_url's names for a file
POSTGRES_SCHEMES = ("postgresql", "postgres")


def is_url(target: str) -> bool:
    return "://" in target


def display(target: str) -> str:
    """The target as it may be printed: a password in a URL shows as *** (R-DB-1)."""
    if not is_url(target):
        return blank_controls(target)
    try:
        parsed = urlparse(target)
    except ValueError:  # not even a URL's shape: mask what looks like a password, say no more
        return blank_controls(re.sub(r"(://[^/:@?#]*:)[^@]*@", r"\1***@", target))
    shown = target
    try:
        password = parsed.password
    except ValueError:
        password = None
    if password:
        user = parsed.username or ""
        host = parsed.netloc.rpartition("@")[2]
        shown = shown.replace(parsed.netloc, f"{user}:***@{host}", 1)
    # a password urlparse cannot see (a / or # in it), and libpq's password= query setting
    shown = re.sub(r"(://[^/:@?#]*:)[^@]*@", r"\1***@", shown, count=1)
    shown = re.sub(r"(?i)([?&]password=)[^&#]*", r"\1***", shown)
    return blank_controls(shown)


def secret_free(target: str, text: str) -> str:
    """An error text from a driver with the URL's password (if any) masked."""
    text = str(text)
    if is_url(target):
        parsed = urlparse(target)
        secrets = []
        try:
            secrets.append(parsed.password)
        except ValueError:
            pass
        secrets += [v for k, v in parse_qsl(parsed.query) if k.lower() == "password"]
        for secret in filter(None, secrets):
            text = text.replace(secret, "***")
    return " ".join(blank_controls(text, " ").split())


class Target:
    """What --db names: a SQLite file (`path`), or a PostgreSQL database (`path` is None, `url`
    the libpq URL)."""

    def __init__(self, text: str, path: str | None, url: str | None = None, settings=None):
        self.text = text
        self.path = path
        self.url = url
        self.settings = settings or {}

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None


def _in_memory(target: str) -> DomainError:
    return DomainError(f"{display(target) or 'an empty --db'} is an in-memory store, which keeps "
                       "nothing: give a file path (or sqlite:///path.db)")


def _sqlite_file(target: str, path: str) -> str:
    if path in ("", ":memory:"):
        raise _in_memory(target)
    if path.startswith("file:") and (":memory:" in path or "mode=memory" in path):
        raise _in_memory(target)  # what SQLite's own URI form would make of it
    if path.startswith("file:"):
        # This SQLite reads a name starting file: as a URI (file::memory:, ?mode=memory):
        # a path is a file, so say it is one
        path = "./" + path
    return path


def parse(target: str) -> Target:
    if target is None or not target.strip():
        raise DomainError("no store given: --db (or $OPSCONSOLE_DB) is empty")
    if has_control(target):
        raise DomainError(f"the store {display(target)!r} holds a control character")
    if not is_url(target):
        return Target(target, _sqlite_file(target, target))
    try:
        parsed = urlparse(target)
    except ValueError:
        raise DomainError(f"cannot open {display(target)}: the URL cannot be read (check its "
                          "user, password, host and port)") from None
    if parsed.scheme in POSTGRES_SCHEMES:
        # libpq reads both spellings; the driver is given the one it documents
        return Target(target, None, "postgresql" + target[len(parsed.scheme):])
    if parsed.scheme not in SQLITE_SCHEMES:
        raise DomainError(f"cannot open {display(target)}: unknown kind of database "
                          f"{parsed.scheme!r} (give a path, sqlite:///path or postgresql://...)")
    if parsed.netloc:
        raise DomainError(f"cannot open {display(target)}: a SQLite URL names a file, not a host "
                          f"(three slashes: {parsed.scheme}:///path.db)")
    settings = {}
    for key, value in parse_qsl(parsed.query, keep_blank_values=True):
        if key not in _SQLITE_QUERY:
            raise DomainError(f"cannot open {display(target)}: unknown setting {key!r} in the URL "
                              "(a SQLite URL takes only timeout=SECONDS)")
        try:
            seconds = float(value)
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            raise DomainError(f"cannot open {display(target)}: timeout must be a number of "
                              f"seconds, not {value!r}")
        settings[key] = seconds
    return Target(target, _sqlite_file(target, parsed.path[1:]), settings=settings)


def sqlite_path(target: str) -> str | None:
    """The file behind a target, or None where it is a server database. Refused (DomainError)
    where the target cannot be a store at all (empty, in-memory, a bad URL)."""
    return parse(target).path
