"""Job titles: ESCO occupations in both languages, job-board noise, one role one answer, other
languages (issue 12 items 2, 4, 5)."""

from __future__ import annotations

import time

import pytest

from risk_service import schemas
from risk_service.occupations import ROUGH_MATCH, OccupationIndex, is_title_shaped
from risk_service.schemas import Role
from risk_service.scoring import RoleError, assess, assess_many
from risk_service.text import detect_foreign_language, normalise_title, title_core, title_head
from training import esco_titles, titles_eval
from training.corpus import load_corpus
from training.esco_titles import load_esco
from training.train import DEFAULT_DATA

ESCO = "http://data.europa.eu/esco/occupation/"


def score(model, **role) -> dict:
    return assess(Role(**role), model)


def test_a_title_answers_with_the_esco_occupation_labelled_in_the_request_language(model):
    de = score(model, title="Bookkeeper", language="de")["matched_occupation"]
    en = score(model, title="Bookkeeper", language="en")["matched_occupation"]
    assert de["esco_uri"] == en["esco_uri"] and de["esco_uri"].startswith(ESCO)
    assert de["label"] == "Buchhalter/Buchhalterin" and en["label"] == "bookkeeper"
    assert de["isco08"] == en["isco08"] == "3313"
    assert 0.99 <= de["similarity"] <= 1


@pytest.mark.parametrize(
    ("title", "isco08"),
    [
        ("water engineer", "2142"),
        ("Software Architect", "2512"),
        ("Consultant General Surgeon", "2212"),
        ("Sachbearbeiter Kreditorenbuchhaltung (m/w/d)", "4311"),
        ("Senior Data Analyst – Marketing", "2511"),
        ("Werkstudent Controlling (d/m/w)", "2411"),
        ("Pflegefachkraft (m/w/d) in Vollzeit", "2221"),
        ("Kitchen Porter needed ASAP – Brighton seafront", "9412"),
        # the occupation before a qualifier, abbreviations, whom an assistant assists
        ("Controller (m/w/d) Schwerpunkt Konzernreporting", "2411"),
        ("Elektriker (m/w/d) Gebäudetechnik – ab 18 €/Std.", "7411"),
        ("HR Advisor – Employee Relations", "2423"),
        ("RN – ICU, $48/hr (Travel Contract)", "2221"),
        ("PA to Managing Director", "3343"),
    ],
)
def test_job_board_titles_resolve_to_their_unit_group(model, title, isco08):
    result = score(model, title=title)
    assert result["read_as"] == "title"
    assert result["matched_occupation"]["isco08"] == isco08


def test_job_board_noise_is_dropped_and_gender_forms_meet():
    assert title_core("Senior Sachbearbeiter Kreditorenbuchhaltung (m/w/d) – Teilzeit, Köln") == (
        "sachbearbeiter kreditorenbuchhaltung"
    )
    assert title_core("**Medizinische Fachangestellte (m/w/d) für unsere Hausarztpraxis**") == (
        "medizinisch fachangestellte"
    )
    assert title_core("Part-Time Bookkeeper (20 hours)") == "bookkeeper"
    assert title_core("Werkstudent") == "werkstudent"  # nothing else: the word stays
    for form in (
        "Buchhalter/Buchhalterin",
        "Buchhalterin / Buchhalter",
        "Buchhalter*in (w/m/d)",
        "Buchhalter m/w/d",
    ):
        assert normalise_title(form) == "buchhalter", form
    assert normalise_title("Steuerfachangestellte/r") == "steuerfachangestellte"
    assert normalise_title("Facharzt/-ärztin für Orthopädie") == "facharzt orthopädie"
    assert normalise_title("Call-Center-Agent") == normalise_title("Callcenter-Agent")
    assert title_core("Senior Sachbearbeiter Lohn & Gehalt (m/w/d)") == "sachbearbeiter lohn gehalt"


