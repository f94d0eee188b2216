"""Evaluation report, plots and model card for a registered model version.

Everything is computed from the out-of-fold predictions of :func:`training.train.cross_validate`
(folds grouped by occupation), so every figure describes occupations the model had not seen.
The files go into the version's registry folder through :meth:`Registry.write_files`:

* ``metrics.json`` — the manifest metrics plus per-category F1, calibration bins and
  occupation-level scores by ISCO-08 major group, for analysts' own tools;
* ``report.md`` with ``confusion.png``, ``calibration.png``, ``role_scores_by_isco.png`` and
  ``de_vs_en.png``;
* ``model_card.md`` — intended and out-of-scope use, data, metrics, known limits.

Matplotlib is a training extra: this module is imported only by training code, never by serving.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, confusion_matrix, f1_score

from risk_service import config
from risk_service.registry import Registry
from risk_service.taskmodel import CATEGORIES, TaskModel
from training.corpus import Corpus

matplotlib.use("Agg")  # no display on build machines; Figure objects below never need pyplot

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
CATEGORY_SHORT = {
    "routine_cognitive": "rout. cogn.",
    "routine_manual": "rout. man.",
    "nonroutine_analytic": "nonr. analyt.",
    "nonroutine_interpersonal": "nonr. interp.",
    "nonroutine_manual": "nonr. man.",
    "ai_process_interface": "AI interface",
}
PLOTS = {
    "confusion.png": "Category confusion matrix (rows: annotated, normalised per row)",
    "calibration.png": "Calibration of the rule-based probability (reliability diagram)",
    "role_scores_by_isco.png": "Held-out occupation scores by ISCO-08 major group",
    "de_vs_en.png": "German vs English occupation scores",
}
CALIBRATION_BINS = 10
DPI = 100  # enough to read every label; higher only costs training time


# -- numbers ---------------------------------------------------------------------------------
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
        observed, predicted, counts = _calibration_bins(part)
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


def _calibration_bins(part: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Observed rate, mean prediction and count per non-empty uniform bin of ``p_rule``."""
    observed, predicted = calibration_curve(
        part["rule_based"], part["p_rule"], n_bins=CALIBRATION_BINS, strategy="uniform"
    )
    edges = np.linspace(0.0, 1.0, CALIBRATION_BINS + 1)
    bins = np.searchsorted(edges[1:-1], part["p_rule"].to_numpy(), side="right")
    counts = np.bincount(bins, minlength=CALIBRATION_BINS)
    return observed, predicted, counts[counts > 0]


# -- plots -----------------------------------------------------------------------------------
def _png(fig: Figure) -> bytes:
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
    return _png(fig)


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
        observed, predicted, _ = _calibration_bins(part)
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
    return _png(fig)


def plot_role_scores(roles: pd.DataFrame) -> bytes:
    """Box and strip plot of occupation scores per ISCO-08 major group, as PNG bytes."""
    majors = sorted(roles["isco_major"].astype(str).unique())
    groups = [roles.loc[roles["isco_major"] == m, "score"].to_numpy() for m in majors]
    fig = Figure(figsize=(9.0, 5.2), layout="constrained")
    ax = fig.subplots()
    ax.axhspan(0, config.BAND_LOW_MAX, color="#2e7d32", alpha=0.07)
    ax.axhspan(config.BAND_HIGH_MIN, 100, color="#c62828", alpha=0.07)
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
        f"(shaded: low ≤ {config.BAND_LOW_MAX:.0f}, high > {config.BAND_HIGH_MIN:.0f})",
        fontsize=10,
    )
    return _png(fig)


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
    return _png(fig)


# -- documents -------------------------------------------------------------------------------
def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if abs(value) < 1 else f"{value:.1f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


LANGUAGE_METRICS = (
    ("n", "tasks"),
    ("rule_auc", "ROC AUC, rule-based (degree ≥ 3)"),
    ("brier", "Brier score (lower is better)"),
    ("degree_spearman", "Spearman ρ, P(rule-based) vs degree 0–4"),
    ("category_macro_f1", "category macro F1"),
)


def _language_table(metrics: dict) -> str:
    langs = [lang for lang in LANGS if lang in metrics]
    rows = [[label, *(metrics[lang].get(key) for lang in langs)] for key, label in LANGUAGE_METRICS]
    return _table(["metric", *(LANG_NAMES[lang] for lang in langs)], rows)


