"""Store migrations (Alembic): new databases get the newest schema, databases made before the
migrations existed keep every row, and the migrations and the table definitions agree — on
SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    insert,
    select,
)

from risk_service.schemas import Feedback
from risk_service.web.store import Store, StoreUnavailable, make_engine, metadata
from risk_service.web.store.migrate import VERSION_TABLE, alembic_config, current_revision
from risk_service.web.store.schema import SCHEMA_REVISION
from tests.postgres_server import fresh_database_url


def legacy_metadata() -> MetaData:
    """The tables exactly as the store created them before migrations (``create_all``)."""
    legacy = MetaData()
    Table(
        "assessments",
        legacy,
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
    Table(
        "feedback",
        legacy,
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
    Table(
        "store_probe",
        legacy,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("checked_at", DateTime(timezone=True), nullable=False),
    )
    return legacy


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    return fresh_database_url(request.param, tmp_path)


def _schema_differences(engine) -> list:
    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def test_the_newest_revision_is_the_one_the_code_names():
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head == SCHEMA_REVISION  # bump SCHEMA_REVISION with every new migration


def test_a_new_database_gets_the_tables_the_code_defines(database_url):
    store = Store(database_url)
    assert store.upgrade_schema() == SCHEMA_REVISION
    assert _schema_differences(store.engine) == []  # the migrations match schema.py
    with store.engine.connect() as conn:
        assert current_revision(conn) == SCHEMA_REVISION
    store.dispose()


def test_a_database_made_before_migrations_keeps_every_row(database_url):
    """A database as the pre-migration store left it (tables from create_all, rows in each)."""
    engine = make_engine(database_url)
    legacy = legacy_metadata()
    legacy.create_all(engine)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(legacy.tables["assessments"]),
            [
                {
                    "assessment_id": f"a{i}",
                    "created_at": now,
                    "model_version": "20260101-000000-00000000",
                    "input_hash": f"{i:064x}",
                    "risk_score": 10.0 * i,
                    "risk_band": "low",
                    "language": "de",
                    "matched_isco08": "4311",
                    "raw_text": None,
                }
                for i in range(5)
            ],
        )
        conn.execute(
            insert(legacy.tables["feedback"]),
            [
                {
                    "id": "f1",
                    "assessment_id": "a1",
                    "created_at": now,
                    "risk_score": 55.0,
                    "tasks": [{"text": "Mahnwesen", "rule_based": True}],
                    "comment": "fits",
                }
            ],
        )
        conn.execute(insert(legacy.tables["store_probe"]).values(id=1, checked_at=now))
    engine.dispose()

    store = Store(database_url)
    assert store.upgrade_schema() == SCHEMA_REVISION
    assert _schema_differences(store.engine) == []
    for i in range(5):
        assert store.assessment(f"a{i}")["risk_score"] == pytest.approx(10.0 * i)
    kept = store.feedback("f1")
    assert kept["tasks"] == [{"text": "Mahnwesen", "rule_based": True}]
    assert kept["comment"] == "fits"
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(legacy.tables["store_probe"])) == 1
    # …and the store keeps working on it.
    new_id = store.add_feedback(Feedback(assessment_id="a2", comment="after the upgrade"))
    assert store.feedback(new_id)["comment"] == "after the upgrade"
    assert store.unavailable() is None
    store.dispose()


def test_a_database_a_newer_release_migrated_is_refused_with_its_revision(tmp_path):
    url = f"sqlite:///{tmp_path / 'risk.db'}"
    Store(url).upgrade_schema()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE {VERSION_TABLE} SET version_num = 'f00dfeed'")
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="f00dfeed"):
        Store(url).upgrade_schema()


def test_the_migrations_run_down_and_up_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'risk.db'}"
    store = Store(url)
    store.upgrade_schema()
    with store.engine.begin() as conn:
        command.downgrade(alembic_config(conn), "base")
        assert current_revision(conn) is None
        assert not conn.dialect.has_table(conn, "assessments")
    assert store.upgrade_schema() == SCHEMA_REVISION
    assert _schema_differences(store.engine) == []
    store.dispose()


def test_a_worker_on_a_current_database_does_not_import_alembic(tmp_path):
    """Alembic costs a worker's start about a second on a busy machine: only a database that
    needs migrating loads it."""
    url = f"sqlite:///{tmp_path / 'risk.db'}"
    Store(url).upgrade_schema()
    code = (
        "import sys; from risk_service.web.store import Store; "
        f"Store({url!r}).upgrade_schema(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
