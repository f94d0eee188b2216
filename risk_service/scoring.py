"""Role → tasks → rule-based probabilities → risk score, band, interval and upskilling.

:func:`assess_many` is the one scoring path; :func:`score_rows` wraps it for everything that
scores a list of roles or file rows — the API (single, batch, workforce), the CLI's workforce
roll-up and ``risk_service.batch.frame.score_frame`` (files and Dask partitions). It predicts all
tasks of all roles in one model call, which is what makes batches fast.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from pydantic import ValidationError

from risk_service import advice as task_advice
from risk_service.features import char_terms
from risk_service.jobad import parse_job_ad, parse_job_ads
from risk_service.occupations import OccupationMatch, is_title_shaped
from risk_service.roletasks import RoleTasks
from risk_service.schemas import Role, WeightedTask
from risk_service.taskmodel import TaskModel
from risk_service.text import (
    LANGUAGE_NAMES,
    detect_foreign_language,
    detect_language,
    gendered_as_english,
    has_gender_form,
    has_german_board_word,
    normalise_title,
    title_core,
)
from risk_service.upskilling import leads_people, recommend_many, top_areas

# Interval: task-sampling variance shrunk towards a prior for roles with few tasks, plus the
# model's own uncertainty about each task (largest at p = 0.5). Calibrated on held-out
# occupations (grouped CV): the 90 % interval covers the role's labelled rule-based share for
# 92 % of roles with all tasks, 90 % with 3 tasks, 88 % with 5 (docs/model.md).
_PRIOR_VARIANCE = 0.04
_PRIOR_TASKS = 4.0
_MODEL_UNCERTAINTY = 0.5
_Z90 = 1.645

# Risk bands follow the IAB cut-offs: low <= 30, medium 30-70, high > 70.
BAND_LOW_MAX = 30.0
BAND_HIGH_MIN = 70.0
# Below this title similarity a title-only query is answered 422 with suggestions (chosen on the
# tune titles of training/data/titles: 99.5 % of all 848 titles resolve; made-up words such as
# "Qwxzz Blorf" or "Banane" stay below 0.32). The one title in [0.40, 0.45) matched the wrong
# unit group, and so did "Saddler" (0.42, through the grams of "peddler", the market trader).
TITLE_SIMILARITY_FLOOR = 0.45
# A one-line description is read as a job title from this similarity on (below, its line is a
# duty): 94 % of the tune titles sent as descriptions, 3 % of our labelled ads' duty lines.
DESCRIPTION_TITLE_FLOOR = 0.55


def band(score: float) -> str:
    """IAB band of a 0-100 score.

    >>> band(30.0), band(30.1), band(70.0), band(70.1)
    ('low', 'medium', 'medium', 'high')
    """
    if score <= BAND_LOW_MAX:
        return "low"
    if score > BAND_HIGH_MIN:
        return "high"
    return "medium"


class RoleError(ValueError):
    """A role that cannot be scored; becomes a 422 naming ``loc``."""

    def __init__(
        self,
        loc: Sequence[str | int],
        msg: str,
        suggestions: list[OccupationMatch] | None = None,
    ) -> None:
        super().__init__(msg)
        self.loc: list[str | int] = list(loc)
        self.msg = msg
        self.suggestions = suggestions or []

    @classmethod
    def from_validation(cls, exc: ValidationError) -> RoleError:
        """The first error of a row that is not a valid :class:`Role` (its field and message)."""
        first = exc.errors(include_url=False, include_input=False)[0]
        return cls(list(first["loc"]), first["msg"])

    def describe(self) -> str:
        """``"<field>: <message>"``, the text of a file row's ``error`` column."""
        return f"{'.'.join(map(str, self.loc)) or 'row'}: {self.msg}"


@dataclass
class _Prepared:
    texts: list[str]
    weights: list[float]  # sum to 1
    language: str
    match: OccupationMatch | None
    read_as: str  # "title" | "description" | "tasks" (DESIGN §6)
    ignored: dict[str, list[str]] = field(default_factory=dict)
    animal_work: bool = False  # its title names work with animals (advice.animal_work)
    leads: bool = False  # its title names a leader (upskilling.leads_people)

    def matched_occupation(self) -> dict | None:
        """The answer's ``matched_occupation``: a loose fit's note only where the occupation's
        tasks were scored (a title), not the role's own duties."""
        return self.match.as_dict(tasks_scored=self.read_as == "title") if self.match else None


@dataclass
class _Title:
    """The title to resolve: the role's own, or a title-shaped description read as one."""

    text: str | None
    loc: list[str]  # the field a 422 about the title names
    candidates: list[OccupationMatch] | None = None  # searched already (a description)


