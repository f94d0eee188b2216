"""Evaluation report, plots and model card for a registered model version.

Everything is computed from the out-of-fold predictions of :func:`training.train.cross_validate`
(folds grouped by occupation), so every figure describes occupations the model had not seen.
The files go into the version's registry folder through :meth:`Registry.write_files`:

* ``metrics.json`` — the manifest metrics plus per-category F1, calibration bins and
  occupation-level scores by ISCO-08 major group, for analysts' own tools;
* ``report.md`` with ``confusion.png``, ``calibration.png``, ``role_scores_by_isco.png`` and
  ``de_vs_en.png``;
* ``model_card.md`` — intended and out-of-scope use, data, metrics, known limits.

The numbers are in :mod:`~training.report.metrics`, the figures in :mod:`~training.report.plots`
and the documents' prose in the Jinja2 templates of ``templates/``
(:mod:`~training.report.documents`). Matplotlib is a training extra: this package is imported
only by training code, never by serving.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from risk_service.registry import Registry
from risk_service.taskmodel import TaskModel
from training.corpus import Corpus
from training.report.documents import render_model_card, render_report
from training.report.metrics import detailed_metrics, occupation_scores
from training.report.plots import PLOTS, all_plots
from training.report.plots import png as _png  # the name training/evaluate.py imports

__all__ = [
    "PLOTS",
    "_png",
    "build_report",
    "detailed_metrics",
    "occupation_scores",
    "render_model_card",
    "render_report",
    "write_report",
]


def build_report(
    manifest: dict,
    corpus: Corpus,
    predictions: pd.DataFrame | None = None,
    model: TaskModel | None = None,
) -> dict[str, bytes]:
    """All report files for one version, by file name.

    Parameters
    ----------
    manifest : dict
        The version's manifest.
    corpus : Corpus
        The training corpus.
    predictions : DataFrame, optional
        Out-of-fold predictions; without them only ``metrics.json`` and ``model_card.md`` are
        produced (a version registered without evaluation).
    model : TaskModel, optional
        The fitted model, named in the model card.

    Returns
    -------
    dict of str to bytes
    """
    summary: dict = {
        "version": manifest["version"],
        "data_hash": manifest["data_hash"],
        "metrics": manifest.get("metrics", {}),
    }
    files: dict[str, bytes] = {}
    if predictions is not None and not predictions.empty:
        details = detailed_metrics(predictions)
        summary.update(details)
        files["report.md"] = render_report(manifest, details, predictions).encode()
        files.update(all_plots(predictions, occupation_scores(predictions)))
    files["metrics.json"] = json.dumps(summary, indent=2, ensure_ascii=False).encode()
    files["model_card.md"] = render_model_card(manifest, corpus, model).encode()
    return files


def write_report(
    registry: Registry,
    version: str,
    corpus: Corpus,
    predictions: pd.DataFrame | None = None,
    model: TaskModel | None = None,
) -> list[Path]:
    """Build the report files and store them in ``version``'s registry folder.

    Parameters
    ----------
    registry : Registry
        The registry holding ``version``.
    version : str
        A registered version.
    corpus, predictions, model
        As for :func:`build_report`.

    Returns
    -------
    list of Path
        The written files.
    """
    files = build_report(registry.manifest(version), corpus, predictions, model)
    return registry.write_files(version, files)
