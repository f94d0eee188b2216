"""The import rules of docs/architecture.md, checked on every import statement of the package.

Serving never imports ``training/``; the pipeline modules of ``risk_service/`` never import the
products (web, batch, CLI); web and batch do not import each other or the CLI; the CLI imports
``training`` and the products only inside the command that needs them (never at module level).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "risk_service"
# Kept at the top of the package for callers that name them; they only delegate to web/.
DELEGATES = {"__init__.py", "__main__.py", "wsgi.py"}


def imports(path: Path, *, top_level_only: bool = False) -> list[tuple[int, str]]:
    """``(line, module)`` of every import in ``path`` (or of its module-level ones only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else ast.walk(tree)
    found = []
    for node in nodes:
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            # `from risk_service import web` names a package as a member
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def breaks(path: Path, forbidden: tuple[str, ...], *, top_level_only: bool = False) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {module}"
        for line, module in imports(path, top_level_only=top_level_only)
        if any(module == f or module.startswith(f + ".") for f in forbidden)
    ]


def modules(where: Path) -> list[Path]:
    return sorted(where.rglob("*.py"))


def test_pipeline_modules_import_no_product_and_no_training():
    pipeline = [p for p in PACKAGE.glob("*.py") if p.name not in DELEGATES]
    assert len(pipeline) > 15  # the rule is checked on the real modules
    forbidden = ("training", "risk_service.web", "risk_service.batch", "risk_service.cli", "flask")
    assert [b for p in pipeline for b in breaks(p, forbidden)] == []


@pytest.mark.parametrize(
    ("product", "forbidden"),
    [
        ("web", ("training", "risk_service.batch", "risk_service.cli", "pandas", "sklearn")),
        ("batch", ("training", "risk_service.web", "risk_service.cli", "flask", "sklearn")),
    ],
)
def test_web_and_batch_import_neither_training_nor_each_other(product, forbidden):
    found = [b for p in modules(PACKAGE / product) for b in breaks(p, forbidden)]
    assert found == []


def test_the_cli_imports_training_and_the_products_only_inside_commands():
    forbidden = ("training", "risk_service.web", "risk_service.batch", "flask", "pandas")
    found = [b for p in modules(PACKAGE / "cli") for b in breaks(p, forbidden, top_level_only=True)]
    assert found == []
    # ... and the rule is not vacuous: the commands do import them, lazily.
    lazy = {m for p in modules(PACKAGE / "cli") for _, m in imports(p)}
    assert {"training.train", "risk_service.batch.files", "risk_service.web.gunicorn_conf"} <= lazy


def test_the_delegates_only_delegate():
    for name in DELEGATES:
        found = {m for _, m in imports(PACKAGE / name)}
        assert not any(m.startswith(("training", "risk_service.batch")) for m in found), name


def test_the_readme_names_every_module():
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    unnamed = []
    for path in [*modules(PACKAGE), *modules(PACKAGE.parent / "training")]:
        relative = path.relative_to(PACKAGE.parent).as_posix()
        folder = relative.rpartition("/")[0]
        if path.name == "__init__.py" and f"`{folder}/`" in readme:
            continue  # a package is named by its folder
        named_in_folder = re.search(rf"`{re.escape(folder)}/` \([^)]*`{path.name}`", readme)
        # Scripts in a folder that is not a package (Alembic's migrations/) go by the folder.
        script_folder = any(
            not (d / "__init__.py").exists()
            and f"`{d.relative_to(PACKAGE.parent).as_posix()}/`" in readme
            for d in path.parents
            if PACKAGE.parent in d.parents
        )
        if f"`{relative}`" not in readme and not named_in_folder and not script_folder:
            unnamed.append(relative)
    assert unnamed == []
