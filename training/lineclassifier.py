"""Train the job-ad line classifier on our labelled ads and compare it with the cue rules.

Examples are the statements the parser itself reads from each ``tune`` ad
(:func:`risk_service.jobad.read_ad` on the text a user would paste), each labelled with the
label of the ad line it came from. Held-out ads are never read here.

``python -m training.lineclassifier`` runs cross-validation grouped by ad (every fold's ads are
parsed by a classifier that never saw them, through the served numpy code and the whole parser
including the split of coordinated duties), prints the ad-set figures of the cue rules and of
the classifier per language, picks the duty threshold, fits on all tune ads and writes
``risk_service/data/line_classifier.{json,npz}`` (``--no-write`` to only measure).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import random
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from risk_service import config, jobad
from risk_service.lineclassifier import (
    CHAR_NGRAMS,
    LABELS,
    LineClassifier,
    TfidfTable,
    char_terms,
    context_features,
    word_terms,
)
from training import adset

# Chosen by the grouped cross-validation below (tune ads only).
C = 4.0
THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75)
MIN_DF = 2
CLASS_WEIGHT: str | None = "balanced"
# Plain task lists from our corpus (statements of one occupation, pasted as a list or a
# paragraph) are added to the training statements as duties: the ads alone teach that a line
# before any heading is a title or company text, which a pasted task list is not. Every fifth
# occupation is kept out and only measured on.
TASK_LISTS = 320
_LIST_FORMATS = ("\n", "\n- ", "; ", "\n• ", ". ", "\n1. ")


@dataclass
class Examples:
    statements: list[jobad.Statement]
    labels: list[str]
    groups: list[str]  # ad id


def examples(ads: list[dict]) -> Examples:
    """The parser's statements of ``ads``, labelled by the line each came from."""
    out = Examples([], [], [])
    for ad in ads:
        keys = [adset._key(line["text"]) for line in ad["lines"]]
        statements, _ = jobad.read_ad(adset.raw_text(ad))
        for statement in statements:
            i = adset.source_line(statement.text, keys)
            if i is None:
                continue  # a fragment no line holds (rare): no label to learn from
            out.statements.append(statement)
            out.labels.append(ad["lines"][i]["label"])
            out.groups.append(ad["ad_id"])
    return out


def _corpus_tasks(held_out: bool) -> list[tuple[str, list[str]]]:
    """(language, statements) per corpus occupation: every fifth occupation if ``held_out``,
    the others if not."""
    by_role: dict[tuple[str, str], list[str]] = defaultdict(list)
    with open(config.DATA_DIR / "tasks.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_role[(row["occupation_id"], row["lang"])].append(row["text"].rstrip(". "))
    occupations = sorted({occupation for occupation, _ in by_role})
    keep = {o for i, o in enumerate(occupations) if (i % 5 == 0) == held_out}
    return [(lang, tasks) for (o, lang), tasks in sorted(by_role.items()) if o in keep]


def task_list_texts(n: int, held_out: bool = False, seed: int = 0) -> list[str]:
    """``n`` plain task lists of 1–8 corpus statements of one occupation, in varied shapes (a
    single statement too: a description of one duty is no title)."""
    rng = random.Random(seed)
    roles = [r for r in _corpus_tasks(held_out) if len(r[1]) >= 3]
    texts = []
    for _ in range(n):
        _, tasks = rng.choice(roles)
        chosen = rng.sample(tasks, min(len(tasks), rng.randint(1, 8)))
        sep = rng.choice(_LIST_FORMATS)
        lead = sep.lstrip("\n") if sep.startswith("\n") else ""
        texts.append(lead + sep.join(chosen) + ("." if sep == ". " else ""))
    return texts


def task_list_examples(n: int = TASK_LISTS, seed: int = 0) -> Examples:
    out = Examples([], [], [])
    for i, text in enumerate(task_list_texts(n, held_out=False, seed=seed)):
        statements, _ = jobad.read_ad(text)
        out.statements += statements
        out.labels += ["duty"] * len(statements)
        out.groups += [f"task-list-{i}"] * len(statements)
    return out


def task_list_recall(label, texts: list[str]) -> float:
    """Share of the statements of held-out plain task lists that ``label`` keeps as duties."""
    kept = total = 0
    for text in texts:
        statements, _ = jobad.read_ad(text)
        labels = label(statements)
        kept += sum(lab == "duty" for lab in labels)
        total += len(labels)
    return round(kept / total, 3) if total else 0.0


def _vectorizer(analyzer) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=analyzer,
        sublinear_tf=True,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        min_df=MIN_DF,
        dtype=np.float64,
    )


