from risk_service.jobad import parse_job_ad, split_statements, strip_markup


def test_split_semicolons_german():
    text = "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen"
    assert split_statements(text) == [
        "Kontieren und Buchen von Belegen",
        "Abgleich der Kontoauszüge",
        "Mahnwesen",
    ]


def test_split_bullets_numbers_and_line_breaks():
    text = """- Answer customer e-mails
    * Process returns in the ERP system
    • Update order records
    1. Prepare the weekly sales report
    2) Train new colleagues
    Plan the delivery routes"""
    assert split_statements(text) == [
        "Answer customer e-mails",
        "Process returns in the ERP system",
        "Update order records",
        "Prepare the weekly sales report",
        "Train new colleagues",
        "Plan the delivery routes",
    ]


def test_split_sentences_keeps_abbreviations():
    text = (
        "Sie erfassen Rechnungen, z. B. in DATEV. Sie klären Rückfragen mit Lieferanten bzw. "
        "Kunden. You reconcile accounts, e.g. bank accounts. You chase overdue payments."
    )
    assert split_statements(text) == [
        "Sie erfassen Rechnungen, z. B. in DATEV",
        "Sie klären Rückfragen mit Lieferanten bzw. Kunden",
        "You reconcile accounts, e.g. bank accounts",
        "You chase overdue payments",
    ]


def test_html_lists_become_statements():
    html = (
        "<p>Aufgaben:</p><ul><li>Pflege der <b>Stammdaten</b></li><li>Ablage &amp; Archiv</li></ul>"
    )
    parsed = parse_job_ad(html)
    assert parsed.duties == ["Pflege der Stammdaten", "Ablage & Archiv"]


def test_markdown_is_stripped():
    assert (
        strip_markup("## Your tasks\n- **Answer** [tickets](http://x)")
        == "Your tasks\n- Answer tickets"
    )


def test_german_ad_sections():
    ad = """Über uns
    Wir sind ein Familienunternehmen mit 300 Mitarbeitenden in Köln.
    Ihre Aufgaben
    - Erfassung der Eingangsrechnungen
    - Abstimmung der Kreditorenkonten
    Das bringen Sie mit
    - Abgeschlossene kaufmännische Ausbildung
    - Sicherer Umgang mit DATEV
    Wir bieten
    - 30 Tage Urlaub
    - Jobrad und Kantine"""
    parsed = parse_job_ad(ad)
    assert parsed.had_headings
    assert parsed.duties == ["Erfassung der Eingangsrechnungen", "Abstimmung der Kreditorenkonten"]
    assert parsed.ignored["requirements"] == [
        "Abgeschlossene kaufmännische Ausbildung",
        "Sicherer Umgang mit DATEV",
    ]
    assert parsed.ignored["benefits"] == ["30 Tage Urlaub", "Jobrad und Kantine"]
    assert "company" in parsed.ignored


def test_english_ad_sections():
    ad = """About us: We are a fast-growing online retailer.
    Responsibilities:
    - Answer customer enquiries via chat and e-mail
    - Process refunds
    What you bring:
    - Two years of experience in customer service
    What we offer:
    - Remote work and a yearly bonus"""
    parsed = parse_job_ad(ad)
    assert parsed.duties == ["Answer customer enquiries via chat and e-mail", "Process refunds"]
    assert set(parsed.ignored) == {"company", "requirements", "benefits"}


def test_ad_without_headings_sets_requirements_and_benefits_aside():
    text = (
        "You will answer customer calls. You will also update customer records. "
        "You have at least two years of experience in a call centre. "
        "We offer a competitive salary and flexible working hours."
    )
    parsed = parse_job_ad(text)
    assert parsed.duties == [
        "You will answer customer calls",
        "You will also update customer records",
    ]
    assert len(parsed.ignored["requirements"]) == 1
    assert len(parsed.ignored["benefits"]) == 1
