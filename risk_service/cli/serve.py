"""``serve``: the web service under gunicorn."""

from __future__ import annotations

import os

import click


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option(
    "--workers",
    default=os.cpu_count() or 1,
    show_default="one per core",
    help="gevent worker processes; scoring is CPU-bound, so more than the cores do not help.",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the API under gunicorn (settings in risk_service/web/gunicorn_conf.py).

    Workers share metrics through a fresh PROMETHEUS_MULTIPROC_DIR; the app writes one JSON log
    line per request itself (gunicorn's access log would print query strings, i.e. role text).
    Put a buffering reverse proxy in front in production (README, Operations).
    """
    from risk_service.web.gunicorn_conf import fresh_metrics_dir, serve_argv

    # Set before gunicorn imports prometheus_client, which picks its storage at import.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = fresh_metrics_dir()
    argv = serve_argv(host, port, workers)
    os.execv(argv[0], argv)
