"""Request and response models: they validate input, shape every answer and generate the OpenAPI
document (each route declares its models: :mod:`risk_service.web.contracts`).

Numbers and booleans in requests are strict: ``"3"``, ``true`` or ``"3e2"`` for a weight or a
headcount is a 422 naming the field, not silently converted (JSON numbers only; an integer is a
valid float, a float is not a valid integer).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, model_validator

from risk_service.taskmodel import CATEGORIES

# The API contract's fixed maxima (published in the OpenAPI document; the body size in bytes is
# a setting, RISK_MAX_BODY_BYTES). Every size the service accepts is bounded.
MAX_TITLE_CHARS = 200
MAX_TEXT_CHARS = 20_000
MAX_TASKS = 200
MAX_TASK_CHARS = 1_000
MAX_BATCH = 1_000

_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"  # tabs and newlines are fine, NUL & co. are not

Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_TITLE_CHARS, pattern=_NO_CONTROL),
]
Description = Annotated[str, StringConstraints(max_length=MAX_TEXT_CHARS, pattern=_NO_CONTROL)]
TaskText = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_TASK_CHARS, pattern=_NO_CONTROL
    ),
]
Language = Literal["de", "en"]


class _Model(BaseModel):
    """Every model here builds its validator on first use, not on import: the CLI validates
    roles only, and should not pay for the responses' schemas (the web app uses them all)."""

    model_config = ConfigDict(defer_build=True)


class WeightedTask(_Model):
    """A task with its share of working time (weights are normalised over the role)."""

    model_config = ConfigDict(extra="forbid")
    text: TaskText
    weight: float = Field(gt=0, le=1_000, strict=True, allow_inf_nan=False)


class Role(_Model):
    """A role to assess: at least one of title, description, tasks."""

    model_config = ConfigDict(extra="forbid")
    title: Title | None = None
    description: Description | None = None
    tasks: list[TaskText | WeightedTask] | None = Field(default=None, max_length=MAX_TASKS)
    language: Language | None = None
    advice_language: Language | None = Field(
        default=None,
        description="Language of the advice reasons and upskilling texts (default: the role's "
        "language). The tasks are still read, scored and quoted in their own language.",
    )

    @model_validator(mode="after")
    def _needs_content(self) -> Role:
        if not (self.title or (self.description or "").strip() or self.tasks):
            raise ValueError("give at least one of title, description or tasks")
        return self


class WorkforceRole(Role):
    headcount: int = Field(ge=0, le=10_000_000, strict=True)
    cost_per_fte: float | None = Field(
        default=None,
        ge=0,
        le=100_000_000,
        strict=True,
        allow_inf_nan=False,
        description="Yearly cost of one full-time equivalent in this role (for the payback)",
    )


class BatchRequest(_Model):
    model_config = ConfigDict(extra="forbid")
    roles: list[Role] = Field(min_length=1, max_length=MAX_BATCH)


class WorkforceRequest(_Model):
    model_config = ConfigDict(extra="forbid")
    roles: list[WorkforceRole] = Field(min_length=1, max_length=MAX_BATCH)
    attrition_rate: float | None = Field(
        default=None,
        ge=0,
        lt=1,
        strict=True,
        allow_inf_nan=False,
        description="Share of the workforce leaving per year without dismissals (default 0.09: "
        "IAB-Betriebspanel 2024, an assumption; see plan.assumptions)",
    )
    implementation_cost: float | None = Field(
        default=None,
        ge=0,
        le=1e12,
        strict=True,
        allow_inf_nan=False,
        description="One-off cost of introducing the automation (for the payback)",
    )


class ScoredTask(_Model):
    text: str
    rule_based: float = Field(ge=0, le=1)
    category: str
    weight: float = Field(ge=0, le=1)
    advice: Literal["automate", "assist", "keep_human"] = Field(
        description="automate: software or machines can take it over; assist: AI prepares, a "
        "person decides (and customers, patients … are told that AI is involved); keep_human"
    )
    advice_reason: str = Field(description="Why, in the request's language")
    evidence: list[str] = Field(
        default_factory=list,
        description="Words or phrases of the statement that drove its rule-based judgement, "
        "strongest first (the model's own terms)",
    )


class AdviceShares(_Model):
    """Share of the role's working time (task weights) in each advice; sums to 1."""

    automate: float = Field(ge=0, le=1)
    assist: float = Field(ge=0, le=1)
    keep_human: float = Field(ge=0, le=1)


MatchBasis = Literal["unit_group", "minor_group", "sub_major_group", "major_group", "other_group"]


class MatchedOccupation(_Model):
    """The occupation a title resolved to (ESCO) and the corpus occupation scored for it."""

    occupation_id: str = Field(description="Corpus occupation whose tasks were scored")
    title: str = Field(description="Its title in the request's language")
    isco08: str = Field(description="ISCO-08 unit group of the title's occupation")
    similarity: float = Field(ge=0, le=1)
    esco_uri: str | None = Field(default=None, description="ESCO occupation of the title")
    label: str | None = Field(
        default=None, description="The ESCO occupation's preferred label, request language"
    )
    basis: MatchBasis | None = Field(
        default=None,
        description="Where the scored occupation comes from: the title's ISCO-08 unit group, or "
        "(when our corpus has none there) its minor, sub-major or major group, or another group",
    )
    tasks_fit: Literal["close", "loose"] | None = Field(
        default=None,
        description="Whether the scored occupation is the title's job ('close': the title is "
        "one of its names, or its names cover the ESCO occupation's labels well) or only "
        "another job of the same group ('loose': send the role's duties for its own score)",
    )
    tasks_note: str | None = Field(
        default=None,
        description="With a loose fit, when the occupation's tasks were scored (read_as "
        "'title'): what was scored instead, in the request's language",
    )


