"""`copy SRC DST` (R-DB-4): a whole store into an empty one, on either engine.

Every table, row for row with the same ids, the clock and the settings. The source is read in
one transaction, so the copy is the store at one moment even while others use it (their
writes wait for it, as for any writer), and the destination is written in one transaction,
so a copy that fails part-way leaves an empty store, never half of one."""

from collections.abc import Callable

import peewee as pw

from . import db as store_db
from . import engine
from .models import TABLES, Meta

CHUNK = 5000  # rows read and written at a time: memory stays flat on a store of millions


def _chunks(src: pw.Database, model: type[pw.Model]):
    """The table's rows in primary-key order, CHUNK at a time, as tuples of Python values."""
    pk = model._meta.primary_key
    fields = model._meta.sorted_fields
    last = None
    while True:
        with src.bind_ctx([model], bind_refs=False, bind_backrefs=False):
            query = model.select(*fields).order_by(pk).limit(CHUNK)
            if last is not None:
                query = query.where(pk > last)
            rows = list(query.tuples())
        if not rows:
            return
        yield fields, rows
        last = rows[-1][fields.index(pk)]


def copy_store(source: str, destination: str,
               progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Copy SOURCE into a new store at DESTINATION. Refused, with nothing written, when the
    source is not a store (or fails its integrity check) or the destination is not empty."""
    src = store_db.open_store(source)
    store_db.check_integrity(src, source)
    with src.bind_ctx(TABLES, bind_refs=False, bind_backrefs=False):
        totals = {m._meta.table_name: m.select().count() for m in TABLES}
    dst = store_db.create_store(destination)  # the proxy now names the destination
    counts: dict[str, int] = {}
    done, total = 0, sum(totals.values())
    try:
        with src.atomic(), dst.atomic():
            existing_meta = {key for (key,) in Meta.select(Meta.key).tuples()}
            for model in TABLES:
                copied = 0
                for fields, rows in _chunks(src, model):
                    if model is Meta:  # the destination has its own schema_version already
                        rows = [r for r in rows if r[0] not in existing_meta]
                    if rows:
                        model.insert_many(rows, fields=fields).execute()
                    copied += len(rows)
                    done += len(rows)
                    if progress:
                        progress(done, total)
                counts[model._meta.table_name] = copied
            engine.reset_sequences(dst, TABLES)
    finally:
        if not src.is_closed():
            src.close()
    return counts

