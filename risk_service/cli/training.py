"""``train``, ``evaluate``, ``import`` and ``feedback export``: they import ``training/`` lazily
(the ``train`` extra), so the serving path never needs it."""

from __future__ import annotations

import json
from pathlib import Path

import click

from risk_service.cli.extras import require
from risk_service.cli.options import models_dir_option


@click.command()
@click.option(
    "--data",
    "data_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Data directory with occupations.csv and tasks.csv (repeatable; default: our corpus "
    "and our O*NET labels).",
)
@click.option("--seed", default=0, show_default=True)
@models_dir_option
@click.option("--no-promote", is_flag=True, help="Register without making it current.")
@click.option("--if-missing", is_flag=True, help="Do nothing if a current model exists.")
def train(
    data_dirs: tuple[str, ...], seed: int, models_dir: str, no_promote: bool, if_missing: bool
) -> None:
    """Train, evaluate with folds grouped by occupation, and register a model version."""
    from risk_service.registry import Registry, RegistryError

    if if_missing:
        try:
            current = Registry(models_dir).current_version()
        except RegistryError as exc:  # an unreadable pointer: a new model replaces it
            click.echo(f"{exc}; training a new model", err=True)
            current = None
        if current:
            click.echo(f"model {current} is registered; not training")
            return
    require("train", "risk-service train")
    from training.corpus import CorpusError
    from training.train import DEFAULT_DATA
    from training.train import train as run_training

    try:
        version, metrics = run_training(
            list(data_dirs) or list(DEFAULT_DATA), models_dir, seed=seed, promote=not no_promote
        )
    except CorpusError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps({"version": version, "metrics": metrics}, indent=2))
    # stderr, so the JSON on stdout stays machine-readable.
    click.echo(f"report and model card: {Path(models_dir) / version}/", err=True)


@click.command()
@click.option(
    "--data",
    "data_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Your labelled statements: a directory with occupations.csv and tasks.csv (repeatable).",
)
@click.option(
    "--reference",
    type=click.Path(exists=True, dir_okay=False),
    help="Your occupation-level table: columns id, title and/or description, value "
    "(optional language); comma, semicolon or tab separated.",
)
@click.option("--version", "version", default=None, help="Model version (default: current).")
@models_dir_option
@click.option(
    "--output",
    type=click.Path(file_okay=False),
    help="Directory for plots (lengths.png, reference.png) and per-row predictions.",
)
def evaluate(
    data_dirs: tuple[str, ...],
    reference: str | None,
    version: str | None,
    models_dir: str,
    output: str | None,
) -> None:
    """Judge a model on your own labelled statements or against your own reference table.

    Prints JSON: AUC, Brier and Spearman per language, the length table, German vs English gaps
    and the list/sentence/paragraph segmentation check for --data; Spearman and AUC at the
    reference's median and 70th percentile, by language and ISCO major group, and the largest
    disagreements with their tasks for --reference.
    """
    if not data_dirs and not reference:
        raise click.UsageError("give --data DIR and/or --reference FILE")
    require("train", "risk-service evaluate")
    from risk_service.registry import Registry, RegistryError
    from training.corpus import CorpusError
    from training.evaluate import evaluate_command

    try:
        model = Registry(models_dir).load(version)
        result = evaluate_command(model, list(data_dirs), reference, output)
    except (RegistryError, CorpusError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))


@click.group("import")
def import_() -> None:
    """Turn O*NET / ESCO downloads into a --data directory (kept outside the repo)."""


_output = click.option(
    "--output",
    "output",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory for occupations.csv and tasks.csv; third-party data, keep it outside the repo.",
)
_force = click.option("--force", is_flag=True, help="Overwrite existing corpus files in --output.")


def _echo_report(output: Path, report) -> None:
    from dataclasses import asdict

    click.echo(json.dumps({"output": str(output), **asdict(report)}, indent=2, ensure_ascii=False))


@import_.command("onet")
@click.argument("source", type=click.Path(exists=True, file_okay=False))
@_output
@click.option(
    "--crosswalk",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns onet_soc,isco08; occupations without an ISCO-08 code are skipped.",
)
@_force
def import_onet(source: str, output: str, crosswalk: str | None, force: bool) -> None:
    """O*NET text release (SOURCE = the db_XX_X_text directory) → weakly labelled tasks."""
    require("train", "risk-service import onet")
    from training.importers import SourceError, write_corpus
    from training.importers.onet import import_onet as run

    try:
        occupations, tasks, report = run(source, crosswalk)
        _echo_report(write_corpus(output, occupations, tasks, force=force), report)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None


@import_.command("esco")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@_output
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option(
    "--de",
    "de_path",
    type=click.Path(exists=True, dir_okay=False),
    help="German occupations export joined on conceptUri (SOURCE must then be English).",
)
@_force
def import_esco(source: str, output: str, lang: str, de_path: str | None, force: bool) -> None:
    """ESCO occupations CSV export → occupations with synonyms (tasks.csv has no rows)."""
    require("train", "risk-service import esco")
    from training.importers import SourceError, write_corpus
    from training.importers.esco import import_esco as run

    if de_path is not None and lang != "en":
        raise click.UsageError("--de joins German labels onto an English SOURCE; drop --lang de")
    try:
        occupations, tasks, report = run(source, lang, de_path)
        _echo_report(write_corpus(output, occupations, tasks, force=force), report)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def feedback() -> None:
    """Users' feedback on assessments."""


@feedback.command("export")
@click.option(
    "--output",
    required=True,
    type=click.Path(file_okay=False),
    help="Directory for occupations.csv and tasks.csv (a --data directory for train).",
)
@click.option(
    "--database-url",
    help="SQLAlchemy URL of the store [default: the setting database_url (RISK_DATABASE_URL or "
    "DATABASE_URL), else the instance folder's risk.db].",
)
def feedback_export(output: str, database_url: str | None) -> None:
    """Task feedback → corpus files: `train --data training/data --data OUTPUT` learns from it.

    Assessments that matched no corpus occupation have no ISCO-08 code and are skipped (counted
    in the report).
    """
    require("train", "risk-service feedback export")
    from dataclasses import asdict

    from flask import Flask

    from risk_service import config
    from risk_service.web.store import Store, StoreUnavailable
    from training.feedback_export import export_feedback

    database_url = database_url or config.settings().database_url
    if database_url is None:
        path = Path(Flask("risk_service").instance_path) / "risk.db"
        if not path.is_file():
            raise click.ClickException(f"no store at {path}; pass --database-url")
        database_url = f"sqlite:///{path}"
    from sqlalchemy.exc import SQLAlchemyError

    try:
        store = Store(database_url)
        try:
            summary = export_feedback(store, output)
        finally:
            store.dispose()
    except (SQLAlchemyError, StoreUnavailable) as exc:
        raise click.ClickException(f"cannot read the store: {str(exc).splitlines()[0]}") from None
    click.echo(json.dumps({"output": output, **asdict(summary)}, indent=2))
