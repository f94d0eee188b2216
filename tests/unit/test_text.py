import pytest

from risk_service.text import detect_language, neutralise_gender, normalise_title


@pytest.mark.parametrize(
    "form",
    [
        "Buchhalter",
        "Buchhalterin",
        "Buchhalter/in",
        "Buchhalter/-in",
        "Buchhalter*in",
        "Buchhalter:in",
        "Buchhalter_in",
        "BuchhalterIn",
        "Buchhalter (m/w/d)",
        "Buchhalterin (w/m/d)",
        "Buchhalter/in (m/w/d)",
    ],
)
def test_gendered_forms_share_one_title(form):
    assert normalise_title(form) == "buchhalter"


def test_kaufmann_kauffrau_forms():
    expected = normalise_title("Kaufmann für Büromanagement")
    for form in (
        "Kauffrau für Büromanagement",
        "Kaufmann/-frau für Büromanagement",
        "Kaufmann/frau für Büromanagement (m/w/d)",
    ):
        assert normalise_title(form) == expected


def test_gender_neutralising_leaves_ordinary_words_alone():
    assert (
        neutralise_gender("Termin mit der Medizin-Abteilung") == "Termin mit der Medizin-Abteilung"
    )
    assert normalise_title("Ärztin") == "arzt"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Erfassung und Kontierung der Eingangsrechnungen", "de"),
        ("Sie betreuen unsere Kunden am Telefon", "de"),
        ("Abgleich der Kontoauszüge", "de"),
        ("Answer customer questions by phone and e-mail", "en"),
        ("Prepare the monthly payroll for all employees", "en"),
        ("You will maintain our supplier master data", "en"),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("american", "british"),
    [
        ("Call Center Agent", "Call Centre Agent"),
        ("Theater Technician", "Theatre Technician"),
    ],
)
def test_american_spellings_meet_escos_british_ones(american, british):
    assert normalise_title(american) == normalise_title(british)
