"""Importers that turn public occupation databases into corpus files (``--data`` directories).

* :mod:`training.importers.onet` — O*NET text release → occupations and weakly labelled tasks;
* :mod:`training.importers.esco` — ESCO occupations export → occupations (titles, synonyms).

Both write ``occupations.csv`` and ``tasks.csv`` in the format of :mod:`training.corpus`, so
``risk-service train --data training/data --data OUTDIR`` trains on our corpus plus the import.
Every error names the file, the row (header = row 1) and the column, like the corpus loader.
Imported data is third-party data: it is written where the analyst says, never into the repo.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import pandas as pd

from training.corpus import OCCUPATION_COLUMNS, TASK_COLUMNS, locate

# The corpus loader's rule: 4 digits, major groups 1-9, armed forces 0110-0310.
ISCO08 = re.compile(r"^[1-9]\d{3}$|^0[1-3]\d{2}$")


class SourceError(ValueError):
    """An input file cannot be imported; the message says where and why."""


def fail(path: Path, row: int | None, column: str | None, msg: str) -> None:
    """Raise :class:`SourceError` naming the file, row and column."""
    raise SourceError(f"{locate(path, row, column)}: {msg}")


def read_table(path: Path, required: Sequence[str], *, delimiter: str) -> pd.DataFrame:
    """Read the ``required`` columns of a delimited UTF-8 file, checking every row's width.

    Parameters
    ----------
    path : Path
        The file.
    required : sequence of str
        Columns that must be in the header; only these are kept (a full O*NET Work Context
        file has 300,000 rows of 15 columns, of which the importer needs four).
    delimiter : str
        ``"\\t"`` for the O*NET text release (no quoting: a ``"`` is part of the text),
        ``","`` for CSV exports with quoted, possibly multi-line fields.

    Returns
    -------
    DataFrame
        The ``required`` columns as ``str``; the index is the row number as a spreadsheet
        shows it (header = row 1, one row per record), which is what error messages report.
    """
    if not path.is_file():
        fail(path, None, None, "file not found")
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    rows, numbers, number = [], [], 1
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter, quoting=quoting, strict=True)
            header = [name.strip() for name in next(reader, [])]
            if not any(header):
                fail(path, 1, None, "empty file, expected a header row")
            missing = [c for c in required if c not in header]
            if missing:
                fail(path, 1, missing[0], f"missing column(s) {missing}; the header has {header}")
            keep = [header.index(c) for c in required]
            for number, record in enumerate(reader, start=2):
                if not record or record == [""]:
                    continue  # trailing blank line
                if len(record) != len(header):
                    fail(path, number, None, f"expected {len(header)} fields, found {len(record)}")
                rows.append([record[i] for i in keep])
                numbers.append(number)
    except UnicodeDecodeError as exc:
        fail(path, None, None, f"not UTF-8 text ({exc.reason})")
    except csv.Error as exc:
        fail(path, number + 1, None, f"not a readable delimited file ({exc})")
    # object columns: building pyarrow-backed strings row by row is several times slower here
    index = pd.Index(numbers, name="row")
    return pd.DataFrame(rows, columns=list(required), index=index, dtype=object)


def parse_number(path: Path, row: int, column: str, value: str, lo: float, hi: float) -> float:
    """``value`` as a float in ``[lo, hi]``, or a :class:`SourceError` naming the cell."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not lo <= number <= hi:  # also catches NaN
        fail(path, row, column, f"{value!r} is not a number from {lo:g} to {hi:g}")
    return number


def write_corpus(
    output: str | Path, occupations: pd.DataFrame, tasks: pd.DataFrame, *, force: bool = False
) -> Path:
    """Write ``occupations.csv`` and ``tasks.csv`` into ``output`` (created if missing).

    Refuses to overwrite existing corpus files unless ``force``: pointing ``--output`` at a
    real data directory (ours included) by mistake must not replace it.
    """
    output = Path(output)
    targets = [output / "occupations.csv", output / "tasks.csv"]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise SourceError(f"{existing[0]} exists; pass --force to overwrite it")
    output.mkdir(parents=True, exist_ok=True)
    occupations[OCCUPATION_COLUMNS].to_csv(targets[0], index=False, encoding="utf-8")
    tasks[TASK_COLUMNS].to_csv(targets[1], index=False, encoding="utf-8")
    return output
