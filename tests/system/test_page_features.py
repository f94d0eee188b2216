"""The page's advice, feedback, export, print view, kept text, language switch, translated
errors and the transition plan, driven in headless Chromium (issue 13, part 6)."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import chromium

DUTIES_DE = (
    "Kontieren und Buchen von Belegen\nAbgleich der Kontoauszüge\nMahnwesen\n"
    "Beratung von Kunden am Telefon nach Gesprächsleitfaden"
)
STAFF = (
    "Berufsbezeichnung\tAnzahl\tKosten je Stelle\n"
    "Buchhalter/in\t12\t52.000\n"
    "Pflegefachkraft\t30\t\n"
    "Koch/Köchin\t8\t38000\n"
    "Fachkraft für Lagerlogistik\t20\t41000\n"
    "Softwareentwickler/in\t15\t72000\n"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser, base_url) -> Iterator[Page]:
    context = browser.new_context(
        locale="de-DE", viewport={"width": 1100, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(base_url + "/", wait_until="networkidle")
    yield page
    context.close()
    assert errors == []


def german_number(value: float) -> str:
    """As the page shows it (Intl.NumberFormat("de"), one decimal, half up)."""
    shown = math.floor(10 * value + 0.5) / 10
    return f"{shown:g}".replace(".", ",")


def assess(page: Page, text: str) -> dict:
    page.locator("#text").fill(text)
    with page.expect_response("**/v1/score") as answer:
        page.locator("#submit").click()
    expect(page.locator("#result")).to_be_visible()
    return answer.value.json()


def test_tasks_show_advice_reason_evidence_and_shares(page):
    body = assess(page, DUTIES_DE)
    tasks = page.locator("#tasks li.task")
    expect(tasks).to_have_count(len(body["tasks"]))
    for item, task in zip(tasks.all(), body["tasks"], strict=True):
        assert item.get_attribute("data-advice") == task["advice"]
        badge = item.locator(".advice").inner_text()
        assert badge in {"automatisieren", "KI unterstützt", "beim Menschen"}
        assert item.locator(".reason").inner_text() == task["advice_reason"]
        if task["evidence"]:
            assert item.locator(".evidence mark").all_inner_texts() == task["evidence"]
    legend = page.locator("#shares li")
    expect(legend).to_have_count(3)
    automate = round(100 * body["advice_shares"]["automate"])
    expect(legend.first).to_contain_text(f"automatisieren {automate}\u00a0%")


def test_feedback_per_task_reaches_the_service(page, client):
    body = assess(page, DUTIES_DE)
    task = body["tasks"][0]
    row = page.locator("#tasks li.task").first.locator(".feedback")
    with page.expect_response("**/v1/feedback") as answer:
        row.get_by_role("button", name="Passt nicht").click()
    assert answer.value.status == 201
    sent = json.loads(answer.value.request.post_data)
    # disagreeing turns the model's side of 0.5 round
    assert sent == {
        "assessment_id": body["assessment_id"],
        "tasks": [
            {
                "text": task["text"],
                "rule_based": task["rule_based"] < 0.5,
                "category": task["category"],
            }
        ],
    }
    expect(row.locator(".feedback-status")).to_have_text("Danke, gespeichert.")
    expect(row.get_by_role("button", name="Passt nicht")).to_have_attribute("aria-pressed", "true")
    stored = client.get(answer.value.headers["location"]).get_json()
    assert stored["assessment_id"] == body["assessment_id"]


def test_export_json_and_csv(page, tmp_path):
    body = assess(page, DUTIES_DE)
    with page.expect_download() as download:
        page.get_by_role("button", name="JSON herunterladen").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    exported = json.loads(path.read_text(encoding="utf-8"))
    assert exported == body
    with page.expect_download() as download:
        page.get_by_role("button", name="CSV herunterladen").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Tätigkeit;regelbasiert;Kategorie")  # German Excel: semicolons
    assert len(lines) == 1 + len(body["tasks"])
    assert lines[1].startswith(body["tasks"][0]["text"] + ";")
    assert str(body["tasks"][0]["rule_based"]).replace(".", ",") in lines[1]


def test_print_view_shows_the_result_without_the_form(page):
    assess(page, DUTIES_DE)
    page.emulate_media(media="print")
    expect(page.locator("#score-form")).to_be_hidden()
    expect(page.locator(".tools")).to_be_hidden()
    expect(page.locator("#tasks li.task .feedback").first).to_be_hidden()
    expect(page.locator("#result")).to_be_visible()
    expect(page.locator("#upskilling li.area")).to_have_count(3)
    expect(page.locator("#workforce")).to_be_hidden()  # no plan made: not printed
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_text_is_kept_across_a_reload(page):
    page.locator("#text").fill(DUTIES_DE)
    page.locator("#title").fill("Buchhalter/in")
    page.locator("#wf-table").fill(STAFF)
    page.reload(wait_until="networkidle")
    expect(page.locator("#text")).to_have_value(DUTIES_DE)
    expect(page.locator("#title")).to_have_value("Buchhalter/in")
    expect(page.locator("#wf-table")).to_have_value(STAFF)


def test_language_switch_asks_for_the_advice_in_the_new_language(page):
    page.get_by_role("button", name="English").click()
    assess(page, DUTIES_DE)
    reason = page.locator("#tasks li.task .reason").first
    expect(reason).to_have_text(re.compile(r"rule-based|person"))
    with page.expect_request("**/v1/score") as asked:
        page.get_by_role("button", name="Deutsch").click()
    assert json.loads(asked.value.post_data)["advice_language"] == "de"
    expect(reason).to_have_text(re.compile(r"regelbasiert|Mensch"))
    why = page.locator("#upskilling .why").first
    expect(why).not_to_contain_text(" the ")
    assert why.get_attribute("lang") == "de"
    expect(page.locator("#tasks li.task .advice").first).to_have_text(
        re.compile("automatisieren|KI unterstützt|beim Menschen")
    )


def test_errors_are_shown_in_the_interface_language(page):
    page.locator("#text").fill(
        "Vous accueillez les clients, vous répondez au téléphone et vous gérez les réservations "
        "de notre hôtel avec le logiciel de réservation."
    )
    page.locator("#submit").click()
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error.locator("h2")).to_have_text("Bitte prüfen Sie Ihre Eingabe")
    expect(error.locator("li")).to_contain_text("Der Text ist auf Französisch")
    assert "only German" not in error.locator("li").inner_text()  # the English original …
    expect(error.locator("details p")).to_have_attribute("lang", "en")  # … only as details
    page.locator("#text").fill("")
    page.locator("#submit").click()
    expect(error).to_have_text(re.compile("Bitte fügen Sie zuerst"))


def test_a_pasted_headcount_table_gets_a_plan_and_its_chart(page):
    page.locator("#wf-table").fill(STAFF)
    page.locator("#wf-attrition").fill("9")
    page.locator("#wf-cost").fill("400.000")
    with page.expect_response("**/v1/workforce") as answer:
        page.get_by_role("button", name="Übergang planen").click()
    body = answer.value.json()
    sent = json.loads(answer.value.request.post_data)
    assert [r["headcount"] for r in sent["roles"]] == [12, 30, 8, 20, 15]
    assert sent["roles"][0]["cost_per_fte"] == 52000 and "cost_per_fte" not in sent["roles"][1]
    assert sent["attrition_rate"] == 0.09 and sent["implementation_cost"] == 400000
    plan = body["plan"]
    expect(page.locator("#wf-result")).to_be_visible()
    figures = page.locator("#wf-figures .figure dd")
    expect(figures.first).to_have_text(german_number(plan["fte_automatable"]))
    bars = page.locator("#wf-chart .bar")
    expect(bars).to_have_count(len(plan["phasing"]))
    assert len(plan["phasing"]) >= 1
    heights = [
        float(b.locator(".bar-rest").evaluate("e => e.getBoundingClientRect().height"))
        for b in bars.all()
    ]
    assert heights == sorted(heights, reverse=True)  # what is left shrinks year by year
    expect(page.locator("#wf-notice")).to_contain_text("keine Personalentscheidung")
    expect(page.locator("#wf-retrain li")).to_have_count(3)
    page.locator("#wf-table").fill("Buchhalter/in\tzwölf")
    page.get_by_role("button", name="Übergang planen").click()
    expect(page.locator("#wf-error")).to_contain_text("„zwölf“ ist keine Anzahl")