def test_qualifiers_abbreviations_and_assisted_persons_are_read_as_boards_mean_them():
    # after a gender tag or a focus word: what the job is about, not the occupation
    assert title_head("Controller (m/w/d) Schwerpunkt Konzernreporting") == "controller"
    assert title_head("Biologe (m/w/d) für Umweltgutachten") == "biologe"
    assert title_head("Data Analyst with focus on Pricing") == "data analyst"
    assert title_head("Sachbearbeiter Kreditorenbuchhaltung (m/w/d)") == ""  # no qualifier
    assert title_head("Pflegefachkraft (w/m/d) Vollzeit – Köln") == ""  # only noise follows
    # abbreviations in capitals mean what ESCO spells out, in queries and names alike
    assert title_core("RN – ICU") == "registered nurse"
    assert title_core("HR Advisor") == title_core("Human Resources Advisor")
    assert normalise_title("MTA Labor") == "medizinischtechnisch assistent labor"
    assert normalise_title("IT-Leiter") == normalise_title("IKT-Leiter") == "iktleiter"
    assert normalise_title("ICT manager") == normalise_title("IT Manager")
    assert normalise_title("Make it happen") == "make it happen"  # "it" is a word
    # "X to Y": the person is X
    assert title_core("PA to Managing Director") == "personal assistant"
    assert title_core("Executive Assistant to the CEO") == "executive assistant"


def test_title_only_scores_come_from_the_unit_group_weighted_by_share(model):
    result = score(model, title="Buchhalter/in", language="de")
    match = result["matched_occupation"]
    scored = match["occupation_id"]
    index = model.occupations
    assert index._rows[scored]["isco08"] == match["isco08"] and match["basis"] == "unit_group"
    assert [t["text"] for t in result["tasks"]] == index.tasks_of(scored, "de")
    shares = index.shares_of(scored, "de")
    assert shares and len(set(shares)) > 1  # the corpus gives typical shares of working time
    total = sum(shares)
    assert [t["weight"] for t in result["tasks"]] == [round(s / total, 4) for s in shares]


@pytest.mark.parametrize(
    ("title", "language", "label"),
    [
        # one of our names far from every ESCO label of its unit group is labelled with the
        # ESCO occupation its occupation's names cover best, not the nearest lone label
        # ("Parkservice-Mitarbeiter", "Gefahrengutkraftfahrer", "dietetic technician" before)
        (
            "Paketzusteller (m/w/d)",
            "de",
            "Pkw- und Kleintransporter-Lieferfahrer/Pkw- und Kleintransporter-Lieferfahrerin",
        ),
        ("Getränkefahrer (m/w/d)", "de", "Lastkraftwagenfahrer/Lastkraftwagenfahrerin"),
        ("Operating Department Practitioner", "en", "anaesthetic technician"),
        ("Entwickler (m/w/d)", "de", "Softwareentwickler/Softwareentwicklerin"),
    ],
)
def test_our_names_are_labelled_with_their_occupations_esco_occupation(
    model, title, language, label
):
    assert score(model, title=title, language=language)["matched_occupation"]["label"] == label


@pytest.mark.parametrize(
    ("title", "occupation"),
    [
        # our own names filed under ESCO's bookkeeper / billing clerk: their occupation's tasks
        ("Steuerfachangestellte (m/w/d)", "tax_clerk"),
        ("Sachbearbeiter Kreditorenbuchhaltung", "accounts_payable_clerk"),
        ("Debitorenbuchhalter (m/w/d)", "accounts_receivable_clerk"),
        # ESCO's own labels: the occupation whose names cover the ESCO occupation's best
        ("Buchhalter/in", "accounting_associate"),
        ("Lagerist / Lageristin", "stock_clerk"),
        ("Bäcker (m/w/d)", "baker"),
        # occupations whose unit group's ESCO occupations are other jobs: their own tasks
        ("Clinical Research Associate (m/w/d)", "clinical_research_associate"),
        ("Atmungstherapeut (m/w/d)", "respiratory_therapist"),
        ("Landwirt Rindermast (m/w/d)", "beef_cattle_farmer"),
        ("OP-Assistent (m/w/d)", "operating_theatre_assistant"),  # was a construction technician
    ],
)
def test_a_title_is_scored_on_the_tasks_of_the_occupation_it_names(model, title, occupation):
    match = score(model, title=title, language="de")["matched_occupation"]
    assert match["occupation_id"] == occupation and match["basis"] == "unit_group"


