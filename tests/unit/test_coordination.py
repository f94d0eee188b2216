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


# --- where a person would cut (the blind review of the advice, flaw 3) ---------------------


@pytest.mark.parametrize(
    "text",
    [
        # a noun pair is one object: its second noun opens with a verb but is none
        "Operate forklifts and reach trucks when needed",
        "Raise purchase orders and work orders in SAP",
        # a second verb on the same object, after a comma too
        "Prepare reports, review and approve invoices",
    ],
)
def test_a_noun_pair_object_is_not_two_tasks(text):
    if text.startswith("Prepare"):
        assert split_coordinated(text, "en") == ["Prepare reports", "review and approve invoices"]
    else:
        assert split_coordinated(text, "en") == [text]


@pytest.mark.parametrize(
    ("text", "language", "duties"),
    [
        (
            "Duties include greeting patients at the front desk, booking appointments by phone "
            "and online, scanning and filing letters and dealing with patient enquiries.",
            "en",
            [
                "Greeting patients at the front desk",
                "Booking appointments by phone and online",
                "Scanning and filing letters",
                "Dealing with patient enquiries.",
            ],
        ),
        (
            "Your role involves preparing monthly reports, reconciling accounts and answering "
            "supplier queries",
            "en",
            ["Preparing monthly reports", "Reconciling accounts", "Answering supplier queries"],
        ),
        (
            "Zu Ihren Aufgaben gehören die Kontierung von Eingangsrechnungen, der Abgleich der "
            "Kontoauszüge und das Mahnwesen",
            "de",
            ["Kontierung von Eingangsrechnungen", "Abgleich der Kontoauszüge", "Mahnwesen"],
        ),
        (
            "Dazu gehört die Pflege der Stammdaten sowie die Erstellung von Auswertungen",
            "de",
            ["Pflege der Stammdaten", "Erstellung von Auswertungen"],
        ),
        # a genitive "der …" continues the phrase before it
        (
            "Zu deinen Aufgaben zählen u. a. die Pflege der Stammdaten, der Kundenakten und der "
            "Verträge",
            "de",
            ["Pflege der Stammdaten, der Kundenakten und der Verträge"],
        ),
        ("Duties include: stock control", "en", ["Stock control"]),
    ],
)
def test_lead_ins_are_not_part_of_the_first_duty(text, language, duties):
    assert split_coordinated(text, language) == duties


@pytest.mark.parametrize(
    ("text", "duties"),
    [
        (
            "Drive scheduled bus routes safely and on time, help passengers with tickets and "
            "information, carry out vehicle checks before each shift and report incidents",
            [
                "Drive scheduled bus routes safely and on time",
                "help passengers with tickets and information",
                "carry out vehicle checks before each shift",
                "report incidents",
            ],
        ),
        ("Order stock and check deliveries", ["Order stock", "check deliveries"]),
        ("Ordering stock and checking deliveries", ["Ordering stock", "checking deliveries"]),
        # nouns that are verbs too stay objects where the duty before opened otherwise
        ("Manage budgets and service contracts", ["Manage budgets and service contracts"]),
        ("Help prepare and serve breakfast", ["Help prepare and serve breakfast"]),
    ],
)
def test_distinct_tasks_in_one_sentence_are_cut_apart(text, duties):
    assert split_coordinated(text, "en") == duties


@pytest.mark.parametrize(
    ("ad", "condition"),
    [
        (
            "Deine Aufgaben:\n• Eindecken von Steil- und Flachdächern\n• Abdichtungsarbeiten\n"
            "• Arbeiten auf wechselnden Baustellen im Umkreis von 50 km",
            "Arbeiten auf wechselnden Baustellen im Umkreis von 50 km",
        ),
        (
            "Ihre Aufgaben:\n- Montage von Fenstern und Türen\n- Bereitschaft zu Schichtarbeit\n"
            "- Wartung der Anlagen",
            "Bereitschaft zu Schichtarbeit",
        ),
        (
            "What you'll do:\n- Install and maintain heating systems\n- Working at different "
            "sites across the North West\n- Diagnose faults",
            "Working at different sites across the North West",
        ),
        (
            "Responsibilities:\n- Service boilers at customers' homes\n- Regular travel within "
            "the region\n- Keep job records up to date",
            "Regular travel within the region",
        ),
    ],
)
def test_working_conditions_are_not_scored_as_duties(ad, condition):
    parsed = parse_job_ad(ad)
    assert condition not in parsed.duties
    # set aside as other text, or as what the applicant brings ("Bereitschaft zu …")
    assert condition in parsed.ignored.get("other", []) + parsed.ignored.get("requirements", [])
    assert len(parsed.duties) >= 2  # the duties around it stay duties


