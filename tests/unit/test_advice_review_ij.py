"""Findings of the blind reviews of sets I and J (docs/advice-review.md), replayed without a
trained model: each task comes with a rule-based probability, category and kind
probabilities (P(manual), P(people))."""

from __future__ import annotations

import re

import pytest

from risk_service import advice
from tests.advice_cases import Task, areas, texts


@pytest.mark.parametrize(
    ("p", "shown"),
    [(0.8253, 83), (0.8249, 83), (0.9049, 91), (0.8244, 82), (0.195, 20), (0.2049, 21)],
)
def test_the_reasons_percentage_is_the_probability_the_response_shows(p, shown):
    # set I: "P(rule-based) 0.82 … (83 %)" in 11 tasks; the response carries three decimals
    # (0.8249 → 0.825) and the page shows those, halves up
    reason = advice.advise("Erfassung von Eingangsrechnungen im ERP", p, "routine_cognitive", "de")
    assert f"({shown} %)" in reason.reason


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Write SQL queries to pull pricing data from the warehouse", "en"),
        ("Build database queries for the monthly report", "en"),
        ("Assess suspected contaminated sites and recommend remediation options", "en"),
    ],
)
def test_words_that_only_look_like_people_name_none(text, language):
    # set I: SQL "queries" were people asking; set J: "suspected" sites were suspects
    assert advice.advise(text, 0.6, "routine_cognitive", language).people is None


def test_customer_queries_stay_people():
    answer = advice.advise("Answer customer queries by phone", 0.7, "routine_cognitive", "en")
    assert answer.people == "customers"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Daily visual and function check of the reach truck", "en"),
        ("Tägliche Sicht- und Funktionsprüfung des Staplers", "de"),
        ("Maintain supplier records and bank details, following fraud checks", "en"),
    ],
)
def test_checks_someone_answers_for_are_not_automated(text, language):
    # set J: a forklift check "machines can take it over"; bank details with spot checks
    assert advice.advise(text, 0.85, "routine_cognitive", language).advice == "assist"


def test_no_ai_first_draft_of_physical_work():
    # sets I and J: "Lassen Sie bei „Hufe bearbeiten“ einen KI-Assistenten einen ersten Entwurf
    # machen", "In "Take radiographs under veterinary direction", let an AI assistant …"
    role: list[Task] = [
        ("Du bearbeitest Hufe und beschlägst Pferde", 0.55, "routine_cognitive", (0.3, 0.1)),
        ("Vorbereitung der Küche für den Service", 0.6, "routine_cognitive", (0.3, 0.0)),
        ("Pflege der Kundenkartei im Programm", 0.8, "routine_cognitive", (0.1, 0.0)),
    ]
    found = texts(areas(role, "de")["ai_process_interface"])
    assert "ersten Entwurf" not in found, found
    drafting: list[Task] = [
        ("Erstellung von Berichten und Auswertungen", 0.6, "routine_cognitive", (0.0, 0.0)),
    ]
    assert re.search(
        r"ersten Entwurf|Entwürfe", texts(areas(drafting, "de")["ai_process_interface"])
    )
