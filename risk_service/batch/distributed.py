"""The Dask engine of ``risk-service score --engine dask``: score_frame per partition.

Needs the ``dask`` extra (``pip install 'risk-service[dask]'``); nothing here is imported by the
serving path. Every worker loads the model once (a per-process cache keyed by registry path and
version) and the output is one file in input order with the in-process engine's columns.

Workers read the input, the models directory and write the output themselves, so on a remote
cluster all three paths must be visible to every worker (a shared filesystem).
"""

from __future__ import annotations

import io
import math
import shutil
import sys
import threading
from collections import Counter
from pathlib import Path

import pandas as pd

from risk_service.batch.files import InputError, _check_columns, _kind, csv_safe
from risk_service.batch.frame import score_frame
from risk_service.batch.records import COLUMNS
from risk_service.registry import Registry, RegistryError
from risk_service.taskmodel import TaskModel

DEFAULT_BLOCKSIZE = 16 * 2**20  # bytes of CSV per partition

# Column order and dtypes of score_frame's output, for Dask's meta.
OUTPUT_COLUMNS: dict[str, str] = {"id": "str", **COLUMNS}

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
    """Model loads and scored partitions of this process, keyed ``"<models_dir>@<version>"``.

    Run it on every worker with ``client.run(worker_stats)``.
    """
    return {
        f"{d}@{v}": {"loads": _loads[d, v], "partitions": _partitions[d, v]}
        for d, v in set(_loads) | set(_partitions)
    }


def score_frame_partition(
    df: pd.DataFrame, models_dir: str, version: str, chunk_size: int = 5_000
) -> pd.DataFrame:
    """:func:`score_frame` on one partition, ``chunk_size`` rows at a time to bound memory."""
    model = worker_model(models_dir, version)
    key = (str(Path(models_dir).resolve()), version)
    with _lock:
        _partitions[key] += 1
    if "id" in df.columns:
        df = df.astype({"id": "str"})
    parts = [
        score_frame(df.iloc[start : start + chunk_size].reset_index(drop=True), model)
        for start in range(0, len(df), chunk_size)
    ]
    if not parts:
        return _empty_output()
    return pd.concat(parts, ignore_index=True).astype(OUTPUT_COLUMNS)


def _empty_output() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in OUTPUT_COLUMNS.items()})


