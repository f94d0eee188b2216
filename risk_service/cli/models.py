"""``models``: list, inspect, promote and roll back registered model versions."""

from __future__ import annotations

import json

import click

from risk_service.cli.options import models_dir_option


@click.group()
def models() -> None:
    """List, inspect, promote and roll back registered model versions."""


def _registry(models_dir: str):
    from risk_service.registry import Registry

    return Registry(models_dir)


@models.command("list")
@models_dir_option
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
@models_dir_option
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
@models_dir_option
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
@models_dir_option
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
@models_dir_option
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
