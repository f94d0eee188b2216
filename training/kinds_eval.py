"""How well the advice reads the kind of work a task is: information work, contact with people,
hands-on (manual) work — measured against what the labelled categories imply.

The labels imply a kind: ``routine_manual`` / ``nonroutine_manual`` are manual work,
``nonroutine_interpersonal`` is contact with people, ``routine_cognitive`` /
``nonroutine_analytic`` / ``ai_process_interface`` are information work. Three judgements are
compared on the development set (the model fitted on the whole corpus) and on the corpus
(out-of-fold, five folds grouped by occupation):

- ``advice``: :func:`risk_service.advice.advise` as served (``Advice.kind`` and whether the task
  is work with people);
- ``summed``: the model's category probabilities summed into the three kinds (the largest);
- ``advice_cues``: the same without the model's kind probabilities (the category and the cues
  alone, as the advice read the kind before);
- ``head`` / ``paired``: two binary heads (manual or not, people or not) on the same feature
  space, fitted like the category head (:func:`fit_kind_heads`; ``paired`` with the rule head's
  translation-pair term).

Usage: ``python -m training.kinds_eval [--cache DIR]`` (about 3 minutes on two cores: the five
folds and the full fit; ``--cache`` keeps the predictions, so a second run only scores).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold

from risk_service import advice as task_advice
from risk_service.occupations import OccupationIndex
from training.corpus import Corpus, load_corpus
from training.estimators import compile_model, task_frame
from training.heads import PairedLogisticRegression, fold_logit_column
from training.train import (
    DEFAULT_DATA,
    DEV_DATA,
    LOGIT_SCALE,
    N_SPLITS,
    fit_pipelines,
    translation_pairs,
)

KIND_OF_LABEL = {
    "routine_manual": "manual",
    "nonroutine_manual": "manual",
    "nonroutine_interpersonal": "people",
    "routine_cognitive": "information",
    "nonroutine_analytic": "information",
    "ai_process_interface": "information",
}
# The advice's kinds of work as the three kinds the labels imply.
KIND_OF_ADVICE = {
    "hands_on": "manual",
    "machine": "manual",
    "physical": "manual",
    "in_person": "manual",
    "conversation": "people",
    "information": "information",
    "authority": "information",
    "compliance": "information",
    "ai_interface": "information",
}
KINDS3 = ("information", "manual", "people")


def fit_kind_heads(
    features, data: pd.DataFrame, rule: PairedLogisticRegression, pair_penalty: float = 0.0
) -> tuple[PairedLogisticRegression, PairedLogisticRegression]:
    """Two binary heads for the kind of work — manual (the two manual categories) and contact
    with people (interpersonal) — on the features and the rule head's logit, as the category
    head is fitted, folded back to plain linear heads. Measured against the summed category
    probabilities and not adopted: on dev they agree with the labels less often (module
    docstring, docs/advice.md)."""
    logit = sp.csr_matrix(LOGIT_SCALE * rule.decision_function(features)[:, None])
    stacked = sp.hstack([features, logit], format="csr")
    pairs = translation_pairs(data) if pair_penalty else None
    heads = []
    for categories in (("routine_manual", "nonroutine_manual"), ("nonroutine_interpersonal",)):
        head = PairedLogisticRegression(C=4.0, pair_penalty=pair_penalty)
        head.fit(stacked, data["category"].isin(categories).astype(int), pairs=pairs)
        fold_logit_column(head, rule, LOGIT_SCALE)
        heads.append(head)
    return heads[0], heads[1]


def _predict(corpus: Corpus, test: pd.DataFrame) -> pd.DataFrame:
    """Fit on ``corpus`` and predict ``test``: P(rule-based), category probabilities, and the
    probabilities of two binary kind heads fitted on the same features."""
    rule, category = fit_pipelines(corpus)
    no_titles = OccupationIndex(corpus.occupations.iloc[:1], corpus.tasks.iloc[:0])
    model = compile_model(rule[0], rule[-1], category[-1], no_titles)
    pred = model.predict(test["text"].tolist())
    out = pd.DataFrame(pred.category_proba, columns=pred.classes, index=test.index)
    out["p_rule"] = pred.rule_based
    out["pred_category"] = pred.category
    data = corpus.labelled
    featurizer = rule[0]
    train_x = featurizer.transform(task_frame(data["text"]))
    test_x = featurizer.transform(task_frame(test["text"]))
    for name, heads in (
        ("head", fit_kind_heads(train_x, data, rule[-1], 0.0)),
        ("paired", fit_kind_heads(train_x, data, rule[-1], 3.0)),
    ):
        for kind, head in zip(("manual", "people"), heads, strict=True):
            out[f"{name}_{kind}"] = head.predict_proba(test_x)[:, 1]
    return out


def _fold(corpus: Corpus, train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    return _predict(Corpus(corpus.occupations, train[corpus.tasks.columns], ""), test)


def predictions(cache: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(dev, corpus out-of-fold) statements with their labels and predictions."""
    if cache is not None and (cache / "kinds_predictions.pkl").is_file():
        return pickle.loads((cache / "kinds_predictions.pkl").read_bytes())
    corpus = load_corpus(*DEFAULT_DATA)
    dev = load_corpus(DEV_DATA).labelled.reset_index(drop=True)
    data = corpus.labelled.reset_index(drop=True)
    folds = list(
        GroupKFold(n_splits=N_SPLITS, shuffle=True, random_state=0).split(
            data, groups=data["occupation_id"]
        )
    )
    jobs = [delayed(_fold)(corpus, data.iloc[a], data.iloc[b]) for a, b in folds]
    jobs.append(delayed(_predict)(corpus, dev))
    results = Parallel(n_jobs=min(len(jobs), os.cpu_count() or 1))(jobs)
    oof = pd.concat(results[:-1]).sort_index()
    dev = dev.join(results[-1])
    data = data.join(oof)
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "kinds_predictions.pkl").write_bytes(pickle.dumps((dev, data)))
    return dev, data


