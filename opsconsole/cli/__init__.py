"""The command line (CONTRACT.md): parse, call the core, print text or JSON. Nothing else.

No Textual here: scripts call these commands often, and importing it costs half a second."""

import getpass
import os
import sys

import click

from ..errors import DomainError
from ..text import check as check_text, escape


class Env:
    """What every command needs: where the store is, and who is acting."""

    def __init__(self, db: str, operator: str):
        self.db = db
        self.operator = operator

    def open(self, settings: bool = True):
        from ..store.db import open_store

        return open_store(self.db, settings=settings)


def _default_operator() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return "operator"


class Group(click.Group):
    """Turns a refusal into one line on stderr and exit 1, and never shows a traceback."""

    def parse_args(self, ctx, args):
        # No store text holds a NUL, and PostgreSQL cannot even be asked about one: an
        # argument with one is a usage error, whatever the command does with it.
        if any("\x00" in arg for arg in args):
            raise click.UsageError("an argument holds a NUL character", ctx)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        import peewee

        try:
            return super().invoke(ctx)
        except DomainError as exc:
            click.echo(f"opsconsole: {escape(str(exc))}", err=True)
            ctx.exit(1)
        except peewee.OperationalError as exc:
            click.echo(f"opsconsole: the store could not be used: {escape(str(exc))}", err=True)
            ctx.exit(1)
        except click.ClickException as exc:
            exc.message = escape(exc.message)  # click quotes what was typed, controls and all
            raise
        except (click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            # the reader stopped early (`| head`): not an error of ours; say nothing, and point
            # stdout at nothing so the interpreter's last flush does not fail again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(141)  # as a tool ended by SIGPIPE reports it
        except OSError as exc:  # a file named on the command line: too long, unreadable, ...
            where = f": {escape(exc.filename)}" if exc.filename else ""
            click.echo(f"opsconsole: {exc.strerror or exc}{where}", err=True)
            ctx.exit(1)
        except Exception as exc:
            if os.environ.get("OPSCONSOLE_DEBUG"):
                raise
            damage = _damage()
            if damage:  # explained by the store's own values, not a fault of ours
                click.echo(f"opsconsole: the store holds values it cannot read ({escape(damage)});"
                           " restore a snapshot, or correct the rows in the database", err=True)
                ctx.exit(1)
            click.echo(f"opsconsole: internal error ({type(exc).__name__}: {escape(str(exc))}); "
                       "set OPSCONSOLE_DEBUG=1 to see where", err=True)
            ctx.exit(1)


def _damage() -> str:
    """The first values of the wrong type in the bound store, if one is open (SQLite keeps any
    value in any column: a store written to by hand); empty when there are none."""
    try:
        from ..store import rows
        from ..store.models import TABLES, database

        if database.obj is None:
            return ""
        return "; ".join(rows.mistyped(database.obj, TABLES))
    except Exception:  # noqa: BLE001 - the search for a reason must not hide the first error
        return ""


@click.group(cls=Group, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar="OPSCONSOLE_DB", default="opsconsole.db", show_default=True,
              help="The store: a SQLite path or a database URL.")
@click.option("--operator", envvar="OPSCONSOLE_OPERATOR", default=None,
              help="Who acts, for the audit log (default: the OS user).")
@click.pass_context
def cli(ctx: click.Context, db: str, operator: str | None) -> None:
    """opsconsole: operate a subscription store from the terminal."""
    if operator is not None:
        check_text(operator, "--operator")  # R-INPUT-4: no forged lines in the audit log
        operator = operator.strip()
        if len(operator) > 100:
            raise DomainError("--operator is at most 100 characters")
    ctx.obj = Env(db, operator or _default_operator())
    if ctx.invoked_subcommand is None:
        open_console(ctx.obj)


def open_console(env: Env) -> None:
    """The terminal console; the only command that imports Textual."""
    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")  # `serve`, a tab
    if not sys.stdout.isatty() and not served:
        raise DomainError("the console needs a terminal; see 'opsconsole --help' for commands")
    env.open()
    from ..tui import settings
    from ..tui.app import make_app

    make_app(env.db, env.operator, deliver=True, settings=settings.load()).run()


def main() -> None:
    cli(prog_name="opsconsole")


from . import (cases_cmds, change_cmds, logs, money_cmds, products, store_cmds,  # noqa: E402,F401,I001
               serve_cmd, snapshot_cmds, sub_cmds, transfer,
               webhook_cmds)
from . import report_cmds  # noqa: E402,F401,I001  (report, attention)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
