"""The report's figures as PNG bytes, reproducible from run to run.

Matplotlib is a training extra; :class:`~matplotlib.figure.Figure` objects never need pyplot or
a display.
"""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.metrics import brier_score_loss, confusion_matrix, f1_score

from risk_service.scoring import BAND_HIGH_MIN, BAND_LOW_MAX
from risk_service.taskmodel import CATEGORIES
from training.report.metrics import (
    CALIBRATION_BINS,
    ISCO_MAJOR,
    LANG_NAMES,
    LANGS,
    calibration_bins,
)

matplotlib.use("Agg")  # no display on build machines

CATEGORY_SHORT = {
    "routine_cognitive": "rout. cogn.",
    "routine_manual": "rout. man.",
    "nonroutine_analytic": "nonr. analyt.",
    "nonroutine_interpersonal": "nonr. interp.",
    "nonroutine_manual": "nonr. man.",
    "ai_process_interface": "AI interface",
}
# File name → caption (the report's alt text).
PLOTS = {
    "confusion.png": "Category confusion matrix (rows: annotated, normalised per row)",
    "calibration.png": "Calibration of the rule-based probability (reliability diagram)",
    "role_scores_by_isco.png": "Held-out occupation scores by ISCO-08 major group",
    "de_vs_en.png": "German vs English occupation scores",
}
DPI = 100  # enough to read every label; higher only costs training time


def png(fig: Figure) -> bytes:
    """A figure as PNG bytes without the varying ``Software`` metadata.

    Parameters
    ----------
    fig : Figure
        The figure to encode.

    Returns
    -------
    bytes
    """
    buffer = io.BytesIO()
    # Fixed metadata keeps the bytes reproducible from run to run.
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def plot_confusion(predictions: pd.DataFrame) -> bytes:
    """Row-normalised category confusion matrix, one panel per language, as PNG bytes."""
    langs = [lang for lang in LANGS if lang in set(predictions["lang"])]
    fig = Figure(figsize=(5.2 * len(langs) + 0.8, 5.0), layout="constrained")
    axes = fig.subplots(1, len(langs), squeeze=False)[0]
    labels = list(CATEGORIES)
    ticks = [CATEGORY_SHORT[c] for c in labels]
    for ax, lang in zip(axes, langs, strict=True):
        part = predictions[predictions["lang"] == lang]
        matrix = confusion_matrix(
            part["category"], part["pred_category"], labels=labels, normalize="true"
        )
        matrix = np.nan_to_num(matrix)  # a category absent from this language's labels
        image = ax.imshow(matrix, vmin=0, vmax=1, cmap="Blues")
        for (i, j), value in np.ndenumerate(matrix):
            if value >= 0.005:
                colour = "white" if value > 0.6 else "black"
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8, color=colour)
        macro = f1_score(part["category"], part["pred_category"], average="macro")
        ax.set_title(f"{LANG_NAMES[lang]} (n={len(part)}, macro F1 {macro:.2f})", fontsize=10)
        ax.set_xticks(range(len(labels)), ticks, rotation=40, ha="right", fontsize=8)
        ax.set_yticks(range(len(labels)), ticks, fontsize=8)
        ax.set_xlabel("predicted")
        ax.set_ylabel("annotated")
    fig.colorbar(image, ax=list(axes), shrink=0.8, label="share of annotated row")
    fig.suptitle("Task category, held-out occupations (grouped CV)", fontsize=11)
    return png(fig)


def plot_calibration(predictions: pd.DataFrame) -> bytes:
    """Reliability diagram of ``p_rule`` per language with Brier scores, as PNG bytes."""
    fig = Figure(figsize=(6.0, 6.4), layout="constrained")
    top, bottom = fig.subplots(2, 1, height_ratios=[3, 1], sharex=True)
    top.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label="perfect")
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    for lang, marker in zip(LANGS, ("o", "s"), strict=True):
        part = predictions[predictions["lang"] == lang]
        if part.empty:
            continue
        observed, predicted, _ = calibration_bins(part)
        brier = brier_score_loss(part["rule_based"], part["p_rule"])
        top.plot(
            predicted, observed, marker=marker, label=f"{LANG_NAMES[lang]} (Brier {brier:.3f})"
        )
        bottom.hist(part["p_rule"], bins=edges, histtype="step", linewidth=1.5, label=lang)
    top.set_ylabel("observed share rule-based (degree ≥ 3)")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.legend(loc="upper left", fontsize=9)
    top.set_title("Calibration of P(rule-based), held-out occupations", fontsize=11)
    bottom.set_xlabel("predicted probability rule-based")
    bottom.set_ylabel("tasks")
    return png(fig)


