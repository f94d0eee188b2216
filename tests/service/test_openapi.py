"""The OpenAPI 3.1 document at /openapi.json and the Swagger UI at /docs, served offline."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from risk_service import create_app, schemas
from risk_service.web import openapi
from tests.browser import chromium

# Rules that are not API operations: static files and the Swagger UI's own assets.
UNDOCUMENTED_RULES = {"/static/<path:filename>", "/docs/<path:path>"}


@pytest.fixture
def spec(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def test_document_is_valid_openapi_3_1(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_every_route_the_app_serves_is_documented(app, spec):
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    served = {
        (re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.rule not in UNDOCUMENTED_RULES
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served - documented == set(), "routes without a contract (risk_service/web/contracts.py)"
    assert documented - served == set(), "documented routes the app does not serve"


def test_design_routes_are_present(spec):
    for path, method in [
        ("/v1/score", "post"),
        ("/v1/score", "get"),
        ("/v1/score/batch", "post"),
        ("/v1/workforce", "post"),
        ("/v1/model", "get"),
        ("/v1/model/reload", "post"),
        ("/healthz", "get"),
        ("/readyz", "get"),
        ("/openapi.json", "get"),
    ]:
        assert method in spec["paths"].get(path, {}), (method, path)


def test_request_schemas_are_the_validating_models(spec):
    """The document carries the pydantic models' own schemas, so it cannot drift from them."""
    components = spec["components"]["schemas"]
    role = schemas.Role.model_json_schema(ref_template=openapi.REF_TEMPLATE)
    assert components["Role"]["properties"] == role["properties"]
    body = spec["paths"]["/v1/score"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"] == {"$ref": "#/components/schemas/Role"}
    batch = components["BatchRequest"]["properties"]["roles"]
    assert batch["maxItems"] == schemas.MAX_BATCH
    assert components["WorkforceRole"]["properties"]["headcount"]["minimum"] == 0


def test_problem_responses_reference_the_problem_schema(spec):
    post = spec["paths"]["/v1/score"]["post"]["responses"]
    assert {"200", "400", "413", "415", "422", "503"} <= set(post)
    for status in ("400", "413", "415", "422", "503"):
        content = post[status]["content"]
        assert content == {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    assert set(spec["components"]["schemas"]["Problem"]["required"]) == {
        "type",
        "title",
        "status",
        "detail",
    }


def test_get_score_documents_its_query_parameters(spec):
    params = {p["name"]: p for p in spec["paths"]["/v1/score"]["get"]["parameters"]}
    assert set(params) == {"title", "description", "language"}
    assert all(p["in"] == "query" for p in params.values())
    assert params["language"]["schema"]["enum"] == ["de", "en"]
    assert params["description"]["schema"]["maxLength"] == schemas.MAX_TEXT_CHARS


def test_reload_requires_the_bearer_scheme(spec, client):
    reload = spec["paths"]["/v1/model/reload"]["post"]
    assert reload["security"] == [{"adminToken": []}]
    scheme = spec["components"]["securitySchemes"]["adminToken"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}
    assert "401" in reload["responses"]
    assert client.post("/v1/model/reload").status_code == 401


def test_rate_limit_is_documented_only_when_configured(registry_dir, tmp_path, spec):
    assert "429" not in spec["paths"]["/v1/score"]["post"]["responses"]
    limited = create_app(
        {
            "TESTING": True,
            "MODELS_DIR": str(registry_dir),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'risk.db'}",
            "RATE_LIMIT": "1000/minute",
        }
    )
    doc = limited.test_client().get("/openapi.json").get_json()
    assert "429" in doc["paths"]["/v1/score"]["post"]["responses"]
    assert "429" not in doc["paths"]["/healthz"]["get"]["responses"]


def test_document_is_built_once_per_app(app, monkeypatch):
    calls = []
    build = openapi.build_spec
    monkeypatch.setattr(openapi, "build_spec", lambda a: calls.append(a) or build(a))
    client = app.test_client()
    first = client.get("/openapi.json").get_json()
    second = client.get("/openapi.json").get_json()
    assert first == second
    assert calls == [app]


def test_docs_page_and_assets_load_from_the_package(client):
    redirect = client.get("/docs")
    assert redirect.status_code in (301, 308)
    assert urlsplit(redirect.headers["Location"]).path == "/docs/"
    page = client.get("/docs/")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for url in assets:
        assert url.startswith("/docs/"), f"{url} is not served by this app"
        with client.get(url) as asset:  # a file response: closed as a WSGI server closes it
            assert asset.status_code == 200, url
            assert len(asset.data) > 100, url
    with client.get("/docs/swagger-ui-bundle.js") as bundle:
        assert b"SwaggerUIBundle" in bundle.data
    # The UI's settings: the spec from this app, and no upload to the public validator.
    settings = json.loads(re.search(r"var user_config = (\{.*?\});", html).group(1))
    assert settings["url"] == "/openapi.json"
    assert settings["validatorUrl"] is None


def test_docs_page_does_not_reflect_the_host_header(client):
    html = client.get("/docs/", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert "evil.example" not in html


def test_docs_render_in_a_browser_without_external_requests(base_url):
    """Headless Chromium renders every operation, and asks nothing of any other host."""
    urls: list[str] = []
    errors: list[str] = []
    with chromium() as browser:
        page = browser.new_page()
        page.on("request", lambda r: urls.append(r.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base_url}/docs", wait_until="networkidle")
        page.wait_for_selector(".opblock-summary-path", timeout=15_000)
        shown = page.locator(".opblock-summary-path").all_inner_texts()
        title = page.locator(".info .title").inner_text()
    assert errors == []
    assert "risk-service" in title
    assert "/v1/score" in shown and "/v1/workforce" in shown
    hosts = {urlsplit(u).netloc for u in urls if urlsplit(u).scheme in ("http", "https")}
    assert hosts == {urlsplit(base_url).netloc}, urls
