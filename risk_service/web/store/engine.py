"""The store's database engine: SQLite tuned for several writers and faults, or PostgreSQL.

SQLite files get WAL, ``synchronous=NORMAL``, no memory map and no busy wait; a file that
cannot be written is never opened (see :func:`unwritable_reason`). PostgreSQL gets a
``lock_timeout`` and a connect timeout. Errors are classified here (a lock wait that hit its
bound, a stale connection) for :class:`~risk_service.web.store.repository.Store` to act on.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import StaticPool

from risk_service.config import DEFAULTS

# Longest wait for another writer's lock (well below the request budget), then 503. A setting
# (RISK_STORE_LOCK_TIMEOUT); this is its default.
LOCK_TIMEOUT_SECONDS = DEFAULTS.store_lock_timeout


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # No busy wait inside SQLite (Store._run waits for a concurrent writer, cooperatively); no
    # memory map of the database file (a file that shrinks or turns immutable under a map is
    # SIGBUS); then WAL so readers never block the writer, NORMAL sync (see the module
    # docstring; feedback asks for FULL), and enforce the feedback foreign key.
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA mmap_size=0")
    _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor, seconds: float = 10.0) -> None:
    """Put the database file in WAL mode (once per file; later connections find it so).

    The switch needs the file to itself and SQLite answers "database is locked" at once instead
    of waiting ``busy_timeout``: workers that start together on a new file collide here, so
    retry for a while.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def sqlite_file(url: str) -> str | None:
    """The path of a SQLite database file named by ``url`` (None: not SQLite, or in memory)."""
    parsed = make_url(url)
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return None
    if database.startswith("file:"):  # a URI filename: mode and path are SQLite's business
        return None
    return os.path.abspath(database)


def unwritable_reason(path: str) -> str | None:
    """Why SQLite could not write the database at ``path`` now, or None.

    Checked before any connection is opened or used: SQLite would open an unwritable file
    read-only (a connection that then fails every write), and writing the memory-mapped WAL
    index of an immutable ``-shm`` file is answered by the kernel with SIGBUS.
    """
    files = (path, f"{path}-wal", f"{path}-shm")
    for name in files:
        if os.path.lexists(name) and not os.access(name, os.W_OK):
            return f"file {os.path.basename(name)} is not writable"
    if not all(os.path.lexists(name) for name in files):  # SQLite will create the missing ones
        folder = os.path.dirname(path)
        if not os.path.isdir(folder):
            return f"folder {folder} does not exist"
        if not os.access(folder, os.W_OK | os.X_OK):
            return f"folder {folder} is not writable"
    return None


def _sqlite_code(exc: BaseException | None) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None  # the primary result code


def _sqlstate(exc: BaseException | None) -> str | None:
    return getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)  # psycopg 3 / 2


_SQLITE_IOERR, _SQLITE_READONLY = 10, 8
_PG_READ_ONLY_TRANSACTION = "25006"  # e.g. the server became a standby after a failover
_PG_LOCK_CODES = ("55P03", "40P01")  # lock_not_available (lock_timeout), deadlock_detected


def is_lock_wait(exc: BaseException) -> bool:
    """True when ``exc`` (a SQLAlchemy error) is a lock wait that hit its bound."""
    orig = getattr(exc, "orig", None)
    if isinstance(orig, sqlite3.OperationalError):
        return "locked" in str(orig) or "busy" in str(orig)
    return _sqlstate(orig) in _PG_LOCK_CODES


def make_engine(url: str, *, lock_timeout: float = LOCK_TIMEOUT_SECONDS) -> Engine:
    """An engine for ``url`` whose lock waits end after ``lock_timeout`` seconds.

    SQLite files get WAL, ``synchronous=NORMAL``, no memory map, no busy wait (the
    :class:`Store` retries, see ``Store._run``) and no connection while the file cannot be
    written; PostgreSQL (psycopg) gets ``lock_timeout`` and a connect timeout. Stale
    connections are discarded: pinged on checkout, and a read-only connection is treated as a
    disconnect (the pool is recycled and the work can be retried).
    """
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    path = sqlite_file(url)
    kwargs: dict = {}
    if backend == "sqlite":
        kwargs["connect_args"] = {"timeout": 0}  # see _sqlite_pragmas
        if path is None:  # in memory: one connection is the database, share it
            kwargs["poolclass"] = StaticPool
            kwargs["connect_args"]["check_same_thread"] = False
    elif backend == "postgresql" and parsed.get_driver_name() in ("psycopg", "psycopg2"):
        connect_args: dict[str, object] = {"connect_timeout": max(2, math.ceil(2 * lock_timeout))}
        if "options" not in parsed.query:  # the URL's own server options win
            connect_args["options"] = f"-c lock_timeout={max(1, round(lock_timeout * 1000))}"
        kwargs["connect_args"] = connect_args
    # hide_parameters: error messages must never carry role texts into the logs.
    engine = create_engine(url, hide_parameters=True, pool_pre_ping=True, **kwargs)

    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    if path is not None:

        @event.listens_for(engine, "do_connect")
        def _refuse_unwritable(dialect, conn_rec, cargs, cparams) -> None:
            reason = unwritable_reason(path)
            if reason:  # do not open it read-only into the pool, nor map its -shm
                raise sqlite3.OperationalError(f"not opening the database: {reason}")

    @event.listens_for(engine, "handle_error")
    def _discard_stale(context: ExceptionContext) -> None:
        orig = context.original_exception
        if _sqlstate(orig) == _PG_READ_ONLY_TRANSACTION:
            context.is_disconnect = True
        elif (
            _sqlite_code(orig) in (_SQLITE_READONLY, _SQLITE_IOERR)
            and path is not None
            and unwritable_reason(path) is None
        ):
            # Stale only if the file is writable now (a connection opened while it was not);
            # otherwise closing it could checkpoint into an immutable -shm: leave it alone.
            context.is_disconnect = True

    return engine