def fit(data: Examples, c: float = C, threshold: float = 0.5, info: dict | None = None):
    """Fit on ``data``; return the compiled numpy classifier and the scikit-learn parts."""
    texts = [s.text for s in data.statements]
    words = _vectorizer(word_terms).fit(texts)
    chars = _vectorizer(char_terms).fit(texts)
    x = _design(words, chars, data.statements)
    labels = [label if label in LABELS else "other" for label in data.labels]
    head = LogisticRegression(C=c, max_iter=5000, class_weight=CLASS_WEIGHT)
    head.fit(x, labels)
    classes = tuple(str(k) for k in head.classes_)
    coef = np.asarray(head.coef_, dtype=np.float64)
    intercept = np.asarray(head.intercept_, dtype=np.float64)
    if len(classes) == 2:  # scikit-learn keeps one row for two classes
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    model = LineClassifier(
        classes,
        TfidfTable({str(t): int(j) for t, j in words.vocabulary_.items()}, words.idf_.copy()),
        TfidfTable({str(t): int(j) for t, j in chars.vocabulary_.items()}, chars.idf_.copy()),
        coef,
        intercept,
        threshold,
        info or {},
    )
    return model, (words, chars, head)


def _design(words: TfidfVectorizer, chars: TfidfVectorizer, statements) -> sparse.csr_matrix:
    texts = [s.text for s in statements]
    context = np.asarray([context_features(s) for s in statements], dtype=np.float64)
    return sparse.hstack(
        [words.transform(texts), chars.transform(texts), sparse.csr_matrix(context)]
    ).tocsr()


def sklearn_proba(parts, statements) -> np.ndarray:
    """The scikit-learn pipeline's probabilities (what the served model must reproduce)."""
    words, chars, head = parts
    return head.predict_proba(_design(words, chars, statements))