def test_a_unit_group_without_corpus_occupation_borrows_and_says_so():
    """Craft and machine occupations (ISCO major groups 7 and 8) indexed without the corpus's
    musical instrument makers (7312): that unit group borrows from its minor group 731."""
    corpus = load_corpus(*DEFAULT_DATA)
    occupations = corpus.occupations[corpus.occupations["isco08"].str[0].isin(["7", "8"])]
    occupations = occupations[occupations["isco08"] != "7312"]
    tasks = corpus.tasks[corpus.tasks["occupation_id"].isin(occupations["occupation_id"])]
    esco = load_esco()
    index = OccupationIndex(occupations, tasks, esco[esco["isco08"].str[0].isin(["7", "8"])])
    match = index.search("Geigenbauer (m/w/d)", k=1)[0]
    assert match.isco08 == "7312" and match.basis == "minor_group"
    assert index._rows[match.occupation_id]["isco08"][:3] == "731"
    assert index.tasks_of(match.occupation_id, "de")
    covered = index.search("Tischler/in", k=1)[0]
    assert covered.basis == "unit_group"
    assert index._rows[covered.occupation_id]["isco08"] == covered.isco08


@pytest.mark.parametrize("title", ["Buchhalter/in", "Data Analyst", "Werkstudent Controlling"])
def test_a_one_line_description_that_is_a_title_gets_the_titles_answer(model, title):
    as_title = score(model, title=title)
    as_description = score(model, description=title)
    assert as_description["read_as"] == as_title["read_as"] == "title"
    assert as_description["risk_score"] == as_title["risk_score"]
    assert as_description["matched_occupation"] == as_title["matched_occupation"]


def test_how_the_input_was_read(model):
    assert score(model, tasks=["Rechnungen kontieren und buchen"])["read_as"] == "tasks"
    duties = score(model, description="Kontieren und Buchen von Belegen; Mahnwesen")
    assert duties["read_as"] == "description" and duties["matched_occupation"] is None
    # a one-line duty stays a duty, and a title beside a description only names the role
    assert score(model, description="Mahnwesen")["read_as"] == "description"
    assert score(model, description="Pflege der Personalstammdaten")["read_as"] == "description"
    both = score(model, title="Buchhalter/in", description="Kontieren und Buchen von Belegen")
    assert both["read_as"] == "description" and both["matched_occupation"] is not None
    assert not is_title_shaped("Kassieren, Regale auffüllen, Kunden beraten")
    assert not is_title_shaped("• Buchhalter")


def test_an_unknown_one_line_description_is_answered_like_an_unknown_title(model):
    with pytest.raises(RoleError) as info:
        score(model, description="Xylophqwz")
    assert info.value.loc == ["description"]
    assert info.value.suggestions  # the page offers them as buttons


def test_the_api_says_how_it_read_the_input_and_names_the_esco_occupation(client):
    body = client.post("/v1/score", json={"description": "Buchhalter/in"}).get_json()
    assert body["read_as"] == "title"
    assert body["matched_occupation"]["esco_uri"].startswith(ESCO)
    assert body["matched_occupation"]["label"] == "Buchhalter/Buchhalterin"
    same = client.get("/v1/score?title=Buchhalter/in").get_json()
    assert same["risk_score"] == body["risk_score"]


FRENCH = (
    "Vous serez responsable de la saisie des factures fournisseurs et du rapprochement "
    "bancaire. Nous offrons un poste en CDI au sein de notre équipe à Lyon."
)


