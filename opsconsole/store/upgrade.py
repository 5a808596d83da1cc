"""Upgrading a store written by an earlier schema, in place, when it is opened.

Each step takes the store from one version to the next in its own transaction, so an
interrupted upgrade resumes where it stopped. A store keeps its data; nothing is rebuilt."""

import peewee as pw
from playhouse.migrate import SqliteMigrator, migrate

from ..errors import DomainError
from .models import EXTRA_INDEXES, SCHEMA_VERSION, SEARCH_INDEXES, Meta


def _to_2(db: pw.Database) -> None:
    """A gateway reference on each charge; an index in the subscriptions list's order."""
    columns = {c.name for c in db.get_columns("charge")}
    if "reference" not in columns:
        migrate(SqliteMigrator(db).add_column("charge", "reference",
                                              pw.CharField(null=True)))
    for statement in EXTRA_INDEXES:
        db.execute_sql(statement)


def _to_3(db: pw.Database) -> None:
    """Indexes for the list within a state or a product, and for prefix search."""
    for statement in SEARCH_INDEXES:
        db.execute_sql(statement)


STEPS = {1: _to_2, 2: _to_3}  # from version N to N + 1


def upgrade(db: pw.Database, version: int) -> None:
    if not isinstance(db, pw.SqliteDatabase):
        raise DomainError(f"this store has schema {version}; upgrading is done on SQLite only")
    for step in range(version, SCHEMA_VERSION):
        if step not in STEPS:
            raise DomainError(f"no upgrade from schema {step}; this store is too old")
        with db.atomic():
            STEPS[step](db)
            Meta.insert(key="schema_version", value=str(step + 1)).on_conflict_replace() \
                .execute()
