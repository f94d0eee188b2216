"""Audit log of assessments and the feedback on them, in any database SQLAlchemy speaks.

The default is a SQLite file in the Flask instance folder in WAL mode, so several gunicorn
workers can write at once. Every write is committed before its response leaves, so it survives
``kill -9`` of the service. Feedback — what people send us — is also fsynced before the 201
(``synchronous=FULL`` for its transaction) and survives power loss; the audit log of
assessments is written with ``synchronous=NORMAL``, where a power cut can drop the last
commits before a checkpoint (never corrupt the file): an fsync per scoring request cost more
than the scoring itself. Set ``DATABASE_URL`` (or
``RISK_DATABASE_URL``) to use PostgreSQL instead, e.g. ``postgresql+psycopg://user@host/db``.

Role texts are personal data in the making: the log keeps a SHA-256 of the validated role and
stores the role itself only when ``STORE_RAW_TEXT`` is true.

Faults end in a 503 with ``Retry-After`` within a bounded time, and the store recovers without a
restart:

* a lock held by another writer is waited for at most ``STORE_LOCK_TIMEOUT`` seconds (SQLite:
  retried with ``time.sleep``, which yields under gevent; PostgreSQL: ``lock_timeout``);
* a connection that turns out stale (read-only, broken) is discarded with the rest of the pool
  and the transaction retried once on a fresh one; pooled connections are pinged on checkout;
* a SQLite file that cannot be written (read-only, immutable) is detected before SQLite touches
  it: no connection is opened read-only into the pool, and no memory-mapped page of the WAL
  index (``-shm``) is written while the file refuses writes, which the kernel answers with
  SIGBUS. SQLite's own memory map of the database is off (``mmap_size=0``) for the same reason.
* :meth:`Store.unavailable` (``/readyz``) reports whether the audit log can be written: the file
  check, the outcome of the last write, and otherwise a real write to ``store_probe`` at most
  once per ``RISK_STORE_PROBE_SECONDS``.

The database's schema comes from Alembic migrations, run by every worker as it opens the store
(under a lock, so workers starting together take turns); a database created before the
migrations existed is adopted with its rows.

The package: :mod:`~.schema` (the tables), :mod:`~.engine` (engine tuning, error
classification), :mod:`~.repository` (:class:`Store`: reads, writes, readiness),
:mod:`~.migrate` and ``migrations/`` (Alembic); this module wires the store into Flask.
"""

from __future__ import annotations

import atexit
import os
import weakref
from collections.abc import Sequence

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from risk_service.config import Settings
from risk_service.schemas import Role
from risk_service.web.problems import HTTPProblem, problem_response
from risk_service.web.store.engine import LOCK_TIMEOUT_SECONDS, make_engine, sqlite_file
from risk_service.web.store.repository import (
    PROBE_SECONDS,
    Store,
    StoreUnavailable,
    TaskFeedback,
    UnknownAssessment,
    canonical_role_json,
    input_hash,
)
from risk_service.web.store.schema import assessments, feedback, metadata, store_probe

__all__ = [
    "LOCK_TIMEOUT_SECONDS",
    "PROBE_SECONDS",
    "Store",
    "StoreUnavailable",
    "TaskFeedback",
    "UnknownAssessment",
    "assessments",
    "canonical_role_json",
    "default_url",
    "feedback",
    "get_store",
    "init_app",
    "input_hash",
    "make_engine",
    "metadata",
    "record_assessments",
    "sqlite_file",
    "store_probe",
]


def default_url(instance_path: str) -> str:
    """SQLite file ``risk.db`` in the Flask instance folder (created if missing)."""
    os.makedirs(instance_path, exist_ok=True)
    return f"sqlite:///{os.path.join(instance_path, 'risk.db')}"


def get_store() -> Store:
    """The store of the current app."""
    return current_app.extensions["risk_store"]


def record_assessments(roles: Sequence[Role], results: Sequence[object]) -> int:
    """Log one request's assessments in the current app's store (one transaction)."""
    return get_store().record_assessments(roles, results)


def init_app(app: Flask, settings: Settings) -> None:
    """Open the store at the setting ``database_url`` (default: instance SQLite) and migrate
    its database to the newest schema.

    A store that cannot be opened at start does not stop the app (``/readyz`` says why and
    scoring answers 503); its tables are created on first use.
    """
    url = settings.database_url or default_url(app.instance_path)
    store = Store(
        url,
        store_raw_text=settings.store_raw_text,
        lock_timeout=settings.store_lock_timeout,
        probe_seconds=settings.store_probe_seconds,
    )
    try:
        store.upgrade_schema()
    except (StoreUnavailable, SQLAlchemyError) as exc:
        app.logger.error("audit store unavailable at start, retried on use: %s", exc)
    if store.path:  # a weak reference: apps that tests create and drop must not pile up
        ref = weakref.ref(store)

        def _at_exit() -> None:
            live = ref()
            if live is not None:
                live.exit_without_closing_if_unwritable()

        atexit.register(_at_exit)
    # gunicorn --preload forks after this: no pooled connection may be inherited by workers
    # (an in-memory database is its one connection and stays; it is per process anyway).
    if store.engine.url.database not in (None, "", ":memory:"):
        store.dispose()
    app.extensions["risk_store"] = store

    @app.errorhandler(StoreUnavailable)
    def _unavailable(exc: StoreUnavailable):
        response = problem_response(
            HTTPProblem(503, "store-unavailable", "Store unavailable", f"{exc}; try again later")
        )
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
