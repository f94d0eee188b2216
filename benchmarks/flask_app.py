"""Baseline for the HTTP benchmark (issue 15): a bare Flask app with one POST route that
parses the JSON body and answers it as JSON.

Served by the same gunicorn command, worker model and worker count as the product
(``risk_service.web.gunicorn_conf``), so the ratio of the two is what the service's own work
costs on top of Flask. ``GET /readyz`` only tells the harness the server is up. Benchmark
only: not part of the product.
"""

from __future__ import annotations

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/echo")
def echo():
    return jsonify(request.get_json())


@app.get("/readyz")
def ready():
    return {"status": "ready"}
