"""Which O*NET 29.3 task statements we label, and which occupations form the development set.

Deterministic (seeded) so the selection can be reproduced from the official file:

* **dev**: 60 occupations, stratified over the SOC major groups, up to 14 statements each. No
  model trains on them; they are labelled blind and used for every model choice.
* **train**: every other occupation, up to 7 statements each (core tasks first, then
  supplemental), topped up with an 8th statement for a random subset until ≥ 6,100.

Run ``python -m training.onet_selection ONET_DIR`` to rewrite
``training/data/onet/selection.csv``. The committed file is authoritative (it is what was
labelled): it was drawn before the top-up order was made independent of Python's string hashing,
so a re-run differs from it in which occupations got an 8th statement (about 70 rows), nowhere
else.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).parent / "data" / "onet" / "selection.csv"
DEV_OCCUPATIONS = 60
DEV_PER_OCCUPATION = 14
TRAIN_PER_OCCUPATION = 7
TRAIN_TARGET = 6_100
CHUNKS = 3


def select(onet_dir: Path, seed: int = 2026) -> list[dict[str, str]]:
    rng = random.Random(seed)
    with open(onet_dir / "Task Statements.txt", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    by_occ: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_occ[row["O*NET-SOC Code"]].append(row)
    codes = sorted(by_occ)
    by_major: dict[str, list[str]] = defaultdict(list)
    for code in codes:
        by_major[code[:2]].append(code)
    # Dev occupations: proportional to each major group's size, at least one per group.
    dev: set[str] = set()
    for _major, members in sorted(by_major.items()):
        k = max(1, round(DEV_OCCUPATIONS * len(members) / len(codes)))
        dev.update(rng.sample(members, min(k, len(members))))

    def ordered(code: str) -> list[dict[str, str]]:
        tasks = by_occ[code][:]
        rng.shuffle(tasks)
        return sorted(tasks, key=lambda r: r["Task Type"] != "Core")  # stable: core first

    out: list[dict[str, str]] = []
    train_codes = [c for c in codes if c not in dev]
    extra = rng.sample(train_codes, len(train_codes))  # order for the top-up
    n_train = sum(min(len(by_occ[c]), TRAIN_PER_OCCUPATION) for c in train_codes)
    top_up = [c for c in extra if len(by_occ[c]) > TRAIN_PER_OCCUPATION]
    top_up_set = set(top_up[: max(0, TRAIN_TARGET - n_train)])
    chunk_size = -(-len(train_codes) // CHUNKS)
    for code in codes:
        tasks = ordered(code)
        if code in dev:
            take, split, chunk = tasks[:DEV_PER_OCCUPATION], "dev", "dev"
        else:
            n = TRAIN_PER_OCCUPATION + (code in top_up_set)
            take, split = tasks[:n], "train"
            chunk = "abc"[train_codes.index(code) // chunk_size]
        for r in take:
            out.append(
                {
                    "onet_task_id": r["Task ID"],
                    "onet_soc": code,
                    "occupation": r["Title"],
                    "task_type": r["Task Type"] or "n/a",
                    "split": split,
                    "chunk": chunk,
                    "text": r["Task"],
                }
            )
    return out


def main(argv: list[str]) -> None:
    rows = select(Path(argv[0]))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    counts: dict[str, int] = defaultdict(int)
    for r in rows:
        counts[r["chunk"]] += 1
    print(OUT, dict(counts))


if __name__ == "__main__":
    main(sys.argv[1:] or ["../shared/data/onet-29.3"])
