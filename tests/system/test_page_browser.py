"""The page at ``/`` driven in headless Chromium (see tests/browser.py)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import HOST, chromium

GERMAN_AD = """Ihre Aufgaben
- Kontieren und Buchen von Eingangsrechnungen
- Abgleich der Kontoauszüge mit der Finanzbuchhaltung
- Bearbeitung des Mahnwesens
- Einfühlsame Beratung von Kunden in schwierigen Zahlungssituationen
Ihr Profil
- Abgeschlossene kaufmännische Ausbildung
- Sicherer Umgang mit MS Office
Wir bieten
- 30 Tage Urlaub
- Betriebliche Altersvorsorge"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


class Recorder:
    """Console errors, uncaught exceptions and every URL a page requests."""

    def __init__(self, page: Page) -> None:
        self.console_errors: list[str] = []
        self.urls: list[str] = []
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.console_errors.append(f"uncaught: {exc}"))
        page.on("request", lambda request: self.urls.append(request.url))

    def foreign_requests(self) -> list[str]:
        return [url for url in self.urls if urlsplit(url).hostname != HOST]


def open_page(browser: Browser, base_url: str, locale: str) -> tuple[Page, Recorder]:
    context = browser.new_context(locale=locale, viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    recorder = Recorder(page)
    page.goto(base_url + "/", wait_until="networkidle")
    return page, recorder


def test_page_loads_without_console_errors_or_foreign_requests(browser, base_url):
    page, recorder = open_page(browser, base_url, "en-US")

    expect(page).to_have_title("Automation risk of a role")
    expect(page.get_by_label("Role, job ad or job title")).to_be_visible()
    # the stylesheet and script really loaded: styled header, translated placeholder
    header_bg = page.locator("header.top").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_bg == "rgb(29, 53, 87)"
    assert page.locator("html").get_attribute("lang") == "en"
    paths = {urlsplit(url).path for url in recorder.urls}
    assert {"/", "/static/page.css", "/static/page.js"} <= paths
    assert recorder.foreign_requests() == []
    assert recorder.console_errors == []
    page.context.close()


def test_german_job_ad_shows_score_band_tasks_and_three_areas(browser, base_url):
    page, recorder = open_page(browser, base_url, "de-DE")
    # the interface follows navigator.language
    expect(page.locator("#submit")).to_have_text("Risiko bewerten")

    page.get_by_label("Rolle, Stellenanzeige oder Berufsbezeichnung").fill(GERMAN_AD)
    page.get_by_label("Berufsbezeichnung (optional)").fill("Buchhalter/in")
    page.locator("#submit").click()

    expect(page.locator("#result")).to_be_visible()
    score = float(page.locator("#score").inner_text().replace(",", "."))
    assert 0 <= score <= 100
    expected_band = "low" if score <= 30 else "high" if score > 70 else "medium"
    band = page.locator("#band")
    expect(band).to_have_attribute("data-band", expected_band)
    assert band.inner_text() in {"niedriges Risiko", "mittleres Risiko", "hohes Risiko"}
    band_bg = band.evaluate("e => getComputedStyle(e).backgroundColor")
    assert band_bg not in ("rgba(0, 0, 0, 0)", "transparent")
    expect(page.locator("#interval")).to_contain_text("90-%-Intervall")
    expect(page.locator("#occupation")).to_contain_text("Erkannter Beruf")

    tasks = page.locator("#tasks li.task")
    texts = tasks.locator(".task-text").all_inner_texts()
    assert "Abgleich der Kontoauszüge mit der Finanzbuchhaltung" in texts
    # requirements and benefits are set aside, not listed as tasks
    assert not any("Urlaub" in t or "Ausbildung" in t for t in texts)
    expect(page.locator("#ignored")).to_contain_text("30 Tage Urlaub")
    expect(page.locator("#ignored")).to_contain_text("Anforderungen")

    # each task is highlighted on a green→red scale with its percentage and category
    shown = []
    for item in tasks.all():
        p = float(item.get_attribute("data-rule-based"))
        # the page rounds half up (Intl.NumberFormat), Python's round() would round half to even
        assert item.locator(".task-pct").inner_text() == f"{math.floor(100 * p + 0.5)}\u00a0%"
        assert item.locator(".category").inner_text().strip()
        r, g, _ = map(
            int, re.findall(r"\d+", item.evaluate("e => getComputedStyle(e).borderLeftColor"))[:3]
        )
        shown.append((p, r - g))
    assert len(shown) >= 1
    lowest, highest = min(shown), max(shown)
    assert highest[0] > lowest[0] and highest[1] > lowest[1], shown

    areas = page.locator("#upskilling li.area")
    expect(areas).to_have_count(3)
    assert areas.locator(".rank").all_inner_texts() == ["1", "2", "3"]
    for area in areas.all():
        assert area.locator("h4").inner_text().strip()
        assert area.locator(".why").inner_text().strip()
        assert area.locator("ul li").count() >= 2
    assert recorder.console_errors == []
    assert recorder.foreign_requests() == []
    page.context.close()


def test_language_switch_changes_interface_labels(browser, base_url):
    page, recorder = open_page(browser, base_url, "en-US")
    label = page.locator("label[for=text]")
    expect(label).to_have_text("Role, job ad or job title")
    expect(page.locator("#submit")).to_have_text("Assess risk")

    page.get_by_role("button", name="Deutsch").click()
    expect(label).to_have_text("Rolle, Stellenanzeige oder Berufsbezeichnung")
    expect(page.locator("#submit")).to_have_text("Risiko bewerten")
    expect(page.locator("h1")).to_have_text("Automatisierungsrisiko einer Rolle")
    assert page.locator("html").get_attribute("lang") == "de"
    expect(page.get_by_role("button", name="Deutsch")).to_have_attribute("aria-pressed", "true")

    # labels of a shown result follow the switch too
    page.locator("#text").fill("Kontieren und Buchen von Belegen\nAbgleich der Kontoauszüge")
    page.locator("#submit").click()
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("#band")).to_have_text(re.compile("Risiko$"))
    page.get_by_role("button", name="English").click()
    expect(page.locator("#band")).to_have_text(re.compile("risk$"))
    expect(page.locator("#result-heading")).to_have_text("Result")
    assert recorder.console_errors == []
    page.context.close()


