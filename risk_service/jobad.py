"""Job ad → lines → labelled statements → duty statements.

A role description can be a task list, a paragraph or a whole job ad in HTML or Markdown.
Only duties are tasks: requirements, benefits, company blurbs, contact details and the ad's own
title are set aside (and reported), because scoring "30 Tage Urlaub" as a task would move the
score for no reason.

How a statement is labelled: :func:`read_ad` splits the ad into statements and records what
the parser sees around each one (the last heading, an inline heading such as "Wir bieten: …",
bullets, position, cue words; :class:`Statement`). A line classifier trained on our labelled ads
(:mod:`risk_service.lineclassifier`) labels each statement from that; :func:`rule_label` is the
cue-rule labeller it is measured against (and falls back to where no classifier is shipped).
Duty statements that coordinate several duties are then split into them
(:func:`risk_service.coordination.split_coordinated`). The cue tables are data:
``risk_service/data/jobad_cues.json``.
"""

from __future__ import annotations

import functools
import html
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING

from risk_service import cache, config
from risk_service.cache import BoundedCache, byte_cached
from risk_service.coordination import (
    is_de_task_noun,
    is_lead_in,
    opens_like_task,
    opens_with_lead_in,
    split_coordinated,
)
from risk_service.patterns import trie_pattern
from risk_service.text import detect_language

if TYPE_CHECKING:
    from risk_service.lineclassifier import LineClassifier

# Every pattern below runs on request text (up to 20,000 characters) in time linear in it:
# whitespace runs are taken whole by possessive quantifiers (``\s*+``) where the next token
# cannot be whitespace, repetitions that could be re-split are bounded or possessive, and where
# a failed match would be retried from each of many start positions over the same text, the
# pattern (or its caller) skips that text instead. tests/test_redos.py and tests/test_jobad.py
# hold each pattern to a time bound on adversarial input.

DATA_DIR = Path(__file__).parent / "data"
_CUES: dict = json.loads((DATA_DIR / "jobad_cues.json").read_text(encoding="utf-8"))

LABELS = ("duty", "requirement", "benefit", "company", "contact", "other")
# Keys of ParsedAd.ignored (the API's "ignored").
SECTION_OF_LABEL = {
    "requirement": "requirements",
    "benefit": "benefits",
    "company": "company",
    "contact": "contact",
    "other": "other",
}
# How the 422 for a description without duties names what it found instead.
FOUND_NAMES = {
    "requirement": "requirements",
    "benefit": "benefits",
    "company": "company information",
    "contact": "contact details",
    "other": "other text",
}


class _TextExtractor(HTMLParser):
    """HTML → text with one line per block element and a bullet per list item."""

    _BLOCK = frozenset(
        "p div br h1 h2 h3 h4 h5 h6 ul ol tr td th dt dd section article header footer main "
        "aside nav table tbody thead blockquote hr pre form fieldset figure figcaption".split()
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template", "noscript"):
            self._skip += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template", "noscript"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            # Line breaks inside a block are the source's wrapping, not structure.
            self.parts.append(data.replace("\r", " ").replace("\n", " "))


# The start of a tag; a tag is a start followed by a ">" anywhere later (see _has_html_tag).
_HTML_TAG = re.compile(r"<\s*+/?\s*+[a-zA-Z]")
# [label](url) → label. The second branch takes what the first one scanned when a "[" starts
# no link: no "[" inside that text can start one either (the same "]" or missing ")" follows),
# so a run of 20,000 "[" is read once, not once per "[".
_MD_LINK = re.compile(r"!?\[(?:([^\]]*+)\]\([^)]*+\)|[^\]]*+(?:\]\([^)]*+)?)")
_MD_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_MD_CODE = re.compile(r"`([^`]*)`")
# Invisible characters job boards leave in: soft hyphens, zero-width spaces and joiners, BOM.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\t"), " ")

# Above this many "<" after the last ">", strip_markup() does not let HTMLParser reread them.
_MAX_TRAILING_TAG_STARTS = 16


def _has_html_tag(text: str) -> bool:
    r"""``re.search(r"<\s*/?\s*[a-zA-Z][^>]*>", text)`` in linear time: if any tag start has a
    ">" after it, the first one does."""
    start = _HTML_TAG.search(text)
    return start is not None and text.find(">", start.end()) >= 0


def _md_link(match: re.Match[str]) -> str:
    label = match.group(1)
    return match.group() if label is None else label  # not a link: unchanged


# Tags removed by pattern where HTMLParser gives up on malformed markup (linear: possessive).
_LOOSE_TAG = re.compile(r"<[^<>]*+>")


def strip_markup(text: str) -> str:
    """Remove HTML tags (keeping list structure) and Markdown emphasis, links and headings."""
    if _has_html_tag(text):
        parser = _TextExtractor()
        # HTMLParser (before Python 3.11.13) rereads the rest of the text from each "<" after the
        # last ">" ("<b " * 6,600 took 5 s). No tag can end there: to the parser that rest is
        # text, character references converted (dropped inside <script>/<style>). Where many
        # "<" follow the last ">", that rest is handed over as such (the same output unless that
        # ">" sits in a quoted attribute value closed only after it); where few do, the parser
        # reads it, exactly and cheaply.
        head = text.rfind(">") + 1
        try:
            if text.count("<", head) > _MAX_TRAILING_TAG_STARTS:
                parser.feed(text[:head])
                parser.close()
                if not parser._skip and parser.cdata_elem is None:
                    parser.handle_data(html.unescape(text[head:]))
            else:
                parser.feed(text)
                parser.close()
            text = "".join(parser.parts)
        except AssertionError:  # HTMLParser asserts on some malformed markup ("<![//**")
            text = _LOOSE_TAG.sub("\n", text)  # a tag ends a line, as block tags do
    text = html.unescape(text)
    # Each pattern only where its marker occurs: most ads are plain text.
    if "](" in text:
        text = _MD_LINK.sub(_md_link, text)  # [label](url) → label
    if "**" in text or "__" in text:
        text = _MD_BOLD.sub(r"\2", text)  # **bold**
    if "#" in text:
        text = _MD_HEADING.sub("", text)  # # Heading
    if "`" in text:
        text = _MD_CODE.sub(r"\1", text)
    text = text.translate(_INVISIBLE).translate(_SPACES)
    return text.replace("\r\n", "\n").replace("\r", "\n")


_BULLET = re.compile(
    r"^\s*+(?:[-*+•·–—▪►▸▹✓✔☑➤➔→⇒◦○●■□◆◇~>»]\s*+|\(?\d{1,2}[.)]\s++|[a-z][.)]\s++)"
)
# Emoji, pictographs and dingbats: decoration around headings ("💙 Deine Aufgaben").
_SYMBOLS = re.compile(
    "[\u2190-\u21ff\u2300-\u23ff\u2460-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff\ufe0f\u200d]++"
)

# Abbreviations whose dot ends no sentence; matched at a word start ("Bau." is no "u."); the
# longest where several match (a trie: the cue tables are long).
_ABBREVIATION = re.compile(r"(?<![\w.])" + trie_pattern(_CUES["abbreviations"]))
# No split after an ordinal number ("15. Januar") or a single capital ("Max M. Muster").
# After a number a dot ends a sentence only before a word that opens one ("… Kehrbezirk 7. Sie
# kehren …"; not "nach der 1. BImSchV", "am 7. Mai")
_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\d[.!?])(?<!\s[A-Z][.])\s++(?=[A-ZÄÖÜ\"„(])"
    r"|(?<=\d[.!?])\s++(?=(?:Sie|Du|Wir|Ihr|Ihre|Dein|Deine|Unser|Unsere|You|We|Our|Your)\s)"
)
# Semicolons, inline bullets and the " | " of metadata lines. A break starts where a
# whitespace run starts (or at ";"): one that fails from the start of a run fails from inside
# it too, so those starts are skipped.
_CHUNK_BREAK = re.compile(r"(?:(?<!\s)|(?!\s))(?:\s*+;\s*+|\s++[•·|]\s++)")
_WORDLIKE = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")
# Characters without which _CHUNK_BREAK and _SENTENCE_END cannot match (checked first: cheap).
_CHUNK_CHARS = (";", "•", "·", "|")
_SENTENCE_CHARS = (".", "!", "?")


@dataclass
class ParsedAd:
    """Duties to score plus what was set aside, by section kind."""

    duties: list[str] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)
    had_headings: bool = False
    # Statements set aside, counted by label (requirement, benefit, company, contact, other).
    found: dict[str, int] = field(default_factory=dict)

    def found_instead(self) -> str:
        """What a description without duties held instead: "requirements and benefits"."""
        names = [FOUND_NAMES[label] for label in LABELS[1:] if self.found.get(label)]
        if len(names) <= 1:
            return names[0] if names else "nothing to score"
        return ", ".join(names[:-1]) + " and " + names[-1]

    def no_duties_message(self) -> str:
        """The 422 message for a description in which no duty was found."""
        found = self.found_instead()
        if not self.found:
            return "no duties found in the description: it holds no statements to score"
        verb = "was" if found in ("company information", "other text") else "were"
        return (
            f"no duties found in the description: only {found} {verb} found; add the role's "
            "duties (for example under a heading such as “Ihre Aufgaben” or “Responsibilities”) "
            "or send them as tasks"
        )


