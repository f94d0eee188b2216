"""Baseline for the HTTP benchmark: a bare WSGI app that echoes a JSON body.

Served by the same gunicorn command as the product (``risk_service.web.gunicorn_conf``, same worker
count), so the difference between the two is the service's own work. Benchmark-only: not part
of the product.
"""

from __future__ import annotations

import json


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b"{}"
    if environ.get("PATH_INFO") == "/readyz":
        body = b'{"status": "ready"}'
    else:
        body = json.dumps(json.loads(body)).encode()  # parse and serialise, as an API would
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
