"""Blind set D's failure classes (issue 12): lines about where and when the work happens, lead-in
lines ending in ":" that announce the list below them, target and service-level lines, and
headings of requirement and benefit sections the parser did not know. None of them is scored;
the duties around them still are, in both languages."""

from __future__ import annotations

import pytest

from risk_service import jobad
from risk_service.jobad import parse_job_ad


def _scored(text: str) -> list[str]:
    return parse_job_ad(text).duties


_DE_AD = """Servicetechniker Orthopädietechnik (m/w/d)
Deine Aufgaben
- Du passt Orthesen und Prothesen in unserer Werkstatt an
- Du berätst Patientinnen und Patienten bei der Versorgung
- gelegentlich Außentermine in Kliniken und Pflegeheimen im Umkreis von ca. 60 km
- Etwa zwei Tage pro Woche bist du bei Kunden im Umkreis von 50 km unterwegs.
- Einsätze meist von 7:00 bis ca. 15:00 Uhr, zum Monatsende besonders viele.
Was du mitbringst
- eine abgeschlossene Ausbildung als Orthopädietechniker/in
"""

_EN_AD = """Speech and Language Therapist
The role
- Assess children's speech, language and communication needs
- Write therapy plans and review them with teachers and parents
- Some home visits to families are part of the job – a pool car is provided.
- Your week would be spent moving between eight to ten primary schools around Ludlow.
- Sessions usually run 08:30–15:30 in term time.
What you'll need
- HCPC registration
"""


def test_german_lines_about_where_and_when_the_work_happens_are_not_scored():
    duties = _scored(_DE_AD)
    assert any("Orthesen" in d for d in duties)
    assert any("berätst" in d for d in duties)
    assert not any("Umkreis" in d or "Einsätze" in d or "7:00" in d for d in duties), duties


def test_english_lines_about_where_and_when_the_work_happens_are_not_scored():
    duties = _scored(_EN_AD)
    assert any(d.startswith("Assess children") for d in duties)
    assert any(d.startswith("Write therapy plans") for d in duties)
    assert not any("home visits" in d or "moving between" in d or "08:30" in d for d in duties)


@pytest.mark.parametrize(
    "text",
    [
        "Montage der Konstruktionen bei unseren Kunden vor Ort, meist im Umkreis von 60 km",
        "Auslieferung von Baustoffen an Baustellen im Umkreis von 150 km",
        "Carry out home visits to patients after discharge",
        "Deliver parcels within a 20 mile radius of the depot",
        "Home visits to elderly patients",
        "Hausbesuche bei Patientinnen und Patienten",
        "Außentermine bei Kunden wahrnehmen",
    ],
)
def test_a_task_that_names_its_radius_or_visits_is_still_a_duty(text):
    assert jobad.duty_part_label(text) is None


@pytest.mark.parametrize(
    ("ad", "lead_in", "duty"),
    [
        (
            "Pensions Administrator\nThe job\nDay to day this means:\n"
            "- calculating and processing retirement quotations\n"
            "- answering member queries by phone and e-mail\n",
            "Day to day",
            "calculating and processing retirement quotations",
        ),
        (
            "Assistant Sommelier\nWorking side by side with our Wine Director, you'll:\n"
            "– guide guests through the list and pour by the glass\n"
            "– receive deliveries and keep the cellar organized\n",
            "Wine Director",
            "guide guests through the list and pour by the glass",
        ),
        (
            "Apprentice Aircraft Technician\nAs an apprentice you'll:\n"
            "carry out scheduled inspections under supervision\n"
            "remove, refit and test wheels and brakes\n",
            "apprentice",
            "carry out scheduled inspections under supervision",
        ),
        (
            "Ausbildung zur Fachkraft für Lagerlogistik (m/w/d)\nWas du bei uns lernst:\n"
            "- Du nimmst Waren an und prüfst Lieferscheine\n"
            "- Du kommissionierst Aufträge für unsere Kunden\n",
            "lernst",
            "Du nimmst Waren an",
        ),
        (
            "Ausbildung zum Milchtechnologen (m/w/d)\nWas du bei uns lernst\n"
            "- Du nimmst die Rohmilch an und ziehst Proben\n"
            "- Du bedienst Separatoren und Butterfertiger\n",
            "lernst",
            "Du nimmst die Rohmilch an",
        ),
    ],
)
def test_a_lead_in_ending_in_a_colon_is_not_scored_but_its_list_is(ad, lead_in, duty):
    duties = _scored(ad)
    assert not any(lead_in in d for d in duties), duties
    assert any(d.startswith(duty) for d in duties), duties


