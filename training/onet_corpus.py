"""Our labels on O*NET task statements → two corpus directories in the usual format.

Inputs (``training/data/onet/``): ``selection.csv`` (which statements, from
:mod:`training.onet_selection`), ``labels_<chunk>.csv`` (our degree, category and German
counterpart per statement, labelled by hand with ``docs/annotation-rubric.md``) and
``isco_<chunk>.csv`` (our ISCO-08 unit group and German title per O*NET occupation).

Outputs:

* ``training/data/onet/{occupations,tasks}.csv`` — the training statements;
* ``training/data/dev/{occupations,tasks}.csv`` — the development set (60 occupations no model
  trains on; every model choice is judged on it).

Every row carries ``source = onet-29.3:<Task ID>``: the English text is O*NET's, the labels and
the German text are ours. ``share`` is the statement's typical share of the occupation's working
time in that language: O*NET core tasks count twice as much as supplemental ones.

This product includes information from the O*NET 29.3 Database by the U.S. Department of
Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license.
O*NET® is a trademark of USDOL/ETA. Labels and German translations are ours.
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

from training.corpus import OCCUPATION_COLUMNS, OPTIONAL_TASK_COLUMNS, TASK_COLUMNS

DATA = Path(__file__).parent / "data"
SOURCE_DIR = DATA / "onet"
TASK_FIELDS = [*TASK_COLUMNS, *OPTIONAL_TASK_COLUMNS]
OCCUPATION_FIELDS = OCCUPATION_COLUMNS
CORE_WEIGHT = 2.0  # a core task takes about twice the time of a supplemental one


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def occupation_id(soc: str) -> str:
    return "onet_" + soc.replace("-", "_").replace(".", "_")


def build(source_dir: Path = SOURCE_DIR) -> dict[str, tuple[list[dict], list[dict]]]:
    """{"onet": (occupations, tasks), "dev": (occupations, tasks)} from the label files."""
    selection = _rows(source_dir / "selection.csv")
    labels: dict[str, dict[str, str]] = {}
    for path in sorted(source_dir.glob("labels_*.csv")):
        for label_row in _rows(path):
            labels[label_row["onet_task_id"]] = label_row
    isco: dict[str, dict[str, str]] = {}
    for path in sorted(source_dir.glob("isco_*.csv")):
        for isco_row in _rows(path):
            isco[isco_row["onet_soc"]] = isco_row

    # O*NET repeats some statements word for word across occupations; one that is in the
    # development set is kept out of training, so no dev statement is ever trained on.
    dev_texts = {s["text"].strip().lower() for s in selection if s["split"] == "dev"}
    out: dict[str, tuple[list[dict], list[dict]]] = {"onet": ([], []), "dev": ([], [])}
    seen_occupations: set[str] = set()
    by_occupation: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for sel in selection:
        label, occ = labels.get(sel["onet_task_id"]), isco.get(sel["onet_soc"])
        if label is None or occ is None:
            continue  # not labelled yet
        target = "dev" if sel["split"] == "dev" else "onet"
        if target == "onet" and sel["text"].strip().lower() in dev_texts:
            continue
        occ_id = occupation_id(sel["onet_soc"])
        if occ_id not in seen_occupations:
            seen_occupations.add(occ_id)
            out[target][0].append(
                {
                    "occupation_id": occ_id,
                    "isco08": occ["isco08"],
                    "title_en": sel["occupation"],
                    "title_de": occ["title_de"],
                    "synonyms_en": "",
                    "synonyms_de": "",
                }
            )
        pair_id = f"onet-{sel['onet_task_id']}"
        texts = {"en": sel["text"], "de": label.get("text_de", "").strip()}
        for lang, text in texts.items():
            if not text:
                continue
            row: dict[str, object] = {
                "task_id": f"{pair_id}-{lang}",
                "occupation_id": occ_id,
                "pair_id": pair_id,
                "lang": lang,
                "text": text,
                "degree": label["degree"],
                "category": label["category"],
                "source": f"onet-29.3:{sel['onet_task_id']}",
                "share": "",
                "_weight": CORE_WEIGHT if sel["task_type"] == "Core" else 1.0,
            }
            out[target][1].append(row)
            by_occupation[(occ_id, lang)].append(row)
    for rows in by_occupation.values():
        total = sum(r["_weight"] for r in rows)
        for r in rows:
            r["share"] = f"{r.pop('_weight') / total:.4f}"
    return out


def write(out: dict[str, tuple[list[dict], list[dict]]], data: Path = DATA) -> None:
    for name, (occupations, tasks) in out.items():
        target = data / name
        target.mkdir(parents=True, exist_ok=True)
        for path, fields, rows in (
            (target / "occupations.csv", OCCUPATION_FIELDS, occupations),
            (target / "tasks.csv", TASK_FIELDS, tasks),
        ):
            with open(path, "w", encoding="utf-8", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=fields)
                writer.writeheader()
                writer.writerows(rows)
        langs: defaultdict[str, int] = defaultdict(int)
        for r in tasks:
            langs[r["lang"]] += 1
        print(f"{target}: {len(occupations)} occupations, {dict(langs)} statements")


if __name__ == "__main__":
    write(build(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE_DIR))