# --- headings -----------------------------------------------------------------------------

_NORMALISE_HEADING = re.compile(r"[\s*_#:|.!?\"'„“”»«()\[\]-]++")


def _heading_key(text: str) -> str:
    """Lower case without decoration: "💙 **Deine Aufgaben:**" → "deine aufgaben"."""
    text = _SYMBOLS.sub(" ", text).lower().replace("’", "'")
    return " ".join(part for part in _NORMALISE_HEADING.split(text) if part)


_HEADINGS: dict[str, str] = {
    _heading_key(cue): label for label, cues in _CUES["headings"].items() for cue in cues
}
_FIELDS: dict[str, str] = {
    _heading_key(cue): label
    for label, cues in _CUES["fields"].items()
    if not label.startswith("_")
    for cue in cues
}
# Tries (the longest cue where several match, as an alternation sorted longest first would).
_HEADING_OPENING = re.compile("^" + trie_pattern(c for c in _HEADINGS if " " in c) + r"(?![\w])")
_HEADING_CLOSING = re.compile(r"(?<![\w])" + trie_pattern(_HEADINGS) + "$")
# Within a longer heading only cues that cannot be a word of something else ("you", "pay").
_HEADING_ANYWHERE = re.compile(
    r"(?<![\w])" + trie_pattern(c for c in _HEADINGS if " " in c or len(c) >= 7) + r"(?!\w)"
)
_FILLERS = re.compile(
    "(?<![\\w])(?:" + "|".join(re.escape(f) for f in _CUES["heading_fillers"]) + ")(?![\\w])"
)
_POSSESSIVE = re.compile(r"^(?:ihre|ihr|deine|dein|unsere|unser|your|our|the|die|der|das)\s")
# A heading is short and holds no sentence punctuation but a closing "?" or "!".
_HEADING_LINE = re.compile(r"^[^.;!?\n]{1,80}+[?!]?$")
# "Name: rest" at the start of a line; the name is short and holds no sentence punctuation.
_INLINE_FIELD = re.compile(r"^([^:.!?;\n]{1,40}+):\s*+(?=\S)")


_ANNOUNCES_DUTIES = re.compile(
    r"(?<!\w)(?:you will|you'll|you would|you'd|your job|sie werden|du wirst|gehören|gehört)(?!\w)"
)


def _lookup(key: str, fields: bool = True) -> str | None:
    """The label of a heading or field name, also without possessives and fillers ("Was Sie
    bei uns bewegen" → "was sie bewegen") and by the tail of a German compound
    ("Einstellungsvoraussetzungen" → "voraussetzungen")."""
    for candidate in (key, _POSSESSIVE.sub("", key)):
        label = _HEADINGS.get(candidate) or (_FIELDS.get(candidate) if fields else None)
        if label is not None:
            return label
        compact = _WHITESPACE.sub(" ", _FILLERS.sub(" ", candidate)).strip()
        if compact != candidate:
            label = _HEADINGS.get(compact) or (_FIELDS.get(compact) if fields else None)
            if label is not None:
                return label
    if " " not in key and len(key) > 10:
        for tail in range(3, len(key) - 5):
            label = _FIELDS.get(key[tail:]) or _HEADINGS.get(key[tail:])
            if label is not None and label != "continue":
                return label
    return None


def heading_kind(line: str) -> str | None:
    label = _heading_kind_or_unknown(line)
    return "" if label == "unknown" else label


def _heading_kind_or_unknown(line: str) -> str | None:
    """Label of a heading-only line ("Ihre Aufgaben", "What we offer:"), "continue" for one
    that continues the section ("Außerdem:"), "" for an unknown short heading ("ZWINGEND:"),
    None if ``line`` is no heading."""
    stripped = line.strip()
    if not _HEADING_LINE.match(stripped):
        return None
    colon = stripped.find(":")
    if 0 <= colon < len(stripped.rstrip("*_ ")) - 1:
        return None  # "Nice to have: Terraform" is a line with an inline heading
    ends_colon = stripped.rstrip("*_ ").endswith((":", "?"))
    key = _heading_key(stripped)
    if not key:
        return None
    n_words = key.count(" ") + 1
    if n_words > 8:
        return None
    # field names ("Standort", "Pay") make a heading only with their colon ("Bewerbung an:")
    label = _lookup(key, fields=ends_colon)
    if label is not None and (label != "continue" or ends_colon):
        return label
    match = None
    if n_words <= 5:
        # "Ihre Aufgaben bei uns", "Das bieten wir dir" — a multi-word cue opening a short line
        match = _HEADING_OPENING.match(key)
    if match is None and n_words <= 4:
        # "Your key responsibilities", "Ihre neuen Aufgaben", "Ideally you will have:"
        match = _HEADING_CLOSING.search(key)
    if (
        match is None
        and ends_colon
        and stripped.rstrip("*_ ").endswith(":")
        and _ANNOUNCES_DUTIES.search(key)
    ):
        return "duty"  # "As a firefighter you will:", "Treatments you'll deliver:"
    if match is None and ends_colon:
        match = _HEADING_ANYWHERE.search(key)  # "Was Sie bei uns erwartet:"
    if match is not None:
        return _HEADINGS[match.group()]
    if ends_colon and n_words <= 4:
        return ""
    return None


_heading_kind = heading_kind  # the name tests/test_redos.py times


def inline_field(line: str) -> tuple[str, int] | None:
    """(label, offset of the rest) for a line opening with a known name and a colon:
    "Wir bieten: Supervision, …" → ("benefit", 12)."""
    if ":" not in line[:42]:
        return None
    match = _INLINE_FIELD.match(line)
    if match is None:
        return None
    key = _heading_key(match.group(1))
    if not key:
        return None
    # "Fragen beantwortet dir Lea Brandt: …" has a colon but no field name before it
    label = _lookup(key) if key.count(" ") < 5 else None
    if label is None:
        return None
    return label, match.end()


# --- statements ---------------------------------------------------------------------------


def _protect_abbreviations(text: str) -> str:
    """Hide the dots of abbreviations ("z. B.", "e.g.", "u.") from the sentence splitter."""
    return _ABBREVIATION.sub(lambda m: m.group().replace(".", "\u2024"), text)


def _sentences(line: str) -> list[str]:
    out = []
    if "." in line:
        line = _protect_abbreviations(line)
    chunks = _CHUNK_BREAK.split(line) if any(c in line for c in _CHUNK_CHARS) else [line]
    for chunk in chunks:
        # a sentence end is punctuation with more text after it
        ends = any(c in chunk[:-1] for c in _SENTENCE_CHARS)
        for sentence in _SENTENCE_END.split(chunk) if ends else (chunk,):
            cleaned = sentence.replace("\u2024", ".").strip(" \t-–—,.:")
            if _is_statement(cleaned):
                out += _run_on_items(cleaned)
    return out


# A German action noun that opens a phrase ("Prüfung der …", "Schulung von …", "Mitarbeit an …")
_RUN_ON_NEXT = frozenset(
    "von vom der des den dem die das zu zur zum im in an am mit für bei".split()
)
_RUN_ON_MIN_WORDS = 12
# nouns that name the unit an action noun belongs to ("im Bereich Entwicklung von Software",
# "in der Abteilung Planung der …"): the action noun after them is no new item
_RUN_ON_CONTAINERS = frozenset(
    "Bereich Bereichen Abteilung Team Teams Stabsstelle Referat Ressort Sachgebiet Fachbereich "
    "Geschäftsbereich Arbeitsbereich Aufgabenbereich Gebiet Feld Umfeld Schwerpunkt Sparte".split()
)


