"""Measuring helpers: peak memory of a child process tree, percentiles, the machine."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "risk_service"]


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of ``proc`` and all its descendants (0 once it is gone)."""
    return sum(process_rss(proc))


def process_rss(proc: psutil.Process) -> list[int]:
    """Resident bytes of ``proc`` and of each of its descendants (empty once it is gone)."""
    sizes = []
    with contextlib.suppress(psutil.NoSuchProcess):
        for p in [proc, *proc.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                sizes.append(p.memory_info().rss)
    return sizes


def run_measured(cmd: list[str], env: dict | None = None, interval: float = 0.02) -> dict:
    """Run ``cmd`` to completion; wall seconds, peak RSS of its process tree (summed over
    processes: pages forked children share count once per process, an upper bound) and of its
    largest process (sampled).

    Raises
    ------
    subprocess.CalledProcessError
        When the command fails; its stderr is in the exception.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = peak_process = 0
    handle = psutil.Process(proc.pid)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_process
        while not done.is_set():
            sizes = process_rss(handle)
            peak = max(peak, sum(sizes))
            peak_process = max(peak_process, *sizes, 0)
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd, out, err)
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak / 2**20, 1),
        "peak_process_rss_mb": round(peak_process / 2**20, 1),
        "stdout": out,
    }


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def machine() -> dict:
    """Cores, memory, Python, and load average at the time of the call."""
    return {
        "cpu": platform.processor() or platform.machine(),
        "logical_cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg": [round(x, 2) for x in os.getloadavg()],
    }


def cli_env(models_dir: Path, **extra: str) -> dict:
    """Environment for a ``risk-service`` child using ``models_dir``."""
    return {**os.environ, "RISK_MODELS_DIR": str(models_dir), "PYTHONPATH": str(ROOT), **extra}
