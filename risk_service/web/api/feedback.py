"""Feedback on an assessment: the user's score, task labels and comment, for retraining."""

from __future__ import annotations

import re

from flask import Blueprint, url_for

from risk_service.schemas import Feedback, FeedbackCreated, StoredFeedback
from risk_service.web.contracts import contract
from risk_service.web.problems import HTTPProblem
from risk_service.web.store import UnknownAssessment, get_store

bp = Blueprint("feedback", __name__, url_prefix="/v1")

_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what we issue; anything else cannot exist


def _unknown_assessment(assessment_id: str) -> HTTPProblem:
    return HTTPProblem(
        404,
        "unknown-assessment",
        "Unknown assessment",
        "assessment_id does not name an assessment of this service",
        errors=[{"loc": ["body", "assessment_id"], "msg": "no assessment with this id"}],
    )


@bp.post("/feedback")
@contract(
    summary="Correct an assessment: score, task labels and/or a comment",
    tag="feedback",
    status=201,
    body=Feedback,
    response=FeedbackCreated,
    problems=(404,),
    headers=("Location",),
    description="The row is committed before 201; `Location` points to it.",
)
def create_feedback(body: Feedback) -> tuple[FeedbackCreated, dict]:
    """Store feedback; 201 only once the row is committed."""
    try:
        feedback_id = get_store().add_feedback(body)
    except UnknownAssessment:
        raise _unknown_assessment(body.assessment_id) from None
    created = FeedbackCreated(feedback_id=feedback_id, assessment_id=body.assessment_id)
    return created, {"Location": url_for(".get_feedback", feedback_id=feedback_id)}


@bp.get("/feedback/<feedback_id>")
@contract(summary="Stored feedback", tag="feedback", response=StoredFeedback, problems=(404,))
def get_feedback(feedback_id: str) -> StoredFeedback:
    """The stored feedback (what ``Location`` of a 201 points to)."""
    row = get_store().feedback(feedback_id) if _ID.fullmatch(feedback_id) else None
    if row is None:
        raise HTTPProblem(
            404,
            "unknown-feedback",
            "Unknown feedback",
            "no feedback with this id",
            errors=[{"loc": ["path", "feedback_id"], "msg": "no feedback with this id"}],
        )
    return StoredFeedback(
        feedback_id=row["id"],
        assessment_id=row["assessment_id"],
        created_at=row["created_at"].isoformat(),
        risk_score=row["risk_score"],
        tasks=row["tasks"],
        comment=row["comment"],
    )
