"""HTTP blueprints: scoring, model administration, health."""

from __future__ import annotations

from flask import Flask, current_app

from risk_service.live_model import LiveModel
from risk_service.problems import Problem
from risk_service.taskmodel import TaskModel


def live_model() -> LiveModel:
    return current_app.extensions["risk_model"]


def require_model() -> TaskModel:
    model = live_model().model
    if model is None:
        raise Problem(503, "no-model", "No model loaded", "no model is registered yet; train one")
    return model


def init_app(app: Flask) -> None:
    from risk_service.api import feedback, health, model_admin, page, score

    app.register_blueprint(health.bp)
    app.register_blueprint(score.bp)
    app.register_blueprint(model_admin.bp)
    app.register_blueprint(feedback.bp)
    app.register_blueprint(page.bp)

    from risk_service.api import metrics

    app.register_blueprint(metrics.bp)

    from risk_service.api import docs

    docs.init_app(app)
