"""Workforce roll-up: many roles with headcounts → one picture for the organisation.

Used by ``POST /v1/workforce`` and ``risk-service workforce``.
"""

from __future__ import annotations

from collections import defaultdict

TOP_TASKS = 10


def rollup(headcounts: list[int], results: list[dict | None]) -> dict:
    """Headcount-weighted score, share of headcount per band and the most exposed tasks.

    Parameters
    ----------
    headcounts : list of int
        People in each role.
    results : list of dict or None
        The role's assessment, or None where the role could not be scored (left out of the
        totals).

    Returns
    -------
    dict
        ``headcount``, ``risk_score`` (None without scored headcount), ``band_share`` and
        ``top_exposed_tasks`` (task text with its exposed full-time equivalents: headcount ×
        task weight × rule-based probability, summed over roles).
    """
    total = 0
    weighted = 0.0
    bands: dict[str, int] = {"low": 0, "medium": 0, "high": 0}
    exposure: dict[str, float] = defaultdict(float)
    for headcount, result in zip(headcounts, results, strict=True):
        if result is None:
            continue
        total += headcount
        weighted += headcount * result["risk_score"]
        bands[result["risk_band"]] += headcount
        for task in result["tasks"]:
            exposure[task["text"]] += headcount * task["weight"] * task["rule_based"]
    top = sorted(exposure.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TASKS]
    return {
        "headcount": total,
        "risk_score": round(weighted / total, 1) if total else None,
        "band_share": {k: round(v / total, 4) if total else 0.0 for k, v in bands.items()},
        "top_exposed_tasks": [
            {"text": text, "exposed_fte": round(value, 2)} for text, value in top if value > 0
        ],
    }
