"""Settings: one typed class, :class:`Settings`, read from ``RISK_*`` environment variables.

The class lives in :mod:`risk_service.settings` and is imported from there on first use of
``config.Settings``, ``config.DEFAULTS`` or :func:`settings`: the pipeline modules import this
module for their cache bounds, and the CLI's ``score`` should not pay for pydantic-settings.

The web app takes its settings in :func:`risk_service.web.app.create_app` (default: the
environment, read when the app is created); the CLI and training read the same class. Cache
sizes are per process: the pipeline modules size their caches with :func:`cache_bytes` when they
are imported, from the environment of that moment.

The limits of a request's content (title, description, tasks, batch size) are the API
contract's fixed maxima and live in :mod:`risk_service.schemas`; domain thresholds live in the
module that applies them (risk bands and title floors in :mod:`risk_service.scoring`).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from risk_service.settings import Settings

    DEFAULTS: Settings  # supplied by __getattr__ on first use; declared for the type checker

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Each cache keeps its most recently used entries up to its share of RISK_CACHE_BYTES. Per
# entry about: prediction 0.6 kB, word columns 0.7 kB, job-ad line 0.6 kB, normalised statement
# 0.4 kB, affinities 0.55 kB, stem 0.3 kB, word families 0.22 kB, character grams 2.6 kB, title
# search 2.5 kB. The corpus (5,366 statements, 13,275 words) needs about 32 MB in all: a quarter
# of the default.
CACHE_SHARES: dict[str, float] = {
    "predictions": 0.18,  # taskmodel: statement → probabilities and category
    "char_columns": 0.20,  # features: word → its character-gram columns
    "job_ad_lines": 0.05,  # jobad: line → heading kind or statements
    "job_ads": 0.03,  # jobad: description → its duties and what was set aside
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

# Constants of features.py and taskmodel.py (kept here until those modules' owners move them):
# character n-grams come from a word's first MAX_GRAM_WORD_CHARS characters only (the longest
# corpus word has 34; a 20,000-letter "word" would otherwise make 80,000 grams), and the
# prediction cache keeps at most TASK_CACHE_SIZE statements besides its byte bound.
MAX_GRAM_WORD_CHARS = 64
TASK_CACHE_SIZE = 50_000
# The defaults of the settings cache_bytes and models_dir (risk_service.settings.Settings).
DEFAULT_CACHE_BYTES = 128 * 2**20
DEFAULT_MODELS_DIR = PROJECT_ROOT / "models"


def settings() -> Settings:
    """The settings of the environment as it is now."""
    from risk_service.settings import Settings

    return Settings()


def _environment(field: str) -> str | None:
    """The value of ``RISK_<FIELD>`` as pydantic-settings reads it (the name in any case), or
    None when it is not set."""
    wanted = f"RISK_{field}".upper()
    for key, value in os.environ.items():
        if key.upper() == wanted:
            return value
    return None


@functools.cache
def _process_cache_bounds() -> tuple[int, dict[str, float]]:
    if _environment("cache_bytes") is None and _environment("cache_shares") is None:
        return DEFAULT_CACHE_BYTES, CACHE_SHARES  # the defaults: no settings to validate
    current = settings()
    return current.cache_bytes, current.cache_shares


def cache_bytes(name: str) -> int:
    """The byte bound of the cache ``name`` (a key of :data:`CACHE_SHARES`): its share of
    ``RISK_CACHE_BYTES``, read once per process."""
    total, shares = _process_cache_bounds()
    return int(total * shares[name])


def models_dir() -> Path:
    """The setting ``models_dir`` of the environment as it is now (``RISK_MODELS_DIR``, else
    ``models/``), read without building the settings: the default of the CLI's
    ``--models-dir``."""
    value = _environment("models_dir")
    return DEFAULT_MODELS_DIR if value is None else Path(value)


def __getattr__(name: str) -> Any:
    """``config.Settings`` and ``config.DEFAULTS`` (the defaults, without reading the
    environment: for documentation and tests), imported on first use; ``config.MODELS_DIR``
    and ``config.DATA_DIR``: the settings' ``models_dir`` and ``data_dir`` of the environment
    as it is now (training code and CLI defaults use them)."""
    if name in ("Settings", "DEFAULTS"):
        from risk_service import settings as module

        return module.Settings if name == "Settings" else module.DEFAULTS
    if name == "MODELS_DIR":
        return settings().models_dir
    if name == "DATA_DIR":
        return settings().data_dir
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
