"""The Markdown documents — ``report.md`` and ``model_card.md`` — from Jinja2 templates.

The prose lives in ``templates/``; this module only gathers the numbers they show
(:mod:`training.report.metrics`) and formats table cells.
"""

from __future__ import annotations

import math
from pathlib import Path

import jinja2
import pandas as pd

from risk_service.taskmodel import CATEGORIES, TaskModel
from training.corpus import Corpus
from training.report.metrics import (
    LANG_NAMES,
    LANGS,
    confident_errors,
    corpus_summary,
    largest_language_gaps,
)
from training.report.plots import PLOTS

TEMPLATES = Path(__file__).parent / "templates"


def cell(value: object) -> str:
    """A value as a Markdown table cell: short floats, ``–`` for missing, ``|`` escaped.

    Parameters
    ----------
    value : object
        A number, string or None.

    Returns
    -------
    str
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:.1f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        undefined=jinja2.StrictUndefined,  # a misspelt field fails the training, not the reader
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, not HTML
    )
    env.filters["cell"] = cell
    env.filters["thousands"] = "{:,}".format
    env.globals.update(LANGS=LANGS, LANG_NAMES=LANG_NAMES, CATEGORIES=CATEGORIES, PLOTS=PLOTS)
    return env


ENV = _environment()


def render_report(manifest: dict, details: dict, predictions: pd.DataFrame) -> str:
    """The Markdown evaluation report for analysts.

    Parameters
    ----------
    manifest : dict
        The version's manifest (version, created, data hash, metrics, corpus counts).
    details : dict
        Output of :func:`~training.report.metrics.detailed_metrics`.
    predictions : DataFrame
        Out-of-fold predictions.

    Returns
    -------
    str
        Markdown referring to the PNG files by relative path.
    """
    return ENV.get_template("report.md.j2").render(
        manifest=manifest,
        metrics=manifest["metrics"],
        details=details,
        langs=[lang for lang in LANGS if lang in details["per_category_f1"]],
        gaps=largest_language_gaps(predictions),
        errors=confident_errors(predictions),
    )


def render_model_card(manifest: dict, corpus: Corpus, model: TaskModel | None = None) -> str:
    """The model card: what the model is for, what not, its data, metrics and limits.

    Parameters
    ----------
    manifest : dict
        The version's manifest.
    corpus : Corpus
        The training corpus (sizes and label balance are reported).
    model : TaskModel, optional
        The fitted model; its feature counts are named in the card.

    Returns
    -------
    str
        Markdown.
    """
    metrics = manifest.get("metrics", {})
    data = corpus_summary(corpus)
    features = None
    if model is not None:
        space = model.features
        features = (len(space.words.idf), len(space.chars.idf), len(space.lexicon.names))
    languages = {lang for lang, _ in data["by_language"]}
    return ENV.get_template("model_card.md.j2").render(
        manifest=manifest,
        metrics=metrics,
        corpus=data,
        features=features,
        evaluated=bool(metrics) and all(lang in metrics for lang in LANGS if lang in languages),
    )