@dataclass
class _Duties:
    """What a description contributed: its duties, what it held besides, and — when it held
    no duties — what it held instead (the text of its 422)."""

    texts: list[str] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)
    none_found: str | None = None


def _prepare(role: Role, model: TaskModel) -> _Prepared:
    """A role's task texts, time shares, language and occupation, or the :class:`RoleError`
    that says why it cannot be scored.

    The steps, in order: the tasks the role lists; whether a one-line description is really a
    title; the duties of the description; refusing other languages; the occupation of the
    title; the occupation's own tasks when the role names no duties; the time shares.
    """
    texts, raw_weights = _listed_tasks(role)
    read_as = "tasks" if texts else "description"
    title, description = _title_and_description(role, model, has_tasks=bool(texts))
    duties = _duties(description)
    texts += duties.texts
    raw_weights += [None] * len(duties.texts)
    sample = _refuse_other_languages(role, texts)
    language = role.language or detect_language(" ".join([title.text or "", sample]), default="")
    match = _resolve_title(title, model, has_tasks=bool(texts), duties=duties)
    if not texts:
        match = _required_match(role, match, duties)
        read_as = "title"
        language = language or _title_language(title.text or "", match, model)
        texts, raw_weights = _title_tasks(model, match, language, title)
    language = language or "en"
    if match is not None:
        match = model.occupations.in_language(match, language)
    shares = _time_shares(raw_weights)
    named = _role_name(title, role)
    animals, leads = task_advice.animal_work(named), leads_people(named)
    return _Prepared(texts, shares, language, match, read_as, duties.ignored, animals, leads)


_ROLE_NAME_MAX_CHARS = 100  # a first line longer than this is prose, not the ad's title


def _role_name(title: _Title, role: Role) -> str:
    """What names the role: its title, else a description's first line where it is short
    enough to be the ad's title ("Tiermedizinische Fachangestellte (m/w/d)\n…")."""
    if title.text:
        return title.text
    first = (role.description or "").strip().split("\n", 1)[0]
    return first if len(first) <= _ROLE_NAME_MAX_CHARS else ""


def _listed_tasks(role: Role) -> tuple[list[str], list[float | None]]:
    """The role's ``tasks`` as texts and their weights (None where a task has none)."""
    texts: list[str] = []
    weights: list[float | None] = []
    for task in role.tasks or []:
        if isinstance(task, WeightedTask):
            texts.append(task.text)
            weights.append(task.weight)
        else:
            texts.append(task)
            weights.append(None)
    return texts, weights


def _title_and_description(
    role: Role, model: TaskModel, *, has_tasks: bool
) -> tuple[_Title, str | None]:
    """The title to resolve and the description to parse (None when blank or read as title).

    One role, one answer: ``{"description": "Buchhalter"}`` is the title "Buchhalter". A line
    in words the duty model knows ("Mahnwesen") is a title only when close to one; a line it
    has no words for ("Xylophqwz") can only be meant as a title.
    """
    title = _Title(role.title, ["title"])
    description = role.description if role.description and role.description.strip() else None
    if description and not has_tasks and not role.title and is_title_shaped(description):
        candidates = model.occupations.search(description, k=3)
        best = candidates[0].similarity if candidates else 0.0
        if best >= DESCRIPTION_TITLE_FLOOR or not _known_words(model, description):
            return _Title(description, ["description"], candidates), None
    return title, description


def _duties(description: str | None) -> _Duties:
    """The duties a description holds (none without a description)."""
    if not description:
        return _Duties()
    parsed = parse_job_ad(description)
    none_found = None if parsed.duties else parsed.no_duties_message()
    return _Duties(list(parsed.duties), parsed.ignored, none_found)


def _refuse_other_languages(role: Role, texts: list[str]) -> str:
    """The text sample language detection reads; a :class:`RoleError` when it is confidently
    neither German nor English."""
    sample = " ".join([(role.description or "")[:2000], *texts[:20]])
    foreign = detect_foreign_language(sample)
    if foreign is not None:
        raise RoleError(
            ["description"] if role.description else ["tasks"],
            f"the text is in {LANGUAGE_NAMES[foreign]} ({foreign}); only German (de) and "
            "English (en) are scored",
        )
    return sample


