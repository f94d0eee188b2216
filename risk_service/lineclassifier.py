"""Job-ad statement → label (duty, requirement, benefit, company, contact, other).

A multinomial linear model over three views of a :class:`risk_service.jobad.Statement`:

* word uni- and bigrams of the statement (lower case, digits collapsed), TF-IDF;
* character 2–4-grams within its words (German compounds: "Urlaubsgeld", "Deutschkenntnisse"),
  TF-IDF;
* what the parser saw around it (:func:`context_features`): the last heading's kind, an inline
  heading on the line, the cue families and contact patterns its words hit, bullet, position,
  length. (The cue rules' own verdict is left out: with it, cross-validation was no better.)

It is trained on our line-labelled ads by ``training/lineclassifier.py`` (scikit-learn) and
shipped as data: ``risk_service/data/line_classifier.npz`` (arrays, read with
``allow_pickle=False``) and ``line_classifier.json`` (vocabularies, classes, the npz's sha256).
Serving needs numpy only and computes the scikit-learn pipeline's own probabilities (tested).
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from risk_service.grams import GramTable

if TYPE_CHECKING:
    from risk_service.jobad import Statement

FORMAT = "risk-service-line-classifier"
SCHEMA = 1
DATA_DIR = Path(__file__).parent / "data"
DEFAULT_JSON = DATA_DIR / "line_classifier.json"
DEFAULT_NPZ = DATA_DIR / "line_classifier.npz"

LABELS = ("duty", "requirement", "benefit", "company", "contact", "other")
CHAR_NGRAMS = (2, 4)
_MAX_WORD_CHARS = 40  # longer "words" (URLs, runs of letters) add no grams beyond this
_WORD = re.compile(r"\w++", re.UNICODE)
_DIGITS = re.compile(r"\d++")


class ClassifierError(ValueError):
    """Line-classifier files that are missing pieces, do not match their hash or each other."""


def _tokens(text: str) -> list[str]:
    # Digit runs lie inside words (digits are word characters): collapsing them in the whole
    # text first gives the same tokens as collapsing them word by word, in one pass.
    return _WORD.findall(_DIGITS.sub("0", text.lower()))


def word_terms(text: str) -> list[str]:
    """Word uni- and bigrams of a statement."""
    return _terms_of_tokens(_tokens(text))


def _terms_of_tokens(tokens: list[str]) -> list[str]:
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _word_char_grams(word: str) -> list[str]:
    padded = f" {word[:_MAX_WORD_CHARS]} "
    size = len(padded)
    low, high = CHAR_NGRAMS
    return [padded[i : i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)]


def char_terms(text: str) -> list[str]:
    """Character 2–4-grams within the statement's words (as scikit-learn's ``char_wb``)."""
    return [gram for word in _tokens(text) for gram in _word_char_grams(word)]


_SECTIONS = (None, *LABELS)
_NEIGHBOUR_CUES = ("", "none", *LABELS)  # "": no statement there; "none": one without a cue
_DIGIT = re.compile(r"\d")
_ALL_CAPS = re.compile(r"^[^a-zäöüß]*[A-ZÄÖÜ]{3}[^a-zäöüß]*$")
_SECOND_PERSON = re.compile(
    r"(?i:\b(?:du|dich|dir|dein\w*|you|you'll|you're|your|yours)\b)|\b(?:Sie|Ihr\w*)\b"
)
_FIRST_PERSON = re.compile(r"(?i:\b(?:wir|uns|unser\w*|we|we're|we've|our|us)\b)")


def context_feature_names() -> list[str]:
    names = [f"section={s}" for s in _SECTIONS]
    names += [f"inline={s}" for s in _SECTIONS]
    names += [f"cue={s}" for s in _SECTIONS]
    names += [f"strong={s}" for s in _SECTIONS]
    names += [
        "before_first_heading",
        "before_first_heading&duty_heading",
        "no_section&no_duty_heading",
        "duty_heading",
        "bullet",
        "money",
        "title",
        "position",
        "sentence_index>0",
        "several_sentences",
        "log_words",
        "short",
        "long",
        "ends_period",
        "ends_colon",
        "ends_question",
        "all_caps",
        "has_digit",
        "second_person",
        "first_person",
        "second_person_only",
        "starts_lower",
        "task_start",
        "task_start&no_section",
        "task_list",
        "task_list&task_start",
        "previous_task",
        "next_task",
    ]
    names += [f"previous_cue={s}" for s in _NEIGHBOUR_CUES]
    names += [f"next_cue={s}" for s in _NEIGHBOUR_CUES]
    return names


# value → its one-hot row over _SECTIONS (a value outside them: all zeros); likewise for the
# neighbours' cues over _NEIGHBOUR_CUES. Built once: context_features runs per statement.
_SECTION_ROWS = {v: [1.0 if v == w else 0.0 for w in _SECTIONS] for v in _SECTIONS}
_NEIGHBOUR_ROWS = {v: [1.0 if v == w else 0.0 for w in _NEIGHBOUR_CUES] for v in _NEIGHBOUR_CUES}
_NO_SECTION = [0.0] * len(_SECTIONS)
_NO_NEIGHBOUR = [0.0] * len(_NEIGHBOUR_CUES)


def context_features(s: Statement) -> list[float]:
    """What the parser saw around a statement, as numbers (names: context_feature_names)."""
    rows = _SECTION_ROWS
    out: list[float] = [
        *rows.get(s.section, _NO_SECTION),
        *rows.get(s.inline, _NO_SECTION),
        *rows.get(s.cue or None, _NO_SECTION),
        *rows.get(s.strong or None, _NO_SECTION),
    ]
    text = s.text
    n_words = len(text.split())
    second = _SECOND_PERSON.search(text) is not None
    first = _FIRST_PERSON.search(text) is not None
    stripped = s.line.rstrip()
    before = s.headings_before == 0
    out += [
        float(before),
        float(before and s.duty_heading),
        float(s.section is None and s.inline is None and not s.duty_heading),
        float(s.duty_heading),
        float(s.bullet),
        float(s.money),
        float(s.title),
        s.line_index / max(1, s.n_lines - 1),
        float(s.sentence_index > 0),
        float(s.n_sentences > 1),
        min(math.log1p(n_words) / 4.0, 1.5),
        float(n_words <= 3),
        float(n_words >= 20),
        float(stripped.endswith((".", "!"))),
        float(stripped.endswith(":")),
        float(stripped.endswith("?")),
        float(_ALL_CAPS.match(text) is not None),
        float(_DIGIT.search(text) is not None),
        float(second),
        float(first),
        float(second and not first),
        float(text[:1].islower()),
        float(s.task_start),
        float(s.task_start and s.section is None and s.inline is None),
        float(s.task_list),
        float(s.task_list and s.task_start),
        float(s.previous_task),
        float(s.next_task),
    ]
    out += _NEIGHBOUR_ROWS.get(s.previous_cue, _NO_NEIGHBOUR)
    out += _NEIGHBOUR_ROWS.get(s.next_cue, _NO_NEIGHBOUR)
    return out


@dataclass
class TfidfTable:
    """A fitted TF-IDF view: term → column, idf per column (sublinear tf, l2 norm)."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    def transform(
        self, term_lists: Sequence[list[str]]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) of the rows' TF-IDF vectors, as scikit-learn computes them."""
        get = self.vocabulary.get
        return self.transform_columns(
            [[j for j in map(get, terms) if j is not None] for terms in term_lists]
        )

    def transform_columns(
        self, column_lists: Sequence[Sequence[int] | np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`transform` from each row's vocabulary columns (one per occurrence)."""
        sizes = [len(c) for c in column_lists]
        cols = np.fromiter(itertools.chain.from_iterable(column_lists), np.int64, sum(sizes))
        return self.transform_flat(cols, sizes)

    def transform_flat(
        self, cols: np.ndarray, sizes: Sequence[int]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:meth:`transform` from the rows' vocabulary columns one after the other (``sizes``
        of them per row)."""
        if not len(cols):
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, np.zeros(0)
        rows = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
        n_cols = len(self.idf)
        keys, counts = np.unique(rows * n_cols + cols, return_counts=True)
        row, col = np.divmod(keys, n_cols)
        value = (1.0 + np.log(counts)) * self.idf[col]
        norm = np.sqrt(np.bincount(row, value * value, minlength=len(sizes)))
        return row, col, value / norm[row]


BLOCK = 1_000  # statements per block of LineClassifier.decision
_MAX_CACHED_WORDS = 50_000  # ~0.3 kB each: bounds memory on endless streams of new words


@dataclass
class LineClassifier:
    """The fitted model: two TF-IDF views, context features, one linear head per label."""

    classes: tuple[str, ...]
    words: TfidfTable
    chars: TfidfTable
    coef: np.ndarray  # (n_classes, n_words + n_chars + n_context)
    intercept: np.ndarray  # (n_classes,)
    duty_threshold: float  # a statement is a duty when P(duty) is at least this
    info: dict

    _word_columns: dict[str, np.ndarray] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _grams: GramTable | None = field(default=None, init=False, repr=False, compare=False)

    def _char_columns(self, token_lists: list[list[str]]) -> tuple[np.ndarray, list[int]]:
        """The character-gram columns of the statements, one after the other, and how many
        belong to each. Words repeat far more than statements, so each word's columns are
        looked up once and kept; the new words of a call are looked up together
        (:class:`~risk_service.grams.GramTable`, several times faster than a dict lookup per
        gram)."""
        cache = self._word_columns
        words = [w for tokens in token_lists for w in tokens]
        # This call's columns are read from its own dict: clearing the shared cache when it is
        # full (or another thread doing so) must not lose a word this call already looked up.
        columns: dict[str, np.ndarray] = {}
        new = []
        for w in dict.fromkeys(words):
            hit = cache.get(w)
            if hit is None:
                new.append(w)
            else:
                columns[w] = hit
        if new:
            if self._grams is None:
                self._grams = GramTable(self.chars.vocabulary, *CHAR_NGRAMS, _MAX_WORD_CHARS)
            fresh = dict(zip(new, self._grams.columns_of(new), strict=True))
            columns.update(fresh)
            if len(cache) + len(fresh) > _MAX_CACHED_WORDS:
                cache.clear()
            cache.update(fresh)
        per_word = [columns[w] for w in words]
        if not per_word:
            return np.zeros(0, dtype=np.int64), [0] * len(token_lists)
        lengths = list(map(len, per_word))
        sizes = []
        start = 0
        for tokens in token_lists:
            end = start + len(tokens)
            sizes.append(sum(lengths[start:end]))
            start = end
        return np.concatenate(per_word), sizes

    def decision(self, statements: Sequence[Statement]) -> np.ndarray:
        """Linear scores (before the softmax), one row per statement.

        Computed ``BLOCK`` statements at a time: a block's arrays (~270 character entries a
        statement) stay in the CPU caches, which made 12,600 statements 30 % faster than one
        call; rows do not depend on each other, so the scores are the same.
        """
        if len(statements) > BLOCK:
            return np.vstack(
                [
                    self._decision(statements[i : i + BLOCK])
                    for i in range(0, len(statements), BLOCK)
                ]
            )
        return self._decision(statements)

    def _decision(self, statements: Sequence[Statement]) -> np.ndarray:
        n = len(statements)
        logits = np.tile(self.intercept, (n, 1))
        if not n:
            return logits
        n_words = len(self.words.idf)
        n_chars = len(self.chars.idf)
        token_lists = [_tokens(s.text) for s in statements]  # both views' words
        views = (
            (self.words.transform([_terms_of_tokens(t) for t in token_lists]), 0),
            (self.chars.transform_flat(*self._char_columns(token_lists)), n_words),
        )
        for (row, col, value), offset in views:
            if len(row):
                for k in range(len(self.classes)):
                    logits[:, k] += np.bincount(
                        row, value * self.coef[k, col + offset], minlength=n
                    )
        context = np.asarray([context_features(s) for s in statements], dtype=np.float64)
        logits += context @ self.coef[:, n_words + n_chars :].T
        return logits

    def predict_proba(self, statements: Sequence[Statement]) -> np.ndarray:
        logits = self.decision(statements)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def label(
        self, statements: Sequence[Statement], lenient: Sequence[bool] | None = None
    ) -> list[str]:
        """Each statement's label: duty where P(duty) ≥ the threshold (or, where ``lenient``,
        where duty is the likeliest label), else the likeliest other."""
        if not statements:
            return []
        p = self.predict_proba(statements)
        duty = self.classes.index("duty")
        others = p.copy()
        others[:, duty] = -1.0
        best_other = others.argmax(axis=1)
        return [
            "duty"
            if p[i, duty] >= self.duty_threshold
            or (lenient is not None and lenient[i] and p[i, duty] > p[i, best_other[i]])
            else self.classes[int(best_other[i])]
            for i in range(len(statements))
        ]

    # --- files ------------------------------------------------------------------------------

    def save(self, json_path: Path = DEFAULT_JSON, npz_path: Path = DEFAULT_NPZ) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            word_idf=self.words.idf,
            char_idf=self.chars.idf,
            coef=self.coef,
            intercept=self.intercept,
        )
        data = buffer.getvalue()
        npz_path.write_bytes(data)
        document = {
            "format": FORMAT,
            "schema": SCHEMA,
            "npz_sha256": hashlib.sha256(data).hexdigest(),
            "classes": list(self.classes),
            "duty_threshold": self.duty_threshold,
            "context_features": context_feature_names(),
            "char_ngrams": list(CHAR_NGRAMS),
            # terms in column order: the list index is the column
            "word_terms": _terms_in_order(self.words.vocabulary),
            "char_terms": _terms_in_order(self.chars.vocabulary),
            "info": self.info,
        }
        json_path.write_text(
            json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n",
            encoding="utf-8",
        )

    @classmethod
    def load(cls, json_path: Path = DEFAULT_JSON, npz_path: Path = DEFAULT_NPZ) -> LineClassifier:
        try:
            document = json.loads(json_path.read_text(encoding="utf-8"))
            data = npz_path.read_bytes()
        except (OSError, ValueError) as exc:
            raise ClassifierError(f"cannot read the line classifier: {exc}") from exc
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            raise ClassifierError(f"{json_path.name} is not a {FORMAT} document")
        if document.get("schema") != SCHEMA:
            raise ClassifierError(f"{json_path.name}: schema {document.get('schema')!r}; retrain")
        if hashlib.sha256(data).hexdigest() != document.get("npz_sha256"):
            raise ClassifierError(f"{npz_path.name} does not match the sha256 in {json_path.name}")
        if document.get("context_features") != context_feature_names():
            raise ClassifierError("the line classifier was trained on other context features")
        if tuple(document.get("char_ngrams", ())) != CHAR_NGRAMS:
            raise ClassifierError("the line classifier was trained on other character grams")
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            word_idf = np.asarray(arrays["word_idf"], dtype=np.float64)
            char_idf = np.asarray(arrays["char_idf"], dtype=np.float64)
            coef = np.asarray(arrays["coef"], dtype=np.float64)
            intercept = np.asarray(arrays["intercept"], dtype=np.float64)
        words = TfidfTable({t: j for j, t in enumerate(document["word_terms"])}, word_idf)
        chars = TfidfTable({t: j for j, t in enumerate(document["char_terms"])}, char_idf)
        classes = tuple(document["classes"])
        width = len(word_idf) + len(char_idf) + len(context_feature_names())
        if (
            len(words.vocabulary) != len(word_idf)
            or len(chars.vocabulary) != len(char_idf)
            or coef.shape != (len(classes), width)
            or intercept.shape != (len(classes),)
            or "duty" not in classes
            or not set(classes) <= set(LABELS)
        ):
            raise ClassifierError("the line classifier's arrays do not fit its vocabularies")
        return cls(
            classes,
            words,
            chars,
            coef,
            intercept,
            float(document["duty_threshold"]),
            dict(document.get("info", {})),
        )


def _terms_in_order(vocabulary: dict[str, int]) -> list[str]:
    terms = [""] * len(vocabulary)
    for term, j in vocabulary.items():
        terms[j] = term
    return terms


def load_default() -> LineClassifier | None:
    """The shipped classifier, or None where its files are not installed."""
    if not (DEFAULT_JSON.exists() and DEFAULT_NPZ.exists()):
        return None
    return LineClassifier.load()
