"""HTTP blueprints: scoring, feedback, model administration, health, metrics, docs, the page."""

from __future__ import annotations

from flask import Flask, current_app

from risk_service.taskmodel import TaskModel
from risk_service.web.live_model import LiveModel
from risk_service.web.problems import HTTPProblem


def live_model() -> LiveModel:
    return current_app.extensions["risk_model"]


def require_model() -> TaskModel:
    model = live_model().model
    if model is None:
        raise HTTPProblem(
            503, "no-model", "No model loaded", "no model is registered yet; train one"
        )
    return model


def init_app(app: Flask) -> None:
    from risk_service.web.api import docs, feedback, health, metrics, model_admin, page, score

    for blueprint in (health.bp, score.bp, model_admin.bp, feedback.bp, page.bp, metrics.bp):
        app.register_blueprint(blueprint)
    docs.init_app(app)  # last: the OpenAPI document lists the routes registered above