def _run_on_items(statement: str) -> list[str]:
    """A German list pasted without its line breaks ("… auf Grundlage der Patientenakte Prüfung
    der DRG-Fallzusammenführung … Widerspruchsverfahren Schulung der Ärztinnen und Ärzte …"):
    cut before an action noun that follows a noun with nothing between them and opens its own
    phrase. Only long German statements (one sentence already, no ";:!?"); German grammar puts
    an article, a preposition or a comma between two such nouns. A list of at least three items
    (two cuts): a single cut is far likelier an ordinary sentence ("Sie arbeiten in unserem Team
    im Bereich Entwicklung von Software"), and never after a noun naming a unit (Bereich,
    Abteilung, Team …); English capitalises titles ("Support the Head of Research Planning in
    …") and is never cut."""
    words = statement.split(" ")
    if len(words) < _RUN_ON_MIN_WORDS or any(c in statement for c in ";:!?"):
        return [statement]
    if detect_language(statement, default="de") != "de":
        return [statement]
    cuts = [
        i
        for i in range(2, len(words) - 1)
        if is_de_task_noun(words[i])
        and len(words[i]) >= 6
        and words[i + 1] in _RUN_ON_NEXT
        and words[i - 1][:1].isupper()
        and words[i - 1][-1:].isalpha()
        and not words[i - 1].endswith("-")
        and words[i - 1] not in _RUN_ON_CONTAINERS
    ]
    if len(cuts) < 2:
        return [statement]
    starts = [0, *cuts]
    ends = [*cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in zip(starts, ends, strict=True)]


def split_statements(text: str) -> list[str]:
    """Split one block of text into task-sized statements.

    Bullets, numbered items, line breaks, semicolons and sentence ends all separate tasks.
    """
    out: list[str] = []
    for raw_line in text.split("\n"):
        line = _BULLET.sub("", raw_line).strip()
        if line:
            out += _sentences(line)
    return out


def _is_statement(text: str) -> bool:
    """At least one word of three letters: drops stray bullets, numbers and punctuation."""
    return _WORDLIKE.search(text) is not None


# --- cues ---------------------------------------------------------------------------------


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    """One pattern over cues matched in " " + words + " ": "word" is a whole word (or
    words), "word*" a word start, "*word" a word end, "*word*" anywhere. A trie of the
    literals: a tenth of the time of their alternation (50 → 4 µs a statement)."""
    parts = []
    for cue in cues:
        start = "" if cue.startswith("*") else " "
        end = "" if cue.endswith("*") else " "
        parts.append(start + cue.strip("*") + end)
    return re.compile(trie_pattern(parts))


_LINE_CUES = {
    label: _cue_pattern(cues) for label, cues in _CUES["line_cues"].items() if label[:1] != "_"
}
# Working conditions ("Arbeiten auf wechselnden Baustellen …", "Regular travel within the
# region"): other text wherever they stand, never a duty. Decided after the labelling, so the
# lines around one keep the context the classifier learned.
_CONDITION = re.compile(
    "^(?:"
    + trie_pattern(
        " " + c.rstrip("*") + ("" if c.endswith("*") else " ") for c in _CUES["condition_starts"]
    )
    + ")"
)


def _starts_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    """Cues matched at a statement's start on its padded words ("word*": a word start)."""
    return re.compile(
        "^(?:"
        + trie_pattern(" " + c.rstrip("*") + ("" if c.endswith("*") else " ") for c in cues)
        + ")"
    )


# The reporting line and what the applicant brings, inline in a duty list or cut off a duty
# ("Reporting to the CRO, you'll own …"): never scored (see duty_part_label).
_DUTY_PART_STARTS = {
    label: _starts_pattern(cues) for label, cues in _CUES["duty_part_starts"].items()
}
_HOLDING = _starts_pattern(_CUES["requirement_holding"])
_CREDENTIAL = re.compile(" (?:" + trie_pattern(_CUES["requirement_credentials"]) + ")(?:s|e|en)? ")
_OTHER_LINES = frozenset(_heading_key(c) for c in _CUES["other_lines"])

# Lines of an ad that sit in its duty list but are no duty (see "_non_duties" in the cue data).
_NON_DUTIES: dict = _CUES["non_duties"]
_GREETING = _starts_pattern(_NON_DUTIES["greetings"])
_SLOGAN = _starts_pattern(_NON_DUTIES["slogan_cues"])
_SLOGAN_START = _starts_pattern(_NON_DUTIES["slogan_starts"])
_CAREER_START = _starts_pattern(_NON_DUTIES["career_starts"])
_TIME_OPENER = _starts_pattern(_NON_DUTIES["time_openers"])
_CAREER_WORD = _cue_pattern(_NON_DUTIES["career_words"])
_TARGET = _cue_pattern(_NON_DUTIES["target_words"])
_RATE = _cue_pattern(_NON_DUTIES["rate_words"])
_DANGLING = _starts_pattern(_NON_DUTIES["dangling_conjunctions"])


def _one_word_cues(cues: Sequence[str]) -> re.Pattern[str]:
    """Cues matched on one lower-cased word: "word*" a word start, "*word" a word end."""
    parts = []
    for cue in cues:
        core = re.escape(cue.strip("*"))
        parts.append(
            ("^" if not cue.startswith("*") else "^.*")
            + core
            + ("$" if not cue.endswith("*") else "")
        )
    return re.compile("|".join(parts))


_TIME_UNIT = _one_word_cues(_NON_DUTIES["time_units"])
_SHIFT_WORD = _one_word_cues(_NON_DUTIES["shift_words"])
_SHIFT_FILLER = frozenset(_NON_DUTIES["shift_filler"])
_DURATION = re.compile(r"^\d[\d./:-]*(?:-?(?:hour|hours|hr|hrs|h|stunden|std|uhr|day|days))?$")
_PERSON_SUFFIXES = tuple(_NON_DUTIES["bare_person_suffixes"])
_OPENING_FILLERS = frozenset(_NON_DUTIES["opening_fillers"])
_PARTICIPATION = _starts_pattern(_NON_DUTIES["participation_starts"])
_TRAINING_STAGE = _starts_pattern(_NON_DUTIES["training_stages"])
_TARGET_VERBS = frozenset(_NON_DUTIES["target_verbs"])
_QUOTA = _cue_pattern(_NON_DUTIES["quota_words"])
_WHERE_WHEN = _cue_pattern(_NON_DUTIES["where_when"])


def _words(cues: Sequence[str]) -> str:
    """``cues`` as an alternation of whole words ("word*": a word start), for building
    patterns on padded text."""
    return trie_pattern(c.rstrip("*") + ("" if c.endswith("*") else " ") for c in cues)


_DELEGATED_CUES: dict = _NON_DUTIES["delegated_work"]
_D = {key: _words(cues) for key, cues in _DELEGATED_CUES.items() if key != "phrases"}
_NOT_AFTER = "".join(f"(?<! {w})" for w in _DELEGATED_CUES["en_not_after"])
# Work someone else does, or that the role does not do (see "_non_duties" in the cue data).
_DELEGATED = re.compile(
    "|".join(
        (
            _cue_pattern(_DELEGATED_CUES["phrases"]).pattern,
            # "Spülen machen unsere Aushilfen", not "Sie machen die Kasse"
            rf"(?<! sie)(?<! du) (?:{_D['de_verbs']})(?:{_D['de_adverbs']})?(?:{_D['de_others']})",
            # "Feldarbeit macht der Lohnunternehmer": no "Sie" or "du" takes "macht"
            rf" (?:{_D['de_singular_verbs']})(?:{_D['de_adverbs']})?(?:{_D['de_singular_others']})",
            # "Katastervermessungen werden weiterhin von … Vermessungsingenieuren durchgeführt"
            r" (?:wird|werden) (?:\w+ ){0,2}?von (?!ihnen |dir |euch )",
            rf" (?:is|are|gets|get) (?:{_D['en_passive']})by ",
            # "Scaffolding is put up by a specialist contractor", "… are specified by the architect"
            rf" (?:is|are) (?:\w+ ){{0,2}}?\w+(?:ed|en|up|out|done|made|set|run|kept)"
            rf"(?: \w+ly)? by (?:{_D['en_by_agents']})",
            # "our ops team sorts all that", not "help our kitchen team handle the pass"
            rf"{_NOT_AFTER} our (?:\w+ ){{0,3}}?(?:{_D['en_others']})(?:{_D['en_verbs']})",
        )
    )
)
# "das macht unser Team", "which our office handles", "our ops team sorts all that" (not
# "das Buchen übernimmt unser Team": an article)
_BACK_REFERENCE = re.compile(
    rf"^ (?:{_D['back_references']})(?:{_D['de_verbs']}|(?:which|that) )|(?: "
    + "| ".join(re.escape(w) for w in _DELEGATED_CUES["back_references"])
    + ") $"
)
# a clause that goes with the delegated one before it: a relative clause or a negation ("…,
# die zweimal pro Woche kommt", "… by the Governance team, not by this post"). Matched on the
# clause as written: a German relative pronoun is followed by a lower-case word, an article
# by its noun ("…, die Frachten erfassen Sie im TMS" is a duty of its own).
_FOLLOWS_DELEGATED = re.compile(
    r"(?:[Dd](?:ie|er|as|en|em)|[Ww]elche[rs]?)\s+[a-zäöüß]"
    r"|(?i:which|who|not|no|nor|nicht|kein|keine)\b"
)
# Where a statement's clauses part: a dash, a semicolon, brackets, a colon, a sentence end.
_CLAUSE_BREAK = re.compile(r"\s+[–—-]\s+|\s*;\s*|\s*[()]\s*|:\s+|(?<=[.!?])\s+(?=[A-ZÄÖÜ])")
# working hours as clock times: "von 7:00 bis ca. 15:00 Uhr", "06:00–14:00", "8.30 - 17.00"
_CLOCK_RANGE = re.compile(
    r"(?<![\d.:])\d{1,2}[:.]\d{2}\s*+(?:–|-|bis)\s*+(?:ca\.\s*+)?\d{1,2}[:.]\d{2}(?![\d.:]\d)"
)
_READER = frozenset("du sie you you'll we".split())
_STATE_VERBS = frozenset("bist sind seid ist are is be will would".split())
# the last words of a line that ends in ":" and announces the list below it ("Working side by
# side with our Wine Director, you'll:", "Day to day this means:")
_ANNOUNCING_MAX_WORDS = 10  # "Working side by side with our Wine Director, you'll" has nine
_ANNOUNCING_ENDS = frozenset(
    "you'll you will means include includes involve involves du sie gehören gehört lernst".split()
)
_GREETING_MAX_WORDS: int = _NON_DUTIES["greeting_max_words"]
_NAME_LINKS = frozenset(_NON_DUTIES["name_links"])
_COPULA_SUBJECTS = frozenset(_NON_DUTIES["copula_subjects"])
_COPULA = re.compile(
    " (?:"
    + trie_pattern(_NON_DUTIES["copulas"])
    + ") (?!(?:"
    + trie_pattern(_NON_DUTIES["copula_not_after"])
    + ") )"
)
_DESCRIPTION_MAX_WORDS = 8  # "The survey season is intense." has five
_ZU_INFINITIVE = re.compile(r"\wzu\w*en$")  # "Die Kasse ist abzurechnen": a duty after all
# a verb form after the copula makes it an action: "The stock is rotated daily", "is managing
# budgets", "Die Ware ist geprüft", "Die Daten sind archiviert"
_VERB_FORM = re.compile(r"^(?:\w{3,}(?:ing|ed)|ge\w{3,}(?:t|en)|\w{3,}iert)\W*$")


