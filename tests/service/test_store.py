"""The audit log and feedback store, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from risk_service.schemas import Feedback, Role, WorkforceRole
from risk_service.scoring import RoleError, assess_many
from risk_service.web.store import (
    Store,
    UnknownAssessment,
    assessments,
    canonical_role_json,
    input_hash,
)
from tests.postgres_server import fresh_database_url

BOOKKEEPER = Role(
    title="Buchhalter/in",
    description="Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """An empty database of each kind (PostgreSQL: TEST_DATABASE_URL or a server started here)."""
    return fresh_database_url(request.param, tmp_path)


@pytest.fixture
def store(database_url):
    store = Store(database_url)
    store.upgrade_schema()
    yield store
    store.dispose()


@pytest.fixture
def assessed(model):
    """Two scored roles and one that cannot be scored, as assess_many returns them."""
    roles = [
        BOOKKEEPER,
        Role(tasks=["Answer standard customer enquiries by email"]),
        Role(title="Qwzx Vrrtpl"),  # a title like no occupation: a RoleError
    ]
    results = assess_many(roles, model)
    assert isinstance(results[2], RoleError)
    return roles, results


def test_records_each_scored_assessment_with_hash_and_no_text(store, assessed):
    roles, results = assessed
    assert store.record_assessments(roles, results) == 2
    row = store.assessment(results[0]["assessment_id"])
    assert row["model_version"] == results[0]["model_version"]
    assert row["risk_score"] == pytest.approx(results[0]["risk_score"])
    assert row["risk_band"] == results[0]["risk_band"]
    assert row["language"] == "de"
    assert row["matched_isco08"] == results[0]["matched_occupation"]["isco08"]
    assert row["input_hash"] == hashlib.sha256(canonical_role_json(BOOKKEEPER).encode()).hexdigest()
    assert row["raw_text"] is None
    assert abs(row["created_at"] - datetime.now(UTC)) < timedelta(minutes=1)
    assert store.assessment(results[1]["assessment_id"])["matched_isco08"] is None
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(assessments)) == 2


def test_raw_text_only_when_asked(database_url, assessed):
    roles, results = assessed
    store = Store(database_url, store_raw_text=True)
    store.upgrade_schema()
    store.record_assessments(roles[:1], results[:1])
    raw = store.assessment(results[0]["assessment_id"])["raw_text"]
    assert json.loads(raw)["description"] == BOOKKEEPER.description
    store.dispose()


def test_input_hash_is_canonical_and_ignores_headcount():
    same = Role.model_validate({"description": "Mahnwesen", "title": "Buchhalter/in"})
    assert input_hash(same) == input_hash(Role(title="Buchhalter/in", description="Mahnwesen"))
    counted = WorkforceRole(title="Buchhalter/in", description="Mahnwesen", headcount=12)
    assert input_hash(counted) == input_hash(same)
    assert input_hash(Role(title="Buchhalter/in")) != input_hash(same)


def test_feedback_round_trip(store, assessed):
    roles, results = assessed
    store.record_assessments(roles, results)
    aid = results[0]["assessment_id"]
    item = Feedback.model_validate(
        {
            "assessment_id": aid,
            "risk_score": 42.5,
            "tasks": [
                {"text": "Mahnwesen", "rule_based": True, "category": "routine_cognitive"},
                {"text": "Beratung der Geschäftsführung", "rule_based": False},
            ],
            "comment": "Zu hoch eingeschätzt.\nDas Mahnwesen ist automatisiert.",
        }
    )
    feedback_id = store.add_feedback(item)
    row = store.feedback(feedback_id)
    assert row["assessment_id"] == aid
    assert row["risk_score"] == 42.5
    assert row["tasks"] == [
        {"text": "Mahnwesen", "rule_based": True, "category": "routine_cognitive"},
        {"text": "Beratung der Geschäftsführung", "rule_based": False},
    ]
    assert row["comment"].endswith("automatisiert.")
    assert row["created_at"].tzinfo is not None
    # A second store on the same database (another worker) sees the committed row.
    other = Store(store.url)
    assert other.feedback_ids() == {feedback_id}
    other.dispose()


def test_feedback_on_unknown_assessment_is_refused_and_not_written(store):
    with pytest.raises(UnknownAssessment):
        store.add_feedback(Feedback(assessment_id="0" * 32, comment="?"))
    assert store.feedback_ids() == set()


def test_task_feedback_joins_the_assessment(store, assessed):
    roles, results = assessed
    store.record_assessments(roles, results)
    aid = results[0]["assessment_id"]
    store.add_feedback(Feedback(assessment_id=aid, comment="only a comment"))
    store.add_feedback(
        Feedback.model_validate(
            {"assessment_id": aid, "tasks": [{"text": "Mahnwesen", "rule_based": True}]}
        )
    )
    items = list(store.task_feedback())
    assert len(items) == 1
    assert (items[0].assessment_id, items[0].language) == (aid, "de")
    assert items[0].matched_isco08 == results[0]["matched_occupation"]["isco08"]
    assert items[0].tasks == [{"text": "Mahnwesen", "rule_based": True}]


def test_upgrading_again_keeps_existing_rows(store, assessed):
    roles, results = assessed
    store.record_assessments(roles, results)
    again = Store(store.url)
    again.upgrade_schema()
    assert again.assessment(results[0]["assessment_id"]) is not None
    again.dispose()


def test_sqlite_wal_audit_commits_normal_feedback_commits_fsynced(tmp_path, assessed):
    path = tmp_path / "risk.db"
    store = Store(f"sqlite:///{path}")
    store.upgrade_schema()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    # The sync level in force on the connection when each INSERT runs.
    seen: dict[str, int] = {}

    def note_sync(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO"):
            table = statement.split()[2]
            seen[table] = cursor.connection.execute("PRAGMA synchronous").fetchone()[0]

    event.listen(store.engine, "before_cursor_execute", note_sync)
    roles, results = assessed
    store.record_assessments(roles, results)
    store.add_feedback(Feedback(assessment_id=results[0]["assessment_id"], risk_score=10))
    assert seen == {"assessments": 1, "feedback": 2}  # NORMAL, FULL
    with store.engine.connect() as conn:  # the pool gets its connection back at NORMAL
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1
    store.dispose()
    # WAL mode is a property of the file: any other client sees it too.
    with sqlite3.connect(path) as plain:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _open_store_at(url: str, barrier) -> None:
    barrier.wait()  # all processes open the new file at the same moment
    store = Store(url)
    store.upgrade_schema()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    store.dispose()


def test_workers_opening_a_new_sqlite_file_together_all_start(tmp_path):
    """gunicorn workers start at the same instant; the first switch to WAL must not fail one."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    for attempt in range(3):
        url = f"sqlite:///{tmp_path / f'new-{attempt}.db'}"
        barrier = context.Barrier(4)
        workers = [context.Process(target=_open_store_at, args=(url, barrier)) for _ in range(4)]
        try:
            for w in workers:
                w.start()
            for w in workers:
                w.join(60)
        finally:
            for w in workers:
                if w.is_alive():
                    w.kill()  # a hung worker must not hang the test run
        assert [w.exitcode for w in workers] == [0, 0, 0, 0]
