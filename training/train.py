"""Fit the task model, evaluate it with folds grouped by occupation, register it.

Grouping by occupation (never by row) is what tells us how the model does on occupations it has
never seen; it also keeps each English statement in the same fold as its German counterpart.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from scipy.stats import spearmanr
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from risk_service.occupations import OccupationIndex
from risk_service.registry import Registry
from risk_service.taskmodel import TaskModel
from training.corpus import Corpus, load_corpus
from training.esco_titles import load_esco
from training.estimators import build_featurizer, compile_model, task_frame
from training.evaluate import category_macro_f1
from training.heads import PairedLogisticRegression, fold_logit_column

N_SPLITS = 5
DATA_ROOT = Path(__file__).parent / "data"
# Our own corpus, our labels on O*NET task statements and contrast pairs that tell who does the
# work from what is worked on (statements for occupations of the first); the development set
# (60 other O*NET occupations) is never trained on: every model choice and report is judged on it.
DEFAULT_DATA = (DATA_ROOT, DATA_ROOT / "onet", DATA_ROOT / "contrast")
DEV_DATA = DATA_ROOT / "dev"
# Role-level sanity order: occupations the article names as exposed must score above the
# protected ones (ISCO-08 unit groups).
EXPOSED_ISCO = {
    "4222": "contact centre",
    "4311": "bookkeeping",
    "4132": "data entry",
    "4313": "payroll",
}
PROTECTED_ISCO = {
    "2221": "nursing",
    "3221": "nursing associate",
    "2264": "physiotherapy",
    "2634": "psychology",
    "1120": "managing directors",
    "5321": "care assistance",
}


def _heads() -> tuple[PairedLogisticRegression, PairedLogisticRegression]:
    # The rule-based head ties the logits of a statement and its translation together
    # (training/heads.py); C, the pair penalty and the iteration cap were chosen on the
    # development set (docs/model.md). The category head is plain one-vs-rest: with the pair
    # term its six problems took minutes and moved no dev figure by more than 0.03.
    return PairedLogisticRegression(C=1.0, pair_penalty=3.0, max_iter=40), (
        PairedLogisticRegression(C=4.0, pair_penalty=0.0)
    )


def translation_pairs(data: pd.DataFrame) -> np.ndarray:
    """(n_pairs, 2) row positions of the German and English statement of each pair."""
    position = pd.Series(np.arange(len(data)), index=data.index)
    table = (
        data.assign(row=position)
        .pivot_table(index="pair_id", columns="lang", values="row", aggfunc="first")
        .dropna()
    )
    if not {"de", "en"} <= set(table.columns):
        return np.empty((0, 2), dtype=np.intp)
    return table[["de", "en"]].to_numpy(dtype=np.intp)


# Word-count buckets within which the rule-based head sees rule-based and other statements in
# the corpus-wide proportion (see length_balanced_weights).
LENGTH_EDGES = (0, 5, 10, 20, 10_000)


def length_balanced_weights(texts: pd.Series, labels: pd.Series) -> np.ndarray:
    """Sample weights under which a statement's length says nothing about its label.

    In the corpus short statements are more often rule-based (58 % of those of ≤ 5 words, 41 %
    of those over 20): a discriminative head learns length proxies (function words, many
    character grams) and judges long real statements less rule-based than short ones of the
    same degree. Weighting each (length bucket, label) cell by P(label) / P(label | bucket)
    removes that association; on the development set it flattened the length table for
    rule-based degrees (spread 0.056/0.043 → 0.024/0.019) at unchanged AUC (docs/model.md).
    """
    bucket = pd.cut(texts.str.split().str.len(), LENGTH_EDGES, include_lowest=True).astype(str)
    cell = bucket + "|" + labels.astype(str)
    p_label = labels.map(labels.value_counts(normalize=True)).astype(float)
    p_label_given_bucket = cell.map(cell.value_counts()) / bucket.map(bucket.value_counts())
    return (p_label / p_label_given_bucket.astype(float)).to_numpy(dtype=np.float64)


# The rule logit (±5 on the corpus) enters the category head scaled to the size of a TF-IDF
# value: unscaled, liblinear's dual solver needed 3-4 times the iterations (category fit 16 s ->
# 44 s) for the same dev figures.
LOGIT_SCALE = 0.3


def fit_pipelines(corpus: Corpus, seed: int = 0) -> tuple[Pipeline, Pipeline]:
    """Fit the featurizer and both heads on the corpus: (rule-based, category) pipelines.

    ``seed`` is kept for the CLI's contract; both heads are deterministic convex fits.
    """
    data = corpus.labelled
    featurizer = build_featurizer()
    features = featurizer.fit_transform(task_frame(data["text"]))
    pairs = translation_pairs(data)
    rule, category = _heads()
    weights = length_balanced_weights(data["text"], data["rule_based"])
    rule.fit(features, data["rule_based"], pairs=pairs, sample_weight=weights)
    # The category head also sees the rule head's logit, which the pair term made nearly the
    # same for a statement and its translation: the categories of the two agree more often
    # (docs/model.md). Folded back, it is a linear head on the features like any other.
    logit = sp.csr_matrix(LOGIT_SCALE * rule.decision_function(features)[:, None])
    # Rebound, so that the matrix without the logit column is freed before the category fit.
    features = sp.hstack([features, logit], format="csr")
    category.fit(features, data["category"])
    fold_logit_column(category, rule, LOGIT_SCALE)
    return (
        Pipeline([("features", featurizer), ("clf", rule)]),
        Pipeline([("features", featurizer), ("clf", category)]),
    )


def typical_day(tasks: pd.DataFrame) -> pd.DataFrame:
    """The statements that make up an occupation's typical day, for title-only scores.

    Where an occupation's statements carry a ``share`` of working time, statements without one
    are extra phrasings written to teach the model real job-ad shapes: they train the heads but
    do not count again towards the occupation's day.
    """
    if "share" not in tasks.columns:
        return tasks
    has_share = tasks["share"].astype(str).str.strip() != ""
    shared = tasks.loc[has_share, ["occupation_id", "lang"]].drop_duplicates()
    keyed = tasks.set_index(["occupation_id", "lang"]).index
    in_shared = keyed.isin(pd.MultiIndex.from_frame(shared))
    return tasks[has_share.to_numpy() | ~in_shared]


def fit_model(corpus: Corpus, seed: int = 0) -> TaskModel:
    """The serving model fitted on the corpus (what the registry stores)."""
    rule, category = fit_pipelines(corpus, seed)
    titles = OccupationIndex(corpus.occupations, typical_day(corpus.tasks), load_esco())
    return compile_model(rule[0], rule[-1], category[-1], titles)


@dataclass
class Evaluation:
    metrics: dict
    predictions: pd.DataFrame  # out-of-fold predictions, one row per task


def _fold_predictions(corpus: Corpus, train_idx: np.ndarray, test_idx: np.ndarray, seed: int):
    # Positions, not row copies, travel with the job: the parent holds no fold's frames.
    data = corpus.labelled.reset_index(drop=True)
    train, test = data.iloc[train_idx], data.iloc[test_idx]
    del data
    rule, category = fit_pipelines(
        Corpus(corpus.occupations, train[corpus.tasks.columns], ""), seed
    )
    # The served model's own arithmetic, without a title index: a fold predicts statements only.
    no_titles = OccupationIndex(corpus.occupations.iloc[:1], corpus.tasks.iloc[:0])
    model = compile_model(rule[0], rule[-1], category[-1], no_titles)
    pred = model.predict(test["text"].tolist())
    return pred.rule_based, pred.category


def cross_validate(
    corpus: Corpus,
    seed: int = 0,
    n_splits: int = N_SPLITS,
    n_jobs: int | None = None,
    fit_full: bool = False,
) -> Evaluation | tuple[Evaluation, TaskModel]:
    """Out-of-fold predictions with folds grouped by occupation, and the metrics on them.

    Folds run in parallel on ``n_jobs`` processes (default: one per core); each fold is
    deterministic, so the result does not depend on ``n_jobs``. With ``fit_full`` the model on
    the whole corpus is fitted as one more parallel job and returned too (training's critical
    path is then the slowest job, not folds + final fit).
    """
    data = corpus.labelled.reset_index(drop=True)
    folds = list(
        GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed).split(
            data, groups=data["occupation_id"]
        )
    )
    jobs = [
        delayed(_fold_predictions)(corpus, train_idx, test_idx, seed)
        for train_idx, test_idx in folds
    ]
    if fit_full:
        jobs.append(delayed(fit_model)(corpus, seed))
    results = Parallel(n_jobs=n_jobs or min(len(jobs), os.cpu_count() or 1))(jobs)
    oof_p = np.zeros(len(data))
    oof_cat = np.empty(len(data), dtype=object)
    for (_, test_idx), (p_rule, category) in zip(folds, results[: len(folds)], strict=True):
        oof_p[test_idx] = p_rule
        oof_cat[test_idx] = category
    data["p_rule"] = oof_p
    data["pred_category"] = oof_cat
    evaluation = Evaluation(compute_metrics(data), data)
    return (evaluation, results[-1]) if fit_full else evaluation


def compute_metrics(data: pd.DataFrame) -> dict:
    """Metrics per language, pair agreement and the role-level order check."""
    metrics: dict = {
        "n_tasks": int(len(data)),
        "n_occupations": int(data["occupation_id"].nunique()),
    }
    for lang, part in data.groupby("lang"):
        metrics[lang] = {
            "n": int(len(part)),
            "rule_auc": round(float(roc_auc_score(part["rule_based"], part["p_rule"])), 4),
            "brier": round(float(brier_score_loss(part["rule_based"], part["p_rule"])), 4),
            "degree_spearman": round(float(spearmanr(part["degree"], part["p_rule"]).statistic), 4),
            "category_macro_f1": round(
                category_macro_f1(part["category"], part["pred_category"]), 4
            ),
        }
    langs = [k for k in ("de", "en") if k in metrics]
    metrics["rule_auc_min"] = min(metrics[k]["rule_auc"] for k in langs)
    metrics["category_macro_f1_min"] = min(metrics[k]["category_macro_f1"] for k in langs)

    pairs = data.pivot_table(index="pair_id", columns="lang", values="p_rule", aggfunc="first")
    cats = data.pivot_table(
        index="pair_id", columns="lang", values="pred_category", aggfunc="first"
    )
    if {"de", "en"} <= set(pairs.columns):
        both = pairs.dropna(subset=["de", "en"])
        metrics["pair_mean_abs_diff"] = round(float((both["de"] - both["en"]).abs().mean()), 4)
        cats = cats.loc[both.index]
        metrics["pair_category_agreement"] = round(float((cats["de"] == cats["en"]).mean()), 4)
        roles = data.groupby(["occupation_id", "lang"])["p_rule"].mean().unstack()
        roles = roles.dropna()
        metrics["role_de_en_mean_abs_diff_points"] = round(
            float(100 * (roles["de"] - roles["en"]).abs().mean()), 2
        )
    metrics["role_order"] = role_order_check(data)
    return metrics


def role_order_check(data: pd.DataFrame) -> dict:
    """Share of (exposed, protected) occupation pairs ordered correctly by held-out score."""
    role_score = data.groupby(["occupation_id", "isco08"])["p_rule"].mean().mul(100).reset_index()
    role_score = role_score.rename(columns={"isco08": "isco"})
    exposed = role_score[role_score["isco"].isin(EXPOSED_ISCO)]
    protected = role_score[role_score["isco"].isin(PROTECTED_ISCO)]
    if exposed.empty or protected.empty:
        return {"pairs": 0, "concordance": None}
    wins = [e > p for e in exposed["p_rule"] for p in protected["p_rule"]]
    return {
        "pairs": len(wins),
        "concordance": round(float(np.mean(wins)), 4),
        "exposed_mean": round(float(exposed["p_rule"].mean()), 1),
        "protected_mean": round(float(protected["p_rule"].mean()), 1),
    }


def dev_metrics(model: TaskModel, dev: Corpus) -> dict:
    """The development set's figures: statements, lengths, languages, segmentation."""
    from training.evaluate import segmentation_report, statement_report

    return {
        **statement_report(model, dev).as_dict(),
        "segmentation": segmentation_report(model, dev),
    }


