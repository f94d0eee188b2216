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
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import itertools
import json
import logging
import math
import os
import sqlite3
import sys
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from flask import Flask, current_app
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    exists,
    func,
    insert,
    make_url,
    select,
    update,
)
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from risk_service.config import DEFAULTS, Settings
from risk_service.schemas import Feedback, Role
from risk_service.web.problems import HTTPProblem, problem_response

log = logging.getLogger(__name__)
T = TypeVar("T")

# Longest wait for another writer's lock (well below the request budget), then 503; how often
# /readyz writes a probe row per worker when no other write told it more. Both are settings
# (RISK_STORE_LOCK_TIMEOUT, RISK_STORE_PROBE_SECONDS); these are their defaults.
LOCK_TIMEOUT_SECONDS = DEFAULTS.store_lock_timeout
PROBE_SECONDS = DEFAULTS.store_probe_seconds
RETRY_AFTER_SECONDS = 2

metadata = MetaData()

assessments = Table(
    "assessments",
    metadata,
    Column("assessment_id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("input_hash", String(64), nullable=False, index=True),
    Column("risk_score", Float, nullable=False),
    Column("risk_band", String(8), nullable=False),
    Column("language", String(2), nullable=False),
    Column("matched_isco08", String(4)),
    Column("raw_text", Text),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", String(64), primary_key=True),
    Column(
        "assessment_id",
        String(64),
        ForeignKey("assessments.assessment_id"),
        nullable=False,
        index=True,
    ),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("risk_score", Float),
    Column("tasks", JSON),
    Column("comment", Text),
)


# One row, rewritten by the readiness probe: proof that a transaction can still commit.
store_probe = Table(
    "store_probe",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)


class UnknownAssessment(LookupError):
    """Feedback names an assessment the log does not hold."""


class StoreUnavailable(RuntimeError):
    """The database could not be written or read; ``retry_after`` is a hint in seconds."""

    def __init__(self, message: str, *, retry_after: int = RETRY_AFTER_SECONDS) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class TaskFeedback:
    """Task feedback joined with what the audit log knows about its assessment."""

    assessment_id: str
    language: str
    matched_isco08: str | None
    created_at: datetime
    tasks: list[dict]


def canonical_role_json(role: Role) -> str:
    """The role as canonical JSON: only :class:`Role` fields, sorted keys, no whitespace.

    The same role sent to ``/v1/score``, the batch or the workforce endpoint (where it carries
    a headcount) gives the same string and therefore the same ``input_hash``.
    """
    data = role.model_dump(mode="json", include=set(Role.model_fields))
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def input_hash(role: Role) -> str:
    """SHA-256 (hex) of :func:`canonical_role_json`."""
    return hashlib.sha256(canonical_role_json(role).encode("utf-8")).hexdigest()


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
        connect_args = {"connect_timeout": max(2, math.ceil(2 * lock_timeout))}
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


class Store:
    """Audit log and feedback store.

    Parameters
    ----------
    url : str
        SQLAlchemy database URL.
    store_raw_text : bool, default False
        Keep the canonical JSON of each role next to its hash.
    lock_timeout : float, default LOCK_TIMEOUT_SECONDS
        Seconds to wait for another writer's lock before giving up (then 503).
    probe_seconds : float, default PROBE_SECONDS
        How long the outcome of a write answers :meth:`unavailable` before it writes a probe.
    """

    def __init__(
        self,
        url: str,
        *,
        store_raw_text: bool = False,
        lock_timeout: float = LOCK_TIMEOUT_SECONDS,
        probe_seconds: float = PROBE_SECONDS,
    ) -> None:
        self.url = url
        self.store_raw_text = store_raw_text
        self.probe_seconds = probe_seconds
        self.lock_timeout = lock_timeout
        self.engine = make_engine(url, lock_timeout=lock_timeout)
        self.path = sqlite_file(url)
        self._tables_ready = False
        # (monotonic time, None or why it failed) of the last write, for readiness.
        self._last_write: tuple[float, str | None] = (-math.inf, None)
        self._probe_lock = threading.Lock()

    def create_tables(self, seconds: float = 10.0) -> None:
        """Create missing tables (safe when several workers start at once).

        Retried for up to ``seconds`` (at least five times) while another worker holds the
        lock or creates the same table.
        """
        self._refuse_if_unwritable("could not open the store")
        deadline = time.monotonic() + seconds
        for attempt in itertools.count():
            try:
                metadata.create_all(self.engine)
                with self.engine.begin() as conn:
                    if conn.scalar(select(func.count()).select_from(store_probe)) == 0:
                        conn.execute(insert(store_probe).values(id=1, checked_at=datetime.now(UTC)))
                self._tables_ready = True
                return
            except SQLAlchemyError:
                # Another worker created a table between our check and our CREATE, or holds
                # the lock: check again.
                if attempt >= 4 and time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    # -- one transaction, with the fault handling every operation shares ------------------
    def _refuse_if_unwritable(self, what: str) -> None:
        reason = unwritable_reason(self.path) if self.path else None
        if reason:
            raise StoreUnavailable(f"{what}: the database {reason}", retry_after=5)

    def _run(
        self, work: Callable[[Connection], T], *, what: str, write: bool, fsync: bool = False
    ) -> T:
        """``work`` in one transaction, committed when this returns.

        The file check comes first (see :func:`unwritable_reason`). A connection found stale
        (the pool is then recycled) gets one retry on a fresh connection; a SQLite lock held by
        another writer is retried until ``lock_timeout``. A failed transaction was rolled back,
        so a retry never writes twice. Every other database error is
        :class:`StoreUnavailable`; errors raised by ``work`` itself pass through.

        SQLite's own busy timeout is off: its wait is a C sleep that would stall every
        greenlet of a gevent worker, while ``time.sleep`` here yields to them.
        """
        deadline = time.monotonic() + self.lock_timeout
        pause, stale_retried = 0.002, False
        while True:
            self._refuse_if_unwritable(what)
            try:
                if not self._tables_ready:  # the store was unavailable when the app started
                    self.create_tables(seconds=max(0.0, deadline - time.monotonic()))
                transaction = self._fsynced_transaction() if fsync else self.engine.begin()
                with transaction as conn:
                    result = work(conn)
            except DBAPIError as exc:
                if exc.connection_invalidated and not stale_retried:
                    log.warning("%s: discarded a stale database connection; retrying", what)
                    stale_retried = True
                    continue
                if self.path and is_lock_wait(exc) and time.monotonic() + pause < deadline:
                    time.sleep(pause)
                    pause = min(2 * pause, 0.05)
                    continue
                self._failed(what, exc, write)
            except SQLAlchemyError as exc:
                self._failed(what, exc, write)
            else:
                if write:
                    self._last_write = (time.monotonic(), None)
                return result

    def _failed(self, what: str, exc: SQLAlchemyError, write: bool) -> None:
        locked = is_lock_wait(exc)
        reason = "the database is locked by another writer" if locked else "a database error"
        if write:
            self._last_write = (time.monotonic(), f"{what}: {reason}")
        # The first line only: the rest is SQL (parameters are hidden anyway).
        log.error("%s: %s", what, str(exc).splitlines()[0])
        raise StoreUnavailable(f"{what}: {reason}", retry_after=1 if locked else 5) from exc

    # -- writes ---------------------------------------------------------------------------
    def record_assessments(self, roles: Sequence[Role], results: Sequence[object]) -> int:
        """Log every produced assessment of one request in one transaction.

        Parameters
        ----------
        roles : sequence of Role
            The validated roles, in the order they were assessed.
        results : sequence
            :func:`risk_service.scoring.assess_many` output; entries that are not assessment
            dicts (roles that could not be scored) are skipped.

        Returns
        -------
        int
            Number of rows written.

        Raises
        ------
        StoreUnavailable
            When the rows could not be committed (the request must not answer 200).
        """
        now = datetime.now(UTC)
        rows = []
        for role, result in zip(roles, results, strict=True):
            if not isinstance(result, dict):
                continue
            match = result.get("matched_occupation") or {}
            rows.append(
                {
                    "assessment_id": result["assessment_id"],
                    "created_at": now,
                    "model_version": str(result["model_version"]),
                    "input_hash": input_hash(role),
                    "risk_score": float(result["risk_score"]),
                    "risk_band": result["risk_band"],
                    "language": result["language"],
                    "matched_isco08": match.get("isco08"),
                    "raw_text": canonical_role_json(role) if self.store_raw_text else None,
                }
            )
        if rows:
            self._run(
                lambda conn: conn.execute(insert(assessments), rows),
                what="could not log the assessment",
                write=True,
            )
        log.debug("logged %d assessment(s)", len(rows))
        return len(rows)

    def add_feedback(self, item: Feedback) -> str:
        """Store one feedback and return its id; committed (and fsynced) when this returns.

        Raises
        ------
        UnknownAssessment
            When ``item.assessment_id`` is not in the audit log.
        """
        feedback_id = uuid.uuid4().hex
        tasks = (
            None if item.tasks is None else [t.model_dump(exclude_none=True) for t in item.tasks]
        )

        def work(conn: Connection) -> None:
            known = conn.scalar(
                select(exists().where(assessments.c.assessment_id == item.assessment_id))
            )
            if not known:
                raise UnknownAssessment(item.assessment_id)
            conn.execute(
                insert(feedback).values(
                    id=feedback_id,
                    assessment_id=item.assessment_id,
                    created_at=datetime.now(UTC),
                    risk_score=item.risk_score,
                    tasks=tasks,
                    comment=item.comment,
                )
            )

        self._run(work, what="could not store the feedback", write=True, fsync=True)
        return feedback_id

    @contextlib.contextmanager
    def _fsynced_transaction(self) -> Iterator[Connection]:
        """A transaction whose commit reaches the disk before it returns (SQLite: FULL sync)."""
        with self.engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:  # outside any transaction: SQLite refuses to change it inside one
                conn.exec_driver_sql("PRAGMA synchronous=FULL")
                conn.commit()
            try:
                with conn.begin():
                    yield conn
            finally:
                if sqlite and not conn.invalidated:
                    try:
                        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
                        conn.commit()
                    except SQLAlchemyError:
                        conn.invalidate()  # never hand a FULL connection back to the pool

    # -- readiness ------------------------------------------------------------------------
    def unavailable(self) -> str | None:
        """Why the audit log cannot be written right now, or None when it can.

        Cheap enough for every ``/readyz``: the file check always; then the outcome of the
        last write if it is younger than ``probe_seconds``; otherwise one probe write (one at
        a time), whose outcome then answers for ``probe_seconds``.
        """
        if self.path:
            reason = unwritable_reason(self.path)
            if reason:
                return f"the database {reason}"
        with self._probe_lock:
            at, error = self._last_write
            if time.monotonic() - at < self.probe_seconds:
                return error
            try:
                self._run(self._probe, what="could not write to the store", write=True)
            except StoreUnavailable as exc:
                return str(exc)
            return None

    @staticmethod
    def _probe(conn: Connection) -> None:
        now = datetime.now(UTC)
        changed = conn.execute(
            update(store_probe).where(store_probe.c.id == 1).values(checked_at=now)
        ).rowcount
        if not changed:  # create_tables writes the row; someone deleted it
            conn.execute(insert(store_probe).values(id=1, checked_at=now))

    # -- reads ----------------------------------------------------------------------------
    def _first(self, query) -> dict | None:
        return self._run(
            lambda conn: _as_dict(conn.execute(query).first()),
            what="could not read the store",
            write=False,
        )

    def assessment(self, assessment_id: str) -> dict | None:
        """The audit-log row of one assessment, or None."""
        return self._first(select(assessments).where(assessments.c.assessment_id == assessment_id))

    def feedback(self, feedback_id: str) -> dict | None:
        """One feedback row, or None."""
        return self._first(select(feedback).where(feedback.c.id == feedback_id))

    def feedback_ids(self) -> set[str]:
        """Ids of all stored feedback."""
        return self._run(
            lambda conn: set(conn.scalars(select(feedback.c.id))),
            what="could not read the store",
            write=False,
        )

    def task_feedback(self) -> Iterator[TaskFeedback]:
        """Feedback that corrects tasks, oldest first, joined with its assessment."""
        query = (
            select(
                feedback.c.assessment_id,
                assessments.c.language,
                assessments.c.matched_isco08,
                feedback.c.created_at,
                feedback.c.tasks,
            )
            .join(assessments, assessments.c.assessment_id == feedback.c.assessment_id)
            .where(feedback.c.tasks.is_not(None))
            .order_by(feedback.c.created_at, feedback.c.id)
        )
        rows = self._run(
            lambda conn: conn.execute(query).all(), what="could not read the store", write=False
        )
        for row in rows:
            if row.tasks:
                yield TaskFeedback(
                    row.assessment_id,
                    row.language,
                    row.matched_isco08,
                    _utc(row.created_at),
                    row.tasks,
                )

    def dispose(self) -> None:
        """Close pooled connections (call after forking and at shutdown)."""
        self.engine.dispose()

    def exit_without_closing_if_unwritable(self) -> None:
        """At interpreter exit: if the SQLite file refuses writes, end the process now.

        Closing a process's last connection checkpoints the WAL, which writes the memory-mapped
        ``-shm``; if that file has become immutable the kernel answers with SIGBUS. Connections
        left open are harmless (SQLite recovers from the WAL on the next open), so the process
        exits without closing them.
        """
        pool = self.engine.pool
        opened = getattr(pool, "checkedin", lambda: 0)() + getattr(pool, "checkedout", lambda: 0)()
        reason = unwritable_reason(self.path) if self.path and opened else None
        if reason:
            log.warning("exiting without closing the store: the database %s", reason)
            logging.shutdown()  # flush the log handlers: os._exit skips the rest of the exit
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)


def _utc(value: datetime) -> datetime:
    # SQLite keeps no offset; every timestamp we write is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _as_dict(row) -> dict | None:
    if row is None:
        return None
    data = dict(row._mapping)
    data["created_at"] = _utc(data["created_at"])
    return data


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
    """Open the store at the setting ``database_url`` (default: instance SQLite), create its
    tables.

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
        store.create_tables()
    except (StoreUnavailable, SQLAlchemyError) as exc:
        app.logger.error("audit store unavailable at start, retried on use: %s", exc)
    if store.path:  # a weak reference: apps that tests create and drop must not pile up
        ref = weakref.ref(store)
        atexit.register(lambda: (live := ref()) and live.exit_without_closing_if_unwritable())
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
