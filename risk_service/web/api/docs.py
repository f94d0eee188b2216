"""The OpenAPI document and Swagger UI, both served from the installed packages (no CDN)."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app
from flask_swagger_ui import get_swaggerui_blueprint

from risk_service.web.contracts import contract
from risk_service.web.openapi import get_spec

bp = Blueprint("docs", __name__)

DOCS_URL = "/docs"
SPEC_URL = "/openapi.json"


@bp.get(SPEC_URL)
@contract(summary="This OpenAPI document", tag="documentation")
def openapi_json() -> dict:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the app, not its proxy
    return get_spec(app)


def swagger_ui() -> Blueprint:
    """Swagger UI with its assets from the flask-swagger-ui wheel.

    ``validatorUrl: null`` stops the UI from sending the document to validator.swagger.io, and
    the fixed ``oauth2RedirectUrl`` keeps the Host header out of the rendered page.
    """
    return get_swaggerui_blueprint(
        DOCS_URL,
        SPEC_URL,
        config={
            "app_name": "risk-service API",
            "validatorUrl": None,
            "oauth2RedirectUrl": f"{DOCS_URL}/oauth2-redirect.html",
            "tryItOutEnabled": True,
        },
    )


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    ui = swagger_ui()
    app.register_blueprint(ui)
    # The UI's page is a view of the flask-swagger-ui blueprint (which also serves its assets):
    # its contract is declared here.
    page = f"{ui.name}.show"
    app.view_functions[page] = contract(
        summary="API documentation (Swagger UI)",
        tag="documentation",
        media_type="text/html",
        only_rule=f"{DOCS_URL}/",
    )(app.view_functions[page])
