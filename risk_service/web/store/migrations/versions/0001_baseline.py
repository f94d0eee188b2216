"""Baseline: the audit log, feedback and readiness-probe tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-02

Databases created before migrations existed (the tables made by ``metadata.create_all``) are
adopted as they are: a table that exists is kept with its rows, a missing one is created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _missing(table: str) -> bool:
    if context.is_offline_mode():  # an SQL script for an empty database
        return True
    return not sa.inspect(op.get_bind()).has_table(table)


def upgrade() -> None:
    if _missing("assessments"):
        op.create_table(
            "assessments",
            sa.Column("assessment_id", sa.String(64), primary_key=True),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("model_version", sa.String(64), nullable=False),
            sa.Column("input_hash", sa.String(64), nullable=False),
            sa.Column("risk_score", sa.Float(), nullable=False),
            sa.Column("risk_band", sa.String(8), nullable=False),
            sa.Column("language", sa.String(2), nullable=False),
            sa.Column("matched_isco08", sa.String(4)),
            sa.Column("raw_text", sa.Text()),
        )
        op.create_index("ix_assessments_input_hash", "assessments", ["input_hash"])
    if _missing("feedback"):
        op.create_table(
            "feedback",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column(
                "assessment_id",
                sa.String(64),
                sa.ForeignKey("assessments.assessment_id"),
                nullable=False,
            ),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("risk_score", sa.Float()),
            sa.Column("tasks", sa.JSON()),
            sa.Column("comment", sa.Text()),
        )
        op.create_index("ix_feedback_assessment_id", "feedback", ["assessment_id"])
    if _missing("store_probe"):
        op.create_table(
            "store_probe",
            sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
            sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        )


def downgrade() -> None:
    op.drop_table("store_probe")
    op.drop_index("ix_feedback_assessment_id", table_name="feedback")
    op.drop_table("feedback")
    op.drop_index("ix_assessments_input_hash", table_name="assessments")
    op.drop_table("assessments")
