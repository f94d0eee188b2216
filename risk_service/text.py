"""Text normalisation, German gender forms and language detection.

Kept dependency-free and fast: it runs on every task of every request and inside the
featurisation pipeline.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter

from risk_service import config
from risk_service.cache import byte_cached, str_entry_size

# Every pattern here runs on request text (descriptions up to 20,000 characters) and is linear
# in it: a whitespace run is taken whole by a possessive quantifier (``\s*+``) wherever the next
# token cannot be whitespace, so no run is re-split between two adjacent ``\s*`` (quadratic:
# "mann/" + 20,000 spaces took 7 s). tests/test_redos.py checks each pattern on adversarial text.

# "(m/w/d)", "(w/m/d)", "(m/f/d)", "(all genders)", "(gn)" … carry no meaning for the role.
_GENDER_TAG = re.compile(
    r"\(\s*+(?:[mwfdxi]\s*+[/|,]\s*+){1,3}[mwfdxi]\s*+\)|\(\s*+(?:all genders|gn\*?|d/m/w)\s*+\)",
    re.IGNORECASE,
)
# Gender suffixes: Buchhalter/in, Buchhalter/-in, Buchhalter*in, Buchhalter:in, Buchhalter_in,
# BuchhalterIn, Lehrer*innen … → the base form.
_GENDER_SUFFIX = re.compile(r"(?<=\w)(?:/-?|\*|:|_)(?:in|innen)\b|(?<=[a-zäöüß])(?:In|Innen)\b")
# Kaufmann/-frau, Kaufmann/frau, Kauffrau → Kaufmann; Fachmann/-frau → Fachmann.
_MANN_FRAU = re.compile(r"(mann)\s*+/\s*+-?\s*+(?:\w*frau)\b|\b(\w+)frau\b", re.IGNORECASE)
_FEMININE_ER = re.compile(r"\b(\w{3,}(?:er|eur|or|ist|ant|ent|loge|oge|walt|arzt))in(nen)?\b")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

# Umlaut-bearing feminine forms whose base has no umlaut.
_SPECIAL_FEMININE = {
    "ärztin": "arzt",
    "ärztinnen": "arzt",
    "köchin": "koch",
    "köchinnen": "koch",
    "bäuerin": "bauer",
    "anwältin": "anwalt",
    "zahnärztin": "zahnarzt",
    "tierärztin": "tierarzt",
    "rechtsanwältin": "rechtsanwalt",
}


def _may_be_gendered(text: str) -> bool:
    # Substring tests run in C: much cheaper than a regex scan over every character.
    return (
        "(" in text
        or "/" in text
        or "*" in text
        or ":" in text
        or "_" in text
        or "In" in text
        or "rau" in text
    )


# English ads write the gender tag with "f" (female): "(m/f/d)", "(f/m/x)", "(m/f/x)"; German
# ones with "w" (weiblich): "(m/w/d)", "(w/m/d)".
_ENGLISH_GENDER_TAG = re.compile(
    r"\(\s*+(?:[mfdx]\s*+[/|,]\s*+){1,3}[mfdx]\s*+\)|\(\s*+all genders\s*+\)", re.IGNORECASE
)


def gendered_as_english(text: str) -> bool:
    """Whether ``text``'s gender tag is written as English ads write it ("(m/f/d)",
    "(f/m/x)", "(all genders)"; not the German "(m/w/d)") and it has no German gender suffix
    ("Fotograf/-in (m/f/d)" is German).

    >>> gendered_as_english("Senior R&D Manager (f/m/x)"), gendered_as_english("Koch (m/w/d)")
    (True, False)
    """
    if "(" not in text:
        return False
    tags = [tag.lower() for tag in _ENGLISH_GENDER_TAG.findall(text)]
    if not any("f" in tag or "genders" in tag for tag in tags):
        return False
    return not _GENDER_SUFFIX.search(text)


def has_gender_form(text: str) -> bool:
    """Whether ``text`` carries a German gender form: a tag such as "(m/w/d)" or a suffix such
    as "/in", "*innen", "In" (the forms :func:`neutralise_gender` removes)."""
    return _may_be_gendered(text) and bool(_GENDER_TAG.search(text) or _GENDER_SUFFIX.search(text))


def _mann_frau(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1)
    return match.group(2) + "mann"


def neutralise_gender(text: str) -> str:
    """Reduce German gendered title forms to one base form.

    >>> neutralise_gender("Buchhalter/in (m/w/d)")
    'Buchhalter'
    >>> neutralise_gender("Kauffrau für Büromanagement")
    'Kaufmann für Büromanagement'
    """
    # One cheap scan skips the three rewrites for the common text without any gender marker.
    if _may_be_gendered(text):
        text = _GENDER_TAG.sub(" ", text)
        text = _GENDER_SUFFIX.sub("", text)
        text = _MANN_FRAU.sub(_mann_frau, text)
    return " ".join(text.split())


# Title-only forms (not applied to task text): "Angestellte/r", "Kaufmännische(r)" → the form
# without the adjective ending's gender letter.
_ADJECTIVE_GENDER = re.compile(r"(?<=e)(?:/-?|\*|:|_|\()r\)?(?!\w)")
# German adjectives before a title noun differ by gender and case only in their ending
# ("Technischer Leiter" / "Technische Leiterin"): one stem for all of them.
_ADJECTIVE_ENDING = re.compile(r"(isch|lich)(?:e|er|en|es)$")
# Letters left of a bare gender tag ("m/w/d" without brackets, "(m/w/div)").
_GENDER_LETTERS = frozenset("m w d f x i div divers gn".split())
# Function words carry no occupation: "Kaufmann im Einzelhandel" = "Kaufmann Einzelhandel".
_TITLE_STOPWORDS = frozenset(
    """der die das des dem den und oder für fuer im in am an zur zum vom von mit bei als auf
    eine einer ein the of and or for in at a an to with on by""".split()
)


# "Call-Center-Agent" and "Callcenter-Agent" are one word, as German writes compounds.
_HYPHEN_JOIN = re.compile(r"(?<=\w)-(?=\w)")


# Job boards abbreviate what ESCO spells out ("RN", "GP", "HR Advisor", "PA to …", "MFA"): an
# abbreviation written in capitals as a word of its own is read as its full form, in names and
# queries alike. "IT", "ICT" and "IKT" are one prefix ("IT-Leiter" ~ "IKT-Leiter" ~ "ICT manager").
_ABBREVIATIONS = {
    "RN": "registered nurse",
    "RGN": "registered general nurse",
    "RMN": "mental health nurse",
    "HCA": "healthcare assistant",
    "GP": "general practitioner",
    "HR": "human resources",
    "PA": "personal assistant",
    "EA": "executive assistant",
    "QA": "quality assurance",
    "HGV": "heavy goods vehicle",
    "LGV": "heavy goods vehicle",
    "ESL": "english as a second language",
    "EFL": "english as a foreign language",
    "TEFL": "english as a foreign language",
    "ESOL": "english as a second language",
    "SEN": "special educational needs",
    "SEND": "special educational needs",
    "TA": "teaching assistant",
    "CEO": "chief executive officer",
    "CFO": "chief financial officer",
    "COO": "chief operating officer",
    "CTO": "chief technology officer",
    "CIO": "chief information officer",
    "CMO": "chief marketing officer",
    "PR": "public relations",
    "KAM": "key account manager",
    "MFA": "medizinische Fachangestellte",
    "ZFA": "zahnmedizinische Fachangestellte",
    "PTA": "pharmazeutisch-technische Assistent",
    "MTA": "medizinisch-technische Assistent",
    "MTLA": "medizinisch-technische Laboratoriumsassistent",
    "MTRA": "medizinisch-technische Radiologieassistent",
    "OTA": "operationstechnische Assistent",
    "ATA": "anästhesietechnische Assistent",
    "SHK": "Sanitär, Heizung, Klima",
}
# "&" is no word character: without these, "R&D Manager" is read as "r manager" and matches
# any manager ("Manager/Managerin", 1213) instead of ESCO's research and development manager
# (1223). They stand before a hyphen too ("F&E-Leiter", "R&D-Ingenieur").
_AMPERSAND_ABBREVIATIONS = {"R&D": "research and development ", "F&E": "Forschung und Entwicklung "}
_AMPERSAND_ABBREVIATION = re.compile(r"(?<![\w-])(?:R&D|F&E)(?:-|(?![\w]))")
_ABBREVIATION = re.compile(
    r"(?<![\w-])(?:" + "|".join(sorted(_ABBREVIATIONS, key=len, reverse=True)) + r")(?![\w-])"
)
_IT_PREFIX = re.compile(r"(?<![\w-])(?:IT|I[CK]T|i[ck]t)(?=-|\s|$)")


def _expand_abbreviations(text: str) -> str:
    if not any(ch.isupper() for ch in text):
        return text
    text = _IT_PREFIX.sub("IKT", text)
    if "&" in text:
        text = _AMPERSAND_ABBREVIATION.sub(
            lambda m: _AMPERSAND_ABBREVIATIONS[m.group(0).rstrip("-")], text
        )
    return _ABBREVIATION.sub(lambda m: _ABBREVIATIONS[m.group(0)], text)


# American spellings of title words, as ESCO (British English) spells them: "Call Center Agent"
# must meet "call centre agent", not "office supervisor" through "center"'s other grams. Only
# words that are not also German ("Labor" is a laboratory there).
_BRITISH = {
    "center": "centre",
    "centers": "centres",
    "theater": "theatre",
    "counselor": "counsellor",
    "counseling": "counselling",
    "defense": "defence",
    "jewelry": "jewellery",
    "organization": "organisation",
    "organizational": "organisational",
    "catalog": "catalogue",
    "color": "colour",
    "traveling": "travelling",
    "modeling": "modelling",
}


@byte_cached(config.cache_bytes("normalise_title"), name="normalise_title", sizeof=str_entry_size)
def normalise_title(title: str) -> str:
    """Lower-cased, gender-neutral, whitespace-collapsed title used for matching.

    Both gender forms of one title collapse to one ("Buchhalter/Buchhalterin",
    "Sachbearbeiterin / Sachbearbeiter", "Facharzt/-ärztin" → one word), function words and
    bare numbers are dropped.

    >>> normalise_title("Technischer Leiter/Technische Leiterin für Bühne")
    'technisch leiter bühne'
    >>> normalise_title("Facharzt/-ärztin für Chirurgie")
    'facharzt chirurgie'
    """
    text = _expand_abbreviations(unicodedata.normalize("NFC", title))
    text = _ADJECTIVE_GENDER.sub("", neutralise_gender(text))
    words: list[str] = []
    for word in re.findall(r"[\wäöüß]+", _HYPHEN_JOIN.sub("", text.lower())):
        if word in _TITLE_STOPWORDS or word in _GENDER_LETTERS or word.isdigit():
            continue
        word = _BRITISH.get(word, word)
        word = _SPECIAL_FEMININE.get(word) or _FEMININE_ER.sub(r"\1", word)
        word = _ADJECTIVE_ENDING.sub(r"\1", word)
        # The second of two gender forms: the same word again, or the tail of the first
        # ("Facharzt/-ärztin" → "facharzt arzt").
        if words and (word == words[-1] or (len(word) > 2 and words[-1].endswith(word))):
            continue
        words.append(word)
    return " ".join(_without_repeats(words))


# The longest phrase looked for twice in a row (gender pairs of whole phrases are short; a
# bound keeps a long title linear).
_MAX_REPEAT = 8


def _without_repeats(words: list[str]) -> list[str]:
    """``words`` without a run repeated right after itself: the second of two gender forms
    that are phrases ("Leiter Bühne / Leiterin Bühne", "Technischer Leiter/Technische Leiterin
    für Bühne" → "technisch leiter bühne"), wherever the pair stands in the title."""
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        return words[:half]  # the whole phrase twice, however long
    i = 0
    while i < len(words) - 3:
        for run in range(min(_MAX_REPEAT, (len(words) - i) // 2), 1, -1):  # one word: above
            if words[i : i + run] == words[i + run : i + 2 * run]:
                del words[i + run : i + 2 * run]
                break
        else:
            i += 1
    return words


# Job-board titles carry more than the occupation: "Senior Data Analyst – Marketing",
# "Werkstudent Controlling (m/w/d)", "Bäcker/in – Nachtschicht, Handwerksbäckerei", "Kitchen
# Porter needed ASAP – Brighton", "Telesales Executive – £30k OTE". title_core() keeps the
# occupation: the text before the first separator (dash between spaces, "|", a bracket), without
# level, contract, working-time, pay and place words. Words are compared after normalise_title.
_TITLE_SEPARATOR = re.compile(r"\s[–—-]\s|[–—|•·(\[{,;:]")
_TITLE_SEPARATOR_KEPT = re.compile(f"({_TITLE_SEPARATOR.pattern})")
_DASH = re.compile(r"\s[–—-]\s|[–—]")
# "… für unsere Kita", "… in unserem Team", "… to join our team": the rest is about the employer.
_EMPLOYER_PHRASE = re.compile(
    r"\b(?:für|fuer|in|im|bei|an|zur|zum|for|to join|at)\s++(?:unsere[mnrs]?|unser|our)\b.*"
    # "PA to Managing Director", "Executive Assistant to the CEO": whom the person assists
    r"|(?<=\w)\s++to\s.*",
    re.IGNORECASE | re.DOTALL,
)
# "… im Raum Köln", "… Region Hannover", "… based in Leeds": a place at the end of the title (a
# bare "in …" stays: "Specialist in Orthodontics", "Lecturer in Law").
_PLACE = re.compile(
    r"\s(?:im Raum|Raum|Region|Standort|near|based in)\s++[A-ZÄÖÜ][\w.]*+(?:[\s-]++"
    r"(?:am|an der|a\.|im|bei|upon|on)?\s*+[A-ZÄÖÜ][\w.]*+)?\s*+$"
)
# Level, contract, working-time, pay and place words of job-board titles. Those only German
# boards write also make a title a German ad's ("Werkstudent*in Marketing Analytics").
_GERMAN_NOISE_WORDS = frozenset(
    """erfahren erfahrene erfahrener examiniert examinierte examinierter stellvertretend
    stellvertretende stellvertretender stellv stv geselle teamleiter teamleitung schichtleiter
    schichtleitung schichtführer werkstudent werkstudentin werkstudierende aushilfe
    aushilfskraft minijob minijobber praktikant praktikantin praktikum pflichtpraktikum lehrling
    azubi auszubildende auszubildender ausbildung quereinsteiger quereinstieg freiberuflich
    festanstellung befristet unbefristet vollzeit teilzeit sofort gesucht stelle stellenangebot
    brutto netto""".split()
)
_TITLE_NOISE_WORDS = _GERMAN_NOISE_WORDS | frozenset(
    """senior junior sr jr snr jnr midweight experienced trainee graduate qualified approved
    lead deputy intern internship apprentice apprenticeship freelance freelancer contractor
    temporary temp interim permanent fulltime parttime remote hybrid homeoffice asap needed
    wanted urgently urgent job jobs vacancy vacancies ote salary""".split()
)
_TITLE_NOISE_PAIRS = frozenset(
    {
        ("working", "student"),
        ("part", "time"),
        ("full", "time"),
        ("home", "office"),
        ("duales", "studium"),
        ("dual", "studium"),
        ("mid", "level"),
        ("entry", "level"),
        ("team", "leader"),
        ("team", "lead"),
        ("ab", "sofort"),
        ("maternity", "cover"),
        ("per", "hour"),
        ("per", "annum"),
    }
)


def has_german_board_word(title: str) -> bool:
    """Whether a title carries a level, contract or working-time word only German boards use
    ("Werkstudent", "Teilzeit", "befristet")."""
    return not _GERMAN_NOISE_WORDS.isdisjoint(re.findall(r"[a-zäöüß]+", title.lower()))


def _drop_noise(words: list[str]) -> list[str]:
    kept: list[str] = []
    i = 0
    while i < len(words):
        if tuple(words[i : i + 2]) in _TITLE_NOISE_PAIRS:
            i += 2
            continue
        word = words[i]
        if word not in _TITLE_NOISE_WORDS and not any(ch.isdigit() for ch in word):
            kept.append(word)
        i += 1
    return kept


@byte_cached(config.cache_bytes("normalise_title"), name="title_core", sizeof=str_entry_size)
def title_core(title: str) -> str:
    """The occupation in a job-board title, normalised (:func:`normalise_title`): the text
    before the first separator without level, contract, working-time, pay and place words
    (the first segment that keeps a word).

    >>> title_core("Senior Sachbearbeiter Kreditorenbuchhaltung (m/w/d) – Teilzeit, Köln")
    'sachbearbeiter kreditorenbuchhaltung'
    >>> title_core("Werkstudent Controlling")
    'controlling'

    Falls back to the whole normalised title when nothing else would be left ("Werkstudent").
    """
    text = _GENDER_TAG.sub(" ", unicodedata.normalize("NFC", title)).replace("**", " ")
    for segment in _TITLE_SEPARATOR.split(text):
        segment = _PLACE.sub("", _EMPLOYER_PHRASE.sub("", segment))
        words = _drop_noise(normalise_title(segment).split())
        if words:
            return " ".join(words)
    return normalise_title(title)


_TEAM_LEAD_WORDS = frozenset(
    {
        "teamleiter",
        "teamleitung",
        "gruppenleiter",
        "gruppenleitung",
        "schichtleiter",
        "schichtleitung",
        "schichtführer",
    }
)
_TEAM_LEAD_PAIRS = frozenset({("team", "leader"), ("team", "lead")})


def names_team_lead(title: str) -> bool:
    """Whether a title is a team leader's ("Teamleiter Kundenservice", "Contact Centre Team
    Leader"), a word :func:`title_core` drops to find the occupation led.

    >>> names_team_lead("Teamleitung Kreditorenbuchhaltung (w/m/d)")
    True
    >>> names_team_lead("Lead Developer")
    False
    """
    words = normalise_title(title).split()
    return any(w in _TEAM_LEAD_WORDS for w in words) or any(
        pair in _TEAM_LEAD_PAIRS for pair in itertools.pairwise(words)
    )


def title_narrowed(title: str) -> str:
    """:func:`title_core` with the words of the segment after it, normalised alike: a
    qualifier that may name the occupation more narrowly ("Senior Conductor – Rail" → "conductor
    rail", "Machine Operator – Injection Moulding"); "" when the title has no such segment.

    >>> title_narrowed("Senior Conductor – Rail, East Midlands")
    'conductor rail'
    >>> title_narrowed("Bookkeeper")
    ''
    """
    text = _GENDER_TAG.sub(" ", unicodedata.normalize("NFC", title)).replace("**", " ")
    parts = _TITLE_SEPARATOR_KEPT.split(text)
    core = ""
    for i in range(0, len(parts), 2):
        segment = _PLACE.sub("", _EMPLOYER_PHRASE.sub("", parts[i]))
        words = " ".join(_drop_noise(normalise_title(segment).split()))
        if not words:
            continue
        if core:
            return f"{core} {words}"
        # only a dash opens a qualifier; a bracket holds an aside ("Recruiter (Talent
        # Acquisition)"), a comma or bar the next item
        if i + 1 >= len(parts) or not _DASH.fullmatch(parts[i + 1]):
            return ""
        core = words
    return ""


# A gender tag with words after it, or a focus word, ends the occupation and starts a qualifier
# ("Controller (m/w/d) Schwerpunkt Konzernreporting", "Biologe (m/w/d) für Umweltgutachten",
# "Elektriker (m/w/d) Gebäudetechnik").
_QUALIFIER_MARK = re.compile(
    r"\s(?:mit\s++)?(?:Schwerpunkte?|Fokus|Fachgebiet|focus(?:ing)? on|specialising in|"
    r"specializing in)\b",
    re.IGNORECASE,
)
_LETTERS_AFTER = re.compile(r"\s*+[^\W\d_]")


def _before_qualifier(title: str) -> str:
    """``title`` up to its qualifier (all of it when it has none)."""
    cut = len(title)
    tag = _GENDER_TAG.search(title)
    if tag and _LETTERS_AFTER.match(title, tag.end()):
        cut = tag.start()
    mark = _QUALIFIER_MARK.search(title, 0, cut)
    if mark:
        cut = mark.start()
    return title[:cut]


def title_head(title: str) -> str:
    """The occupation before a title's qualifier, normalised like :func:`title_core`; "" when
    the title has no qualifier.

    >>> title_head("Controller (m/w/d) Schwerpunkt Konzernreporting")
    'controller'
    >>> title_head("Sachbearbeiter Kreditorenbuchhaltung (m/w/d)")
    ''
    """
    head = _before_qualifier(title)
    if len(head) == len(title):
        return ""
    head = title_core(head)
    return head if head != title_core(title) else ""


@byte_cached(config.cache_bytes("normalise_task"), name="normalise_task", sizeof=str_entry_size)
def normalise_task(text: str) -> str:
    """Canonical form of a task statement for featurisation.

    Lower-case, NFC, gender forms neutralised, digits collapsed to one symbol (numbers rarely
    change how rule-based a task is, but their presence does: "30 Tage", "§ 14 UStG").
    """
    text = unicodedata.normalize("NFC", text)
    text = neutralise_gender(text).lower()
    if any(digit in text for digit in "0123456789"):
        text = _NUMBER.sub("0", text)
    return text


# Short, frequent function words decide the language of even a five-word task reliably.
_DE_WORDS = frozenset(
    """der die das und von für mit zur zum den dem des ein eine einer eines im in ist sie du
    wir ihr ihre bei auf aus nach sowie oder über unter durch nicht auch als werden wird
    unsere unser deine dein ihren ihrer kunden sich zu""".split()
)
_EN_WORDS = frozenset(
    """the and of for with to a an in on at is are you we our your by from as or not be will
    this that their into under over through customers customer work all""".split()
)
_WORD = re.compile(r"[a-zäöüß]+")


_DE_ENDINGS = ("ung", "ungen", "keit", "heit", "schaft")


def _german_english(lowered: str, words: list[str]) -> tuple[int, int]:
    """(German, English) function words of ``words``, German letters counting twice.

    Counted with ``map`` over C methods: this runs for every statement, several times."""
    umlauts = lowered.count("ä") + lowered.count("ö") + lowered.count("ü") + lowered.count("ß")
    de = sum(map(_DE_WORDS.__contains__, words)) + 2 * umlauts
    return de, sum(map(_EN_WORDS.__contains__, words))


def detect_language(text: str, default: str = "en") -> str:
    """Return "de" or "en" from function words and German letters; ``default`` when unsure."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    german, en = _german_english(lowered, words)
    # German nouns are capitalised and often end in -ung/-keit/-heit/-ion: a weak extra cue.
    de = german + sum(map(str.endswith, words, itertools.repeat(_DE_ENDINGS))) * 0.5
    if de == en:
        return default
    return "de" if de > en else "en"


# Other languages, by their own short function words (none of them a German or English one) and
# letters: enough of them, and far more than German or English cues, name the language.
_FOREIGN_WORDS = {
    "fr": "le la les des du et est une pour avec dans sur nous vous votre vos notre nos sont "
    "être au aux ce cette qui que ou par chez nous sera leur leurs ses",
    "es": "el los las del y una para con por que es son su sus nuestro nuestra nuestros usted "
    "como se al lo más tu tus será también",
    "it": "il lo gli di del della dei delle è una per con che sono nostro nostra nel nella alla "
    "al si come anche degli sarà tuo tua",
    "nl": "het een en van voor met op zijn wij jij je u uw onze ons bij naar niet ook te dat "
    "deze wordt je jouw",
    "pt": "os da dos das em uma para com por que é são nosso nossa você no na ao pelo pela "
    "seu sua também será",
    "pl": "w z na do się jest są oraz dla od że nie jak który która ich po przy lub także "
    "będzie twoje",
    "tr": "ve bir bu için ile olarak olan gibi çok daha ya veya iş ekibimize sizin",
}
# Letters and endings no other of these languages writes ("-ión" is Spanish, "-ção" Portuguese).
_FOREIGN_LETTERS = {
    "fr": ("è", "ù", "œ", "eaux"),
    "es": ("ñ", "¿", "¡", "ión"),
    "it": ("ì", "ò", "zione"),
    "pt": ("ã", "õ", "ção"),
    "pl": tuple("ąęłśźżćń"),
    "tr": ("ş", "ğ", "ı"),
}


def _distinctive(lists: dict[str, str]) -> dict[str, frozenset[str]]:
    """Each language's words that no other language listed here (German, English included)
    uses as a function word: "la", "que", "una" tell no Romance language from another."""
    sets = {lang: frozenset(words.split()) for lang, words in lists.items()}
    shared = {
        lang: frozenset().union(_DE_WORDS, _EN_WORDS, *(o for k, o in sets.items() if k != lang))
        for lang in sets
    }
    return {lang: words - shared[lang] for lang, words in sets.items()}


_FOREIGN_SETS = _distinctive(_FOREIGN_WORDS)
# word → its language: the distinctive sets are disjoint, so one lookup per word counts all
_FOREIGN_OF = {word: lang for lang, words in _FOREIGN_SETS.items() for word in words}
LANGUAGE_NAMES = {
    "de": "German",
    "en": "English",
    "fr": "French",
    "es": "Spanish",
    "it": "Italian",
    "nl": "Dutch",
    "pt": "Portuguese",
    "pl": "Polish",
    "tr": "Turkish",
}
_LETTERS = re.compile(r"[^\W\d_]+")
# Evidence needed: this many cues of the language, and twice as many as of German or English
# and of the runner-up: short or mixed text keeps the German/English reading.
_FOREIGN_MIN_CUES = 5
_FOREIGN_MARGIN = 2.0


def detect_foreign_language(text: str) -> str | None:
    """The language of ``text`` when it is confidently neither German nor English, else None.

    >>> detect_foreign_language(
    ...     "Nous recherchons un comptable pour gérer la comptabilité générale et préparer les "
    ...     "déclarations fiscales de nos clients."
    ... )
    'fr'
    >>> detect_foreign_language("Buchhalter") is None
    True
    """
    lowered = text[:5000].lower()
    words = _LETTERS.findall(lowered)
    if len(words) < _FOREIGN_MIN_CUES:
        return None
    hits = Counter(map(_FOREIGN_OF.get, words))
    counts = {  # in the order of _FOREIGN_SETS: ties rank as before
        lang: hits[lang] + sum(map(lowered.count, _FOREIGN_LETTERS.get(lang, ())))
        for lang in _FOREIGN_SETS
    }
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    (best, n), (_, runner_up) = ranked[0], ranked[1]
    german, english = _german_english(lowered, words)
    if n < _FOREIGN_MIN_CUES or n < _FOREIGN_MARGIN * max(german, english, runner_up, 0.5):
        return None
    return best
