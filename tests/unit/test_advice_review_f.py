"""Advice for review set F's keyword misreadings (issue 13, part 4, third round).

No trained model: each task comes with the rule-based probability, category and kind
probabilities (P(manual), P(people)) the served model gave it. Each test pins what a reader of
the answer noticed: "führen" of a paper machine and "bei Interviews" read as leading people,
a factory's shop floor and a waiting-time pathway read as contact, stewards and lecturers told
their work hardly involves the public, IT and coordination called handwork, regulated checks left
to "a person checks samples", and a court dunning procedure kept human in German but automated
in English.
"""

from __future__ import annotations

import pytest

from tests.advice_cases import Task, advise, areas, texts

# -- a verb of operating a machine, or when the task happens, is no work with people ---------


@pytest.mark.parametrize(
    ("task", "language"),
    [
        (
            (
                "Bei Abrissen führen Sie den Aufführvorgang durch",
                0.37,
                "nonroutine_interpersonal",
                (0.36, 0.26),
            ),
            "de",
        ),
        (
            (
                "Die Papiermaschine führen und die Papierbahn überwachen",
                0.74,
                "routine_manual",
                (0.50, 0.01),
            ),
            "de",
        ),
        (
            (
                "Licht setzen und Ton angeln bei Interviews",
                0.18,
                "nonroutine_interpersonal",
                (0.30, 0.64),
            ),
            "de",
        ),
        (
            (
                "Set lights and hold the boom during interviews",
                0.30,
                "nonroutine_interpersonal",
                (0.46, 0.50),
            ),
            "en",
        ),
    ],
)
def test_operating_a_machine_or_set_is_no_conversation(task: Task, language: str) -> None:
    got = advise(task, language)
    assert not got.with_people, got
    assert "contact" not in got.traits
    assert got.rule not in ("keep_human.conversation", "keep_human.people")


@pytest.mark.parametrize(
    ("task", "language"),
    [
        (
            (
                "Monitoring the 18-week referral-to-treatment pathway for your consultants' "
                "patients",
                0.25,
                "nonroutine_interpersonal",
                (0.03, 0.45),
            ),
            "en",
        ),
        (
            (
                "Überwachung der Wartezeiten für die Patienten der Oberärzte",
                0.60,
                "routine_cognitive",
                (0.12, 0.01),
            ),
            "de",
        ),
        (
            (
                "Make sure health and safety rules are followed on the shop floor.",
                0.45,
                "routine_cognitive",
                (0.15, 0.22),
            ),
            "en",
        ),
        (
            (
                "Einhaltung der Arbeitssicherheit auf dem Shopfloor sicherstellen",
                0.51,
                "routine_cognitive",
                (0.21, 0.22),
            ),
            "de",
        ),
    ],
)
def test_a_pathway_or_shop_floor_names_no_people_to_listen_to(task: Task, language: str) -> None:
    """Tracking waiting times for a doctor's patients, safety on a factory floor: no patients
    or customers to "listen actively" to, no face-to-face service."""
    got = advise(task, language)
    assert got.people is None, got
    assert got.kind != "in_person"


# -- the reverse: spectators, ticket buyers and apprentices are people ----------------------


@pytest.mark.parametrize(
    ("task", "language", "group"),
    [
        (
            (
                "Help with crowd egress after the final whistle",
                0.27,
                "nonroutine_interpersonal",
                (0.09, 0.85),
            ),
            "en",
            "visitors",
        ),
        (
            (
                "Zuschauer nach dem Abpfiff aus dem Stadion leiten",
                0.60,
                "routine_manual",
                (0.86, 0.02),
            ),
            "de",
            "visitors",
        ),
        (
            (
                "You will also carry out workplace assessments for apprentices at their "
                "employers' garages",
                0.24,
                "nonroutine_analytic",
                (0.03, 0.13),
            ),
            "en",
            "trainees",
        ),
    ],
)
def test_the_public_and_learners_are_named(task: Task, language: str, group: str) -> None:
    got = advise(task, language)
    assert got.people == group, got
    assert got.advice == "keep_human"


