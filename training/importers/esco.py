"""ESCO occupations export → occupations (titles and synonyms) for title matching.

Input: the ``occupations_<lang>.csv`` file of the ESCO CSV download (v1.1/v1.2 header:
``conceptType, conceptUri, iscoGroup, preferredLabel, altLabels, hiddenLabels, status,
modifiedDate, regulatedProfessionNote, scopeNote, definition, inScheme, description, code``).
Only ``conceptType``, ``conceptUri``, ``iscoGroup``, ``preferredLabel``, ``altLabels`` and
``status`` are required.

Rules:

* rows with ``conceptType`` "Occupation" and ``status`` "released" are imported;
* ``isco08`` = ``iscoGroup`` (the 4-digit ISCO-08 unit group); ``occupation_id`` =
  ``esco_`` + the last segment of ``conceptUri``;
* ``preferredLabel`` → title, ``altLabels`` (one label per line in the export) → synonyms,
  ``|``-joined, duplicates and the title itself removed; ``hiddenLabels`` (misspellings and
  search terms) are left out;
* the main file is English or German (``lang``); with English plus ``de_path`` the German file
  is joined on ``conceptUri``. A language without labels repeats the other language's title
  (the corpus requires both titles) and has no synonyms; the report counts such occupations.

The export holds no task statements, so ``tasks.csv`` is written with its header only: the
occupations extend title matching, but ``risk-service train --data`` needs task statements
from another directory (our corpus, an O*NET import) to fit the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from training.corpus import TASK_COLUMNS
from training.importers import ISCO08, SourceError, fail, read_table

REQUIRED = ["conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "status"]
LANGUAGES = ("en", "de")


@dataclass
class EscoReport:
    """What an import read, wrote and skipped (printed by the CLI)."""

    rows_read: int = 0
    occupations_written: int = 0
    skipped_not_released: int = 0
    title_repeated: int = 0  # occupations without labels in the other language
    synonyms_en: int = 0
    synonyms_de: int = 0


def _labels(text: str, title: str) -> list[str]:
    seen = {title.casefold()}
    labels = []
    for line in text.splitlines():
        # "|" separates synonyms in the corpus, so it cannot stay inside one label.
        label = " ".join(line.replace("|", "/").split())
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            labels.append(label)
    return labels


def read_occupations(path: str | Path) -> tuple[pd.DataFrame, int, int]:
    """Released occupations of one ESCO export, checked cell by cell.

    Returns
    -------
    frame : DataFrame
        Index ``conceptUri``; columns ``isco08``, ``title``, ``synonyms`` (list of str).
    rows_read, skipped : int
        Data rows in the file, and rows that are not released occupations.
    """
    path = Path(path)
    table = read_table(path, REQUIRED, delimiter=",")
    keep = (table["conceptType"].str.strip() == "Occupation") & (
        table["status"].str.strip() == "released"
    )
    records = {}
    for row, record in table[keep].iterrows():
        uri, isco = record["conceptUri"].strip(), record["iscoGroup"].strip()
        title = " ".join(record["preferredLabel"].split())
        if not uri.rstrip("/").rsplit("/", 1)[-1]:
            fail(path, row, "conceptUri", "empty")
        if not ISCO08.match(isco):
            fail(path, row, "iscoGroup", f"{isco!r} is not a 4-digit ISCO-08 code")
        if not title:
            fail(path, row, "preferredLabel", "empty")
        if uri in records:
            fail(path, row, "conceptUri", f"duplicate {uri!r}")
        records[uri] = {
            "isco08": isco,
            "title": title.replace("|", "/"),
            "synonyms": _labels(record["altLabels"], title),
        }
    frame = pd.DataFrame.from_dict(records, orient="index", columns=["isco08", "title", "synonyms"])
    return frame, len(table), int((~keep).sum())


def import_esco(
    path: str | Path, lang: str = "en", de_path: str | Path | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, EscoReport]:
    """Build corpus occupation rows (and an empty task table) from ESCO exports.

    Parameters
    ----------
    path : str or Path
        ``occupations_en.csv`` or ``occupations_de.csv``.
    lang : {"en", "de"}
        Language of ``path``.
    de_path : str or Path, optional
        ``occupations_de.csv`` joined on ``conceptUri`` when ``path`` is English.

    Returns
    -------
    occupations, tasks : DataFrame
        Corpus rows; ``tasks`` has the corpus columns and no rows.
    report : EscoReport

    Raises
    ------
    SourceError
        A file is missing or malformed; the message names file, row and column.
    ValueError
        ``lang`` is not "en"/"de", or ``de_path`` is given with a German main file.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
    if de_path is not None and lang != "en":
        raise ValueError("de_path joins German labels onto an English file; the file is German")
    main, rows_read, skipped = read_occupations(path)
    report = EscoReport(rows_read=rows_read, skipped_not_released=skipped)
    other = None
    if de_path is not None:
        other, _, _ = read_occupations(de_path)
    rows = []
    for uri, occ in main.iterrows():
        labels = {lang: (occ["title"], occ["synonyms"])}
        if other is not None and uri in other.index:
            labels["de"] = (other.at[uri, "title"], other.at[uri, "synonyms"])
        for missing in set(LANGUAGES) - set(labels):
            labels[missing] = (occ["title"], [])
            report.title_repeated += 1
        rows.append(
            {
                "occupation_id": f"esco_{uri.rstrip('/').rsplit('/', 1)[-1]}",
                "isco08": occ["isco08"],
                "title_en": labels["en"][0],
                "title_de": labels["de"][0],
                "synonyms_en": "|".join(labels["en"][1]),
                "synonyms_de": "|".join(labels["de"][1]),
            }
        )
    if not rows:
        raise SourceError(f"{path}: no released occupations (conceptType 'Occupation')")
    occupations = pd.DataFrame(rows)
    report.occupations_written = len(occupations)
    report.synonyms_en = int(occupations["synonyms_en"].str.count(r"[^|]+").sum())
    report.synonyms_de = int(occupations["synonyms_de"].str.count(r"[^|]+").sum())
    return occupations, pd.DataFrame(columns=TASK_COLUMNS), report