def plot_role_scores(roles: pd.DataFrame) -> bytes:
    """Box and strip plot of occupation scores per ISCO-08 major group, as PNG bytes."""
    majors = sorted(roles["isco_major"].astype(str).unique())
    groups = [roles.loc[roles["isco_major"] == m, "score"].to_numpy() for m in majors]
    fig = Figure(figsize=(9.0, 5.2), layout="constrained")
    ax = fig.subplots()
    ax.axhspan(0, BAND_LOW_MAX, color="#2e7d32", alpha=0.07)
    ax.axhspan(BAND_HIGH_MIN, 100, color="#c62828", alpha=0.07)
    ax.boxplot(groups, positions=range(len(majors)), widths=0.55, showfliers=False)
    jitter = np.random.default_rng(0)  # fixed: identical inputs give identical pictures
    for x, values in enumerate(groups):
        offsets = jitter.uniform(-0.18, 0.18, len(values))
        ax.scatter(x + offsets, values, s=12, alpha=0.6, color="#1565c0", zorder=3)
    labels = [
        f"{m} {ISCO_MAJOR.get(m, '')}\n(n={len(g)})" for m, g in zip(majors, groups, strict=True)
    ]
    ax.set_xticks(range(len(majors)), labels, rotation=35, ha="right", fontsize=8)
    ax.set_ylim(0, 100)
    ax.set_ylabel("occupation score (mean held-out P(rule-based) × 100)")
    ax.set_title(
        "Held-out occupation scores by ISCO-08 major group "
        f"(shaded: low ≤ {BAND_LOW_MAX:.0f}, high > {BAND_HIGH_MIN:.0f})",
        fontsize=10,
    )
    return png(fig)


def plot_language_comparison(roles: pd.DataFrame, n_labels: int = 4) -> bytes:
    """Scatter of German vs English occupation scores with the diagonal, as PNG bytes."""
    fig = Figure(figsize=(6.0, 6.0), layout="constrained")
    ax = fig.subplots()
    ax.plot([0, 100], [0, 100], color="grey", linestyle="--", linewidth=1)
    both = roles.dropna(subset=[c for c in LANGS if c in roles.columns])
    if set(LANGS) <= set(roles.columns) and not both.empty:
        diff = (both["de"] - both["en"]).abs()
        ax.scatter(both["en"], both["de"], s=14, alpha=0.65, color="#6a1b9a")
        for _, row in both.loc[diff.nlargest(n_labels).index].iterrows():
            ax.annotate(
                row["occupation_id"], (row["en"], row["de"]), fontsize=7,
                xytext=(4, -8), textcoords="offset points",
            )  # fmt: skip
        title = f"mean |DE − EN| = {diff.mean():.1f} points over {len(both)} occupations"
    else:
        title = "needs occupations with tasks in both languages"
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    ax.set_aspect("equal")
    ax.set_xlabel("English tasks: occupation score")
    ax.set_ylabel("German tasks: occupation score")
    ax.set_title(f"German vs English, held-out\n{title}", fontsize=10)
    return png(fig)


def all_plots(predictions: pd.DataFrame, roles: pd.DataFrame) -> dict[str, bytes]:
    """Every report figure by its file name (the keys of :data:`PLOTS`).

    Parameters
    ----------
    predictions : DataFrame
        Out-of-fold predictions.
    roles : DataFrame
        Their :func:`~training.report.metrics.occupation_scores`.

    Returns
    -------
    dict of str to bytes
    """
    return {
        "confusion.png": plot_confusion(predictions),
        "calibration.png": plot_calibration(predictions),
        "role_scores_by_isco.png": plot_role_scores(roles),
        "de_vs_en.png": plot_language_comparison(roles),
    }
