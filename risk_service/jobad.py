"""Job ad → sections → duty statements.

A role description can be a task list, a paragraph or a whole job ad in HTML or Markdown.
Only duties are tasks: requirements, benefits and company blurbs are set aside (and reported),
because scoring "30 Tage Urlaub" as a task would move the score for no reason.
"""

from __future__ import annotations

import html
import re
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

from risk_service import config
from risk_service.cache import byte_cached

# Every pattern below runs on request text (up to 20,000 characters) in time linear in it:
# whitespace runs are taken whole by possessive quantifiers (``\s*+``) where the next token
# cannot be whitespace, and where a failed match would be retried from each of many start
# positions over the same text, the pattern (or its caller) skips that text instead.
# tests/test_redos.py holds each pattern to a time bound on adversarial input.

# Heading cues per section kind, both languages. Matched against short heading-like lines.
_HEADING_CUES: dict[str, tuple[str, ...]] = {
    "duties": (
        "aufgaben",
        "deine aufgaben",
        "ihre aufgaben",
        "tätigkeiten",
        "ihr aufgabengebiet",
        "was dich erwartet",
        "was sie erwartet",
        "das erwartet",
        "verantwortlichkeiten",
        "dein job",
        "ihre rolle",
        "deine rolle",
        "aufgabenbereich",
        "stellenbeschreibung",
        "responsibilities",
        "your tasks",
        "duties",
        "what you will do",
        "what you'll do",
        "the role",
        "your role",
        "key responsibilities",
        "tasks",
        "job description",
        "in this role",
        "your job",
        "day to day",
        "day-to-day",
    ),
    "requirements": (
        "profil",
        "ihr profil",
        "dein profil",
        "das bringen sie mit",
        "das bringst du mit",
        "anforderungen",
        "qualifikation",
        "voraussetzungen",
        "was du mitbringst",
        "was sie mitbringen",
        "wen wir suchen",
        "requirements",
        "what you bring",
        "qualifications",
        "your profile",
        "who you are",
        "skills",
        "must have",
        "nice to have",
        "what we are looking for",
        "what we're looking for",
        "about you",
        "you have",
        "you bring",
    ),
    "benefits": (
        "wir bieten",
        "was wir bieten",
        "unser angebot",
        "benefits",
        "deine vorteile",
        "ihre vorteile",
        "was wir dir bieten",
        "what we offer",
        "we offer",
        "perks",
        "why join",
        "why us",
        "das bieten wir",
        "vergütung",
        "compensation",
    ),
    "company": (
        "über uns",
        "wer wir sind",
        "unternehmen",
        "about us",
        "who we are",
        "the company",
        "our company",
        "about the company",
        "unser unternehmen",
        "kontakt",
        "contact",
        "bewerbung",
        "how to apply",
        "ansprechpartner",
        "interessiert",
    ),
}

# Sentence-level cues for ads without headings. A line is a duty unless it reads as one of these.
# Word-start phrases (lower case), checked as substrings of " " + line: several times faster
# than one regex alternation per kind, and this runs on every statement of every ad.
_LINE_CUES: dict[str, tuple[str, ...]] = {
    "requirements": (
        "abgeschlossene",
        "ausbildung als",
        "studium",
        "berufserfahrung",
        "erfahrung in",
        "erfahrung im",
        "erfahrung mit",
        "kenntnisse",
        "sprachkenntnisse",
        "führerschein",
        "sie bringen",
        "du bringst",
        "sie verfügen",
        "du verfügst",
        "sie haben",
        "du hast",
        "wünschenswert",
        "von vorteil",
        "idealerweise",
        "you have",
        "you bring",
        "you are",
        "experience in",
        "experience with",
        "experience of",
        "years of",
        "degree in",
        "knowledge of",
        "proficien",
        "fluent",
        "fluency",
        "familiar with",
        "background in",
        "qualification",
        "certified",
        "a plus",
        "nice to have",
        "bachelor",
        "master's",
        "must have",
    ),
    "benefits": (
        "wir bieten",
        "bieten dir",
        "bieten ihnen",
        "urlaub",
        "tage urlaub",
        "gehalt",
        "vergütung",
        "weihnachtsgeld",
        "jobrad",
        "dienstwagen",
        "betriebliche altersvorsorge",
        "homeoffice",
        "home-office",
        "flexible arbeitszeit",
        "gleitzeit",
        "obstkorb",
        "teamevents",
        "zuschuss",
        "we offer",
        "salary",
        "bonus",
        "pension",
        "paid leave",
        "holiday",
        "vacation",
        "remote",
        "hybrid",
        "flexible working",
        "flexible hours",
        "gym",
        "benefits",
        "wellbeing",
        "parental leave",
        "stock options",
    ),
    "company": (
        "wir sind",
        "unser unternehmen",
        "unsere firma",
        "gegründet",
        "mitarbeitende an",
        "marktführer",
        "familienunternehmen",
        "standorte",
        "bewerbung",
        "bewirb dich",
        "ansprechpartner",
        "we are a",
        "we're a",
        "founded",
        "our company",
        "headquartered",
        "market leader",
        "employees in",
        "apply now",
        "send your",
        "equal opportunity",
        "diversity",
        "bewerben sie sich",
        "suchen wir",
        "wir suchen",
        "we are looking for",
        "we're looking for",
        "we are hiring",
        "we're hiring",
        "join our team",
    ),
}
# One alternation per kind: a cue is a substring of " " + the lower-cased line (so most cues
# must start at a word), found in one pass of the regex engine instead of a loop over cues.
_LINE_CUES = {
    kind: re.compile("|".join(re.escape(" " + cue) for cue in cues))
    for kind, cues in _LINE_CUES.items()
}


