"""A data frame of roles → one row of scores per role (:func:`score_frame`)."""

from __future__ import annotations

import pandas as pd

from risk_service.batch.records import COLUMNS, score_records
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
    rows = score_records(df.to_dict("records"), model)
    out = pd.DataFrame.from_records(rows, index=df.index, columns=list(COLUMNS))
    out = out.astype({c: t for c, t in COLUMNS.items() if t != "str"})
    keep = df[["id"]] if "id" in df.columns else pd.DataFrame(index=df.index)
    return pd.concat([keep, out], axis=1)
