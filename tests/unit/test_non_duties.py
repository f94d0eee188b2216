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


# --- the blind review's set C: lines written the way real ads write them ----------------------

_DE_SET_C_SHAPES = """Ausbildung zur Kauffrau im Einzelhandel (m/w/d)
Was dich erwartet:
- Du berätst unsere Kund:innen zu Produkten aus Garten und Werkzeug
- Du durchläufst verschiedene Abteilungen und bekommst Einblick in Warenwirtschaft und Inventur
- Lagerung der Patient:innen gemeinsam mit Anästhesie und Operateur:innen
- Unterstützung bei der Einwerbung von Drittmitteln und bei der Selbstverwaltung des Lehrstuhls
Darüber hinaus werten Sie Threat-Intelligence-Feeds aus und erstellen Berichte für die \
Geschäftsführung; die Teilnahme an der Rufbereitschaft (ca. eine Woche pro Monat) gehört \
ebenfalls dazu.
- Du erreichst deine monatlichen Zielvorgaben
Das bringst du mit:
- Führerschein Klasse B
"""

_EN_SET_C_SHAPES = """Youth Worker
What you'll do:
- Coordinate with court reporters, process servers, experts and opposing counsel's staff
- After a preceptorship period, you'll take part in the on-call and shift rota (long days, \
nights and weekends) and have the opportunity to rotate into CT.
- Running product demos; forecasting accurately in Salesforce; and consistently hitting or \
exceeding a quarterly quota.
- The role involves offering one-to-one mentoring to young people; and recording attendance, \
outcomes and safeguarding concerns accurately and on time.
- Take part in audit and service improvement projects
Ideally you will have:
- Experience of working with cattle
- A full driving licence
"""


def test_german_set_c_shapes_score_whole_duties_only():
    parsed = parse_job_ad(_DE_SET_C_SHAPES)
    assert parsed.duties == [
        "Du berätst unsere Kund:innen zu Produkten aus Garten und Werkzeug",
        # the people of a duty's complement and its second complement stay with it
        "Lagerung der Patient:innen gemeinsam mit Anästhesie und Operateur:innen",
        "Unterstützung bei der Einwerbung von Drittmitteln und bei der Selbstverwaltung des "
        "Lehrstuhls",
        "Darüber hinaus werten Sie Threat-Intelligence-Feeds aus",
        "erstellen Berichte für die Geschäftsführung",
    ]
    assert parsed.ignored["benefits"] == [
        "Du durchläufst verschiedene Abteilungen",
        "bekommst Einblick in Warenwirtschaft und Inventur",
    ]
    assert "Du erreichst deine monatlichen Zielvorgaben" in parsed.ignored["other"]
    assert any(
        t.startswith("die Teilnahme an der Rufbereitschaft") for t in parsed.ignored["other"]
    )


