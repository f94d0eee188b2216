import time

import pytest

from risk_service.text import (
    detect_language,
    gendered_as_english,
    names_team_lead,
    neutralise_gender,
    normalise_title,
    title_core,
    title_narrowed,
)


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


def test_a_gender_pair_of_phrases_collapses_wherever_it_stands():
    expected = normalise_title("Technischer Leiter für Bühne")
    assert normalise_title("Technischer Leiter/Technische Leiterin für Bühne") == expected
    assert normalise_title("Leiterin Finanzen / Leiter Finanzen (m/w/d)") == "leiter finanzen"
    assert normalise_title("Sales and Sales Manager") == "sales manager"
    # a long title without repeats keeps every word, and in well under a second
    started = time.perf_counter()
    assert len(normalise_title(" ".join(f"w{i}x" for i in range(5000))).split()) == 5000
    assert time.perf_counter() - started < 1


def test_a_dash_qualifier_narrows_a_title_a_bracket_aside_does_not():
    assert title_narrowed("Senior Conductor – Rail, East Midlands") == "conductor rail"
    assert title_narrowed("Werkstudent – Controlling – Teilzeit") == ""  # nothing after it
    assert title_narrowed("Recruiter*in (Talent Acquisition) in Teilzeit") == ""
    assert title_narrowed("Bookkeeper") == ""


def test_team_leaders_are_recognised_in_both_languages():
    for title in (
        "Teamleiter Kundenservice (m/w/d)",
        "Teamleitung Buchhaltung",
        "Contact Centre Team Leader",
        "Team Lead – Accounts Payable",
    ):
        assert names_team_lead(title), title
    assert not names_team_lead("Lead Developer")
    assert not names_team_lead("Leiter Controlling")


@pytest.mark.parametrize(
    ("title", "core"),
    [
        # "&" is no word character: "R&D" was read as "r" and matched any manager
        ("Senior R&D Manager (f/m/x) – Plant-Based Foods, Hybrid", "research development manager"),
        ("Head of R&D", "head research development"),
        ("Leiter F&E (m/w/d)", "leiter forschung entwicklung"),
        ("F&E-Ingenieur (m/w/d)", "forschung entwicklung ingenieur"),
    ],
)
def test_research_and_development_abbreviations_are_spelled_out(title, core):
    assert title_core(title) == core


@pytest.mark.parametrize(
    ("title", "english"),
    [
        ("Senior R&D Manager (f/m/x) – Plant-Based Foods, Hybrid", True),
        ("Data Analyst (m/f/d)", True),
        ("Nurse (all genders)", True),
        ("Koch (m/w/d)", False),
        ("Buchhalter (w/m/d)", False),
        ("Fotograf/-in (m/f/d)", False),  # a German gender suffix: a German title
        ("Data Analyst", False),
    ],
)
def test_an_english_ads_gender_tag_is_told_from_a_german_one(title, english):
    assert gendered_as_english(title) is english


def test_a_loose_fit_names_where_the_scored_tasks_come_from():
    from risk_service.occupations import OccupationMatch

    def note(basis: str, language: str) -> str:
        match = OccupationMatch(
            "x", "Werkzeugmacher", "7222", 0.9, language, "uri", "Schlosser", basis, fit=0.1
        )
        return match.as_dict()["tasks_note"]

    assert "derselben ISCO-08-Berufsgruppe" in note("unit_group", "de")
    assert "same ISCO-08 unit group" in note("unit_group", "en")
    # tasks from a group above the unit group are not "the same unit group"
    assert "same" not in note("minor_group", "en")
    assert "nearest related" in note("major_group", "en")
    assert "derselben" not in note("sub_major_group", "de")
