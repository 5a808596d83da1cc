"""Option types and printing helpers shared by the commands."""

import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation

import click

from ..text import escape, has_control


class DecimalText(click.ParamType):
    """A number kept as text for the core to parse exactly; not a number is a usage error."""

    name = "amount"

    def convert(self, value, param, ctx):
        try:
            if not Decimal(str(value).strip()).is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(f"{value!r} is not a number", param, ctx)
        return str(value).strip()


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            if len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


class FilePath(click.Path):
    """A file named on the command line: a NUL or another control character in it is a usage
    error, not something for the file system to choke on."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and has_control(value):
            self.fail(f"'{escape(value)}' holds a control character", param, ctx)
        return super().convert(value, param, ctx)


AMOUNT = DecimalText()
FILE = FilePath(dir_okay=False)
DATE = DateParam()

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def print_json(data) -> None:
    click.echo(json.dumps(data, indent=2))


def interactive(as_json: bool) -> bool:
    """A progress bar only for a person at a terminal."""
    return not as_json and sys.stdout.isatty() and sys.stderr.isatty()


def table(rows: list[list[str]], header: list[str]) -> None:
    """Columns padded to their widest cell; stored text is escaped, so no cell can forge a
    line or move the cursor (R-INPUT-4)."""
    rows = [[escape(c) for c in row] for row in rows]
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    click.echo(line(header))
    for row in rows:
        click.echo(line(row))


def name_unread(unread: list) -> None:
    """The rows a listing left out because the store cannot read them (each an Unreadable, or
    its message): each named on stderr, then exit 1 (the rows it could read are printed
    already)."""
    if unread:
        for exc in unread:
            click.echo(f"opsconsole: {escape(str(exc))}; not listed", err=True)
        raise click.exceptions.Exit(1)


def plural(n: int, word: str) -> str:
    """'1 subscription', '2 subscriptions'."""
    return f"{n} {word}{'' if n == 1 else 's'}"
