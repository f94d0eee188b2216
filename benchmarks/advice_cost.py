"""What per-task advice, evidence and the upskilling texts cost in :func:`assess_many`.

``python -m benchmarks.advice_cost --models-dir DIR`` runs, each in a fresh interpreter, the
workload of ``benchmarks/in_process.py`` (1,000 roles, then 1,000 others, then those again)
with ``evidence=True`` and ``evidence=False``, and times the stages (advice, upskilling,
evidence) of the second pass. CPU time of this process, not wall time: the machine is shared,
and CPU time moves far less with its load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.measure import ROOT


def measure(models_dir: Path, n: int, evidence: bool) -> dict:
    from benchmarks.workload import build_roles
    from risk_service import scoring
    from risk_service.registry import Registry
    from risk_service.schemas import Role

    roles = [Role(**r) for r in build_roles(n)]
    later = [Role(**r) for r in build_roles(n, seed=1)]
    model = Registry(models_dir).load()
    stages: dict[str, float] = {}

    def timed(owner, name: str, label: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                stages[label] = stages.get(label, 0.0) + time.process_time() - started

        setattr(owner, name, wrapper)

    clock = time.process_time
    started = clock()
    scoring.assess_many(roles, model, evidence=evidence)
    cold = clock() - started
    timed(scoring.task_advice, "advise_many", "advice")
    timed(scoring, "recommend_many", "upskilling")
    timed(model, "evidence", "evidence")
    started = clock()
    scoring.assess_many(later, model, evidence=evidence)
    warm = clock() - started
    warm_stages = dict(stages)
    started = clock()
    scoring.assess_many(later, model, evidence=evidence)
    replay = clock() - started
    return {
        "evidence": evidence,
        "roles_per_cpu_s_cold": round(n / cold, 1),
        "roles_per_cpu_s_warm": round(n / warm, 1),
        "roles_per_cpu_s_replayed": round(n / replay, 1),
        "warm_us_per_role": {k: round(1e6 * v / n, 1) for k, v in warm_stages.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models-dir", type=Path, required=True)
    parser.add_argument("--roles", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", choices=["on", "off"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.models_dir, args.roles, args.child == "on")))
        return
    runs: dict[str, list[dict]] = {"on": [], "off": []}
    for _ in range(args.repeats):
        for flag in ("off", "on"):  # alternated, so that load drifts hit both alike
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.advice_cost", "--child", flag]
                + ["--models-dir", str(args.models_dir), "--roles", str(args.roles)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            runs[flag].append(json.loads(out.stdout))
    summary = {}
    for flag, results in runs.items():
        summary[f"evidence_{flag}"] = {
            key: statistics.median(r[key] for r in results)
            for key in results[0]
            if key.startswith("roles_per")
        } | {
            "warm_us_per_role": {
                stage: statistics.median(r["warm_us_per_role"].get(stage, 0.0) for r in results)
                for stage in results[0]["warm_us_per_role"]
            }
        }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