def _cross_language_lines(metrics: dict) -> list[str]:
    lines = []
    if "pair_mean_abs_diff" in metrics:
        lines += [
            f"- Paired statements (same task in both languages): mean |P_de − P_en| = "
            f"{metrics['pair_mean_abs_diff']}, same predicted category in "
            f"{100 * metrics['pair_category_agreement']:.1f} % of pairs.",
            f"- Occupation scores differ between languages by "
            f"{metrics['role_de_en_mean_abs_diff_points']} points on average (0–100 scale).",
        ]
    order = metrics.get("role_order") or {}
    if order.get("pairs"):
        lines.append(
            f"- Role order check: {100 * order['concordance']:.1f} % of {order['pairs']} "
            f"(exposed, protected) occupation pairs ordered correctly; mean score exposed "
            f"{order['exposed_mean']} vs protected {order['protected_mean']}."
        )
    return lines


def _dev_section(metrics: dict) -> list[str]:
    """The development set: text in the style of real task lists that no model trained on."""
    dev = metrics.get("dev")
    if not dev:
        return []
    lengths = dev.get("length_table", {})
    buckets = ["≤ 5", "6–10", "11–20", "> 20"]
    gaps, seg = dev.get("de_en", {}), dev.get("segmentation", {})
    lines = [
        "## Development set (never trained on)",
        "",
        f"{dev['n']} statements of {dev['occupations']} O*NET occupations held out of training "
        "(English O*NET 29.3 text, our German counterparts, our labels). Every model choice is "
        "made on these figures; the cross-validation below is on the training corpus.",
        "",
        _language_table(dev),
        "",
        "Mean P(rule-based) by labelled degree and statement length (words); a model that judges "
        "the work and not the wording keeps each row flat (`spread` = max − min over buckets with "
        "≥ 10 statements):",
        "",
        _table(
            ["degree", *buckets, "spread", "n"],
            [
                [degree, *(row.get(b) for b in buckets), row.get("spread"), row.get("n")]
                for degree, row in sorted(lengths.items())
            ],
        ),
        "",
    ]
    if gaps.get("pairs"):
        lines.append(
            f"German vs English on {gaps['pairs']} translation pairs: mean |P_de − P_en| "
            f"{gaps['mean_abs_diff']}, same predicted category {gaps['same_category']}; over "
            f"{gaps['roles']} occupations the role scores differ by {gaps['role_mean_gap_points']} "
            f"points on average (Spearman {gaps['role_spearman']})."
        )
    if seg.get("scored_all_shapes"):
        lines.append(
            f"The same five duties as a bulleted list, one enumerating sentence and a paragraph "
            f"({seg['scored_all_shapes']} roles): role scores differ by "
            f"{seg['median_gap_points']} points (median), {seg['max_gap_points']} at most."
        )
    return [*lines, ""]


def render_report(manifest: dict, details: dict, predictions: pd.DataFrame) -> str:
    """The Markdown evaluation report for analysts.

    Parameters
    ----------
    manifest : dict
        The version's manifest (version, created, data hash, metrics, corpus counts).
    details : dict
        Output of :func:`detailed_metrics`.
    predictions : DataFrame
        Out-of-fold predictions.

    Returns
    -------
    str
        Markdown referring to the PNG files by relative path.
    """
    metrics = manifest["metrics"]
    langs = [lang for lang in LANGS if lang in details["per_category_f1"]]
    parts = [
        f"# Evaluation report — model {manifest['version']}",
        "",
        f"Trained {manifest['created']} on data `{manifest['data_hash'][:16]}…` "
        f"({metrics['n_tasks']} task statements, {metrics['n_occupations']} occupations). "
        "All numbers are **out-of-fold**: folds are grouped by occupation, so each occupation "
        "is scored by a model that never saw any of its tasks (in either language).",
        "",
        *_dev_section(metrics),
        "## Metrics by language (cross-validation on the training corpus)",
        "",
        _language_table(metrics),
        "",
        *_cross_language_lines(metrics),
        "",
        "## Category F1 by language",
        "",
        _table(
            ["category", *(LANG_NAMES[lang] for lang in langs)],
            [[c, *(details["per_category_f1"][lang].get(c) for lang in langs)] for c in CATEGORIES],
        ),
        "",
        f"![{PLOTS['confusion.png']}](confusion.png)",
        "",
        "## Calibration",
        "",
        "Points on the diagonal mean a predicted 0.8 is rule-based 80 % of the time; the lower "
        "panel shows how many tasks fall in each probability bin.",
        "",
        f"![{PLOTS['calibration.png']}](calibration.png)",
        "",
        "## Occupation scores by ISCO-08 major group",
        "",
        "Occupation score = mean held-out P(rule-based) of its tasks × 100 (equal weights).",
        "",
        _table(
            ["major group", "occupations", "mean", "median", "min", "max"],
            [
                [
                    f"{major} {row['name']}",
                    row["n_occupations"],
                    row["mean_score"],
                    row["median_score"],
                    row["min_score"],
                    row["max_score"],
                ]
                for major, row in sorted(details["isco_major"].items())
            ],
        ),
        "",
        f"![{PLOTS['role_scores_by_isco.png']}](role_scores_by_isco.png)",
        "",
        "## German vs English",
        "",
        f"![{PLOTS['de_vs_en.png']}](de_vs_en.png)",
        "",
        _largest_language_gaps(predictions),
        "",
        "## Most confident errors (to review the labels or the model)",
        "",
        _confident_errors(predictions),
        "",
    ]
    return "\n".join(parts)


