"""Property-based contract test: schemathesis drives /openapi.json against the app in-process.

Every operation of the document gets valid (positive) and invalid (negative) generated
requests, plus requests with methods the path does not serve. Each answer must be no server
error, a documented status code with its documented content type and a body matching the
documented schema; invalid requests must be rejected. ``POST /v1/model/reload`` is generated
without the admin token, so it must answer the documented 401 problem every time.
"""

from __future__ import annotations

import tempfile
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from risk_service import create_app
from tests.conftest import make_app

EXAMPLES_PER_OPERATION = 30
MIN_TOTAL_CASES = 300
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# Statuses seen per "METHOD /path" across this module, for the closing report.
STATUSES: Counter[tuple[str, int]] = Counter()


def _load_schema() -> schemathesis.BaseSchema:
    """The document as the app serves it; it depends on the routes, not on a loaded model.

    Loaded at import because the generated tests are made at collection time; the requests
    then go to the ``service`` fixture's app, which has a trained model.
    """
    with tempfile.TemporaryDirectory() as tmp:
        spec_app = create_app(
            {"TESTING": True, "MODELS_DIR": tmp, "DATABASE_URL": f"sqlite:///{tmp}/risk.db"}
        )
        loaded = schemathesis.openapi.from_wsgi("/openapi.json", spec_app)
    loaded.config.generation.update(modes=["positive", "negative"], deterministic=True)
    return loaded


schema = _load_schema()


@pytest.fixture(scope="module")
def service(registry_dir, tmp_path_factory):
    """One app with the session's model for every generated request (loading it is the cost)."""
    database = tmp_path_factory.mktemp("schemathesis") / "risk.db"
    return make_app(registry_dir, f"sqlite:///{database}")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_openapi_document(case, service):
    response = case.call_and_validate(app=service, checks=CHECKS)
    STATUSES[(f"{case.method} {case.path}", response.status_code)] += 1
    if case.path == "/v1/model/reload" and case.method == "POST":
        assert response.status_code == 401


def test_enough_generated_cases_ran():
    """Runs after the generated tests of this module: reports and checks the suite's size."""
    if not STATUSES:
        pytest.skip("the generated tests did not run in this session (deselected)")
    documented = {
        f"{method.upper()} {path}"
        for path, item in schema.raw_schema["paths"].items()
        for method in item
    }
    per_label: dict[str, Counter[int]] = {}
    for (label, status), n in STATUSES.items():
        per_label.setdefault(label, Counter())[status] += n
    lines = [
        f"{label}: {sum(c.values())} cases ({', '.join(f'{s}x{n}' for s, n in sorted(c.items()))})"
        for label, c in sorted(per_label.items())
        if label in documented
    ]
    on_documented = sum(sum(c.values()) for label, c in per_label.items() if label in documented)
    other = sum(STATUSES.values()) - on_documented
    print(
        f"\nschemathesis: {on_documented} cases on documented operations, {other} with "
        "undocumented methods (405, or 200 for OPTIONS)\n" + "\n".join(lines)
    )
    assert on_documented >= MIN_TOTAL_CASES, lines
    probes = {(label.split()[0], s) for (label, s) in STATUSES if label not in documented}
    assert all(s == 405 or (method, s) == ("OPTIONS", 200) for method, s in probes), probes
