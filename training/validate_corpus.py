"""Corpus check: schema, pairs, duplicates, coverage. ``make corpus-check`` runs it.

Prints the counts per category, degree, language and ISCO major group, and exits non-zero on
any violation:

* schema and ISCO-08 codes (via :func:`training.corpus.load_corpus`);
* pairs: every ``pair_id`` has exactly one English and one German statement of the same
  occupation and category, degrees within ±1;
* exact duplicates (after normalisation) and near-duplicates (character-trigram cosine ≥ 0.9)
  within a language;
* coverage: minimum occupations, statements, statements per occupation and per-class shares.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.preprocessing import normalize

from risk_service import config
from risk_service.taskmodel import CATEGORIES
from risk_service.text import normalise_task
from training.corpus import Corpus, CorpusError, load_corpus

NEAR_DUPLICATE_COSINE = 0.9


@dataclass(frozen=True)
class Minimums:
    occupations: int = 250
    statements: int = 4000
    per_occupation: int = 8  # pairs, i.e. statements per language
    synonyms: int = 2  # per language, so that titles are found in their usual variants
    class_share: float = 0.04  # degree 0 is reserved for novel work (rubric §1): it is the rarest
    major_groups: tuple[str, ...] = tuple("123456789")


# Directories of statements adapted from open data (O*NET) follow the source's shape: occupations
# with fewer statements, no synonyms, and the same statement under several occupations.
ADAPTED = Minimums(
    occupations=1, statements=1, per_occupation=1, synonyms=0, class_share=0.0, major_groups=()
)


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations


def check_pairs(tasks: pd.DataFrame) -> list[str]:
    problems = []
    for pair_id, group in tasks.groupby("pair_id", sort=True):
        langs = sorted(group["lang"])
        # Statements adapted from O*NET may stand alone in English (not every one has a German
        # counterpart); our own statements always come in pairs.
        adapted = "source" in group and not (group["source"] == "own").any()
        if langs == ["en"] and adapted:
            continue
        if langs != ["de", "en"]:
            problems.append(f"pair {pair_id}: languages {langs}, expected one 'de' and one 'en'")
            continue
        if group["occupation_id"].nunique() != 1:
            problems.append(f"pair {pair_id}: statements belong to different occupations")
        if group["category"].nunique() != 1:
            problems.append(f"pair {pair_id}: categories differ {sorted(group['category'])}")
        if group["degree"].max() - group["degree"].min() > 1:
            problems.append(
                f"pair {pair_id}: degrees {sorted(group['degree'])} differ by more than 1"
            )
    return problems


def near_duplicates(tasks: pd.DataFrame, threshold: float = NEAR_DUPLICATE_COSINE) -> list[str]:
    """Exact and near-duplicate statements within each language."""
    problems = []
    for lang, part in tasks.groupby("lang"):
        texts = part["text"].map(normalise_task).tolist()
        ids = part["task_id"].tolist()
        matrix = normalize(
            CountVectorizer(analyzer="char", ngram_range=(3, 3)).fit_transform(texts)
        )
        sim = (matrix @ matrix.T).tocoo()
        mask = (sim.row < sim.col) & (sim.data >= threshold - 1e-9)
        for i, j, s in zip(sim.row[mask], sim.col[mask], sim.data[mask], strict=True):
            kind = "exact duplicate" if texts[i] == texts[j] else f"near-duplicate (cosine {s:.2f})"
            problems.append(f"{lang}: {ids[i]} and {ids[j]} are an {kind}")
    return problems


def coverage(corpus: Corpus, minimums: Minimums) -> tuple[dict, list[str]]:
    tasks = corpus.labelled
    n = len(tasks)
    counts = {
        "occupations": int(len(corpus.occupations)),
        "statements": int(n),
        "pairs": int(tasks["pair_id"].nunique()),
        "language": tasks["lang"].value_counts().sort_index().to_dict(),
        "degree": tasks["degree"].value_counts().sort_index().to_dict(),
        "category": tasks["category"].value_counts().reindex(CATEGORIES, fill_value=0).to_dict(),
        "isco_major_group_occupations": corpus.occupations["isco08"]
        .str[0]
        .value_counts()
        .sort_index()
        .to_dict(),
        "isco_major_group_statements": tasks["isco_major"].value_counts().sort_index().to_dict(),
    }
    problems = []
    if counts["occupations"] < minimums.occupations:
        problems.append(f"{counts['occupations']} occupations < {minimums.occupations}")
    if n < minimums.statements:
        problems.append(f"{n} statements < {minimums.statements}")
    per_occ = tasks.groupby(["occupation_id", "lang"]).size()
    thin = per_occ[per_occ < minimums.per_occupation]
    for (occ, lang), k in thin.items():
        problems.append(f"occupation {occ} has {k} {lang} statements < {minimums.per_occupation}")
    for lang in ("en", "de"):
        n_syn = corpus.occupations[f"synonyms_{lang}"].map(
            lambda s: len([x for x in s.split("|") if x])
        )
        for occ in corpus.occupations.loc[n_syn < minimums.synonyms, "occupation_id"]:
            problems.append(f"occupation {occ} has fewer than {minimums.synonyms} {lang} synonyms")
    without_tasks = set(corpus.occupations["occupation_id"]) - set(tasks["occupation_id"])
    problems += [f"occupation {o} has no statements" for o in sorted(without_tasks)]
    for label, column, classes in (
        ("degree", "degree", range(5)),
        ("category", "category", CATEGORIES),
    ):
        shares = tasks[column].value_counts(normalize=True)
        for c in classes:
            share = float(shares.get(c, 0.0))
            if share < minimums.class_share:
                problems.append(
                    f"{label} {c}: {share:.1%} of statements < {minimums.class_share:.0%}"
                )
    missing_groups = sorted(
        set(minimums.major_groups) - set(counts["isco_major_group_occupations"])
    )
    if missing_groups:
        problems.append(f"ISCO major groups without occupations: {missing_groups}")
    return counts, problems


def validate(
    data_dir: str | Path = config.DATA_DIR,
    minimums: Minimums | None = None,
    base: tuple[Path, ...] = (),
) -> Report:
    """Check one data directory; directories of adapted O*NET statements get :data:`ADAPTED`
    minimums and duplicates are only searched within an occupation there.

    A directory with ``base`` directories adds statements to their occupations (its own
    ``occupations.csv`` may be empty): its statements are checked for pairs and duplicates
    against the whole corpus, without per-occupation minimums.
    """
    report = Report()
    try:
        corpus = load_corpus(*base, data_dir)
    except CorpusError as exc:
        report.violations.append(str(exc))
        return report
    if base:
        own_ids = set(pd.read_csv(Path(data_dir) / "tasks.csv", usecols=["task_id"])["task_id"])
        own = corpus.tasks[corpus.tasks["task_id"].isin(own_ids)]
        report.counts = {"tasks": len(own), **own["lang"].value_counts().to_dict()}
        report.violations += check_pairs(own)
        dupes = near_duplicates(corpus.tasks[corpus.tasks["source"] == "own"])
        report.violations += [v for v in dupes if any(t in v for t in own_ids)]
        return report
    adapted = bool((corpus.tasks["source"] != "own").all())
    report.counts, problems = coverage(corpus, minimums or (ADAPTED if adapted else Minimums()))
    report.violations += problems
    report.violations += check_pairs(corpus.tasks)
    if adapted:  # the source's own near-repeats stay; exact repeats within one do not
        for _, part in corpus.tasks.groupby("occupation_id"):
            report.violations += near_duplicates(part, threshold=0.999)
    else:
        report.violations += near_duplicates(corpus.tasks)
    return report


def leaks(train_dirs: list[Path], dev_dir: Path) -> list[str]:
    """Development statements or occupations that also appear in training data."""
    train = load_corpus(*train_dirs).tasks
    dev = load_corpus(dev_dir).tasks
    problems = [
        f"development occupation {o} is also in the training data"
        for o in sorted(set(dev["occupation_id"]) & set(train["occupation_id"]))
    ]
    seen = set(train["text"].str.strip().str.lower())
    problems += [
        f"development statement {t} is also in the training data"
        for t, text in zip(dev["task_id"], dev["text"], strict=True)
        if text.strip().lower() in seen
    ]
    return problems


def _print_counts(counts: dict) -> None:
    for key, value in counts.items():
        if isinstance(value, dict):
            total = sum(value.values())
            cells = ", ".join(f"{k}: {v} ({v / total:.1%})" for k, v in value.items())
            print(f"{key:30s} {cells}")
        else:
            print(f"{key:30s} {value}")


def main(argv: list[str] | None = None) -> int:
    """Check the given directory, or every default training directory, the development set
    and that nothing of the development set is trained on."""
    from training.esco_titles import unit_group_coverage
    from training.train import DEFAULT_DATA, DEV_DATA

    argv = sys.argv[1:] if argv is None else argv
    dirs = [Path(argv[0])] if argv else [*map(Path, DEFAULT_DATA), Path(DEV_DATA)]
    failed = False
    for i, data_dir in enumerate(dirs):
        # a directory without occupations of its own adds statements to those before it
        supplement = not argv and pd.read_csv(data_dir / "occupations.csv").empty
        report = validate(data_dir, base=tuple(dirs[:i]) if supplement else ())
        print(f"== {data_dir}")
        _print_counts(report.counts)
        if not argv and data_dir == Path(DEV_DATA):
            report.violations += leaks(list(map(Path, DEFAULT_DATA)), data_dir)
        if report.violations:
            failed = True
            print(f"\n{len(report.violations)} violation(s):")
            for v in report.violations[:200]:
                print(f"  - {v}")
        else:
            print("\ncorpus OK")
        print()
    if not argv:  # what title-only scores are built from (training/esco_titles.py)
        coverage = unit_group_coverage(load_corpus(*DEFAULT_DATA))
        print(
            f"== ESCO unit groups: {coverage['with_8_tasks_per_language']} of "
            f"{coverage['esco_unit_groups']} have a training occupation with ≥ 8 statements per "
            f"language, {coverage['with_any_corpus_occupation']} have one at all; without: "
            f"{', '.join(coverage['missing']) or 'none'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
