"""The same inputs give the same scores: 70 varied roles against a stored set.

``tests/fixtures/golden_roles.json`` holds the requests (German and English titles, duty lists
with and without weights, job ads as text, Markdown and HTML, title plus description, and three
requests answered with a problem); ``tests/fixtures/golden_scores.json`` what the service
answered with the session's model (the default training data, seed 0): score, band, interval,
language, how the input was read, the matched occupation and every task's probability, category
and weight. Advice and upskilling texts are not part of it (they are tested on their own).

When a change moves scores on purpose — a new model, corpus statements, a parser change — regenerate
the stored set in one command and commit it with the change (its diff shows which roles moved)::

    python -m pytest tests/service/test_golden_scores.py tests/service/test_cold_scores.py \\
        --update-golden

Scores are compared to one unit of their published rounding (0.1 points, probability 0.001), so a
last-digit flip from another BLAS does not fail the test but any real move does.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROLES = FIXTURES / "golden_roles.json"
SCORES = FIXTURES / "golden_scores.json"
REGENERATE = (
    "python -m pytest tests/service/test_golden_scores.py tests/service/test_cold_scores.py"
    " --update-golden"
)
# One unit of the response's rounding: risk_score and interval to 0.1, probabilities to 0.001.
SCORE_TOLERANCE = 0.1 + 1e-9
PROBABILITY_TOLERANCE = 0.001 + 1e-9


def summary(status: int, body: dict) -> dict:
    """What the golden set keeps of one answer.

    Parameters
    ----------
    status : int
        The HTTP status.
    body : dict
        The JSON answer (an assessment or a problem).

    Returns
    -------
    dict
    """
    if status != 200:
        return {
            "status": status,
            "type": body["type"],
            "locs": [error["loc"] for error in body.get("errors", [])],
        }
    occupation = body["matched_occupation"] or {}
    return {
        "status": status,
        "risk_score": body["risk_score"],
        "risk_band": body["risk_band"],
        "interval": list(body["interval"]),
        "language": body["language"],
        "read_as": body["read_as"],
        "occupation": [occupation.get("occupation_id"), occupation.get("isco08")],
        "tasks": [
            [task["text"], task["rule_based"], task["category"], task["weight"]]
            for task in body["tasks"]
        ],
    }


def differences(expected: dict, actual: dict) -> list[str]:
    """How ``actual`` differs from ``expected`` beyond the rounding tolerance (empty: same).

    Parameters
    ----------
    expected, actual : dict
        Two :func:`summary` results.

    Returns
    -------
    list of str
        One readable line per difference.
    """
    out = []
    for key in sorted(expected.keys() | actual.keys()):
        want, got = expected.get(key), actual.get(key)
        if key in ("risk_score", "interval") and want is not None and got is not None:
            pairs = zip(want, got, strict=True) if key == "interval" else [(want, got)]
            if any(not math.isclose(w, g, abs_tol=SCORE_TOLERANCE) for w, g in pairs):
                out.append(f"{key}: {want} -> {got}")
        elif key == "tasks":
            out += _task_differences(want or [], got or [])
        elif want != got:
            out.append(f"{key}: {want!r} -> {got!r}")
    return out


def _task_differences(want: list, got: list) -> list[str]:
    if [t[0] for t in want] != [t[0] for t in got]:
        return [f"tasks: {[t[0] for t in want]} -> {[t[0] for t in got]}"]
    out = []
    for (text, p_want, cat_want, w_want), (_, p_got, cat_got, w_got) in zip(want, got, strict=True):
        if not math.isclose(p_want, p_got, abs_tol=PROBABILITY_TOLERANCE):
            out.append(f"task {text!r}: rule_based {p_want} -> {p_got}")
        if cat_want != cat_got:
            out.append(f"task {text!r}: category {cat_want} -> {cat_got}")
        if not math.isclose(w_want, w_got, abs_tol=1e-4):
            out.append(f"task {text!r}: weight {w_want} -> {w_got}")
    return out


def answers(client) -> dict[str, dict]:
    roles = json.loads(ROLES.read_text())["roles"]
    out = {}
    for role in roles:
        response = client.post("/v1/score", json=role["request"])
        out[role["name"]] = summary(response.status_code, response.get_json())
    return out


def test_scores_match_the_stored_set(client, request):
    current = answers(client)
    data_hash = client.get("/v1/model").get_json()["data_hash"]
    if request.config.getoption("--update-golden"):
        document = {
            "regenerate": REGENERATE,
            "data_hash": data_hash,
            "answers": current,
        }
        SCORES.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n")
        pytest.skip(f"rewrote {SCORES.name} ({len(current)} roles)")
    stored = json.loads(SCORES.read_text())
    assert stored["answers"].keys() == current.keys(), (
        f"the roles of {ROLES.name} and {SCORES.name} differ; run: {REGENERATE}"
    )
    moved = {
        name: diff
        for name, want in stored["answers"].items()
        if (diff := differences(want, current[name]))
    }
    if moved:
        lines = [f"{name}: " + "; ".join(diff) for name, diff in list(moved.items())[:20]]
        why = (
            "the training data changed since the set was stored"
            if stored["data_hash"] != data_hash
            else "the training data is the same as when the set was stored"
        )
        pytest.fail(
            f"{len(moved)} of {len(current)} roles answer differently ({why}):\n"
            + "\n".join(lines)
            + f"\nIf that is intended, regenerate the stored set: {REGENERATE}"
        )


def test_the_comparison_catches_a_moved_score_and_forgives_rounding():
    base = {
        "status": 200,
        "risk_score": 61.3,
        "risk_band": "medium",
        "interval": [40.0, 80.2],
        "language": "de",
        "read_as": "tasks",
        "occupation": [None, None],
        "tasks": [["Mahnwesen", 0.887, "routine_cognitive", 1.0]],
    }

    def changed(**fields) -> dict:
        return {**base, **fields}

    assert differences(base, changed(risk_score=61.4)) == []  # one rounding unit
    assert differences(base, changed(risk_score=61.5)) == ["risk_score: 61.3 -> 61.5"]
    assert differences(base, changed(interval=[40.0, 80.5])) != []
    assert differences(base, changed(risk_band="high")) == ["risk_band: 'medium' -> 'high'"]
    assert differences(base, changed(tasks=[["Mahnwesen", 0.888, "routine_cognitive", 1.0]])) == []
    assert differences(base, changed(tasks=[["Mahnwesen", 0.89, "routine_cognitive", 1.0]])) == [
        "task 'Mahnwesen': rule_based 0.887 -> 0.89"
    ]
    assert differences(base, changed(tasks=[["Mahnwesen", 0.887, "routine_manual", 1.0]]))
    assert differences(base, changed(tasks=[])) != []
    assert differences(base, {"status": 422, "type": "x", "locs": []}) != []
