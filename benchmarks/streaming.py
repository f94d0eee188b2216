"""Streaming check: peak RSS of ``risk-service score`` on N/10 and N rows must stay flat.

``python -m benchmarks.streaming --rows 1000000 --models-dir DIR`` runs the full 1M-row check
(about 10 minutes on 2 cores); ``make bench`` runs it with fewer rows to stay within budget.
"""

from __future__ import annotations

import argparse
import csv
import json
import tempfile
from pathlib import Path

from benchmarks.measure import CLI, cli_env, run_measured

# Short rows (a few tasks each) keep the run about reading, scoring and writing chunks.
_TASKS = [
    "Enter supplier invoices into the ERP system|Answer standard customer enquiries by email",
    "Buchen von Eingangsrechnungen|Abgleich der Kontoauszüge|Erstellung der Mahnläufe",
    "Care for residents with dementia|Plan the weekly rota|Talk with relatives",
    "Kommissionieren von Waren nach Pickliste|Beladen der Lkw",
]


def write_rows(path: Path, rows: int) -> int:
    """A ``score`` input of ``rows`` rows; returns its size in bytes."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", "description", "tasks", "language"])
        for i in range(rows):
            writer.writerow([f"r{i}", "", "", _TASKS[i % len(_TASKS)], ""])
    return path.stat().st_size


def streaming_check(models_dir: Path, rows: int, chunk_size: int = 5_000) -> dict:
    """Peak RSS and rows/s of the in-process engine on ``rows // 10`` and ``rows`` rows."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="risk-bench-stream-") as tmp:
        for n in (rows // 10, rows):
            source, target = Path(tmp) / f"in{n}.csv", Path(tmp) / f"out{n}.csv"
            size = write_rows(source, n)
            cmd = [*CLI, "score", "--input", str(source), "--output", str(target)]
            run = run_measured([*cmd, "--chunk-size", str(chunk_size)], env=cli_env(models_dir))
            results[str(n)] = {
                "rows": n,
                "input_mb": round(size / 2**20, 1),
                "seconds": run["seconds"],
                "rows_per_s": round(n / run["seconds"]),
                "peak_rss_mb": run["peak_rss_mb"],
            }
            source.unlink()
    small, large = results[str(rows // 10)], results[str(rows)]
    growth = large["peak_rss_mb"] / small["peak_rss_mb"]
    return {
        "runs": results,
        "chunk_size": chunk_size,
        "rss_growth_for_10x_rows": round(growth, 2),
        "flat": growth < 1.5,  # 10x the rows must not cost anywhere near 10x the memory
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--models-dir", type=Path, required=True)
    parser.add_argument("--chunk-size", type=int, default=5_000)
    args = parser.parse_args()
    print(json.dumps(streaming_check(args.models_dir, args.rows, args.chunk_size), indent=2))


if __name__ == "__main__":
    main()
