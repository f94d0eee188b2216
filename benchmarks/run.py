"""``make bench``: issue 15's figures, each against a baseline measured in the same run.

Writes ``benchmarks/results.json`` and the generated part of ``docs/performance.md``. The
machine is shared and its load varies, so the ratios to the same-run baselines are the figures
to compare across runs; the load average at start and end is recorded with them.

What runs, in one process tree, on a model trained by the run itself:

- training: ``risk-service train`` (seconds, peak RSS of the process tree);
- cold in-process: ``python -m benchmarks.cold`` in a fresh interpreter (every cache empty) on
  the cold file (five never-seen O*NET statements per role, 70-90 words), then the same roles
  again (warm); baseline: a regex splitting the same text into words;
- whole CLI: ``risk-service score`` on the cold file as CSV; start-up to the first scored row
  on a 10-row file (baseline: ``python -c pass``); peak RSS at two or three chunk sizes;
- HTTP: the service, a bare Flask app and a bare WSGI app under the same gunicorn command
  (``benchmarks.http_load.http_ratios``): cold and warm req/s, p99 at a fixed 200 req/s of
  new text;
- Dask: ``score --engine dask`` (LocalCluster(2)) against the in-process engine on one file,
  outputs compared byte for byte.

The default sizes keep the run at about five minutes on 2 shared cores; ``--full`` runs the
issue's sizes (50,000 CLI rows, 60 s at 200 req/s, 200,000 Dask rows: much longer).
``--quick`` checks the harness on tiny sizes and only prints.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.cold import build_cold_roles, new_text_roles, write_cold_csv
from benchmarks.http_load import http_ratios
from benchmarks.measure import CLI, ROOT, cli_env, machine, run_measured

RESULTS = ROOT / "benchmarks" / "results.json"
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"

SIZES = {
    # cold: roles of the cold file (at most ~2,500 exist); cli_rows: rows of the whole-CLI
    # file (beyond the cold file, new descriptions of O*NET statements); chunks: --chunk-size
    # values for peak RSS; seconds: the open loop at 200 req/s; dask_rows: the Dask file.
    "default": {
        "cold": 2_600,
        "cli_rows": 2_600,
        "chunks": (500, 5_000),
        "http_cold": 600,
        "seconds": 10,
        "dask_rows": 10_000,
    },
    "full": {
        "cold": 2_600,
        "cli_rows": 50_000,
        "chunks": (500, 5_000, 20_000),
        "http_cold": 1_200,
        "seconds": 60,
        "dask_rows": 200_000,
    },
    "quick": {
        "cold": 200,
        "cli_rows": 200,
        "chunks": (50, 200),
        "http_cold": 60,
        "seconds": 1,
        "dask_rows": 400,
    },
}

# Issue 15's targets: (key in the flat figures, comparison, target).
TARGETS = {
    "cold in-process roles per CPU-second (one core), full answers": (
        "cold_roles_per_cpu_s",
        "≥",
        8_300,
    ),
    "the same, a file's columns (summarise_many)": ("cold_columns_roles_per_cpu_s", "≥", 8_300),
    "cold in-process ÷ regex tokenising floor": ("cold_vs_floor", "≥", 0.2),
    "whole-CLI roles/s on a cold CSV file": ("cli_cold_roles_per_s", "≥", 5_000),
    "CLI start-up to the first scored row, s (10-row CSV)": ("cli_startup_s", "≤", 0.5),
    "CLI peak RSS, largest ÷ smallest chunk size": ("cli_rss_chunk_ratio", "≤", 1.1),
    "HTTP warm req/s ÷ bare Flask": ("http_warm_vs_flask", "≥", 0.5),
    "HTTP cold req/s ÷ bare Flask": ("http_cold_vs_flask", "≥", 0.3),
    "p99 ms at a fixed 200 req/s of new text": ("p99_ms_200_rps_new_text", "≤", 25),
    "Dask LocalCluster(2) ÷ in-process rows/s": ("dask_vs_in_process", "≥", 1.6),
    "training seconds": ("train_seconds", "≤", 60),
    "training peak RSS MB (process tree, summed)": ("train_peak_rss_mb", "≤", 1024),
}


def bench_training(models_dir: Path) -> dict:
    """``risk-service train`` (grouped CV, fit, report) in a child process."""
    run = run_measured([*CLI, "train", "--models-dir", str(models_dir)], env=cli_env(models_dir))
    version = (models_dir / "current").read_text().strip()
    manifest = json.loads((models_dir / version / "manifest.json").read_text())
    return {
        "seconds": run["seconds"],
        "peak_rss_mb": run["peak_rss_mb"],
        "peak_process_rss_mb": run["peak_process_rss_mb"],
        "artifact_mb": round(manifest["artifact_bytes"] / 2**20, 2),
        "version": version,
    }


def bench_cold_in_process(models_dir: Path, n: int, tmp: Path) -> dict:
    """The cold file through ``assess_many`` (full answers, no evidence) and through
    ``summarise_many`` (a file's columns), each in a fresh interpreter (cold, then warm), and a
    cProfile of a cold pass of full answers in another fresh interpreter (its hot spots)."""
    cmd = [sys.executable, "-m", "benchmarks.cold", "--models-dir", str(models_dir)]
    runs = {}
    for path in ("answers", "columns"):  # each in a fresh interpreter: every cache empty
        out = subprocess.run(
            [*cmd, "--roles", str(n), "--path", path],
            cwd=ROOT,
            env=cli_env(models_dir),
            capture_output=True,
            text=True,
            check=True,
        )
        runs[path] = json.loads(out.stdout)
    result = runs["answers"]
    result["columns"] = runs["columns"]
    profile = tmp / "cold.prof"
    subprocess.run(
        [*cmd, "--roles", str(min(n, 1_000)), "--profile", str(profile)],
        cwd=ROOT,
        env=cli_env(models_dir),
        capture_output=True,
        check=True,
    )
    stats = pstats.Stats(str(profile)).stats  # type: ignore[attr-defined]
    total = sum(tt for (_cc, _nc, tt, _cum, _callers) in stats.values())
    own = [
        (f"{Path(file).name}:{line}:{name}", cum)
        for (file, line, name), (_cc, _nc, _tt, cum, _callers) in stats.items()
        if "risk_service" in file and name != "assess_many"
    ]
    result["hot_spots"] = {k: round(v / total, 3) for k, v in sorted(own, key=lambda x: -x[1])[:10]}
    return result


def bench_cli(models_dir: Path, cold: list[dict], rows: int, chunks: tuple[int, ...], tmp: Path):
    """Whole ``risk-service score`` processes on CSV files of never-seen descriptions: rate on
    ``rows`` rows at the default chunk size, peak RSS per chunk size, start-up on 10 rows."""
    roles = cold if rows <= len(cold) else cold + new_text_roles(rows - len(cold), seed=7)
    source = tmp / "cold.csv"
    write_cold_csv(source, roles, rows)
    env = cli_env(models_dir)
    score = [*CLI, "score", "--input", str(source), "--output", str(tmp / "cold_out.csv")]
    per_chunk = {}
    for chunk in chunks:
        run = run_measured([*score, "--chunk-size", str(chunk)], env=env)
        per_chunk[chunk] = {
            "seconds": run["seconds"],
            "roles_per_s": round(rows / run["seconds"], 1),
            "peak_rss_mb": run["peak_rss_mb"],
        }
    default = per_chunk.get(5_000) or per_chunk[max(per_chunk)]
    small = tmp / "ten.csv"
    write_cold_csv(small, cold[-10:])
    ten = [*CLI, "score", "--input", str(small), "--output", str(tmp / "ten_out.csv")]
    no_bytecode = run_measured(ten, env=env)["seconds"]
    # An installed package has its bytecode compiled (pip does it); this shell may forbid
    # writing it (PYTHONDONTWRITEBYTECODE), so the runs below keep theirs in a folder of the run.
    compiled = {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}
    compiled["PYTHONPYCACHEPREFIX"] = str(tmp / "bytecode")
    run_measured(ten, env=compiled)  # writes the bytecode
    startups = [run_measured(ten, env=compiled)["seconds"] for _ in range(3)]
    bare = [run_measured([sys.executable, "-c", "pass"], env=env)["seconds"] for _ in range(3)]
    rss = [v["peak_rss_mb"] for v in per_chunk.values()]
    return {
        "rows": rows,
        "distinct_cold_rows": min(rows, len(cold)),
        "roles_per_s": default["roles_per_s"],
        "per_chunk_size": per_chunk,
        "rss_largest_vs_smallest_chunk": round(rss[-1] / rss[0], 2),
        "startup_runs_s": startups,
        "startup_s": statistics.median(startups),
        "startup_without_bytecode_s": no_bytecode,
        "python_pass_s": statistics.median(bare),
    }


def bench_dask(models_dir: Path, rows: int, tmp: Path) -> dict:
    """The same file of new descriptions through the in-process engine and a 2-worker
    LocalCluster, start-up included; outputs compared byte for byte."""
    source = tmp / "dask_in.csv"
    write_cold_csv(source, new_text_roles(rows, seed=11))
    out = {}
    for engine in ("pandas", "dask"):
        target = tmp / f"dask_{engine}.csv"
        cmd = [*CLI, "score", "--input", str(source), "--output", str(target)]
        run = run_measured([*cmd, "--engine", engine], env=cli_env(models_dir))
        out[engine] = {
            "seconds": run["seconds"],
            "rows_per_s": round(rows / run["seconds"], 1),
            "peak_rss_mb_all_processes": run["peak_rss_mb"],
            "peak_rss_mb_largest_process": run["peak_process_rss_mb"],
        }
    same = (tmp / "dask_pandas.csv").read_bytes() == (tmp / "dask_dask.csv").read_bytes()
    return {
        "rows": rows,
        **out,
        "dask_vs_in_process": round(out["dask"]["rows_per_s"] / out["pandas"]["rows_per_s"], 2),
        "identical_output": same,
    }


def figures(r: dict) -> dict:
    """The flat figures the targets are judged on."""
    c, h = r["cold_in_process"], r["http"]
    return {
        "cold_roles_per_cpu_s": c["cold_roles_per_cpu_s"],
        "cold_columns_roles_per_cpu_s": c["columns"]["cold_roles_per_cpu_s"],
        "cold_vs_floor": round(c["cold_roles_per_s"] / c["floor_regex_tokenising_roles_per_s"], 4),
        "cli_cold_roles_per_s": r["cli"]["roles_per_s"],
        "cli_startup_s": r["cli"]["startup_s"],
        "cli_rss_chunk_ratio": r["cli"]["rss_largest_vs_smallest_chunk"],
        "http_warm_vs_flask": h["warm_vs_flask"],
        "http_cold_vs_flask": h["cold_vs_flask"],
        "p99_ms_200_rps_new_text": h["service"]["open_loop"]["p99_ms"],
        "dask_vs_in_process": r["dask"]["dask_vs_in_process"],
        "train_seconds": r["training"]["seconds"],
        "train_peak_rss_mb": r["training"]["peak_rss_mb"],
    }


def verdicts(r: dict) -> dict:
    """Each of issue 15's targets with the measured value and whether it is met."""
    flat = figures(r)
    out = {}
    for name, (key, op, target) in TARGETS.items():
        value = flat[key]
        out[name] = {
            "value": value,
            "target": f"{op} {target}",
            "met": value >= target if op == "≥" else value <= target,
        }
    return out


def markdown(r: dict) -> str:
    m, c, cli, h, d, t = (
        r["machine"],
        r["cold_in_process"],
        r["cli"],
        r["http"],
        r["dask"],
        r["training"],
    )
    s = r["sizes"]
    chunks = cli["per_chunk_size"]
    lines = [
        START,
        f"Generated by `make bench{' --full' if r['mode'] == 'full' else ''}` on {r['date']} "
        f"in {r['total_seconds']:.0f} s.",
        "",
        f"Machine: {m['logical_cores']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python "
        f"{m['python']}, {m['platform']}; **load average at start {m['loadavg']}, at end "
        f"{r['loadavg_end']}** (other jobs share the machine: compare ratios, not absolutes).",
        "",
        "| issue 15 target | measured | target | met |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {k} | {v['value']} | {v['target']} | {'yes' if v['met'] else '**no**'} |"
        for k, v in r["verdicts"].items()
    ]
    svc, fl, ws = h["service"], h["flask"], h["wsgi"]
    lines += [
        "",
        "| measurement (size) | value | same-run baseline | ratio |",
        "|---|---|---|---|",
        f"| cold in-process roles/s, full answers (`assess_many`, no evidence), wall / per "
        f"CPU-second ({c['roles']} cold roles, "
        f"{c['mean_words']} words) | {c['cold_roles_per_s']} / {c['cold_roles_per_cpu_s']} | "
        f"regex tokenising {c['floor_regex_tokenising_roles_per_s']} roles/s | "
        f"{r['figures']['cold_vs_floor']} |",
        f"| the same roles again (warm), wall / per CPU-second | {c['warm_roles_per_s']} / "
        f"{c['warm_roles_per_cpu_s']} | | "
        f"{c['warm_roles_per_s'] / c['floor_regex_tokenising_roles_per_s']:.4f} |",
        f"| a file's columns (`summarise_many`), cold, wall / per CPU-second | "
        f"{c['columns']['cold_roles_per_s']} / {c['columns']['cold_roles_per_cpu_s']} | | "
        f"{c['columns']['cold_roles_per_s'] / c['floor_regex_tokenising_roles_per_s']:.4f} |",
        f"| a file's columns, warm, wall / per CPU-second | {c['columns']['warm_roles_per_s']} / "
        f"{c['columns']['warm_roles_per_cpu_s']} | | |",
        f"| whole CLI `score` roles/s, CSV ({cli['rows']} rows, {cli['distinct_cold_rows']} of "
        f"the cold file) | {cli['roles_per_s']} | | |",
        f"| CLI start-up to first scored row, s (10 rows, bytecode compiled; runs "
        f"{cli['startup_runs_s']}; without bytecode {cli.get('startup_without_bytecode_s')}) | "
        f"{cli['startup_s']} | `python -c pass` {cli['python_pass_s']} s | |",
        "| CLI peak RSS MB per chunk size | "
        + ", ".join(f"{k}: {v['peak_rss_mb']}" for k, v in chunks.items())
        + f" | | ×{cli['rss_largest_vs_smallest_chunk']} |",
        f"| HTTP cold req/s ({s['http_cold']} never-seen roles, 4 keep-alive clients) | "
        f"{svc['cold']['req_per_s']} | Flask {fl['cold']['req_per_s']}, WSGI "
        f"{ws['cold']['req_per_s']} | {h['cold_vs_flask']} (WSGI {h['cold_vs_wsgi']}) |",
        f"| HTTP warm req/s (50 bodies repeated, 600 requests) | {svc['warm']['req_per_s']} | "
        f"Flask {fl['warm']['req_per_s']}, WSGI {ws['warm']['req_per_s']} | "
        f"{h['warm_vs_flask']} (WSGI {h['warm_vs_wsgi']}) |",
        f"| p50 / p99 ms at 200 req/s of new text for {s['seconds']} s (achieved "
        f"{svc['open_loop']['req_per_s']}, errors {svc['open_loop']['errors']}) | "
        f"{svc['open_loop']['p50_ms']} / {svc['open_loop']['p99_ms']} | Flask "
        f"{fl['open_loop']['p50_ms']} / {fl['open_loop']['p99_ms']} | |",
        f"| cold start, spawn → /readyz 200, s | {svc['cold_start_s']} | Flask "
        f"{fl['cold_start_s']} | |",
        f"| serving worker RSS MB (2 gunicorn workers) | {svc['worker_rss_mb']} | Flask "
        f"{fl['worker_rss_mb']} | |",
        f"| Dask LocalCluster(2) rows/s ({d['rows']} rows; identical output: "
        f"{d['identical_output']}) | {d['dask']['rows_per_s']} | in-process "
        f"{d['pandas']['rows_per_s']} | {d['dask_vs_in_process']} |",
        f"| Dask / in-process peak RSS MB, all processes (largest process) | "
        f"{d['dask']['peak_rss_mb_all_processes']} ({d['dask']['peak_rss_mb_largest_process']}) "
        f"| {d['pandas']['peak_rss_mb_all_processes']} | |",
        f"| `risk-service train` s / peak RSS MB (process tree; largest process "
        f"{t.get('peak_process_rss_mb')}) | {t['seconds']} / {t['peak_rss_mb']} | | |",
        f"| artifact MB | {t['artifact_mb']} | | |",
        "",
        "Cold in-process hot spots (cProfile of a cold pass, share of profiled time, cumulative):",
        "",
        *[f"- `{k}` {v:.0%}" for k, v in c["hot_spots"].items()],
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
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="tiny sizes: checks the harness")
    mode.add_argument("--full", action="store_true", help="the issue's sizes (much longer)")
    parser.add_argument("--output", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--models-dir", type=Path, help="use this registry's model and skip training (with --quick)"
    )
    args = parser.parse_args()
    if args.models_dir and not args.quick:
        parser.error("--models-dir only with --quick: a recorded run measures training too")
    name = "quick" if args.quick else "full" if args.full else "default"
    sizes = SIZES[name]
    started = time.perf_counter()
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "mode": name,
        "sizes": sizes,
        "machine": machine(),
    }
    cold = build_cold_roles(sizes["cold"])
    with tempfile.TemporaryDirectory(prefix="risk-bench-") as tmp_name:
        tmp = Path(tmp_name)
        if args.models_dir:
            models_dir = args.models_dir
            results["training"] = {"seconds": -1, "peak_rss_mb": -1, "artifact_mb": -1}
        else:
            models_dir = tmp / "models"
            models_dir.mkdir()
            print("training …", flush=True)
            results["training"] = bench_training(models_dir)
        print("cold in-process …", flush=True)
        results["cold_in_process"] = bench_cold_in_process(models_dir, sizes["cold"], tmp)
        print("whole CLI …", flush=True)
        results["cli"] = bench_cli(models_dir, cold, sizes["cli_rows"], sizes["chunks"], tmp)
        print("HTTP …", flush=True)
        results["http"] = http_ratios(
            models_dir,
            # other never-seen roles first, as a running server has answered
            warmup=cold[sizes["http_cold"] : sizes["http_cold"] + 300],
            cold=cold[: sizes["http_cold"]],
            warm=cold[-50:],
            new_text=new_text_roles(200 * sizes["seconds"], seed=5),
        )
        print("Dask …", flush=True)
        results["dask"] = bench_dask(models_dir, sizes["dask_rows"], tmp)
    results["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    results["figures"] = figures(results)
    results["verdicts"] = verdicts(results)
    table = markdown(results)
    if args.output:
        args.output.write_text(table + "\n", encoding="utf-8")
    if args.quick:  # not comparable with real runs: print, do not record
        print(table)
        return
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_doc(table)
    print(table)
    print(f"wrote {RESULTS.relative_to(ROOT)} and {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
