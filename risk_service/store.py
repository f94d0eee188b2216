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
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    exists,
    insert,
    select,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import StaticPool

from risk_service.problems import Problem, problem_response
from risk_service.schemas import Feedback, Role

log = logging.getLogger(__name__)

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


class UnknownAssessment(LookupError):
    """Feedback names an assessment the log does not hold."""


class StoreUnavailable(RuntimeError):
    """The database could not be written or read."""


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
    # Wait for a concurrent writer instead of failing at once; then WAL so readers never block
    # the writer, NORMAL sync (see the module docstring; feedback asks for FULL), and enforce
    # the feedback foreign key.
    cursor.execute("PRAGMA busy_timeout=10000")
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


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, ``synchronous=NORMAL`` and a busy timeout."""
    # hide_parameters: error messages must never carry role texts into the logs.
    in_memory = url in ("sqlite://", "sqlite:///:memory:")
    # An in-memory SQLite database lives in one connection: share it, or each request would see
    # a fresh empty database.
    extra = (
        {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}} if in_memory else {}
    )
    engine = create_engine(
        url, hide_parameters=True, pool_pre_ping=not url.startswith("sqlite"), **extra
    )
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Store:
    """Audit log and feedback store.

    Parameters
    ----------
    url : str
        SQLAlchemy database URL.
    store_raw_text : bool, default False
        Keep the canonical JSON of each role next to its hash.
    """

    def __init__(self, url: str, *, store_raw_text: bool = False) -> None:
        self.url = url
        self.store_raw_text = store_raw_text
        self.engine = make_engine(url)

    def create_tables(self) -> None:
        """Create missing tables (safe when several workers start at once)."""
        for attempt in range(5):
            try:
                metadata.create_all(self.engine)
                return
            except SQLAlchemyError:
                # Another worker created a table between our check and our CREATE: check again.
                if attempt == 4:
                    raise
                time.sleep(0.05)

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
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(assessments), rows)
            except SQLAlchemyError as exc:
                log.exception("could not log %d assessment(s)", len(rows))
                raise StoreUnavailable("could not log the assessment") from exc
        log.debug("logged %d assessment(s)", len(rows))
        return len(rows)

    def add_feedback(self, item: Feedback) -> str:
        """Store one feedback and return its id; committed when this returns.

        Raises
        ------
        UnknownAssessment
            When ``item.assessment_id`` is not in the audit log.
        """
        feedback_id = uuid.uuid4().hex
        tasks = (
            None if item.tasks is None else [t.model_dump(exclude_none=True) for t in item.tasks]
        )
        try:
            with self._fsynced_transaction() as conn:
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
        except SQLAlchemyError as exc:
            log.exception("could not store feedback")
            raise StoreUnavailable("could not store the feedback") from exc
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
                if sqlite:
                    try:
                        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
                        conn.commit()
                    except SQLAlchemyError:
                        conn.invalidate()  # never hand a FULL connection back to the pool

    def _first(self, query) -> dict | None:
        try:
            with self.engine.connect() as conn:
                return _as_dict(conn.execute(query).first())
        except SQLAlchemyError as exc:
            log.exception("could not read the store")
            raise StoreUnavailable("could not read the store") from exc

    def assessment(self, assessment_id: str) -> dict | None:
        """The audit-log row of one assessment, or None."""
        return self._first(select(assessments).where(assessments.c.assessment_id == assessment_id))

    def feedback(self, feedback_id: str) -> dict | None:
        """One feedback row, or None."""
        return self._first(select(feedback).where(feedback.c.id == feedback_id))

    def feedback_ids(self) -> set[str]:
        """Ids of all stored feedback."""
        with self.engine.connect() as conn:
            return set(conn.scalars(select(feedback.c.id)))

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
        with self.engine.connect() as conn:
            for row in conn.execute(query):
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


def init_app(app: Flask) -> None:
    """Open the store from ``DATABASE_URL`` (default: instance SQLite), create its tables."""
    url = app.config.get("DATABASE_URL") or default_url(app.instance_path)
    store = Store(url, store_raw_text=bool(app.config.get("STORE_RAW_TEXT")))
    store.create_tables()
    # gunicorn --preload forks after this: no pooled connection may be inherited by workers
    # (an in-memory database is its one connection and stays; it is per process anyway).
    if store.engine.url.database not in (None, "", ":memory:"):
        store.dispose()
    app.extensions["risk_store"] = store

    @app.errorhandler(StoreUnavailable)
    def _unavailable(exc: StoreUnavailable):
        return problem_response(
            Problem(503, "store-unavailable", "Store unavailable", f"{exc}; try again later")
        )
