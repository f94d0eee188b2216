"""Gunicorn settings used by ``risk-service serve`` (``-c python:risk_service.gunicorn_conf``).

Metrics of all workers are kept in one directory (prometheus_client multiprocess mode), so a
scrape answered by any worker reports the totals. The directory must be empty at start and
is named by ``PROMETHEUS_MULTIPROC_DIR``; :func:`fresh_metrics_dir` prepares it.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from prometheus_client import multiprocess

_PREFIX = "risk-service-metrics-"


def fresh_metrics_dir() -> str:
    """An empty directory for multiprocess metrics.

    The one named by ``PROMETHEUS_MULTIPROC_DIR`` if set (its ``*.db`` files are removed: values
    of an earlier run would be added to this one's), else a new temporary directory.

    Returns
    -------
    str
        Path to pass on as ``PROMETHEUS_MULTIPROC_DIR``.
    """
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not given:
        return tempfile.mkdtemp(prefix=_PREFIX)
    path = Path(given)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink()
    return str(path)


def child_exit(server, worker) -> None:
    """Drop the live-only gauges of a worker that exited; its counters keep counting."""
    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    """Remove the metrics directory if :func:`fresh_metrics_dir` created it."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if Path(path).name.startswith(_PREFIX) and Path(path).parent == Path(tempfile.gettempdir()):
        shutil.rmtree(path, ignore_errors=True)


def serve_argv(host: str, port: int, workers: int, app: str = "risk_service.wsgi:app") -> list[str]:
    """The gunicorn command line of ``risk-service serve``; the benchmarks use it too."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:risk_service.gunicorn_conf",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--preload",
        app,
    ]
