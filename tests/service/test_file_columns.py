"""A file's columns come from :func:`risk_service.scoring.summarise_many`, which leaves out
what the columns do not show: they must be exactly what the full answers (``assess_many``)
give, on text no model has seen (the cold roles) and on roles that cannot be scored."""

from __future__ import annotations

import json
from pathlib import Path

from risk_service.batch.records import columns, score_records
from risk_service.registry import Registry
from risk_service.scoring import RoleError, score_rows

ROLES = Path(__file__).resolve().parents[1] / "fixtures" / "cold_roles.json"


def reference_columns(result: dict | RoleError) -> dict:
    """The columns as they were taken from a full answer (``assess_many``) before the
    summary path."""
    if isinstance(result, RoleError):
        return columns(result)
    match = result.get("matched_occupation") or {}
    return {
        "risk_score": result["risk_score"],
        "risk_band": result["risk_band"],
        "interval_low": result["interval"][0],
        "interval_high": result["interval"][1],
        "language": result["language"],
        "matched_occupation": match.get("title", ""),
        "isco08": match.get("isco08", ""),
        "top_area": result["upskilling"][0]["area"],
        "n_tasks": len(result["tasks"]),
        "error": "",
    }


def test_file_columns_equal_the_full_answers_on_cold_text(registry_dir):
    roles = json.loads(ROLES.read_text(encoding="utf-8"))["roles"]
    rows = [
        {
            "title": r.get("title"),
            "description": r.get("description"),
            "tasks": "|".join(t if isinstance(t, str) else t["text"] for t in r["tasks"])
            if r.get("tasks")
            else None,
            "language": r.get("language"),
        }
        for r in roles
    ]
    rows += [{"title": "Qwxzz Blorf"}, {"description": "x" * 30_000}, {}]  # errors keep place
    summary = score_records(rows, Registry(registry_dir).load())  # a fresh model: cold
    full = score_rows(rows, Registry(registry_dir).load(), evidence=False)  # the old path
    expected = [reference_columns(r) for r in full]
    assert summary == expected
    assert sum(bool(c["error"]) for c in summary) >= 3
    assert len({c["top_area"] for c in summary if not c["error"]}) >= 2  # not one constant