def _resolve_title(
    title: _Title, model: TaskModel, *, has_tasks: bool, duties: _Duties
) -> OccupationMatch | None:
    """The occupation the title names, if one is close enough.

    Without it a role that has no duties either cannot be scored: its 422 names the
    description when that is what failed, else the title, with the closest occupations.
    """
    if not title.text:
        return None
    candidates = title.candidates
    if candidates is None:
        candidates = model.occupations.search(title.text, k=3)
    best = candidates[0] if candidates else None
    if best is not None and best.similarity >= TITLE_SIMILARITY_FLOOR:
        return best
    if has_tasks:
        return None
    if duties.none_found is not None:  # the description is what failed, not the title
        raise RoleError(["description"], duties.none_found, candidates)
    raise RoleError(
        title.loc,
        "no known occupation is close enough to this title; pick one of the suggestions "
        "or send the role's tasks or description",
        candidates,
    )


def _required_match(role: Role, match: OccupationMatch | None, duties: _Duties) -> OccupationMatch:
    """A role without duties needs an occupation; without one it cannot be scored."""
    if match is None:
        loc = ["description"] if role.description else ["tasks"]
        raise RoleError(
            loc, duties.none_found or "no duties found: the text holds no task statements to score"
        )
    return match


_GERMAN_LETTERS = frozenset("äöüßÄÖÜ")


def _title_language(text: str, match: OccupationMatch, model: TaskModel) -> str:
    """The language of a title that carries no language of its own words ("Copywriter").

    The language of the occupation's name it matched, except when the title is written
    alike in English: a loanword title that is the matched occupation's English title or
    label ("Copywriter", "Barista") is answered in English, the service's default when
    nothing tells the two languages apart (German only on German evidence: a German gender
    form such as "(m/w/d)" or "*in", a word only German boards use such as "Werkstudent",
    letters such as "ä" or "ß", a German name that is no English one). A gender tag
    as English ads write it ("(m/f/d)", "(f/m/x)") makes the title English unless its words
    are closer to German names than to English ones.
    """
    if has_german_board_word(text) or (has_gender_form(text) and not gendered_as_english(text)):
        return "de"  # "Werkstudent*in Marketing Analytics": a German ad's words
    if match.language == "en" or _GERMAN_LETTERS.intersection(text):
        return match.language
    if gendered_as_english(text):
        # "Senior R&D Manager (f/m/x)", "Controller (f/m/x)": the tag of an English ad; German
        # only when the title's words are closer to German names ("Buchhalter (m/f/d)")
        return model.occupations.closer_language(text)
    core = title_core(text)
    english = model.occupations.in_language(match, "en")
    names = {normalise_title(n) for n in (english.title, english.label or "") if n}
    return "en" if core in names else match.language


def _title_tasks(
    model: TaskModel, match: OccupationMatch, language: str, title: _Title
) -> tuple[list[str], list[float | None]]:
    """The matched occupation's tasks and time shares, scored in place of the role's own."""
    texts, weights = _occupation_tasks(model, match, language)
    if not texts:
        raise RoleError(
            title.loc,
            f"the matched occupation {match.title!r} has no task statements to score; "
            "send the role's tasks or description",
            [match],
        )
    return texts, weights


def _time_shares(raw_weights: list[float | None]) -> list[float]:
    """Time shares that sum to 1: weights where given; tasks without one get the mean of the
    given ones (or 1)."""
    given = [w for w in raw_weights if w is not None]
    fill = sum(given) / len(given) if given else 1.0
    weights = [fill if w is None else w for w in raw_weights]
    total = sum(weights)
    return [w / total for w in weights]


# A title-shaped line is in words the duty model knows when at least this share of its
# character 5-grams are in the model's vocabulary (duty words 0.7-1.0, "Xylophqwz" 0).
KNOWN_GRAMS_SHARE = 0.5


def _known_words(model: TaskModel, text: str) -> bool:
    grams = [g for g in char_terms(text) if len(g) == 5]
    vocabulary = model.features.chars.vocabulary
    return bool(grams) and sum(g in vocabulary for g in grams) >= KNOWN_GRAMS_SHARE * len(grams)


def _occupation_tasks(
    model: TaskModel, match: OccupationMatch, language: str
) -> tuple[list[str], list[float | None]]:
    """The matched occupation's statements in ``language`` (the other language if it has
    none) weighted by their typical share of working time where the corpus gives one."""
    for lang in (language, "en" if language == "de" else "de"):
        texts = model.occupations.tasks_of(match.occupation_id, lang) if match.occupation_id else []
        if texts:
            shares = model.occupations.shares_of(match.occupation_id, lang)
            return texts, list(shares) if shares else [None] * len(texts)
    return [], []


def _rounded(values: np.ndarray, digits: int) -> list[float]:
    """``[round(v, digits) for v in values]``, vectorised.

    ``np.round`` scales before rounding, so where the scaled value lies at a half it can miss
    (1/160 → 0.0062 instead of 0.0063); those few are rounded by Python.
    """
    scaled = values * 10.0**digits
    out = np.round(values, digits).tolist()
    for i in np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6).tolist():
        out[i] = round(float(values[i]), digits)
    return out


