"""The ``risk-service score`` command run in-process, as the CLI and Dask tests call it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from risk_service.cli import main


def run_score(source: Path, target: Path, *options: str, models_dir: Path | None = None) -> Result:
    """``score --input source --output target [--models-dir models_dir] [options]``."""
    args = ["score", "--input", str(source), "--output", str(target)]
    if models_dir is not None:
        args += ["--models-dir", str(models_dir)]
    return CliRunner().invoke(main, [*args, *options])