def test_a_duty_at_a_place_is_still_a_duty():
    parsed = parse_job_ad(
        "Ihre Aufgaben:\n- Montage von Photovoltaikanlagen auf wechselnden Baustellen\n"
        "- Travel to customer sites to install and commission equipment"
    )
    assert len(parsed.duties) >= 2 and "other" not in parsed.ignored


def test_being_someones_point_of_contact_is_a_duty_a_named_contact_is_not():
    parsed = parse_job_ad(
        "Bestellung der Prüfpräparate. Sie schulen das Studienpersonal in den Abläufen. "
        "Ansprechpartner/in für Sponsoren: Terminierung und Abstimmung von Monitoringbesuchen. "
        "Erstellung der Studiendokumentation. Sie überwachen die Studienaktivitäten."
    )
    assert any(d.startswith("Ansprechpartner/in für Sponsoren") for d in parsed.duties)
    contact = parse_job_ad(
        "Ihre Aufgaben:\n- Erstellung der Studiendokumentation\n- Pflege der Stammdaten\n"
        "Kontakt:\nIhre Ansprechpartnerin für Fragen: Frau Doreen Fiedler, Personalmarketing"
    )
    assert not any("Fiedler" in d for d in contact.duties)


def test_writing_and_interviewing_are_two_duties():
    text = (
        "Recherche und Verfassen von Artikeln über das lokale Geschehen, Interviews mit "
        "Bürgerinnen und Bürgern und Vertretern der Stadt, Fotografieren bei Terminen und "
        "Pflege des Online-Auftritts"
    )
    assert split_coordinated(text, "de") == [
        "Recherche und Verfassen von Artikeln über das lokale Geschehen",
        "Interviews mit Bürgerinnen und Bürgern und Vertretern der Stadt",
        "Fotografieren bei Terminen",
        "Pflege des Online-Auftritts",
    ]


# --- no scraps of the ad among the tasks (issue 12; the blind review's flaw 1) ---------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # coordinated adjectives before one noun
        ("Durchführung der internen und externen Qualitätskontrollen nach Rili-BÄK", "de"),
        ("Pflege und Überwachung beatmeter und kritisch kranker Patienten", "de"),
        ("Provide a friendly, professional welcome to tenants and visitors", "en"),
        # a gender pair is one group of people
        (
            "Beratung und Begleitung von Schülerinnen und Schülern bei schulischen, familiären "
            "und persönlichen Problemen",
            "de",
        ),
        ("Einarbeitung von Kollegen und Kolleginnen in die Fachverfahren", "de"),
        # a list of objects or channels after a verb or a preposition
        (
            "Enge Abstimmung mit dem Außendienst, der Produktion und der Qualitätssicherung, "
            "insbesondere im Reklamationsmanagement",
            "de",
        ),
        (
            "Liaising with the technical team, sales and customer care to ensure smooth handovers",
            "en",
        ),
        ("Assess and award discounts, exemptions and disregards in line with legislation", "en"),
        (
            "Work closely with Marketing, Partnerships and Product to shape go-to-market strategy",
            "en",
        ),
        # "and" + a word in -ing after a verb in its base form: one more object
        ("Provide advice and training to nursing and medical staff on safe swallowing", "en"),
        ("Run accurate pipeline reviews and forecasting in Salesforce", "en"),
        (
            "You will provide assessment and treatment for inpatients with communication and "
            "swallowing difficulties, mainly on the stroke unit",
            "en",
        ),
        # a purpose goes on with what it named
        (
            "Work with ML engineers to put models into production and monitor their performance",
            "en",
        ),
    ],
)
def test_no_split_inside_one_phrase(text, language):
    assert split_coordinated(text, language) == [text]


def test_shared_verbs_and_their_channels_stay_one_duty():
    text = (
        "As the first point of contact for IT support, you will log, prioritise and resolve "
        "incidents and service requests by phone, chat and through our ServiceNow portal, "
        "escalating more complex issues to our second-line and infrastructure teams"
    )
    assert split_coordinated(text, "en") == [
        "As the first point of contact for IT support, you will log, prioritise and resolve "
        "incidents and service requests by phone, chat and through our ServiceNow portal",
        "escalating more complex issues to our second-line and infrastructure teams",
    ]


