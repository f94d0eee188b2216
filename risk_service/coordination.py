"""One duty statement that coordinates several duties → those duties.

"Sie kontieren und buchen Eingangsrechnungen, gleichen Kontoauszüge ab und kümmern sich um das
Mahnwesen" is three duties, "Kontierung, Zahlungsverkehr und Mahnwesen" three, "Reconciling
supplier statements and resolving queries" two. Actions on one shared object stay one duty
("Kontieren und Buchen von Belegen", "Matching, coding and processing purchase invoices"), and
so do a task and its objects ("Erfassung von Zählerständen, Umzügen und Tarifwechseln",
"Fitting pipework, radiators and sanitaryware"): splitting those would score the same work
several times, or score an object as if it were a task.

The statement is cut at its joints (", ", "und", "and", "sowie", "&"; not inside brackets nor
after a truncated compound such as "Melde-, Pass- und …") into pieces, and each joint is judged
from the pieces around it:

* prose (German addressed with "Sie"/"du"): a new duty starts where a finite verb opens a piece
  and the duty so far has named what it acts on (German nouns are capitalised);
* German nominal lists: action nouns by their endings ("-ung", "-wesen", "-kontrolle", …),
  and whether a piece's complement is an object it may share ("von Baugruppen", "der Akten");
* English: a verb or gerund with its object opening a piece, after a duty that has its own.

Word lists are data: the "coordination" tables of ``risk_service/data/jobad_cues.json``.
Everything here is linear in the statement, and statements of more than ``MAX_PIECES`` pieces
(no real duty) are left whole.
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from pathlib import Path

_CUES: dict = json.loads(
    (Path(__file__).parent / "data" / "jobad_cues.json").read_text(encoding="utf-8")
)
_TABLES: dict = _CUES["coordination"]
# A German word with a gender ending names people ("Operateur:innen"), never a duty alone.
_DE_PERSON_SUFFIXES = tuple(
    s for s in _CUES["non_duties"]["bare_person_suffixes"] if not s.isalpha() or s == "innen"
)

MAX_PIECES = 24
ENUMERATION_MIN_WORDS = 30

_DE_TASK_SUFFIXES = tuple(sorted(_TABLES["de_task_noun_suffixes"], key=len, reverse=True))
_DE_FUNCTION = frozenset(_TABLES["de_function_words"])
_DE_ADVERBS = frozenset(_TABLES["de_clause_adverbs"])
_DE_PARTICLES = frozenset(_TABLES["de_separable_particles"])
_DE_PREDICATIVES = frozenset(_TABLES["de_predicatives"])
_DE_SHARED_STARTS = frozenset(_TABLES["de_shared_object_starts"])
_DE_PREPOSITIONS = frozenset(_TABLES["de_prepositions"])
_FOCUS_MARKERS = frozenset(_TABLES["focus_markers"])
_DE_ARTICLES = frozenset(
    "der die das den dem des ein eine einen einem einer eines beim zum zur vom".split()
)
_DE_PRONOUNS = frozenset(
    "Sie Du Ihr Ihre Ihren Ihrem Ihrer Ihres Dein Deine Deinen Deinem Deiner".split()
)
_EN_VERBS = frozenset(_TABLES["en_verbs"])
_EN_NOT_GERUNDS = frozenset(_TABLES["en_not_gerunds"])
_EN_FUNCTION = frozenset(_TABLES["en_function_words"])
_EN_PREPOSITIONS = frozenset(_TABLES["en_prepositions"])
# Prepositions that open no duty of their own after a joint ("… von Drittmitteln und bei der
# Selbstverwaltung", "… and with Finance on cost management"); "to" may open an infinitive
# duty, "including", "like", "such as" are examples (handled apart).
_CONTINUING_PREPOSITIONS = {
    "de": frozenset(_TABLES["de_prepositions"]),
    "en": _EN_PREPOSITIONS - {"to", "including", "like", "such", "as"},
}
_EN_ADVERBS = frozenset(_TABLES["en_adverbs"])
_EN_LEADS = frozenset(("also", "then", "and", "help", "to"))
_EN_NOUN_VERBS = frozenset(_TABLES["en_noun_verbs"])
_EN_VERB_OBJECTS = frozenset(_TABLES["en_verb_objects"])
_EN_PARALLEL_VERBS = frozenset(_TABLES["en_parallel_verbs"])
_EN_COMPOUNDS = frozenset(_TABLES["en_verb_noun_compounds"])
# "Duties include …", "Zu Ihren Aufgaben gehören …": words before the duties (both languages'
# at once: a German ad may have an English sentence).
_LEAD_IN = re.compile(
    r"^(?:"
    + "|".join(p for lang in ("de", "en") for p in _TABLES["lead_ins"][lang])
    + r")(?!\w)\s*+:?\s*+",
    re.IGNORECASE,
)
_DE_NOMINATIVE_ARTICLES = frozenset("die das ein eine einen".split())
_EN_PRONOUN_OBJECTS = frozenset("it them this these those".split())
_EN_BACK_REFERENCES = frozenset("it its them their these those".split())

# Where coordinated parts meet. A joint inside brackets, or right after a truncated compound
# ("Melde-, Pass- und Ausweisangelegenheiten", "Be- und Entladen"), joins no duties.
_JOINER = re.compile(
    r", (?:und |and |sowie |as well as |or |oder )?+| (?:und|and|sowie|as well as|&) "
)
_REJOINERS = (", und ", ", and ", ", oder ", ", or ", " und ", " and ", " sowie ", " & ", ", ")
# Words after which a list names examples of what the duty acts on ("… in Bereichen wie
# Kommunikation, Haushaltsführung und Ernährung"), not further duties.
_EXAMPLE_MARKERS = frozenset(
    "wie etwa beispielsweise insbesondere einschließlich inklusive "
    "such including like e.g. especially".split()
)
_WORD = re.compile(r"[\w*/'’-]++")
_LETTER = re.compile(r"[^\W\d_]")
_ADDRESSED_DU = re.compile(r"(?i)\b(?:du|dich|dir)\b")
_ADDRESSED_SIE = re.compile(r"\bSie\b")
_EN_DETERMINERS = frozenset("a an the our your their its this".split())
_EN_ADJECTIVE_SUFFIXES = tuple(_TABLES["en_adjective_suffixes"])

Piece = tuple[str, str]  # (joiner before it: "", ",", "und", "and", …; its text)


def split_coordinated(text: str, language: str) -> list[str]:
    """The duties one duty statement coordinates (``[text]`` when it holds one).

    >>> split_coordinated("Kontierung, Zahlungsverkehr und Mahnwesen", "de")
    ['Kontierung', 'Zahlungsverkehr', 'Mahnwesen']
    >>> split_coordinated("Kontieren und Buchen von Belegen", "de")
    ['Kontieren und Buchen von Belegen']
    """
    lead_in = _LEAD_IN.match(text)
    if lead_in and lead_in.end() < len(text):
        # "Duties include greeting patients, booking …": the duties are what follows
        rest = text[lead_in.end() :]
        parts = _nominatives(rest) if language == "de" else [rest]
        return [_capitalised(d) for part in parts for d in split_coordinated(part, language)]
    if ", " not in text and not any(j in text for j in (" und ", " and ", " sowie ", " & ")):
        return [text]
    head, colon, rest = text.partition(": ")
    if (
        colon
        and 0 < head.count(" ") < 5
        and head.count("(") == head.count(")")  # not "Führung des Teams (12 Personen: …)"
        and any(j in rest for j in (", ", " und ", " and "))
    ):
        # "Crop work: pruning, de-leafing, trellising": the list after the colon, its first
        # duty keeping the lead-in
        parts = _split(rest, language)
        return [f"{head}: {parts[0]}", *parts[1:]]
    return _split(text, language)


def is_lead_in(text: str) -> bool:
    """Only the words before the duties, with none after them ("Key responsibilities
    include:", "Zu Ihren Aufgaben gehören")."""
    match = _LEAD_IN.match(text.strip())
    return match is not None and match.end() == len(text.strip())


def opens_with_lead_in(text: str) -> bool:
    """Words before duties, with duties after them ("The role involves planning sessions …",
    "Zu Ihren Aufgaben gehören die Kontierung …"): the statement announces itself as duties.
    Not before a number: "Die Stelle umfasst 30 Std./Woche" gives the hours."""
    stripped = text.strip()
    match = _LEAD_IN.match(stripped)
    return (
        match is not None
        and match.end() < len(stripped)
        and not stripped[match.end() :].lstrip()[:1].isdigit()
    )


def _capitalised(duty: str) -> str:
    return duty[:1].upper() + duty[1:]


def _nominatives(text: str) -> list[str]:
    """What a German lead-in introduces, one noun phrase each ("die Kontierung von
    Eingangsrechnungen, der Abgleich der Kontoauszüge und das Mahnwesen"), without the article.
    A phrase starts at "die", "das", "ein(e)" before a noun; at "der" only when more follows
    the noun ("der Abgleich der Kontoauszüge", not the genitive "…, der Kundenakten")."""
    pieces = _pieces(text, limit=None)
    if pieces is None:
        return [text]
    groups: list[list[Piece]] = []
    for joiner, piece in pieces:
        words = piece.split()
        article = words[0].lower() if words else ""
        starts = (
            len(words) >= 2
            and words[1][:1].isupper()
            and (article in _DE_NOMINATIVE_ARTICLES or (article == "der" and len(words) >= 3))
        )
        if starts or not groups:
            groups.append([("", piece)])
        else:
            groups[-1].append((joiner, piece))
    out = []
    for group in groups:
        phrase = _join(group)
        first, _, rest = phrase.partition(" ")
        if first.lower() in _DE_NOMINATIVE_ARTICLES | {"der"} and rest[:1].isupper():
            phrase = rest
        out.append(phrase)
    return out


def _split(text: str, language: str) -> list[str]:
    enumerated = _split_enumeration(text, language)
    if enumerated:
        return _merge_fragments(enumerated, language, text) if len(enumerated) > 1 else enumerated
    pieces = _pieces(text, language=language)
    if pieces is None or not 2 <= len(pieces) <= MAX_PIECES:
        return [text]
    words = [_WORD.findall(piece) for _, piece in pieces]
    if any(not w for w in words):
        return [text]
    groups = _split_de(pieces, words, text) if language == "de" else _split_en(pieces, words)
    if groups and len(groups) > 1:
        return _merge_fragments(groups, language, text)
    return groups or [text]


def _merge_fragments(groups: list[str], language: str, text: str) -> list[str]:
    """Put back what was cut off a duty without being one: the examples after "wie" / "such
    as", an English part of at most three words that opens with no verb ("crates and
    containers"), a part that opens with a preposition (the second complement of the duty
    before it: "Unterstützung bei der Einwerbung von Drittmitteln" | "bei der Selbstverwaltung
    des Lehrstuhls"), a German word naming people ("gemeinsam mit Anästhesie" |
    "Operateur:innen")."""
    out = [groups[0]]
    for group in groups[1:]:
        words = _WORD.findall(group)
        previous = {w.lower() for w in _WORD.findall(out[-1])}
        first = words[0] if words else ""
        fragment = language != "de" and len(words) <= 3 and not en_verbish(first)
        example = previous & _EXAMPLE_MARKERS and len(words) <= 2 and first not in _DE_PRONOUNS
        # a part with neither a verb nor an action noun after one that has ("Durchführung der
        # internen" | "externen Qualitätskontrollen", "Beratung von Schülerinnen" | "Schülern
        # bei …") is a scrap of it, never scored alone
        scrap = (
            bool(words)
            and (language != "de" or words[0][:1].islower())  # not "Gesichtsbehandlungen, Maniküre"
            and _task_like(out[-1], language, text)
            and not _task_like(group, language, text)
        )
        # ... but "…, für Ordnung im Lager sorgen", "…, mit Kunden telefonieren" has a verb of
        # its own and is a duty
        complement = (
            bool(words)
            and first[:1].islower()
            and first.lower() in _CONTINUING_PREPOSITIONS.get(language, frozenset())
            and not _own_verb(words, language)
        )
        people = (
            language == "de"
            and " " not in group.strip()
            and first[:1].isupper()
            and group.strip().endswith(_DE_PERSON_SUFFIXES)
        )
        # "…, covering everything from sport, music" | "cooking to sessions on …": a range
        # from one thing to another is never cut
        rng = (
            language != "de"
            and _OPEN_RANGE.search(out[-1]) is not None
            and re.search(r"\bto\b", group) is not None
        )
        # "Perform examinations to a high standard, ensuring justification …": a participle
        # after a comma says how the duty before is done
        how = (
            language != "de"
            and first.lower() in _EN_MANNER_PARTICIPLES
            and f", {group}" in text
            and f" and {group}" not in text
        )
        if fragment or example or scrap or complement or people or rng or how:
            joiner = next((j for j in _REJOINERS if f"{j}{group}" in text), ", ")
            out[-1] = f"{out[-1]}{joiner}{group}"
        else:
            out.append(group)
    return out


def _own_verb(words: list[str], language: str) -> bool:
    """Does a piece that opens with a preposition carry a verb of its own: a German infinitive
    at its end ("für Ordnung im Lager sorgen")? An English duty puts its verb first, so an
    English piece opening with a preposition has none."""
    if len(words) < 2:
        return False
    if language == "de":
        last = words[-1]
        return (
            last[:1].islower()
            and len(last) >= 5
            and last.endswith(("en", "ern", "eln"))
            and last.lower() not in _DE_ARTICLES
        )
    return False


def _task_like(duty: str, language: str, text: str) -> bool:
    """Does a split-off duty open like one: a verb or gerund, an action noun, the addressed
    reader ("Sie …", "you will …"), or in addressed German prose a finite verb ("beliefern
    Rezepte")?"""
    if opens_like_task(duty, language):
        return True
    words = _WORD.findall(duty)
    if not words:
        return False
    if language == "de":
        du = _ADDRESSED_DU.search(text) is not None
        if words[0] in _DE_PRONOUNS or words[0].lower() == "du":
            return True
        if any(is_de_task_noun(w) for w in words):
            return True
        # a nominal infinitive: "Fotografieren bei Terminen", "Be- und Entladen"
        if any(
            w[:1].isupper()
            and w.endswith(("en", "ern", "eln"))
            and (n == len(words) or words[n][:1].islower())
            for n, w in enumerate(words, 1)
        ):
            return True
        return (du or _ADDRESSED_SIE.search(text) is not None) and _de_verb_start(words, du)
    return words[0].lower() in ("you", "you'll", "you’ll", "we") or _en_verb_start(words)


def _split_enumeration(text: str, language: str) -> list[str] | None:
    """A long sentence that enumerates whole duties ("Ihre Aufgaben: Planung und Auswertung von
    …, Auswahl von …, Sie bewerten …") → those duties, each then split like any statement.

    Only for statements of ``ENUMERATION_MIN_WORDS`` words or more, longer than nearly every
    single duty of the corpus and the labelled ads: below that, the joint rules below decide. A
    duty starts at a piece that opens like one (a verb, an action noun, "Sie …") unless the duty
    before has not yet named its object; a stray piece of one or two words ends the duty before.
    """
    if len(text.split()) < ENUMERATION_MIN_WORDS:
        return None
    pieces = _pieces(text, limit=None, language=language)
    if pieces is None:
        return None
    starts = [
        i == 0 or _opens_duty(piece, language, pieces[i + 1][1] if i + 1 < len(pieces) else "")
        for i, piece in enumerate(pieces)
    ]
    groups: list[list[Piece]] = []
    for piece, start in zip(pieces, starts, strict=True):
        # "…, Klausuren und Seminararbeiten und Veröffentlichung …": a short piece joined by a
        # conjunction ends the list before it ("Auswahl und Beschaffung" opens one: a comma)
        stray = (
            piece[0] not in ("", ",")
            and len(_WORD.findall(piece[1])) < 3
            # "… and recruit, hire, train and terminate personnel": a run of verbs opens
            and not (start and language != "de" and len(_WORD.findall(piece[1])) == 1)
        )
        # "Sie bieten Sprechstunden zur Beratung und Unterstützung der Studierenden an": a
        # piece joined by "und" that ends the clause the reader is addressed in, with its
        # verb's particle, is its object
        words = _WORD.findall(piece[1])
        in_clause = (
            language == "de"
            and piece[0] not in ("", ",")
            and bool(groups)
            and groups[-1][0][1].split(" ", 1)[0] in ("Sie", "Du")
            and words[0] not in ("Sie", "Du")
            and words[-1] in _DE_PARTICLES
        )
        # "you will log, prioritise and resolve incidents": the verbs before share its object
        open_verb = language != "de" and bool(groups) and _open_verb(groups[-1][-1][1])
        if groups and (
            not start or stray or in_clause or open_verb or _bare_verbs(groups[-1], language)
        ):
            # a piece of the duty before, a stray noun that ends its list, or the object of
            # its bare verbs ("Measure, weigh, and count …")
            groups[-1].append(piece)
        else:
            groups.append([("", piece[1])])
    if len(groups) < 2:
        return None
    return [duty for group in groups for duty in split_coordinated(_join(group), language)]


def _open_verb(piece: str) -> bool:
    """Does an English piece end in a verb still waiting for its object ("prioritise", "you
    will log"; not "… by phone, email and live chat")?"""
    words = _WORD.findall(piece)
    if len(words) == 1:
        return en_verbish(words[0])
    return (
        len(words) >= 2
        and words[-2].lower() in ("will", "to", "can", "you", "you'll", "you’ll", "we")
        and en_verbish(words[-1])
    )


def _bare_verbs(group: list[Piece], language: str) -> bool:
    """Actions without their object yet ("Measure, weigh", "Planung, Evaluation"): the object
    that follows is theirs too."""
    words = _WORD.findall(_join(group))
    if language == "de":  # "Planung, Evaluation und …", "Sie planen, verwalten und …"
        addressed = len(words) == 2 and words[0] in ("Sie", "Du")
        # a run closed by "und" ("Einschreibung und Vermittlung, Auswahl …") shares nothing
        return addressed or all(
            len(_WORD.findall(p)) == 1 and joiner in ("", ",") for joiner, p in group
        )
    return len(words) < 3 and all(en_verbish(w) for w in words)


def _opens_duty(piece: Piece, language: str, following: str) -> bool:
    """Does a piece of a long enumeration open a duty? ``following`` is the next piece's text."""
    joiner, text = piece
    first = text.split(" ", 1)[0]
    if language == "de" and first in ("Sie", "Du"):
        return True
    if language != "de":
        words = _WORD.findall(text)
        if not words or not en_verbish(words[0]):
            return False
        if len(words) == 1:
            # a lone verb opens a run of verbs ("…, obtain, move, and sort products"), not a
            # list of channels ("by phone, chat and through our portal")
            after = _WORD.findall(following)
            return bool(after) and (
                len(after) == 1 and en_verbish(after[0]) or _en_verb_start(after)
            )
        # a word that is as often a noun opens a duty after a comma ("…, sponsor
        # extracurricular activities"), not after "and" ("resolve incidents and service
        # requests by phone")
        return joiner == "," or words[0].lower() not in _EN_NOUN_VERBS or _en_verb_start(words)
    return opens_like_task(text, language)


def _pieces(text: str, limit: int | None = MAX_PIECES, language: str = "de") -> list[Piece] | None:
    """The statement cut at its joints; None when a piece would be empty or there are more
    than ``limit`` pieces."""
    out: list[Piece] = []
    depth = 0
    start = pos = 0
    joiner = ""
    asides = _dash_asides(text)
    for match in _JOINER.finditer(text):
        segment = text[pos : match.start()]
        depth += segment.count("(") - segment.count(")")
        pos = match.end()
        if (
            depth > 0
            or any(a < match.start() < b for a, b in asides)
            or text[match.start() - 1 : match.start()] in ("-", "/")
            or _inseparable(text[start : match.start()], text, match, language)
        ):
            continue
        out.append((joiner, text[start : match.start()]))
        if limit is not None and len(out) > limit:
            return None
        joiner = match.group().strip(" ,") or ","
        start = match.end()
    out.append((joiner, text[start:]))
    if any(not piece.strip() for _, piece in out):
        return None
    return out


_DASH = re.compile(r" [–—] ")
# "from" with no "to" after it and a list begun after it ("everything from sport, music"): a
# range still open at the end of a piece
_OPEN_RANGE = re.compile(r"\bfrom\b(?!.*\bto\b)[^,]*,")
_EN_MANNER_PARTICIPLES = frozenset(_TABLES["en_manner_participles"])


def _dash_asides(text: str) -> list[tuple[int, int]]:
    """Spans between a pair of dashes ("tractor work – cultivations, drilling and carting at
    harvest – as well as …"): an aside of the words before it, never cut, as in brackets."""
    dashes = [m.start() for m in _DASH.finditer(text)]
    return list(zip(dashes[::2], dashes[1::2], strict=False))


def _inseparable(before: str, text: str, joint: re.Match[str], language: str) -> bool:
    """Does this joint sit inside one phrase rather than between duties? A gender pair
    ("Schülerinnen und Schülern", "Kollegen und Kolleginnen") names one group of people, and a
    modifier right after an article waits for its noun in the next piece ("der internen und
    externen Qualitätskontrollen", "a friendly, professional welcome")."""
    tail = before.rsplit(None, 2)[-2:]
    if not tail:
        return False
    last = tail[-1]
    following = text[joint.end() : joint.end() + 60].split(None, 1)
    after = following[0] if following else ""
    if joint.group().strip(" ,") in ("und", "oder", "and", "or", "sowie") and _gender_pair(
        last, after
    ):
        return True
    if not last[:1].islower() or not _LETTER.match(last):
        return False
    article = tail[0].lower() if len(tail) == 2 else ""
    if language != "de":
        return article in _EN_DETERMINERS and last.lower().endswith(_EN_ADJECTIVE_SUFFIXES)
    if article in _DE_ARTICLES or article in _DE_PREPOSITIONS:
        return True  # German nouns are capitalised: a lowercase word after "der" is its modifier
    # "Überwachung beatmeter und kritisch kranker Patienten": an inflected adjective before a
    # lowercase word (not "-en", the German infinitive: "planen und steuern")
    return (
        last.endswith(("e", "er", "es", "em"))
        and last.lower() not in _DE_FUNCTION | _DE_PARTICLES | _DE_ADVERBS
        and after[:1].islower()
        and after.lower() not in _DE_FUNCTION
        and len(last) > 3
        and not _ADDRESSED_SIE.search(text)
        and not _ADDRESSED_DU.search(text)
    )


def _gender_pair(left: str, right: str) -> bool:
    """Both forms of one group: "Schülerinnen"/"Schülern", "Kollegen"/"Kolleginnen"."""
    for feminine, other in ((left, right), (right, left)):
        stem = feminine.removesuffix("innen")
        if stem != feminine and len(stem) >= 3 and other.startswith(stem):
            return True
    return False


def _join(pieces: list[Piece]) -> str:
    parts = [pieces[0][1]]
    for joiner, piece in pieces[1:]:
        parts.append((", " if joiner == "," else f" {joiner} ") + piece)
    return "".join(parts).strip(" ,")


def _groups(pieces: list[Piece], starts: list[bool]) -> list[str]:
    """Join the pieces into duties; a duty starts at each piece whose ``starts`` is true."""
    groups: list[list[Piece]] = []
    for piece, start in zip(pieces, starts, strict=True):
        if start or not groups:
            groups.append([("", piece[1])])
        else:
            groups[-1].append(piece)
    return [_join(g) for g in groups]


# --- German -------------------------------------------------------------------------------


def is_de_task_noun(word: str) -> bool:
    """A capitalised action noun by its ending: "Kontierung", "Mahnwesen", "Zugangskontrolle"."""
    return word[:1].isupper() and word.lower().endswith(_DE_TASK_SUFFIXES)


def _split_de(pieces: list[Piece], words: list[list[str]], text: str) -> list[str] | None:
    du = _ADDRESSED_DU.search(text) is not None
    if du or _ADDRESSED_SIE.search(text) is not None:
        starts = _de_clause_starts(words, du)
        return _groups(pieces, starts) if sum(starts) > 1 else None
    if len(pieces) > 2 and all(
        len(w) == 1 and w[0][:1].isupper() and not w[0].isupper() for w in words
    ):
        return [piece for _, piece in pieces]  # "Waschen, Schneiden, Föhnen", not "DSC, TGA & FTIR"
    return _de_nominal_split(pieces, words)


def _de_verb_start(words: list[str], du: bool) -> bool:
    """Does a German piece open with a finite verb ("gleichen Kontoauszüge ab")?"""
    i = 0
    # "…, du bearbeitest E-Mails", "…, Sie erstellen Angebote": the subject opens a new clause
    if len(words) > 1 and words[0] in ("du", "Du", "Sie"):
        i = 1
    while i < len(words) - 1 and words[i].lower() in _DE_ADVERBS:
        i += 1
    word = words[i]
    if not word[0].islower() or word in _DE_FUNCTION:
        return False
    if du:
        return word.endswith(("t", "en", "ern", "eln"))  # "prüfst", "bearbeitest", "kassierst"
    return word.endswith(("en", "ern", "eln")) or word in ("sind", "tun")


def _names_object(word: str) -> bool:
    return (word[:1].isupper() or word[:1].isdigit()) and word not in _DE_PRONOUNS


def _de_clause_starts(words: list[list[str]], du: bool) -> list[bool]:
    """Prose: a new duty starts where a finite verb opens a piece and the duty so far has
    named what it acts on ("Sie kontieren und buchen X": no object before "und", one duty)."""
    starts = [True]
    # The sentence's first word is capitalised whatever it is.
    has_object = any(_names_object(w) for w in words[0][1:])
    last = words[0][-1]
    for w in words[1:]:
        lowered = last.lower()
        complete = (
            has_object
            and (
                last[:1].isupper()
                or last[:1].isdigit()
                or last.endswith(")")
                or lowered in _DE_PARTICLES
                or lowered in _DE_ADVERBS
                or lowered in _DE_PREDICATIVES
                # "Du hältst den Salon sauber und bedienst …": a lowercase word that is no verb
                # form ends the clause
                or (
                    last[:1].islower()
                    and lowered not in _DE_FUNCTION
                    and not lowered.endswith(
                        ("en", "ern", "eln", "t") if du else ("en", "ern", "eln")
                    )
                )
            )
        )
        start = complete and _de_verb_start(w, du)
        starts.append(start)
        if start:
            has_object = any(_names_object(x) for x in w)
        else:
            has_object = has_object or any(_names_object(x) for x in w)
        last = w[-1]
    return starts


def _de_head(words: list[str]) -> tuple[str, list[str]]:
    """A nominal piece's head noun and what follows it: articles, adjectives and truncated
    compounds before it are skipped ("die tägliche Abfahrtskontrolle", "Be- und Entladen")."""
    i = 0
    while i < len(words) - 1 and (
        words[i][:1].islower() or words[i].endswith("-") or words[i].startswith("-")
    ):
        i += 1
    if (
        i + 1 < len(words)
        and not is_de_task_noun(words[i])
        and words[i + 1][:1].isupper()
        and is_de_task_noun(words[i + 1])
    ):
        i += 1  # "Pair Programming", "User Research"
    return words[i], words[i + 1 :]


def _de_piece_kind(words: list[str], first: bool, joiner: str, previous: str | None) -> str:
    """Kind of a German piece: "T" a task with its own complement, "S" one whose complement
    is an object it may share ("Montage von Baugruppen"), "B" a bare task noun, "V" a bare verb
    ("etikettieren"), "O" an object or anything else that continues the piece before it (of
    kind ``previous``)."""
    if words[0].startswith("-"):
        return "O"  # "Lieferantenauswahl und -bewertung"
    if not first and words[0].lower() in _FOCUS_MARKERS:
        return "O"  # "…, insbesondere bei Rückfragen zu Beitragsnachweisen"
    last = words[-1]
    if (
        len(words) >= 2
        and last[:1].islower()
        and last.endswith(("en", "ern", "eln"))
        and any(w[:1].isupper() for w in words[:-1])
        # "bei schulischen, familiären und …": an adjective waiting for its noun
        and words[-2].lower() not in _DE_ARTICLES | _DE_PREPOSITIONS
        and not (words[-2][:1].islower() and words[-2].endswith(("e", "en", "er", "es", "em")))
    ):
        return "T"  # "Betten machen", "Mängel an die Haustechnik melden"
    if len(words) == 1 and words[0][:1].islower():
        return "V" if words[0].endswith(("en", "ern", "eln")) else "O"
    head, rest = _de_head(words)
    if not head[:1].isupper():
        return "O"
    task = is_de_task_noun(head)
    lowered = head.lower()
    # "Be- und Entladen mit dem Ladekran", "das Ausfüllen der Lieferscheine" — but not the
    # dative plural of an object list ("Meldung von Schäden und Vorfällen an die Leitstelle")
    nominal_infinitive = (
        lowered.endswith(("en", "eln", "ern"))
        and not lowered.endswith(("ungen", "ionen"))
        and bool(rest)
        and rest[0].lower() in _DE_FUNCTION
        and (joiner == "," or words[0].lower() in ("das", "beim", "zum", "vom"))
    )
    if not (task or nominal_infinitive):
        if first:
            return "T" if rest else "B"
        return "O"
    if not first and not rest and words[0][:1].islower() and words[0] not in ("das", "beim"):
        # "…, der Produktion und der Qualitätssicherung, insbesondere im Reklamationsmanagement":
        # a noun after an article or preposition, with nothing of its own, is one more object
        return "O"
    if not rest:
        if previous in ("T", "S") and joiner != ",":
            return "O"  # "Durchführung von Investitionsrechnungen und Wirtschaftlichkeitsanalysen"
        return "B" if task else "O"
    if rest[0].lower() in _DE_SHARED_STARTS or rest[0].lower() not in _DE_FUNCTION:
        return "S"  # "von Baugruppen", "der Teilhabepläne", "mechanischer Komponenten"
    return "T"


def _ends_in_bare_action(unit: list[Piece]) -> bool:
    """Does the unit end in an action noun after an article or preposition ("… bei der
    Planung", "… die Anlage")?"""
    words = [w for _, piece in unit[-2:] for w in _WORD.findall(piece)]
    return len(words) >= 2 and is_de_task_noun(words[-1]) and words[-2].lower() in _DE_FUNCTION


def _de_nominal_split(pieces: list[Piece], words: list[list[str]]) -> list[str] | None:
    """Nominal lists: "Kontierung, Zahlungsverkehr und Mahnwesen" → three duties; actions
    before one shared object stay one ("Demontage, Reparatur und Montage von Baugruppen",
    "Kontieren und Buchen von Belegen", "bei der Planung und Umsetzung von Kampagnen");
    objects stay with their task ("Erfassung von Zählerständen, Umzügen und Tarifwechseln")."""
    units: list[tuple[str, list[Piece]]] = []  # (kind, pieces)
    for n, (piece, w) in enumerate(zip(pieces, words, strict=True)):
        previous = units[-1][0] if units else None
        kind = _de_piece_kind(w, n == 0, piece[0], previous)
        if units and kind in ("O", "V"):
            units[-1][1].append(piece)  # an object or a second verb of the same duty
        elif (
            units
            and previous in ("T", "S")
            and kind == "S"
            and piece[0] != ","
            and w[0].lower() not in _DE_ARTICLES
            and _ends_in_bare_action(units[-1][1])
        ):
            # the unit before ends in a bare action that shares this object ("die Anlage und
            # Führung der Akten")
            units[-1][1].append(piece)
            units[-1] = ("S", units[-1][1])
        else:
            units.append((kind, [piece]))
    merged: list[tuple[str, list[Piece]]] = []
    for kind, unit in units:
        if kind == "S" and unit[0][0] != "," and merged and merged[-1][0] == "B":
            # "Demontage, Reparatur und Montage von Baugruppen": the bare run shares the object
            run: list[Piece] = []
            while merged and merged[-1][0] == "B":
                run[:0] = merged.pop()[1]
            merged.append(("S", run + unit))
        else:
            merged.append((kind, unit))
    if len(merged) < 2:
        return None
    if len(merged) == 2 and all(k == "B" for k, _ in merged) and merged[1][1][0][0] != ",":
        return None  # two bare nouns joined by "und": one pair ("Pflanzarbeiten und Rasenanlage")
    return [_join([("", g[0][1]), *g[1:]]) for _, g in merged]


# --- English ------------------------------------------------------------------------------


def en_verbish(word: str) -> bool:
    """A verb or gerund ("reconcile", "matching"), not a noun in -ing ("marketing")."""
    lowered = word.lower()
    if lowered in _EN_FUNCTION or lowered in _EN_NOT_GERUNDS:
        return False
    return lowered in _EN_VERBS or (lowered.endswith("ing") and len(lowered) > 5)


def _en_verb_start(words: list[str], parallel: bool = False) -> bool:
    """Does an English piece open with a verb or gerund? A word that is as often a noun
    ("stock", "review") counts only before an article, pronoun or particle ("review the
    forecasts", not "stock figures"), or, when ``parallel`` (the duty before opened with a verb
    and named its object), if it is one of the words that are then verbs ("Order stock and
    check deliveries"). A noun that opens with a verb ("reach trucks") is no verb."""
    i = 0
    while i < len(words) - 1 and words[i].lower() in _EN_LEADS:
        if words[i].lower() == "help" and not en_verbish(words[i + 1]):
            break  # "help passengers with tickets": help is the verb
        i += 1
    word = words[i].lower()
    if not en_verbish(word):
        return False
    if i + 1 < len(words) and f"{word} {words[i + 1].lower().removesuffix('s')}" in _EN_COMPOUNDS:
        return False  # "reach trucks when needed", "work orders"
    if word in _EN_NOUN_VERBS:
        if parallel and word in _EN_PARALLEL_VERBS:
            return True
        return i + 1 < len(words) and words[i + 1].lower() in _EN_VERB_OBJECTS
    return True


def _en_names_object(words: list[str]) -> bool | None:
    """True if a piece has a word after its first verb that is no function word ("Review
    code"), False if its verb has none ("you will build"), None if it has no verb."""
    verb = next((i for i, w in enumerate(words) if en_verbish(w)), None)
    if verb is None:
        return None
    return any(w.lower() not in _EN_FUNCTION for w in words[verb + 1 :])


def _en_piece_kind(words: list[str]) -> str:
    """Kind of an English piece: "VO" a verb or gerund with its object ("processing purchase
    invoices", "close down the bar"), "VP" one with a prepositional complement ("deciding on
    liability"), "V" one alone ("coding", "budgeting together"), "N" a noun phrase ("stock
    control"), "P" a noun phrase with a preposition, or a long one ("maintenance of lifts").
    A noun that opens with a verb is a noun ("process servers", "safeguarding concerns")."""
    compound = len(words) > 1 and (
        f"{words[0].lower()} {words[1].lower().removesuffix('s')}" in _EN_COMPOUNDS
    )
    if en_verbish(words[0]) and not compound:
        for w in (w.lower() for w in words[1:]):
            if w == "of":
                return "VO"  # "support of LAN": an object
            if w in _EN_PREPOSITIONS:
                return "VP"
            if w in _EN_ADVERBS or w.endswith("ly") or w in _EN_FUNCTION:
                continue
            return "VO"
        return "V"
    if any(w.lower() in _EN_PREPOSITIONS for w in words) or len(words) > 4:
        return "P"
    return "N"


def _base_verb(words: list[str]) -> bool:
    """Is the first verb of a piece in its base form ("Provide …", "You will provide …"),
    not a gerund?"""
    verb = next((w.lower() for w in words if en_verbish(w)), None)
    return verb is not None and not verb.endswith("ing")


def _purpose(words: list[str]) -> bool:
    """Does a piece hold "to <verb>" ("… to put models into production"; not "to cooking")?"""
    return any(
        a.lower() == "to" and en_verbish(b) and not b.lower().endswith("ing")
        for a, b in pairwise(words)
    )


def _refers_back(words: list[str]) -> bool:
    """Does a piece act on something named before it ("monitor their performance")?"""
    return any(w.lower() in _EN_BACK_REFERENCES for w in words[1:3])


def _split_en(pieces: list[Piece], words: list[list[str]]) -> list[str] | None:
    starts = [True]
    # Does the duty so far name what it acts on? ("Matching, coding" does not yet.)
    found = _en_names_object(words[0])
    has_object, has_verb = bool(found), found is not None
    content = sum(w.lower() not in _EN_FUNCTION for w in words[0])
    opening = words[0][0]  # the duty's first word: "Order …" opens it with a base-form verb
    base_verb = _base_verb(words[0])  # the duty's verb is in its base form ("provide")
    purpose = _purpose(words[0])  # the duty so far holds "to <verb>"
    for j in range(1, len(words)):
        previous, w = words[j - 1], words[j]
        # A new duty: a verb or gerund with its object opens the piece, and the duty so far
        # names its own object. A single word ("dressing"), a noun ("repair of …"), the rest of
        # a list after a gerund ("with washing, dressing and getting up") or a second verb on
        # the same object continues it — unless that single verb and the next piece share
        # their object ("…, scanning and filing letters": a duty of their own).
        last = previous[-1]
        # "Order stock and check deliveries": imperatives side by side (not inside "to …":
        # "contact police to report violations and request arrests")
        parallel = (
            has_object
            and pieces[j][0] in ("and", "&", ",")
            and en_verbish(opening)
            and not opening.lower().endswith("ing")
            and not any(a.lower() == "to" and en_verbish(b) for a, b in pairwise(previous))
        )
        # "…, scanning and filing letters": two verbs of one form sharing an object of their
        # own, after a piece that has one ("predict, interpret and evaluate X" share X; "Set
        # pavers, aligning and spacing them" says how)
        following = words[j + 1] if j + 1 < len(words) else []
        pair_head = (
            len(w) == 1
            and pieces[j][0] == ","
            and len(following) >= 2
            and pieces[j + 1][0] in ("and", "&", "or")
            and not (len(previous) == 1 and pieces[j - 1][0] == ",")  # a list of bare verbs
            and en_verbish(w[0])
            and w[0].lower() not in _EN_NOUN_VERBS
            and w[0].lower().endswith("ing") == following[0].lower().endswith("ing")
            and following[1].lower() not in _EN_PRONOUN_OBJECTS
            and _en_verb_start(following)
        )
        # a noun that is also a verb ends a short piece that opened with a verb as its object
        # ("Ordering stock", "Order office stock"; not "to ensure responsible design")
        noun_last = (
            last.lower() in _EN_NOUN_VERBS and 1 < len(previous) <= 3 and en_verbish(previous[0])
        )
        # "… during lunch and dinner service, brief the team": a noun that may be a verb ends
        # a noun phrase, unless a verb's marker stands before it ("to design and evaluate")
        verb_last = (
            en_verbish(last)
            and not noun_last
            and not (
                last.lower() in _EN_NOUN_VERBS
                and len(previous) > 1
                and previous[-2].lower() not in ("to", "will", "can", "and", "or", "you", "we")
                and len(w) > 1
                and w[1].lower() in _EN_VERB_OBJECTS  # "…, brief the team": a new verb
            )
        )
        conjunction = pieces[j][0] in ("and", "&", "or")
        start = (
            (pair_head or (len(w) >= 2 and w[1].lower() != "of" and _en_verb_start(w, parallel)))
            and (has_object or (not has_verb and content >= 2))
            and not verb_last  # "to design and evaluate A/B tests": one object
            # "Work with engineers to put models into production and monitor their
            # performance": the purpose goes on, on what it named
            and not (conjunction and purpose and _refers_back(w))
            # "Provide advice and training to staff", "Run pipeline reviews and forecasting",
            # "… with communication and swallowing difficulties": after a piece with a verb
            # in its base form, "and" + a word in -ing is one more object, not a duty
            and not (
                conjunction
                and w[0].lower().endswith("ing")
                and base_verb
                and not previous[0].lower().endswith("ing")
                and not pair_head
            )
        )
        starts.append(start)
        found = _en_names_object(w)
        n_content = sum(x.lower() not in _EN_FUNCTION for x in w)
        if start:
            has_object, has_verb, content = bool(found), found is not None, n_content
            opening = w[0]
            base_verb = _base_verb(w)
            purpose = _purpose(w)
        else:
            has_object = has_object or bool(found)
            has_verb = has_verb or found is not None
            content += n_content
            purpose = purpose or _purpose(w)
    if sum(starts) > 1:
        return _groups(pieces, starts)
    if not any(joiner == "," for joiner, _ in pieces):
        return None  # conjunctions only: a pair ("Calf feeding & rearing")
    kinds = [_en_piece_kind(w) for w in words]
    if _base_verb(words[0]):
        for i in range(1, len(words)):
            if (
                pieces[i][0] in ("and", "&", "or")
                and words[i][0].lower().endswith("ing")
                and not words[i - 1][0].lower().endswith("ing")
            ):
                kinds[i] = "N"  # "…, power tools, or soldering or welding equipment": an object
    bare = [k == "V" or (k == "N" and len(w) == 1) for k, w in zip(kinds, words, strict=True)]
    first_object = next((i for i, b in enumerate(bare) if not b), None)
    if (
        first_object is not None
        and kinds[first_object] == "VO"
        and all(k in ("V", "N", "P") for k in kinds[first_object + 1 :])
    ):
        # "Matching, coding and processing purchase invoices": one object; "Fitting pipework,
        # radiators and sanitaryware", "Drafting letters of claim, schedules of loss and
        # court bundles": its objects
        return None
    if kinds[0] == "P":
        return None  # "Maintenance of lifts, escalators and doors"
    # A list of activities ("Cooking, shopping and budgeting together", "Client liaison,
    # progress meetings and monthly reports"). It ends at the first conjunction after its
    # last comma ("testing & inspection in domestic and light commercial properties").
    last_comma = max(i for i, (joiner, _) in enumerate(pieces) if joiner == ",")
    verbal = kinds[0] in ("V", "VO", "VP")
    starts = [True]
    for i in range(1, len(pieces)):
        if verbal and kinds[i] in ("N", "P"):
            # "Liaising with the technical team, sales and customer care to ensure …",
            # "Assess and award discounts, exemptions and disregards": what the verb acts on
            starts.append(False)
            continue
        start = pieces[i][0] == "," or (
            # "…, topping and sealing trays": the pair shares its object
            i == last_comma + 1 and not (kinds[i - 1] == "V" and kinds[i] in ("VO", "VP"))
        )
        if kinds[i] == "N" and kinds[i - 1] in ("VO", "VP", "P"):
            start = False  # objects of the piece before ("support of LAN, WAN and Wi-Fi")
        starts.append(start)
    return _groups(pieces, starts)


def opens_like_task(text: str, language: str) -> bool:
    """A verb or gerund ("Reconcile …", "Matching …"), a German action noun ("Erstellung …")
    or a short infinitive phrase ("Newsletter erstellen")."""
    words = [w for w in _WORD.findall(text) if _LETTER.search(w)]  # not markup left-overs
    if not words:
        return False
    if language != "de":
        return en_verbish(words[0])
    if len(words[0]) >= 6 and is_de_task_noun(words[0]):
        return True
    if (
        len(words) >= 2
        and words[0][:1].isupper()
        and words[0].endswith(("e", "es", "er", "en"))
        and len(words[1]) >= 6
        and is_de_task_noun(words[1])
    ):
        return True  # "Fachliche Weiterbildung durch …", "Regelmäßige Kontrolle der …"
    # "Befüllen des Reporting-Packages", "Fachgerechtes Verpacken der Ware"
    for i in (0, 1):
        if (
            i + 1 < len(words)
            and words[i][:1].isupper()
            and words[i].endswith(("en", "ern", "eln"))
            and words[i + 1].lower() in _DE_ARTICLES
            and (i == 0 or words[0][:1].isupper() and words[0].lower().endswith(("es", "e")))
        ):
            return True
    last = words[-1]
    return len(words) <= 6 and last[:1].islower() and last.endswith(("en", "ern", "eln"))
