"""Helpers for the advice tests that replay a review's tasks without a trained model.

Each task carries the rule-based probability, category and kind probabilities (P(manual),
P(people)) the served model gave it; the helpers run them through advice and upskilling as the
service does.
"""

from __future__ import annotations

import numpy as np

from risk_service import advice
from risk_service.roletasks import RoleTasks
from risk_service.upskilling import recommend_many

# text, rule-based probability, category, (P(manual), P(people))
Task = tuple[str, float, str, tuple[float, float]]


def advise(task: Task, language: str) -> advice.Advice:
    text, p, category, kinds = task
    return advice.advise(text, p, category, language, kinds=kinds)


def areas(tasks: list[Task], language: str, *, leads: bool = False) -> dict[str, dict]:
    """The three upskilling areas of one role made of ``tasks`` (equal weights), by area;
    ``leads``: the role's title names a leader."""
    n = len(tasks)
    role = RoleTasks(
        texts=[t[0] for t in tasks],
        categories=[t[2] for t in tasks],
        rule_based=np.array([t[1] for t in tasks]),
        weights=np.full(n, 1 / n),
        bounds=np.array([0, n]),
    )
    given = [advise(t, language) for t in tasks]
    risk = 100 * float(np.dot(role.weights, role.rule_based))
    out = recommend_many(role, [risk], [language], given, leads=[leads])[0]
    return {u["area"]: u for u in out}


def texts(area: dict) -> str:
    """An area's "why" and actions as one text, to search for words."""
    return " ".join([area["why"], *area["actions"]])
