"""The web service: app factory (:mod:`risk_service.web.app`), problem+json errors and JSON I/O,
request bodies, OpenAPI, telemetry, rate limit, the audit/feedback store, the ``api/``
blueprints, the page's static files and template, the WSGI entry point and gunicorn settings.

Nothing is imported here: ``gunicorn -c python:risk_service.web.gunicorn_conf`` loads this
package into the gunicorn master, which must not import Flask before gevent patches the workers.
"""
