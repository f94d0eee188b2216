"""Settings: one typed class, :class:`Settings`, read from ``RISK_*`` environment variables.

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
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

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


class Settings(BaseSettings):
    """Every setting of the service, the batch engine and the CLI.

    Each field is read from the environment variable ``RISK_<FIELD>`` (``RISK_MODELS_DIR``,
    ``RISK_LOG_JSON=false``, …); the database URL also from ``DATABASE_URL``. Values passed to
    the constructor win over the environment.
    """

    model_config = SettingsConfigDict(
        env_prefix="RISK_", frozen=True, populate_by_name=True, extra="forbid"
    )

    models_dir: Path = Field(
        PROJECT_ROOT / "models", description="Model registry: versions and the current pointer."
    )
    data_dir: Path = Field(
        PROJECT_ROOT / "training" / "data", description="Training corpus (training and tests)."
    )
    database_url: str | None = Field(
        None,
        validation_alias=AliasChoices("RISK_DATABASE_URL", "DATABASE_URL"),
        description="SQLAlchemy URL of the audit log and feedback store (RISK_DATABASE_URL, or "
        "DATABASE_URL); default: SQLite instance/risk.db.",
    )
    store_raw_text: bool = Field(
        False, description="Keep each role's text in the audit log (off: its SHA-256 only)."
    )
    store_lock_timeout: float = Field(
        1.0, ge=0, description="Seconds a write waits for a lock held elsewhere."
    )
    store_probe_seconds: float = Field(
        1.0, gt=0, description="/readyz writes a probe row at most this often."
    )
    admin_token: str | None = Field(
        None, description="Bearer token of POST /v1/model/reload (unset: reload is disabled)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_json: bool = Field(True, description="One JSON object per log line (false: plain text).")
    rate_limit: str | None = Field(
        None, description="Per-client limit on /v1/*, e.g. '120/minute' (unset: none)."
    )
    rate_limit_storage_uri: str = Field(
        "memory://", description="Flask-Limiter storage; shared storage makes the limit exact."
    )
    proxy_hops: int = Field(
        0, ge=0, description="Reverse proxies in front whose X-Forwarded-For/-Proto are trusted."
    )
    model_poll_seconds: float = Field(
        1.0, ge=0, description="How often a worker checks the registry's current pointer."
    )
    body_read_timeout: float = Field(
        10.0, ge=0, description="Seconds a request body may take to arrive (0: no deadline)."
    )
    max_body_bytes: int = Field(
        1_000_000, gt=0, description="Largest request body (413 above it, chunked too)."
    )
    cache_bytes: int = Field(
        128 * 2**20, ge=0, description="Bytes all caches of one process may hold together."
    )
    cache_shares: dict[str, float] = Field(
        default_factory=lambda: dict(CACHE_SHARES),
        description="Each cache's fraction of cache_bytes (the names of CACHE_SHARES).",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url", "admin_token", "rate_limit", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _shares(self) -> Settings:
        if set(self.cache_shares) != set(CACHE_SHARES):
            raise ValueError(f"cache_shares must name exactly the caches {sorted(CACHE_SHARES)}")
        if any(v < 0 for v in self.cache_shares.values()) or sum(self.cache_shares.values()) > 1:
            raise ValueError("cache_shares must be fractions >= 0 that sum to at most 1")
        return self


# The defaults, without reading the environment (for documentation and tests).
DEFAULTS = Settings.model_construct()


def settings() -> Settings:
    """The settings of the environment as it is now."""
    return Settings()


@functools.cache
def _process_settings() -> Settings:
    return Settings()


def cache_bytes(name: str) -> int:
    """The byte bound of the cache ``name`` (a key of :data:`CACHE_SHARES`): its share of
    ``RISK_CACHE_BYTES``, read once per process."""
    current = _process_settings()
    return int(current.cache_bytes * current.cache_shares[name])


def __getattr__(name: str) -> Path:
    """``config.MODELS_DIR`` and ``config.DATA_DIR``: the settings' ``models_dir`` and
    ``data_dir`` of the environment as it is now (training code and CLI defaults use them)."""
    if name == "MODELS_DIR":
        return settings().models_dir
    if name == "DATA_DIR":
        return settings().data_dir
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
