"""Coordinated duties: one statement that names several duties is cut where they meet, and only
there (risk_service/coordination.py). A role's score must not depend on whether its duties come
as bullets, as one enumerating sentence or as a paragraph."""

import pytest

from risk_service.coordination import split_coordinated
from risk_service.jobad import parse_job_ad

# Five duties of one role, each a real-length statement with its own commas and "und"/"and".
DUTIES_DE = [
    "Planung, Evaluation und Überarbeitung von Lehrplänen und Kursmaterialien",
    "Zusammenarbeit mit Unternehmen zur Verbesserung bestehender Studiengänge",
    "Auswahl und Beschaffung von Lehrmaterialien wie Lehrbüchern",
    "Sie bewerten und benoten Hausarbeiten, Klausuren und Seminararbeiten",
    "Veröffentlichung von Forschungsergebnissen in Fachzeitschriften",
]
DUTIES_EN = [
    "Plan, evaluate and revise curricula, course content and course materials",
    "Collaborate with members of the business community to improve programs",
    "Select and obtain materials and supplies, such as textbooks",
    "Evaluate and grade students' class work, assignments and papers",
    "Publish findings in professional journals, books or electronic media",
]


@pytest.mark.parametrize(
    ("heading", "duties", "joiner"),
    [("Ihre Aufgaben:", DUTIES_DE, "und"), ("Your responsibilities:", DUTIES_EN, "and")],
)
def test_an_enumerating_sentence_yields_the_duties_a_list_does(heading, duties, joiner):
    items = [d if heading.startswith("Ihre") else d[0].lower() + d[1:] for d in duties]
    sentence = f"{heading} {', '.join(items[:-1])} {joiner} {items[-1]}."
    as_list = "\n".join(f"• {d}" for d in duties)
    from_sentence = parse_job_ad(sentence).duties
    from_list = parse_job_ad(as_list).duties
    assert len(from_sentence) == len(from_list) >= len(duties)
    assert [d.lower() for d in from_sentence] == [d.lower() for d in from_list]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # verbs sharing one object, the last after ", or"
        ("Install, calibrate, operate, or maintain robots or robotic systems", "en"),
        # examples of what the duty acts on, after "wie" / "such as"
        (
            "Erkennen von Einschränkungen in Bereichen wie Kommunikation, Haushaltsführung "
            "und Ernährung",
            "de",
        ),
        ("Assemble cartons, crates and containers", "en"),
    ],
)
def test_one_duty_with_a_list_inside_stays_one(text, language):
    assert split_coordinated(text, language) == [text]


def test_prose_duties_are_still_cut_where_a_new_verb_starts():
    text = (
        "Sie kontieren und buchen Eingangsrechnungen, gleichen Kontoauszüge ab und kümmern "
        "sich um das Mahnwesen"
    )
    assert split_coordinated(text, "de") == [
        "Sie kontieren und buchen Eingangsrechnungen",
        "gleichen Kontoauszüge ab",
        "kümmern sich um das Mahnwesen",
    ]
