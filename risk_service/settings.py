"""The settings class, :class:`Settings` (also ``risk_service.config.Settings``): every
setting of the service, the batch engine and the CLI, read from ``RISK_*`` environment
variables.

A module of its own so that importing :mod:`risk_service.config` (as every pipeline module
does, for its cache bounds) does not build pydantic-settings' schema: the CLI's ``score`` needs
only two of the settings and reads them without it (:func:`risk_service.config.cache_bytes`,
:func:`risk_service.config.models_dir`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from risk_service.config import CACHE_SHARES, DEFAULT_CACHE_BYTES, DEFAULT_MODELS_DIR, PROJECT_ROOT


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
        DEFAULT_MODELS_DIR, description="Model registry: versions and the current pointer."
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
        DEFAULT_CACHE_BYTES, ge=0, description="Bytes all caches of one process may hold together."
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
