"""The Dask engine gives the in-process engine's output, loading the model once per worker."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from distributed import Client, LocalCluster

from risk_service.batch.distributed import csv_ranges, worker_stats
from risk_service.batch.files import CsvDialect, read_all, read_csv_range
from tests.commands import run_score

AD = """Ihre Aufgaben:
- Kontieren und Buchen von Belegen, "sauber" und termingerecht
- Abgleich der Kontoauszüge
Ihr Profil:
- Ausbildung als Steuerfachangestellte/r"""

ROLES = [
    {"title": "Buchhalter/in", "description": AD},
    {"title": "Pflegefachkraft", "description": ""},
    {"title": "", "description": "Answer customer calls.\nUpdate customer records in the CRM."},
    {"title": "", "description": "", "tasks": "Enter invoices|Negotiate payment terms"},
    {"title": "", "description": ""},  # nothing to score: an error row
    {"title": "Software Developer", "description": "", "language": "en"},
]


def write_roles(path: Path, n: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["id", "title", "description", "tasks", "language"])
        writer.writeheader()
        for i in range(n):
            writer.writerow({"id": f"r{i:04d}", **ROLES[i % len(ROLES)]})


def score(source: Path, target: Path, registry_dir: Path, *options: str) -> None:
    result = run_score(source, target, *options, models_dir=registry_dir)
    assert result.exit_code == 0, result.output


def dask_options(cluster: LocalCluster, npartitions: int) -> list[str]:
    """Score on ``cluster`` in ``npartitions`` pieces."""
    address = cluster.scheduler_address
    return ["--engine", "dask", "--scheduler", address, "--npartitions", str(npartitions)]


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as local:
        yield local


def stats(cluster, registry_dir) -> dict[str, dict[str, int]]:
    key_prefix = f"{Path(registry_dir).resolve()}@"
    with Client(cluster.scheduler_address) as client:
        per_worker = client.run(worker_stats)
    return {
        worker: next((v for k, v in s.items() if k.startswith(key_prefix)), {})
        for worker, s in per_worker.items()
    }


def test_csv_ranges_cut_only_between_records(tmp_path):
    path = tmp_path / "roles.csv"
    write_roles(path, 30)
    _, whole = read_all(path)
    dialect = CsvDialect()
    for blocksize in (1, 17, 200, 10**6):
        columns, ranges = csv_ranges(path, blocksize)
        assert columns == ["id", "title", "description", "tasks", "language"]
        assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
        assert ranges[-1][1] == path.stat().st_size
        parts = [row for r in ranges for row in read_csv_range(path, r, columns, dialect, 2)]
        assert parts == whole
    # A one-byte block still never splits the multi-line ad: one range per record.
    assert len(csv_ranges(path, 1)[1]) == 30


def test_a_bad_row_is_named_by_its_line_in_the_whole_file(tmp_path, registry_dir):
    path = tmp_path / "roles.csv"
    write_roles(path, 30)  # the ad of every sixth row spans five lines
    with path.open("a", encoding="utf-8") as fh:
        fh.write("r0030,Koch,,,,surplus\n")
    lines = path.read_text(encoding="utf-8").count("\n")
    result = run_score(
        path, tmp_path / "o.csv", "--engine", "dask", "--npartitions", "4", models_dir=registry_dir
    )
    assert result.exit_code == 1
    assert f"line {lines}: 6 cells, the header has 5" in result.output
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "o.csv.part").exists()


def test_other_columns_pass_through_as_in_process(tmp_path, registry_dir, cluster):
    source = tmp_path / "roles.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "department", "title", "risk_score"])
        for i in range(40):
            writer.writerow([f"r{i}", f"=dept {i % 3}", ROLES[i % 2]["title"], "given"])
    score(source, tmp_path / "local.csv", registry_dir)
    score(source, tmp_path / "dask.csv", registry_dir, *dask_options(cluster, 3))
    dask = (tmp_path / "dask.csv").read_bytes()
    assert dask == (tmp_path / "local.csv").read_bytes()
    header = dask.decode().splitlines()[0].split(",")
    assert header[:3] == ["id", "department", "input_risk_score"]


def test_dask_engine_gives_the_same_file_as_in_process(tmp_path, registry_dir, cluster):
    source = tmp_path / "roles.csv"
    write_roles(source, 300)
    score(source, tmp_path / "local.csv", registry_dir)
    score(source, tmp_path / "dask.csv", registry_dir, *dask_options(cluster, 5))
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "local.csv").read_bytes()
    dask = pd.read_csv(tmp_path / "dask.csv", dtype=str, keep_default_na=False)
    assert dask["id"].tolist() == [f"r{i:04d}" for i in range(300)]
    assert (dask["risk_score"] != "").sum() == 250  # every sixth row has nothing to score
    assert not (tmp_path / "dask.csv.part").exists()


def test_model_is_loaded_once_per_worker(tmp_path, registry_dir, cluster):
    write_roles(tmp_path / "roles.csv", 120)
    before = stats(cluster, registry_dir)
    for run in range(2):
        source, target = tmp_path / "roles.csv", tmp_path / f"out{run}.csv"
        score(source, target, registry_dir, *dask_options(cluster, 6))
    after = stats(cluster, registry_dir)
    scored = sum(s.get("partitions", 0) for s in after.values()) - sum(
        s.get("partitions", 0) for s in before.values()
    )
    assert scored == 12  # each partition scored exactly once
    for worker, s in after.items():
        assert s.get("loads", 0) <= 1, f"{worker} loaded the model {s['loads']} times"
    assert sum(s.get("loads", 0) for s in after.values()) <= len(after) < scored


def test_default_local_cluster_writes_one_parquet_file(tmp_path, registry_dir):
    write_roles(tmp_path / "roles.csv", 60)
    pd.read_csv(tmp_path / "roles.csv", dtype=str, keep_default_na=False).to_parquet(
        tmp_path / "roles.parquet", row_group_size=25
    )
    source = tmp_path / "roles.parquet"
    score(source, tmp_path / "local.parquet", registry_dir)
    score(source, tmp_path / "dask.parquet", registry_dir, "--engine", "dask")
    local = pq.read_table(tmp_path / "local.parquet")
    dask = pq.read_table(tmp_path / "dask.parquet")
    assert dask.equals(local) and dask.schema == local.schema and len(dask) == 60
    assert not (tmp_path / "dask.parquet.parts").exists()


def test_scheduler_without_dask_engine_is_a_usage_error(tmp_path, registry_dir):
    write_roles(tmp_path / "roles.csv", 3)
    result = run_score(
        tmp_path / "roles.csv", tmp_path / "out.csv", "--scheduler", "tcp://127.0.0.1:8786"
    )
    assert result.exit_code == 2
    assert "--engine dask" in result.output


def test_missing_id_column_is_reported_before_any_cluster_starts(tmp_path, registry_dir):
    (tmp_path / "roles.csv").write_text("title\nBuchhalter/in\n")
    result = run_score(
        tmp_path / "roles.csv", tmp_path / "out.csv", "--engine", "dask", models_dir=registry_dir
    )
    assert result.exit_code == 1
    assert "missing column 'id'" in result.output
    assert not (tmp_path / "out.csv").exists()