def _largest_language_gaps(predictions: pd.DataFrame, n: int = 8) -> str:
    roles = occupation_scores(predictions)
    if not set(LANGS) <= set(roles.columns):
        return "_Only one language present._"
    roles = roles.dropna(subset=list(LANGS))
    roles["gap"] = (roles["de"] - roles["en"]).abs()
    top = roles.nlargest(n, "gap")
    return "Largest language gaps:\n\n" + _table(
        ["occupation", "ISCO-08", "DE", "EN", "abs. gap"],
        top[["occupation_id", "isco08", "de", "en", "gap"]].itertuples(index=False),
    )


def _confident_errors(predictions: pd.DataFrame, n: int = 5) -> str:
    error = (predictions["p_rule"] - predictions["rule_based"]).abs()
    worst = predictions.assign(error=error).sort_values(
        ["error", "task_id"], ascending=[False, True]
    )
    rows = []
    for lang in LANGS:
        for row in worst[worst["lang"] == lang].head(n).itertuples(index=False):
            rows.append([lang, row.occupation_id, row.text, row.degree, round(row.p_rule, 3)])
    return _table(["lang", "occupation", "task", "degree", "P(rule-based)"], rows)


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
    labelled = corpus.labelled
    by_lang = labelled["lang"].value_counts().to_dict()
    degree = labelled["degree"].value_counts().sort_index()
    majors = sorted(labelled["isco_major"].unique())
    steps = "TF-IDF of stemmed words (1–2-grams) and character 2–5-grams + cue lexicon"
    if model is not None:
        space = model.features
        steps += (
            f" ({len(space.words.idf):,} + {len(space.chars.idf):,} + "
            f"{len(space.lexicon.names)} features)"
        )
    steps += " → logistic regression; categories one-vs-rest"
    evaluated = all(lang in metrics for lang in LANGS if lang in by_lang)
    parts = [
        f"# Model card — risk-service task model {manifest['version']}",
        "",
        "## Model",
        "",
        f"- Version `{manifest['version']}`, trained {manifest['created']}, seed "
        f"{manifest.get('seed', '–')}; artifact sha256 `{manifest['sha256']}`.",
        f"- Two heads on one featurisation of the task text: P(task is rule-based, rubric degree "
        f"≥ 3) and one of six task categories. Rule head: {steps}.",
        "- A role's risk score is 100 × the (time-share weighted) mean rule-based probability of "
        "its duties; bands follow the IAB cut-offs (low ≤ 30, medium, high > 70).",
        f"- Libraries: {', '.join(f'{k} {v}' for k, v in manifest.get('libraries', {}).items())}.",
        "",
        "## What this score means",
        "",
        "- It measures **how standardised the described work is**: the share of the role's "
        "duties that could be written down as rules or a checklist (structured inputs, repeated "
        "steps, checkable outputs) — the article's criterion: the more rule-based a task, the "
        "easier it is to automate.",
        "- It is **not** an index of exposure to generative AI, and **not** a forecast of job "
        "losses: whether and when work is automated depends on cost, law, works councils, "
        "organisation and demand, none of which the score sees.",
        "",
        "## Intended use",
        "",
        "- Helping people and organisations see **which tasks** of a role are rule-based and "
        "therefore exposed to automation, and which of the three upskilling areas (complex "
        "problem solving, emotional intelligence, AI–process interface) to prioritise.",
        "- Workforce planning and training budgets in aggregate (`/v1/workforce`), as one input "
        "among others, reviewed by people who know the roles.",
        "- German and English job titles, task lists and job ads.",
        "",
        "## Out-of-scope use",
        "",
        "- **Not a basis for individual dismissal, hiring, promotion or pay decisions.** The "
        "score describes a task description, not a person or their performance.",
        "- **Not an occupation-level forecast** of job losses, employment or wages; it says how "
        "rule-based the described work is, not whether or when it will be automated (cost, law, "
        "organisation and demand decide that).",
        "- Not for languages other than German and English, nor for texts that are not job or "
        "task descriptions.",
        "",
        "## Training data",
        "",
        f"- Vintage: the corpus files as loaded for training on {manifest['created'][:10]} "
        "(the project's `training/data/` plus any `--data` directories); data hash "
        f"`{manifest['data_hash']}` identifies the exact files.",
        f"- Size: {len(corpus.occupations)} occupations in {len(majors)} ISCO-08 major groups "
        f"({', '.join(majors)}), {len(labelled)} task statements "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(by_lang.items()))}); English and German "
        "statements are paired translations of the same task.",
        f"- Labels: rule-based degree 0–4 from the team's rubric (`docs/annotation-rubric.md`), "
        f"binary target degree ≥ 3 ({100 * labelled['rule_based'].mean():.1f} % positive); "
        f"degree counts {', '.join(f'{k}: {v}' for k, v in degree.items())}.",
        "- Sources: statements written by the team (`source = own`) and O*NET task statements "
        "(`source = onet-29.3:<Task ID>`) labelled by the team, with German counterparts written "
        "by the team. Attribution: This product includes information from the O*NET 29.3 "
        "Database by the U.S. Department of Labor, Employment and Training Administration "
        "(USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a trademark of USDOL/ETA. "
        "Labels and German translations are ours, not USDOL/ETA's.",
        "- Job titles: the title index is ESCO v1.2 (3,039 occupations, German and English "
        "preferred, alternative and hidden labels) plus our corpus's titles and synonyms. "
        "Attribution: ESCO classification © European Union, https://esco.ec.europa.eu. Reuse is "
        "authorised provided the source is acknowledged (Commission Decision 2011/833/EU).",
        "- Published occupation-level automation estimates and O*NET's rating files were not "
        "used as labels, features or tuning targets.",
        "",
        *_dev_section(metrics),
        "## Metrics by language",
        "",
    ]
    if evaluated and metrics:
        parts += [
            "Out-of-fold, folds grouped by occupation (an occupation's tasks in both languages "
            "are held out together). Details and plots: `report.md`.",
            "",
            _language_table(metrics),
            "",
            *_cross_language_lines(metrics),
        ]
    else:
        parts.append("_This version was registered without cross-validation; no metrics._")
    parts += [
        "",
        "## Known limits",
        "",
        "- The corpus was written or labelled by the project team, not sampled from real job "
        "ads: its wording, coverage and balance reflect the authors and O*NET's style; the "
        "development set is O*NET-style text of held-out occupations, not real job ads.",
        "- Labels come from one rubric applied by the team; degrees 2–3 are judgement calls and "
        "label noise there bounds the achievable accuracy.",
        "- A linear text model: it scores the words of a task statement, not the context of a "
        "particular workplace, and can be fooled by wording (e.g. routine verbs in a "
        "non-routine task).",
        "- A title alone resolves to an ESCO occupation and is scored with the tasks of a corpus "
        "occupation of its ISCO-08 unit group, or of the closest group where the corpus has none "
        "(`matched_occupation.basis`); ESCO's and a reader's unit group for a job-board title "
        "differ often enough that about one title in five lands in another unit group "
        "(`python -m training.titles_eval`).",
        "- Calibration and accuracy were measured on held-out occupations (see "
        "`calibration.png` and the development set), not on real job ads, and scores were not "
        "validated against observed automation. Short statements (≤ 5 words) get less "
        "confident probabilities than long ones of the same degree (the length table).",
        "- German and English scores of the same occupation can differ (see `de_vs_en.png`).",
        "",
    ]
    return "\n".join(parts)


# -- entry point -----------------------------------------------------------------------------
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
        roles = occupation_scores(predictions)
        files["report.md"] = render_report(manifest, details, predictions).encode()
        files["confusion.png"] = plot_confusion(predictions)
        files["calibration.png"] = plot_calibration(predictions)
        files["role_scores_by_isco.png"] = plot_role_scores(roles)
        files["de_vs_en.png"] = plot_language_comparison(roles)
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