def _describes_job(words: list[str], padded: str) -> bool:
    """A short sentence that says what something is and holds no action ("The survey season
    is intense.", "Die Arbeit ist abwechslungsreich."): subject, copula ("is", "ist", never
    "will be", "wird": those announce what the holder does), a word or two and no verb form
    ("The stock is rotated daily." is a duty)."""
    if len(words) > _DESCRIPTION_MAX_WORDS or words[0] not in _COPULA_SUBJECTS:
        return False
    match = _COPULA.search(padded, 1 + len(words[0]))  # after the subject's first word
    if match is None:
        return False
    after = padded[match.end() :].split()
    return 1 <= len(after) <= 2 and not any(
        _ZU_INFINITIVE.search(w) or _VERB_FORM.match(w) for w in after
    )


def _shift_only(words: list[str]) -> bool:
    """Every word a shift word, filler or duration, and one shift word at least."""
    shift = False
    for word in words:
        if word in _SHIFT_FILLER or _DURATION.match(word):
            continue
        if not _SHIFT_WORD.match(word):
            return False
        shift = True
    return shift


def _after_opening(words: list[str]) -> list[str]:
    """The words after a subject, article or adverb a statement opens with ("die Teilnahme
    …" → "teilnahme …", "you'll take part …" → "take part …")."""
    i = 0
    while i < len(words) and words[i] in _OPENING_FILLERS:
        i += 1
    return words[i:]


def _shift_participation(core: list[str]) -> bool:
    """Taking part in a shift or on-call system: "teilnahme an der rufbereitschaft …", "take
    part in the on-call and shift rota …" (not "teilnahme an hilfeplangesprächen")."""
    match = _PARTICIPATION.match(" " + " ".join(core) + " ")
    if match is None:
        return False
    after = [w for w in core[len(match.group().split()) :] if w not in _SHIFT_FILLER]
    # the object's head or the word before it ("the out-of-hours on-call rota")
    return any(_SHIFT_WORD.match(w) for w in after[:2])


def _is_target(text: str) -> bool:
    """A target with a rate or a number: "Make 60 outbound calls per day target", "You'll work
    to agreed service levels (currently 95 % …)"."""
    padded = _padded(text)
    return _TARGET.search(padded) is not None and (
        _RATE.search(padded) is not None or _DIGIT.search(text) is not None
    )


def _opens_with_target(text: str) -> bool:
    """A target from its first word on ("Zielvorgabe für die ersten drei Jahre: …"), not a
    duty that names targets among its parts ("lead production …, managing 140 operatives …
    and deliver our output and labour cost targets")."""
    return _TARGET.match(_padded(text)) is not None and _is_target(text)


def non_duty_label(text: str) -> str | None:
    """The label of a statement in a duty list that is no duty of the role, None for a duty.

    Other: a greeting ("Hey du!"), a question ("Lust auf mehr?"), a shift or on-call line
    ("Participate in the on-call rota", "Du arbeitest im Schichtdienst", "die Teilnahme an der
    Rufbereitschaft gehört ebenfalls dazu"), a quota ("Make 60 outbound calls per day
    target", "consistently hitting or exceeding a quarterly quota"), a lone noun naming people
    ("Operateur:innen"). Company: a slogan ("Be part of something bigger!"). Benefit: a
    career or training prospect or stage ("Nach 2 Jahren kannst du deine Ausbildung
    abschließen", "After a preceptorship period", "Progress to senior nurse", "Du durchläufst
    verschiedene Abteilungen"). The cues are data (``non_duties`` in jobad_cues.json).
    """
    stripped = text.strip()
    padded = _padded(stripped)
    words = padded.split()
    if not words:
        return "other"
    exclaimed = stripped.endswith("!")
    if (len(words) <= _GREETING_MAX_WORDS or exclaimed) and _GREETING.match(padded):
        return "other"  # "Hey du!", "Hallo liebe Bewerberinnen und Bewerber!"
    if stripped.endswith("?"):
        return "other"  # "Lust auf mehr?", "Ready for a new challenge?": asks, does not list
    if (exclaimed and _SLOGAN.match(padded)) or _SLOGAN_START.match(padded):
        return "company"
    if _CAREER_START.match(padded):
        return "benefit"
    opener = _TIME_OPENER.match(padded)
    if opener is not None:
        after = words[len(opener.group().split()) :]
        units = [i for i, w in enumerate(after[:4]) if _TIME_UNIT.match(w)]
        # the career word after the unit: "Nach 2 Jahren kannst du …", not "Nach der
        # Ausbildung arbeitest du …"; a bare "After a preceptorship period" on its own
        rest = " " + " ".join(after[units[-1] + 1 :]) + " " if units else ""
        if units and (_CAREER_WORD.search(rest) or (len(words) <= 5 and not rest.strip())):
            return "benefit"
    core = _after_opening(words)
    if _is_target(stripped):
        return "other"
    if (core and (core[0] in _TARGET_VERBS or core[-1] in _TARGET_VERBS)) and _QUOTA.search(padded):
        return "other"  # "consistently hitting a quarterly quota", "Zielvorgaben erreichen"
    if _shift_only(words) or _shift_participation(core):
        return "other"
    if _TRAINING_STAGE.match(" " + " ".join(core) + " "):
        return "benefit"  # "Du durchläufst verschiedene Abteilungen", "rotate into CT"
    if len(stripped.split()) == 1 and stripped.rstrip(".!").lower().endswith(_PERSON_SUFFIXES):
        return "other"
    if _describes_job(words, padded):
        return "other"
    if _where_or_when(stripped, padded):
        return "other"
    return None


def _where_or_when(text: str, padded: str) -> bool:
    """Where or when the work happens, not what it is: working hours as clock times ("Einsätze
    meist von 7:00 bis ca. 15:00 Uhr"), or a travel radius, visits that are "part of the job",
    moving between schools in a statement that does not open like a task ("gelegentlich
    Außentermine im Umkreis von ca. 60 km"; not "Montage beim Kunden, meist im Umkreis von
    60 km", "Home visits to elderly patients")."""
    if _CLOCK_RANGE.search(text):
        return True
    if _WHERE_WHEN.search(padded) is None:
        return False
    words = padded.split()
    # "Du besuchst Kunden im Umkreis von 50 km": the reader and a verb, an action
    if len(words) > 1 and words[0] in _READER and words[1] not in _STATE_VERBS:
        return False
    return not opens_like_task(text, detect_language(text, default="de"))


