"""``score`` and ``workforce``: files of roles through the batch engine. CSV files need no
extra (the standard library reads and writes them), Parquet files the ``batch`` extra
(pyarrow), ``--engine dask`` the ``dask`` extra, ``--chart`` the ``train`` extra."""

from __future__ import annotations

import json
from pathlib import Path

import click

from risk_service.cli.extras import require
from risk_service.cli.options import models_dir_option


@click.command()
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--output", "output_path", required=True, type=click.Path(dir_okay=False))
@click.option("--chunk-size", default=5_000, show_default=True, help="Rows scored per chunk.")
@models_dir_option
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
@click.option(
    "--format",
    "out_format",
    type=click.Choice(["csv", "parquet", "jsonl"]),
    help="Output format [default: from the output's extension]. jsonl: one full assessment "
    "per line (tasks, advice, evidence, upskilling), as POST /v1/score answers it.",
)
@click.option(
    "--sep",
    help="CSV input separator, e.g. ';' or '\\t' [default: read off the header line].",
)
@click.option(
    "--encoding",
    help="CSV input encoding, e.g. latin-1 [default: UTF-8 (with or without BOM), UTF-16 with "
    "BOM, else Windows-1252 with a note].",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar with total and time left [default: on a terminal].",
)
def score(
    input_path: str,
    output_path: str,
    chunk_size: int,
    models_dir: str,
    engine: str,
    scheduler: str | None,
    npartitions: int | None,
    out_format: str | None,
    sep: str | None,
    encoding: str | None,
    progress: bool | None,
) -> None:
    """Score a CSV or Parquet file of roles (columns id, title, description[, tasks, language];
    other columns are passed through to the output beside each row's score).

    Rows stream through in chunks, so memory stays flat on large files; output keeps input
    order. The output format follows --format or the output's extension (.csv, .parquet,
    .jsonl); a CSV output uses the input's separator. On any error nothing is written.
    """
    if engine != "dask" and (scheduler or npartitions):
        raise click.UsageError("--scheduler and --npartitions need --engine dask")
    if sep is not None:
        sep = {"\\t": "\t", "tab": "\t"}.get(sep, sep)
        if len(sep) != 1:
            raise click.BadParameter("one character, e.g. ';' or '\\t'", param_hint="--sep")
    if engine == "dask":
        require("dask", "risk-service score --engine dask")
    elif _parquet(input_path, output_path):
        require("batch", "risk-service score on Parquet files", ("pyarrow",))
    from risk_service.batch import files
    from risk_service.registry import Registry, RegistryError

    try:
        kind = files.output_format(Path(output_path), out_format)
    except files.InputError as exc:
        raise click.UsageError(f"{exc}, or give --format") from None
    if engine == "dask" and (kind == "jsonl" or sep or encoding):
        raise click.UsageError("--engine dask writes CSV or Parquet from comma-separated UTF-8")

    if engine == "dask":
        from risk_service.batch.distributed import score_file_dask

        try:
            rows, version = score_file_dask(
                Path(input_path),
                Path(output_path),
                models_dir,
                scheduler=scheduler,
                npartitions=npartitions,
            )
        except (RegistryError, files.InputError) as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"scored {rows} rows → {output_path} (model {version}, dask)", err=True)
        return
    source = Path(input_path)
    try:
        dialect = files.sniff_csv(source, sep, encoding) if files.is_csv(source) else None
    except files.InputError as exc:
        raise click.ClickException(str(exc)) from None
    if dialect is not None and dialect.note:
        click.echo(f"{input_path}: {dialect.note} (override with --sep / --encoding)", err=True)
    try:
        model = Registry(models_dir).load()
    except RegistryError as exc:
        raise click.ClickException(str(exc)) from None
    try:
        rows = files.score_file(
            source,
            Path(output_path),
            model,
            chunk_size,
            out_format=kind,
            dialect=dialect,
            progress=progress,
        )
    except files.InputError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(
        f"scored {rows} rows → {output_path} ({kind}, model {model.meta.get('version')})",
        err=True,
    )


