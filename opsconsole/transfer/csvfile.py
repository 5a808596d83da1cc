"""Reading a CSV an operator hands us: UTF-8 (with or without the spreadsheet BOM), commas."""

import csv
import io
import sys
from pathlib import Path

from ..errors import DomainError

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # long cells are refused per row, not here


def read_rows(path: str, required: tuple[str, ...], what: str) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows. A missing file, bad encoding or a header without the
    required columns refuses the whole file."""
    file = Path(path)
    if not file.is_file():
        raise DomainError(f"no file {path}")
    data = file.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise DomainError(f"{what} {path} is not UTF-8 text (line {line}); save it as "
                          "UTF-8 CSV") from None
    if "\x00" in text:
        raise DomainError(f"{what} {path} is not a text file")
    try:
        # A stream, not splitlines(): form feeds and the like are ordinary characters in a cell.
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DomainError(f"{what} {path} is not a readable CSV file: {exc}") from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise DomainError(f"{what} {path} is empty: it needs a header row")
    header = [cell.strip() for cell in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        hint = " (it looks separated by ';': use commas)" if ";" in ",".join(rows[0]) else ""
        raise DomainError(f"{what} {path} lacks the required column"
                          f"{'s' if len(missing) > 1 else ''} {', '.join(missing)}{hint}")
    dupes = sorted({c for c in header if c and header.count(c) > 1})
    if dupes:
        raise DomainError(f"{what} {path} has the column {', '.join(dupes)} more than once")
    return header, rows[1:]


def sanitize(value: str) -> str:
    """R-EXPORT-1: a cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value
