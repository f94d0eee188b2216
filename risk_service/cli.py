"""Command line: one command per pipeline stage.

Training and import commands import ``training/`` lazily, so the serving path never needs it.
"""

from __future__ import annotations

import json
import os
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
@click.option(
    "--engine",
    type=click.Choice(["pandas", "dask"]),
    default="pandas",
    show_default=True,
    help="pandas: stream in this process; dask: partitions on a Dask cluster (extra 'dask').",
)
@click.option(
    "--scheduler",
    help="Dask scheduler address, e.g. tcp://host:8786 [default: a local cluster of 2 workers].",
)
@click.option(
    "--npartitions",
    type=click.IntRange(min=1),
    help="Dask partitions [default: per 16 MiB of CSV, ≥ 1 per worker; per Parquet row group].",
)
def score(
    input_path: str,
    output_path: str,
    chunk_size: int,
    models_dir: str,
    engine: str,
    scheduler: str | None,
    npartitions: int | None,
) -> None:
    """Score a CSV or Parquet file of roles (columns id, title, description[, tasks, language]).

    Rows stream through in chunks, so memory stays flat on large files; output keeps input
    order. The format of each file follows its extension (.csv or .parquet).
    """
    from risk_service import batchio
    from risk_service.registry import Registry, RegistryError

    if engine != "dask" and (scheduler or npartitions):
        raise click.UsageError("--scheduler and --npartitions need --engine dask")
    if engine == "dask":
        try:
            from risk_service.distributed import score_file_dask
        except ImportError as exc:
            raise click.ClickException(
                f"the dask engine needs the 'dask' extra: pip install 'risk-service[dask]' ({exc})"
            ) from None
        try:
            rows, version = score_file_dask(
                Path(input_path),
                Path(output_path),
                models_dir,
                scheduler=scheduler,
                npartitions=npartitions,
                chunk_size=chunk_size,
            )
        except (RegistryError, batchio.InputError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"scored {rows} rows → {output_path} (model {version}, dask)", err=True)
        return
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
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    help="JSON file for the roll-up (default: standard output).",
)
@click.option("--models-dir", default=str(config.MODELS_DIR), show_default=True)
@click.option(
    "--attrition-rate",
    type=click.FloatRange(min=0, max=1, max_open=True),
    help="Share of the workforce leaving per year without dismissals [default: 0.09, "
    "IAB-Betriebspanel 2024; an assumption].",
)
@click.option(
    "--implementation-cost",
    type=click.FloatRange(min=0),
    help="One-off cost of the automation, for the payback (with a cost_per_fte column).",
)
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(dir_okay=False),
    help="PNG of the plan's phasing (needs matplotlib: the 'train' extra).",
)
def workforce(
    input_path: str,
    output_path: str | None,
    models_dir: str,
    attrition_rate: float | None,
    implementation_cost: float | None,
    chart_path: str | None,
) -> None:
    """Roll up a CSV/Parquet of roles with a ``headcount`` column (as POST /v1/workforce), with
    the transition plan; an optional ``cost_per_fte`` column (yearly) gives the payback.

    The plan describes work, not people: it makes no personnel decision about individuals.
    """
    from pydantic import ValidationError

    from risk_service import batchio
    from risk_service.registry import Registry, RegistryError
    from risk_service.scoring import RoleError, assess_many, role_from_row
    from risk_service.workforce import plan, rollup

    if chart_path and not chart_path.lower().endswith(".png"):
        raise click.BadParameter(
            "the chart is written as PNG: give a .png file", param_hint="--chart"
        )

    try:
        model = Registry(models_dir).load()
        frame = batchio.read_all(Path(input_path))
    except (RegistryError, batchio.InputError) as exc:
        raise click.ClickException(str(exc)) from None
    if "headcount" not in frame.columns:
        raise click.ClickException(f"{input_path}: missing column 'headcount'")
    roles, headcounts, costs, errors = [], [], [], {}
    for n, row in enumerate(frame.to_dict("records")):
        try:
            headcount = int(str(row["headcount"]).strip())
            if headcount < 0:
                raise ValueError
        except ValueError:
            raise click.ClickException(
                f"{input_path}, row {n + 2}, column 'headcount': {row['headcount']!r} is not an "
                "integer >= 0"
            ) from None
        costs.append(_cost_per_fte(row.get("cost_per_fte"), input_path, n))
        try:
            roles.append(role_from_row(row))
        except ValidationError as exc:
            errors[n] = str(exc.errors()[0]["msg"])
            roles.append(None)
        headcounts.append(headcount)
    assessed = iter(assess_many([r for r in roles if r is not None], model))
    results: list[dict | None] = []
    per_role = []
    for n, role in enumerate(roles):
        result = next(assessed) if role is not None else None
        if isinstance(result, RoleError):
            errors[n], result = f"{'.'.join(map(str, result.loc))}: {result.msg}", None
        results.append(result)
        per_role.append(
            {
                "id": str(frame.iloc[n].get("id", n)),
                "headcount": headcounts[n],
                "risk_score": result["risk_score"] if result else None,
                "risk_band": result["risk_band"] if result else None,
                "top_area": result["upskilling"][0]["area"] if result else None,
                "error": errors.get(n, ""),
            }
        )
    transition = plan(
        headcounts,
        results,
        attrition_rate=attrition_rate,
        costs_per_fte=costs,
        implementation_cost=implementation_cost,
    )
    summary = {**rollup(headcounts, results), "plan": transition, "roles": per_role}
    if chart_path:
        _phasing_chart(transition, Path(chart_path))
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    if output_path:
        Path(output_path).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


