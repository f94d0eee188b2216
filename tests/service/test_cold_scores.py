"""Text never seen before scores as it did before the cold path was made fast (issue 15).

``tests/fixtures/cold_roles.json`` holds 330 roles: O*NET 29.3 statements that are in no
training file (bullet lists, task lists, prose, job ads with headings) and German corpus
statements (bullets, ads with headings). ``tests/fixtures/cold_scores.json`` holds what the
session's model answered for them before the featurisation, the job-ad parser and language
detection were rewritten for speed: every duty found, every task's probability and category
probabilities unrounded, and what the API shows (score, band, interval, language, each task's
rounded probability, category and weight). Advice and upskilling are downstream of these and
tested on their own, as in the golden set.

The roles are scored in a fresh model and batch — new text for the model's caches — then
again one by one, which the caches answer: both must give the stored numbers. Regenerate
(with the golden scores) only when scores move on purpose::

    python -m pytest tests/service/test_golden_scores.py tests/service/test_cold_scores.py \\
        --update-golden
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from risk_service.registry import Registry
from risk_service.schemas import Role
from risk_service.scoring import RoleError, assess_many

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROLES = FIXTURES / "cold_roles.json"
SCORES = FIXTURES / "cold_scores.json"
REGENERATE = (
    "python -m pytest tests/service/test_golden_scores.py tests/service/test_cold_scores.py"
    " --update-golden"
)
# Unrounded model outputs may differ in the last bits when sums are taken in another order.
RAW_TOLERANCE = 1e-12


def answer(result: dict | RoleError) -> dict:
    """What the stored set keeps of one assessment (or the problem of a role)."""
    if isinstance(result, RoleError):
        return {"error": [result.loc, result.msg]}
    return {
        "risk_score": result["risk_score"],
        "risk_band": result["risk_band"],
        "interval": result["interval"],
        "language": result["language"],
        "read_as": result["read_as"],
        "tasks": [
            [t["text"], t["rule_based"], t["category"], t["weight"]] for t in result["tasks"]
        ],
    }


def raw_predictions(model, texts: list[str]) -> list[list[float]]:
    """Each task's unrounded P(rule-based) followed by its category probabilities."""
    predictions = model.predict(texts)
    rows = predictions.category_proba.tolist()
    return [[p, *row] for p, row in zip(predictions.rule_based.tolist(), rows, strict=True)]


def current(registry_dir) -> tuple[list, list, list]:
    """(batch answers, one-by-one answers, raw predictions) of a freshly loaded model."""
    model = Registry(registry_dir).load()
    roles = [Role(**r) for r in json.loads(ROLES.read_text(encoding="utf-8"))["roles"]]
    batch = [answer(r) for r in assess_many(roles, model, evidence=False)]
    texts = list(dict.fromkeys(t[0] for a in batch for t in a.get("tasks", [])))
    raw = raw_predictions(model, texts)
    single = [answer(assess_many([r], model)[0]) for r in roles]
    return batch, single, raw


def test_cold_text_scores_as_before(registry_dir, request):
    batch, single, raw = current(registry_dir)
    if request.config.getoption("--update-golden"):
        # the predictions in the order the tasks first appear in the answers
        document = {"regenerate": REGENERATE, "answers": batch, "predictions": raw}
        SCORES.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
        pytest.skip(f"rewrote {SCORES.name} ({len(batch)} roles, {len(raw)} tasks)")
    stored = json.loads(SCORES.read_text(encoding="utf-8"))
    moved = [
        i for i, (want, got) in enumerate(zip(stored["answers"], batch, strict=True)) if want != got
    ]
    assert not moved, (
        f"{len(moved)} of {len(batch)} cold roles answer differently, e.g. role {moved[0]}: "
        f"{stored['answers'][moved[0]]} -> {batch[moved[0]]}; if intended: {REGENERATE}"
    )
    assert single == batch  # the caches answer what was computed
    assert len(stored["predictions"]) == len(raw)
    off = [
        (i, want, got)
        for i, (want, got) in enumerate(zip(stored["predictions"], raw, strict=True))
        if not all(
            math.isclose(w, g, abs_tol=RAW_TOLERANCE) for w, g in zip(want, got, strict=True)
        )
    ]
    assert not off, f"{len(off)} tasks' probabilities moved, e.g. task {off[0]}"
