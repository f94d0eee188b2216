"""Animals are no patients (blind review of set H: a sow herd manager was told to listen to
"Patientinnen und Patienten", meaning the sick animals). No trained model: each task comes with
a rule-based probability, category and kind probabilities (P(manual), P(people))."""

from __future__ import annotations

import pytest

from risk_service import advice
from tests.advice_cases import Task, advise, areas, texts

ANIMAL_TASKS = [
    (
        (
            "Behandlung erkrankter Tiere nach Rücksprache mit dem Tierarzt",
            0.17,
            "nonroutine_manual",
            (0.8, 0.1),
        ),
        "de",
    ),
    (
        (
            "Versorgung verletzter Wildtiere in der Auffangstation",
            0.2,
            "nonroutine_manual",
            (0.8, 0.1),
        ),
        "de",
    ),
    (
        (
            "Geburtshilfe bei Sauen und Erstversorgung der Ferkel",
            0.2,
            "nonroutine_manual",
            (0.8, 0.1),
        ),
        "de",
    ),
    (
        (
            "Treat injured animals and give medication as instructed by the vet",
            0.2,
            "nonroutine_manual",
            (0.8, 0.1),
        ),
        "en",
    ),
    (
        ("Check the herd for sick cows and treat lame ones", 0.25, "nonroutine_manual", (0.8, 0.1)),
        "en",
    ),
]


@pytest.mark.parametrize(("task", "language"), ANIMAL_TASKS)
def test_work_on_animals_is_no_contact_with_patients(task: Task, language: str) -> None:
    a = advise(task, language)
    assert a.people is None and not a.with_people, a
    assert "atient" not in a.reason


@pytest.mark.parametrize(
    ("task", "language"),
    [
        (
            (
                "Betreuung erkrankter Menschen auf der Station",
                0.2,
                "nonroutine_interpersonal",
                (0.3, 0.7),
            ),
            "de",
        ),
        (
            (
                "Care for injured patients in the emergency department",
                0.2,
                "nonroutine_interpersonal",
                (0.3, 0.7),
            ),
            "en",
        ),
    ],
)
def test_sick_and_injured_people_stay_patients(task: Task, language: str) -> None:
    assert advise(task, language).people == "patients"


def test_a_herd_managers_upskilling_speaks_of_no_patients() -> None:
    role = [task for task, language in ANIMAL_TASKS if language == "de"] + [
        (
            "Meldung von Geburten und Abgängen an die HI-Tier-Datenbank",
            0.86,
            "routine_cognitive",
            (0.1, 0.0),
        ),
        ("Fütterung der Herde nach Rationsplan", 0.76, "routine_manual", (0.9, 0.0)),
    ]
    for area in areas(role, "de").values():
        # ("Direkter Kontakt mit Kundschaft … nur ein kleiner Teil" is right and stays)
        assert "Patientinnen und Patienten" not in texts(area), area


@pytest.mark.parametrize(
    ("title", "animals"),
    [
        ("Registered Veterinary Nurse", True),
        ("Tiermedizinische Fachangestellte (m/w/d)", True),
        ("Hufbeschlagschmied (m/w/d) – mobiler Beschlag", True),
        ("Dog Groomer", True),
        ("Pflegefachkraft (m/w/d) Intensivstation", False),
        ("Animator (m/w/d)", False),  # "animal" is matched at a word start only
        ("Orgelbauer", False),
    ],
)
def test_a_title_names_work_with_animals(title: str, animals: bool) -> None:
    assert advice.animal_work(title) is animals


def test_at_a_vets_blood_samples_are_no_hands_on_care_of_a_person() -> None:
    # blind review of set J: a veterinary nurse's "Take and process blood samples" was
    # "hands-on work with a person"
    task = ("Take and process blood samples", 0.5, "nonroutine_manual", (0.6, 0.3))
    alone = advise(task, "en")
    assert alone.people == "patients"  # without the role, a statement about patients
    text, p, category, kinds = task
    at_the_vets = advice.advise(text, p, category, "en", kinds=kinds, animals_role=True)
    assert at_the_vets.people is None and "person" not in at_the_vets.reason
