"""Stream CSV/Parquet files of roles through :func:`risk_service.batch.records.score_records`.

Reads and writes one chunk at a time, so memory stays flat however large the file; the output
keeps input order. A progress bar shows on a terminal only. CSV is read and written with the
standard library's ``csv`` module (as pandas' writer does: minimal quoting, ``\\n``), so a
CSV-in/CSV-out run imports neither pandas nor pyarrow; Parquet needs pyarrow.

CSV output is neutralised against formula injection (:func:`safe_text`): a text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a
spreadsheet shows it as text instead of evaluating it. Parquet output is typed and left as is.
"""

from __future__ import annotations

import csv
import math
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from risk_service.batch.records import COLUMNS, SCORE_BATCH, score_records
from risk_service.taskmodel import TaskModel

if TYPE_CHECKING:
    import pandas as pd

# What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A cell may hold a whole job ad; the csv module's default limit (131,072 characters) would
# stop the file at one long cell instead of answering that row with its length error.
_MAX_CELL_CHARS = 64 * 2**20
OUTPUT_HEADER = ["id", *COLUMNS]


class InputError(ValueError):
    """The input file cannot be scored (format, columns)."""


def safe_text(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would evaluate it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would evaluate prefixed by ``'``.

    Numeric columns are untouched (a negative score is not text); only object/string columns,
    e.g. ``id`` or ``error``, which can carry what the input file held.
    """
    import pandas as pd

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


def _unique(header: list[str]) -> list[str]:
    """Column names as pandas reads them: a repeated name gets ``.1``, ``.2``, … (the first
    ``title`` is the title)."""
    seen: dict[str, int] = {}
    out = []
    for name in header:
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(name if n == 0 else f"{name}.{n}")
    return out


def _csv_chunks(path: Path, chunk_size: int) -> Iterator[list[dict]]:
    """Rows of a CSV file as dicts of text (a missing trailing cell is ``None``), in chunks.

    Blank lines are skipped, as pandas does; a row with more cells than the header is an
    :class:`InputError` naming its line.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_CELL_CHARS))
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = _unique(next(reader, []))
            _check_columns(path, header)
            width = len(header)
            chunk: list[dict] = []
            for cells in reader:
                if not cells:
                    continue
                if len(cells) > width:
                    raise InputError(
                        f"{path}, line {reader.line_num}: {len(cells)} cells, the header has "
                        f"{width}"
                    )
                chunk.append(dict(zip(header, cells, strict=False)))
                if len(chunk) == chunk_size:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc})") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a CSV file this reader understands ({exc})") from None


def _parquet_chunks(path: Path, chunk_size: int) -> Iterator[list[dict]]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(path)
    _check_columns(path, parquet.schema_arrow.names)
    for batch in parquet.iter_batches(batch_size=chunk_size):
        rows = batch.to_pylist()
        for row in rows:  # ids are text in the output whatever the input's type
            row["id"] = str(row["id"])
        yield rows


def read_chunks(path: Path, chunk_size: int) -> Iterator[list[dict]]:
    """The file's rows (dicts keyed by column) ``chunk_size`` at a time; checks the columns."""
    if _kind(path) == "csv":
        return _csv_chunks(path, chunk_size)
    return _parquet_chunks(path, chunk_size)


def read_all(path: Path) -> tuple[list[str], list[dict]]:
    """A whole (small) roles file, checked like the streamed ones: its columns and rows."""
    rows = [row for chunk in read_chunks(path, 100_000) for row in chunk]
    if _kind(path) == "csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            columns = _unique(next(csv.reader(fh), []))
    else:
        import pyarrow.parquet as pq

        columns = pq.ParquetFile(path).schema_arrow.names
    return columns, rows


def score_chunk(rows: list[Mapping], model: TaskModel) -> list[dict]:
    """A chunk of file rows → output rows: the input's ``id`` and :data:`COLUMNS`."""
    return [
        {"id": row.get("id"), **scored}
        for row, scored in zip(rows, score_records(rows, model), strict=True)
    ]


def count_rows(path: Path) -> int | None:
    """Row count for the progress bar (cheap for Parquet; unknown for CSV)."""
    if _kind(path) == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    return None


def _csv_cell(value: object) -> object:
    """A cell as pandas' ``to_csv`` writes it after :func:`csv_safe`: a missing number empty,
    text made formula-safe, numbers as they are (the csv module writes ``repr``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return value


class _CsvOutput:
    def __init__(self, path: Path) -> None:
        self.fh = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.fh, lineterminator="\n")
        self.writer.writerow(OUTPUT_HEADER)

    def write(self, rows: list[dict]) -> None:
        self.writer.writerows([_csv_cell(row[c]) for c in OUTPUT_HEADER] for row in rows)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


class _ParquetOutput:
    def __init__(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"str": pa.string(), "float64": pa.float64(), "int64": pa.int64()}
        self.schema = pa.schema([(c, types[t]) for c, t in {"id": "str", **COLUMNS}.items()])
        self.table = pa.Table.from_pylist
        self.writer = pq.ParquetWriter(path, self.schema)

    def write(self, rows: list[dict]) -> None:
        self.writer.write_table(self.table(rows, schema=self.schema))

    def flush(self) -> None:
        pass  # a Parquet file is readable only once closed (its footer)

    def close(self) -> None:
        self.writer.close()


def score_file(
    input_path: Path, output_path: Path, model: TaskModel, chunk_size: int = 5_000
) -> int:
    """Score ``input_path`` into ``output_path``; returns the number of rows written.

    The output is written to ``<output>.part`` and renamed when complete, so a failed run
    never leaves a truncated file under the output's name.
    """
    output_class = _CsvOutput if _kind(output_path) == "csv" else _ParquetOutput
    chunks = read_chunks(input_path, chunk_size)
    tmp = output_path.with_name(output_path.name + ".part")
    output = None
    rows = 0
    progress = _progress(count_rows(input_path))
    done = False
    try:
        for chunk in chunks:
            # Written as scored: a chunk's output rows are never all held at once.
            for start in range(0, len(chunk), SCORE_BATCH):
                scored = score_chunk(chunk[start : start + SCORE_BATCH], model)
                if output is None:
                    output = output_class(tmp)
                output.write(scored)
                rows += len(scored)
                if progress is not None:
                    progress.update(len(scored))
            if output is not None:
                output.flush()  # a chunk is on disk before the next one is read
        if rows == 0:
            raise InputError(f"{input_path}: no rows")
        done = True
    finally:
        if progress is not None:
            progress.close()
        if output is not None:
            output.close()
        if not done:
            tmp.unlink(missing_ok=True)
    tmp.replace(output_path)
    return rows


def _progress(total: int | None):
    """A tqdm bar on a terminal (where the ``batch`` extra installed tqdm); None otherwise,
    without importing it."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None

    return tqdm(total=total, unit="rows")