@pytest.mark.parametrize(
    ("task", "language"),
    [
        (
            ("sell admission tickets and memberships", 0.53, "routine_cognitive", (0.02, 0.37)),
            "en",
        ),
        (
            (
                "Eintrittskarten und Jahreskarten an der Museumskasse verkaufen",
                0.53,
                "routine_cognitive",
                (0.05, 0.41),
            ),
            "de",
        ),
    ],
)
def test_selling_tickets_is_face_to_face(task: Task, language: str) -> None:
    """Selling tickets at a desk is service in person: no "AI can prepare parts of it"."""
    got = advise(task, language)
    assert (got.advice, got.kind) == ("keep_human", "in_person"), got
    assert got.with_people


# -- IT and coordination are not handwork -------------------------------------------------


@pytest.mark.parametrize(
    ("task", "language"),
    [
        (
            (
                "löst sie selbst oder eskalierst an den Hersteller",
                0.36,
                "routine_manual",
                (0.68, 0.20),
            ),
            "de",
        ),
        (
            (
                "Solve tickets yourself or escalate them to the manufacturer",
                0.49,
                "routine_manual",
                (0.46, 0.05),
            ),
            "en",
        ),
        (
            (
                "Baustellenbesuche und Baubesprechungen",
                0.19,
                "nonroutine_interpersonal",
                (0.37, 0.45),
            ),
            "de",
        ),
        (
            (
                "Steer subcontractors and attend site meetings",
                0.20,
                "nonroutine_interpersonal",
                (0.15, 0.46),
            ),
            "en",
        ),
    ],
)
def test_it_support_and_site_meetings_are_no_handwork(task: Task, language: str) -> None:
    got = advise(task, language)
    assert got.rule != "keep_human.manual", got
    assert "Handarbeit" not in got.reason and "manual work" not in got.reason


# -- regulated checks: a qualified person checks every one ----------------------------------


@pytest.mark.parametrize(
    ("task", "language"),
    [
        (
            (
                "Durchführung der Geeignetheitsprüfung und Dokumentation gem. WpHG/MiFID II",
                0.76,
                "routine_cognitive",
                (0.19, 0.01),
            ),
            "de",
        ),
        (
            (
                "Carry out and document MiFID II suitability assessments",
                0.64,
                "routine_cognitive",
                (0.07, 0.00),
            ),
            "en",
        ),
        (
            (
                "record adverse events accurately in the trial database",
                0.82,
                "routine_cognitive",
                (0.00, 0.00),
            ),
            "en",
        ),
        (
            (
                "Unerwünschte Ereignisse in der Studiendatenbank dokumentieren",
                0.68,
                "routine_cognitive",
                (0.01, 0.00),
            ),
            "de",
        ),
        (
            (
                "Qualitätsprüfungen im Schichtlabor und Schichtprotokoll in SAP PM",
                0.86,
                "routine_cognitive",
                (0.32, 0.00),
            ),
            "de",
        ),
        (
            (
                "Laboratory quality tests on the paper and the shift log in SAP PM",
                0.83,
                "routine_cognitive",
                (0.28, 0.00),
            ),
            "en",
        ),
    ],
)
def test_regulated_checks_are_checked_in_full(task: Task, language: str) -> None:
    got = advise(task, language)
    assert (got.advice, got.rule) == ("assist", "assist.regulated"), got
    assert "Stichproben" not in got.reason and "samples" not in got.reason


def test_a_court_dunning_procedure_is_assisted_in_both_languages() -> None:
    """Preparing a standard court dunning application is standard paperwork a person checks,
    not legal responsibility that keeps it human; German and English agree."""
    german = advise(
        (
            "Durchführung des Mahnwesens inkl. Vorbereitung gerichtlicher Mahnverfahren",
            0.69,
            "routine_cognitive",
            (0.26, 0.01),
        ),
        "de",
    )
    english = advise(
        ("Dunning and preparation of court payment orders", 0.75, "routine_cognitive", (0.01, 0.0)),
        "en",
    )
    assert (
        (german.advice, german.rule)
        == (english.advice, english.rule)
        == (
            "assist",
            "assist.regulated",
        )
    )
    assert "gerichtlich" not in german.reason and "hoheitlich" not in german.reason


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Schriftsätze für gerichtliche Verfahren vorbereiten", "de"),
        ("Prepare court bundles for hearings", "en"),
    ],
)
def test_other_court_work_keeps_legal_responsibility(text: str, language: str) -> None:
    """The exception is the dunning procedure only: other court paperwork stays legal work."""
    got = advise((text, 0.75, "routine_cognitive", (0.0, 0.0)), language)
    assert got.rule == "assist.authority", got