def _announces_a_list(statement: Statement) -> bool:
    """The last statement of a line ending in ":" that only announces the list after it ("As
    an apprentice you'll:", "Day to day this means:", "Was du bei uns lernst:"): it does not
    open like a task and is short, or it ends in words that hand over to the list ("Working side
    by side with X, you'll:"). "Managing users in Active Directory and Intune:" and "Nach dem
    Studium sind Sie unter anderem im Wach- und Wechseldienst eingesetzt:" are duties."""
    if statement.sentence_index != statement.n_sentences - 1:
        return False
    if not statement.line.rstrip().endswith(":"):
        return False
    words = _padded(statement.text).split()
    if not words:
        return False
    short = len(words) <= _ANNOUNCING_MAX_WORDS and not statement.task_start
    return short or words[-1] in _ANNOUNCING_ENDS


def without_dangling_conjunction(text: str) -> str:
    """A duty without the conjunction a wrapped line opens with ("and recording attendance,
    outcomes" → "recording attendance, outcomes"); other text unchanged."""
    match = _DANGLING.match(_padded(text))
    if match is None or (not text[:1].islower() and text[:1] != "&"):
        return text
    n = len(match.group().split())
    rest = text.split(None, n)
    return rest[n].lstrip(" ,") if len(rest) > n else text


_PUNCTUATION = re.compile(r"[^\w\s'€£$%&+-]")
_WHITESPACE = re.compile(r"\s++")

# Contact details: an e-mail address (from the start of its run of address characters only),
# a web address, a phone number (bounded), a postcode with a town.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}+@[\w-]{1,63}+\.[a-zA-Z]")
_URL = re.compile(
    r"https?://|(?<![\w@])www\.|(?<=\w)\.(?:de|com|org|net|io|eu|at|ch|uk|jobs|info)(?:/|\b(?![.-]\w))"
)
_PHONE = re.compile(
    r"(?<![\w+,.])(?:\+\d{1,3}[ ]?(?:\(0\)[ ]?)?|\(?0)\d{1,5}\)?(?:[ /-]?+\d){4,12}+(?!\d)"
)
# "63741 Aschaffenburg" after a comma or separator, a UK postcode ("NN11 4RX").
_POSTCODE = re.compile(
    r"(?:^|, |· |\| )\d{5} [A-ZÄÖÜ][a-zäöüß]|\b[A-Z]{1,2}\d{1,2}[A-Z]? \d[A-Z]{2}\b"
)
# "Bewerbungen bis zum 30.04.", "closing date 14 June" (the field names are cues of their own).
_DEADLINE = re.compile(
    r"(?i:\bbis (?:zum|spätestens)|\bspätestens(?: am| bis)?|closing date|deadline|apply by)"
    r"\s*+:?\s*+\d{1,2}(?:\.|\s[A-Za-z])"
)
# "Kennziffer GS-CH-0915", "ref NET-034", "Job reference: 254-ICU-0412": a name and a code.
_REFERENCE = re.compile(
    r"(?i:\b(?:kennziffer|referenz(?:nummer)?|stellen-?id|job-?id|ref(?:erence)?(?: no| number)?"
    r"|ausschreibungs-?nr|stellennummer)\.?)\s*+[:#]?\s*+(?=[A-Z0-9/-]{0,24}\d)"
)
_DIGIT = re.compile(r"\d")  # _PHONE, _POSTCODE, _DEADLINE and _REFERENCE cannot match without one
# What of _MONEY can match without a digit.
_MONEY_WORDS = re.compile(r"\bbrutto\b|\bgross\b", re.IGNORECASE)
_MONEY = re.compile(
    r"[€£$]\s?+\d|\d(?:[\d.,]{0,12}+)\s?+(?:€|eur\b|euro\b|k\b|£)|\bbrutto\b|\bgross\b",
    re.IGNORECASE,
)
# The ad's own title line: "Buchhalter (m/w/d) – Vollzeit", "Data Analyst (all genders)".
_TITLE_LINE = re.compile(
    r"\((?:\s*+[mwfdxi]\s*+[/|,]\s*+){1,3}[mwfdxi]\s*+\)|\(all genders\)|\(gn\*?\)|\(d/m/w\)",
    re.IGNORECASE,
)
_FIRST_PERSON_PLURAL = frozenset(
    "wir unser unsere unserem unseren unserer we our we're at bei".split()
)
_SECOND_PERSON = re.compile(r"(?i:\b(?:du|dich|dir|dein\w*|you|you'll|you're|your)\b)|\bSie\b")


# The parser asks for a statement's padded form seven times on average (cue rules, conditions,
# lead-ins, non-duties, reporting lines): the forms of short texts are kept, at most
# _PADDED_MAX of them (~2 MB), all dropped when full.
_PADDED_MEMO: dict[str, str] = {}
_PADDED_MAX = 4_096
_PADDED_MAX_CHARS = 300


def _padded(text: str) -> str:
    found = _PADDED_MEMO.get(text)
    if found is not None:
        return found
    lowered = text.lower().replace("’", "'")
    padded = " " + _WHITESPACE.sub(" ", _PUNCTUATION.sub(" ", lowered)).strip() + " "
    if len(text) <= _PADDED_MAX_CHARS:
        if len(_PADDED_MEMO) >= _PADDED_MAX:
            _PADDED_MEMO.clear()
        _PADDED_MEMO[text] = padded
    return padded


# "you will keep the books", "you'll also lead shifts" (not "you will have", "you'll join").
_YOU_WILL_DO = re.compile(
    r" you(?: will|'ll|’ll) (?:also |then |mainly |usually |often )?+(?!(?:"
    + "|".join(re.escape(w) for w in _CUES["you_will_not_duties"])
    + r") )[a-z]"
)
# A sentence about a named third party: "Die Hartwig AG betreut …", "The centre is …".
_ARTICLE_START = re.compile(
    r"^(?:Die|Der|Das|The|At|Bei|Im|In der|In unserem|In unserer)\s++[A-ZÄÖÜ0-9]"
)


def _money(text: str, has_digit: bool) -> bool:
    """``_MONEY.search(text)`` (without a digit only its words can match)."""
    return (_MONEY if has_digit else _MONEY_WORDS).search(text) is not None


def cue_label(text: str) -> str:
    """The label the cue words of one statement suggest, "" when none does."""
    return _cue_label(text, _padded(text), _DIGIT.search(text) is not None)


def _cue_label(text: str, padded: str, has_digit: bool) -> str:
    key = padded.strip()
    if key in _OTHER_LINES:
        return "other"
    if key in _HEADINGS:  # "Interesse?" alone
        return "other" if _HEADINGS[key] in ("duty", "continue") else _HEADINGS[key]
    addressed = _SECOND_PERSON.search(text) is not None  # "Sie betreuen unsere Mandanten"
    for label in ("other", "contact"):
        if _LINE_CUES[label].search(padded):
            return label
    duty_role = _LINE_CUES["duty_role"].search(padded) and not _LINE_CUES["duty_role_not"].search(
        padded
    )
    if not addressed and not duty_role and _LINE_CUES["contact_weak"].search(padded):
        return "contact"
    if duty_role or _LINE_CUES["duty"].search(padded) or _YOU_WILL_DO.search(padded):
        return "duty"
    if _money(text, has_digit):
        return "benefit"
    for label in ("requirement", "benefit"):
        if _LINE_CUES[label].search(padded):
            return label
    if " bring" in padded and padded.endswith(" mit "):
        return "requirement"  # "Sie bringen … mit"
    if not addressed:
        if _LINE_CUES["company"].search(padded) or _ARTICLE_START.match(text):
            return "company"
        first = key.split(" ", 1)[0]
        if first in _FIRST_PERSON_PLURAL:
            return "company"
    return ""


def is_condition(text: str) -> bool:
    """Whether a statement is a working condition rather than a duty ("Bereitschaft zu
    Schichtarbeit", "Working at different sites across the North West")."""
    return _CONDITION.match(_padded(text)) is not None


def duty_part_label(text: str) -> str | None:
    """The label of a duty statement, or of one part of it, that is no duty: "other" for a
    working condition or a bare lead-in ("Key responsibilities include"),
    "requirement" for what the applicant brings ("Hold an Oregon Food Handler card", "Have
    some experience leading a team"); None for a duty."""
    padded = _padded(text)
    if _CONDITION.match(padded):
        return "other"
    if is_lead_in(text):
        return "other"
    non_duty = non_duty_label(text)
    if non_duty is not None:
        return non_duty
    if _DUTY_PART_STARTS["requirement"].match(padded) or (
        _HOLDING.match(padded) and _CREDENTIAL.search(padded)
    ):
        return "requirement"
    return None