def _kinds(manual: pd.Series, people: pd.Series, summed: bool = False) -> np.ndarray:
    """The likeliest of the three kinds: from summed category probabilities (which add up to
    one with information work) or from two independent binary heads."""
    m, p = manual.to_numpy(), people.to_numpy()
    scores = (
        np.column_stack([1 - m - p, m, p])
        if summed
        else np.column_stack([(1 - m) * (1 - p), m * (1 - p), p * (1 - m)])
    )
    return np.array(KINDS3)[scores.argmax(axis=1)]


def judged(frame: pd.DataFrame) -> pd.DataFrame:
    """The three judgements of each statement's kind, and the advice's people detection."""
    frame = frame.copy()
    frame["label_kind"] = frame["category"].map(KIND_OF_LABEL)
    frame["summed_manual"] = frame["routine_manual"] + frame["nonroutine_manual"]
    frame["summed_people"] = frame["nonroutine_interpersonal"]
    frame["summed_kind"] = _kinds(frame["summed_manual"], frame["summed_people"], summed=True)
    for name in ("head", "paired"):
        frame[f"{name}_kind"] = _kinds(frame[f"{name}_manual"], frame[f"{name}_people"])
    kinds = frame[["summed_manual", "summed_people"]].to_numpy()
    rows = list(
        zip(frame["text"], frame["p_rule"], frame["pred_category"], frame["lang"], strict=True)
    )
    for name, given in (("advice", kinds), ("advice_cues", None)):
        advice = [
            task_advice.advise(t, p, c, lang, kinds=None if given is None else tuple(given[i]))
            for i, (t, p, c, lang) in enumerate(rows)
        ]
        frame[f"{name}_kind"] = [KIND_OF_ADVICE[a.kind] for a in advice]
        frame[f"{name}_people"] = [a.with_people for a in advice]
    return frame


def _f1(truth: np.ndarray, guess: np.ndarray) -> dict:
    tp = float((truth & guess).sum())
    precision = tp / max(1.0, float(guess.sum()))
    recall = tp / max(1.0, float(truth.sum()))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def agreement(frame: pd.DataFrame) -> dict:
    """Per judgement: the share of statements whose kind agrees with the label's, and
    precision / recall of manual and of people; AUCs of the probabilities."""
    out: dict = {"n": int(len(frame))}
    label = frame["label_kind"].to_numpy()
    for name in ("advice", "advice_cues", "summed", "head", "paired"):
        kind = frame[f"{name}_kind"].to_numpy()
        out[name] = {
            "agree": round(float((kind == label).mean()), 3),
            "manual": _f1(label == "manual", kind == "manual"),
            "people": _f1(label == "people", kind == "people"),
        }
    for name in ("advice", "advice_cues"):
        out[f"{name}_with_people"] = _f1(label == "people", frame[f"{name}_people"].to_numpy())
    for name in ("summed", "head", "paired"):
        for kind in ("manual", "people"):
            score = frame[f"{name}_{kind}"].to_numpy()
            out[f"auc_{name}_{kind}"] = round(float(roc_auc_score(label == kind, score)), 3)
    return out


def report(cache: Path | None = None) -> dict:
    """Agreement figures on dev and on the corpus out of fold, overall and per language."""
    dev, corpus = predictions(cache)
    result = {}
    for name, frame in (("dev", judged(dev)), ("corpus_oof", judged(corpus))):
        result[name] = {"all": agreement(frame)}
        for lang, part in frame.groupby("lang"):
            result[name][lang] = agreement(part)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, default=None, help="keep predictions here")
    args = parser.parse_args()
    print(json.dumps(report(args.cache), indent=1))


if __name__ == "__main__":
    main()