class _TextExtractor(HTMLParser):
    """HTML → text with one line per block element and a bullet per list item."""

    _BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "tr", "section"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK or tag == "li":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


# The start of a tag; a tag is a start followed by a ">" anywhere later (see _has_html_tag).
_HTML_TAG = re.compile(r"<\s*+/?\s*+[a-zA-Z]")
# [label](url) → label. The second branch takes what the first one scanned when a "[" starts
# no link: no "[" inside that text can start one either (the same "]" or missing ")" follows),
# so a run of 20,000 "[" is read once, not once per "[".
_MD_LINK = re.compile(r"!?\[(?:([^\]]*+)\]\([^)]*+\)|[^\]]*+(?:\]\([^)]*+)?)")
_MD_BOLD = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.MULTILINE)
_MD_CODE = re.compile(r"`([^`]*)`")


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
            text = _LOOSE_TAG.sub(" ", text)
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
    text = text.replace("\u00a0", " ").replace("\r\n", "\n").replace("\r", "\n")
    return text


_BULLET = re.compile(r"^\s*+(?:[-*•·–—▪►✓✔➤→◦o]\s++|\(?\d{1,2}[.)]\s++|[a-z][.)]\s++)")
_ABBREVIATIONS = (
    "z.B.",
    "z. B.",
    "u.a.",
    "u. a.",
    "bzw.",
    "ggf.",
    "inkl.",
    "evtl.",
    "ca.",
    "d.h.",
    "d. h.",
    "usw.",
    "etc.",
    "e.g.",
    "i.e.",
    "vs.",
    "Dr.",
    "Nr.",
    "Str.",
    "bspw.",
    "sog.",
    "insb.",
    "max.",
    "min.",
    "mind.",
    "Abt.",
    "allg.",
    "e.V.",
    "GmbH & Co.",
    "Co.",
    "Inc.",
    "Ltd.",
)
# No split after an ordinal number ("15. Januar") or a single capital ("Max M. Muster").
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\d[.!?])(?<!\s[A-Z][.])\s++(?=[A-ZÄÖÜ\"„(])")
_HEADING_LINE = re.compile(r"^[^.!?;]{2,60}:?$")
# Semicolons and inline bullets. A break starts where a whitespace run starts (or at ";"): one
# that fails from the start of a run fails from inside it too, so those starts are skipped.
_CHUNK_BREAK = re.compile(r"(?:(?<!\s)|(?!\s))(?:\s*+;\s*+|\s++[•·]\s++)")
_WORDLIKE = re.compile(r"[A-Za-zÄÖÜäöüß]{3,}")


@dataclass
class ParsedAd:
    """Duties to score plus what was set aside, by section kind."""

    duties: list[str] = field(default_factory=list)
    ignored: dict[str, list[str]] = field(default_factory=dict)
    had_headings: bool = False


def _alternation(cues, template: str) -> re.Pattern[str]:
    if not cues:
        return re.compile("(?!)")  # matches nothing
    return re.compile(template.format("|".join(re.escape(c) for c in cues)))


# Per kind, one regex per way a cue can make a line a heading (see _heading_kind).
_HEADING_MATCHERS = {
    kind: (
        frozenset(cues),
        _alternation([c for c in cues if " " in c], "^(?:{})"),
        _alternation(cues, "(?:{})"),
        _alternation(cues, " (?:{})$"),
    )
    for kind, cues in _HEADING_CUES.items()
}


def _heading_kind(line: str) -> str | None:
    """Section kind if ``line`` looks like a heading, else None."""
    stripped = line.strip().strip("*_#:").strip()
    if not _HEADING_LINE.match(line.strip()) or len(stripped.split()) > 7:
        return None
    lowered = stripped.lower().rstrip(":").strip()
    ends_colon = line.strip().endswith(":")
    n_words = len(lowered.split())
    for kind, (exact, opening, anywhere, closing) in _HEADING_MATCHERS.items():
        if (
            lowered in exact
            # "Ihre Aufgaben bei uns", "Das bieten wir dir:" — a multi-word cue opening a short
            # line, or any cue inside a line that ends with a colon.
            or (n_words <= 5 and opening.match(lowered))
            or (ends_colon and anywhere.search(lowered))
            # "Your responsibilities", "Key responsibilities", "Ihre neuen Aufgaben"
            or (n_words <= 4 and closing.search(lowered))
        ):
            return kind
    return None


_ABBREVIATION = re.compile("|".join(re.escape(a) for a in sorted(_ABBREVIATIONS, key=len)[::-1]))


def _protect_abbreviations(text: str) -> str:
    """Hide the dots of abbreviations ("z. B.", "e.g.") from the sentence splitter."""
    return _ABBREVIATION.sub(lambda m: m.group().replace(".", "\u2024"), text)


def split_statements(text: str) -> list[str]:
    """Split one block of text into task-sized statements.

    Bullets, numbered items, line breaks, semicolons and sentence ends all separate tasks.
    """
    out: list[str] = []
    for raw_line in text.split("\n"):
        line = _BULLET.sub("", raw_line).strip()
        if not line:
            continue
        if "." in line:
            line = _protect_abbreviations(line)
        for chunk in _CHUNK_BREAK.split(line):
            for sentence in _SENTENCE_END.split(chunk):
                cleaned = sentence.replace("\u2024", ".").strip(" \t-–—,.:")
                if _is_statement(cleaned):
                    out.append(cleaned)
    return out


def _is_statement(text: str) -> bool:
    """At least one word of three letters: drops stray bullets, numbers and punctuation."""
    return _WORDLIKE.search(text) is not None


# The ad's own title line: "Buchhalter (m/w/d) – Vollzeit", "Data Analyst (all genders)".
_TITLE_LINE = re.compile(
    r"\((?:\s*+[mwfdx]\s*+[/|,]\s*+){2}[mwfdx]\s*+\)|\(all genders\)|\(gn\*?\)", re.IGNORECASE
)


_PUNCTUATION = re.compile(r"[^\w\s'-]")


def _line_kind(line: str) -> str:
    if _TITLE_LINE.search(line):
        return "other"
    padded = " " + _PUNCTUATION.sub(" ", line.lower())
    for kind in ("benefits", "company", "requirements"):
        if _LINE_CUES[kind].search(padded):
            return kind
    return "duties"


def parse_job_ad(text: str) -> ParsedAd:
    """Parse free text or a whole job ad into duties and ignored statements.

    With headings, each line belongs to the section of the last heading (text before the first
    heading is classified line by line). Without headings, each statement is classified by cue
    words; duties are the default.
    """
    result = ParsedAd()
    current: str | None = None
    for raw_line in strip_markup(text).split("\n"):
        heading, statements = _read_line(raw_line)
        if heading is not None:
            current = heading
            result.had_headings = True
            continue
        for statement, cue_kind in statements:
            # Under a duties heading trust the heading; elsewhere let cues decide.
            if current == "duties":
                section = "other" if cue_kind == "other" else "duties"
            elif current is not None:
                section = current
            else:
                section = cue_kind
            if section == "duties":
                result.duties.append(statement)
            else:
                result.ignored.setdefault(section, []).append(statement)
    return result


def _line_entry_size(line: str, read: tuple) -> int:
    statements = read[1]  # (statement, kind) pairs; kinds are shared constants
    return sys.getsizeof(line) + 120 + sum(64 + sys.getsizeof(s) for s, _ in statements)


@byte_cached(config.cache_bytes("job_ad_lines"), name="job_ad_lines", sizeof=_line_entry_size)
def _read_line(raw_line: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """A line's heading kind, or its statements each with the kind its cue words suggest.

    Cached: postings repeat the same lines (duties, benefits, boilerplate) over and over, and
    what a line is does not depend on the lines around it; only the section it falls in does.
    """
    if not raw_line.strip():
        return None, ()
    kind = _heading_kind(_BULLET.sub("", raw_line))
    if kind is not None:
        return kind, ()
    return None, tuple((s, _line_kind(s)) for s in split_statements(raw_line))
