"""Inter-annotator agreement between the corpus labels and a blind second annotation.

``python -m training.agreement`` reads ``training/data/annotation/second_pass.csv`` (``task_id,
degree, category`` of a random sample, labelled by an annotator who saw only the rubric and the
text) and prints Cohen's weighted kappa on the degree, kappa on the category and on the binary
rule-based target, overall and per language, plus the degree confusion table.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from risk_service import config

SECOND_PASS = config.DATA_DIR / "annotation" / "second_pass.csv"


def agreement(tasks: pd.DataFrame, second: pd.DataFrame) -> pd.DataFrame:
    """One row per slice (all, de, en) with n and the kappas."""
    merged = second.merge(tasks, on="task_id", suffixes=("_second", "_first"))
    rows = []
    for name, part in [("all", merged), *merged.groupby("lang")]:
        first, other = part["degree_first"], part["degree_second"]
        rows.append(
            {
                "slice": name,
                "n": len(part),
                "degree_kappa_linear": cohen_kappa_score(first, other, weights="linear"),
                "degree_kappa_quadratic": cohen_kappa_score(first, other, weights="quadratic"),
                "degree_exact": float((first == other).mean()),
                "category_kappa": cohen_kappa_score(
                    part["category_first"], part["category_second"]
                ),
                "rule_based_kappa": cohen_kappa_score(first >= 3, other >= 3),
            }
        )
    return pd.DataFrame(rows).set_index("slice").round(3)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    second_path = Path(argv[0]) if argv else SECOND_PASS
    tasks = pd.read_csv(config.DATA_DIR / "tasks.csv")
    second = pd.read_csv(second_path)
    print(agreement(tasks, second).to_string())
    merged = second.merge(tasks, on="task_id", suffixes=("_second", "_first"))
    print("\ndegree: rows = corpus label, columns = second annotator")
    print(pd.crosstab(merged["degree_first"], merged["degree_second"]).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
