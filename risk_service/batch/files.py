"""Stream CSV/Parquet files of roles through :func:`risk_service.batch.frame.score_frame`.

Reads and writes one chunk at a time, so memory stays flat however large the file; the output
keeps input order. A progress bar shows on a terminal only.

CSV output is neutralised against formula injection (:func:`csv_safe`): a text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a
spreadsheet shows it as text instead of evaluating it. Parquet output is typed and left as is.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from risk_service.batch.frame import score_frame
from risk_service.taskmodel import TaskModel

# What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class InputError(ValueError):
    """The input file cannot be scored (format, columns)."""


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would evaluate prefixed by ``'``.

    Numeric columns are untouched (a negative score is not text); only object/string columns,
    e.g. ``id`` or ``error``, which can carry what the input file held.
    """
    text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if not text:
        return frame
    out = frame.copy()
    for column in text:
        values = out[column]
        risky = values.notna() & values.astype(str).str.startswith(_FORMULA_START)
        if risky.any():
            out.loc[risky, column] = "'" + values[risky].astype(str)
    return out


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    raise InputError(f"{path}: unknown file type {suffix!r}; use .csv or .parquet")


def _check_columns(path: Path, columns: list[str]) -> None:
    if "id" not in columns:
        raise InputError(f"{path}: missing column 'id'")
    if not {"title", "description", "tasks"} & set(columns):
        raise InputError(f"{path}: needs at least one of the columns title, description, tasks")


def read_chunks(path: Path, chunk_size: int) -> Iterator[pd.DataFrame]:
    kind = _kind(path)
    if kind == "csv":
        reader = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=chunk_size)
        for i, chunk in enumerate(reader):
            if i == 0:
                _check_columns(path, list(chunk.columns))
            yield chunk
    else:
        parquet = pq.ParquetFile(path)
        _check_columns(path, parquet.schema_arrow.names)
        for batch in parquet.iter_batches(batch_size=chunk_size):
            yield batch.to_pandas().astype({c: str for c in batch.schema.names if c == "id"})


def read_all(path: Path) -> pd.DataFrame:
    """A whole (small) roles file, checked like the streamed ones."""
    return pd.concat(list(read_chunks(path, 100_000)), ignore_index=True)


def count_rows(path: Path) -> int | None:
    """Row count for the progress bar (cheap for Parquet; a line count for CSV)."""
    if _kind(path) == "parquet":
        return pq.ParquetFile(path).metadata.num_rows
    return None


def score_file(
    input_path: Path, output_path: Path, model: TaskModel, chunk_size: int = 5_000
) -> int:
    """Score ``input_path`` into ``output_path``; returns the number of rows written."""
    out_kind = _kind(output_path)
    tmp = output_path.with_name(output_path.name + ".part")
    writer: pq.ParquetWriter | None = None
    rows = 0
    progress = tqdm(total=count_rows(input_path), unit="rows", disable=not sys.stderr.isatty())
    try:
        for chunk in read_chunks(input_path, chunk_size):
            scored = score_frame(chunk.reset_index(drop=True), model)
            if out_kind == "csv":
                csv_safe(scored).to_csv(
                    tmp, mode="w" if rows == 0 else "a", header=rows == 0, index=False
                )
            else:
                table = pa.Table.from_pandas(scored, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema)
                writer.write_table(table.cast(writer.schema))
            rows += len(scored)
            progress.update(len(scored))
        if rows == 0:
            raise InputError(f"{input_path}: no rows")
    finally:
        progress.close()
        if writer is not None:
            writer.close()
    tmp.replace(output_path)
    return rows