def csv_ranges(path: Path, blocksize: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Header and byte ranges of ``path`` of about ``blocksize`` bytes, cut between records.

    Dask's own ``read_csv(blocksize=...)`` cuts at any newline, which splits a quoted
    description with line breaks (a job ad) in two. A newline ends a record only outside quotes,
    i.e. after an even number of ``"`` (RFC 4180 escapes a quote as ``""``, keeping the parity).

    Returns
    -------
    columns : list of str
        The header row.
    ranges : list of (int, int)
        ``[start, end)`` byte offsets of the records after the header, in file order.
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        header_end, quotes = _record_end(fh, 0, 0)
        fh.seek(0)
        columns = pd.read_csv(fh, nrows=0, dtype=str).columns.tolist()
        ranges, start = [], header_end
        while start < size:
            end, quotes = _record_end(fh, min(start + blocksize, size), quotes, start)
            ranges.append((start, end))
            start = end
    return columns, ranges


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


# Not "columns": from_map would take that name for its own column projection.
def read_csv_range(byte_range: tuple[int, int], path: str, names: list[str]) -> pd.DataFrame:
    """The records in ``[start, end)`` of a CSV file, as text columns like the in-process reader."""
    start, end = byte_range
    with open(path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    if not data.strip():
        return pd.DataFrame({c: pd.Series(dtype="str") for c in names})
    return pd.read_csv(io.BytesIO(data), header=None, names=names, dtype=str, keep_default_na=False)


def _check_input(path: Path) -> None:
    """Fail on a bad input before any cluster is started."""
    if _kind(path) == "csv":
        columns = pd.read_csv(path, nrows=0, dtype=str).columns.tolist()
    else:
        import pyarrow.parquet as pq

        columns = pq.ParquetFile(path).schema_arrow.names
    _check_columns(path, columns)


def _input_frame(path: Path, blocksize: int, npartitions: int | None, min_partitions: int = 1):
    import dask.dataframe as dd

    if _kind(path) == "csv":
        size = path.stat().st_size
        # Small files still get one partition per worker thread, or one worker would do it all.
        blocksize = min(blocksize, math.ceil(size / min_partitions))
        if npartitions:
            blocksize = math.ceil(size / npartitions)
        columns, ranges = csv_ranges(path, max(1, blocksize))
        if not ranges:
            raise InputError(f"{path}: no rows")
        meta = pd.DataFrame({c: pd.Series(dtype="str") for c in columns})
        return dd.from_map(
            read_csv_range,
            ranges,
            args=[str(path), columns],
            meta=meta,
            enforce_metadata=False,
        )
    frame = dd.read_parquet(str(path), split_row_groups=True)
    if npartitions:
        frame = frame.repartition(npartitions=npartitions)
    return frame


def score_file_dask(
    input_path: Path,
    output_path: Path,
    models_dir: str | Path,
    *,
    scheduler: str | None = None,
    npartitions: int | None = None,
    chunk_size: int = 5_000,
    blocksize: int = DEFAULT_BLOCKSIZE,
) -> tuple[int, str]:
    """Score ``input_path`` into ``output_path`` on a Dask cluster.

    Parameters
    ----------
    input_path, output_path : Path
        CSV or Parquet by extension, as for the in-process engine.
    models_dir : str or Path
        Registry root; the current version is resolved here once, so every worker scores with
        the same version even if the pointer moves during the run.
    scheduler : str, optional
        Address of a running scheduler (``tcp://host:8786``). Default: a ``LocalCluster`` of two
        worker processes with one thread each, closed at the end.
    npartitions : int, optional
        Number of partitions; default: one per ``blocksize`` bytes of CSV or per Parquet row group.
    chunk_size : int, default=5000
        Rows scored at once inside a partition (bounds worker memory).
    blocksize : int, default=DEFAULT_BLOCKSIZE
        Bytes of CSV per partition when ``npartitions`` is not given.

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
    out_kind = _kind(output_path)
    _check_input(input_path)
    tmp = output_path.with_name(output_path.name + ".part")
    parts_dir = output_path.with_name(output_path.name + ".parts")

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        )
    try:
        with Client(scheduler or cluster) as client:
            threads = sum(client.nthreads().values())
            frame = _input_frame(input_path, blocksize, npartitions, max(1, threads))
            scored = frame.map_partitions(
                score_frame_partition,
                str(Path(models_dir).resolve()),
                version,
                chunk_size,
                meta=_empty_output(),
                enforce_metadata=False,
            )
            if out_kind == "csv":
                safe = scored.map_partitions(csv_safe, meta=_empty_output())
                write = safe.to_csv(str(tmp), single_file=True, index=False, compute=False)
            else:
                shutil.rmtree(parts_dir, ignore_errors=True)
                write = scored.to_parquet(str(parts_dir), write_index=False, compute=False)
            futures = client.compute(write)  # to_csv gives a list of delayed, to_parquet one
            if sys.stderr.isatty():
                progress(futures)
            client.gather(futures)
    finally:
        if cluster is not None:
            cluster.close()
    # Counted from the output: a separate count in the same graph would score twice.
    if out_kind == "parquet":
        rows = _consolidate_parquet(parts_dir, tmp)
        shutil.rmtree(parts_dir, ignore_errors=True)
    else:
        reader = pd.read_csv(tmp, usecols=[0], dtype=str, chunksize=100_000)
        rows = sum(len(chunk) for chunk in reader)
    tmp.replace(output_path)
    return rows, version


def _consolidate_parquet(parts_dir: Path, target: Path) -> int:
    """One Parquet file from Dask's ``part.N.parquet`` files, in partition order; returns rows."""
    import pyarrow.parquet as pq

    rows = 0

    parts = sorted(parts_dir.glob("part.*.parquet"), key=lambda p: int(p.name.split(".")[1]))
    writer = None
    try:
        for part in parts:
            table = pq.read_table(part)
            if writer is None:
                writer = pq.ParquetWriter(target, table.schema)
            writer.write_table(table.cast(writer.schema))
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows
