"""Text normalisation, German gender forms and language detection.

Kept dependency-free and fast: it runs on every task of every request and inside the
featurisation pipeline.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# "(m/w/d)", "(w/m/d)", "(m/f/d)", "(all genders)", "(gn)" … carry no meaning for the role.
_GENDER_TAG = re.compile(
    r"\(\s*(?:[mwfdxi]\s*[/|,]\s*){1,3}[mwfdxi]\s*\)|\(\s*(?:all genders|gn\*?|d/m/w)\s*\)",
    re.IGNORECASE,
)
# Gender suffixes: Buchhalter/in, Buchhalter/-in, Buchhalter*in, Buchhalter:in, Buchhalter_in,
# BuchhalterIn, Lehrer*innen … → the base form.
_GENDER_SUFFIX = re.compile(r"(?<=\w)(?:/-?|\*|:|_)(?:in|innen)\b|(?<=[a-zäöüß])(?:In|Innen)\b")
# Kaufmann/-frau, Kaufmann/frau, Kauffrau → Kaufmann; Fachmann/-frau → Fachmann.
_MANN_FRAU = re.compile(r"(mann)\s*/\s*-?\s*(?:\w*frau)\b|\b(\w+)frau\b", re.IGNORECASE)
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


@functools.lru_cache(maxsize=50_000)
def normalise_title(title: str) -> str:
    """Lower-cased, gender-neutral, whitespace-collapsed title used for matching."""
    text = neutralise_gender(unicodedata.normalize("NFC", title)).lower()
    words = [_SPECIAL_FEMININE.get(w, w) for w in re.findall(r"[\wäöüß]+", text)]
    text = " ".join(words)
    return _FEMININE_ER.sub(r"\1", text)


@functools.lru_cache(maxsize=50_000)
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
_DE_CHARS = re.compile(r"[äöüß]")
_WORD = re.compile(r"[a-zäöüß]+")


def detect_language(text: str, default: str = "en") -> str:
    """Return "de" or "en" from function words and German letters; ``default`` when unsure."""
    lowered = text.lower()
    words = _WORD.findall(lowered)
    de = sum(w in _DE_WORDS for w in words) + 2 * len(_DE_CHARS.findall(lowered))
    en = sum(w in _EN_WORDS for w in words)
    # German nouns are capitalised and often end in -ung/-keit/-heit/-ion: a weak extra cue.
    de += sum(w.endswith(("ung", "ungen", "keit", "heit", "schaft")) for w in words) * 0.5
    if de == en:
        return default
    return "de" if de > en else "en"
