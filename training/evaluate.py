"""Judge a model on text it never trained on: labelled statements and occupation references.

Everything here scores through the serving path (:func:`risk_service.scoring.assess_many` and
:meth:`TaskModel.predict`), so the figures are the served model's:

* :func:`statement_report` — AUC, Brier and Spearman with the labelled degree per language,
  category macro-F1, the **length table** (mean P(rule-based) per length bucket among statements
  of one degree), German vs English gaps on translation pairs and per occupation;
* :func:`segmentation_report` — the same duties sent as a bulleted list, as one "Aufgaben: A, B
  und C" sentence and as a prose paragraph must give the same role score;
* :func:`reference_report` — an analyst's own occupation-level table (``id``, ``title`` and/or
  ``description``, ``value``): Spearman, AUC at cut-offs, by language and ISCO major group, and
  the largest disagreements with their per-task detail.

``risk-service evaluate`` (``risk_service/cli.py``) prints these and writes plots.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import brier_score_loss, f1_score, roc_auc_score

from risk_service.schemas import Role
from risk_service.scoring import RoleError, assess_many
from risk_service.taskmodel import TaskModel
from training.corpus import Corpus

LENGTH_BUCKETS = ((0, 5, "≤ 5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, 10_000, "> 20"))
# One "and" per language for the enumerated sentence; the list and paragraph forms need none.
_AND = {"de": "und", "en": "and"}
_DUTIES_HEADING = {"de": "Ihre Aufgaben:", "en": "Your responsibilities:"}


def _auc(y: pd.Series, p: pd.Series) -> float | None:
    return float(roc_auc_score(y, p)) if y.nunique() == 2 else None


def _r(x: float | None, digits: int = 3) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), digits)


def predict_statements(model: TaskModel, corpus: Corpus) -> pd.DataFrame:
    """The labelled statements with the model's ``p_rule`` and ``pred_category``."""
    data = corpus.labelled.reset_index(drop=True)
    pred = model.predict(data["text"].tolist())
    data["p_rule"] = pred.rule_based
    data["pred_category"] = pred.category
    data["n_words"] = data["text"].str.split().str.len()
    return data


def length_bucket(n_words: pd.Series) -> pd.Series:
    labels = pd.Series("", index=n_words.index, dtype=object)
    for lo, hi, name in LENGTH_BUCKETS:
        labels[(n_words >= lo) & (n_words <= hi)] = name
    return labels


def length_table(pred: pd.DataFrame) -> pd.DataFrame:
    """Mean P(rule-based) by degree (rows) and length bucket (columns), with the spread.

    A model that judges the work, not the wording, gives statements of one degree the same mean
    whatever their length: ``spread`` (max − min over buckets with ≥ 10 statements) measures it.
    """
    frame = pred.assign(bucket=length_bucket(pred["n_words"]))
    means = frame.pivot_table(index="degree", columns="bucket", values="p_rule", aggfunc="mean")
    counts = frame.pivot_table(index="degree", columns="bucket", values="p_rule", aggfunc="size")
    order = [name for _, _, name in LENGTH_BUCKETS if name in means.columns]
    means, counts = means[order], counts[order].fillna(0)
    table = means.round(3)
    table["spread"] = means.where(counts >= 10).max(axis=1) - means.where(counts >= 10).min(axis=1)
    table["spread"] = table["spread"].round(3)
    table["n"] = counts.sum(axis=1).astype(int)
    return table


def language_gaps(pred: pd.DataFrame) -> dict:
    """German vs English on translation pairs and on whole occupations (points)."""
    pairs = pred.pivot_table(index="pair_id", columns="lang", values="p_rule", aggfunc="first")
    out: dict = {"pairs": 0}
    if not {"de", "en"} <= set(pairs.columns):
        return out
    both = pairs.dropna(subset=["de", "en"])
    cats = pred.pivot_table(
        index="pair_id", columns="lang", values="pred_category", aggfunc="first"
    ).loc[both.index]
    # Roles: the occupations' tasks that exist in both languages, so the sets are comparable.
    paired = pred[pred["pair_id"].isin(both.index)]
    roles = paired.groupby(["occupation_id", "lang"])["p_rule"].mean().unstack().dropna()
    out.update(
        pairs=int(len(both)),
        mean_abs_diff=_r((both["de"] - both["en"]).abs().mean()),
        same_category=_r((cats["de"] == cats["en"]).mean()),
        roles=int(len(roles)),
        role_mean_gap_points=_r(100 * (roles["de"] - roles["en"]).abs().mean(), 2),
        role_spearman=_r(spearmanr(roles["de"], roles["en"]).statistic) if len(roles) > 2 else None,
    )
    return out


def category_macro_f1(true: pd.Series, pred: pd.Series) -> float:
    """Macro-F1 over the categories the labelled statements hold.

    A category no statement is labelled with (the development set has no
    ``ai_process_interface``) would enter scikit-learn's macro average as a zero once it is
    predicted at all, and cost a sixth of the figure for one statement; a wrong prediction
    still costs its statement's true category its recall.
    """
    return float(f1_score(true, pred, labels=sorted(set(true)), average="macro"))