def _line_kind(statement: str) -> tuple[str, str, bool]:
    """(strong label, cue label, money) of one statement."""
    padded = _padded(statement)
    has_digit = _DIGIT.search(statement) is not None
    return (
        _strong_label(statement, padded, has_digit),
        _cue_label(statement, padded, has_digit),
        _money(statement, has_digit),
    )


# A statement that opens with how to reach someone: "Tel. ___", "E-Mail", "Phone".
_CONTACT_START = re.compile(
    r"^(?i:tel|telefon|fon|fax|mobil|handy|e-?mail|mail|phone|mobile|web|www|kontakt|contact)"
    r"(?![\w-])"
)


# A line that ends naming the person to write to: "Rheinwerk Logistik GmbH, Frau Sabine Kortmann".
_CONTACT_PERSON = re.compile(
    r"(?:^|,\s*+)(?:Frau|Herrn?|Mr\.?|Mrs\.?|Ms\.?)\s++(?:Dr\.\s++)?"
    r"[A-ZÄÖÜ][\w.-]*+(?:\s++[A-ZÄÖÜ][\w-]*+){0,2}$"
)


def _is_phone(text: str) -> bool:
    """A phone number has nine digits or more ("0211 123456-78"; not "DIN VDE 0100-600")."""
    return any(sum(c.isdigit() for c in m.group()) >= 9 for m in _PHONE.finditer(text))


def strong_label(text: str) -> str:
    """A label no heading overrides: contact details, the ad's title, legal boilerplate."""
    return _strong_label(text, _padded(text), _DIGIT.search(text) is not None)


# A sentence that opens by offering ("Wir bieten …", "We offer …", "Dich erwartet …"): what the
# employer gives, whatever its first person says about the company.
_OFFER = _starts_pattern(_CUES["offer_starts"])


def _strong_label(text: str, padded: str, has_digit: bool) -> str:
    if "@" in text and _EMAIL.search(text):
        return "contact"
    if ("." in text or "://" in text) and _URL.search(text):  # no address without either
        return "contact"
    if has_digit and _is_phone(text):
        return "contact"
    if _CONTACT_START.match(text) or _CONTACT_PERSON.search(text):
        return "contact"
    if has_digit and (_POSTCODE.search(text) or _REFERENCE.search(text) or _DEADLINE.search(text)):
        return "contact"
    if _TITLE_LINE.search(text):
        return "other"
    if _LINE_CUES["other"].search(padded):
        return "other"
    if _OFFER.match(padded):
        return "benefit"  # "Wir bieten 30 Tage Urlaub und ein Jobrad"
    return ""


# --- reading an ad ------------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """One statement of an ad with what the parser saw around it (the classifier's input)."""

    text: str
    line: str  # the line it came from, bullet removed
    section: str | None  # label of the last heading (None before the first)
    inline: str | None  # label of an inline heading or field on its line ("Pay: …")
    bullet: bool
    line_index: int  # among the ad's non-empty, non-heading lines
    n_lines: int
    sentence_index: int  # within its line
    n_sentences: int
    headings_before: int  # headings seen before it
    duty_heading: bool  # the ad has a duties heading somewhere
    cue: str  # cue_label(text)
    strong: str  # strong_label(text)
    money: bool
    task_start: bool  # opens like a task: a verb, gerund or German action noun
    title: bool  # the ad's first line and reads like a job title
    task_list: bool  # the whole text is a plain task list: no headings, mostly task-shaped
    # names the company or its places in the ad's header, no action ("Werk Tettau (Oberfranken)")
    name_line: bool = False
    # the cue labels ("none" without one) and task shapes of the statements before and after
    # it ("" and False at the ends)
    previous_cue: str = ""
    next_cue: str = ""
    previous_task: bool = False
    next_task: bool = False

    @functools.cached_property
    def rule(self) -> str:
        """The cue rules' label (:func:`rule_label`)."""
        return rule_label(self)  # rule_label(self), filled in by read_ad


@dataclass(frozen=True)
class _Line:
    heading: str | None
    inline: str | None
    bullet: bool
    statements: tuple[str, ...]
    cues: tuple[str, ...]
    strongs: tuple[str, ...]
    money: tuple[bool, ...]
    task_starts: tuple[bool, ...]
    line: str
    title_like: bool = False  # reads like a job title ("Accounts Payable Clerk – Warrington")


def _line_entry_size(line: str, read: _Line) -> int:
    return (
        sys.getsizeof(line)
        + sys.getsizeof(read.line)
        + 400
        + sum(64 + sys.getsizeof(s) for s in read.statements)
    )


@byte_cached(config.cache_bytes("job_ad_lines"), name="job_ad_lines", sizeof=_line_entry_size)
def _read_line(raw_line: str) -> _Line:
    """What one line is, apart from the lines around it: a heading, or statements with cues.

    Cached: postings repeat the same lines (duties, benefits, boilerplate) over and over; only
    the section a line falls in depends on the lines around it.
    """
    bullet = _BULLET.match(raw_line) is not None
    line = _BULLET.sub("", raw_line).strip() if bullet else raw_line.strip()
    if not line:
        return _Line(None, None, bullet, (), (), (), (), (), "")
    kind = heading_kind(line)
    if kind is not None:
        return _Line(kind, None, bullet, (), (), (), (), (), line)
    inline = None
    body = line
    found = inline_field(line)
    if found is not None:
        inline, offset = found
        body = line[offset:]
    statements = tuple(_sentences(body))
    kinds = [_line_kind(s) for s in statements]
    return _Line(
        None,
        inline,
        bullet,
        statements,
        tuple(cue for _, cue, _ in kinds),
        tuple(strong for strong, _, _ in kinds),
        tuple(money for _, _, money in kinds),
        tuple(opens_like_task(s, detect_language(s, default="de")) for s in statements),
        line,
        len(statements) == 1 and _looks_like_title(line),
    )


_TITLE_WORDS = frozenset(_CUES["title_words"])
_TITLE_MARKERS = _cue_pattern(_CUES["title_markers"])
_TITLE_DASH = re.compile(r"\s[–—|]\s|\s-\s")
_TITLE_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]++")


def _looks_like_title(line: str) -> bool:
    """A job title: a gender tag, a dash between a short title and its details ("Warehouse
    Operative – Nights"), "wanted", or a title noun ("Accounts Payable Clerk")."""
    if _TITLE_LINE.search(line):
        return True
    if len(line) > 120 or line.rstrip().endswith((".", ":", ";")):
        return False
    head = _TITLE_DASH.split(line, maxsplit=1)[0]
    words = _TITLE_WORD.findall(head.split("(", 1)[0])
    if not 0 < len(words) <= 6:
        return False
    if _TITLE_DASH.search(line) or _TITLE_MARKERS.search(_padded(line)):
        return True
    return words[-1].lower() in _TITLE_WORDS and not opens_like_task(
        line, detect_language(line, default="de")
    )


def _names_only(text: str) -> bool:
    """A fragment naming a company or places ("Hallenbäder in Gera und Zeulenroda", "Hollow
    Reed Audio", "Erdbau Rautenberg – Lüneburg und Umgebung"): a few words, every lower-case
    one a link between names, nothing that ends a sentence, and no list of three or more
    ("Spargelstechen, Erdbeerpflücken, Sortieren und Verpacken" lists duties)."""
    if text.rstrip().endswith((".", "!", "?", ":")) or len(_LIST_SEPARATOR.findall(text)) >= 2:
        return False
    words = _TITLE_WORD.findall(text)
    return (
        0 < len(words) <= _NAME_MAX_WORDS
        and all(w[:1].isupper() or w.lower() in _NAME_LINKS for w in words)
        and _SECOND_PERSON.search(text) is None
    )


_NAME_MAX_WORDS = 8
# what marks a header line as naming the company or its places, not a duty of a task list
# without bullets ("Koch (m/w/d)" | "Frühstück und Mittagessen für Gäste"): a legal form, a
# place after a dash or a middle dot, or one in brackets ("Werk Tettau (Oberfranken)")
_LEGAL_FORM = re.compile(
    r"\b(?:GmbH|gGmbH|mbH|AG|KG|KGaA|OHG|UG|SE|e\.\s?V\.|eG|Ltd|Limited|Inc|LLC|LLP|PLC|plc|"
    r"Co\.|Corp|NHS|Trust|Council)\b"
)
_NAME_SEPARATOR = re.compile(r"\s[–—·|]\s|\((?![mwdfxMWDFX]\s*/)[^)]*[A-ZÄÖÜ][^)]*\)")


