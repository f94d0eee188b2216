"""Set E (issue 12): a header fragment naming the company and its places beside the ad's
title, and a sentence that only describes the job, are never scored as duties; an
apprenticeship's "How the apprenticeship works" is a duties heading, not a duty."""

from __future__ import annotations

import pytest

from risk_service import jobad
from risk_service.jobad import parse_job_ad

_DE_AD = (
    "Schwimmlehrer*in für Kinderkurse gesucht (m/w/d) – Minijob Schwimmschule Delfinchen · "
    "Hallenbäder in Gera und Zeulenroda\n"
    "Seit 2011 bringen wir Kindern ab 4 Jahren das Schwimmen bei.\n"
    "Deine Aufgaben\n"
    "- Du leitest Kurse mit maximal 6 Kindern\n"
    "- Du gibst den Eltern nach jeder Kurseinheit eine kurze Rückmeldung\n"
    "Die Arbeit ist abwechslungsreich.\n"
    "Das bringst du mit\n"
    "- Rettungsschwimmer Silber\n"
)

_EN_AD = (
    "Podcast Producer – Narrative & Interview Shows\n"
    "Hollow Reed Audio · Hackney Wick, London (hybrid)\n"
    "Hollow Reed makes podcasts for publishers and charities.\n"
    "The role\n"
    "You'll produce two weekly interview shows.\n"
    "You will write show notes and cut social clips.\n"
    "The survey season is intense.\n"
    "Requirements\n"
    "- Two years' experience producing audio\n"
)


def _ignored(parsed: jobad.ParsedAd) -> list[str]:
    return [text for texts in parsed.ignored.values() for text in texts]


def test_german_header_places_and_a_description_are_no_duties():
    parsed = parse_job_ad(_DE_AD)
    assert parsed.duties == [
        "Du leitest Kurse mit maximal 6 Kindern",
        "Du gibst den Eltern nach jeder Kurseinheit eine kurze Rückmeldung",
    ]
    assert "Hallenbäder in Gera und Zeulenroda" in parsed.ignored["company"]
    assert "Die Arbeit ist abwechslungsreich" in _ignored(parsed)


def test_english_header_company_and_a_description_are_no_duties():
    parsed = parse_job_ad(_EN_AD)
    assert parsed.duties == [
        "You'll produce two weekly interview shows",
        "You will write show notes",
        "cut social clips",
    ]
    assert "Hollow Reed Audio" in parsed.ignored["company"]
    assert "The survey season is intense" in _ignored(parsed)


@pytest.mark.parametrize(
    "line",
    [
        "Spargelstechen, Erdbeerpflücken, Sortieren und Verpacken",  # a list: duties (de-139)
        "Seit 2011 bringen wir Kindern das Schwimmen bei",  # a sentence with a verb
        "Reconcile supplier statements",  # lower-case words: an action
    ],
)
def test_a_line_after_the_title_that_is_no_bare_name_stays_what_it_was(line):
    statements, _ = jobad.read_ad(f"Erntehelfer (m/w/d) – Saison April bis Juli\n{line}\nMehr")
    assert not statements[1].name_line


def test_a_name_line_needs_a_title_before_it():
    # without a title line the same words are the ad's first statement, not its header
    statements, _ = jobad.read_ad("Kundenservice\nHallenbäder in Gera und Zeulenroda\nMehr")
    assert not any(s.name_line for s in statements)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("The survey season is intense.", "other"),
        ("The work can be physical.", "other"),
        ("Die Arbeit ist abwechslungsreich.", "other"),
        ("Your job is to clean the rooms", None),  # what the job is for: a duty
        ("Das Team ist für die Planung zuständig.", None),
        ("Die Kasse ist abzurechnen", None),  # "ist zu …": what is to be done
        ("The role is varied and will include tractor work", None),  # too long: a lead-in
        # "will be" / "wird" / "werden" announce what the holder does; a verb form after the
        # copula is an action
        ("The post holder will be mentoring apprentices.", None),
        ("This role will be managing budgets.", None),
        ("The stock is rotated daily.", None),
        ("Die Ware wird täglich geprüft.", None),
        ("Die Lieferungen werden kontrolliert.", None),
        ("Die Daten sind archiviert.", None),
    ],
)
def test_a_sentence_describing_the_job_is_no_duty(text, label):
    assert jobad.non_duty_label(text) == label


def test_how_the_apprenticeship_works_opens_the_duties():
    assert jobad.heading_kind("How the apprenticeship works") == "duty"
    parsed = parse_job_ad(
        "Apprentice Linesworker (Level 3)\nNorthmere Power Networks is a network operator.\n"
        "How the apprenticeship works\n"
        "- Climbing wood poles and carrying out pole-top rescues\n"
        "Who can apply\n- At least four GCSEs\n"
    )
    assert "How the apprenticeship works" not in parsed.duties
    assert parsed.duties == ["Climbing wood poles", "carrying out pole-top rescues"]


@pytest.mark.parametrize(
    ("ad", "duty"),
    [
        (
            "Koch (m/w/d)\nFrühstück und Mittagessen für Gäste\nZubereitung von Speisen",
            "Frühstück und Mittagessen für Gäste",
        ),
        (
            "Office Manager\nDiary Management\nBooking travel and arranging meetings",
            "Diary Management",
        ),
    ],
)
def test_the_second_line_of_a_headless_task_list_is_a_duty_not_a_name(ad, duty):
    # nothing on the line marks a name (no legal form, no place after a dash or in brackets)
    statements, _ = jobad.read_ad(ad)
    assert not statements[1].name_line
    assert duty in parse_job_ad(ad).duties


@pytest.mark.parametrize(
    ("ad", "name"),
    [
        (
            "Lagerhelfer (m/w/d)\nWerk Tettau (Oberfranken)\nAufgaben\n- Waren annehmen",
            "Werk Tettau (Oberfranken)",
        ),
        (
            "Sales Manager\nAcme Widgets Ltd\nResponsibilities\n- Manage accounts",
            "Acme Widgets Ltd",
        ),
    ],
)
def test_a_header_line_with_a_sign_of_a_name_is_the_company(ad, name):
    assert name in parse_job_ad(ad).ignored["company"]
