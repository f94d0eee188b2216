"""``make bench``: every figure against a baseline measured in the same run.

Writes ``benchmarks/results.json`` and the generated part of ``docs/performance.md``. The
machine is shared and its load varies, so the ratios to the same-run baselines are the figures
to compare across runs; the load average is recorded with them.

``python -m benchmarks.run --quick`` runs smaller sizes and only prints (checks the harness).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import tempfile
import time
from pathlib import Path

from benchmarks.http_load import http_benchmark
from benchmarks.measure import CLI, ROOT, cli_env, machine, run_measured
from benchmarks.streaming import streaming_check
from benchmarks.workload import build_roles, write_roles_csv

RESULTS = ROOT / "benchmarks" / "results.json"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

TARGETS = {
    "roles_per_s_per_core": 5_000,
    "roles_per_s_per_core_cold": 5_000,  # the same target, shown for a worker's first minutes
    "http_score_vs_echo": 0.5,
    "p99_ms_at_200_rps": 25,
    "cold_start_s": 2.0,
    "artifact_mb": 30,
    "train_peak_rss_mb": 1024,
    "serving_worker_rss_mb": 250,
}


def bench_training(models_dir: Path) -> dict:
    """(c) ``risk-service train`` (grouped CV, fit, report) in a child process."""
    run = run_measured([*CLI, "train", "--models-dir", str(models_dir)], env=cli_env(models_dir))
    version = (models_dir / "current").read_text().strip()
    manifest = json.loads((models_dir / version / "manifest.json").read_text())
    return {
        "seconds": run["seconds"],
        "peak_rss_mb": run["peak_rss_mb"],
        "artifact_mb": round(manifest["artifact_bytes"] / 2**20, 2),
        "version": version,
    }


def bench_in_process(models_dir: Path, roles: list[dict], later: list[dict]) -> dict:
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


def bench_dask(models_dir: Path, roles: list[dict], rows: int) -> dict:
    """(e) the same file through the in-process engine and a 2-worker LocalCluster."""
    with tempfile.TemporaryDirectory(prefix="risk-bench-dask-") as tmp:
        source = Path(tmp) / "roles.csv"
        write_roles_csv(source, roles, rows)
        out = {}
        for engine in ("pandas", "dask"):
            target = Path(tmp) / f"{engine}.csv"
            cmd = [*CLI, "score", "--input", str(source), "--output", str(target)]
            run = run_measured([*cmd, "--engine", engine], env=cli_env(models_dir))
            out[engine] = {
                "seconds": run["seconds"],
                "rows_per_s": round(rows / run["seconds"], 1),
                "peak_rss_mb_all_processes": run["peak_rss_mb"],
            }
        same = (Path(tmp) / "pandas.csv").read_bytes() == (Path(tmp) / "dask.csv").read_bytes()
    return {
        "rows": rows,
        **out,
        "dask_vs_in_process": round(out["dask"]["rows_per_s"] / out["pandas"]["rows_per_s"], 2),
        "identical_output": same,
    }


def verdicts(r: dict) -> dict:
    """Each target of the issue with the measured value and whether it is met."""
    http = r["http"]["score"]
    rows = {
        "roles_per_s_per_core": (r["in_process"]["roles_per_s"], "≥"),
        "roles_per_s_per_core_cold": (r["in_process"]["roles_per_s_cold"], "≥"),
        "http_score_vs_echo": (r["http"]["score_vs_echo_req_ratio"], "≥"),
        "p99_ms_at_200_rps": (http["open_loop"]["p99_ms"], "≤"),
        "cold_start_s": (http["cold_start_s"], "≤"),
        "artifact_mb": (r["training"]["artifact_mb"], "≤"),
        "train_peak_rss_mb": (r["training"]["peak_rss_mb"], "≤"),
        "serving_worker_rss_mb": (max(http["worker_rss_mb"]), "≤"),
    }
    return {
        k: {
            "value": v,
            "target": f"{op} {TARGETS[k]}",
            "met": v >= TARGETS[k] if op == "≥" else v <= TARGETS[k],
        }
        for k, (v, op) in rows.items()
    }


def markdown(r: dict) -> str:
    m, a, h, d, s = r["machine"], r["in_process"], r["http"], r["dask"], r["streaming"]
    first_ratio = (
        h["score"]["first_requests"]["req_per_s"] / h["echo"]["first_requests"]["req_per_s"]
    )
    floor = {name: h[name]["trivial_get"]["req_per_s"] for name in ("score", "echo")}
    lines = [
        START,
        f"Generated by `make bench` on {r['date']} in {r['total_seconds']:.0f} s.",
        "",
        f"Machine: {m['logical_cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python "
        f"{m['python']}, {m['platform']}; load average at start {m['loadavg']}, at end "
        f"{r['loadavg_end']} (other jobs share the machine: compare ratios, not absolutes).",
        "",
        "| target | measured | target | met |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {v['value']} | {v['target']} | {'yes' if v['met'] else '**no**'} |"
        for k, v in r["verdicts"].items()
    ]
    lines += [
        "",
        "| measurement | value | same-run baseline | ratio |",
        "|---|---|---|---|",
        f"| (a) in-process roles/s, 1 process, {a['mean_description_words']}-word ads "
        f"({a['mean_tasks_per_role']} tasks), running worker "
        f"({a['later_statements_seen_before']:.0%} of statements seen before) | "
        f"{a['roles_per_s']} | json.dumps {a['baseline_json_dumps_roles_per_s']} roles/s | "
        f"{a['ratio_to_json_dumps']} |",
        f"| (a) the same, fresh worker: every cache empty | {a['roles_per_s_cold']} | | |",
        f"| (a) the running worker's roles replayed: everything cached | "
        f"{a['roles_per_s_replayed']} | | |",
        f"| (b) POST /v1/score req/s (closed loop, 4 clients) | "
        f"{h['score']['closed_loop']['req_per_s']} | echo {h['echo']['closed_loop']['req_per_s']}"
        f" | {h['score_vs_echo_req_ratio']} |",
        f"| (b) the same, a fresh server's first 50 requests | "
        f"{h['score']['first_requests']['req_per_s']} | echo "
        f"{h['echo']['first_requests']['req_per_s']} | "
        f"{first_ratio:.3f} |",
        f"| (b) the same requests replayed (all statements cached) | "
        f"{h['score']['replayed']['req_per_s']} | echo {h['echo']['replayed']['req_per_s']} | "
        f"{h['score']['replayed']['req_per_s'] / h['echo']['replayed']['req_per_s']:.3f} |",
        f"| (b) GET /readyz req/s on the same servers (the framework's floor) | "
        f"{floor['score']} | echo {floor['echo']} | {floor['score'] / floor['echo']:.3f} |",
        f"| (b) p50 / p99 ms, closed loop | {h['score']['closed_loop']['p50_ms']} / "
        f"{h['score']['closed_loop']['p99_ms']} | echo {h['echo']['closed_loop']['p50_ms']} / "
        f"{h['echo']['closed_loop']['p99_ms']} | |",
        f"| (b) p50 / p99 ms at {h['score']['open_loop']['target_rate']:.0f} req/s open loop "
        f"(achieved {h['score']['open_loop']['req_per_s']}) | {h['score']['open_loop']['p50_ms']}"
        f" / {h['score']['open_loop']['p99_ms']} | echo {h['echo']['open_loop']['p50_ms']} / "
        f"{h['echo']['open_loop']['p99_ms']} | |",
        f"| (c) `risk-service train` seconds / peak RSS MB | {r['training']['seconds']} / "
        f"{r['training']['peak_rss_mb']} | | |",
        f"| (d) cold start, spawn → /readyz 200, s | {h['score']['cold_start_s']} | echo app "
        f"{h['echo']['cold_start_s']} | |",
        f"| (e) Dask LocalCluster(2) rows/s, {d['rows']} rows | {d['dask']['rows_per_s']} | "
        f"in-process {d['pandas']['rows_per_s']} | {d['dask_vs_in_process']} |",
        f"| artifact MB | {r['training']['artifact_mb']} | | |",
        f"| serving worker RSS MB (2 gunicorn workers) | {h['score']['worker_rss_mb']} | echo "
        f"{h['echo']['worker_rss_mb']} | |",
    ]
    runs = list(s["runs"].values())
    lines += [
        f"| streaming peak RSS MB, {runs[0]['rows']} → {runs[1]['rows']} rows | "
        f"{runs[0]['peak_rss_mb']} → {runs[1]['peak_rss_mb']} | | ×{s['rss_growth_for_10x_rows']}"
        f" ({'flat' if s['flat'] else '**grows**'}) |",
        "",
        "In-process hot spots (share of profiled time, cumulative):",
        "",
        *[f"- `{k}` {v:.0%}" for k, v in a["hot_spots_share_of_time"].items()],
        END,
    ]
    return "\n".join(lines)


def write_doc(text: str) -> None:
    old = DOC.read_text(encoding="utf-8") if DOC.is_file() else f"# Performance\n\n{START}\n{END}\n"
    head, _, rest = old.partition(START)
    _, _, tail = rest.partition(END)
    DOC.write_text(head + text + tail, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the harness")
    parser.add_argument("--stream-rows", type=int, default=50_000)
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    started = time.perf_counter()
    results: dict = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine()}
    roles = build_roles(1_000)
    with tempfile.TemporaryDirectory(prefix="risk-bench-models-") as tmp:
        models_dir = Path(tmp)
        print("(c) training …", flush=True)
        results["training"] = bench_training(models_dir)
        print("(a) in-process …", flush=True)
        n = int(1_000 * scale)
        results["in_process"] = bench_in_process(models_dir, roles[:n], build_roles(n, seed=1))
        print("(b, d) HTTP …", flush=True)
        results["http"] = http_benchmark(
            models_dir,
            roles,
            warmup=build_roles(int(300 * scale), seed=2),
            requests=int(600 * scale),
            rate=200,
            seconds=5 * scale,
        )
        print("(e) Dask …", flush=True)
        results["dask"] = bench_dask(models_dir, roles, rows=int(1_200 * scale))
        print("streaming …", flush=True)
        results["streaming"] = streaming_check(models_dir, int(args.stream_rows * scale))
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["verdicts"] = verdicts(results)
    if args.quick:  # not comparable with full runs: print, do not record
        print(markdown(results))
        return
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_doc(markdown(results))
    print(json.dumps(results["verdicts"], indent=2, ensure_ascii=False))
    print(f"wrote {RESULTS.relative_to(ROOT)} and {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
