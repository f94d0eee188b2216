"""Inter-annotator agreement between the corpus labels and a blind second annotation.

``python -m training.agreement`` prints Cohen's weighted kappa on the degree, kappa on the
category and on the binary rule-based target, overall and per language, plus the degree
confusion table, for both studies:

* ``second_pass.csv`` (``task_id, degree, category``): 400 of our own statements;
* ``second_pass_onet.csv`` (``item_id, degree, category``) with ``second_pass_onet_key.csv``
  (``item_id, task_id``): statements of our O*NET labels and the development set, German and
  English, at most one per translation pair, labelled under the current rubric (§0).

The second annotator saw only the rubric and the shuffled texts, never ids, occupations or labels.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from sklearn.metrics import cohen_kappa_score

from risk_service import config

ANNOTATION = config.DATA_DIR / "annotation"
SECOND_PASS = ANNOTATION / "second_pass.csv"
SECOND_PASS_ONET = ANNOTATION / "second_pass_onet.csv"
SECOND_PASS_ONET_KEY = ANNOTATION / "second_pass_onet_key.csv"


def all_tasks() -> pd.DataFrame:
    """First-pass labels of every corpus directory (ours, O*NET, development set)."""
    from training.train import DEFAULT_DATA, DEV_DATA

    frames = [pd.read_csv(Path(d) / "tasks.csv") for d in (*DEFAULT_DATA, DEV_DATA)]
    return pd.concat(frames, ignore_index=True)


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


def studies() -> dict[str, pd.DataFrame]:
    """Second-pass labels keyed by ``task_id``, one frame per study that exists."""
    out = {}
    if SECOND_PASS.is_file():
        out["own corpus"] = pd.read_csv(SECOND_PASS)
    if SECOND_PASS_ONET.is_file() and SECOND_PASS_ONET_KEY.is_file():
        key = pd.read_csv(SECOND_PASS_ONET_KEY)
        out["O*NET and dev set, rubric §0"] = (
            pd.read_csv(SECOND_PASS_ONET).merge(key, on="item_id").drop(columns="item_id")
        )
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    tasks = all_tasks()
    found = {"given file": pd.read_csv(argv[0])} if argv else studies()
    for name, second in found.items():
        print(f"== {name}")
        print(agreement(tasks, second).to_string())
        merged = second.merge(tasks, on="task_id", suffixes=("_second", "_first"))
        print("\ndegree: rows = corpus label, columns = second annotator")
        print(pd.crosstab(merged["degree_first"], merged["degree_second"]).to_string())
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