def test_english_set_c_shapes_score_whole_duties_only():
    parsed = parse_job_ad(_EN_SET_C_SHAPES)
    assert parsed.duties == [
        "Coordinate with court reporters, process servers, experts and opposing counsel's staff",
        "Running product demos",
        "forecasting accurately in Salesforce",
        "Offering one-to-one mentoring to young people",
        "recording attendance, outcomes and safeguarding concerns accurately and on time",
        "Take part in audit and service improvement projects",
    ]
    other = parsed.ignored["other"]
    assert "consistently hitting or exceeding a quarterly quota" in other
    assert any(t.startswith("you'll take part in the on-call and shift rota") for t in other)
    # "Ideally you will have:" heads the requirements, not more duties
    assert parsed.ignored["requirements"] == [
        "Experience of working with cattle",
        "A full driving licence",
    ]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "die Teilnahme an der Rufbereitschaft (ca. eine Woche pro Monat) gehört ebenfalls dazu",
            "other",
        ),
        ("Teilnahme an Nacht- und Wochenenddiensten nach Dienstplan", "other"),
        ("Du nimmst an der Rufbereitschaft teil", "other"),
        ("you'll take part in the on-call and shift rota and have the chance to rotate", "other"),
        ("Join the out-of-hours on-call rota", "other"),
        ("Teilnahme an Hilfeplangesprächen mit dem Jugendamt", None),
        ("Teilnahme an Konferenzen und Elternabenden", None),
        ("Take part in audit and service improvement projects", None),
        ("Be part of the project team delivering the new ward", None),
        ("Du durchläufst verschiedene Abteilungen", "benefit"),
        ("bekommst Einblick in Warenwirtschaft und Inventur", "benefit"),
        ("You'll rotate through theatres, wards and outpatients", "benefit"),
        ("consistently hitting or exceeding a quarterly quota", "other"),
        ("Du erreichst deine monatlichen Zielvorgaben", "other"),
        ("Zielvorgaben erreichen", "other"),
        ("Set reliability targets (SLOs)", None),
        ("Set quotas for the regional sales team", None),
        ("Einhaltung der gesetzlichen Vorgaben", None),
        ("Du lernst, wie Ware bestellt, angenommen, kontrolliert und eingeräumt wird", None),
        # the end of an apprenticeship is a prospect (set E, en-176), the end of a shift is not
        (
            "At the end you'll complete your end-point assessment and gain a Level 3 "
            "apprenticeship",
            "benefit",
        ),
        ("Am Ende der Ausbildung legst du die Abschlussprüfung vor der IHK ab", "benefit"),
        ("At the end of each shift, hand over to the night team", None),
    ],
)
def test_shift_participation_training_stages_and_quotas(text, label):
    assert jobad.non_duty_label(text) == label


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Ideally you will have:", "requirement"),
        ("Ideally you'll have", "requirement"),
        ("What you will do:", "duty"),
        ("As a firefighter you will:", "duty"),
    ],
)
def test_you_will_headings(heading, kind):
    assert jobad.heading_kind(heading) == kind


def test_a_statement_that_announces_its_duties_is_scored_as_duties():
    # set C's farm ad: prose duties before any heading, opening "The job … will include"
    ad = (
        "We are a 1,200-acre family-run mixed farm in north Shropshire with a suckler herd.\n"
        "The job is varied and will include daily feeding, bedding and checking of cattle and "
        "helping at calving time.\n"
        "Die Stelle umfasst 30 Std./Woche, überwiegend nachmittags.\n"
        "Ideally you will have:\n- Experience of working with cattle\n"
    )
    parsed = parse_job_ad(ad)
    assert parsed.duties[0].startswith("Daily feeding")
    assert any("calving" in duty for duty in parsed.duties)
    # the hours a position "umfasst" are no duties
    assert not any("Std./Woche" in duty for duty in parsed.duties)
    assert parsed.ignored["requirements"] == ["Experience of working with cattle"]


@pytest.mark.parametrize(
    ("ad", "duty", "requirement"),
    [
        (
            "Planning Officer (Development Management)\nKey responsibilities include:\n"
            "- Negotiating amendments to improve the quality of schemes\n"
            "- Assisting with planning appeals and enforcement investigations where required\n"
            "- A full UK driving licence is essential\n"
            "About you\n- Experience of processing planning applications\n",
            "Assisting with planning appeals and enforcement investigations where required",
            "A full UK driving licence is essential",
        ),
        (
            "Wohnbereichsleitung (m/w/d)\nIhre Aufgaben:\n"
            "- Fachliche und organisatorische Leitung eines Wohnbereichs mit 24 Bewohnerinnen und "
            "Bewohnern und einem Team von ca. 18 Mitarbeitenden\n"
            "- Erstellung der Dienstpläne\n- Führerschein Klasse B erforderlich\n"
            "Ihr Profil:\n- Examen als Pflegefachfrau\n",
            "Fachliche und organisatorische Leitung eines Wohnbereichs mit 24 Bewohnerinnen und "
            "Bewohnern und einem Team von ca. 18 Mitarbeitenden",
            "Führerschein Klasse B erforderlich",
        ),
    ],
)
def test_a_bullet_under_a_duties_heading_is_a_duty_where_duty_is_likeliest(ad, duty, requirement):
    # both duties sit below the classifier's duty threshold (0.56 and 0.49 with the shipped
    # model) but duty is their likeliest label; a requirement in the same list stays out
    parsed = parse_job_ad(ad)
    assert duty in parsed.duties
    assert requirement in parsed.ignored["requirements"]
    assert requirement not in parsed.duties