def _cost_per_fte(value: object, input_path: str, n: int) -> float | None:
    """A row's ``cost_per_fte`` (empty: unknown); a clear error names the row otherwise."""
    if value is None or (isinstance(value, float) and value != value) or str(value).strip() == "":
        return None
    try:
        cost = float(str(value).strip())
        if not 0 <= cost < float("inf"):
            raise ValueError
    except ValueError:
        raise click.ClickException(
            f"{input_path}, row {n + 2}, column 'cost_per_fte': {value!r} is not a number >= 0"
        ) from None
    return cost


def _phasing_chart(transition: dict, path: Path) -> None:
    """Bars: automatable FTE absorbed per year; line: FTE still remaining (matplotlib, lazily:
    the serving install does not need it)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise click.ClickException(
            f"--chart needs matplotlib: pip install 'risk-service[train]' ({exc})"
        ) from None
    phasing = transition["phasing"]
    years = [p["year"] for p in phasing]
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    ax.bar(years, [p["fte_absorbed"] for p in phasing], color="#4c78a8", label="FTE absorbed")
    ax.plot(
        [0, *years],
        [transition["fte_automatable"], *(p["fte_remaining"] for p in phasing)],
        color="#e45756",
        marker="o",
        label="automatable FTE remaining",
    )
    rate = transition["assumptions"]["attrition_rate"]
    absorbed = transition["years_to_absorb"]
    when = f"absorbed after {absorbed:g} years" if absorbed is not None else "not absorbed"
    ax.set_title(
        f"{transition['fte_automatable']:g} automatable FTE, attrition {rate:.0%} a year: {when}"
    )
    ax.set_xlabel("year")
    ax.set_ylabel("FTE")
    ax.set_xticks([0, *years])
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    fig.text(
        0.01,
        0.01,
        "Natural attrition only, no dismissals; no decision about individuals.",
        fontsize=8,
        color="#555555",
    )
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png")
    plt.close(fig)


@main.command()
@click.option(
    "--data",
    "data_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="Data directory with occupations.csv and tasks.csv (repeatable; default: our corpus "
    "and our O*NET labels).",
)
@click.option("--seed", default=0, show_default=True)
@click.option("--models-dir", default=str(config.MODELS_DIR), show_default=True)
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


@main.command()
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
@click.option("--models-dir", default=str(config.MODELS_DIR), show_default=True)
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
    from risk_service.registry import Registry, RegistryError
    from training.corpus import CorpusError
    from training.evaluate import evaluate_command

    try:
        model = Registry(models_dir).load(version)
        result = evaluate_command(model, list(data_dirs), reference, output)
    except (RegistryError, CorpusError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(result, indent=2, ensure_ascii=False, default=str))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option(
    "--workers",
    default=os.cpu_count() or 1,
    show_default="one per core",
    help="gevent worker processes; scoring is CPU-bound, so more than the cores do not help.",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the API under gunicorn (settings in risk_service/gunicorn_conf.py).

    Workers share metrics through a fresh PROMETHEUS_MULTIPROC_DIR; the app writes one JSON log
    line per request itself (gunicorn's access log would print query strings, i.e. role text).
    Put a buffering reverse proxy in front in production (README, Operations).
    """
    from risk_service.gunicorn_conf import fresh_metrics_dir, serve_argv

    # Set before gunicorn imports prometheus_client, which picks its storage at import.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = fresh_metrics_dir()
    argv = serve_argv(host, port, workers)
    os.execv(argv[0], argv)


@main.group("import")
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
    from training.importers import SourceError, write_corpus
    from training.importers.esco import import_esco as run

    if de_path is not None and lang != "en":
        raise click.UsageError("--de joins German labels onto an English SOURCE; drop --lang de")
    try:
        occupations, tasks, report = run(source, lang, de_path)
        _echo_report(write_corpus(output, occupations, tasks, force=force), report)
    except SourceError as exc:
        raise click.ClickException(str(exc)) from None


@main.group()
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
    envvar=["RISK_DATABASE_URL", "DATABASE_URL"],
    help="SQLAlchemy URL of the store [default: the instance folder's risk.db].",
)
def feedback_export(output: str, database_url: str | None) -> None:
    """Task feedback → corpus files: `train --data training/data --data OUTPUT` learns from it.

    Assessments that matched no corpus occupation have no ISCO-08 code and are skipped (counted
    in the report).
    """
    from dataclasses import asdict

    from flask import Flask

    from risk_service.store import Store, StoreUnavailable
    from training.feedback_export import export_feedback

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
    """One line per version, oldest first; * marks the current one, BROKEN what would not load."""
    from risk_service.registry import RegistryError

    registry = _registry(models_dir)
    try:
        current = registry.current_version()
    except RegistryError as exc:
        click.echo(f"warning: {exc}", err=True)
        current = None
    for m in registry.versions():
        mark = "*" if m["version"] == current else " "
        if m["broken"]:
            click.echo(f"{mark} {m['version']}  BROKEN: {m['broken']}")
            continue
        metrics = m["metrics"]
        click.echo(
            f"{mark} {m['version']}  {m['created']}  "
            f"auc_min={metrics.get('rule_auc_min', '-')}  "
            f"f1_min={metrics.get('category_macro_f1_min', '-')}  "
            f"data={m.get('data_hash', '')[:10]}"
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
    except OSError as exc:  # the pointer could not be written
        raise click.ClickException(f"cannot update the registry: {exc}") from None


@models.command("rollback")
@_models_dir
def models_rollback(models_dir: str) -> None:
    """Return to the previously promoted version."""
    from risk_service.registry import RegistryError

    try:
        click.echo(f"current: {_registry(models_dir).rollback()}")
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # the pointer could not be written
        raise click.ClickException(f"cannot update the registry: {exc}") from None


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
