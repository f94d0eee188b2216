"""Optional per-client rate limit on the ``/v1`` API (Flask-Limiter).

Off unless ``RATE_LIMIT`` is set (e.g. ``"120/minute"``, or ``RISK_RATE_LIMIT`` in the
environment). Clients are told apart by remote address; behind a reverse proxy wrap the app in
``werkzeug.middleware.proxy_fix.ProxyFix`` so that is the client's, not the proxy's. The default
storage is per process, so under N gunicorn workers a client may get up to N times the limit;
point ``RATE_LIMIT_STORAGE_URI`` at shared storage (e.g. ``redis://...``) for an exact limit.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse_many

from risk_service.web.problems import HTTPProblem, problem_response


def _exempt() -> bool:
    # Probes, scrapes, docs and the page stay reachable for a client that is over its limit.
    return not request.path.startswith("/v1/")


def init_app(app: Flask) -> None:
    """Install the limiter if ``RATE_LIMIT`` is configured.

    Raises
    ------
    ValueError
        If ``RATE_LIMIT`` is not a rate such as ``"120/minute"`` or ``"10/second;500/hour"``.
    """
    app.config.setdefault("RATE_LIMIT", None)
    app.config.setdefault("RATE_LIMIT_STORAGE_URI", "memory://")
    rate = app.config["RATE_LIMIT"]
    if not rate:
        return
    try:
        parse_many(str(rate))
    except ValueError:
        raise ValueError(f"RATE_LIMIT {rate!r} is not a rate such as '120/minute'") from None

    limiter = Limiter(
        get_remote_address,
        app=app,
        default_limits=[str(rate)],
        default_limits_exempt_when=_exempt,
        headers_enabled=True,  # X-RateLimit-* on every answer, Retry-After on a 429
        storage_uri=app.config["RATE_LIMIT_STORAGE_URI"],
        key_prefix="risk-service",
    )
    app.extensions["risk_rate_limiter"] = limiter

    @app.errorhandler(RateLimitExceeded)
    def _too_many(exc: RateLimitExceeded):
        return problem_response(
            HTTPProblem(
                429,
                "rate-limited",
                "Too many requests",
                f"this client exceeded the limit of {exc.limit.limit}; retry after the number "
                "of seconds in the Retry-After header",
            )
        )