def statement_metrics(pred: pd.DataFrame) -> dict:
    metrics: dict = {"n": int(len(pred)), "occupations": int(pred["occupation_id"].nunique())}
    for lang, part in pred.groupby("lang"):
        metrics[str(lang)] = {
            "n": int(len(part)),
            "rule_auc": _r(_auc(part["rule_based"], part["p_rule"])),
            "brier": _r(brier_score_loss(part["rule_based"], part["p_rule"])),
            "degree_spearman": _r(spearmanr(part["degree"], part["p_rule"]).statistic),
            "category_macro_f1": _r(category_macro_f1(part["category"], part["pred_category"])),
        }
    return metrics


@dataclass
class StatementReport:
    metrics: dict
    lengths: pd.DataFrame
    gaps: dict
    predictions: pd.DataFrame = field(repr=False)

    def as_dict(self) -> dict:
        return {
            **self.metrics,
            "length_spread_max": _r(self.lengths["spread"].max()),
            "length_table": {
                str(k): {c: (None if pd.isna(v) else v) for c, v in row.items()}
                for k, row in self.lengths.to_dict("index").items()
            },
            "de_en": self.gaps,
        }


def statement_report(model: TaskModel, corpus: Corpus) -> StatementReport:
    pred = predict_statements(model, corpus)
    return StatementReport(statement_metrics(pred), length_table(pred), language_gaps(pred), pred)


# --- the same duties, cut three ways --------------------------------------------------------


def _lower_first(text: str) -> str:
    # English duty phrases start with a verb that can be lower-cased inside a sentence; German
    # nouns keep their capital.
    return text[:1].lower() + text[1:] if text[:1].isupper() and text[1:2].islower() else text


def duty_shapes(duties: list[str], lang: str) -> dict[str, str]:
    """One role's duties as a bulleted list, one enumerating sentence and a prose paragraph."""
    clean = [d.strip().rstrip(".;") for d in duties]
    items = clean if lang == "de" else [_lower_first(d) for d in clean]
    sentence = f"{', '.join(items[:-1])} {_AND[lang]} {items[-1]}"
    return {
        "list": "\n".join(f"• {d}" for d in clean),
        "sentence": f"{_DUTIES_HEADING[lang]} {sentence}.",
        "paragraph": " ".join(f"{d}." for d in clean),
    }