def intervals(tasks: RoleTasks, means: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """90 % intervals (0-1 scale) of each role's weighted mean rule-based probability."""
    w, p = tasks.weights, tasks.rule_based
    n_eff = 1.0 / tasks.per_role_sum(w * w)
    between = tasks.per_role_sum(w * (p - means[tasks.role_of_task]) ** 2)
    between = (n_eff * between + _PRIOR_TASKS * _PRIOR_VARIANCE) / (n_eff + _PRIOR_TASKS)
    model = _MODEL_UNCERTAINTY * tasks.per_role_sum(w * w * p * (1 - p))
    half = _Z90 * np.sqrt(between / n_eff + model)
    return np.maximum(0.0, means - half), np.minimum(1.0, means + half)


@dataclass
class _Scored:
    """What every output of a batch needs: each role's preparation (or error), the tasks of
    the scored ones with their predictions, the roles' scores and intervals (0-100), and each
    task's advice."""

    prepared: list[_Prepared | RoleError]
    scored: list[_Prepared]
    out_languages: list[str]  # of the advice and upskilling texts, per scored role
    tasks: RoleTasks
    scores: list[float]
    lows: list[float]
    highs: list[float]
    advice: list[task_advice.Advice]


def _score(roles: list[Role], model: TaskModel) -> _Scored:
    """Prepare, predict and score ``roles``: all tasks of all roles through the model at once."""
    # The job-ad parser labels the statements of all descriptions in one classifier call;
    # _prepare then finds each parse in its cache.
    parse_job_ads([r.description for r in roles if r.description and r.description.strip()])
    prepared: list[_Prepared | RoleError] = []
    out_languages: list[str] = []
    for role in roles:
        try:
            ready = _prepare(role, model)
        except RoleError as exc:
            prepared.append(exc)
            continue
        prepared.append(ready)
        out_languages.append(role.advice_language or ready.language)
    scored = [p for p in prepared if isinstance(p, _Prepared)]
    texts = [t for p in scored for t in p.texts]
    predictions = model.predict(texts)
    tasks = RoleTasks(
        texts=texts,
        categories=predictions.category,
        rule_based=predictions.rule_based,
        weights=np.fromiter((w for p in scored for w in p.weights), float, len(texts)),
        bounds=np.cumsum([0, *(len(p.texts) for p in scored)]),
    )
    means = tasks.per_role_sum(tasks.weights * tasks.rule_based)
    lows, highs = ((100 * x).tolist() for x in intervals(tasks, means))
    task_languages = [p.language for p in scored for _ in p.texts]
    task_out = [lang for p, lang in zip(scored, out_languages, strict=True) for _ in p.texts]
    # the model's kind of work per task (manual, people): its category probabilities summed
    kinds = task_advice.kind_probabilities(predictions.category_proba, predictions.classes)
    animals = [p.animal_work for p in scored for _ in p.texts]
    advice = task_advice.advise_many(
        texts, tasks.rule_based, tasks.categories, task_languages, task_out, kinds, animals
    )
    return _Scored(
        prepared, scored, out_languages, tasks, (100 * means).tolist(), lows, highs, advice
    )


def assess_many(
    roles: list[Role], model: TaskModel, *, evidence: bool = True
) -> list[dict | RoleError]:
    """Assess roles in input order; a role that cannot be scored yields its :class:`RoleError`.

    All tasks of all roles go through the model in one call, and the role arithmetic (scores,
    intervals, advice, upskilling) runs over all of them at once: that is what makes batches
    fast. ``evidence=False`` leaves out each task's ``evidence`` (the words behind its
    judgement) for callers that do not show it.
    """
    batch = _score(roles, model)
    tasks, scored, scores, advice = batch.tasks, batch.scored, batch.scores, batch.advice
    texts = tasks.texts
    advice_shares = task_advice.shares(advice, tasks.weights, tasks.bounds)
    upskilling = recommend_many(
        tasks,
        scores,
        batch.out_languages,
        advice,
        text_languages=[p.language for p in scored],
        leads=[p.leads for p in scored],
    )
    task_evidence = model.evidence(texts) if evidence else None
    rule_based = _rounded(tasks.rule_based, 3)
    weights = _rounded(tasks.weights, 4)
    version = model.meta.get("version", "unversioned")

    results: list[dict | RoleError] = []
    done = iter(range(len(scored)))
    for entry in batch.prepared:
        if isinstance(entry, RoleError):
            results.append(entry)
            continue
        r = next(done)
        start, end = int(tasks.bounds[r]), int(tasks.bounds[r + 1])
        results.append(
            {
                "assessment_id": uuid.uuid4().hex,
                "risk_score": round(scores[r], 1),
                "risk_band": band(scores[r]),
                "interval": [round(batch.lows[r], 1), round(batch.highs[r], 1)],
                "language": entry.language,
                "matched_occupation": entry.matched_occupation(),
                "read_as": entry.read_as,
                "tasks": [
                    {
                        "text": texts[i],
                        "rule_based": rule_based[i],
                        "category": tasks.categories[i],
                        "weight": weights[i],
                        "advice": advice[i].advice,
                        "advice_reason": advice[i].reason,
                        **({"evidence": task_evidence[i]} if task_evidence is not None else {}),
                    }
                    for i in range(start, end)
                ],
                "advice_shares": advice_shares[r],
                "ignored": entry.ignored,
                "upskilling": upskilling[r],
                "model_version": version,
            }
        )
    return results


def summarise_many(roles: list[Role], model: TaskModel) -> list[dict | RoleError]:
    """What a file's columns show of each role, in input order (a :class:`RoleError` for a
    role that cannot be scored): ``risk_score``, ``risk_band``, ``interval``, ``language``,
    ``matched_occupation``, ``top_area`` (the first upskilling area) and ``n_tasks``.

    The same numbers as :func:`assess_many` (the same scoring, ``tests/service/
    test_cold_scores.py`` compares them on the cold file), without what the columns do not
    show: the task list, the advice shares, the upskilling texts and the evidence.
    """
    batch = _score(roles, model)
    top = top_areas(batch.tasks, batch.advice)
    results: list[dict | RoleError] = []
    done = iter(range(len(batch.scored)))
    bounds = batch.tasks.bounds.tolist()
    for entry in batch.prepared:
        if isinstance(entry, RoleError):
            results.append(entry)
            continue
        r = next(done)
        score = batch.scores[r]
        results.append(
            {
                "risk_score": round(score, 1),
                "risk_band": band(score),
                "interval": [round(batch.lows[r], 1), round(batch.highs[r], 1)],
                "language": entry.language,
                "matched_occupation": entry.matched_occupation(),
                "top_area": top[r],
                "n_tasks": bounds[r + 1] - bounds[r],
            }
        )
    return results


def assess(role: Role, model: TaskModel) -> dict:
    """Assess one role; raises :class:`RoleError` when it cannot be scored."""
    result = assess_many([role], model)[0]
    if isinstance(result, RoleError):
        raise result
    return result


def role_from_row(row: Mapping) -> Role:
    """A file row as a :class:`Role`: empty or missing cells are absent, ``tasks`` is split at
    ``|``; raises :class:`pydantic.ValidationError` when the row is not a valid role."""

    def text(key: str) -> str | None:
        value = row.get(key)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        value = str(value).strip()
        return value or None

    tasks = text("tasks")
    return Role(
        title=text("title"),
        description=text("description"),
        tasks=[t.strip() for t in tasks.split("|") if t.strip()] if tasks else None,
        language=text("language"),
    )


def score_rows(
    rows: Iterable[Role | Mapping],
    model: TaskModel,
    *,
    evidence: bool = True,
    summary: bool = False,
) -> list[dict | RoleError]:
    """Rows → roles → :func:`assess_many` → each row's assessment or error, in row order.

    Parameters
    ----------
    rows : iterable of Role or mapping
        Validated roles (the API's request bodies) or a file's rows (columns ``title``,
        ``description``, ``tasks`` with ``|``-separated tasks, ``language``; see
        :func:`role_from_row`).
    model : TaskModel
    evidence : bool, default=True
        Include each task's ``evidence``; callers that do not show it leave it out.
    summary : bool, default=False
        Each row's :func:`summarise_many` entry (what a file's columns show) instead of its
        assessment.

    Returns
    -------
    list of dict or RoleError
        One entry per row: its assessment (or summary), or the :class:`RoleError` of a row
        that is not a valid role (``loc`` names the field) or cannot be scored.
    """
    roles: list[Role | RoleError] = []
    for row in rows:
        if isinstance(row, Role):
            roles.append(row)
            continue
        try:
            roles.append(role_from_row(row))
        except ValidationError as exc:
            roles.append(RoleError.from_validation(exc))
    valid = [r for r in roles if isinstance(r, Role)]
    assessed = iter(
        summarise_many(valid, model) if summary else assess_many(valid, model, evidence=evidence)
    )
    return [next(assessed) if isinstance(r, Role) else r for r in roles]
