"""(a) in-process throughput of :func:`risk_service.scoring.assess_many`, one process, one core.

Each repetition runs in a fresh interpreter (``python -m benchmarks.in_process``), so "a fresh
worker" really starts with every cache empty; ``make bench`` takes the median of three.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measure import ROOT


def measure(models_dir: Path, roles: list[dict], later: list[dict]) -> dict:
    """(a) roles/s of :func:`assess_many` in this one process vs serialising the same roles.

    Two passes on a freshly loaded model: ``roles`` with every cache empty (each statement's
    first sight is computed), then ``later`` — other roles, other descriptions — as a worker
    that has been running a while sees them: statements it met before come from its caches.
    """
    from risk_service.registry import Registry
    from risk_service.schemas import Role
    from risk_service.scoring import assess_many

    model = Registry(models_dir).load()
    first = [Role(**r) for r in roles]
    second = [Role(**r) for r in later]

    started = time.perf_counter()
    for r in roles:
        json.dumps(r)
    json_s = time.perf_counter() - started

    started = time.perf_counter()
    results = assess_many(first, model)
    cold_s = time.perf_counter() - started
    seen = set(model._cache)
    started = time.perf_counter()
    later_results = assess_many(second, model)
    warm_s = time.perf_counter() - started
    later_texts = [t["text"] for r in later_results if isinstance(r, dict) for t in r["tasks"]]
    started = time.perf_counter()
    assess_many(second, model)  # the same roles again: every statement and line is cached
    replay_s = time.perf_counter() - started
    hit_rate = sum(t in seen for t in later_texts) / max(1, len(later_texts))
    tasks = sum(len(r["tasks"]) for r in results if isinstance(r, dict))

    profiler = cProfile.Profile()
    profiler.enable()
    assess_many(second[:200], model)
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    own = [
        (f"{Path(file).name}:{line}:{name}", cum)
        for (file, line, name), (_cc, _nc, _tt, cum, _callers) in stats.items()
        if "risk_service" in file and name != "assess_many"
    ]
    total = sum(tt for (_cc, _nc, tt, _cum, _callers) in stats.values())
    hot = sorted(own, key=lambda x: -x[1])[:8]
    words = sum(len(r["description"].split()) for r in roles) / len(roles)
    return {
        "roles": len(roles),
        "mean_description_words": round(words),
        "mean_tasks_per_role": round(tasks / len(roles), 1),
        "roles_per_s": round(len(second) / warm_s, 1),
        "roles_per_s_cold": round(len(roles) / cold_s, 1),
        "roles_per_s_replayed": round(len(second) / replay_s, 1),
        "later_statements_seen_before": round(hit_rate, 3),
        "baseline_json_dumps_roles_per_s": round(len(roles) / json_s),
        "ratio_to_json_dumps": round(json_s / warm_s * len(second) / len(roles), 5),
        "hot_spots_share_of_time": {name: round(cum / total, 3) for name, cum in hot},
    }


def bench_in_process(models_dir: Path, n: int, repeats: int = 3) -> dict:
    """The median of ``repeats`` fresh-process runs of :func:`measure` (figures by median)."""
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.in_process", "--models-dir", str(models_dir)]
            + ["--roles", str(n)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(out.stdout))
    result = dict(runs[0])  # sizes and hot spots from the first run
    for key in ("roles_per_s", "roles_per_s_cold", "roles_per_s_replayed"):
        result[key] = round(statistics.median(r[key] for r in runs), 1)
        result[f"{key}_runs"] = [r[key] for r in runs]
    result["ratio_to_json_dumps"] = round(
        result["roles_per_s"]
        / statistics.median(r["baseline_json_dumps_roles_per_s"] for r in runs),
        5,
    )
    return result


def main() -> None:
    from benchmarks.workload import build_roles

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models-dir", type=Path, required=True)
    parser.add_argument("--roles", type=int, default=1_000)
    args = parser.parse_args()
    roles, later = build_roles(args.roles), build_roles(args.roles, seed=1)
    print(json.dumps(measure(args.models_dir, roles, later)))


if __name__ == "__main__":
    main()