@click.command()
@click.option("--input", "input_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    help="JSON file for the roll-up (default: standard output).",
)
@models_dir_option
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
@click.option("--sep", help="CSV input separator [default: read off the header line].")
@click.option("--encoding", help="CSV input encoding [default: detected, as for score].")
def workforce(
    input_path: str,
    output_path: str | None,
    models_dir: str,
    attrition_rate: float | None,
    implementation_cost: float | None,
    chart_path: str | None,
    sep: str | None,
    encoding: str | None,
) -> None:
    """Roll up a CSV/Parquet of roles with a ``headcount`` column (as POST /v1/workforce), with
    the transition plan; an optional ``cost_per_fte`` column (yearly) gives the payback.

    The answer has the keys of POST /v1/workforce's; each of ``results`` also carries the
    row's ``id`` and other columns, and a row that cannot be scored its ``error``. The plan
    describes work, not people: it makes no personnel decision about individuals.
    """
    if _parquet(input_path):
        require("batch", "risk-service workforce on Parquet files", ("pyarrow",))
    if chart_path:
        require("train", "--chart", ("matplotlib",))
    from risk_service.batch import files
    from risk_service.batch.records import passthrough_record
    from risk_service.registry import Registry, RegistryError
    from risk_service.scoring import RoleError, score_rows
    from risk_service.workforce import plan, rollup

    if chart_path and not chart_path.lower().endswith(".png"):
        raise click.BadParameter(
            "the chart is written as PNG: give a .png file", param_hint="--chart"
        )

    source = Path(input_path)
    if sep is not None:
        sep = {"\\t": "\t", "tab": "\t"}.get(sep, sep)
    try:
        dialect = files.sniff_csv(source, sep, encoding) if files.is_csv(source) else None
        columns, rows = files.read_all(source, dialect)
        model = Registry(models_dir).load()
    except (RegistryError, files.InputError) as exc:
        raise click.ClickException(str(exc)) from None
    if dialect is not None and dialect.note:
        click.echo(f"{input_path}: {dialect.note} (override with --sep / --encoding)", err=True)
    if "headcount" not in columns:
        raise click.ClickException(f"{input_path}: missing column 'headcount'")
    headcounts, costs = [], []
    for n, row in enumerate(rows):
        headcounts.append(_headcount(row["headcount"], input_path, n))
        costs.append(_cost_per_fte(row.get("cost_per_fte"), input_path, n))
    assessed = score_rows(rows, model)
    results = [None if isinstance(r, RoleError) else r for r in assessed]
    per_role = []
    for n, (row, result) in enumerate(zip(rows, assessed, strict=True)):
        item = {"id": str(row.get("id", n)), **passthrough_record(row), "headcount": headcounts[n]}
        item.pop("cost_per_fte", None)
        if isinstance(result, RoleError):
            item["error"] = result.describe()
        else:
            item.update(result)
        per_role.append(item)
    transition = plan(
        headcounts,
        results,
        attrition_rate=attrition_rate,
        costs_per_fte=costs,
        implementation_cost=implementation_cost,
    )
    # The keys of POST /v1/workforce's answer (DESIGN §2: per-role "results").
    summary = {**rollup(headcounts, results), "plan": transition, "results": per_role}
    if chart_path:
        _phasing_chart(transition, Path(chart_path))
    text = json.dumps(summary, indent=2, ensure_ascii=False)
    if output_path:
        Path(output_path).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)


def _parquet(*paths: str | None) -> bool:
    return any(p and p.lower().endswith((".parquet", ".pq")) for p in paths)


def _headcount(value: object, input_path: str, n: int) -> int:
    """A row's ``headcount``; a clear error names the row when it is not an integer >= 0."""
    try:
        headcount = int(str(value).strip())
        if headcount < 0:
            raise ValueError
    except ValueError:
        raise click.ClickException(
            f"{input_path}, row {n + 2}, column 'headcount': {value!r} is not an integer >= 0"
        ) from None
    return headcount


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
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

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
