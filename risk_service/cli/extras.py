"""Which extra each command needs, and one line saying which to install when it is missing.

The serving install (``pip install risk-service``) runs ``serve`` and ``models``; the others
need an extra (setup.cfg). A command checks its extra's modules before it starts, without
importing them, so a missing one ends in a single line instead of a traceback halfway through.
"""

from __future__ import annotations

import importlib.util

import click

# The top-level modules each extra installs (setup.cfg, [options.extras_require]).
EXTRA_MODULES: dict[str, tuple[str, ...]] = {
    "batch": ("pandas", "pyarrow", "tqdm"),
    "train": ("pandas", "pyarrow", "tqdm", "sklearn", "scipy", "joblib", "matplotlib", "jinja2"),
    "dask": ("pandas", "pyarrow", "tqdm", "dask", "distributed"),
}


def missing(modules: tuple[str, ...]) -> list[str]:
    """The ``modules`` that cannot be imported here (checked without importing them)."""
    return [name for name in modules if not _importable(name)]


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):  # a broken or half-removed installation
        return False


def require(extra: str, what: str, modules: tuple[str, ...] | None = None) -> None:
    """Stop with one line if the modules of ``extra`` are not installed.

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRA_MODULES`.
    what : str
        What needs it, as the user typed it (``"risk-service train"``, ``"--chart"``).
    modules : tuple of str, optional
        The part of the extra that ``what`` needs (default: all of its modules).

    Raises
    ------
    click.ClickException
        Naming the extra, the command that installs it and the missing modules.
    """
    absent = missing(modules or EXTRA_MODULES[extra])
    if absent:
        raise click.ClickException(
            f"{what} needs the '{extra}' extra: pip install 'risk-service[{extra}]' "
            f"(missing: {', '.join(absent)})"
        )
