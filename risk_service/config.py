"""Paths and defaults in one place (cookiecutter-data-science style).

Everything here can be overridden by the Flask config mapping or the environment variables
named alongside each setting.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("RISK_DATA_DIR", PROJECT_ROOT / "training" / "data"))
MODELS_DIR = Path(os.environ.get("RISK_MODELS_DIR", PROJECT_ROOT / "models"))

# Risk bands follow the IAB cut-offs: low <= 30, medium 30-70, high > 70.
BAND_LOW_MAX = 30.0
BAND_HIGH_MIN = 70.0

# Input bounds: every size the service accepts is bounded.
MAX_BODY_BYTES = 1_000_000
MAX_TEXT_CHARS = 20_000
MAX_TITLE_CHARS = 200
MAX_TASKS = 200
MAX_TASK_CHARS = 1_000
MAX_BATCH = 1_000

# Below this title similarity a title-only query is answered 422 with suggestions (chosen on the
# tune titles of training/data/titles: 99.4 % of them resolve; made-up words such as "Qwxzz
# Blorf" or "Banane" stay below 0.32).
TITLE_SIMILARITY_FLOOR = 0.40
# A one-line description is read as a job title from this similarity on (below, its line is a
# duty): 94 % of the tune titles sent as descriptions, 3 % of our labelled ads' duty lines.
DESCRIPTION_TITLE_FLOOR = 0.55
# Task statements whose predictions a worker keeps (about 0.5 kB each).
TASK_CACHE_SIZE = 50_000

# Every cache on the request path is bounded in bytes (approximate: string lengths, array
# sizes, ~150 bytes per entry; risk_service/cache.py). RISK_CACHE_BYTES is what one worker's
# caches may hold in all, shared out by CACHE_SHARES (fractions of it; see cache_bytes()).
CACHE_BYTES = int(os.environ.get("RISK_CACHE_BYTES", 128 * 2**20))
# Each cache keeps its most recently used entries up to its share. Per entry about: prediction
# 0.6 kB, word columns 0.7 kB, job-ad line 0.6 kB, normalised statement 0.4 kB, affinities
# 0.55 kB, stem 0.3 kB, word families 0.22 kB, character grams 2.6 kB, title search 2.5 kB.
# The corpus (5,366 statements, 13,275 words) needs about 32 MB in all: a quarter of the default.
CACHE_SHARES = {
    "predictions": 0.18,  # taskmodel: statement → probabilities and category
    "char_columns": 0.20,  # features: word → its character-gram columns
    "job_ad_lines": 0.08,  # jobad: line → heading kind or statements
    "normalise_task": 0.06,  # text: statement → normalised form
    "affinities": 0.06,  # upskilling: statement → weights of the three areas
    "evidence": 0.06,  # taskmodel: statement → the words behind its judgement (evidence.py)
    "short_texts": 0.03,  # upskilling: statement → its shortened form in the texts
    "stems": 0.10,  # features: word → Snowball stem
    "lexicon": 0.08,  # features: word → cue families
    "char_grams": 0.05,  # features: word → character n-grams (titles, training)
    "title_search": 0.08,  # occupations: normalised title → best matches
    "normalise_title": 0.02,  # text: title → normalised form
}
# Character n-grams are taken from a word's first MAX_GRAM_WORD_CHARS characters only: the
# longest corpus word has 34, and a 20,000-letter "word" would otherwise make 80,000 grams.
MAX_GRAM_WORD_CHARS = 64


DEFAULTS = {
    "MODELS_DIR": str(MODELS_DIR),
    "MAX_CONTENT_LENGTH": MAX_BODY_BYTES,
    "MAX_BATCH": MAX_BATCH,
    "ADMIN_TOKEN": os.environ.get("RISK_ADMIN_TOKEN"),
    "DATABASE_URL": os.environ.get("DATABASE_URL"),
    # Keep each role's text in the audit log (off: only its SHA-256 is kept).
    "STORE_RAW_TEXT": False,
}


def band(score: float) -> str:
    """IAB band of a 0-100 score."""
    if score <= BAND_LOW_MAX:
        return "low"
    if score > BAND_HIGH_MIN:
        return "high"
    return "medium"


def cache_bytes(name: str) -> int:
    """The byte bound of the cache ``name`` (a key of ``CACHE_SHARES``)."""
    return int(CACHE_BYTES * CACHE_SHARES[name])
