"""Bring a database to the store's newest schema with the Alembic migrations in ``migrations/``.

Every worker calls :func:`upgrade` when it opens the store; the workers that start together
take turns: the migration runs in one transaction holding a lock (PostgreSQL: a transaction
advisory lock; SQLite: ``BEGIN EXCLUSIVE``, which also makes SQLite's DDL transactional), and
whoever comes second finds the database at the newest revision. A database already there is
recognised from its ``alembic_version`` row without importing Alembic, so a worker's start
stays fast.

Databases created before the migrations existed are adopted by the baseline revision
(``0001``): their tables and rows are kept.

New migration (after changing :mod:`~risk_service.web.store.schema`)::

    RISK_DATABASE_URL=sqlite:///instance/risk.db alembic upgrade head
    RISK_DATABASE_URL=sqlite:///instance/risk.db alembic revision --autogenerate -m "what"

then set :data:`~risk_service.web.store.schema.SCHEMA_REVISION` to the new revision.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from risk_service.web.store.schema import SCHEMA_REVISION

MIGRATIONS = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version"


class MigrationError(RuntimeError):
    """The migrations cannot bring this database to the newest schema (e.g. a newer release
    migrated it to a revision this code does not know)."""


# pg_advisory_xact_lock key: any constant no other application on the server uses for itself.
_PG_LOCK_KEY = 0x7269736B  # "risk"


def current_revision(conn: Connection) -> str | None:
    """The revision the database is at (None: never migrated)."""
    if not inspect(conn).has_table(VERSION_TABLE):
        return None
    return conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()


def alembic_config(connection: Connection | None = None):
    """An Alembic ``Config`` for the migrations, running on ``connection`` if given."""
    from alembic.config import Config  # imported only when a migration has to run

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A transaction that no other worker's migration runs beside."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        elif conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        yield conn


def upgrade(engine: Engine) -> str:
    """Migrate the database of ``engine`` to the newest revision; returns the revision.

    Parameters
    ----------
    engine : Engine
        The store's engine.

    Returns
    -------
    str
        The revision the database is at now (:data:`SCHEMA_REVISION`).
    """
    with engine.connect() as conn:
        if current_revision(conn) == SCHEMA_REVISION:
            return SCHEMA_REVISION
    with _locked(engine) as conn:
        if current_revision(conn) != SCHEMA_REVISION:  # not done by another worker meanwhile
            from alembic import command
            from alembic.util import CommandError

            try:
                command.upgrade(alembic_config(conn), "head")
            except CommandError as exc:
                raise MigrationError(f"{exc} (database revision {current_revision(conn)})") from exc
        return current_revision(conn) or ""
