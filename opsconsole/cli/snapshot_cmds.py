"""`snapshot save|list|restore` (R-SNAP-1)."""

import click

from . import cli
from .params import json_option, print_json, table


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def _row(s) -> dict:
    return {"name": s.name, "store_date": s.store_date.isoformat(),
            "saved_at": s.saved_at.replace(microsecond=0).isoformat() + "+00:00",
            "size": s.size, "schema_version": s.schema_version}


@cli.group("snapshot")
def snapshot() -> None:
    """Snapshots of the whole store: save one, list them, put the store back to one."""


@snapshot.command("save")
@click.argument("name")
@click.pass_obj
def save_cmd(env, name):
    """Keep a consistent copy of the whole store under NAME (replacing one of that name)."""
    from ..store import snapshots

    env.open()
    s = snapshots.save(name, env.operator)
    click.echo(f"snapshot {s.name} saved: store date {s.store_date}, {_size(s.size)}")


@snapshot.command("list")
@json_option
@click.pass_obj
def list_cmd(env, as_json):
    """Snapshots, with each one's store date and size."""
    from ..store import snapshots

    env.open(settings=False)  # what a store whose settings are damaged can be restored to
    rows = [_row(s) for s in snapshots.listing()]
    if as_json:
        print_json(rows)
        return
    table([[r["name"], r["store_date"], r["saved_at"][:19].replace("T", " ") + " UTC",
            _size(r["size"])] for r in rows], ["NAME", "STORE DATE", "SAVED", "SIZE"])


@snapshot.command("restore")
@click.argument("name")
@click.pass_obj
def restore_cmd(env, name):
    """Put the whole store back to snapshot NAME (what was written since is gone)."""
    from ..store import snapshots

    env.open(settings=False)  # a store whose settings are damaged is put right this way
    before = snapshots.store_date()
    s = snapshots.restore(name, env.operator)
    click.echo(f"store restored to snapshot {s.name}: store date {before or 'unreadable'} -> "
               f"{s.store_date}")