def train(
    data_dirs: list[str | Path],
    registry_root: str | Path,
    seed: int = 0,
    promote: bool = True,
    evaluate: bool = True,
    dev_dir: str | Path = DEV_DATA,
) -> tuple[str, dict]:
    """Load, evaluate, fit on everything, register (and promote). Returns (version, metrics)."""
    started = time.perf_counter()
    corpus = load_corpus(*data_dirs)
    metrics: dict = {}
    if evaluate:
        evaluation, model = cross_validate(corpus, seed, fit_full=True)
        metrics = evaluation.metrics
    else:
        model = fit_model(corpus, seed)
    metrics["train_seconds"] = round(time.perf_counter() - started, 1)
    if evaluate and Path(dev_dir).is_dir():
        metrics["dev"] = dev_metrics(model, load_corpus(dev_dir))
    registry = Registry(registry_root)
    version = registry.save(
        model,
        metrics=metrics,
        data_hash=corpus.data_hash,
        extra={
            "seed": seed,
            "corpus": {
                "occupations": int(len(corpus.occupations)),
                "tasks": int(len(corpus.tasks)),
                "by_language": corpus.tasks["lang"].value_counts().to_dict(),
            },
        },
    )
    # Report before promoting, so the serving version always has its report and model card.
    from training.report import write_report  # matplotlib is loaded only when training

    write_report(registry, version, corpus, evaluation.predictions if evaluate else None, model)
    if promote:
        registry.promote(version, force=not evaluate)
    return version, metrics
