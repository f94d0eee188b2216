"""The Dask engine of ``risk-service score --engine dask``: parts of the file scored on a Dask
cluster, written in input order — the in-process engine's output, byte for byte.

Needs the ``dask`` extra (``pip install 'risk-service[dask]'``); nothing here is imported by the
serving path. A part is a byte range of a CSV file cut between records (:func:`csv_ranges`) or
some row groups of a Parquet file. Each worker task reads its part, scores it with the same
functions as the in-process engine (:func:`risk_service.batch.files.output_rows`, the model
loaded once per worker process) and renders the output rows (CSV text, an Arrow table); the
client appends the parts to one file in order as they arrive. No data frames are built: a
worker does the in-process engine's work and nothing else, so two workers score close to
twice as fast as one process.

Workers read the input and the models directory themselves, so on a remote cluster both paths
must be visible to every worker (a shared filesystem); the output is written by the client.
"""

from __future__ import annotations

import math
import sys
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from risk_service.batch import files
from risk_service.batch.files import CsvDialect, InputError, OutputPlan
from risk_service.batch.records import SCORE_BATCH
from risk_service.registry import Registry, RegistryError
from risk_service.taskmodel import TaskModel

DEFAULT_BLOCKSIZE = 16 * 2**20  # bytes of CSV per part, at most
PARTS_PER_THREAD = 4  # at least: the last parts keep every worker busy to the end

# Per worker process: one model per (registry, version), and how often each was loaded.
_models: dict[tuple[str, str], TaskModel] = {}
_loads: Counter[tuple[str, str]] = Counter()
_partitions: Counter[tuple[str, str]] = Counter()
_lock = threading.Lock()


def worker_model(models_dir: str, version: str) -> TaskModel:
    """The model of ``version`` in ``models_dir``, loaded (and verified) once per process."""
    key = (str(Path(models_dir).resolve()), version)
    with _lock:  # a worker with several threads must still load only once
        if key not in _models:
            _models[key] = Registry(key[0]).load(version)
            _loads[key] += 1
        return _models[key]


def worker_stats() -> dict[str, dict[str, int]]:
    """Model loads and scored parts of this process, keyed ``"<models_dir>@<version>"``.

    Run it on every worker with ``client.run(worker_stats)``.
    """
    return {
        f"{d}@{v}": {"loads": _loads[d, v], "partitions": _partitions[d, v]}
        for d, v in set(_loads) | set(_partitions)
    }


@dataclass(frozen=True)
class Part:
    """One piece of the input: a CSV byte range (``start``, ``end``, the physical ``line`` it
    starts on) or Parquet row groups (``groups``)."""

    start: int = 0
    end: int = 0
    line: int = 0
    groups: tuple[int, ...] = ()


def score_part(
    part: Part,
    path: str,
    header: list[str] | None,
    dialect: CsvDialect | None,
    plan: OutputPlan,
    models_dir: str,
    version: str,
) -> tuple[int, Any]:
    """(rows, rendered output) of one part: read, scored :data:`SCORE_BATCH` rows at a time,
    rendered in the output's form (runs on a worker)."""
    model = worker_model(models_dir, version)
    key = (str(Path(models_dir).resolve()), version)
    with _lock:
        _partitions[key] += 1
    source = Path(path)
    if part.groups:
        rows = files.read_row_groups(source, part.groups)
    else:
        assert header is not None and dialect is not None
        rows = files.read_csv_range(source, (part.start, part.end), header, dialect, part.line)
    scored: list[dict] = []
    for start in range(0, len(rows), SCORE_BATCH):
        scored += files.output_rows(rows[start : start + SCORE_BATCH], model, plan)
    return len(scored), files.render(scored, plan)


