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