@pytest.mark.parametrize(
    ("ad", "duty"),
    [
        (
            "IT Administrator\nYour responsibilities\n"
            "- Managing users in Active Directory, Entra ID and Intune:\n"
            "- onboarding and offboarding staff\n- patching laptops\n",
            "Managing users",
        ),
        (
            "Polizeikommissaranwärter (m/w/d)\nDeine Aufgaben\n"
            "- Nach dem Studium sind Sie unter anderem im Wach- und Wechseldienst eingesetzt:\n"
            "- Sie nehmen Anzeigen auf\n- Sie sichern Unfallstellen\n",
            "Nach dem Studium",
        ),
    ],
)
def test_a_duty_ending_in_a_colon_is_still_a_duty(ad, duty):
    assert any(d.startswith(duty) for d in _scored(ad))


def test_target_and_service_level_lines_are_not_scored_in_either_language():
    de = _scored(
        "Werkleiter (m/w/d)\nIhre Verantwortung\n"
        "- Steuerung der Werksbudgets und Investitionsplanung\n"
        "- Zielvorgabe für die ersten drei Jahre: Steigerung der OEE von 71 % auf über 80 % "
        "und Senkung der Ausschussquote unter 1,5 %.\n"
    )
    assert any(d.startswith("Steuerung der Werksbudgets") for d in de)
    assert not any("OEE" in d or "Ausschussquote" in d for d in de), de
    en = _scored(
        "Pensions Administrator\nThe job\n"
        "- calculating and processing retirement quotations\n"
        "- You'll work to agreed service levels (currently 95% of cases completed within "
        "10 working days).\n"
    )
    assert any(d.startswith("calculating") for d in en)
    assert not any("service levels" in d for d in en), en


def test_a_duty_naming_targets_among_its_parts_keeps_its_other_parts():
    duties = _scored(
        "Production Manager\nWhat you'll do\n"
        "- lead production across three shifts and five lines, managing 140 operatives through "
        "four shift managers, and deliver our output, quality and labour cost targets\n"
        "- plan maintenance with the engineering team\n"
    )
    assert any(d.startswith("lead production") for d in duties), duties
    assert any("managing 140 operatives" in d for d in duties), duties


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Ihr Hintergrund", "requirement"),
        ("You'll bring", "requirement"),
        ("Das Angebot", "benefit"),
        ("Was du bei uns lernst", "duty"),
        ("Essential Functions", "duty"),
    ],
)
def test_headings_of_set_d_start_their_sections(heading, kind):
    assert jobad.heading_kind(heading) == kind


def test_benefits_under_das_angebot_are_not_scored():
    duties = _scored(
        "Werkleiter (m/w/d)\nIhre Verantwortung\n"
        "▪ Steuerung der Werksbudgets und Investitionsplanung\n"
        "▪ Weiterentwicklung des Shopfloor-Managements\n"
        "Ihr Hintergrund\n▪ Sie führen über Klarheit und Präsenz in der Halle – nicht per E-Mail.\n"
        "Das Angebot\n▪ Große Gestaltungsfreiheit in einem Familienunternehmen\n"
        "▪ Unterstützung beim Umzug in die Region\n"
    )
    assert any(d.startswith("Steuerung") for d in duties), duties
    assert not any("Gestaltungsfreiheit" in d or "Umzug" in d or "Präsenz" in d for d in duties)


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        ("Sie sind viel unterwegs und besuchen Kunden", "besuchen Kunden"),
        ("Du besuchst Kundinnen und Kunden im Umkreis von 50 km", "Du besuchst Kundinnen"),
    ],
)
def test_a_duty_that_says_where_it_happens_is_still_scored(text, duty):
    assert any(duty in d for d in _scored(text)), _scored(text)


_HOLDER_AD = """Senior Hydrogeologist
Redtail Water & Environmental, Inc. | Boise, ID
Position Summary
Redtail is a 120-person, employee-owned consulting firm helping communities manage their water.
The Senior Hydrogeologist will {verb} groundwater investigations for municipal water providers.
Essential Functions
Design and manage aquifer tests and well installations
Prepare technical reports and water-right applications
Minimum Qualifications
8+ years of professional experience in groundwater consulting
"""


def test_a_sentence_saying_what_the_titled_holder_will_do_is_a_duty():
    duties = _scored(_HOLDER_AD.format(verb="lead"))
    assert any(d.startswith("The Senior Hydrogeologist will lead") for d in duties), duties
    assert any(d.startswith("Design and manage aquifer tests") for d in duties)
    assert not any("120-person" in d for d in duties)


def test_what_the_titled_holder_will_have_is_no_duty():
    duties = _scored(_HOLDER_AD.format(verb="have"))
    assert not any(d.startswith("The Senior Hydrogeologist") for d in duties), duties


def test_an_english_requirement_under_youll_bring_is_not_scored():
    duties = _scored(
        "Assistant Curator\n**What you'll be doing**\n"
        "1. Researching and documenting garments on our collections database\n"
        "2. Leading object-handling sessions for schools\n"
        "**You'll bring**\n- A degree in history or a related subject\n"
        "- Confidence speaking to groups of all ages\n"
    )
    assert any(d.startswith("Researching") for d in duties), duties
    assert not any("Confidence" in d or "degree" in d for d in duties), duties