class Upskilling(_Model):
    area: Literal["complex_problem_solving", "emotional_intelligence", "ai_process_interface"]
    rank: int = Field(ge=1, le=3)
    priority: float = Field(ge=0, le=1)
    why: str
    actions: list[str]


class Assessment(_Model):
    assessment_id: str
    risk_score: float = Field(ge=0, le=100)
    risk_band: Literal["low", "medium", "high"]
    interval: tuple[float, float]
    language: Language
    matched_occupation: MatchedOccupation | None
    read_as: Literal["title", "description", "tasks"] = Field(
        description="How the input was read: a job title (its occupation's tasks were scored), "
        "a description (duties found in it) or explicit tasks"
    )
    tasks: list[ScoredTask]
    ignored: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Statements of the description not scored, by section: requirements, "
        "benefits, company, contact (contact details and how to apply), other",
    )
    advice_shares: AdviceShares
    upskilling: list[Upskilling]
    model_version: str


FEEDBACK_COMMENT_CHARS = 5_000
TaskCategory = Literal[CATEGORIES]  # type: ignore[valid-type]  # expanded at run time


class FeedbackTask(_Model):
    """A task as the user sees it: is it rule-based, and (optionally) which category."""

    model_config = ConfigDict(extra="forbid")
    text: TaskText
    rule_based: StrictBool
    category: TaskCategory | None = None


class Feedback(_Model):
    """A correction of an assessment: the score, the tasks and/or a comment."""

    model_config = ConfigDict(extra="forbid")
    assessment_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    risk_score: float | None = Field(default=None, ge=0, le=100, strict=True, allow_inf_nan=False)
    tasks: list[FeedbackTask] | None = Field(default=None, max_length=MAX_TASKS)
    comment: str | None = Field(
        default=None, max_length=FEEDBACK_COMMENT_CHARS, pattern=_NO_CONTROL
    )

    @model_validator(mode="after")
    def _needs_content(self) -> Feedback:
        if self.risk_score is None and not self.tasks and not (self.comment or "").strip():
            raise ValueError("give at least one of risk_score, tasks or comment")
        return self


class FeedbackCreated(_Model):
    feedback_id: str
    assessment_id: str


class ProblemError(_Model):
    loc: list[str | int]
    msg: str


class Problem(_Model):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemError] | None = None
    suggestions: list[MatchedOccupation] | None = None


# Response envelopes: the routes answer instances of these (risk_service/web/contracts.py),
# serialised by them, and the OpenAPI document shows their schemas.


class BatchResponse(_Model):
    results: list[Assessment | Problem] = Field(description="One entry per role, in input order")


class WorkforceAssessment(Assessment):
    headcount: int = Field(ge=0)


class BandShare(_Model):
    low: float = Field(ge=0, le=1)
    medium: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)


class ExposedTask(_Model):
    text: str
    exposed_fte: float = Field(ge=0, description="Headcount x time share x rule-based probability")


class PlanYear(_Model):
    year: int = Field(ge=1)
    fte_absorbed: float = Field(ge=0, description="Automatable FTE absorbed by attrition that year")
    fte_remaining: float = Field(
        ge=0, description="Automatable FTE still in the workforce after it"
    )


class PlanRole(_Model):
    index: int = Field(ge=0, description="Position of the role in the request")
    fte_automatable: float = Field(ge=0)
    fte_assisted: float = Field(ge=0)
    years_to_absorb_alone: float | None = Field(
        description="Years if the role's own attrition had to absorb it (no moves between roles)"
    )


class TransitionPlan(_Model):
    """Transition through natural attrition; makes no personnel decision about individuals."""

    fte_automatable: float = Field(ge=0, description="Headcount x share of work to automate")
    fte_assisted: float = Field(ge=0, description="Headcount x share of work to assist")
    years_to_absorb: float | None = Field(
        ge=0,
        description="Years until attrition absorbs the automatable FTE; null: not within "
        "the horizon (or no attrition)",
    )
    phasing: list[PlanYear]
    retrain: dict[str, int] = Field(description="People to retrain per upskilling area")
    payback_months: int | None = Field(
        ge=0, description="null without implementation_cost and cost_per_fte"
    )
    roles: list[PlanRole]
    notice: dict[str, str] = Field(description="No personnel decision about individuals (de, en)")
    assumptions: dict


class WorkforceResponse(_Model):
    headcount: int = Field(ge=0)
    risk_score: float | None = Field(ge=0, le=100, description="Headcount-weighted mean score")
    band_share: BandShare
    top_exposed_tasks: list[ExposedTask]
    plan: TransitionPlan
    results: list[WorkforceAssessment | Problem]


class ModelCard(_Model):
    version: str | None
    trained_at: str | None
    data_hash: str | None
    metrics: dict
    libraries: dict = Field(default_factory=dict)
    corpus: dict = Field(default_factory=dict)


class ReloadResult(_Model):
    version: str
    previous: str | None


class Health(_Model):
    status: str


class Readiness(_Model):
    status: Literal["ready", "not ready"]
    model_version: str | None = None
    detail: str | None = None


class StoredFeedback(_Model):
    feedback_id: str
    assessment_id: str
    created_at: str
    risk_score: float | None
    tasks: list[FeedbackTask] | None
    comment: str | None
