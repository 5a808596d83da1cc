"""import and export of the Subscription Import Form."""

import sys

import click

from . import cli
from .params import interactive, json_option, print_json


@cli.command("import")
@click.argument("subs_file", type=click.Path(dir_okay=False))
@click.option("--payments", type=click.Path(dir_okay=False), help="The payment file.")
@click.option("--dry-run", is_flag=True, help="Validate and count; write nothing.")
@json_option
@click.pass_obj
def import_cmd(env, subs_file, payments, dry_run, as_json):
    """Import subscriptions (SPEC R-IMPORT-*)."""
    from ..transfer.importer import import_file

    env.open()
    if interactive(as_json):
        with click.progressbar(length=1, label="importing",
                               file=click.get_text_stream("stderr")) as bar:
            def progress(done, total):
                bar.length = total
                bar.update(done - bar.pos)
            result = import_file(subs_file, payments, dry_run, env.operator, progress)
    else:
        result = import_file(subs_file, payments, dry_run, env.operator)
    data = result.as_dict()
    if as_json:
        print_json(data)
    else:
        verb = "would import" if dry_run else "imported"
        click.echo(f"{verb} {data['imported']}, rejected {data['rejected']}, "
                   f"skipped {data['skipped']}")
        for error in data["errors"]:
            click.echo(f"row {error['row']} ({error['reference_id'] or 'no referenceId'}): "
                       + "; ".join(error["reasons"]))
        for warning in data["warnings"]:
            click.echo(f"warning: {warning}")
    if data["rejected"] and not data["imported"] and not data["skipped"]:
        raise click.exceptions.Exit(1)


@cli.command("export")
@click.argument("file", required=False, default="-")
@click.pass_obj
def export_cmd(env, file):
    """Write the subscriptions not deactivated as an Import Form CSV (- = stdout)."""
    from ..transfer.exporter import export

    env.open()
    if file == "-":
        export(sys.stdout)
        return
    with open(file, "w", newline="", encoding="utf-8") as out:
        count = export(out)
    click.echo(f"exported {count} subscriptions to {file}", err=True)
