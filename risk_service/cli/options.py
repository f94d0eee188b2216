"""Options shared by several commands."""

from __future__ import annotations

import click


def _default_models_dir() -> str:
    # Read when a command runs, not when the CLI is imported, and without building the
    # settings: `score` and `models` stay free of pydantic-settings.
    from risk_service import config

    return str(config.models_dir())


models_dir_option = click.option(
    "--models-dir",
    default=_default_models_dir,
    show_default="the setting models_dir: RISK_MODELS_DIR, else models/",
    help="Model registry.",
)