@pytest.mark.parametrize(
    ("text", "language", "duties"),
    [
        # the joints the rules above leave alone still cut
        (
            "Elternarbeit und Vermittlung an Beratungsstellen, Jugendamt und weitere Hilfen",
            "de",
            ["Elternarbeit", "Vermittlung an Beratungsstellen, Jugendamt und weitere Hilfen"],
        ),
        (
            "Plan and deliver evidence-based therapy, and set goals with patients and families",
            "en",
            ["Plan and deliver evidence-based therapy", "set goals with patients and families"],
        ),
        (
            "You will contact taxpayers and their agents to request information and hold "
            "meetings, either online or face to face",
            "en",
            [
                "You will contact taxpayers and their agents to request information",
                "hold meetings, either online or face to face",
            ],
        ),
        (
            "Working with producers and directors to shape the story, and presenting cuts to "
            "clients",
            "en",
            [
                "Working with producers and directors to shape the story",
                "presenting cuts to clients",
            ],
        ),
        (
            "Run the floor during lunch and dinner service, brief the team before each shift and "
            "handle guest complaints calmly",
            "en",
            [
                "Run the floor during lunch and dinner service",
                "brief the team before each shift",
                "handle guest complaints calmly",
            ],
        ),
        (
            "Du hältst den Salon sauber und bedienst die Kasse",
            "de",
            ["Du hältst den Salon sauber", "bedienst die Kasse"],
        ),
        (
            "Gesichtsbehandlungen, Maniküre und Pediküre",
            "de",
            ["Gesichtsbehandlungen", "Maniküre", "Pediküre"],
        ),
    ],
)
def test_real_duties_still_split(text, language, duties):
    assert split_coordinated(text, language) == duties


@pytest.mark.parametrize(
    ("ad", "kept", "set_aside"),
    [
        (
            "Your role:\n- Reporting to the Chief Revenue Officer, you'll own the number for the "
            "region and manage a team of eight Account Executives\n- Run pipeline reviews",
            ["you'll own the number for the region"],
            "Reporting to the Chief Revenue Officer",
        ),
        (
            "What you'll do:\n- Lead shifts of 3–5 baristas\n- Hold an Oregon Food Handler card "
            "(or can get one within 30 days)\n- Can work early mornings and at least one weekend "
            "day\n- Have some experience leading a team",
            ["Lead shifts of 3–5 baristas"],
            "Hold an Oregon Food Handler card (or can get one within 30 days)",
        ),
        (
            "Key responsibilities include:\n- Planning and coordinating all trades\n- Carrying "
            "out quality inspections\n- Work to performance targets for accuracy",
            ["Planning and coordinating all trades", "Carrying out quality inspections"],
            "Work to performance targets for accuracy",
        ),
        (
            "Ihre Aufgaben:\n• Technische Validation der Messergebnisse\n• Teilnahme am Nacht- "
            "und Wochenenddienst nach Dienstplan\n• Arbeit im Dreischichtsystem",
            ["Technische Validation der Messergebnisse"],
            "Teilnahme am Nacht- und Wochenenddienst nach Dienstplan",
        ),
    ],
)
def test_requirement_reporting_and_condition_lines_are_no_tasks(ad, kept, set_aside):
    parsed = parse_job_ad(ad)
    for duty in kept:
        assert any(d.startswith(duty) for d in parsed.duties), parsed.duties
    assert not any(set_aside.lower() in d.lower() for d in parsed.duties), parsed.duties
    assert set_aside in [t for texts in parsed.ignored.values() for t in texts]
    assert len(parsed.duties) == len(kept) + ad.count("manage a team") + ad.count("pipeline")


def test_what_is_reported_to_whom_stays_a_duty():
    parsed = parse_job_ad(
        "Aufgaben / Duties:\n- Reviewing title, searches and leases and reporting to clients\n"
        "- Hold weekly team meetings"
    )
    assert any("reporting to clients" in d for d in parsed.duties)
    assert "Hold weekly team meetings" in parsed.duties


# A piece that is no complete duty after the cut goes back to the duty it was cut from (the
# blind review's set C): a second complement opening with a preposition, a German word naming
# the people of a complement, a noun that opens with a verb ("process servers", "safeguarding
# concerns").
@pytest.mark.parametrize(
    ("text", "language"),
    [
        (
            "Unterstützung bei der Einwerbung von Drittmitteln und bei der Selbstverwaltung des "
            "Lehrstuhls",
            "de",
        ),
        ("Lagerung der Patient:innen gemeinsam mit Anästhesie und Operateur:innen", "de"),
        (
            "Coordinate with court reporters, process servers, experts and opposing "
            "counsel's staff",
            "en",
        ),
        ("Recording attendance, outcomes and safeguarding concerns accurately and on time", "en"),
        ("Raise safeguarding concerns, safeguarding referrals and incident reports promptly", "en"),
    ],
)
def test_no_scrap_of_a_duty_is_cut_off(text, language):
    assert split_coordinated(text, language) == [text]