@pytest.mark.parametrize(
    ("text", "lang", "name"),
    [
        (FRENCH, "fr", "French"),
        (
            "Buscamos un administrativo para nuestra oficina. Serás responsable de la gestión de "
            "facturas y del contacto con los clientes y los proveedores.",
            "es",
            "Spanish",
        ),
        (
            "Wij zoeken een administratief medewerker voor ons kantoor. Je bent verantwoordelijk "
            "voor het boeken van facturen en het contact met klanten.",
            "nl",
            "Dutch",
        ),
    ],
)
def test_text_in_another_language_is_a_422_naming_it(client, text, lang, name):
    response = client.post("/v1/score", json={"description": text})
    assert response.status_code == 422
    body = response.get_json()
    assert body["errors"][0]["loc"] == ["body", "description"]
    assert f"{name} ({lang})" in body["errors"][0]["msg"]
    tasks = client.post("/v1/score", json={"tasks": [text], "language": "de"})
    assert tasks.status_code == 422 and name in tasks.get_json()["errors"][0]["msg"]


def test_short_or_mixed_text_keeps_german_and_english(model):
    assert detect_foreign_language("Comptable") is None
    assert detect_foreign_language("Kontieren und Buchen von Belegen; Mahnwesen") is None
    mixed = (
        "Sie kontieren Rechnungen für das Café de la Paix und erstellen die Abschlüsse für "
        "unsere Kunden."
    )
    assert detect_foreign_language(mixed) is None
    assert score(model, description=mixed)["language"] == "de"


def _best_time(fn, arg) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        fn(arg)
        times.append(time.perf_counter() - started)
    return min(times)


