"""A data frame of roles → one row of scores per role (:func:`score_frame`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from risk_service.scoring import RoleError, score_rows
from risk_service.taskmodel import TaskModel


def score_frame(df: pd.DataFrame, model: TaskModel) -> pd.DataFrame:
    """Score a frame of roles (columns ``id``, ``title``, ``description``, optional ``tasks``
    with ``|``-separated tasks and ``language``), keeping row order.

    Parameters
    ----------
    df : pandas.DataFrame
        One role per row.
    model : TaskModel

    Returns
    -------
    pandas.DataFrame
        ``id`` (when given) and ``risk_score``, ``risk_band``, ``interval_low``,
        ``interval_high``, ``language``, ``matched_occupation``, ``isco08``, ``top_area``,
        ``n_tasks`` and ``error`` (empty when the row was scored), on ``df``'s index.
    """
    results = score_rows(df.to_dict("records"), model, evidence=False)
    out = pd.DataFrame.from_records([_columns(r) for r in results], index=df.index)
    keep = df[["id"]] if "id" in df.columns else pd.DataFrame(index=df.index)
    return pd.concat([keep, out], axis=1)


def _columns(result: dict | RoleError) -> dict:
    if isinstance(result, RoleError):
        return {
            "risk_score": np.nan,
            "risk_band": "",
            "interval_low": np.nan,
            "interval_high": np.nan,
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
        "top_area": result["upskilling"][0]["area"],
        "n_tasks": len(result["tasks"]),
        "error": "",
    }
