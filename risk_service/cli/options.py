"""Options shared by several commands."""

from __future__ import annotations

import click


def _default_models_dir() -> str:
    # Read when a command runs, not when the CLI is imported: `risk-service --help` and the
    # commands that do not need it stay free of the settings (and of pydantic).
    from risk_service import config

    return str(config.settings().models_dir)


models_dir_option = click.option(
    "--models-dir",
    default=_default_models_dir,
    show_default="the setting models_dir: RISK_MODELS_DIR, else models/",
    help="Model registry.",
)
