"""Operations telemetry: Prometheus metrics and one structured log line per request.

Metrics live in prometheus_client's default registry. Under several gunicorn workers
``risk-service serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` before anything imports
prometheus_client, so every worker writes its values to that directory and a scrape answered by
any worker adds them all up (see :func:`exposition` and :mod:`risk_service.web.gunicorn_conf`).

Logs never carry role texts or request bodies: the request line logs the path without its
query string, and bodies appear at DEBUG as a byte count only. Plain-text lines
(``RISK_LOG_JSON=false``) escape control characters, so a ``%0a`` in a path cannot start a forged
line of its own; JSON lines are escaped by JSON itself.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Iterable

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder
from pythonjsonlogger.json import JsonFormatter

from risk_service.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
LOG_HANDLER_NAME = "risk_service.web.telemetry"
# Client-chosen ids are echoed into headers and logs: no spaces, quotes or line breaks.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")
# Methods outside this set are labelled "other", so clients cannot grow the label space.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Probes and scrapes arrive every few seconds; their request lines would drown the real traffic.
_QUIET_PATHS = frozenset({"/metrics", "/healthz", "/readyz"})

REQUEST_SECONDS = Histogram(
    "risk_http_request_duration_seconds",
    "Time from request start to response, by route template, method and status class.",
    ["endpoint", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
ASSESSMENTS = Counter(
    "risk_assessments", "Roles assessed, by risk band and language.", ["band", "language"]
)
PROBLEMS = Counter(
    "risk_problems", "Problem+json responses, by problem type slug and status.", ["type", "status"]
)
# livemax: a dead worker's version disappears; a live one still serving the old model shows it.
MODEL_INFO = Gauge(
    "risk_model_info",
    "1 for the model version a live worker serves.",
    ["version"],
    multiprocess_mode="livemax",
)

access_log = logging.getLogger("risk_service.access")
_shown_version: dict[str, str | None] = {"version": None}
_shown_lock = threading.Lock()


def count_assessments(results: Iterable[object]) -> None:
    """Count produced assessments by band and language.

    Parameters
    ----------
    results : iterable
        Output of :func:`risk_service.scoring.assess_many`; entries that are not assessments
        (per-role errors) are skipped.
    """
    for result in results:
        if isinstance(result, dict) and "risk_band" in result:
            ASSESSMENTS.labels(result["risk_band"], result.get("language") or "unknown").inc()


def count_problem(slug: str, status: int) -> None:
    """Count one problem+json response.

    Parameters
    ----------
    slug : str
        Last segment of the problem ``type`` URI, e.g. ``"validation"``.
    status : int
        HTTP status of the response.
    """
    PROBLEMS.labels(slug, str(status)).inc()


def show_model_version(version: str | None) -> None:
    """Point the ``risk_model_info`` gauge at ``version`` (``None``: no model loaded).

    Parameters
    ----------
    version : str or None
        Version this process serves now.
    """
    with _shown_lock:
        previous = _shown_version["version"]
        if version == previous:
            return
        # Set to 0 rather than remove: removal does not reach multiprocess files.
        if previous is not None:
            MODEL_INFO.labels(previous).set(0)
        if version is not None:
            MODEL_INFO.labels(version).set(1)
        _shown_version["version"] = version


def exposition(accept: str | None = None) -> tuple[bytes, str]:
    """All metrics in the Prometheus text format, summed over workers in multiprocess mode.

    Parameters
    ----------
    accept : str, optional
        The scraper's ``Accept`` header; it chooses between the text and OpenMetrics formats.

    Returns
    -------
    body : bytes
    content_type : str
    """
    registry = REGISTRY
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry), content_type


class _RequestIdFilter(logging.Filter):
    """Stamp every record with the current request id ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = g.get("request_id", "-") if has_request_context() else "-"
        return True


# C0 and C1 controls plus Unicode line/paragraph separators: anything a terminal or a log
# shipper may take for a line break or an escape sequence.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape_control(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class PlainFormatter(logging.Formatter):
    """One record, one line: control characters in the message (a request path, an exception
    message) are written as ``\\xNN`` escapes. A traceback, appended after, keeps its lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return _CONTROL.sub(_escape_control, super().formatMessage(record))


def _configure_logging(app: Flask, settings: Settings) -> None:
    """One stderr handler on the app logger, JSON unless ``log_json`` is false."""
    if settings.log_json:
        formatter: logging.Formatter = JsonFormatter(
            "{levelname}{name}{process}{message}",
            style="{",
            rename_fields={"levelname": "level", "name": "logger", "process": "pid"},
            timestamp="time",
            json_ensure_ascii=False,
        )
    else:
        formatter = PlainFormatter(
            "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
        )
    handler = logging.StreamHandler()
    handler.set_name(LOG_HANDLER_NAME)
    handler.addFilter(_RequestIdFilter())
    handler.setFormatter(formatter)
    logger = app.logger
    # The logger is process-wide: replace what an earlier create_app (or Flask) installed.
    for old in list(logger.handlers):
        if old is default_handler or old.get_name() == LOG_HANDLER_NAME:
            logger.removeHandler(old)
    logger.addHandler(handler)
    logger.setLevel(settings.log_level)


def _start_request() -> None:
    g.request_started = time.perf_counter()
    given = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = given if _SANE_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    if request.content_length:
        access_log.debug("request body of %d bytes", request.content_length)


def _finish_request(response: Response) -> Response:
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    method = request.method if request.method in _METHODS else "other"
    REQUEST_SECONDS.labels(endpoint, method, f"{response.status_code // 100}xx").observe(seconds)

    request_id = g.get("request_id") or uuid.uuid4().hex
    response.headers[REQUEST_ID_HEADER] = request_id
    version = current_app.extensions["risk_model"].version
    show_model_version(version)
    access_log.log(
        logging.DEBUG if request.path in _QUIET_PATHS else logging.INFO,
        "%s %s %d",
        request.method,
        request.path,
        response.status_code,
        extra={
            "request_id": request_id,
            "method": request.method,
            "path": request.path,  # never the query string: GET /v1/score carries role text
            "status": response.status_code,
            "duration_ms": round(seconds * 1000, 2),
            "model_version": version,
        },
    )
    return response


def init_app(app: Flask, settings: Settings) -> None:
    """Register request hooks and logging; call before other ``before_request`` users.

    Settings ``log_level`` and ``log_json`` (``RISK_LOG_LEVEL``, ``RISK_LOG_JSON``).
    """
    _configure_logging(app, settings)
    app.before_request(_start_request)
    app.after_request(_finish_request)
