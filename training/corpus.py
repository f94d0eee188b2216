"""Load the labelled corpus (``occupations.csv``, ``tasks.csv``, and parts such as
``occupations_coverage.csv`` with ``tasks_coverage.csv``) with schema checks.

Every error names the file, the row (1-based, header = row 1) and the column, so an analyst
editing a spreadsheet finds it at once. Several ``--data`` directories are concatenated (our
corpus plus imported O*NET/ESCO output or feedback exports).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from risk_service.taskmodel import CATEGORIES

OCCUPATION_COLUMNS = [
    "occupation_id",
    "isco08",
    "title_en",
    "title_de",
    "synonyms_en",
    "synonyms_de",
]
TASK_COLUMNS = ["task_id", "occupation_id", "pair_id", "lang", "text", "degree", "category"]
# Optional (DESIGN §6): where a statement comes from ("own" or "onet-29.3:<Task ID>") and its
# typical share of the occupation's working time in its language.
OPTIONAL_TASK_COLUMNS = {"source": "own", "share": ""}
_ISCO = re.compile(r"^[1-9]\d{3}$|^0[1-3]\d{2}$")  # major groups 1-9, armed forces 0


class CorpusError(ValueError):
    """A corpus file breaks the schema."""


@dataclass
class Corpus:
    occupations: pd.DataFrame
    tasks: pd.DataFrame
    data_hash: str

    @property
    def labelled(self) -> pd.DataFrame:
        """Tasks with their rule-based target and ISCO major group."""
        tasks = self.tasks.copy()
        tasks["rule_based"] = (tasks["degree"] >= 3).astype(int)
        isco = self.occupations.set_index("occupation_id")["isco08"]
        tasks["isco08"] = tasks["occupation_id"].map(isco)
        tasks["isco_major"] = tasks["isco08"].str[0]
        return tasks


def locate(path: Path, row: int | None, column: str | None) -> str:
    """ "file, row N, column 'c'" — how every data error says where it is."""
    where = f"{path}"
    if row is not None:
        where += f", row {row}"
    if column is not None:
        where += f", column {column!r}"
    return where


def _fail(path: Path, row: int | None, column: str | None, msg: str) -> None:
    raise CorpusError(f"{locate(path, row, column)}: {msg}")


def _read(path: Path, columns: list[str], optional: dict[str, str] | None = None) -> pd.DataFrame:
    if not path.is_file():
        _fail(path, None, None, "file not found")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        _fail(path, None, None, f"not a readable UTF-8 CSV ({exc})")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        _fail(path, 1, missing[0], f"missing column(s) {missing}")
    for column, default in (optional or {}).items():
        if column not in frame.columns:
            frame[column] = default
    return frame[columns + list(optional or {})]


def _check_occupations(path: Path, occ: pd.DataFrame) -> None:
    for i, row in enumerate(occ.itertuples(index=False), start=2):
        for column in ("occupation_id", "isco08", "title_en", "title_de"):
            if not getattr(row, column).strip():
                _fail(path, i, column, "empty")
        if not _ISCO.match(row.isco08):
            _fail(path, i, "isco08", f"{row.isco08!r} is not a 4-digit ISCO-08 code")
    dup = occ["occupation_id"].duplicated()
    if dup.any():
        _fail(path, int(dup.idxmax()) + 2, "occupation_id", "duplicate id")


def _check_tasks(path: Path, tasks: pd.DataFrame, known: set[str]) -> pd.DataFrame:
    for i, row in enumerate(tasks.itertuples(index=False), start=2):
        if not row.text.strip():
            _fail(path, i, "text", "empty")
        if row.lang not in ("de", "en"):
            _fail(path, i, "lang", f"{row.lang!r} is not 'de' or 'en'")
        if row.degree not in ("0", "1", "2", "3", "4"):
            _fail(path, i, "degree", f"{row.degree!r} is not an integer 0-4")
        if row.category not in CATEGORIES:
            _fail(path, i, "category", f"{row.category!r} is not one of {', '.join(CATEGORIES)}")
        if row.occupation_id not in known:
            _fail(path, i, "occupation_id", f"{row.occupation_id!r} is not in occupations.csv")
        if row.share:
            try:
                share = float(row.share)
            except ValueError:
                share = -1.0
            if not 0 < share <= 1:
                _fail(path, i, "share", f"{row.share!r} is not a share of working time in (0, 1]")
    dup = tasks["task_id"].duplicated()
    if dup.any():
        _fail(path, int(dup.idxmax()) + 2, "task_id", "duplicate id")
    tasks = tasks.copy()
    tasks["degree"] = tasks["degree"].astype(int)
    tasks["source"] = tasks["source"].replace("", "own")
    return tasks


def data_files(directory: str | Path) -> list[tuple[Path, Path]]:
    """The (occupations, tasks) file pairs of a data directory: ``occupations.csv`` with
    ``tasks.csv``, then each ``occupations_<part>.csv`` with its ``tasks_<part>.csv`` (parts
    added by another author than the main files', e.g. ``_coverage``), sorted by part."""
    directory = Path(directory)
    pairs = [(directory / "occupations.csv", directory / "tasks.csv")]
    for occ_path in sorted(directory.glob("occupations_*.csv")):
        part = occ_path.name.removeprefix("occupations_")
        task_path = directory / f"tasks_{part}"
        if not task_path.is_file():
            _fail(task_path, None, None, f"file not found (the tasks of {occ_path.name})")
        pairs.append((occ_path, task_path))
    return pairs


def load_corpus(*dirs: str | Path) -> Corpus:
    """Load and schema-check one or more data directories (every file pair of each,
    :func:`data_files`)."""
    occupations: list[pd.DataFrame] = []
    tasks: list[pd.DataFrame] = []
    digest = hashlib.sha256()
    for occ_path, task_path in (pair for d in dirs for pair in data_files(d)):
        occ = _read(occ_path, OCCUPATION_COLUMNS)
        _check_occupations(occ_path, occ)
        known = set(occ["occupation_id"]) | {o for f in occupations for o in f["occupation_id"]}
        occupations.append(occ)
        tasks.append(
            _check_tasks(task_path, _read(task_path, TASK_COLUMNS, OPTIONAL_TASK_COLUMNS), known)
        )
        digest.update(occ_path.read_bytes())
        digest.update(task_path.read_bytes())
    occ_all = pd.concat(occupations, ignore_index=True)
    if occ_all["occupation_id"].duplicated().any():
        dup = occ_all.loc[occ_all["occupation_id"].duplicated(), "occupation_id"].iloc[0]
        raise CorpusError(f"occupation_id {dup!r} appears in more than one data file")
    return Corpus(occ_all, pd.concat(tasks, ignore_index=True), digest.hexdigest())
