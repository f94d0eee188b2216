"""Optional per-client rate limit on the ``/v1`` API (Flask-Limiter).

Off unless the setting ``rate_limit`` is given (``RISK_RATE_LIMIT``, e.g. ``"120/minute"``).
Clients are told apart by remote address; behind a reverse proxy set ``RISK_PROXY_HOPS`` so that
it is the client's, not the proxy's. The default storage is per process, so under N gunicorn
workers a client may get up to N times the limit; point ``RISK_RATE_LIMIT_STORAGE_URI`` at shared
storage (e.g. ``redis://...``) for an exact limit.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from limits import parse_many

from risk_service.config import Settings
from risk_service.web.problems import HTTPProblem, problem_response


def _exempt() -> bool:
    # Probes, scrapes, docs and the page stay reachable for a client that is over its limit.
    return not request.path.startswith("/v1/")


def init_app(app: Flask, settings: Settings) -> None:
    """Install the limiter if the setting ``rate_limit`` is given.

    Raises
    ------
    ValueError
        If ``rate_limit`` is not a rate such as ``"120/minute"`` or ``"10/second;500/hour"``.
    """
    rate = settings.rate_limit
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
        storage_uri=settings.rate_limit_storage_uri,
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
