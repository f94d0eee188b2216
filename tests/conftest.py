"""Shared fixtures, flaskr style: ``app``, ``client``, ``runner``; one trained model per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from risk_service import create_app
from risk_service.registry import Registry
from tests.browser import serving

ADMIN_TOKEN = "test-admin-token"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/fixtures/golden_scores.json from the current model and code",
    )


@pytest.fixture(scope="session", autouse=True)
def _audit_log_outside_the_checkout(tmp_path_factory):
    """Apps built without a DATABASE_URL write to a temporary SQLite file, never instance/."""
    url = f"sqlite:///{tmp_path_factory.mktemp('audit') / 'default.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RISK_DATABASE_URL", url)
        yield


@pytest.fixture(scope="session")
def registry_dir(tmp_path_factory):
    """A registry holding the default model: fitted on the full training data (our corpus and
    our O*NET labels), no CV, so the suite tests what ``make train`` serves and stays fast."""
    from training.train import DEFAULT_DATA, train

    root = tmp_path_factory.mktemp("models")
    train(list(DEFAULT_DATA), root, seed=0, evaluate=False)
    return root


@pytest.fixture(scope="session")
def model(registry_dir):
    return Registry(registry_dir).load()


def make_app(registry_dir, database_url: str, **settings):
    """A testing app on the session's model, with the admin token and its own audit database."""
    return create_app(
        {
            "TESTING": True,
            "MODELS_DIR": str(registry_dir),
            "ADMIN_TOKEN": ADMIN_TOKEN,
            "DATABASE_URL": database_url,
            **settings,
        }
    )


@pytest.fixture
def database_url(tmp_path) -> str:
    """A fresh audit log per test, never the developer's instance/risk.db."""
    return f"sqlite:///{tmp_path / 'risk.db'}"


@pytest.fixture
def app(registry_dir, database_url):
    return make_app(registry_dir, database_url)


@pytest.fixture
def base_url(app) -> Iterator[str]:
    """The ``app`` fixture served on a free localhost port (for a real browser)."""
    with serving(app) as url:
        yield url


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- test tiers ------------------------------------------------------------------------------
# tests/unit: no trained model, no other process (plus the doctests of risk_service/): the tier
# `make test-fast` runs. tests/service: in process, on the session's trained model.
# tests/system: servers, spawned processes, clusters, a browser. Each test gets its tier's
# marker from its folder, so `-m "not system"` and the like select across folders.
TIERS = ("unit", "service", "system")
# Fixtures that train (or use) the session's model: a unit test must do without them.
MODEL_FIXTURES = frozenset({"registry_dir", "model", "app", "client", "runner", "base_url"})
TESTS = Path(__file__).resolve().parent


def _tier(path: Path) -> str:
    try:
        parts = path.resolve().relative_to(TESTS).parts
    except ValueError:
        return "unit"  # the doctests of the package
    return parts[0] if len(parts) > 1 and parts[0] in TIERS else "service"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        tier = _tier(Path(item.path))
        item.add_marker(getattr(pytest.mark, tier))
        needs_model = MODEL_FIXTURES & set(getattr(item, "fixturenames", ()))
        if tier == "unit" and needs_model:
            raise pytest.UsageError(
                f"{item.nodeid} uses {sorted(needs_model)}: a unit test runs without the trained "
                "model; move it to tests/service/"
            )
