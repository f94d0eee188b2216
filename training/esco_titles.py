"""ESCO v1.2 occupations (``training/data/esco/``) as the title index's input.

The files are the official ESCO CSV export trimmed to the columns the index needs
(``conceptUri, iscoGroup, preferredLabel, altLabels, hiddenLabels``; released occupations only);
``altLabels`` and ``hiddenLabels`` hold one label per line. Attribution:
``training/data/esco/README.md``.

``corrections.csv`` holds the few places where ESCO files an occupation, or one of its labels in
one language, under another ISCO-08 unit group than ISCO-08's own definitions put it (each row
says why): ``isco08`` moves the occupation to the unit group ``value``; ``drop_label`` takes the
label ``value`` (and every label of that occupation in that language that normalises like it)
out of the index: it names another occupation, so a title that is it finds that one. The
occupation's labels shown in answers stay ESCO's.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd

from risk_service.occupations import LANGUAGES, MIN_TASKS
from risk_service.text import normalise_title
from training.corpus import Corpus

ESCO_DIR = Path(__file__).parent / "data" / "esco"
COLUMNS = ["conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels"]
CORRECTIONS = ["esco_uri", "label_en", "change", "lang", "value", "reason"]


def _labels(cell: str) -> list[str]:
    return [line.strip() for line in cell.splitlines() if line.strip()]


@functools.cache
def load_esco(directory: Path = ESCO_DIR) -> pd.DataFrame:
    """One row per ESCO occupation: ``esco_uri``, ``isco08``, ``label_<lang>``, ``alt_<lang>``
    and ``hidden_<lang>`` (lists) for German and English, sorted by URI."""
    frames = []
    for lang in ("de", "en"):
        path = directory / f"occupations_{lang}.csv"
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        missing = [c for c in COLUMNS if c not in table.columns]
        if missing:
            raise ValueError(f"{path}: missing column(s) {missing}")
        frames.append(
            pd.DataFrame(
                {
                    "esco_uri": table["conceptUri"],
                    f"isco08_{lang}": table["iscoGroup"],
                    f"label_{lang}": table["preferredLabel"].str.strip(),
                    f"alt_{lang}": table["altLabels"].map(_labels),
                    f"hidden_{lang}": table["hiddenLabels"].map(_labels),
                }
            ).set_index("esco_uri")
        )
    de, en = frames
    if set(de.index) != set(en.index):
        raise ValueError(f"{directory}: the German and English files list different occupations")
    both = en.join(de)
    if (both["isco08_de"] != both["isco08_en"]).any():
        raise ValueError(f"{directory}: an occupation has two ISCO-08 codes")
    both = both.rename(columns={"isco08_en": "isco08"}).drop(columns="isco08_de")
    return _corrected(both, directory / "corrections.csv").sort_index().reset_index()


def _corrected(esco: pd.DataFrame, path: Path) -> pd.DataFrame:
    """``esco`` (indexed by URI) with the rows of ``corrections.csv`` applied: unit groups
    moved, labels that name other occupations listed (normalised) in ``dropped_<lang>``."""
    for lang in LANGUAGES:
        esco[f"dropped_{lang}"] = [[] for _ in range(len(esco))]
    if not path.exists():
        return esco
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in CORRECTIONS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    for line, row in enumerate(table.itertuples(index=False), start=2):
        where = f"{path}, line {line}"
        if row.esco_uri not in esco.index:
            raise ValueError(f"{where}: no ESCO occupation {row.esco_uri}")
        if esco.at[row.esco_uri, "label_en"] != row.label_en:
            raise ValueError(f"{where}: {row.esco_uri} is not {row.label_en!r}")
        if row.change == "isco08":
            if row.value not in set(esco["isco08"]):
                raise ValueError(f"{where}: {row.value} is not a unit group ESCO uses")
            esco.at[row.esco_uri, "isco08"] = row.value
        elif row.change == "drop_label" and row.lang in LANGUAGES:
            name = normalise_title(row.value)
            labels = [esco.at[row.esco_uri, f"label_{row.lang}"]]
            labels += esco.at[row.esco_uri, f"alt_{row.lang}"]
            if name not in {normalise_title(label) for label in labels}:
                raise ValueError(f"{where}: {row.value!r} is not a visible label of the occupation")
            esco.at[row.esco_uri, f"dropped_{row.lang}"].append(name)
        else:
            raise ValueError(f"{where}: change {row.change!r} / lang {row.lang!r} not understood")
    return esco


def unit_group_coverage(corpus: Corpus, min_tasks: int = MIN_TASKS) -> dict:
    """How many of ESCO's ISCO-08 unit groups have a corpus occupation with at least
    ``min_tasks`` statements in each language (a title-only score of those is built from tasks
    of its own unit group), and how many have one at all."""
    groups = set(load_esco()["isco08"])
    counts = corpus.tasks.groupby(["occupation_id", "lang"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(LANGUAGES), fill_value=0)
    isco = corpus.occupations.set_index("occupation_id")["isco08"]
    thick = set(isco.reindex(counts.index[(counts >= min_tasks).all(axis=1)]))
    present = set(isco.reindex(counts.index[(counts > 0).all(axis=1)]))
    return {
        "esco_unit_groups": len(groups),
        f"with_{min_tasks}_tasks_per_language": len(groups & thick),
        "with_any_corpus_occupation": len(groups & present),
        "missing": sorted(groups - present),
    }