# -- front-line roles get no office AI actions ---------------------------------------------


STEWARD = {
    "en": [
        (
            "Check tickets and bags at the turnstiles before kick-off",
            0.73,
            "routine_manual",
            (0.51, 0.00),
        ),
        (
            "Keep gangways and exits clear throughout the match",
            0.62,
            "routine_cognitive",
            (0.08, 0.02),
        ),
        (
            "Report incidents and suspicious items to the control room by radio",
            0.69,
            "routine_cognitive",
            (0.14, 0.02),
        ),
        (
            "Help with crowd egress after the final whistle",
            0.27,
            "nonroutine_interpersonal",
            (0.09, 0.85),
        ),
    ],
    "de": [
        (
            "Eintrittskarten und Taschen am Drehkreuz kontrollieren",
            0.74,
            "routine_cognitive",
            (0.28, 0.00),
        ),
        (
            "Flucht- und Rettungswege während des Spiels freihalten",
            0.56,
            "routine_cognitive",
            (0.33, 0.04),
        ),
        (
            "Vorfälle per Funk an die Leitstelle melden",
            0.66,
            "routine_cognitive",
            (0.16, 0.03),
        ),
        (
            "Zuschauer nach dem Abpfiff aus dem Stadion leiten",
            0.60,
            "routine_manual",
            (0.86, 0.02),
        ),
    ],
}


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_steward_gets_no_ai_drafts_or_prompt_work(language: str) -> None:
    """A matchday steward's radio reports are spoken, and a role at turnstiles, exits and
    crowds is front-line work: no "let an AI assistant make a first draft", no "improve prompts
    and knowledge bases", and its work involves the public."""
    got = areas(STEWARD[language], language)
    ai = texts(got["ai_process_interface"])
    for word in ("first draft", "prompts", "ersten Entwurf", "Prompts"):
        assert word not in ai, ai
    why = got["emotional_intelligence"]["why"]
    assert "hardly" not in why and "kaum" not in why, why


@pytest.mark.parametrize(
    ("task", "language"),
    [
        (("check dogs in and out at reception", 0.70, "routine_cognitive", (0.13, 0.0)), "en"),
        (("Hunde am Empfang an- und abmelden", 0.66, "routine_cognitive", (0.29, 0.03)), "de"),
    ],
)
def test_reception_is_face_to_face(task: Task, language: str) -> None:
    got = advise(task, language)
    assert got.kind == "in_person" and got.advice != "automate", got


@pytest.mark.parametrize(
    ("tasks", "language"),
    [
        (
            [
                (
                    "Respond to faults, delays and emergencies and log every occurrence",
                    0.68,
                    "routine_cognitive",
                    (0.03, 0.00),
                ),
                (
                    "Complete the 10-week classroom training and on-the-job competence assessment",
                    0.33,
                    "nonroutine_analytic",
                    (0.01, 0.03),
                ),
            ],
            "en",
        ),
        (
            [
                (
                    "Bei Störungen, Verspätungen und Notfällen reagieren und jedes Ereignis "
                    "protokollieren",
                    0.40,
                    "nonroutine_analytic",
                    (0.17, 0.01),
                ),
                (
                    "Die zehnwöchige Ausbildung im Schulungszentrum abschließen",
                    0.33,
                    "nonroutine_analytic",
                    (0.01, 0.03),
                ),
            ],
            "de",
        ),
    ],
)
def test_emergency_response_gets_no_ai_first_draft(tasks: list[Task], language: str) -> None:
    """A signaller's response to emergencies is assisted (the log), but no AI assistant drafts
    the response itself."""
    got = texts(areas(tasks, language)["ai_process_interface"])
    assert "first draft" not in got and "ersten Entwurf" not in got, got
