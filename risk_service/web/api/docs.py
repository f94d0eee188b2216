"""The OpenAPI document and Swagger UI, both served from the installed packages (no CDN)."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app
from flask_swagger_ui import get_swaggerui_blueprint

from risk_service.web.openapi import get_spec

bp = Blueprint("docs", __name__)

DOCS_URL = "/docs"
SPEC_URL = "/openapi.json"


@bp.get(SPEC_URL)
def openapi_json():
    return get_spec(current_app._get_current_object())  # the app itself, not its proxy


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
    app.register_blueprint(swagger_ui())