def _name_sign(line: str) -> bool:
    """Does a header line show a sign of naming a company or places: a legal form (GmbH, Ltd
    …), a dash or middle dot between names ("Hollow Reed Audio · Hackney Wick"), a place in
    brackets ("Werk Tettau (Oberfranken)") that is no gender marker ("(m/w/d)")?"""
    return _LEGAL_FORM.search(line) is not None or _NAME_SEPARATOR.search(line) is not None


_LIST_SEPARATOR = re.compile(r",|\s(?:und|and|oder|or|&)\s")


def _header_lines(lines: list[_Line]) -> int:
    """How many of the ad's first lines are its header: the title's line and the line after it
    (0 without a title in the first line, or where a heading comes first)."""
    if not lines or lines[0].heading is not None or not lines[0].statements:
        return 0
    first = lines[0]
    if not (first.title_like or any(_TITLE_LINE.search(s) for s in first.statements)):
        return 0
    return 2 if len(lines) > 1 and lines[1].heading is None else 1


def read_ad(text: str) -> tuple[list[Statement], bool]:
    """The ad's statements with their context, and whether it had any heading."""
    lines = [_read_line(raw) for raw in strip_markup(text).split("\n")]
    lines = [line for line in lines if line.line]
    header = _header_lines(lines)
    duty_heading = any(line.heading == "duty" or line.inline == "duty" for line in lines)
    n_lines = sum(line.heading is None for line in lines)
    # (line, statement index, section, inline label, headings before, line index) per statement
    placed: list[tuple[_Line, int, str | None, str | None, int, int]] = []
    section: str | None = None
    headings = 0
    index = 0
    for line in lines:
        if line.heading is not None:
            headings += 1
            if line.heading and line.heading != "continue":
                section = line.heading
            continue
        inline = section if line.inline == "continue" else line.inline
        placed += [(line, i, section, inline, headings, index) for i in range(len(line.statements))]
        if line.inline in _HEADING_LABELS and _is_inline_heading(line.line):
            # "Ihre Aufgaben: …" opens a section as a heading does; "Pay: …" stays on its line
            section = line.inline
            headings += 1
        index += 1
    starts = [line.task_starts[i] for line, i, *_ in placed]
    task_list = (
        not any(line.heading is not None or line.inline is not None for line in lines)
        and bool(starts)
        and sum(starts) >= 0.6 * len(starts)
    )
    cues = [line.cues[i] or line.strongs[i] or "none" for line, i, *_ in placed]
    out = [
        Statement(
            text=line.statements[i],
            line=line.line,
            section=section,
            inline=inline,
            bullet=line.bullet,
            line_index=index,
            n_lines=n_lines,
            sentence_index=i,
            n_sentences=len(line.statements),
            headings_before=headings,
            duty_heading=duty_heading,
            cue=line.cues[i],
            strong=line.strongs[i],
            money=line.money[i],
            task_start=line.task_starts[i],
            title=line.title_like and index == 0 and headings == 0 and n_lines > 1,
            task_list=task_list,
            name_line=(
                index < header
                and not line.title_like  # the title itself stays the title
                and not line.task_starts[i]
                and line.cues[i] in ("", "company")
                and not line.strongs[i]
                and _names_only(line.statements[i])
                and _name_sign(line.line)
            ),
            previous_cue=cues[k - 1] if k else "",
            next_cue=cues[k + 1] if k + 1 < len(placed) else "",
            previous_task=bool(k and starts[k - 1]),
            next_task=k + 1 < len(placed) and starts[k + 1],
        )
        for k, (line, i, section, inline, headings, index) in enumerate(placed)
    ]
    return out, headings > 0


_HEADING_LABELS = frozenset(LABELS)


def _is_inline_heading(line: str) -> bool:
    match = _INLINE_FIELD.match(line)
    return match is not None and _lookup(_heading_key(match.group(1)), fields=False) is not None


def rule_label(statement: Statement) -> str:
    """The cue rules' label for one statement."""
    if statement.strong:
        return statement.strong
    if statement.title:
        return "other"  # the ad's own title
    if statement.name_line:
        return "company"  # "Werk Tettau (Oberfranken)" beside the title: no duty
    kind = statement.inline or statement.section
    if kind == "duty":
        # prose under "About the role" may still describe the company ("The centre is …")
        if statement.cue == "company" and not statement.bullet:
            return "company"
        return "duty"
    if kind:
        return kind
    if statement.task_list and statement.task_start and statement.cue not in ("contact", "other"):
        # a pasted task list: "Notify the pension fund …" is a duty, not a benefit
        return "duty"
    if statement.cue:
        return statement.cue
    if statement.money:
        return "benefit"
    # Outside every section of an ad that marks its duties with a heading, nothing is a duty.
    return "company" if statement.duty_heading else "duty"


Labeller = Callable[[list[Statement]], list[str]]


def label_rules(statements: list[Statement]) -> list[str]:
    """Label statements by the cue rules (where no classifier is installed, and to compare)."""
    return [s.rule for s in statements]


# --- parsing ------------------------------------------------------------------------------


def _language(statements: list[Statement]) -> str:
    return detect_language(" ".join(s.text for s in statements[:40]), default="de")


def parse_job_ad(text: str, labeller: Labeller | None = None, split: bool = True) -> ParsedAd:
    """Parse free text or a whole job ad into duties and ignored statements.

    Each statement is labelled from its words and context (``labeller``: the shipped line
    classifier, else the cue rules); duty statements that coordinate several duties are split
    into them. With the default labeller and splitting the result is kept in a bounded cache
    (:func:`parse_job_ads`).
    """
    if labeller is None and split:
        return parse_job_ads([text])[0]
    statements, had_headings = read_ad(text)
    if not statements:
        return ParsedAd(had_headings=had_headings)
    labels = (labeller or default_labeller())(statements)
    return _parsed(statements, had_headings, labels, split)


def _parsed(
    statements: list[Statement], had_headings: bool, labels: list[str], split: bool = True
) -> ParsedAd:
    """The ad's duties (split where they coordinate several) and what was set aside."""
    result = ParsedAd(had_headings=had_headings)
    language = _language(statements) if split else ""
    for statement, label in zip(statements, labels, strict=True):
        if label == "duty" and not split and is_condition(statement.text):
            label = "other"
        # a lead-in line, or a target whose parts would each look like a duty ("Zielvorgabe
        # …: Steigerung der OEE auf über 80 % und Senkung der Ausschussquote unter 1,5 %")
        if label == "duty" and (_announces_a_list(statement) or _opens_with_target(statement.text)):
            label = "other"
        if label != "duty":
            _ignore(result, label, statement.text)
        elif not split:
            result.duties.append(statement.text)
        else:
            text = _without_delegated(statement.text, result)
            if not text:
                continue
            # "and recording attendance, outcomes and …" (a wrapped line): the conjunction
            # it opens with joins nothing inside it
            parts = split_coordinated(without_dangling_conjunction(text), language)
            for duty in parts:
                duty = without_dangling_conjunction(_after_reporting_line(duty, result))
                if _reporting_line(duty) and (len(parts) > 1 or _names_one_person(duty)):
                    kind: str | None = "other"  # "Reporting to the CRO" cut off its sentence
                else:
                    kind = duty_part_label(duty)
                if kind is None:
                    result.duties.append(duty)
                else:
                    _ignore(result, kind, duty)
    return result


def _without_delegated(text: str, result: ParsedAd) -> str:
    """``text`` without its clauses about work someone else does ("Angebote und Aufmaß macht
    unser Büro – Sie melden nur Material und Stunden" → "Sie melden nur Material und
    Stunden"), which are set aside as other; "" when nothing else is left."""
    if _DELEGATED.search(_padded(text)) is None:
        return text
    kept: list[str] = []
    after_delegated = False
    for clause in _clauses(text):
        padded = _padded(clause)
        if _DELEGATED.search(padded) is None:
            if after_delegated and _FOLLOWS_DELEGATED.match(clause):
                _ignore(result, "other", clause)
                continue
            kept.append(clause)
            after_delegated = False
            continue
        after_delegated = True
        if kept and _BACK_REFERENCE.search(padded):  # "… – das macht unser Team": that too
            _ignore(result, "other", kept.pop())
        _ignore(result, "other", clause)
    return "; ".join(kept)


def _clauses(text: str) -> list[str]:
    """A statement's clauses (:data:`_CLAUSE_BREAK`); a clause of comma-parted sentences of
    three words or more each is parted too ("Die Frachten erfassen Sie im TMS, die Rechnungen
    verschickt unsere Buchhaltung"; not "Angebote, Aufmaß und Abrechnung macht unser Büro")."""
    out = []
    for clause in _CLAUSE_BREAK.split(text):
        clause = clause.strip(" ,.")
        if not clause:
            continue
        parts = [p.strip() for p in clause.split(", ")]
        if len(parts) > 1 and all(len(p.split()) >= 3 for p in parts):
            out += parts
        else:
            out.append(clause)
    return out


