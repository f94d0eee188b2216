"""The numbers of the evaluation report: occupation scores, per-category F1, calibration bins.

Everything is computed from out-of-fold predictions (folds grouped by occupation); the
documents (:mod:`training.report.documents`) and plots (:mod:`training.report.plots`) only
present these numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.calibration import calibration_curve
from sklearn.metrics import f1_score

from risk_service.taskmodel import CATEGORIES
from training.corpus import Corpus

LANGS = ("de", "en")
LANG_NAMES = {"de": "German", "en": "English"}
ISCO_MAJOR = {
    "0": "Armed forces",
    "1": "Managers",
    "2": "Professionals",
    "3": "Technicians & associate prof.",
    "4": "Clerical support",
    "5": "Service & sales",
    "6": "Skilled agricultural",
    "7": "Craft & related trades",
    "8": "Plant & machine operators",
    "9": "Elementary occupations",
}
CALIBRATION_BINS = 10


def occupation_scores(predictions: pd.DataFrame) -> pd.DataFrame:
    """Occupation-level scores (mean held-out ``p_rule`` × 100) per language and overall.

    Parameters
    ----------
    predictions : DataFrame
        Out-of-fold predictions with ``occupation_id``, ``isco08``, ``isco_major``, ``lang`` and
        ``p_rule``.

    Returns
    -------
    DataFrame
        One row per occupation: ``occupation_id``, ``isco08``, ``isco_major``, a column per
        language present and ``score`` (mean over all its tasks).
    """
    keys = ["occupation_id", "isco08", "isco_major"]
    by_lang = predictions.pivot_table(index=keys, columns="lang", values="p_rule", aggfunc="mean")
    by_lang.columns = [str(c) for c in by_lang.columns]
    overall = predictions.groupby(keys)["p_rule"].mean().rename("score")
    return by_lang.join(overall).mul(100).round(2).reset_index()


def detailed_metrics(predictions: pd.DataFrame) -> dict:
    """Per-category F1, calibration bins and ISCO major-group summaries per language.

    Parameters
    ----------
    predictions : DataFrame
        Out-of-fold predictions as produced by :func:`training.train.cross_validate`.

    Returns
    -------
    dict
        JSON-ready breakdowns that complement the manifest metrics.
    """
    out: dict = {"per_category_f1": {}, "calibration": {}, "isco_major": {}}
    for lang, part in predictions.groupby("lang"):
        labels = [c for c in CATEGORIES if c in set(part["category"])]
        f1 = f1_score(part["category"], part["pred_category"], labels=labels, average=None)
        out["per_category_f1"][lang] = {
            c: round(float(v), 4) for c, v in zip(labels, f1, strict=True)
        }
        observed, predicted, counts = calibration_bins(part)
        out["calibration"][lang] = {
            "mean_predicted": [round(float(v), 4) for v in predicted],
            "observed_rate": [round(float(v), 4) for v in observed],
            "n": [int(v) for v in counts],
        }
    roles = occupation_scores(predictions)
    for major, part in roles.groupby("isco_major"):
        out["isco_major"][str(major)] = {
            "name": ISCO_MAJOR.get(str(major), str(major)),
            "n_occupations": int(len(part)),
            "mean_score": round(float(part["score"].mean()), 1),
            "median_score": round(float(part["score"].median()), 1),
            "min_score": round(float(part["score"].min()), 1),
            "max_score": round(float(part["score"].max()), 1),
        }
    return out


def calibration_bins(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observed rate, mean prediction and count per non-empty uniform bin of ``p_rule``.

    Parameters
    ----------
    part : DataFrame
        Predictions with ``rule_based`` (0/1) and ``p_rule``.

    Returns
    -------
    tuple of ndarray
        ``(observed, predicted, counts)``, one entry per bin holding any prediction.
    """
    observed, predicted = calibration_curve(
        part["rule_based"], part["p_rule"], n_bins=CALIBRATION_BINS, strategy="uniform"
    )
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    bins = np.searchsorted(edges[1:-1], part["p_rule"].to_numpy(), side="right")
    counts = np.bincount(bins, minlength=CALIBRATION_BINS)
    return observed, predicted, counts[counts > 0]


def largest_language_gaps(predictions: pd.DataFrame, n: int = 8) -> list[tuple] | None:
    """The ``n`` occupations whose German and English scores differ most.

    Parameters
    ----------
    predictions : DataFrame
        Out-of-fold predictions.
    n : int
        How many occupations.

    Returns
    -------
    list of tuple or None
        ``(occupation_id, isco08, de, en, gap)`` rows, largest gap first; None when only one
        language is present.
    """
    roles = occupation_scores(predictions)
    if not set(LANGS) <= set(roles.columns):
        return None
    roles = roles.dropna(subset=list(LANGS))
    roles["gap"] = (roles["de"] - roles["en"]).abs()
    top = roles.nlargest(n, "gap")
    return list(top[["occupation_id", "isco08", "de", "en", "gap"]].itertuples(index=False))


def confident_errors(predictions: pd.DataFrame, n: int = 5) -> list[list]:
    """Per language the ``n`` statements whose probability is furthest from their label.

    Parameters
    ----------
    predictions : DataFrame
        Out-of-fold predictions with ``text``, ``degree`` and ``task_id``.
    n : int
        Statements per language.

    Returns
    -------
    list of list
        ``[lang, occupation_id, text, degree, p_rule]`` rows, German first; ties broken by
        ``task_id`` so the list is reproducible.
    """
    error = (predictions["p_rule"] - predictions["rule_based"]).abs()
    worst = predictions.assign(error=error).sort_values(
        ["error", "task_id"], ascending=[False, True]
    )
    rows = []
    for lang in LANGS:
        for row in worst[worst["lang"] == lang].head(n).itertuples(index=False):
            rows.append([lang, row.occupation_id, row.text, row.degree, round(row.p_rule, 3)])
    return rows


def corpus_summary(corpus: Corpus) -> dict:
    """Sizes and label balance of a training corpus, for the model card.

    Parameters
    ----------
    corpus : Corpus
        The training corpus.

    Returns
    -------
    dict
        ``occupations``, ``majors`` (sorted ISCO-08 major groups), ``statements``,
        ``by_language`` and ``degrees`` (sorted ``(key, count)`` pairs) and ``positive_share``
        (share of statements with degree ≥ 3).
    """
    labelled = corpus.labelled
    return {
        "occupations": len(corpus.occupations),
        "majors": sorted(labelled["isco_major"].unique()),
        "statements": len(labelled),
        "by_language": sorted(labelled["lang"].value_counts().to_dict().items()),
        "degrees": list(labelled["degree"].value_counts().sort_index().items()),
        "positive_share": float(labelled["rule_based"].mean()),
    }