def cross_validate(ads: list[dict], c: float = C, n_splits: int = 5) -> dict:
    """Ad-set figures of the rules and of the classifier (per threshold), folds grouped by ad;
    and the share of held-out plain task lists kept as duties."""
    data = examples(ads)
    lists = task_list_examples()
    held_lists = task_list_texts(TASK_LISTS // 2, held_out=True, seed=1)
    groups = np.asarray(data.groups)
    ad_ids = np.asarray([ad["ad_id"] for ad in ads])
    rules = [adset.evaluate_ad(ad, jobad.label_rules) for ad in ads]
    by_threshold: dict[float, list[adset.AdResult]] = {t: [] for t in THRESHOLDS}
    list_recall: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    folds = GroupKFold(n_splits=n_splits)
    for train_idx, _ in folds.split(groups, groups=groups):
        train_ads = set(groups[train_idx])
        subset = Examples(
            [data.statements[i] for i in train_idx] + lists.statements,
            [data.labels[i] for i in train_idx] + lists.labels,
            [data.groups[i] for i in train_idx] + lists.groups,
        )
        model, _ = fit(subset, c)
        held = [ad for ad, ad_id in zip(ads, ad_ids, strict=True) if ad_id not in train_ads]
        for t in THRESHOLDS:
            model.duty_threshold = t
            label = jobad.classifier_labeller(model)
            by_threshold[t] += [adset.evaluate_ad(ad, label) for ad in held]
            list_recall[t].append(task_list_recall(label, held_lists))
    return {
        "rules": adset.summarise(rules),
        "rules_task_lists": task_list_recall(jobad.label_rules, held_lists),
        "classifier": {t: adset.summarise(r) for t, r in by_threshold.items()},
        "classifier_task_lists": {t: round(float(np.mean(v)), 3) for t, v in list_recall.items()},
    }


# Cross-validated recall must clear the target (0.93) with room: on ads written later by other
# writers it came out 0.03-0.05 lower (0.963 in CV, 0.917 on the held-out English ads).
CV_RECALL_FLOOR = 0.97


def ads_digest(ads: list[dict]) -> str:
    """The sha256 of the ads a classifier is fitted on (recorded in its info, so a shipped
    classifier can be checked against the labelled ads in the repository)."""
    digest = hashlib.sha256()
    for ad in sorted(ads, key=lambda a: a["ad_id"]):
        digest.update(json.dumps(ad, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def choose_threshold(summaries: dict[float, dict], task_lists: dict[float, float]) -> float:
    """The threshold with the most clean ads in the worse language, recall ≥
    :data:`CV_RECALL_FLOOR` in both and ≥ 0.97 of plain task lists kept (ties: more clean ads on
    average, then the higher recall and precision in the worse language, then the threshold
    nearest 0.5)."""

    def score(t: float) -> tuple:
        langs = list(summaries[t].values())
        recall_ok = (
            all((s["recall"] or 0) >= CV_RECALL_FLOOR for s in langs) and task_lists[t] >= 0.97
        )
        return (
            recall_ok,
            min(s["clean_ads"] for s in langs),
            sum(s["clean_ads"] for s in langs) / len(langs),
            min(s["recall"] or 0 for s in langs),
            min(s["precision"] or 0 for s in langs),
            -abs(t - 0.5),
        )

    return max(summaries, key=score)


def _line(name: str, summary: dict) -> str:
    return (
        "  ".join(
            f"{lang}: P {s['precision']:.3f} R {s['recall']:.3f} clean {s['clean_ads']:.3f} "
            f"split≥2 {s['split_at_least_two']:.3f} ({s['ads']} ads)"
            for lang, s in sorted(summary.items())
        )
        + f"  [{name}]"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="measure only")
    parser.add_argument("--c", type=float, default=C, help="inverse regularisation")
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args(argv)
    ads = [ad for ad in adset.load_ads() if ad.get("split", "tune") == "tune"]
    report = cross_validate(ads, args.c, args.folds)
    print("Grouped cross-validation on the tune ads (folds by ad):")
    print(
        _line("cue rules (tuned on these ads)", report["rules"])
        + f"  task lists kept {report['rules_task_lists']:.3f}"
    )
    for t, summary in report["classifier"].items():
        print(
            _line(f"classifier, duty threshold {t}", summary)
            + f"  task lists kept {report['classifier_task_lists'][t]:.3f}"
        )
    threshold = choose_threshold(report["classifier"], report["classifier_task_lists"])
    print(f"chosen duty threshold: {threshold}")
    if args.no_write:
        return 0
    data = examples(ads)
    info = {
        "trained_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "ads": len(ads),
        "ads_by_language": {
            lang: sum(ad["lang"] == lang for ad in ads) for lang in sorted({a["lang"] for a in ads})
        },
        "statements": len(data.statements),
        "ads_sha256": ads_digest(ads),
        "c": args.c,
        "char_ngrams": list(CHAR_NGRAMS),
        "task_lists": TASK_LISTS,
        "cv": {
            "rules": report["rules"],
            "rules_task_lists": report["rules_task_lists"],
            "classifier": report["classifier"][threshold],
            "classifier_task_lists": report["classifier_task_lists"][threshold],
        },
    }
    lists = task_list_examples()
    data = Examples(
        data.statements + lists.statements, data.labels + lists.labels, data.groups + lists.groups
    )
    model, parts = fit(data, args.c, threshold, info)
    served = model.predict_proba(data.statements)
    reference = sklearn_proba(parts, data.statements)
    order = [list(parts[2].classes_).index(k) for k in model.classes]
    gap = float(np.abs(served - reference[:, order]).max())
    if gap > 1e-9:
        raise SystemExit(f"served probabilities differ from scikit-learn's by {gap:g}")
    model.save()
    print(f"wrote the line classifier ({len(data.statements)} statements, {len(ads)} ads)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
