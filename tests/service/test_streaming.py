"""The in-process engine streams: a chunk is written before the next one is read.

Memory on large files is measured in ``benchmarks/`` (100k vs 1M rows); this checks the
mechanism that keeps it flat.
"""

from __future__ import annotations

import pandas as pd
import pytest

from risk_service.batch import files, records


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_chunks_are_read_scored_and_written_one_at_a_time(tmp_path, model, monkeypatch, suffix):
    roles = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(1_000)],
            "title": ["Buchhalter/in", "Pflegefachkraft"] * 500,
            "description": "",
        }
    )
    source = tmp_path / f"roles{suffix}"
    roles.to_csv(source, index=False) if suffix == ".csv" else roles.to_parquet(source)
    output = tmp_path / "scored.csv"
    part = output.with_name(output.name + ".part")
    read, seen = [], []

    def counting_reader(path, chunk_size, dialect=None):
        for chunk in real_read(path, chunk_size, dialect):
            read.append(len(chunk))
            yield chunk

    def spying_scorer(rows, model):
        # When chunk k is scored: exactly k chunks read, and the k-1 before it already on disk.
        written = len(pd.read_csv(part)) if part.exists() else 0
        seen.append((len(read), written))
        return real_score(rows, model)

    real_read, real_score = files.read_chunks, files.score_chunk
    monkeypatch.setattr(files, "read_chunks", counting_reader)
    monkeypatch.setattr(files, "score_chunk", spying_scorer)

    assert files.score_file(source, output, model, chunk_size=150) == 1_000
    assert seen == [(k + 1, 150 * k) for k in range(7)]
    assert pd.read_csv(output)["id"].tolist() == roles["id"].tolist()


def test_a_chunk_is_scored_a_bounded_number_of_rows_at_a_time(tmp_path, model, monkeypatch):
    """Peak memory does not grow with --chunk-size: the scorer never sees more than
    SCORE_BATCH rows at once, and the rows come out in order."""
    n = 2 * records.SCORE_BATCH + 7
    source = tmp_path / "roles.csv"
    pd.DataFrame(
        {"id": [f"r{i}" for i in range(n)], "title": "", "description": "Mahnwesen"}
    ).to_csv(source, index=False)
    sizes = []
    real_score_rows = records.score_rows

    def counting(rows, model, **kwargs):
        sizes.append(len(rows))
        return real_score_rows(rows, model, **kwargs)

    monkeypatch.setattr(records, "score_rows", counting)
    output = tmp_path / "scored.csv"
    assert files.score_file(source, output, model, chunk_size=n) == n
    assert max(sizes) == records.SCORE_BATCH and sum(sizes) == n
    assert pd.read_csv(output)["id"].tolist() == [f"r{i}" for i in range(n)]
