"""Stream CSV/Parquet files of roles through :func:`risk_service.batch.records.score_records`,
into CSV, Parquet or JSON Lines.

Reads and writes one chunk at a time, so memory stays flat however large the file; the output
keeps input order and the input's other columns (a ``department`` column stays beside its
row's score). A progress bar with the total and the time left shows on a terminal (or when
asked). CSV is read and written with the standard library's ``csv`` module (as pandas' writer
does: minimal quoting, ``\\n``), so a CSV-in/CSV-out run imports neither pandas nor pyarrow;
Parquet needs pyarrow. JSON Lines output carries each row's full assessment, as
``POST /v1/score`` answers it.

CSV input: the separator (``,``, ``;`` as German Excel writes it, tab, ``|``) is read off the
header line and the encoding off the bytes (UTF-8 with or without BOM, UTF-16 with BOM; a file
that is not UTF-8 is read as Windows-1252, Excel's "CSV" on German Windows, and says so),
unless given (:func:`sniff_csv`). An empty, header-only, malformed or undecodable file is an
:class:`InputError` with one line saying what and where; nothing is left behind.

CSV output is neutralised against formula injection (:func:`safe_text`): a text cell starting
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a
spreadsheet shows it as text instead of evaluating it. Parquet output is typed and left as is.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import math
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from risk_service.batch.records import (
    COLUMNS,
    ROLE_COLUMNS,
    SCORE_BATCH,
    passed_columns,
    passthrough_record,
    score_records,
)
from risk_service.scoring import RoleError, score_rows
from risk_service.taskmodel import TaskModel

if TYPE_CHECKING:
    import pandas as pd

# What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A cell may hold a whole job ad; the csv module's default limit (131,072 characters) would
# stop the file at one long cell instead of answering that row with its length error.
_MAX_CELL_CHARS = 64 * 2**20
OUTPUT_HEADER = ["id", *COLUMNS]
FORMATS = ("csv", "parquet", "jsonl")
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# Column names the separator is recognised by in the header line.
_KNOWN_COLUMNS = {"id", *ROLE_COLUMNS, "headcount", "cost_per_fte"}
_SNIFF_BYTES = 1 << 16


class InputError(ValueError):
    """The input file cannot be scored (format, encoding, columns): one line for the user."""


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV file is read: its separator and encoding, and a note when either was
    detected rather than the default (the user may want to override it)."""

    sep: str = ","
    encoding: str = "utf-8-sig"
    note: str = ""


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
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    if suffix in (".parquet", ".pq"):
        return "parquet"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    raise InputError(f"{path}: unknown file type {suffix!r}; use .csv, .parquet or .jsonl")


def is_csv(path: Path) -> bool:
    """Whether ``path`` is read as CSV (an unknown extension is an :class:`InputError`)."""
    return _kind(path) == "csv"


def output_format(path: Path, given: str | None = None) -> str:
    """The output format: ``given`` (``--format``), else the one the file name ends in."""
    return given if given is not None else _kind(path)


def _first_undecodable(path: Path, codec: str) -> int | None:
    """The offset of the first byte of ``path`` that ``codec`` cannot decode, or None; read
    in blocks (a late umlaut is found, memory stays flat)."""
    decoder = codecs.getincrementaldecoder(codec)()
    offset = 0
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset
    return None


