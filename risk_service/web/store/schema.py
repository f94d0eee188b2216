"""The store's tables: the audit log of assessments, feedback on them, the readiness probe.

These definitions are what the code reads and writes; the database gets them through the
Alembic migrations in ``migrations/`` (:mod:`risk_service.web.store.migrate`), which a test
keeps equal to them. A change here needs a new migration (``README``: "Store migrations").
"""

from __future__ import annotations

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
)

# The newest migration: a database whose ``alembic_version`` says this needs no migrating, so
# a worker starts without importing Alembic (a test checks it is the migrations' head).
SCHEMA_REVISION = "0001"

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
