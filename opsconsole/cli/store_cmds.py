"""init, clock, run-day."""

import sys

import click

from ..errors import DomainError
from ..text import escape
from . import cli
from .params import DATE, interactive, json_option, print_json


@cli.command("init")
@click.option("--date", "date", type=DATE, help="The store's first date (default: today).")
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--currency", default="USD", show_default=True)
@click.pass_obj
def init_cmd(env, date, timezone, currency):
    """Create an empty store."""
    from ..clock import init_store
    from ..store.target import display

    info = init_store(env.db, date, timezone, currency)
    click.echo(f"store created at {display(env.db)}; clock {info['at']}")


@cli.command("clock")
@json_option
@click.pass_obj
def clock_cmd(env, as_json):
    """The store's date-time."""
    from ..clock import clock_info

    env.open()
    info = clock_info()
    if as_json:
        print_json(info)
    else:
        click.echo(f"{info['at']} ({info['timezone']})")


_ONE = {"reminders": "reminder", "overdue_notices": "overdue notice",
        "cases_closed": "case closed"}


def _day_line(report: dict) -> str:
    counts = report["counts"]
    done = ", ".join(f"{v} {_ONE.get(k, k) if v == 1 else k.replace('_', ' ')}"
                     for k, v in counts.items() if v)
    aside = len(report.get("set_aside", ()))
    if aside:
        done = f"{done + ', ' if done else ''}{aside} set aside"
    return f"{report['date']}  {done or 'nothing due'}"


@cli.command("run-day")
@click.option("--days", type=int, help="How many days to run (default 1).")
@click.option("--until", type=DATE, help="Run every day up to this date.")
@click.option("--dry-run", is_flag=True, help="Report what would happen; write nothing.")
@click.option("--workers", type=int, default=1, show_default=True,
              help="Split each day's subscriptions over this many processes (PostgreSQL).")
@json_option
@click.pass_obj
def run_day_cmd(env, days, until, dry_run, workers, as_json):
    """Move the store clock forward and run each day's work."""
    from ..clock import run_days, target_date, today

    if days is not None and until is not None:
        raise click.UsageError("give --days or --until, not both")
    env.open()
    start = today()
    total = (target_date(days, until) - start).days
    if interactive(as_json) and total > 1:
        with click.progressbar(length=total, label="running days", file=click.get_text_stream(
                "stderr")) as bar:
            reports = run_days(days, until, dry_run, on_day=lambda r: bar.update(1),
                               workers=workers)
    else:
        reports = run_days(days, until, dry_run, workers=workers)
    if as_json:
        print_json(reports)
    else:
        if dry_run:
            click.echo("dry run: nothing was written")
        for report in reports:
            click.echo(_day_line(report))
        if not reports:
            click.echo(f"the store is already at {start}")
    _exit_if_set_aside(reports)


def _exit_if_set_aside(reports: list[dict]) -> None:
    """R-INPUT-3: the day finished for the others; each subscription set aside is named on
    stderr, and the run exits 1 so a scheduler notices."""
    aside = [(r["date"], s) for r in reports for s in r.get("set_aside", ())]
    for date, item in aside:
        what = f"case {item['case']}" if "case" in item else f"subscription {item['subscription']}"
        click.echo(f"opsconsole: {what} set aside on {date} "
                   f"({escape(item['error'])}); it is tried again on the next run", err=True)
    if aside:
        raise click.exceptions.Exit(1)


@cli.command("demo")
@click.option("--fresh", is_flag=True, help="Rebuild the demo store from fixtures/.")
@click.option("--no-ui", is_flag=True, help="Only build the store.")
@click.pass_obj
def demo_cmd(env, fresh, no_ui):
    """Build the demo store (fixed start date) and open the console on it."""
    from ..demo import prepare
    from ..store.target import display
    from . import open_console

    if not no_ui and not sys.stdout.isatty():  # refused before anything is built
        raise DomainError("the console needs a terminal; build the store alone with "
                          "'opsconsole demo --no-ui'")
    built = prepare(env.db, fresh)
    if built:
        click.echo(f"demo store built at {display(env.db)}: {built['imported']} subscriptions, "
                   f"{built['cases']} cases; clock {built['at']}", err=True)
    if not no_ui:
        open_console(env)


@cli.command("copy")
@click.argument("source")
@click.argument("destination")
@click.pass_obj
def copy_cmd(env, source, destination):
    """Copy a whole store into an empty one, on either engine (SQLite file or PostgreSQL URL).

    Every table with the same ids, the clock and the settings: how a store moves to a shared
    PostgreSQL server, or back to a file. DESTINATION must be new or empty."""
    from ..store.copying import copy_store
    from ..store.target import display

    if interactive(False):
        with click.progressbar(length=1, label="copying",
                               file=click.get_text_stream("stderr")) as bar:
            def progress(done, total):
                bar.length = max(total, 1)
                bar.update(done - bar.pos)
            counts = copy_store(source, destination, progress)
    else:
        counts = copy_store(source, destination)
    click.echo(f"copied {display(source)} to {display(destination)}: "
               f"{counts['subscription']} subscriptions, {sum(counts.values())} rows in all")