def test_title_patterns_stay_linear_on_hostile_input():
    """The title path's patterns on the longest title and description the service accepts,
    within 50 times the same work on normal text of that length (cf. test_redos.py)."""
    size = schemas.MAX_TITLE_CHARS
    normal_title = ("Sachbearbeiter Kreditorenbuchhaltung (m/w/d) – Teilzeit, Köln " * 4)[:size]
    hostile_titles = [
        " " * (size - 1) + "x",
        "-" * size,
        "a-" * (size // 2),
        "Raum " * (size // 5),
        "für unsere " * (size // 11),
        "e/r" * (size // 3),
        "(m/w/" * (size // 5),
        "A " * (size // 2),
    ]

    def uncached_core(text: str) -> str:
        title_core.cache_clear()
        normalise_title.cache_clear()
        return title_core(text) + title_head(text)

    normal = _best_time(uncached_core, normal_title)
    for hostile in hostile_titles:
        assert _best_time(uncached_core, hostile) < 50 * normal, hostile[:20]
        assert _best_time(is_title_shaped, hostile) < 50 * normal, hostile[:20]
    size = schemas.MAX_TEXT_CHARS
    normal_ad = ("Sie kontieren Eingangsrechnungen und gleichen Kontoauszüge ab. " * 400)[:size]
    baseline = _best_time(detect_foreign_language, normal_ad)
    for hostile in ("la " * size, "ą" * size, "ión" * size, " " * size):
        assert _best_time(detect_foreign_language, hostile[:size]) < 50 * baseline


def test_titles_eval_on_held_out_titles(model):
    """The floors this model reaches on titles never used for tuning (``python -m
    training.titles_eval`` prints them)."""
    resolved = titles_eval.resolve_titles(model, titles_eval.load_titles(split="heldout"))
    report = titles_eval.summarise(resolved)
    # reached on 141 German and 130 English titles: de 0.894, en 0.877 right unit group; both
    # 1.0 resolved (target 0.90 / 0.99)
    for lang, right in (("de", 0.88), ("en", 0.86)):
        assert report[lang]["titles"] >= 130
        assert report[lang]["resolved"] >= 0.99, report
        assert report[lang]["right_unit_group"] >= right, report
    gap = titles_eval.language_gap(model, n=100)
    assert gap["both_resolved"] >= 98
    assert gap["mean_abs_gap"] <= 3, gap


def test_an_esco_label_in_either_language_is_scored_alike(model):
    roles = [
        Role(title="Softwarearchitekt/Softwarearchitektin", language="de"),
        Role(title="software architect", language="en"),
    ]
    de, en = assess_many(roles, model)
    assert de["matched_occupation"]["esco_uri"] == en["matched_occupation"]["esco_uri"]
    assert de["matched_occupation"]["occupation_id"] == en["matched_occupation"]["occupation_id"]
    assert abs(de["risk_score"] - en["risk_score"]) <= 5


@pytest.mark.parametrize(
    ("title", "isco08"),
    [
        # where ESCO files an occupation or a label elsewhere than ISCO-08's definitions do
        # (training/data/esco/corrections.csv) or our names did (training/data/occupations.csv)
        ("PTA (m/w/d)", "3213"),
        ("Pharmacy Technician", "3213"),
        ("Radiographer", "3211"),
        ("Vertriebsleiter (m/w/d)", "1221"),
        ("Produktionsleiter (m/w/d)", "1321"),
        ("Legal Secretary", "3342"),
        ("Teaching Assistant", "5312"),
        ("Chef de Partie", "3434"),
        ("Offizier (m/w/d)", "0110"),
        ("Respiratory Therapist", "2269"),  # not a physiotherapist (2264)
        # board names of occupations ESCO names otherwise: the unit group, not a namesake's
        ("Lehrkraft Mathematik/Physik Gymnasium (m/w/d)", "2330"),  # not a university's
        ("Getränkefahrer (m/w/d)", "8332"),  # not a beverage shop's seller
        ("Beverage Route Driver (CDL-B)", "8332"),  # not a vending machine operator
        ("Arable Farm Worker", "9211"),  # a labourer, not a crop production team leader
        # a team leader of workers ISCO-08 gives supervisors of their own is that supervisor
        ("Teamleiter Debitorenbuchhaltung (m/w/d)", "3341"),
        ("Teamleiter Montage (m/w/d)", "3122"),
        ("Schichtleiter Kunststoffspritzguss (m/w/d) im 3-Schicht-Betrieb", "3122"),
        ("Teamleiter Softwareentwicklung", "2512"),  # professionals: the occupation led
        # a qualifier after a dash decides between occupations of one name
        ("Conductor – Railway", "5112"),
        ("Conductor – Orchestra", "2652"),
        ("Conductor", "2652"),
    ],
)
def test_titles_land_where_isco_08_puts_them(model, title, isco08):
    assert score(model, title=title)["matched_occupation"]["isco08"] == isco08


def test_an_esco_correction_must_name_what_it_corrects(tmp_path):
    for name in ("occupations_de.csv", "occupations_en.csv"):
        (tmp_path / name).write_bytes((esco_titles.ESCO_DIR / name).read_bytes())
    uri = ESCO + "632e61c8-4e4b-44c7-b213-6dd5a174b143"  # the distribution manager
    header = "esco_uri,label_en,change,lang,value,reason\n"
    good = f"{uri},distribution manager,drop_label,de,Vertriebsleiterin,sales\n"
    (tmp_path / "corrections.csv").write_text(header + good, encoding="utf-8")
    esco = esco_titles.load_esco(tmp_path).set_index("esco_uri")
    assert esco.at[uri, "dropped_de"] == ["vertriebsleiter"]
    for bad in (
        f"{uri},sales manager,drop_label,de,Vertriebsleiterin,wrong occupation\n",
        f"{uri},distribution manager,drop_label,de,Bäcker,not its label\n",
        f"{uri},distribution manager,isco08,,9999,no such unit group\n",
    ):
        (tmp_path / "corrections.csv").write_text(header + bad, encoding="utf-8")
        esco_titles.load_esco.cache_clear()
        with pytest.raises(ValueError, match="corrections.csv, line 2"):
            esco_titles.load_esco(tmp_path)
    esco_titles.load_esco.cache_clear()


@pytest.mark.parametrize(
    ("title", "occupation", "language", "words"),
    [
        # a blind review of never-seen roles: the right unit group, another job's tasks
        # (a night watchman's patrols, a toolmaker's moulds, a site manager's schedules,
        # hotel bookings abroad, weddings and portraits, sustainability reports in German)
        (
            "Luftsicherheitsassistent*in (m/w/d) Passagier- und Handgepäckkontrolle",
            "aviation_security_screener",
            "de",
            "Röntgenbilder",
        ),
        # ESCO's own label: its occupation is scored on the screener's tasks, not a guard's
        ("Airport Security Officer", "aviation_security_screener", "en", "X-ray"),
        ("Locksmith", "locksmith", "en", "lock"),
        (
            "Fire & Security Systems Engineer (Intruder, CCTV, Access Control)",
            "security_systems_installer",
            "en",
            "alarm",
        ),
        ("Student Campus Tour Guide – Open Days", "visitor_guide", "en", "campus"),
        ("Junior Produktfotograf/-in E-Commerce Mode", "product_photographer", "de", "Produkte"),
        ("Senior R&D Manager (f/m/x) – Plant-Based Foods, Hybrid", "rd_manager", "en", "R&D"),
        # a second review: a guard's patrols, a medical centre's or a factory's manager, a
        # rigger, a land surveyor, a nuclear technician were served before
        (
            "Fahrer/in im Geld- und Werttransport (m/w/d) § 34a GewO",
            "cash_in_transit_guard",
            "de",
            "Geldautomaten",
        ),
        ("Operations Manager – Leisure Centre", "leisure_centre_manager", "en", "lifeguards"),
        ("Freelance Stage Manager – UK Touring Production", "stage_manager", "en", "cue"),
        ("Senior GIS Analyst – Water Utilities", "gis_specialist", "en", "GIS"),
        ("Tätowierer (m/w/d)", "tattoo_artist", "de", "Tattoo"),
        ("Florist (m/w/d)", "florist", "de", "Sträuße"),
        ("Drone Pilot", "drone_pilot", "en", "drone"),
        ("Ladesäulen-Techniker (m/w/d)", "ev_charging_technician", "de", "Ladesäulen"),
        ("Eismacher / Gelatiere", "ice_cream_maker", "de", "Eis"),  # a 422 (hotel porter)
        (
            "Trainee Anatomical Pathology Technologist (Mortuary)",
            "anatomical_pathology_technologist",
            "en",
            "post-mortem",
        ),
        ("Pipe Welder", "pipe_welder", "en", "pipe"),
        ("Content Creator (m/w/d)", "content_creator", "de", "Videos"),  # was the toymaker
        ("Podcast Producer", "podcast_producer", "en", "episode"),
        ("Kaufmännische Leitung – Stadtwerke (m/w/d)", "finance_manager", "de", "abschl"),
        ("Ticket Clerk", "ticket_sales_agent", "en", "tickets"),  # was the travel agent
        ("Nageldesigner (m/w/d)", "nail_technician", "de", "Nägel"),  # was the beautician
        ("Heat Pump Engineer", "heat_pump_technician", "en", "heat pump"),
        ("Solarteur (m/w/d)", "solar_installer", "de", "Solarmodule"),  # was the plumber
        ("Yogalehrer (m/w/d)", "yoga_teacher", "de", "Yoga"),  # was a secondary school teacher
        ("Zahntechniker (m/w/d)", "dental_technician", "de", "Kronen"),  # was the dentist
        ("Nanny", "nanny", "en", "children"),  # was the nursery's childcare worker
        ("Bouncer", "door_supervisor", "en", "door"),  # was the security guard
        ("Store Detective", "store_detective", "en", "shoplifting"),  # was a legal assistant
        ("Pizzabäcker (m/w/d)", "pizza_chef", "de", "Pizza"),  # was the fast-food crew
        ("Brauer und Mälzer (m/w/d)", "brewer", "de", "Sudhaus"),  # was a chemical engineer
        ("Dog Walker", "pet_sitter", "en", "dogs"),  # was the pet groomer
        ("Audiologist", "audiologist", "en", "hearing"),  # was the speech therapist
        ("Privatdetektiv (m/w/d)", "private_investigator", "de", "Observation"),
        # step 7: a public finance accountant, the CAD drafter, a chain-making machine
        # operator, the social media manager and the executive assistant were served before
        ("Treasury Manager (m/w/d)", "treasury_manager", "de", "Liquidität"),
        ("Head of Treasury", "treasury_manager", "en", "cash"),
        ("Leiterplattendesigner (m/w/d)", "pcb_designer", "de", "Leiterplatten"),
        ("PCB Layout Engineer", "pcb_designer", "en", "boards"),
        ("Fundraiser (m/w/d)", "fundraising_manager", "de", "Spend"),
        ("Fundraising Officer", "fundraising_manager", "en", "donors"),
    ],
)
def test_a_title_gets_the_tasks_of_the_job_it_names_in_its_language(
    model, title, occupation, language, words
):
    result = score(model, title=title)  # no language field: the title's own
    match = result["matched_occupation"]
    assert match["occupation_id"] == occupation and match["tasks_fit"] == "close"
    assert result["language"] == language
    assert any(words in task["text"] for task in result["tasks"])
    if language == "en":  # a German standard in an English answer was one of the findings
        assert not any(
            norm in task["text"] for task in result["tasks"] for norm in ("DGUV", "VDE", "DIN ")
        )
    if occupation == "rd_manager":  # ESCO's research and development manager, not "Manager"
        assert match["isco08"] == "1223"
        assert match["label"] == "research and development manager"


def test_an_english_gender_tag_makes_a_title_in_both_languages_english(model):
    # "Controller" is a German and an English name: the tag tells (it was German)
    assert score(model, title="Controller (f/m/x)")["language"] == "en"
    assert score(model, title="Senior Controller (m/f/x) – Group Reporting")["language"] == "en"
    assert score(model, title="Controller (m/w/d)")["language"] == "de"
    # German words keep German, whatever the tag
    assert score(model, title="Buchhalter (m/f/d)")["language"] == "de"
    assert score(model, title="Sachbearbeiter Kreditorenbuchhaltung (m/f/d)")["language"] == "de"


def test_a_title_our_tasks_cover_loosely_says_so_in_its_language(model):
    """ESCO's tax policy analyst has no corpus occupation of its own: the tasks of the closest
    one of its unit group (2631, economists) are scored, and the answer says they are another
    job's."""
    en = score(model, title="Tax Policy Analyst")
    match = en["matched_occupation"]
    assert match["label"] == "tax policy analyst" and match["tasks_fit"] == "loose"
    assert "tax policy analyst" in match["tasks_note"] and match["title"] in match["tasks_note"]
    de = score(model, title="Tax Policy Analyst", language="de")["matched_occupation"]
    assert de["tasks_fit"] == "loose" and "Tätigkeiten" in de["tasks_note"]
    covered = score(model, title="Buchhalter/in")["matched_occupation"]
    assert covered["tasks_fit"] == "close" and "tasks_note" not in covered


def test_a_title_matched_only_roughly_says_so(model):
    """Below ROUGH_MATCH a third of board titles land in another unit group (blind review of
    set I: a customs export clerk was answered with an office clerk's tasks and no word)."""
    rough = score(model, title="Sachbearbeiter Zollabwicklung Export (m/w/d)")["matched_occupation"]
    assert rough["similarity"] < ROUGH_MATCH
    assert "ungefähr" in rough["tasks_note"] and rough["label"] in rough["tasks_note"]
    sure = score(model, title="Buchhalter (m/w/d)")["matched_occupation"]
    assert sure["similarity"] >= ROUGH_MATCH and "tasks_note" not in sure
    with_duties = score(
        model,
        title="Sachbearbeiter Zollabwicklung Export",
        tasks=["Erstellung von Zollanmeldungen"],
    )
    assert "tasks_note" not in with_duties["matched_occupation"]  # its own duties were scored


def test_a_role_sent_with_its_duties_gets_no_note_that_another_jobs_tasks_were_scored(model):
    """The note asks for the role's duties: a role that sent them had only them scored."""
    duties = ["Analyse the effects of proposed tax changes", "Brief ministers on the findings"]
    answer = score(model, title="Tax Policy Analyst", tasks=duties)
    assert answer["read_as"] == "tasks"
    assert [t["text"] for t in answer["tasks"]] == duties
    match = answer["matched_occupation"]
    assert match["tasks_fit"] == "loose" and "tasks_note" not in match
