"""Per-task advice: automate, assist (a hybrid: AI drafts, a person decides) or keep it human.

The advice follows the article's hybrid model. A task's rule-based probability says whether
software or machines *could* do it; its category and the people it serves say whether they
*should* do it alone:

* largely rule-based (P ≥ ``thresholds.automate``) → ``automate`` — unless it involves
  customers, patients, pupils, citizens … (``people`` cues), is full of exceptions
  (``exceptions``) or is work with people or the control of AI itself (``at_most_assist``
  categories): then ``assist``, and where people are involved they are told that AI is;
* partly rule-based (``thresholds.assist`` ≤ P < ``thresholds.automate``) → ``assist``;
* little rule-based → ``keep_human``, except contact with people that follows a script
  ("nach Gesprächsleitfaden", ``scripted``): AI can suggest answers there → ``assist``.

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

from risk_service.text import normalise_task

ADVICE = ("automate", "assist", "keep_human")
RULES_PATH = Path(__file__).with_name("data") / "advice.json"
RULES: dict = json.loads(RULES_PATH.read_text(encoding="utf-8"))

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
    scan per statement): word-start stems, whole words ("kind$") and multi-word cues.

    Parameters
    ----------
    cues : dict of (str, str) to list of str
        Label — (kind, people group or "") — to its cues.
    """

    def __init__(self, cues: dict[tuple[str, str], list[str]]) -> None:
        stems, whole, phrases = {}, {}, {}
        for label, words in cues.items():
            for cue in words:
                parts = _TOKEN.findall(cue.lower())  # "non-standard" is two words, as in text
                if len(parts) > 1:
                    phrases[" ".join(parts)] = label
                elif cue.endswith("$"):
                    whole[parts[0]] = label
                else:
                    stems[parts[0]] = label
        self.labels = {**stems, **whole, **phrases}

        def alternation(keys) -> str:
            return _trie_pattern([k.replace(" ", "\0") for k in keys]) if keys else "(?!)"

        self.pattern = re.compile(
            rf"\b(?:({alternation(stems)})(\w*)|({alternation(whole)})(?!\w)"
            rf"|({alternation(phrases)})\w*)"
        )

    def find(self, norm: str, language: str) -> dict[str, tuple[int, str]]:
        """The first cue of each kind in the normalised statement ``norm``: kind → (position,
        people group). A people cue does not count when the rest of its word or the next word
        is one of ``not_people`` ("kundendaten", "customer records": data about people), or
        when it follows ``not_people_before`` ("für Mandanten", "for guests": whom the work
        is for)."""
        not_people, not_before = _NOT_PEOPLE[language], _NOT_PEOPLE_BEFORE[language]
        found: dict[str, tuple[int, str]] = {}
        for match in self.pattern.finditer(norm):
            stem, rest, whole, phrase = match.groups()
            kind, group = self.labels[stem or whole or " ".join(_TOKEN.findall(phrase))]
            if kind in found:
                continue
            if kind == "people":
                following = _NEXT_WORD.match(norm, match.end())
                if stem is not None and (
                    any(word in rest for word in not_people)
                    or (following is not None and following.group(1).startswith(not_people))
                ):
                    continue
                before = [
                    w for w in _TOKEN.findall(norm[max(0, match.start() - 40) : match.start()])
                ]
                while before and before[-1] in _DETERMINERS:
                    before.pop()  # "für die Kunden", "for our clients"
                if before and before[-1] in not_before:
                    continue
            found[kind] = (match.start(), group)
            if len(found) == 3:
                break
        return found


_NEXT_WORD = re.compile(r"\W+(\w+)")


