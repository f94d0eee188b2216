"""Lines that sit in an ad's duty list but are no duty of the role are never scored: greetings,
slogans, career and training prospects, quotas, shift and on-call lines, lone nouns naming
people; a wrapped line's leading "and" is not part of its duty (the blind review's flaw 2)."""

from __future__ import annotations

import pytest

from risk_service import jobad
from risk_service.jobad import parse_job_ad

_DE_AD = """Ausbildung zum Industriekaufmann (m/w/d)
Deine Aufgaben
- Hey du!
- Du bearbeitest Bestellungen und pflegst Kundendaten
- Nach 2 Jahren kannst du deine Ausbildung mit der IHK-Prüfung abschließen
- Operateur:innen
- Du arbeitest im Schichtdienst und in der Rufbereitschaft
- Du erreichst ein Ziel von 40 Anrufen pro Tag
- Gemeinsam die Zukunft gestalten!
- und Dokumentation der Anwesenheit
"""

_EN_AD = """Staff Nurse
Responsibilities
- Hi there!
- After a preceptorship period, you will take charge of a bay of six patients
- Make 60 outbound calls per day target
- Operators
- Participate in the on-call rota
- Work a 12-hour shift pattern including nights
- Be part of something bigger!
- Progress to senior nurse within two years
- Administer medication and monitor patients' vital signs
- and recording attendance, outcomes
"""


def test_german_apprenticeship_ad_scores_only_its_duties():
    parsed = parse_job_ad(_DE_AD)
    assert parsed.duties == [
        "Du bearbeitest Bestellungen",
        "pflegst Kundendaten",
        "Dokumentation der Anwesenheit",
    ]
    ignored = [text for texts in parsed.ignored.values() for text in texts]
    for line in ("Hey du!", "Operateur:innen", "Gemeinsam die Zukunft gestalten!"):
        assert line in ignored
    assert any(t.startswith("Nach 2 Jahren") for t in parsed.ignored["benefits"])


def test_english_ad_scores_only_its_duties():
    parsed = parse_job_ad(_EN_AD)
    assert parsed.duties == [
        "you will take charge of a bay of six patients",
        "Administer medication",
        "monitor patients' vital signs",
        "recording attendance, outcomes",
    ]
    assert "After a preceptorship period" in parsed.ignored["benefits"]
    assert "Progress to senior nurse within two years" in parsed.ignored["benefits"]
    assert "Be part of something bigger!" in parsed.ignored["company"]
    assert "Make 60 outbound calls per day target" in parsed.ignored["other"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Hallo zusammen!", "other"),
        ("Hey du!", "other"),
        ("Hello and welcome!", "other"),
        ("Werde Teil unseres Teams!", "company"),
        ("Join our award-winning team!", "company"),
        ("Nach 2 Jahren kannst du deine Ausbildung mit der IHK-Prüfung abschließen", "benefit"),
        ("Nach erfolgreicher Ausbildung ist eine Übernahme möglich", "benefit"),
        ("After a preceptorship period", "benefit"),
        ("Once qualified, you can progress to a senior role", "benefit"),
        ("Gute Übernahmechancen nach der Ausbildung", "benefit"),
        ("Opportunity to progress to team leader", "benefit"),
        ("Achieve a target of 50 calls per day", "other"),
        ("Zielvorgabe: 120 Pakete pro Schicht", "other"),
        ("Participate in the on-call rota", "other"),
        ("Work a 12-hour shift pattern including nights and weekends", "other"),
        ("Du arbeitest im Schichtdienst", "other"),
        ("Bereitschaftsdienst und Wochenenddienste nach Bedarf", "other"),
        ("Operateur:innen", "other"),
        ("Mitarbeiter*innen", "other"),
        ("Operators", "other"),
    ],
)
def test_non_duties_are_recognised(text, label):
    assert jobad.non_duty_label(text) == label
    assert jobad.duty_part_label(text) == label


@pytest.mark.parametrize(
    "text",
    [
        "Hire and onboard new staff",  # not a greeting: "hi" is a whole word
        "Lead the night shift team",
        "Plan the weekend rota for twelve care workers",
        "Schichtübergabe",
        "Thekendienst",
        "Empfangsdienst und Telefonzentrale",
        "Misten",
        "Buchhaltung",
        "Payroll",
        "Hitting weekly targets for valuations, viewings and offers",
        "Set the sales targets for the region",
        "Nach der zweijährigen Ausbildung arbeitest du bei der Abfertigung von Waren am Zollamt",
        "Nach Abschluss der Prüfung dokumentieren Sie die Ergebnisse",
        "Once a week audit the stock",
        "After each delivery, get the consignee to sign",
        "Gemeinsam mit dem Team planst du die Einsätze",
        "Join cables and fit sockets",
        "Answer calls from customers",
    ],
)
def test_duties_stay_duties(text):
    assert jobad.non_duty_label(text) is None
    assert jobad.duty_part_label(text) is None


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        ("and recording attendance, outcomes", "recording attendance, outcomes"),
        ("und Dokumentation der Anwesenheit", "Dokumentation der Anwesenheit"),
        ("sowie die Pflege der Stammdaten", "die Pflege der Stammdaten"),
        ("& maintain the asset register", "maintain the asset register"),
        ("Und-Verknüpfungen prüfen", "Und-Verknüpfungen prüfen"),
        ("Andrew's accounts", "Andrew's accounts"),
    ],
)
def test_a_wrapped_line_loses_its_leading_conjunction(text, duty):
    assert jobad.without_dangling_conjunction(text) == duty


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Hallo liebe Bewerberinnen und Bewerber!", "other"),
        ("Lust auf mehr?", "other"),
        ("Ready for a new challenge?", "other"),
        ("In 3 Jahren wirst du zur Kauffrau ausgebildet und kannst übernommen werden", "benefit"),
        ("During your first year you can work towards a Level 3 qualification", "benefit"),
    ],
)
def test_greetings_questions_and_prospects(text, label):
    assert jobad.non_duty_label(text) == label


@pytest.mark.parametrize(
    "text",
    [
        "Keeping our regulars happy!",
        "In der Woche planst du die Prüfungen der Anlagen",
        "Nach 2 Tagen Prüfung der Proben auswerten",
        "Nach dem Monatsabschluss erstellst du die Berichte",
        "In unseren Tagesstätten betreust du Kinder von 1 bis 6 Jahren",
        "Hello customers at the door and take their orders",
    ],
)
def test_more_duties_stay_duties(text):
    assert jobad.non_duty_label(text) is None


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Übernahme von Nacht- und Wochenenddiensten", "other"),
        ("Du leistest Rufdienste und Hintergrunddienste", "other"),
        ("Participation in the on-call service", "other"),
        ("Early, late and night shifts on a rota basis", "other"),
        ("Übernahme von Schichtleitungen", None),
        ("Erstellung der Dienstpläne", None),
        ("Late deliveries", None),
        ("Service the machines", None),
    ],
)
def test_shift_lines_in_the_forms_ads_write_them(text, label):
    assert jobad.non_duty_label(text) == label


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Werde Teil eines starken Teams", "company"),
        ("Deine Chance in der Pflege", "company"),
        ("Shape the future of mobility with us", "company"),
        ("Together we care", None),  # without "!" "together" opens duties too
        ("Gemeinsam mit dem Team planst du die Einsätze", None),
        ("Be part of the project team delivering the new ward", None),
    ],
)
def test_slogans_without_an_exclamation_mark(text, label):
    assert jobad.non_duty_label(text) == label
