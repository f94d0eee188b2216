"""The browser page at ``/``: paste a role or job ad, see its risk and the three upskilling areas.

The page is plain HTML, CSS and JavaScript shipped in the package (no CDN, no build step); it
talks to the service only through ``POST /v1/score`` (in its interface language:
``advice_language``), ``POST /v1/feedback`` (agree/disagree per task) and ``POST /v1/workforce``
(the transition plan of a pasted headcount table); export and print happen in the browser.
"""

from __future__ import annotations

from flask import Blueprint, Response, make_response, render_template

from risk_service import __version__, schemas
from risk_service.web.contracts import contract

bp = Blueprint("page", __name__)

# Everything the page loads comes from this origin; the policy makes any slip (a CDN link, an
# inline script) fail loudly in the browser instead of leaking requests to third parties.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


@bp.get("/")
@contract(summary="Web page to assess a role", tag="documentation", media_type="text/html")
def index() -> Response:
    """Serve the scoring page.

    Returns
    -------
    flask.Response
        The HTML page with a strict same-origin Content-Security-Policy.
    """
    html = render_template(
        "page.html",
        version=__version__,
        max_title=schemas.MAX_TITLE_CHARS,
        max_text=schemas.MAX_TEXT_CHARS,
    )
    response = make_response(html)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
