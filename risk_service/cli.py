"""Command line: one command per pipeline stage.

Training and import commands import ``training/`` lazily, so the serving path never needs it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from risk_service import config


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Job-automation risk from the rule-basedness of a role's tasks."""


@main.command()
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False))
@click.option("--chunk-size", default=5_000, show_default=True, help="Rows scored per chunk.")
@click.option("--models-dir", default=str(config.MODELS_DIR), show_default=True)
def score(input_path: str, output_path: str, chunk_size: int, models_dir: str) -> None:
    """Score a CSV or Parquet file of roles (columns id, title, description[, tasks, language]).

    Rows stream through in chunks, so memory stays flat on large files; output keeps input
    order. The format of each file follows its extension (.csv or .parquet).
    """
    from risk_service import batchio
    from risk_service.registry import Registry, RegistryError

    try:
        model = Registry(models_dir).load()
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        rows = batchio.score_file(Path(input_path), Path(output_path), model, chunk_size)
    except batchio.InputError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"scored {rows} rows → {output_path} (model {model.meta.get('version')})", err=True)


@main.command()
@click.option(
    "--data",
    "data_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Data directory with occupations.csv and tasks.csv (repeatable).",
)
@click.option("--seed", default=0, show_default=True)
@click.option("--models-dir", default=str(config.MODELS_DIR), show_default=True)
@click.option("--no-promote", is_flag=True, help="Register without making it current.")
@click.option("--if-missing", is_flag=True, help="Do nothing if a current model exists.")
def train(
    data_dirs: tuple[str, ...], seed: int, models_dir: str, no_promote: bool, if_missing: bool
) -> None:
    """Train, evaluate with folds grouped by occupation, and register a model version."""
    from risk_service.registry import Registry

    if if_missing and Registry(models_dir).current_version():
        click.echo(f"model {Registry(models_dir).current_version()} is registered; not training")
        return
    from training.corpus import CorpusError
    from training.train import train as run_training

    try:
        version, metrics = run_training(
            list(data_dirs) or [config.DATA_DIR], models_dir, seed=seed, promote=not no_promote
        )
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps({"version": version, "metrics": metrics}, indent=2))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the API under gunicorn."""
    os.execv(
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--preload",
            "--access-logfile",
            "-",
            "risk_service.wsgi:app",
        ],
    )


@main.group()
def models() -> None:
    """List, inspect, promote and roll back registered model versions."""


def _registry(models_dir: str):
    from risk_service.registry import Registry

    return Registry(models_dir)


_models_dir = click.option("--models-dir", default=str(config.MODELS_DIR), show_default=True)


@models.command("list")
@_models_dir
def models_list(models_dir: str) -> None:
    """One line per version; * marks the current one."""
    registry = _registry(models_dir)
    current = registry.current_version()
    for m in registry.versions():
        metrics = m.get("metrics", {})
        click.echo(
            f"{'*' if m['version'] == current else ' '} {m['version']}  {m['created']}  "
            f"auc_min={metrics.get('rule_auc_min', '-')}  "
            f"f1_min={metrics.get('category_macro_f1_min', '-')}  data={m['data_hash'][:10]}"
        )


@models.command("show")
@click.argument("version", required=False)
@_models_dir
def models_show(version: str | None, models_dir: str) -> None:
    """The manifest of VERSION (default: current)."""
    from risk_service.registry import RegistryError

    registry = _registry(models_dir)
    try:
        version = version or registry.current_version()
        if version is None:
            raise RegistryError("no current model")
        click.echo(json.dumps(registry.manifest(version), indent=2, ensure_ascii=False))
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None


@models.command("promote")
@click.argument("version")
@click.option("--force", is_flag=True, help="Promote even if worse on the primary metric.")
@_models_dir
def models_promote(version: str, force: bool, models_dir: str) -> None:
    """Make VERSION current (running servers follow within a second)."""
    from risk_service.registry import RegistryError

    try:
        click.echo(f"current: {_registry(models_dir).promote(version, force=force)}")
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None


@models.command("rollback")
@_models_dir
def models_rollback(models_dir: str) -> None:
    """Return to the previously promoted version."""
    from risk_service.registry import RegistryError

    try:
        click.echo(f"current: {_registry(models_dir).rollback()}")
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None


@models.command("diff")
@click.argument("old")
@click.argument("new")
@_models_dir
def models_diff(old: str, new: str, models_dir: str) -> None:
    """Metric differences between two versions (NEW − OLD)."""
    from risk_service.registry import RegistryError

    registry = _registry(models_dir)
    try:
        a, b = registry.manifest(old)["metrics"], registry.manifest(new)["metrics"]
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None

    def flat(d: dict, prefix: str = "") -> dict:
        out = {}
        for k, v in d.items():
            if isinstance(v, dict):
                out.update(flat(v, f"{prefix}{k}."))
            elif isinstance(v, int | float) and not isinstance(v, bool):
                out[f"{prefix}{k}"] = v
        return out

    fa, fb = flat(a), flat(b)
    for key in sorted(set(fa) | set(fb)):
        va, vb = fa.get(key), fb.get(key)
        delta = f"{vb - va:+.4f}" if va is not None and vb is not None else "n/a"
        click.echo(f"{key:40s} {va!s:>10} → {vb!s:>10}  {delta}")
