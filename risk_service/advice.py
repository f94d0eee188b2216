"""Per-task advice: automate, assist (a hybrid: AI drafts, a person decides) or keep it human.

The advice follows the article's hybrid model. A task's rule-based probability P says whether
software or machines *could* do it; the kind of work it is and the people it serves say whether
they *should* do it alone. The kind is the model's judgement — its category probabilities
summed into manual work, contact with people and information work (:func:`kind_probabilities`)
— and the statement's words say which kind within it; where the model is unsure, its category
and the words decide (:func:`work_kind`). The kinds: information work, conversation, control of AI,
manual work in a fixed setting (machines, production lines, warehouses) or elsewhere,
face-to-face service, hands-on work on a person's body, work with legal responsibility, and
rules a person follows in their own work. Each kind has its own thresholds
(``kinds`` in the data): information work is automated from P ≥ 0.70 and assisted from 0.40,
but hands-on care is never automated and assisted only from 0.80 — a surgeon's operations are
not "assist" because P is middling, and a cleaner's toilets are not "software can take it
over" because cleaning is routine.

Within information work, people (``people`` cues: customers, patients, pupils, citizens …)
or exceptions ("Reklamation", "complaint") make largely rule-based work ``assist`` — AI drafts,
a person decides, and where people are involved they are told that AI is; contact with people
that follows a script ("nach Gesprächsleitfaden") is ``assist`` at any P.

Thresholds, cue words (German and English), the reasons' wording and the evidence settings are
data: ``risk_service/data/advice.json`` (documented in ``docs/advice.md``). Reasons are in the
request's language and quote the statement's own word that triggered a rule.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from risk_service.patterns import trie_pattern, word_start_pattern
from risk_service.text import normalise_task

ADVICE = ("automate", "assist", "keep_human")
RULES_PATH = Path(__file__).with_name("data") / "advice.json"
RULES: dict = json.loads(RULES_PATH.read_text(encoding="utf-8"))
KINDS = tuple(k for k in RULES["kinds"] if not k.startswith("_"))
# Cue kinds read from the statement besides its people ("cues" in the data).
CUE_KINDS = tuple(k for k in RULES["cues"] if not k.startswith("_"))
GENERIC_PEOPLE = "people"  # contact with people the statement does not name

_TOKEN = re.compile(r"\w+")


def strip_edges(word: str) -> str:
    """``word`` without the punctuation around it ("(SAP)," → "SAP"). A loop, not ``\\W+$``:
    that regex is quadratic on a long run of punctuation inside a word."""
    start, end = 0, len(word)
    while start < end and not (word[start].isalnum() or word[start] == "_"):
        start += 1
    while end > start and not (word[end - 1].isalnum() or word[end - 1] == "_"):
        end -= 1
    return word[start:end]


class _Cues:
    """Cue lists compiled into one regular expression over the normalised statement (one C
    scan per statement): word-start stems, whole words ("kind$") and multi-word cues; plus
    cues inside a word ("-dokument" for "Pflegedokumentation"), found by substring search.

    Parameters
    ----------
    cues : dict of (str, str) to list of str
        Label — (kind, people group or "") — to its cues. A cue may carry several labels
        ("Beschwerde": an exception, and contact with people).
    """

    def __init__(self, cues: dict[tuple[str, str], list[str]]) -> None:
        stems: dict[str, list] = {}
        whole: dict[str, list] = {}
        phrases: dict[str, list] = {}
        inside: dict[tuple[str, bool], list] = {}
        for label, words in cues.items():
            for cue in words:
                if cue.startswith("-"):  # inside a word; "$": at its end
                    key = (cue[1:].rstrip("$").lower(), cue.endswith("$"))
                    inside.setdefault(key, []).append(label)
                    continue
                parts = _TOKEN.findall(cue.lower())  # "non-standard" is two words, as in text
                if len(parts) > 1:
                    phrases.setdefault(" ".join(parts), []).append(label)
                elif cue.endswith("$"):
                    whole.setdefault(parts[0], []).append(label)
                else:
                    stems.setdefault(parts[0], []).append(label)
        self.tables = (stems, whole, phrases)  # "document" the stem is not "document$"
        self.inside = {cue: labels for (cue, _), labels in inside.items()}

        def alternation(keys) -> str:
            return trie_pattern((k.replace(" ", "\0") for k in keys), nul_is_separator=True)

        # Inside a word: one scan without word boundaries (a trie, so linear in the text).
        anywhere = [cue for cue, at_end in inside if not at_end]
        at_ends = [cue for cue, at_end in inside if at_end]
        self.inside_pattern = re.compile(
            rf"({alternation(anywhere)})|({alternation(at_ends)})(?!\w)"
        )

        # Phrases, word starts and whole words in three scans, so that every cue at a position
        # counts: "birth record" (responsibility) is also "record" (paperwork), "serve
        # customers" (face to face) is not only "serve".
        self.patterns = (
            re.compile(rf"\b({alternation(phrases)})\w*"),
            re.compile(rf"\b({alternation(stems)})(\w*)"),
            re.compile(rf"\b({alternation(whole)})(?!\w)"),
        )

    def find(self, norm: str, language: str) -> dict[str, tuple[int, int, str]]:
        """The first cue of each kind in the normalised statement ``norm``: kind → (start, end,
        people group or ""). A people cue does not count when the rest of its word or the next
        word is one of ``not_people`` ("kundendaten", "customer records": data about people),
        or when it follows ``not_people_before`` ("für Mandanten", "for guests": whom the work
        is for). Contact with unnamed people ("Anfragen") gives way to a named group later in
        the statement ("Rückfragen von Lieferanten")."""
        found: dict[str, tuple[int, int, str]] = {}
        phrases, stems, whole = self.patterns
        matches = sorted(
            [(m.start(), 0, m) for m in phrases.finditer(norm)]
            + [(m.start(), 1, m) for m in stems.finditer(norm)]
            + [(m.start(), 2, m) for m in whole.finditer(norm)],
            key=lambda item: item[:2],
        )
        for _, which, match in matches:
            stem, rest = (match.group(1), match.group(2)) if which == 1 else (None, "")
            if which == 0:
                labels = self.tables[2][" ".join(_TOKEN.findall(match.group(1)))]
            else:
                labels = self.tables[which - 1][match.group(1)]
            for kind, group in labels:
                if kind == "people":
                    if group in _NOT_NEXT and _next_starts(
                        norm, match.end(), _NOT_NEXT[group][language]
                    ):
                        continue  # "lessons learned", "feed the lessons into the next bid"
                    held = found.get("people")
                    if (
                        held is not None
                        and held[2] != GENERIC_PEOPLE
                        and group not in _GIVES_WAY.get(held[2], ())
                    ):
                        continue  # the first group named, unless a more specific one follows
                    if held is not None and group == GENERIC_PEOPLE:
                        continue
                    if not _is_contact(norm, match, stem, rest, language):
                        continue
                elif kind in found:
                    continue
                elif kind in _NOT_AFTER and _after(norm, match.start(), _NOT_AFTER[kind][language]):
                    continue  # "measurements before handover": when it happens, not what it is
                elif kind in _NOT_BEFORE and _before(
                    norm, match.end(), _NOT_BEFORE[kind][language]
                ):
                    continue  # "Abstimmung der Intercompany-Salden": figures, not people
                found[kind] = (match.start(), match.end(), group)
        for match in self.inside_pattern.finditer(norm):
            word = match.start()  # where the word holding the cue starts ("hygieneplan")
            while word and norm[word - 1].isalnum():
                word -= 1
            end = match.end()
            while end < len(norm) and norm[end].isalnum():
                end += 1
            if any(w in norm[word:end] for w in _INSIDE_NOT):
                continue  # "Erwartungshorizont" is no "-wartung"
            for kind, group in self.inside[match.group()]:
                if kind in _NOT_AFTER and _after(norm, word, _NOT_AFTER[kind][language]):
                    continue  # "nach Hygieneplan": the plan it follows
                # the words after the one holding the cue: "Betreuung der Technik" is about things
                after = norm.find(" ", match.end())
                if kind in _NOT_BEFORE and _before(
                    norm, len(norm) if after < 0 else after, _NOT_BEFORE[kind][language]
                ):
                    continue
                if kind not in found or found[kind][0] > match.start():
                    found[kind] = (match.start(), match.end(), group)
        return found


def _is_contact(norm: str, match: re.Match, stem: str | None, rest: str, language: str) -> bool:
    """Whether a people cue names contact with people, not data about them or whom the work
    is for."""
    following = _NEXT_WORD.match(norm, match.end())
    not_people = _NOT_PEOPLE[language]
    if stem is not None and (
        any(word in rest for word in not_people)
        or (following is not None and following.group(1).startswith(not_people))
    ):
        return False
    before = _TOKEN.findall(norm[max(0, match.start() - 60) : match.start()])
    while before and (before[-1] in _DETERMINERS or before[-1].isdigit()):
        before.pop()  # "für die Kunden", "for our clients", "für 400 Beschäftigte"
    if (
        before
        and before[-1] in _NOT_PEOPLE_BEFORE[language]
        and not (len(before) > 1 and before[-2] in _CARE_FOR[language])
    ):
        return False
    # "Pendelordnern der Mandanten", "files of clients": the data of people, not contact
    if before and before[-1] in ("of", "von", "vom"):
        before.pop()
    return not (before and any(word in before[-1] for word in not_people))


_NEXT_WORD = re.compile(r"\W+(\w+)")


def _next_starts(norm: str, end: int, starts: tuple[str, ...]) -> bool:
    """Whether the word after position ``end`` of ``norm`` starts with one of ``starts``, or
    is one ending in "$" ("the$": the whole word)."""
    following = _NEXT_WORD.match(norm, end)
    if not starts or following is None:
        return False
    word = following.group(1)
    return any(word == s[:-1] if s.endswith("$") else word.startswith(s) for s in starts)


_INSIDE_NOT = tuple(RULES["cues"]["_inside_not"]["words"])


def _before(norm: str, end: int, stems: tuple[str, ...]) -> bool:
    """Whether one of the three words after position ``end`` of ``norm`` contains one of
    ``stems`` (German compounds: "Kreditorenkonten")."""
    return any(s in w for w in _TOKEN.findall(norm[end : end + 60])[:3] for s in stems)


def _after(norm: str, start: int, words: frozenset[str]) -> bool:
    """Whether the word before position ``start`` of ``norm`` (articles skipped: "vor der
    Übergabe"), or the two words before it ("festmachen und" ablegen), is one of ``words``."""
    before = _TOKEN.findall(norm[max(0, start - 40) : start])
    while before and before[-1] in _DETERMINERS:
        before.pop()
    return bool(before) and (before[-1] in words or " ".join(before[-2:]) in words)


THRESHOLDS: dict[str, dict[str, float | None]] = {k: RULES["kinds"][k] for k in KINDS}
_KIND_OF_CATEGORY: dict[str, str] = {
    k: v for k, v in RULES["categories"].items() if not k.startswith("_")
}
# Unmistakably manual work; a machine cue only says where manual work is.
_PHYSICAL_CUES = ("physical", "in_person", "onsite")
# Words a statement may open with before its first task word ("Du planst …", "You will …").
_ADDRESS = frozenset({"du", "sie", "ihr", "wir", "you", "we", "will", "ll", "you'll"})
# What makes a task an interaction with someone: a face-to-face place ("Theke", "till") is
# contact only with one of these in the statement.
_INTERACTION_CUES = ("people", "interact", "talk", "in_person", "script")


def _labelled(spec: list[str] | dict[str, list[str]]) -> dict[str, list[str]]:
    """A cue list, or cue lists by the people group they imply, as {group or "": cues}."""
    return {"": spec} if isinstance(spec, list) else {g: c for g, c in spec.items()}


# One expression per language for all cue kinds: a statement is scanned once.
_CUES = {
    lang: _Cues(
        {
            **{("people", g): spec["cues"][lang] for g, spec in RULES["people"].items()},
            **{
                (kind, group): cues
                for kind in CUE_KINDS
                for group, cues in _labelled(RULES["cues"][kind][lang]).items()
            },
        }
    )
    for lang in ("de", "en")
}
_NOT_AFTER = {
    kind: {lang: frozenset(RULES["cues"][kind]["_not_after"][lang]) for lang in ("de", "en")}
    for kind in CUE_KINDS
    if "_not_after" in RULES["cues"][kind]
}
_NOT_BEFORE = {
    kind: {lang: tuple(RULES["cues"][kind]["_not_before"][lang]) for lang in ("de", "en")}
    for kind in CUE_KINDS
    if "_not_before" in RULES["cues"][kind]
}
# A general group ("learners": "Unterrichten") gives way to a specific one the same statement
# names ("… von Schülerinnen und Schülern").
_GIVES_WAY = {
    g: frozenset(spec.get("gives_way_to", ()))
    for g, spec in RULES["people"].items()
    if not g.startswith("_")
}
_NOT_PEOPLE = {lang: tuple(RULES["not_people"][lang]) for lang in ("de", "en")}
# Per people group: words whose start, right after its cue, makes the cue no such group.
_NOT_NEXT = {
    g: {lang: tuple(spec["not_next"][lang]) for lang in ("de", "en")}
    for g, spec in RULES["people"].items()
    if not g.startswith("_") and "not_next" in spec
}
_NOT_PEOPLE_BEFORE = {lang: frozenset(RULES["not_people_before"][lang]) for lang in ("de", "en")}
_BEFORE_GROUP = {
    lang: frozenset(RULES["cues"]["interact"]["_before_group"][lang]) for lang in ("de", "en")
}
# Right before the people (articles skipped): the task is done with them. Not for staff
# ("ein Team mit acht Mitarbeitern"), who need an interaction cue.
_WITH = {"de": frozenset({"mit"}), "en": frozenset({"with"})}
_CARE_FOR = {
    lang: frozenset(RULES["not_people_before"]["_except_after"][lang]) for lang in ("de", "en")
}
# Skipped between "für"/"for" and the people it names.
_DETERMINERS = frozenset(
    "der die das den dem des ein eine einen einem einer unsere unseren unserer unserem ihre "
    "ihren ihrer ihrem alle allen jede jeden jedes jeder jedem the a an our their its all your s "
    "each every".split()
)
_REASONS: dict[str, dict[str, str]] = RULES["reasons"]
_LEVELS: dict = RULES["levels"]


# Cue kinds that say what the task is about, handed to the upskilling texts as traits.
TRAITS = ("urgent", "admin", "condition", "responsible", "drafting", "onsite")
# and "handwork" (only words of work by hand, none of paperwork) and "contact" (see advise)
# Kinds of work with people whatever group they name (a conversation, face to face, hands-on).
PEOPLE_KINDS = frozenset({"conversation", "in_person", "hands_on"})
_MANUAL_CATEGORIES = frozenset({"routine_manual", "nonroutine_manual"})
_PEOPLE_CATEGORIES = frozenset({"nonroutine_interpersonal"})
# Cues of paperwork, analysis or data about the work (not the work itself).
_PAPERWORK = ("records", "admin", "drafting", "data")
# Words of manual work; a statement with them and none of paperwork is never taken over by
# software, whatever the model says ("count tills", "Receive deliveries").
_MANUAL_WORDS = ("physical", "physical_maybe", "onsite", "machine")
_PAPER_WORDS = ("info", "data", "records", "admin")
# Cues that speak for each of the model's kinds of work.
_WORDS_OF = {
    "manual": (*_MANUAL_WORDS, "in_person", "hands_on"),
    "people": ("talk", "interact", "people"),
    "information": (*_PAPER_WORDS, "drafting"),
}
# From which probability the model's kind of work (manual, people, information) is taken as
# it is, and from which a reason may name it without a cue that says it.
_CONFIDENT: float = RULES["model_kind"]["confident"]
_SURE: float = RULES["model_kind"]["sure"]
_CONTACT_CUES = ("interact", "talk", "in_person", "hands_on", "script")


@dataclass(frozen=True)
class Advice:
    advice: str  # one of ADVICE
    reason: str
    rule: str  # the reason's key in advice.json, e.g. "assist.people"
    people: str | None = None  # the people group the task is an interaction with, e.g. "patients"
    kind: str = "information"  # the kind of work (KINDS), e.g. "hands_on"
    hands: bool = False  # done with the hands: manual, hands-on, or face to face in manual work
    traits: frozenset[str] = frozenset()  # of TRAITS: "urgent", "admin", "condition" …
    implied: bool = False  # the group is implied by the work ("operieren": patients), not named

    @property
    def with_people(self) -> bool:
        """Whether the task is work with people: with a named group, or by its kind."""
        return self.people is not None or (self.kind in PEOPLE_KINDS and "contact" in self.traits)


class _Cue:
    """A cue found in a statement: the people group it names, and (on first use: only the
    cues a reason quotes need it) the words that fired it as the statement writes them."""

    __slots__ = ("end", "group", "norm", "start", "text")

    def __init__(self, text: str, norm: str, start: int, end: int, group: str | None) -> None:
        self.text, self.norm, self.start, self.end, self.group = text, norm, start, end, group

    @property
    def word(self) -> str:
        norm, start, end = self.norm, self.start, self.end
        first = len(norm[:start].split())
        if start and not norm[start - 1].isspace():
            first -= 1  # the cue starts inside a chunk ("e-mail-kundenanfragen")
        last = max(first, len(norm[:end].split()) - 1)  # a phrase spans chunks
        shown = surface_chunks(self.text)[1]
        return strip_edges(" ".join(shown[first : last + 1])) or norm[start:end]


def surface_chunks(text: str) -> tuple[list[str], list[str]]:
    """The normalised statement's whitespace-separated chunks and each as the statement writes
    it ("Patient*innen" for "patient"), aligned by position."""
    norm = normalise_task(text).split()  # as the character view splits it
    original = unicodedata.normalize("NFC", text).split()
    if len(original) == len(norm):
        return norm, original
    shown = list(norm)
    matcher = difflib.SequenceMatcher(None, [w.lower() for w in original], norm, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("equal", "replace") and i2 - i1 == j2 - j1:
            shown[j1:j2] = original[i1:i2]
        elif tag == "replace":  # "Buchhalter*in (m/w/d)" → "buchhalter": match chunk by chunk
            candidates = list(range(i1, i2))
            for j in range(j1, j2):
                i = next((i for i in candidates if normalise_task(original[i]) == norm[j]), None)
                if i is not None:
                    shown[j] = original[i]
                    candidates = [k for k in candidates if k > i]
    return norm, shown


def _cues(text: str, language: str) -> dict[str, _Cue]:
    """The cues of a statement by kind ("people", "hands_on", "exception" …), each with the
    word that fired it as the statement writes it and the people group it names."""
    norm = normalise_task(text)
    found = _CUES[language].find(norm, language)
    return {
        kind: _Cue(text, norm, start, end, group or None)
        for kind, (start, end, group) in found.items()
    }


def kind_probabilities(proba: np.ndarray, classes: list[str] | tuple[str, ...]) -> np.ndarray:
    """(n_tasks, 2): each task's probability of being manual work and of being contact with
    people, the model's category probabilities summed into those kinds (information work is
    the rest).

    Parameters
    ----------
    proba : ndarray of shape (n_tasks, n_classes)
        Category probabilities (rows add up to 1), columns in ``classes`` order.
    classes : sequence of str
        The category of each column.

    Returns
    -------
    ndarray of shape (n_tasks, 2)
        P(manual), P(people) per task.

    Examples
    --------
    >>> kind_probabilities(np.array([[0.5, 0.3, 0.2]]),
    ...                    ["routine_manual", "nonroutine_manual", "nonroutine_interpersonal"])
    array([[0.8, 0.2]])
    """
    proba = np.asarray(proba, dtype=np.float64).reshape(-1, len(classes))
    manual = [i for i, c in enumerate(classes) if c in _MANUAL_CATEGORIES]
    people = [i for i, c in enumerate(classes) if c in _PEOPLE_CATEGORIES]
    return np.column_stack([proba[:, manual].sum(axis=1), proba[:, people].sum(axis=1)])


def model_kind(kinds: tuple[float, float]) -> tuple[str, float]:
    """The likeliest of ``manual``, ``people`` and ``information`` for P(manual), P(people),
    and its probability."""
    manual, people = kinds
    scores = {"information": 1.0 - manual - people, "manual": manual, "people": people}
    best = max(scores, key=scores.__getitem__)
    return best, scores[best]


def work_kind(
    category: str,
    cues: dict[str, _Cue],
    people: bool,
    kinds: tuple[float, float] | None = None,
) -> tuple[str, bool]:
    """The kind of work a statement describes (one of KINDS), and whether a reason may say
    it is that kind of work.

    ``kinds`` (P(manual), P(people): :func:`kind_probabilities`) is the model's judgement.
    Where it is confident (``model_kind.confident`` in the data) it sets whether the task is
    manual work, contact with people or information work, and the cues only say which kind
    within it (:func:`_within`): on the development set no cue beats the model where they
    disagree (docs/advice.md). Otherwise — no probabilities, or the model unsure — the
    category and the cues decide as follows.

    Hands-on work on people comes first whatever else the statement says; then legal
    responsibility (unless the statement is about documents — then it is information work
    whose drafts a person signs off — or a conversation with people) and rules a person
    follows; then manual work (the category or a manual cue, unless the statement is about
    data or documents: "Clean and prepare datasets"), face to face when it involves people, in
    a fixed setting when it names one; then conversation (the category or a talk cue; work
    with people the category calls interpersonal stays a conversation even when it names a
    document), the control of AI, and information work.

    The category head is often wrong on real text ("Creating motion graphics" as
    interpersonal, "Aufbau eines KPI-Reportings" as manual), so the second value says whether
    the words support the kind: manual work by an unmistakable cue, or by an ambiguous one
    ("deliver", "Aufbau") or a machine together with a manual category; interpersonal work by
    a people or interaction cue. A reason names a kind of work only when they do."""
    if kinds is not None:
        coarse, probability = model_kind(kinds)
        # confident, or the likelier half with a word of that kind ("Zustellung der Pakete …
        # bei Übergabe" at P(manual) = 0.57 is delivery, not a conversation)
        if probability >= _CONFIDENT or (
            probability >= 0.5 and any(k in cues for k in _WORDS_OF[coarse])
        ):
            return _within(coarse, category, cues, people, probability >= _SURE)
    base = _KIND_OF_CATEGORY.get(category, "information")
    info = "info" in cues or "data" in cues
    if "hands_on" in cues:
        return "hands_on", True
    if "authority" in cues and not (info or ("talk" in cues and people)):
        return "authority", True
    if "compliance" in cues:
        return "compliance", True
    if "talk" in cues:
        return "conversation", True
    surely = any(k in cues for k in _PHYSICAL_CUES)
    # Work the category calls manual that opens with a machine or an ambiguous manual cue
    # ("Pick and pack orders using RF scanners") is manual even with paperwork after it.
    manual = _PHYSICAL_CUES + (("machine", "physical_maybe") if base == "physical" else ())
    papers = [cues[k] for k in ("info", "records", "admin") if k in cues]
    if papers and (surely or base == "physical") and "data" not in cues:
        # "Plan daily picking …", "Dokumentation der Reinigung": it opens with paperwork
        first = min((cues[k].start for k in manual if k in cues), default=None)
        paper = min(papers, key=lambda c: c.start)
        lead = [w for w in paper.norm[: paper.start].split() if w not in _ADDRESS]
        surely = first is not None and not (not lead and paper.start < first)
    # an ambiguous manual cue next to an interaction is not manual work ("Build partnerships
    # with police", "deliver training", "Aufbau von Kooperationen")
    cue = "physical_maybe" in cues and not any(k in cues for k in ("interact", "people"))
    if "data" not in cues and (surely or ((cue or base == "physical") and not info)):
        supported = surely or (base == "physical" and (cue or "machine" in cues))
        if people or "in_person" in cues:
            return "in_person", True
        # a check or job on site is not machine work, even at a machine or an installation
        fixed = "machine" in cues and "onsite" not in cues
        return ("machine" if fixed else "physical"), supported
    if base == "conversation" and (people or not info):
        return "conversation", people or "interact" in cues or "people" in cues
    if base == "ai_interface" and "ai" in cues:
        return "ai_interface", True
    return "information", True


def _within(
    coarse: str, category: str, cues: dict[str, _Cue], people: bool, sure: bool
) -> tuple[str, bool]:
    """The kind of work within the model's confident ``coarse`` kind (manual, people or
    information), read from the cues; ``sure``: the model is sure enough that a reason may
    name the kind without a cue that says it."""
    info = "info" in cues or "data" in cues
    talking = "talk" in cues or "interact" in cues
    authority = cues.get("authority")
    manual_cue = any(k in cues for k in (*_PHYSICAL_CUES, "machine", "physical_maybe"))
    if coarse == "manual":
        if "hands_on" in cues:
            return "hands_on", True
        if not sure and info and not manual_cue:
            return "information", True  # "Run A/B test analyses": the paperwork words win
        if authority is not None and not (info or ("talk" in cues and people)):
            return "authority", True  # "Streife fahren", "Festnahme"
        if "compliance" in cues and not manual_cue:
            return "compliance", True  # "Einhaltung der Hygieneregeln", not "Reinigung unter …"
        if people or "in_person" in cues:
            return "in_person", True
        fixed = "machine" in cues and "onsite" not in cues
        return ("machine" if fixed else "physical"), sure or manual_cue
    if coarse == "people":
        if "hands_on" in cues and "talk" not in cues:
            return "hands_on", True  # "Körperpflege der Bewohner"; not "advise patients on …"
        if authority is not None and authority.group and not talking:
            return "authority", True  # an official act on citizens, not a partnership with police
        if "compliance" in cues and not talking:
            return "compliance", True
        if "in_person" in cues:
            return "in_person", True
        return "conversation", sure or people or talking or "people" in cues
    # Information work by the model, but work on a person's body ("Administer medication …",
    # unless paperwork about it comes first: "Document vital signs …") or face to face
    # ("Kassieren", "checking ID") by near-certain words: the model reads short duty lines of
    # care and counter work as information work; the labels call much of it that too.
    hands = cues.get("hands_on")
    if hands is not None and not any(cues[k].start < hands.start for k in _PAPERWORK if k in cues):
        return "hands_on", True
    if "in_person" in cues:
        return "in_person", True
    if (
        not sure
        and any(k in cues for k in _MANUAL_WORDS)
        and not any(k in cues for k in _PAPER_WORDS)
    ):
        return "physical", True  # "den Kassenabschluss machen": only words of work by hand
    if authority is not None and not (info or ("talk" in cues and people)):
        return "authority", True
    if "compliance" in cues:
        return "compliance", True
    if category == "ai_process_interface" and "ai" in cues:
        return "ai_interface", True
    return "information", True


def _machine_word(cue: _Cue, language: str) -> bool:
    """Whether the words of a manual cue are themselves machine work ("verpacken",
    "Kommissionierung"), not other work at a machine ("reinigen", "Reparatur")."""
    return "machine" in _CUES[language].find(cue.norm[cue.start : cue.end], language)


def _apart(one: str, other: str, cues: dict[str, _Cue]) -> bool:
    """Whether cues ``one`` and ``other`` are both there, in different words."""
    if one not in cues or other not in cues:
        return False
    a, b = cues[one], cues[other]
    return a.norm.count(" ", 0, a.start) != b.norm.count(" ", 0, b.start)  # word numbers


def _mixed(kind: str, cues: dict[str, _Cue]) -> bool:
    """Unmistakably manual work with paperwork in the same statement ("carry out vehicle
    checks and report incidents"): software can take the paperwork, not the work."""
    return kind in ("machine", "physical", "in_person") and "info" in cues


def _rule(
    kind: str,
    p: float,
    cues: dict[str, _Cue],
    people: _Cue | None,
    manual: bool = False,
    language: str = "en",
    handwork: bool = False,
) -> tuple[str, str]:
    """(advice, reason key) for a task of ``kind`` with rule-based probability ``p``;
    ``manual``: the model's category calls it manual work, or ``handwork``: its only cues are
    words of work by hand."""
    limits = THRESHOLDS[kind]
    automate = limits["automate"] is not None and p >= limits["automate"]
    assist = limits["assist"] is not None and p >= limits["assist"]
    if kind == "information":
        if automate and manual and "data" not in cues:
            # the category says manual and only paperwork words say otherwise ("Desinfektion
            # nach Hygieneplan"): never "software can take it over"
            return "assist", "assist.neutral"
        if (automate or assist) and "regulated" in cues and "onsite" not in cues:
            # a customs or dangerous-goods declaration, a pension quotation: a qualified
            # person checks every one in full, so never "checks samples" (a check on site
            # recorded in the crane log is the person's own check: assist.onsite below)
            return "assist", "assist.regulated"
        if automate:
            if "authority" in cues:  # the paperwork of legal responsibility
                return "assist", "assist.authority"
            if "responsible" in cues:  # a clinical check, statutory accounts, a birth record
                return "assist", "assist.responsible"
            if "onsite" in cues and not _apart("data", "onsite", cues):
                # "Report maintenance issues", "Kontrolle der Mindesthaltbarkeitsdaten"; not
                # "Sicherheitsupdates im Wartungsfenster" (IT work)
                return "assist", "assist.onsite"
            if people:
                return "assist", "assist.people"
            if "exception" in cues:
                return "assist", "assist.exceptions"
            return "automate", "automate.information"
        if assist:
            if "onsite" in cues and not people and not _apart("data", "onsite", cues):
                # "Walk the tour route beforehand and report closed paths": done on site
                return "assist", "assist.onsite"
            if handwork and not people:
                # work by hand the model reads as paperwork ("keep the salon spotless"): no
                # "AI can prepare parts of it"
                return "assist", "assist.neutral"
            return "assist", "assist.partly_people" if people else "assist.partly"
        if people and "script" in cues:
            return "assist", "assist.scripted_people"
        return "keep_human", "keep_human.people" if people else "keep_human.judgement"
    if kind == "conversation":
        if people and "script" in cues:
            return "assist", "assist.scripted_people"
        if assist:
            return "assist", "assist.conversation_people" if people else "assist.conversation"
        return "keep_human", "keep_human.people" if people else "keep_human.conversation"
    if "onsite" in cues and kind in ("machine", "physical", "in_person"):
        # a check or job a person does on site: at most assisted, never by machines alone
        if p >= min(limits["assist"] or 1.0, THRESHOLDS["machine"]["assist"] or 1.0):
            return "assist", "assist.onsite"
        return "keep_human", "keep_human.in_person" if kind == "in_person" else "keep_human.manual"
    if _mixed(kind, cues):
        if assist:
            return "assist", "assist.mixed"
        return "keep_human", "keep_human.in_person" if kind == "in_person" else "keep_human.manual"
    if kind == "machine" and automate:
        if "responsible" in cues:  # dispensing prescriptions: the professional checks each one
            return "assist", "assist.machine"
        if any(
            k in cues and not _machine_word(cues[k], language)
            for k in ("physical", "physical_maybe")
        ):
            # other manual work at the machine ("Reinigung der Gehege und Anlagen", "… bedienen
            # und reinigen"): machines help, they do not do it
            return "assist", "assist.machine"
        return "automate", "automate.machine"
    if assist:
        return "assist", f"assist.{kind}"
    own = {"ai_interface": "judgement", "machine": "manual", "physical": "manual"}
    return "keep_human", f"keep_human.{own.get(kind, kind)}"


_CUE_OF_RULE = {
    "assist.onsite": "onsite",
    "assist.exceptions": "exception",
    "assist.scripted_people": "script",
    "assist.hands_on": "hands_on",
    "keep_human.hands_on": "hands_on",
    "assist.authority": "authority",
    "assist.responsible": "responsible",
    "assist.regulated": "regulated",
    "keep_human.authority": "authority",
    "keep_human.compliance": "compliance",
}


# Reasons that name a kind of work (manual, with people), and the neutral reason for the same
# advice when the statement's words do not say it is that kind of work.
_NEUTRAL = {
    "keep_human.manual": "keep_human.neutral",
    "keep_human.conversation": "keep_human.neutral",
    "assist.physical": "assist.neutral",
    "assist.machine": "assist.neutral",
    "assist.conversation": "assist.neutral",
}


def _level(p: float, language: str) -> dict[str, str]:
    band = "high" if p >= _LEVELS["high"] else "mid" if p >= _LEVELS["low"] else "low"
    return _LEVELS[language][band]


def audience(group: str | None, language: str) -> dict:
    """A people group's label in ``language``: "nom" (nominative/accusative plural), "dat"
    (dative plural), "about" (what the work is about: "den direkten Kontakt mit Menschen")."""
    if group is None:
        return {"nom": "", "dat": "", "about": "", "told": False}
    spec = RULES["people"][group]
    return {
        "about": spec["label"][language]["nom"],
        "told": not spec.get("internal", False),
        **spec["label"][language],
    }


def percent(rule_based: float) -> int:
    """The whole percentage shown for a probability: of the three decimals the response
    carries (0.8253 → 0.825 → 83 %, as the page shows it), halves up."""
    return int(round(rule_based, 3) * 100 + 0.5 + 1e-9)


# Words of a title that make a role work with animals (see "animal_work" in the rules).
_ANIMAL_TITLE = word_start_pattern(
    cue for lang in ("de", "en") for cue in RULES["animal_work"][lang]
)


def animal_work(title: str) -> bool:
    """Whether a role's title names work with animals ("Tiermedizinische Fachangestellte",
    "Registered Veterinary Nurse", "Hufschmied", "Dog Groomer"): then every task of the role
    is work on animals, also where a statement names none ("Take and process blood
    samples")."""
    return _ANIMAL_TITLE.search(title.lower()) is not None


def advise(
    text: str,
    rule_based: float,
    category: str,
    language: str,
    out_language: str | None = None,
    kinds: tuple[float, float] | None = None,
    animals_role: bool = False,
) -> Advice:
    """The advice for one task written in ``language`` ("de" or "en"; its cues are read in
    that language), with its reason in ``out_language`` (default: ``language``).

    ``kinds`` is the model's P(manual), P(people) for the task (:func:`kind_probabilities`);
    without it the kind of work is read from the category and the cues alone.
    ``animals_role``: the task belongs to a role of work with animals (:func:`animal_work`)."""
    language = language if language in _REASONS else "en"
    out_language = out_language if out_language in _REASONS else language
    cues = _cues(text, language)
    deceased = cues.pop("deceased", None) is not None
    animals = cues.pop("animals", None) is not None or animals_role
    if animals and "people" in cues and cues["people"].group == "patients":
        del cues["people"]  # "erkrankte Tiere", "injured animals": no patients
    if deceased or animals:
        # washing the deceased is work on a body, treating a cow work on an animal: no care
        # of a person
        cues.pop("hands_on", None)
        if "people" not in cues:
            cues.pop("interact", None)
    counter = cues.pop("counter", None)
    if counter is not None:  # "an der Theke": face to face only with someone to face
        face = any(k in cues for k in _INTERACTION_CUES)
        cues.setdefault("in_person" if face else "physical", counter)
    people = cues.get("people")
    if people is not None and not _interaction(cues, people, language):
        people = None  # "payroll for 400 employees", "repair at the customer's": not contact
    named = people is not None
    if people is None:  # "operieren" names patients, "am Schalter" people face to face
        people = next(
            (
                cues[k]
                for k in ("hands_on", "authority", "in_person")
                if k in cues and cues[k].group
            ),
            None,
        )
    if (
        people is not None
        and "records" in cues
        and cues["records"].start < people.start
        and not any(k in cues for k in ("talk", "in_person", "hands_on", "script"))
    ):
        people = None  # "dokumentieren die Entwicklung der Kinder": a record about them
    kind, supported = work_kind(category, cues, people is not None, kinds)
    shown = percent(rule_based) / 100  # the rule follows the percentage the reason shows
    # the model calls it manual work (its category, or most of its probability)
    manual = category in _MANUAL_CATEGORIES or (kinds is not None and kinds[0] >= 0.5)
    manual_words = any(k in cues for k in _MANUAL_WORDS) and not any(
        k in cues for k in _PAPER_WORDS
    )
    advice, rule = _rule(
        kind, shown, cues, people, manual or manual_words, language, handwork=manual_words
    )
    if not supported:  # the category alone says manual or interpersonal: no such claim
        rule = _NEUTRAL.get(rule, rule)
    if rule in ("assist.authority", "assist.responsible", "assist.regulated"):
        kind = "authority"  # drafts a person signs off: the actions of legal responsibility
    cue = cues.get(_CUE_OF_RULE.get(rule, ""))
    group = people.group if people else None
    label = audience(group, out_language)
    note = ""
    if people is not None and "{cue_note}" in _REASONS[out_language][rule]:
        word = people.word
        if word.lower() not in f"{label['nom']} {label['dat']}".lower():
            note = RULES["cue_note"][out_language].format(cue=word)
    level = _level(shown, out_language)
    told = RULES["told"][out_language].format(audience=label["nom"]) if label["told"] else ""
    reason = _REASONS[out_language][rule].format(
        pct=round(100 * shown),
        Level=level["word"][:1].upper() + level["word"][1:],
        level=level["word"],
        but=level["but"],
        cue=cue.word if cue else "",
        cue_note=note,
        audience=label["nom"],
        audience_dat=label["dat"],
        told=told,
    )
    # Face-to-face service is handwork in manual work only (serving at tables, not the counter
    # of an office); rules followed at work are, unless about data ("Hygieneregeln", not
    # "Datenschutz").
    hands = (
        (kind in ("machine", "physical", "hands_on") and (supported or manual))
        or (kind == "in_person" and manual)
        or (kind == "compliance" and not ("info" in cues or "data" in cues))
    )
    traits = frozenset(t for t in TRAITS if t in cues)
    if manual_words:
        traits |= {"handwork"}  # only words of work by hand: no AI drafts of it
    if people is not None or any(k in cues for k in _CONTACT_CUES):
        traits |= {"contact"}  # the statement itself says it is an interaction with people
    implied = group is not None and not named
    return Advice(advice, reason, rule, group, kind, hands, traits, implied)


def _interaction(cues: dict[str, _Cue], people: _Cue, language: str) -> bool:
    """Whether the statement is an interaction with the people it names — advising, caring,
    teaching, serving, answering them — not work about them, for them or at their place
    ("Run the payroll for around 400 employees", "Wartung beim Kunden"). An enquiry, a call or a
    complaint (groups with ``contact``) is contact by itself; staff and internal users need an
    ``interact`` cue (a handover to staff is a conversation, not work with staff)."""
    group = people.group
    spec = RULES["people"].get(group or "", {})
    word = people.norm[people.start : people.end]
    if spec.get("contact") and not word.startswith(tuple(spec.get("contact_except", ()))):
        return True
    before = _TOKEN.findall(people.norm[max(0, people.start - 40) : people.start])
    while before and before[-1] in _DETERMINERS:
        before.pop()
    if before and before[-1] in _BEFORE_GROUP[language]:
        return True  # "help customers", "assist patients": the verb acts on them
    if spec.get("internal"):
        return "interact" in cues
    if before and before[-1] in _WITH[language]:
        return True  # "set goals with patients", "Gespräche mit Eltern": done with them
    return any(k in cues for k in _CONTACT_CUES)


def advise_many(
    texts: list[str],
    rule_based: np.ndarray,
    categories: list[str],
    languages: list[str],
    out_languages: list[str] | None = None,
    kinds: np.ndarray | None = None,
    animals_roles: list[bool] | None = None,
) -> list[Advice]:
    """:func:`advise` for every task (a statement repeated in one batch is judged once);
    ``out_languages``: the language of each reason (default: the task's); ``kinds``: the
    model's (n_tasks, 2) P(manual), P(people) (:func:`kind_probabilities`);
    ``animals_roles``: per task, whether its role is work with animals."""
    seen: dict[tuple, Advice] = {}
    out = []
    pairs: list = kinds.tolist() if kinds is not None else [None] * len(texts)
    for text, p, category, language, out_language, pair, animals in zip(
        texts,
        rule_based.tolist(),
        categories,
        languages,
        out_languages or languages,
        pairs,
        animals_roles or [False] * len(texts),
        strict=True,
    ):
        key = (text, round(p, 3), category, language, out_language, animals)
        hit = seen.get(key)
        if hit is None:
            kind = None if pair is None else tuple(pair)
            hit = seen[key] = advise(text, p, category, language, out_language, kind, animals)
        out.append(hit)
    return out


def shares(advice: list[Advice], weights: np.ndarray, bounds: np.ndarray) -> list[dict[str, float]]:
    """Per role (tasks ``bounds[r]:bounds[r + 1]``), the share of its work in each advice,
    weighted by the tasks' time shares; the three add up to 1."""
    codes = np.fromiter((ADVICE.index(a.advice) for a in advice), np.int64, len(advice))
    role = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    sums = np.zeros((len(bounds) - 1, len(ADVICE)))
    np.add.at(sums, (role, codes), weights)
    totals = np.maximum(sums.sum(axis=1, keepdims=True), 1e-12)
    out = []
    for row in (sums / totals).tolist():
        automate, assist = round(row[0], 4), round(row[1], 4)
        keep = max(0.0, round(1.0 - automate - assist, 4))
        out.append({"automate": automate, "assist": assist, "keep_human": keep})
    return out
