"""File rows → one row of output columns per role, without pandas.

The one place that turns assessments into a file's columns: CSV files are read and written
with the standard library (``risk-service score`` on a CSV never imports pandas), Parquet
files and Dask partitions wrap the same rows (:mod:`~risk_service.batch.frame`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet

from risk_service.scoring import RoleError, score_rows
from risk_service.taskmodel import TaskModel

# Output columns after ``id`` and their dtypes (pandas names; Dask's meta, Parquet's schema).
COLUMNS: dict[str, str] = {
    "risk_score": "float64",
    "risk_band": "str",
    "interval_low": "float64",
    "interval_high": "float64",
    "language": "str",
    "matched_occupation": "str",
    "isco08": "str",
    "top_area": "str",
    "n_tasks": "int64",
    "error": "str",
}
# The columns a row's role is read from; the others are passed through to the output.
ROLE_COLUMNS = ("title", "description", "tasks", "language")
# Keys of an assessment (and of a row that has none): a passed-through column of one of these
# names is renamed ``input_<name>`` in a JSON line.
_ASSESSMENT_KEYS = frozenset(
    "assessment_id risk_score risk_band interval language matched_occupation read_as tasks "
    "ignored advice_shares upskilling model_version error".split()
)
# Rows per call of the scorer: the feature matrix of a call grows with its tasks (a
# 5,000-row chunk of new text built 4.5 M entries), so a chunk is scored this many rows at a
# time and peak memory does not grow with --chunk-size. Large enough to amortise each call.
SCORE_BATCH = 1_000


def score_records(rows: Sequence[Mapping], model: TaskModel) -> list[dict]:
    """Score file rows (columns ``title``, ``description``, ``tasks`` with ``|``-separated
    tasks, ``language``) into :data:`COLUMNS`, one dict per row in row order.

    A row that cannot be scored keeps its place with ``error`` saying why (``<field>:
    <message>``), its numbers ``None`` and ``n_tasks`` 0. Rows are scored by
    :func:`risk_service.scoring.summarise_many`: what the columns do not show (task lists,
    upskilling texts, evidence) is not computed.
    """
    out: list[dict] = []
    for start in range(0, len(rows), SCORE_BATCH):
        results = score_rows(rows[start : start + SCORE_BATCH], model, summary=True)
        out += map(columns, results)
    return out


def columns(result: dict | RoleError) -> dict:
    """One row's :func:`~risk_service.scoring.summarise_many` entry (or its error) as the
    output columns."""
    if isinstance(result, RoleError):
        return {
            "risk_score": None,
            "risk_band": "",
            "interval_low": None,
            "interval_high": None,
            "language": "",
            "matched_occupation": "",
            "isco08": "",
            "top_area": "",
            "n_tasks": 0,
            "error": result.describe(),
        }
    match = result.get("matched_occupation") or {}
    return {
        "risk_score": result["risk_score"],
        "risk_band": result["risk_band"],
        "interval_low": result["interval"][0],
        "interval_high": result["interval"][1],
        "language": result["language"],
        "matched_occupation": match.get("title", ""),
        "isco08": match.get("isco08", ""),
        "top_area": result["top_area"],
        "n_tasks": result["n_tasks"],
        "error": "",
    }


def passed_columns(columns, taken: AbstractSet[str]) -> dict[str, str]:
    """The input's other columns (not ``id``, not a role column) → their output names:
    ``input_<name>`` where the output already has a column of that name."""
    return {
        c: f"input_{c}" if c in taken else c for c in columns if c != "id" and c not in ROLE_COLUMNS
    }


def passthrough_record(row: Mapping) -> dict:
    """A row's ``id`` and other columns, for the JSON object its assessment is added to."""
    names = passed_columns(row, _ASSESSMENT_KEYS)
    out = {"id": row["id"]} if "id" in row else {}
    out.update({names[c]: row[c] for c in names})
    return out
