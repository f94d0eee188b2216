"""risk-service: job-automation risk from the rule-basedness of a role's own tasks.

Three products share the pipeline modules of this package (text, jobad, features, occupations,
taskmodel, scoring, advice, upskilling, workforce, registry, …): the web service
(:mod:`risk_service.web`), the batch engine (:mod:`risk_service.batch`) and the command line
(:mod:`risk_service.cli`). ``import risk_service`` loads none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

__version__ = "0.1.0"


def create_app(config: Mapping | None = None) -> Flask:
    """The web app: :func:`risk_service.web.app.create_app`, imported on first call so that
    ``import risk_service`` (CLI, batch, training) does not load Flask."""
    from risk_service.web.app import create_app as web_app

    return web_app(config)
