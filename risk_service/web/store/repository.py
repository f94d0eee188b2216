"""The audit log and feedback repository: every read and write of the store, with the fault
handling they share (bounded lock waits, one retry on a stale connection, readiness).

The tables are in :mod:`~risk_service.web.store.schema`, the engine in
:mod:`~risk_service.web.store.engine`; the package docstring says how the store behaves.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import logging
import math
import os
import sys
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import (
    Connection,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from risk_service.config import DEFAULTS
from risk_service.schemas import Feedback, Role
from risk_service.web.store import migrate
from risk_service.web.store.engine import (
    LOCK_TIMEOUT_SECONDS,
    is_lock_wait,
    make_engine,
    sqlite_file,
    unwritable_reason,
)
from risk_service.web.store.schema import assessments, feedback, store_probe

log = logging.getLogger(__name__)
T = TypeVar("T")

# How often /readyz writes a probe row per worker when no other write told it more: a setting
# (RISK_STORE_PROBE_SECONDS); this is its default.
PROBE_SECONDS = DEFAULTS.store_probe_seconds
RETRY_AFTER_SECONDS = 2


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
        # A store dropped without dispose() (apps that tests or tools create and forget) closes its
        # pooled connections, instead of leaving them to be deleted while still open.
        weakref.finalize(self, self.engine.dispose)
        self.path = sqlite_file(url)
        self._tables_ready = False
        # (monotonic time, None or why it failed) of the last write, for readiness.
        self._last_write: tuple[float, str | None] = (-math.inf, None)
        self._probe_lock = threading.Lock()

    def upgrade_schema(self, seconds: float = 10.0) -> str:
        """Migrate the database to the newest schema and write the probe row; the revision.

        Safe when several workers start at once: the migration runs under a lock
        (:mod:`~risk_service.web.store.migrate`) and a worker that finds it taken tries again
        for up to ``seconds`` (at least five times). A database at the newest revision is
        only checked; one created before the migrations existed keeps its tables and rows.

        Raises
        ------
        StoreUnavailable
            When the file cannot be written, or the database is at a revision this code does
            not know (a newer release migrated it).
        """
        self._refuse_if_unwritable("could not open the store")
        deadline = time.monotonic() + seconds
        for attempt in itertools.count():
            try:
                revision = migrate.upgrade(self.engine)
                with self.engine.begin() as conn:
                    if conn.scalar(select(func.count()).select_from(store_probe)) == 0:
                        conn.execute(insert(store_probe).values(id=1, checked_at=datetime.now(UTC)))
                self._tables_ready = True
                return revision
            except migrate.MigrationError as exc:
                raise StoreUnavailable(f"could not open the store: {exc}", retry_after=5) from exc
            except SQLAlchemyError:
                # Another worker holds the migration lock (SQLite answers at once): again.
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
                    self.upgrade_schema(seconds=max(0.0, deadline - time.monotonic()))
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
        if not changed:  # upgrade_schema writes the row; someone deleted it
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