def _trie_pattern(words: list[str]) -> str:
    """A regular expression matching any of ``words``, as a trie ("k(?:und|ind)"): at each
    position only the cues sharing its first letters are tried, and a longer cue wins over
    its prefix (the stem a word matched decides what is left of it: "kundendaten"). A NUL in
    a word stands for the non-word characters between two words of a multi-word cue."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # end of a word

    def build(node: dict) -> str:
        branches = []
        for char in sorted(node, key=lambda c: (c == "", c)):  # longer matches first
            if char == "":
                continue
            atom = r"\W+" if char == "\0" else re.escape(char)
            branches.append(atom + build(node[char]))
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


AUTOMATE_MIN: float = RULES["thresholds"]["automate"]
ASSIST_MIN: float = RULES["thresholds"]["assist"]
_AT_MOST_ASSIST: dict[str, str] = {
    k: v for k, v in RULES["at_most_assist"].items() if not k.startswith("_")
}
_MANUAL = frozenset(RULES["manual_categories"])
# One expression per language for all cue kinds: a statement is scanned once.
_CUES = {
    lang: _Cues(
        {
            **{("people", g): spec["cues"][lang] for g, spec in RULES["people"].items()},
            ("exception", ""): RULES["exceptions"][lang],
            ("script", ""): RULES["scripted"][lang],
        }
    )
    for lang in ("de", "en")
}
_NOT_PEOPLE = {lang: tuple(RULES["not_people"][lang]) for lang in ("de", "en")}
_NOT_PEOPLE_BEFORE = {lang: frozenset(RULES["not_people_before"][lang]) for lang in ("de", "en")}
# Skipped between "für"/"for" and the people it names.
_DETERMINERS = frozenset(
    "der die das den dem des ein eine einen einem einer unsere unseren unserer unserem ihre "
    "ihren ihrer ihrem alle allen the a an our their its all your s".split()
)
_REASONS: dict[str, dict[str, str]] = RULES["reasons"]


@dataclass(frozen=True)
class Advice:
    advice: str  # one of ADVICE
    reason: str
    rule: str  # the reason's key in advice.json, e.g. "assist.people"
    people: str | None = None  # the people group the task involves, e.g. "patients"


@dataclass(frozen=True)
class _Cue:
    group: str | None
    word: str  # as the statement writes it


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


def _cues(text: str, language: str) -> tuple[_Cue | None, _Cue | None, _Cue | None]:
    """(people, exception, script) cues of a statement, each with the word that fired it."""
    norm = normalise_task(text)
    found = _CUES[language].find(norm, language)
    if not found:
        return None, None, None
    people, exception, script = found.get("people"), found.get("exception"), found.get("script")
    shown = surface_chunks(text)[1]

    def cue(found: tuple[int, str] | None, group: bool = False) -> _Cue | None:
        if found is None:
            return None
        position, label = found
        chunk = len(norm[:position].split())
        if position and not norm[position - 1].isspace():
            chunk -= 1  # the cue starts inside a chunk ("e-mail-kundenanfragen")
        word = strip_edges(shown[chunk]) or norm[position:].split()[0]
        return _Cue(label if group else None, word)

    return cue(people, group=True), cue(exception), cue(script)


def advise(text: str, rule_based: float, category: str, language: str) -> Advice:
    """The advice for one task, with its reason in ``language`` ("de" or "en")."""
    language = language if language in _REASONS else "en"
    people, exception, script = _cues(text, language)
    if rule_based >= AUTOMATE_MIN:
        if people:
            advice, rule, cue = "assist", "assist.people", people
        elif exception:
            advice, rule, cue = "assist", "assist.exceptions", exception
        elif category in _AT_MOST_ASSIST:
            advice, rule, cue = "assist", f"assist.{_AT_MOST_ASSIST[category]}", None
        else:
            kind = "manual" if category in _MANUAL else "information"
            advice, rule, cue = "automate", f"automate.{kind}", None
    elif rule_based >= ASSIST_MIN:
        if people:
            advice, rule, cue = "assist", "assist.partly_people", people
        else:
            kind = "partly_manual" if category in _MANUAL else "partly"
            advice, rule, cue = "assist", f"assist.{kind}", None
    elif people and script:
        advice, rule, cue = "assist", "assist.scripted_people", script
    elif people:
        advice, rule, cue = "keep_human", "keep_human.people", people
    else:
        advice, rule, cue = "keep_human", "keep_human.judgement", None
    group = people.group if people else None
    label = RULES["people"][group]["label"][language] if group else None
    nominative, dative = (
        (label if isinstance(label, list) else (label, label)) if label else ("", "")
    )
    said = people is not None and people.word.lower() in f"{nominative} {dative}".lower()
    note = "" if said or people is None else RULES["cue_note"][language].format(cue=people.word)
    reason = _REASONS[language][rule].format(
        pct=round(100 * rule_based),
        cue=cue.word if cue else "",
        cue_note=note,
        audience=nominative,
        audience_dat=dative,
    )
    return Advice(advice, reason, rule, group)


def advise_many(
    texts: list[str], rule_based: np.ndarray, categories: list[str], languages: list[str]
) -> list[Advice]:
    """:func:`advise` for every task (a statement repeated in one batch is judged once)."""
    seen: dict[tuple, Advice] = {}
    out = []
    for text, p, category, language in zip(
        texts, rule_based.tolist(), categories, languages, strict=True
    ):
        key = (text, round(p, 3), category, language)
        hit = seen.get(key)
        if hit is None:
            hit = seen[key] = advise(text, p, category, language)
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