def _encoding(path: Path, head: bytes) -> tuple[str, str]:
    """(codec, note) of a CSV file: a BOM decides; else UTF-8 if the whole file decodes as
    UTF-8; else Windows-1252, with a note, if that decodes it; else an :class:`InputError`
    naming the first bad byte."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", ""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", ""
    if b"\x00" in head:
        raise InputError(
            f"{path}: not a text file (zero bytes; an Excel workbook? save it as CSV, or "
            "give --encoding)"
        )
    bad = _first_undecodable(path, "utf-8")
    if bad is None:
        return "utf-8-sig", ""  # as before: a BOM further on is not there; none is fine
    if _first_undecodable(path, "cp1252") is not None:
        with open(path, "rb") as fh:
            fh.seek(bad)
            byte = fh.read(1)[0]
        raise InputError(
            f"{path}: not UTF-8 (byte 0x{byte:02x} at offset {bad}); give its encoding with "
            "--encoding, e.g. --encoding latin-1"
        )
    return "cp1252", f"not UTF-8 (first at byte {bad}): read as Windows-1252"


def _separator(header: str) -> str:
    """The separator that splits the header line into the most known column names (ties:
    the most columns); a comma when none does."""
    best, best_key = ",", (0, 0)
    for sep in SEPARATORS:
        fields = next(csv.reader([header], delimiter=sep), [])
        known = sum(f.strip().lower() in _KNOWN_COLUMNS for f in fields)
        key = (known, len(fields))
        if known and key > best_key:
            best, best_key = sep, key
    return best


def sniff_csv(path: Path, sep: str | None = None, encoding: str | None = None) -> CsvDialect:
    """The :class:`CsvDialect` of ``path``: ``sep``/``encoding`` as given, else detected."""
    with open(path, "rb") as fh:
        head = fh.read(_SNIFF_BYTES)
    if not head.strip():
        raise InputError(f"{path}: the file is empty")
    note = ""
    if encoding is None:
        encoding, note = _encoding(path, head)
    else:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise InputError(f"--encoding {encoding!r}: unknown encoding") from None
        if encoding == "utf-8":
            encoding = "utf-8-sig"  # a BOM is not part of the first column's name
    try:
        text = head.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            shown = "utf-8" if encoding == "utf-8-sig" else encoding
            raise InputError(
                f"{path}: not {shown} (byte 0x{head[exc.start]:02x} at offset {exc.start})"
            ) from None
        text = head[: exc.start].decode(encoding)
    lines = text.lstrip("\ufeff").splitlines()
    if sep is None:
        sep = _separator(lines[0] if lines else "")
        if sep != ",":
            note = "; ".join(x for x in (note, f"separator {SEPARATORS[sep]}") if x)
    return CsvDialect(sep=sep, encoding=encoding, note=note)


def _check_columns(path: Path, columns: list[str]) -> None:
    if "id" not in columns:
        shown = ", ".join(repr(c) for c in columns[:6]) or "none"
        raise InputError(f"{path}: missing column 'id' (columns found: {shown})")
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


def _csv_chunks(path: Path, chunk_size: int, dialect: CsvDialect) -> Iterator[list[dict]]:
    """Rows of a CSV file as dicts of text (a missing trailing cell is ``None``), in chunks.

    Blank lines are skipped, as pandas does; a row with more cells than the header, or a
    quote left open, is an :class:`InputError` naming its line.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_CELL_CHARS))
    with (
        _reading_errors(path, dialect) as where,
        path.open(encoding=dialect.encoding, newline="") as fh,
    ):
        reader = csv.reader(fh, delimiter=dialect.sep, strict=True)
        where.append(reader)
        header = _unique([c.strip() for c in next(reader, [])])
        if not any(header):
            raise InputError(f"{path}: the file is empty")
        _check_columns(path, header)
        yield from _chunked(_dict_rows(reader, header, path), chunk_size)


def read_csv_range(
    path: Path, byte_range: tuple[int, int], header: list[str], dialect: CsvDialect, line: int
) -> list[dict]:
    """The rows of ``[start, end)`` of a CSV file (cut between records, after its header) as
    :func:`read_chunks` gives them; ``line`` is the physical line the range starts on, for
    errors. The Dask engine's workers read their partitions so."""
    start, end = byte_range
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_CELL_CHARS))
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    # A BOM can only open the file: a range after the header decodes as plain UTF-8.
    encoding = "utf-8" if dialect.encoding == "utf-8-sig" and start else dialect.encoding
    with _reading_errors(path, dialect, line - 1) as where:
        reader = csv.reader(io.StringIO(data.decode(encoding)), delimiter=dialect.sep, strict=True)
        where.append(reader)
        return list(_dict_rows(reader, header, path, line - 1))


