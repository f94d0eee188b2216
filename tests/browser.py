"""Headless Chromium (Debian's ``chromium``, installed by .ci/run) and the app on a real port.

Playwright drives the system browser; its own browser downloads are never used. Tests that need
the browser are skipped, with the reason, where Playwright or Chromium is missing or Chromium
cannot start.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from werkzeug.serving import make_server

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HOST = "127.0.0.1"


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """A launched headless Chromium, closed afterwards; skips the calling test if there is none."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with playwright_api.sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except playwright_api.Error as exc:
            pytest.skip(f"chromium at {CHROMIUM} cannot be launched here: {exc.message[:300]}")
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def serving(app: Flask) -> Iterator[str]:
    """``app`` served on a free localhost port from a background thread: its base URL."""
    server = make_server(HOST, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