def test_a_german_list_pasted_without_its_line_breaks_is_cut_into_its_items():
    # set E (de-205): the bullets of a duty list lost in copying, one run-on line
    ad = (
        "Medizincontroller (m/w/d)\nAufgaben:\n"
        "Kodierung von Diagnosen und Prozeduren nach ICD-10-GM auf Grundlage der Patientenakte "
        "Prüfung der DRG-Fallzusammenführung sowie der Verweildauer-Grenzen Bearbeitung von "
        "MD-Prüfanfragen inkl. Stellungnahmen Schulung der Ärztinnen und Ärzte zu "
        "Dokumentationsanforderungen\nAnforderungen:\n- Ausbildung als Kodierfachkraft\n"
    )
    assert parse_job_ad(ad).duties == [
        "Kodierung von Diagnosen und Prozeduren nach ICD-10-GM auf Grundlage der Patientenakte",
        "Prüfung der DRG-Fallzusammenführung sowie der Verweildauer-Grenzen",
        "Bearbeitung von MD-Prüfanfragen inkl. Stellungnahmen",
        "Schulung der Ärztinnen und Ärzte zu Dokumentationsanforderungen",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # an article, a preposition or a comma stands between the nouns: one sentence
        "Sie übernehmen die Planung der Dienste und die Organisation der Übergaben im Team der "
        "Station",
        "Unterstützung der Stationsleitung bei der Einarbeitung neuer Kolleginnen und Kollegen im "
        "Rahmen der Praxisanleitung",
        # short: never cut
        "Patientenakte Prüfung der Fälle",
    ],
)
def test_ordinary_german_sentences_are_not_cut_as_run_on_lists(text):
    assert jobad._run_on_items(text) == [text]


# A statement opening like a lead-in to duties ("The role includes …") announces duties only
# outside any section or under a duties heading; under "What we offer" it announces none.
@pytest.mark.parametrize(
    "text",
    [
        "What we offer:\n- The role includes a company car and 30 days holiday",
        "Wir bieten:\n- Die Stelle umfasst eine unbefristete Anstellung mit 30 Tagen Urlaub",
    ],
)
def test_a_lead_in_under_a_benefits_heading_announces_no_duties(text):
    parsed = parse_job_ad(text)
    assert parsed.duties == []
    # set aside: the classifier refit on 454 ads files it as other text, and a rule that makes
    # a benefit of every benefit-cued statement under a benefits heading got 8 labelled
    # statements wrong and none right (training/data/ads)
    assert len(parsed.ignored.get("benefits", []) + parsed.ignored.get("other", [])) == 1


@pytest.mark.parametrize(
    ("text", "duty"),
    [
        (
            "Your role:\n- The role involves planning and delivering sessions",
            "Planning and delivering sessions",
        ),
        (
            "The role involves planning and delivering sessions for children.",
            "Planning and delivering sessions for children",
        ),
    ],
)
def test_a_lead_in_under_a_duties_heading_or_none_is_a_duty(text, duty):
    assert parse_job_ad(text).duties == [duty]


@pytest.mark.parametrize(
    "text",
    [
        # one action noun after a noun naming a unit: an ordinary sentence, not a pasted list
        "Sie arbeiten in unserem Team im Bereich Entwicklung von Software und unterstützen die "
        "Kolleginnen bei neuen Projekten",
        # English capitalises titles and names of units
        "Support the Head of Research Planning in the Region with the preparation of reports and "
        "the coordination of projects",
    ],
)
def test_a_sentence_with_one_capitalised_action_noun_is_not_cut(text):
    assert jobad._run_on_items(text) == [text]