@contextlib.contextmanager
def _reading_errors(path: Path, dialect: CsvDialect, lines_before: int = 0) -> Iterator[list[Any]]:
    """Decoding and CSV errors of a reader (appended to the yielded list) as one-line
    :class:`InputError` s naming the file and line."""
    where: list[Any] = []
    try:
        yield where
    except UnicodeDecodeError as exc:
        shown = "utf-8" if dialect.encoding == "utf-8-sig" else dialect.encoding
        raise InputError(
            f"{path}: not {shown} text ({exc.reason}); give the file's encoding with --encoding"
        ) from None
    except csv.Error as exc:
        line = f", line {lines_before + where[0].line_num}" if where else ""
        raise InputError(f"{path}{line}: malformed CSV ({exc})") from None


def _dict_rows(reader, header: list[str], path: Path, lines_before: int = 0) -> Iterator[dict]:
    width = len(header)
    for cells in reader:
        if not cells:
            continue
        if len(cells) > width:
            raise InputError(
                f"{path}, line {lines_before + reader.line_num}: {len(cells)} cells, the "
                f"header has {width}"
            )
        yield dict(zip(header, cells, strict=False))


def _chunked(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _parquet_file(path: Path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: not a Parquet file ({' '.join(str(exc).split())})") from None
    _check_columns(path, parquet.schema_arrow.names)
    return parquet


def _parquet_rows(batch) -> list[dict]:
    rows = batch.to_pylist()
    for row in rows:  # ids are text in the output whatever the input's type
        row["id"] = str(row["id"])
    return rows


def _parquet_chunks(path: Path, chunk_size: int) -> Iterator[list[dict]]:
    for batch in _parquet_file(path).iter_batches(batch_size=chunk_size):
        yield _parquet_rows(batch)


def read_row_groups(path: Path, groups: Sequence[int]) -> list[dict]:
    """The rows of some row groups of a Parquet file, as :func:`read_chunks` gives them."""
    return _parquet_rows(_parquet_file(path).read_row_groups(list(groups)))


def read_chunks(
    path: Path, chunk_size: int, dialect: CsvDialect | None = None
) -> Iterator[list[dict]]:
    """The file's rows (dicts keyed by column) ``chunk_size`` at a time; checks the columns."""
    kind = _kind(path)
    if kind == "csv":
        return _csv_chunks(path, chunk_size, dialect or sniff_csv(path))
    if kind == "parquet":
        return _parquet_chunks(path, chunk_size)
    raise InputError(f"{path}: roles are read from .csv or .parquet files")


def read_columns(path: Path, dialect: CsvDialect | None = None) -> list[str]:
    """The file's column names, as :func:`read_chunks` keys its rows."""
    if _kind(path) == "csv":
        dialect = dialect or sniff_csv(path)
        with path.open(encoding=dialect.encoding, newline="") as fh:
            return _unique([c.strip() for c in next(csv.reader(fh, delimiter=dialect.sep), [])])
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).schema_arrow.names


def read_all(path: Path, dialect: CsvDialect | None = None) -> tuple[list[str], list[dict]]:
    """A whole (small) roles file, checked like the streamed ones: its columns and rows."""
    if _kind(path) == "csv":
        dialect = dialect or sniff_csv(path)
    rows = [row for chunk in read_chunks(path, 100_000, dialect) for row in chunk]
    if not rows:
        raise InputError(f"{path}: a header but no rows")
    return read_columns(path, dialect), rows


def score_chunk(rows: Sequence[Mapping], model: TaskModel) -> list[dict]:
    """A chunk of file rows → output rows: the input's ``id`` and :data:`COLUMNS`."""
    return [
        {"id": row.get("id"), **scored}
        for row, scored in zip(rows, score_records(rows, model), strict=True)
    ]


def count_rows(path: Path, dialect: CsvDialect | None = None) -> int | None:
    """The number of rows, for the progress bar's total: Parquet's metadata, or one pass of
    the csv module over a CSV file (quoted line breaks counted right, blank lines not; cheap
    next to scoring)."""
    if _kind(path) == "parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    dialect = dialect or sniff_csv(path)
    try:
        with path.open(encoding=dialect.encoding, newline="") as fh:
            rows = sum(1 for cells in csv.reader(fh, delimiter=dialect.sep) if cells)
        return max(0, rows - 1)
    except (UnicodeDecodeError, csv.Error):
        return None  # the reader says what is wrong


@dataclass(frozen=True)
class OutputPlan:
    """What an output holds, decided once from the input's columns: its format, header (``id``,
    the input's other columns under their output names, then :data:`COLUMNS`), the renaming
    of those columns, their Parquet types, and the CSV separator."""

    kind: str  # "csv" | "parquet" | "jsonl"
    header: list[str]
    renamed: dict[str, str]
    types: dict | None = None
    sep: str = ","


def plan_output(
    input_path: Path,
    output_path: Path,
    out_format: str | None = None,
    dialect: CsvDialect | None = None,
) -> tuple[OutputPlan, CsvDialect | None]:
    """The :class:`OutputPlan` of scoring ``input_path`` into ``output_path``, and the input's
    CSV dialect (detected unless given; None for Parquet)."""
    kind = output_format(output_path, out_format)
    if kind not in _OUTPUTS:
        raise InputError(f"{output_path}: unknown output format {kind!r}")
    if _kind(input_path) == "csv" and dialect is None:
        dialect = sniff_csv(input_path)
    renamed = passed_columns(read_columns(input_path, dialect), set(OUTPUT_HEADER))
    types = (
        {renamed[c]: t for c, t in _parquet_types(input_path).items() if c in renamed}
        if _kind(input_path) == "parquet"
        else None
    )
    header = ["id", *renamed.values(), *COLUMNS]
    return OutputPlan(kind, header, renamed, types, dialect.sep if dialect else ","), dialect


def output_rows(rows: Sequence[Mapping], model: TaskModel, plan: OutputPlan) -> list[dict]:
    """Rows of the input (at most :data:`SCORE_BATCH`) → the output's rows: for CSV and
    Parquet the ``id``, the other columns and :data:`COLUMNS`; for JSON Lines the full
    assessments."""
    if plan.kind == "jsonl":
        return _assessed_chunk(rows, model)
    scored = score_chunk(rows, model)
    if plan.renamed:  # the row's other columns beside its score
        for row, out in zip(rows, scored, strict=True):
            out.update({new: row.get(old) for old, new in plan.renamed.items()})
    return scored


def render(rows: list[dict], plan: OutputPlan) -> Any:
    """Output rows in the output's own form: CSV text (without the header), an Arrow table,
    or JSON Lines bytes; :meth:`open_output`'s ``write`` takes it. Workers render what they
    scored, the writer only appends."""
    if plan.kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=plan.sep, lineterminator="\n")
        writer.writerows([_csv_cell(row[c]) for c in plan.header] for row in rows)
        return buffer.getvalue()
    if plan.kind == "parquet":
        import pyarrow as pa

        return pa.Table.from_pylist(rows, schema=_parquet_schema(plan))
    return b"".join(orjson.dumps(row) + b"\n" for row in rows)


