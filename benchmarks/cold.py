"""Text never seen before: descriptions of five real O*NET task statements each (issue 15).

Analysts score whole corpora of postings and HR platforms send bursts of new ads, so the
normal case is text the service has never met. :func:`build_cold_roles` makes such a file from
O*NET 29.3's 18,796 task statements (``../shared/data/onet-29.3``, the attribution is in the
README): every statement is used at most once, five statements of one occupation per role,
chosen so that a description has 70-90 words where the occupation allows it. Two thirds of the
statements are in no training file, and none has been seen by a freshly started process.

``python -m benchmarks.cold --models-dir DIR [--path answers|columns]`` prints the in-process
rate on one core (run it under ``taskset -c 1``) of full answers or of what a file's columns
need, with or without a cProfile; ``--write FILE.csv`` writes the file.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import time
from pathlib import Path

from benchmarks.measure import ROOT

ONET_DIR = ROOT.parent / "shared" / "data" / "onet-29.3"
WORDS = (70, 90)
_WORD = re.compile(r"\w+")


def onet_statements(onet_dir: Path = ONET_DIR) -> dict[str, list[str]]:
    """O*NET-SOC code → its English task statements (``Task Statements.txt``); falls back to
    the English O*NET statements in ``training/data/onet/tasks.csv`` where the release is absent.
    """
    release = onet_dir / "Task Statements.txt"
    by_occupation: dict[str, list[str]] = {}
    if release.is_file():
        with release.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                by_occupation.setdefault(row["O*NET-SOC Code"], []).append(row["Task"])
        return by_occupation
    with (ROOT / "training" / "data" / "onet" / "tasks.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["lang"] == "en":
                by_occupation.setdefault(row["occupation_id"], []).append(row["text"])
    return by_occupation


def _draw(pool: list[str], rng: random.Random, tries: int = 40) -> list[str] | None:
    """Five statements of ``pool`` (removed from it) with 70-90 words in all, or None."""
    for _ in range(tries):
        pick = rng.sample(range(len(pool)), 5)
        if WORDS[0] <= sum(len(pool[i].split()) for i in pick) <= WORDS[1]:
            chosen = [pool[i] for i in pick]
            for i in sorted(pick, reverse=True):
                pool.pop(i)
            return chosen
    return None


def build_cold_roles(n: int = 3_759, seed: int = 0, onet_dir: Path = ONET_DIR) -> list[dict]:
    """Up to ``n`` roles ``{"description": ...}``: five distinct O*NET statements as a bullet
    list, 70-90 words in all; no statement is used twice.

    Five statements of one occupation where it has such five, then five of the statements
    left over from all occupations. O*NET's statements average 13.6 words, so not all of them
    fit: 18,796 statements make about 3,000 such roles (all of them in groups of five would
    make 3,759 roles of 68 words on average).
    """
    rng = random.Random(seed)
    pools = {c: rng.sample(t, len(t)) for c, t in onet_statements(onet_dir).items()}
    roles: list[list[str]] = []
    rest: list[str] = []
    codes = sorted(pools)
    while len(roles) < n and codes:
        code = rng.choice(codes)
        pool = pools[code]
        chosen = _draw(pool, rng) if len(pool) >= 5 else None
        if chosen is None:
            rest += pool
            codes.remove(code)
        else:
            roles.append(chosen)
    rng.shuffle(rest)
    while len(roles) < n and len(rest) >= 5:
        chosen = _draw(rest, rng, tries=200)
        if chosen is None:
            break
        roles.append(chosen)
    return [{"description": "\n".join(f"- {t}" for t in chosen)} for chosen in roles]


def new_text_roles(n: int, seed: int = 1, onet_dir: Path = ONET_DIR) -> list[dict]:
    """``n`` descriptions never sent before — five O*NET statements of one occupation each,
    drawn afresh for every role — for loads longer than the statements last (12,000 requests
    of a minute at 200 req/s): every description is new, a statement recurs in about one
    description in four."""
    rng = random.Random(seed)
    by_code = {c: t for c, t in onet_statements(onet_dir).items() if len(t) >= 5}
    codes = sorted(by_code)
    roles, seen = [], set()
    while len(roles) < n:
        chosen = rng.sample(by_code[rng.choice(codes)], 5)
        description = "\n".join(f"- {t}" for t in chosen)
        if description not in seen:
            seen.add(description)
            roles.append({"description": description})
    return roles


def write_cold_csv(path: Path, roles: list[dict], rows: int | None = None) -> int:
    """``risk-service score`` input (``id,description``) cycling through ``roles``; bytes."""
    rows = len(roles) if rows is None else rows
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "description"])
        for i in range(rows):
            writer.writerow([f"c{i}", roles[i % len(roles)]["description"]])
    return path.stat().st_size


def _scorer(path: str, evidence: bool = False):
    """``answers``: :func:`~risk_service.scoring.assess_many` (full answers, without evidence
    unless asked); ``columns``: :func:`~risk_service.scoring.summarise_many`, what a file's
    columns need (``risk-service score``)."""
    from risk_service.scoring import assess_many, summarise_many

    if path == "columns":
        return summarise_many
    return lambda roles, model: assess_many(roles, model, evidence=evidence)


def measure_cold(
    models_dir: Path, roles: list[dict], evidence: bool = False, path: str = "answers"
) -> dict:
    """Roles/s of the scorer ``path`` (:func:`_scorer`) on ``roles`` in a process whose
    caches are empty, then the same roles again (what the caches hold is reused), in batches of
    1,000 as a file is scored; the same-run floor is a regex splitting the text into words."""
    from risk_service.registry import Registry
    from risk_service.schemas import Role

    model = Registry(models_dir).load()
    parsed = [Role(**r) for r in roles]
    score = _scorer(path, evidence)

    def run() -> tuple[float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(parsed), 1_000):
            score(parsed[i : i + 1_000], model)
        return time.perf_counter() - started, time.process_time() - cpu

    (cold, cold_cpu), (warm, warm_cpu) = run(), run()
    started = time.perf_counter()
    words = sum(len(_WORD.findall(r["description"])) for r in roles)  # the tokenising floor
    floor = time.perf_counter() - started
    return {
        "path": path,
        "roles": len(roles),
        "mean_words": round(words / len(roles), 1),
        "floor_regex_tokenising_roles_per_s": round(len(roles) / floor),
        "cold_roles_per_s": round(len(roles) / cold, 1),
        "warm_roles_per_s": round(len(roles) / warm, 1),
        # CPU time of this process: on a loaded machine wall time also counts other jobs
        "cold_roles_per_cpu_s": round(len(roles) / cold_cpu, 1),
        "warm_roles_per_cpu_s": round(len(roles) / warm_cpu, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--models-dir", type=Path)
    parser.add_argument("--roles", type=int, default=3_759)
    parser.add_argument("--write", type=Path, help="write the roles as a CSV file and stop")
    parser.add_argument("--rows", type=int, help="rows of --write (cycling through the roles)")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the cold pass here")
    parser.add_argument(
        "--path",
        choices=("answers", "columns"),
        default="answers",
        help="answers: assess_many (evidence=False); columns: summarise_many (a file's columns)",
    )
    args = parser.parse_args()
    roles = build_cold_roles(args.roles)
    if args.write:
        print(write_cold_csv(args.write, roles, args.rows))
        return
    if args.profile:
        import cProfile

        from risk_service.registry import Registry
        from risk_service.schemas import Role

        model = Registry(args.models_dir).load()
        parsed = [Role(**r) for r in roles]
        score = _scorer(args.path)
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(0, len(parsed), 1_000):
            score(parsed[i : i + 1_000], model)
        profiler.disable()
        profiler.dump_stats(str(args.profile))
        return
    print(json.dumps(measure_cold(args.models_dir, roles, path=args.path)))


if __name__ == "__main__":
    main()