def _after_reporting_line(duty: str, result: ParsedAd) -> str:
    """The duty after a reporting line that opens it ("Reporting to the CRO, you'll own the
    number for the region" → "you'll own the number for the region"); the line itself is set
    aside as other."""
    head, comma, rest = duty.partition(", ")
    if comma and rest and _reporting_line(head):
        _ignore(result, "other", head)
        return rest
    return duty


def _names_one_person(text: str) -> bool:
    """A short line naming one person ("Reporting to the Night Shift Manager"), not the bodies
    a role reports to ("Reporting to the Executive Team and Audit & Risk Committee")."""
    words = text.split()
    return len(words) <= 8 and not any(
        w.lower() in ("and", "und", "&", "on", "über") for w in words
    )


_DETERMINERS = frozenset("the our a an die den der dem das unsere unserer unseren".split())


def _reporting_line(text: str) -> bool:
    """Does a text open with whom the role reports to ("Reporting to the Chief Revenue
    Officer", "Sie berichten direkt an die Geschäftsführung"), not what is reported to whom
    ("reporting to clients")?"""
    match = _DUTY_PART_STARTS["other"].match(_padded(text))
    if match is None:
        return False
    words = _PUNCTUATION.sub(" ", text).split()[len(match.group().split()) :]
    while words and words[0].lower() in _DETERMINERS:
        words = words[1:]
    return bool(words) and words[0][:1].isupper()


def _ignore(result: ParsedAd, label: str, text: str) -> None:
    result.found[label] = result.found.get(label, 0) + 1
    result.ignored.setdefault(SECTION_OF_LABEL[label], []).append(text)


# text → its ParsedAd as tuples (duties, ignored items, had_headings, found items)
_Frozen = tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...], bool, tuple]


def _parsed_size(text: str, frozen: _Frozen) -> int:
    duties, ignored, _, _ = frozen
    held = sum(map(sys.getsizeof, duties)) + sum(sys.getsizeof(t) for _, ts in ignored for t in ts)
    return sys.getsizeof(text) + held + 64 * (len(duties) + len(ignored)) + 300


_PARSED = BoundedCache(config.cache_bytes("job_ads"), name="job_ads", sizeof=_parsed_size)
cache.REGISTRY[_PARSED.name] = _PARSED  # listed with the byte_cached ones (tests, reports)


def _freeze(parsed: ParsedAd) -> _Frozen:
    ignored = tuple((k, tuple(v)) for k, v in parsed.ignored.items())
    return tuple(parsed.duties), ignored, parsed.had_headings, tuple(parsed.found.items())


def _thaw(frozen: _Frozen) -> ParsedAd:
    duties, ignored, had_headings, found = frozen
    return ParsedAd(list(duties), {k: list(v) for k, v in ignored}, had_headings, dict(found))


def parse_job_ads(texts: Sequence[str]) -> list[ParsedAd]:
    """:func:`parse_job_ad` of each text (default labeller, duties split), in order.

    The statements of all texts not parsed before go through the line classifier in one call:
    its cost is mostly per call (numpy), not per statement, and which statements share a call
    does not change a label. Each result is kept in a bounded cache (``job_ads``): postings and
    HR systems send the same descriptions again and again. A hit is a fresh copy of exactly
    what was computed.
    """
    found = _PARSED.get_many(list(texts))
    missing = list(dict.fromkeys(t for t, hit in zip(texts, found, strict=True) if hit is None))
    if missing:
        read = [read_ad(text) for text in missing]
        labels = _labels([statements for statements, _ in read if statements])
        fresh = {}
        for text, (statements, had_headings) in zip(missing, read, strict=True):
            parsed = (
                _parsed(statements, had_headings, next(labels))
                if statements
                else ParsedAd(had_headings=had_headings)
            )
            fresh[text] = _freeze(parsed)
        _PARSED.update_many(fresh.items())
        found = [fresh[t] if hit is None else hit for t, hit in zip(texts, found, strict=True)]
    return [_thaw(frozen) for frozen in found]


def _labels(ads: list[list[Statement]]) -> Iterator[list[str]]:
    """Each ad's labels by the default labeller, the classifier called once for all ads."""
    model = _default_model()
    if model is None:
        return (label_rules(statements) for statements in ads)
    return iter(_classifier_labels(model, ads))


def _rules_decide(statements: list[Statement]) -> bool:
    """One to three statements without any heading are no ad, whose shapes the classifier
    learned, but a duty or two written out: the cue rules decide (they keep 96 % of single
    corpus statements, the classifier 84 %)."""
    return len(statements) <= SHORT_TEXT and not any(
        s.section or s.inline or s.headings_before for s in statements
    )


def _classifier_labels(model: LineClassifier, ads: list[list[Statement]]) -> list[list[str]]:
    """The labels of each ad's statements: the cue rules for short texts, else the classifier
    (one call for all ads) where the parser is not certain itself."""
    by_rules = [_rules_decide(statements) for statements in ads]
    flat = [
        s for statements, rules in zip(ads, by_rules, strict=True) if not rules for s in statements
    ]
    predicted = iter(model.label(flat, [_under_duty_heading(s) for s in flat]))
    out = []
    for statements, rules in zip(ads, by_rules, strict=True):
        if rules:
            out.append(label_rules(statements))
            continue
        # every statement takes its prediction, even where the parser's certainty overrides it
        own = [next(predicted) for _ in statements]
        title = statements[0].text if statements else ""
        out.append(
            [
                s.strong
                or s.inline
                or ("company" if s.name_line else "")
                or _lead_in(s)
                or _holder_will_do(s.text, title)
                or p
                for s, p in zip(statements, own, strict=True)
            ]
        )
    return out


# "The Senior Hydrogeologist will lead …": the role's title (capitalised words), "will", a verb
_HOLDER_WILL = re.compile(r"^The ((?:[A-Z][\w/&-]*+ ){1,5}+)will ([a-z]\w*+)")
_NOT_DUTY_AFTER_WILL = frozenset(w for w in _CUES["you_will_not_duties"] if " " not in w)


def _holder_will_do(text: str, title: str) -> str:
    """ "duty" for a sentence whose subject is the ad's own title and that says what its holder
    will do ("The Senior Hydrogeologist will lead groundwater investigations …" in an ad titled
    "Senior Hydrogeologist"), wherever it stands: a company paragraph around it does not make it
    the company's. Not for what the holder will have, be or join ("The Senior Hydrogeologist
    will have 8 years …"); "" otherwise."""
    match = _HOLDER_WILL.match(text)
    if match is None or match.group(2) in _NOT_DUTY_AFTER_WILL:
        return ""
    return "duty" if title.startswith(match.group(1).strip()) else ""


def _under_duty_heading(statement: Statement) -> bool:
    """A statement of a list under a duties heading ("Ihre Aufgaben", "Key responsibilities"):
    a duty where the classifier finds duty its likeliest label, even below its threshold
    ("Assisting with planning appeals … where required", duty 0.56, requirement 0.43)."""
    return statement.section == "duty" and statement.inline is None and statement.bullet


def _lead_in(statement: Statement) -> str:
    """ "duty" for a statement that opens by announcing duties ("The role involves planning
    and delivering sessions …", "The job is varied and will include tractor work …"), as a
    line opening with "Aufgaben:" does; "" otherwise. Only outside any section or under a duties
    heading: under "What we offer" the same opening names benefits ("The role includes a
    company car …")."""
    if statement.section not in (None, "duty"):
        return ""
    return "duty" if opens_with_lead_in(statement.text) else ""


def classifier_labeller(model: LineClassifier) -> Labeller:
    """Label statements by the line classifier; the parser's own certainties stand: contact
    details, legal boilerplate and titles (:func:`strong_label`), and the name a line opens
    with ("Aufgaben: …", "Pay: …"). Short texts without headings go by the cue rules
    (:func:`_rules_decide`)."""

    def label(statements: list[Statement]) -> list[str]:
        return _classifier_labels(model, [statements])[0]

    return label


SHORT_TEXT = 3  # statements; see _rules_decide
_DEFAULT: list[LineClassifier | None] = []


def _default_model() -> LineClassifier | None:
    """The shipped line classifier, loaded once; None where its data files are not installed."""
    if not _DEFAULT:
        from risk_service import lineclassifier

        _DEFAULT.append(lineclassifier.load_default())
    return _DEFAULT[0]


def default_labeller() -> Labeller:
    """The shipped line classifier if its data files are installed, else the cue rules."""
    model = _default_model()
    return classifier_labeller(model) if model is not None else label_rules