def open_output(path: Path, plan: OutputPlan) -> Any:
    """A writer of ``plan``'s format at ``path``: ``write(rendered)``, ``flush()``, ``close()``."""
    return _OUTPUTS[plan.kind](path, plan)


def _parquet_schema(plan: OutputPlan):
    import pyarrow as pa

    known = {"str": pa.string(), "float64": pa.float64(), "int64": pa.int64()}
    given = plan.types or {}  # passed-through columns: their Parquet type, else text
    return pa.schema(
        [(c, known[COLUMNS[c]] if c in COLUMNS else given.get(c, pa.string())) for c in plan.header]
    )


def _csv_cell(value: object) -> object:
    """A cell as pandas' ``to_csv`` writes it after :func:`csv_safe`: a missing number empty,
    text made formula-safe, numbers as they are (the csv module writes ``repr``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return safe_text(value)
    return value


class _CsvOutput:
    def __init__(self, path: Path, plan: OutputPlan) -> None:
        self.fh = path.open("w", encoding="utf-8", newline="")
        csv.writer(self.fh, delimiter=plan.sep, lineterminator="\n").writerow(plan.header)

    def write(self, text: str) -> None:
        self.fh.write(text)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


class _ParquetOutput:
    def __init__(self, path: Path, plan: OutputPlan) -> None:
        import pyarrow.parquet as pq

        self.writer = pq.ParquetWriter(path, _parquet_schema(plan))

    def write(self, table) -> None:
        self.writer.write_table(table)

    def flush(self) -> None:
        pass  # a Parquet file is readable only once closed (its footer)

    def close(self) -> None:
        self.writer.close()


class _JsonlOutput:
    """One JSON object per line: the row's ``id`` and other columns, then its full
    assessment (evidence included) or its ``error``."""

    def __init__(self, path: Path, plan: OutputPlan) -> None:
        self.fh = path.open("wb")

    def write(self, data: bytes) -> None:
        self.fh.write(data)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        self.fh.close()


_OUTPUTS = {"csv": _CsvOutput, "parquet": _ParquetOutput, "jsonl": _JsonlOutput}


def _assessed_chunk(rows: Sequence[Mapping], model: TaskModel) -> list[dict]:
    """A chunk of file rows → JSON Lines objects: ``id``, the other columns, the assessment
    as ``POST /v1/score`` answers it (or ``error``)."""
    out = []
    for row, result in zip(rows, score_rows(rows, model), strict=True):
        kept = passthrough_record(row)
        if isinstance(result, RoleError):
            kept["error"] = result.describe()
        else:
            kept.update(result)
        out.append(kept)
    return out


def _parquet_types(path: Path) -> dict:
    import pyarrow.parquet as pq

    schema = pq.ParquetFile(path).schema_arrow
    return {name: schema.field(name).type for name in schema.names}


def score_file(
    input_path: Path,
    output_path: Path,
    model: TaskModel,
    chunk_size: int = 5_000,
    *,
    out_format: str | None = None,
    dialect: CsvDialect | None = None,
    progress: bool | None = None,
) -> int:
    """Score ``input_path`` into ``output_path``; returns the number of rows written.

    Parameters
    ----------
    input_path, output_path : Path
    model : TaskModel
    chunk_size : int, default=5000
        Rows read and written at a time (scored :data:`SCORE_BATCH` at a time).
    out_format : {"csv", "parquet", "jsonl"}, optional
        The output format; default: the one ``output_path`` ends in.
    dialect : CsvDialect, optional
        How to read a CSV input; default: detected (:func:`sniff_csv`). A CSV output uses
        its separator.
    progress : bool, optional
        A progress bar with the total on standard error; default: when it is a terminal.

    The output is written to ``<output>.part`` and renamed when complete, so a failed run
    never leaves a truncated file under the output's name — nor the ``.part``.
    """
    plan, dialect = plan_output(input_path, output_path, out_format, dialect)
    chunks = read_chunks(input_path, chunk_size, dialect)
    tmp = output_path.with_name(output_path.name + ".part")
    output: Any = None  # the writer of the output's format, made at the first chunk
    rows = 0
    if progress is None:
        progress = sys.stderr.isatty()
    bar = _progress(count_rows(input_path, dialect)) if progress else None
    done = False
    try:
        for chunk in chunks:
            # Written as scored: a chunk's output rows are never all held at once.
            for start in range(0, len(chunk), SCORE_BATCH):
                scored = output_rows(chunk[start : start + SCORE_BATCH], model, plan)
                if output is None:
                    output = open_output(tmp, plan)
                output.write(render(scored, plan))
                rows += len(scored)
                if bar is not None:
                    bar.update(len(scored))
            if output is not None:
                output.flush()  # a chunk is on disk before the next one is read
        if rows == 0:
            raise InputError(f"{input_path}: a header but no rows")
        done = True
    finally:
        if bar is not None:
            bar.close()
        if output is not None:
            output.close()
        if not done:
            tmp.unlink(missing_ok=True)
    tmp.replace(output_path)
    return rows


def _progress(total: int | None):
    """A tqdm bar on standard error: rows done of ``total`` and the time left; None where
    tqdm (the ``batch`` extra) is not installed. Imported only when a bar is wanted."""
    try:
        from tqdm import tqdm
    except ImportError:
        return None

    return tqdm(total=total, unit="rows", file=sys.stderr, dynamic_ncols=True)