@pytest.mark.parametrize(
    ("text", "language", "duties"),
    [
        (
            "Betreuung von Kindern und Jugendlichen sowie Zusammenarbeit mit Eltern und "
            "Lehrer:innen",
            "de",
            [
                "Betreuung von Kindern und Jugendlichen",
                "Zusammenarbeit mit Eltern und Lehrer:innen",
            ],
        ),
        (
            "Process invoices, reconcile supplier statements and answer queries",
            "en",
            ["Process invoices", "reconcile supplier statements", "answer queries"],
        ),
    ],
)
def test_duties_next_to_those_phrases_still_split(text, language, duties):
    assert split_coordinated(text, language) == duties


def test_a_wrapped_lines_conjunction_joins_nothing_inside_it():
    ad = (
        "Youth Worker\nWhat you'll do:\n"
        "- offering mentoring to young people at risk of exclusion; and recording attendance, "
        "outcomes and safeguarding concerns accurately and on time\n"
    )
    assert parse_job_ad(ad).duties == [
        "offering mentoring to young people at risk of exclusion",
        "recording attendance, outcomes and safeguarding concerns accurately and on time",
    ]


@pytest.mark.parametrize(
    "text",
    [
        # an aside between two dashes belongs to the words before it
        "Tractor work throughout the year – cultivations, drilling and carting at harvest – on "
        "both farms",
        # a range from one thing to another
        "Planning sessions for young people, covering everything from sport, music and cooking "
        "to sessions on online safety",
        # a participle after a comma says how the duty before is done
        "Perform diagnostic examinations to a high standard, ensuring justification and "
        "optimisation under IR(ME)R",
    ],
)
def test_asides_ranges_and_manner_stay_with_their_duty(text):
    assert split_coordinated(text, "en") == [text]


@pytest.mark.parametrize(
    ("text", "duties"),
    [
        (
            "Supervising swimmers from the poolside and responding quickly to emergencies",
            ["Supervising swimmers from the poolside", "responding quickly to emergencies"],
        ),
        (
            "Prepare monthly payroll, ensuring compliance, and answer staff queries",
            ["Prepare monthly payroll, ensuring compliance", "answer staff queries"],
        ),
    ],
)
def test_duties_beside_ranges_and_participles_still_split(text, duties):
    assert split_coordinated(text, "en") == duties


def test_the_farm_ads_prose_duties_come_out_whole():
    # set C's farm ad (en-157): the tractor work's aside stays with it, no scrap of it is scored
    ad = (
        "Farm Worker – Arable and Livestock\n"
        "The job is varied and will include tractor work throughout the year – cultivations, "
        "drilling, spraying (if qualified), fertiliser spreading and carting at harvest – as well "
        "as daily feeding, bedding and checking of cattle, helping at calving time, handling stock "
        "for TB testing and routine treatments, and general farm maintenance such as fencing, "
        "hedge cutting and yard work.\n"
        "Ideally you will have:\n- A full driving licence\n"
    )
    duties = parse_job_ad(ad).duties
    assert duties[0].startswith("Tractor work throughout the year – cultivations, drilling")
    assert "Helping at calving time" in duties
    assert not any(d.startswith(("Drilling", "Carting", "Cultivations")) for d in duties)


def test_a_german_clause_that_opens_with_its_subject_is_a_duty_of_its_own():
    # set C (de-196): "…, du bearbeitest E-Mails" after a list of objects
    text = (
        "Du nimmst Anrufe unserer Kund:innen entgegen und kümmerst dich um Anliegen rund um "
        "Abschlagszahlungen, Zählerstände, Umzüge und Jahresabrechnungen, du bearbeitest E-Mails "
        "und Chat-Anfragen, erklärst Tarife"
    )
    assert split_coordinated(text, "de") == [
        "Du nimmst Anrufe unserer Kund:innen entgegen",
        "kümmerst dich um Anliegen rund um Abschlagszahlungen, Zählerstände, Umzüge und "
        "Jahresabrechnungen",
        "du bearbeitest E-Mails und Chat-Anfragen",
        "erklärst Tarife",
    ]


# A piece opening with a preposition is a second complement only without a verb of its own:
# "für Ordnung im Lager sorgen", "mit Kunden telefonieren" are duties of their own.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Waren annehmen, für Ordnung im Lager sorgen und bei Inventuren mitwirken",
            ["Waren annehmen", "für Ordnung im Lager sorgen", "bei Inventuren mitwirken"],
        ),
        (
            "Angebote erstellen, mit Kunden telefonieren und Rechnungen prüfen",
            ["Angebote erstellen", "mit Kunden telefonieren", "Rechnungen prüfen"],
        ),
    ],
)
def test_a_prepositional_piece_with_its_own_verb_is_a_duty(text, expected):
    assert split_coordinated(text, "de") == expected