def segmentation_report(
    model: TaskModel, corpus: Corpus, max_roles: int = 200, tasks_per_role: int = 5
) -> dict:
    """Role scores of the same duties as list, sentence and paragraph: gaps in points.

    Roles are an occupation's first ``tasks_per_role`` statements in one language (occupations
    with fewer are skipped); every shape goes through the job-ad parser and the model.
    """
    roles: list[tuple[str, str, dict[str, str]]] = []
    for (occupation, lang), part in corpus.tasks.groupby(["occupation_id", "lang"], sort=True):
        if len(part) >= tasks_per_role:
            duties = part["text"].tolist()[:tasks_per_role]
            roles.append((occupation, lang, duty_shapes(duties, lang)))
    roles = roles[:max_roles]
    shapes = ("list", "sentence", "paragraph")
    batch = [Role(description=r[2][s], language=r[1]) for r in roles for s in shapes]  # type: ignore[arg-type]
    results = assess_many(batch, model)
    scores = np.full((len(roles), len(shapes)), np.nan)
    n_tasks = np.zeros((len(roles), len(shapes)), dtype=int)
    for i, result in enumerate(results):
        if not isinstance(result, RoleError):
            scores[i // 3, i % 3] = result["risk_score"]
            n_tasks[i // 3, i % 3] = len(result["tasks"])
    scored = ~np.isnan(scores).any(axis=1)
    gap = np.nanmax(scores, axis=1) - np.nanmin(scores, axis=1)
    gap = gap[scored]
    return {
        "roles": len(roles),
        "scored_all_shapes": int(scored.sum()),
        "median_gap_points": _r(np.median(gap), 2) if len(gap) else None,
        "p90_gap_points": _r(np.percentile(gap, 90), 2) if len(gap) else None,
        "max_gap_points": _r(gap.max(), 2) if len(gap) else None,
        "tasks_found_mean": {
            s: _r(n_tasks[scored, j].mean(), 2) for j, s in enumerate(shapes)
        },
    }


# --- an analyst's own occupation-level reference ----------------------------------------------


def reference_report(
    model: TaskModel, table: pd.DataFrame, cutoffs: tuple[float, ...] = (0.5, 0.7)
) -> dict:
    """Correlate role scores with a reference column ``value`` (any scale).

    ``cutoffs`` are quantiles of ``value``: AUC of the score for "above that quantile".
    """
    missing = {"id", "value"} - set(table.columns)
    if missing or not ({"title", "description"} & set(table.columns)):
        raise ValueError("the reference table needs columns id, value and title and/or description")
    frame = table.copy()
    roles = []
    for row in frame.to_dict("records"):
        title = str(row.get("title") or "").strip() or None
        desc = str(row.get("description") or "").strip() or None
        lang = row.get("language") if row.get("language") in ("de", "en") else None
        roles.append(Role(title=title, description=desc, language=lang))
    results = assess_many(roles, model)
    frame["score"] = [np.nan if isinstance(r, RoleError) else r["risk_score"] for r in results]
    frame["language"] = [None if isinstance(r, RoleError) else r["language"] for r in results]
    frame["isco08"] = [
        None if isinstance(r, RoleError) or not r["matched_occupation"]
        else r["matched_occupation"]["isco08"]
        for r in results
    ]
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    ok = frame.dropna(subset=["score", "value"])

    def block(part: pd.DataFrame) -> dict:
        out: dict = {"n": int(len(part))}
        if len(part) < 3:
            return out
        out["spearman"] = _r(spearmanr(part["score"], part["value"]).statistic)
        for q in cutoffs:
            cut = ok["value"].quantile(q)
            out[f"auc_above_q{int(q * 100)}"] = _r(_auc(part["value"] > cut, part["score"]))
        return out

    report: dict = {"rows": int(len(frame)), "scored": int(len(ok)), "all": block(ok)}
    report["by_language"] = {str(k): block(g) for k, g in ok.groupby("language")}
    report["by_isco_major"] = {
        str(k): block(g) for k, g in ok.dropna(subset=["isco08"]).groupby(ok["isco08"].str[0])
    }
    # Largest disagreements: rank difference between score and reference.
    ranks = ok.assign(
        score_rank=ok["score"].rank(pct=True), value_rank=ok["value"].rank(pct=True)
    )
    ranks["disagreement"] = (ranks["score_rank"] - ranks["value_rank"]).abs()
    worst = ranks.nlargest(10, "disagreement")
    by_index = dict(zip(frame.index, results, strict=True))
    report["largest_disagreements"] = [
        {
            "id": row["id"],
            "score": row["score"],
            "value": row["value"],
            "tasks": [
                {"text": t["text"], "rule_based": t["rule_based"], "category": t["category"]}
                for t in by_index[idx]["tasks"][:8]  # type: ignore[index]
            ],
        }
        for idx, row in worst.iterrows()
    ]
    report["frame"] = ok
    return report


# --- what `risk-service evaluate` prints and writes ------------------------------------------


def plot_lengths(lengths: pd.DataFrame) -> bytes:
    """Mean P(rule-based) per length bucket, one line per labelled degree."""
    from matplotlib.figure import Figure  # the train extra

    from training.report import _png

    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    buckets = [c for c in lengths.columns if c not in ("spread", "n")]
    for degree, row in lengths.iterrows():
        ax.plot(buckets, [row[b] for b in buckets], marker="o", label=f"degree {degree}")
    ax.set_ylim(0, 1)
    ax.set_xlabel("statement length (words)")
    ax.set_ylabel("mean P(rule-based)")
    ax.legend(fontsize=8)
    ax.set_title("Flat lines: the score does not depend on how long the text is")
    return _png(fig)


def plot_reference(frame: pd.DataFrame) -> bytes:
    """Role score against the analyst's reference value."""
    from matplotlib.figure import Figure

    from training.report import _png

    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.subplots()
    for lang, part in frame.groupby("language"):
        ax.scatter(part["value"], part["score"], s=10, alpha=0.6, label=str(lang))
    ax.set_xlabel("reference value")
    ax.set_ylabel("risk score")
    ax.legend(fontsize=8)
    return _png(fig)


def evaluate_command(
    model: TaskModel,
    data_dirs: list[str],
    reference: str | None,
    output: str | None,
) -> dict:
    """Everything ``risk-service evaluate`` reports, as one JSON-able dict; plots and the
    per-statement predictions go to ``output`` when given."""
    from pathlib import Path

    from training.corpus import load_corpus

    result: dict = {"model_version": model.meta.get("version")}
    out = Path(output) if output else None
    if out:
        out.mkdir(parents=True, exist_ok=True)
    if data_dirs:
        corpus = load_corpus(*data_dirs)
        report = statement_report(model, corpus)
        result["statements"] = report.as_dict()
        result["segmentation"] = segmentation_report(model, corpus)
        worst = report.predictions.assign(
            error=(report.predictions["p_rule"] - report.predictions["rule_based"]).abs()
        ).nlargest(10, "error")
        result["largest_statement_errors"] = [
            {"text": r.text, "lang": r.lang, "degree": int(r.degree), "p_rule": round(r.p_rule, 3)}
            for r in worst.itertuples()
        ]
        if out:
            report.predictions.to_csv(out / "statements.csv", index=False)
            (out / "lengths.png").write_bytes(plot_lengths(report.lengths))
    if reference:
        table = pd.read_csv(reference, dtype={"id": str}, sep=None, engine="python")
        ref = reference_report(model, table)
        frame = ref.pop("frame")
        result["reference"] = ref
        if out:
            frame.to_csv(out / "reference_scores.csv", index=False)
            (out / "reference.png").write_bytes(plot_reference(frame))
    return result