def test_unknown_title_shows_clickable_suggestions(browser, base_url):
    page, recorder = open_page(browser, base_url, "en-US")
    page.locator("#text").fill("Xylophqwz")
    page.locator("#submit").click()

    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Did you mean")
    suggestions = error.locator("button.suggestion")
    assert suggestions.count() >= 1
    chosen = suggestions.first.get_attribute("data-title")
    assert chosen

    suggestions.first.click()
    expect(page.locator("#result")).to_be_visible()
    expect(error).to_be_hidden()
    expect(page.locator("#occupation")).to_contain_text(chosen)
    expect(page.locator("#upskilling li.area")).to_have_count(3)
    # the only console error allowed is the browser's note about the 422 answer
    assert all("422" in message for message in recorder.console_errors), recorder.console_errors
    assert recorder.foreign_requests() == []
    page.context.close()


def test_page_and_assets_are_self_contained(client):
    page = client.get("/")
    assert page.status_code == 200
    assert page.mimetype == "text/html"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:href|src)="(/static/[^"?]+)', html)
    assert {"/static/page.css", "/static/page.js"} <= set(assets)
    for path in assets:
        with client.get(path) as asset:  # a file response: closed as a WSGI server closes it
            assert asset.status_code == 200, path
            # no CDN, fonts or trackers: nothing the page ships names another host (an XML
            # namespace is an identifier, never fetched)
            text = re.sub(r'xmlns="[^"]*"', "", asset.get_data(as_text=True))
        assert not re.search(r"https?://", text), path
    assert not re.search(r"https?://", html)
