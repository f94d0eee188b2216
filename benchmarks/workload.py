"""Realistic roles for the benchmarks, built from the corpus without changing it.

A role is an occupation's title plus a job-ad style description: a duties heading and the
occupation's own task statements as a bullet list, cut at about 150 words. Texts are drawn
with a fixed seed, so every run measures the same work.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pandas as pd

from risk_service import config

_HEADINGS = {"en": "Your tasks:", "de": "Ihre Aufgaben:"}


def build_roles(n: int, words: int = 150, seed: int = 0) -> list[dict]:
    """``n`` roles (title, description, language) with descriptions of about ``words`` words.

    Parameters
    ----------
    n : int
        Number of roles.
    words : int, default=150
        Target description length; bullets are added until it is reached.
    seed : int, default=0
        Seed for which occupations and tasks are drawn.

    Returns
    -------
    list of dict
        Role dicts as ``POST /v1/score`` accepts them.
    """
    occupations = pd.read_csv(config.DATA_DIR / "occupations.csv", dtype=str)
    tasks = pd.read_csv(config.DATA_DIR / "tasks.csv", dtype=str)
    by_key = {key: list(group["text"]) for key, group in tasks.groupby(["occupation_id", "lang"])}
    all_tasks = {lang: list(group["text"]) for lang, group in tasks.groupby("lang")}
    titles = occupations.set_index("occupation_id")
    rng = random.Random(seed)
    keys = sorted(by_key)
    roles = []
    for _ in range(n):
        occupation_id, lang = rng.choice(keys)
        own = by_key[occupation_id, lang][:]
        rng.shuffle(own)
        bullets: list[str] = []
        count = 0
        while count < words:
            # An occupation has ~9 statements (~100 words); top up from other occupations.
            text = own.pop() if own else rng.choice(all_tasks[lang])
            bullets.append(f"- {text}")
            count += len(text.split())
        roles.append(
            {
                "title": titles.loc[occupation_id, f"title_{lang}"],
                "description": "\n".join([_HEADINGS[lang], *bullets]),
                "language": lang,
            }
        )
    return roles


def write_roles_csv(path: Path, roles: list[dict], rows: int) -> int:
    """Write ``rows`` rows cycling through ``roles`` as a ``risk-service score`` input CSV.

    Returns
    -------
    int
        Bytes written.
    """
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "title", "description", "language"])
        for i in range(rows):
            role = roles[i % len(roles)]
            writer.writerow([f"r{i}", role["title"], role["description"], role["language"]])
    return path.stat().st_size
