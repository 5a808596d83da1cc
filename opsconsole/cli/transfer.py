"""import and export of the Subscription Import Form."""

import os
import sys

import click

from ..errors import DomainError
from ..text import escape
from . import cli
from .params import FILE, interactive, json_option, print_json


@cli.command("import")
@click.argument("subs_file", type=FILE)
@click.option("--payments", type=FILE, help="The payment file.")
@click.option("--dry-run", is_flag=True, help="Validate and count; write nothing.")
@json_option
@click.pass_obj
def import_cmd(env, subs_file, payments, dry_run, as_json):
    """Import subscriptions from a Subscription Import Form CSV (UTF-8, commas).

    \b
    Required columns: referenceId, first, last, email, language, country, region,
      postalCode, live, productPath, quantity, currency, listPrice, interval,
      intervalLength, nextChargeDate, endDate
    Optional: company, phone, addressLine1, addressLine2, city, discountType,
      discountValue, discountDuration, discountCode, beginDate, trialEndDate,
      intervalCount, taxExemptionData, manualRenew
    The payment file has referenceId, token and optionally last4, expiry (MM/YY).

    Each row is imported whole or rejected with every reason; a row already in the store
    (by referenceId) is skipped."""
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
    # R-INPUT-9: an import of nothing is a refusal: its reasons go to stderr, exit 1
    refused = bool(data["rejected"]) and not data["imported"] and not data["skipped"]
    if as_json:
        print_json(data)
    else:
        if not refused:  # a refusal says nothing on stdout
            verb = "would import" if dry_run else "imported"
            click.echo(f"{verb} {data['imported']}, rejected {data['rejected']}, "
                       f"skipped {data['skipped']}")
    if refused:
        click.echo(f"opsconsole: nothing imported: {_rows(data['rejected'])} rejected", err=True)
    if not as_json:
        for error in data["errors"]:
            click.echo(escape(f"row {error['row']} ({error['reference_id'] or 'no referenceId'})"
                              ": " + "; ".join(error["reasons"])), err=refused)
        for warning in data["warnings"]:
            click.echo(escape(f"warning: {warning}"), err=refused)
    if refused:
        raise click.exceptions.Exit(1)


def _rows(n: int) -> str:
    return f"{n} row{'' if n == 1 else 's'}"


@cli.command("export")
@click.argument("file", required=False, default="-", type=click.Path(allow_dash=True))
@click.pass_obj
def export_cmd(env, file):
    """Write the subscriptions not deactivated as an Import Form CSV (- = stdout)."""
    from ..store.files import private_file, same_file_as_store
    from ..transfer.exporter import addons_note, export

    env.open()
    if file == "-":
        export(sys.stdout)
    else:
        if same_file_as_store(file, env.db):
            raise DomainError(f"{file} is the store itself: export to another file")
        # a file is written beside it and put in its place once whole: an export refused
        # part-way (a row the store cannot read) leaves what was there (R-INPUT-9)
        whole = bool(file.strip()) and (not os.path.exists(file) or os.path.isfile(file))
        part = f"{file}.part" if whole else file
        try:
            # customers' details: readable by the owner only, whatever the umask (R-INPUT-6)
            with private_file(part, "export file", shown=file) as out:
                count = export(out)
            if whole:
                os.replace(part, file)
        finally:
            if whole and os.path.exists(part):
                os.unlink(part)
        click.echo(f"exported {count} subscriptions to {file}", err=True)
    note = addons_note()  # what the form cannot carry is said, never lost silently
    if note:
        click.echo(f"warning: {escape(note)}", err=True)