def csv_ranges(path: Path, blocksize: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Header and byte ranges of ``path`` of about ``blocksize`` bytes, cut between records.

    A newline ends a record only outside quotes, i.e. after an even number of ``"`` (RFC 4180
    escapes a quote as ``""``, keeping the parity), so a quoted description with line breaks
    (a job ad) is never cut in two.

    Returns
    -------
    columns : list of str
        The header row, as the in-process reader names the columns.
    ranges : list of (int, int)
        ``[start, end)`` byte offsets of the records after the header, in file order.
    """
    columns = files.read_columns(path, CsvDialect())
    return columns, [(p.start, p.end) for p in _csv_parts(path, blocksize)]


def _csv_parts(path: Path, blocksize: int) -> list[Part]:
    size = path.stat().st_size
    parts = []
    with path.open("rb") as fh:
        header_end, quotes = _record_end(fh, 0, 0)
        fh.seek(0)
        line = fh.read(header_end).count(b"\n") + 1
        start = header_end
        while start < size:
            end, quotes = _record_end(fh, min(start + blocksize, size), quotes, start)
            parts.append(Part(start, end, line))
            fh.seek(start)
            line += fh.read(end - start).count(b"\n")
            start = end
    return parts


def _record_end(fh, target: int, quotes: int, counted_to: int = 0) -> tuple[int, int]:
    """First offset after a record-ending newline at or past ``target``, with the quote parity.

    ``quotes`` is the parity of ``"`` in ``[0, counted_to)``.
    """
    fh.seek(counted_to)
    quotes = (quotes + fh.read(target - counted_to).count(b'"')) % 2
    pos = target
    while True:
        piece = fh.read(1 << 16)
        if not piece:
            return pos, quotes
        start = 0
        while (nl := piece.find(b"\n", start)) != -1:
            quotes = (quotes + piece.count(b'"', start, nl)) % 2
            start = nl + 1
            if quotes == 0:
                return pos + start, quotes
        quotes = (quotes + piece.count(b'"', start)) % 2
        pos += len(piece)


def _parts(
    path: Path,
    dialect: CsvDialect | None,
    blocksize: int,
    npartitions: int | None,
    min_parts: int,
) -> tuple[list[Part], list[str] | None]:
    """The input's parts (and a CSV file's header): ``npartitions`` of them if given, else
    byte ranges of at most ``blocksize`` bytes, at least ``min_parts`` of them; a Parquet
    file's row groups, one a part or spread over ``npartitions`` in order."""
    if files.is_csv(path):
        size = path.stat().st_size
        block = math.ceil(size / (npartitions or min_parts))
        if not npartitions:
            block = min(blocksize, block)
        return _csv_parts(path, max(1, block)), files.read_columns(path, dialect)
    groups = files._parquet_file(path).metadata.num_row_groups
    n = max(1, min(groups, npartitions)) if npartitions else groups
    bounds = [round(i * groups / n) for i in range(n + 1)]
    pairs = zip(bounds, bounds[1:], strict=False)
    return [Part(groups=tuple(range(a, b))) for a, b in pairs if b > a], None


def score_file_dask(
    input_path: Path,
    output_path: Path,
    models_dir: str | Path,
    *,
    scheduler: str | None = None,
    npartitions: int | None = None,
    blocksize: int = DEFAULT_BLOCKSIZE,
) -> tuple[int, str]:
    """Score ``input_path`` into ``output_path`` on a Dask cluster.

    Parameters
    ----------
    input_path, output_path : Path
        CSV (its separator and encoding detected as in-process; UTF-16 is refused) or
        Parquet in, CSV or Parquet out, by extension.
    models_dir : str or Path
        Registry root; the current version is resolved here once, so every worker scores with
        the same version even if the pointer moves during the run.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``). Default: a ``LocalCluster`` of two
        worker processes with one thread each, closed at the end.
    npartitions : int, optional
        Number of parts; default: byte ranges of at most ``blocksize`` bytes, at least
        ``PARTS_PER_THREAD`` per worker thread (Parquet: its row groups, as evenly).
    blocksize : int, default=DEFAULT_BLOCKSIZE
        Largest part of a CSV file, in bytes, when ``npartitions`` is not given.

    Returns
    -------
    rows : int
        Rows written.
    version : str
        Model version used.
    """
    from distributed import Client, LocalCluster, progress

    registry = Registry(models_dir)
    version = registry.current_version()
    if version is None:
        raise RegistryError(f"no current model in {registry.root}; run `risk-service train`")
    registry.verify(version)
    # A bad input fails before any cluster starts.
    dialect = files.sniff_csv(input_path) if files.is_csv(input_path) else None
    if dialect is None:
        files._parquet_file(input_path)  # checks the columns
    else:
        files._check_columns(input_path, files.read_columns(input_path, dialect))
    if dialect is not None and dialect.encoding.startswith("utf-16"):
        # parts are cut at newline bytes: an encoding of one byte per newline only
        raise InputError(f"{input_path}: the dask engine reads UTF-8 or single-byte text")
    plan, _ = files.plan_output(input_path, output_path, dialect=dialect)
    if plan.kind == "jsonl":
        raise InputError(f"{output_path}: the dask engine writes CSV or Parquet")
    tmp = output_path.with_name(output_path.name + ".part")

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    rows, done, output = 0, False, None
    try:
        with Client(scheduler or cluster) as client:
            threads = max(1, sum(client.nthreads().values()))
            parts, header = _parts(
                input_path, dialect, blocksize, npartitions, PARTS_PER_THREAD * threads
            )
            if not parts:
                raise InputError(f"{input_path}: a header but no rows")
            args = (str(input_path), header, dialect, plan, str(Path(models_dir).resolve()))
            futures = client.map(
                score_part, parts, *[[a] * len(parts) for a in args], version=version, pure=False
            )
            if sys.stderr.isatty():
                progress(futures)
            output = files.open_output(tmp, plan)
            for future in futures:  # in input order; later parts keep computing meanwhile
                n, rendered = future.result()
                if n:
                    output.write(rendered)
                    rows += n
                future.release()
        if rows == 0:
            raise InputError(f"{input_path}: a header but no rows")
        done = True
    finally:
        if output is not None:
            output.close()
        if cluster is not None:
            cluster.close()
        if not done:
            tmp.unlink(missing_ok=True)
    tmp.replace(output_path)
    return rows, version
