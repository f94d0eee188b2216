"""Task text → features: the one featurisation path for training and serving.

Three views of a task statement, each a pure function of the text:

* :func:`word_terms` — word uni- and bigrams of Snowball stems: what the task does ("enter
  invoices", "führung von"), and the action term of the word that names it ("^enter");
* :func:`char_terms` — character 2–5-grams within word boundaries: German compounds and
  inflections ("Rechnungsprüfung" shares grams with "Rechnungen prüfen"), typos;
* :class:`Lexicon` — bilingual cue families (routine verbs, people, analysis, AI) that transfer
  to occupations the corpus has never seen.

Training (``training/estimators.py``) hands these functions to scikit-learn, which learns
the vocabularies and IDF weights; :class:`FeatureSpace` holds what was learned and applies the
same functions at serving time. This module needs numpy only: a serving worker never imports
scikit-learn (with scipy and pandas it made importing the service 3.8 s and 261 MB; now 1.1 s
and 98 MB).
"""

from __future__ import annotations

import itertools
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import Stemmer

from risk_service import config
from risk_service.cache import BoundedCache, byte_cached
from risk_service.grams import GramTable
from risk_service.text import detect_language, normalise_task

# Stems, matched at word starts in normalised (lower-case) text, German and English side by side
# so that one family fires for both languages: data, in risk_service/data/lexicon.json.
DEFAULT_LEXICON: dict[str, tuple[str, ...]] = {
    name: tuple(stems)
    for name, stems in json.loads(
        (Path(__file__).parent / "data" / "lexicon.json").read_text(encoding="utf-8")
    ).items()
    if not name.startswith("_")
}


_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"\b\w\w+\b")
# PyStemmer: the Snowball algorithms compiled (libstemmer); ~150× faster than pure Python, and
# the same stems (identical on all 13,275 corpus words when it replaced snowballstemmer).
_STEMMERS = {"en": Stemmer.Stemmer("english"), "de": Stemmer.Stemmer("german")}
CHAR_NGRAMS = (2, 5)


def _stem_size(key: tuple[str, str], stem: str) -> int:
    return 64 + sys.getsizeof(key[0]) + sys.getsizeof(stem)  # the language is shared


@byte_cached(config.cache_bytes("stems"), name="stems", sizeof=_stem_size)
def _stem(word: str, language: str) -> str:
    return _STEMMERS[language].stemWord(word)


def stemmed_tokens(text: str) -> list[str]:
    """Words (of two or more characters) reduced to their Snowball stem in the text's language.

    Task lists mix "Reconcile", "Reconciling" and "Reconciliation of"; stems let the word view
    see one task where the surface forms differ (the character view keeps the raw forms).
    """
    language = detect_language(text)
    return [_stem(word, language) for word in _WORD.findall(text)]


# Words that open a duty without naming the work: subject pronouns ("Sie erfassen …", "You
# will …") and autonomy words, which describe the job's level, not how standardised the task
# is (rubric §0.3: „Eigenständige Durchführung der Entgeltabrechnung“ is still a payroll run).
NOT_ACTION_WORDS = frozenset(
    """sie du wir ihr you we will eigenständig eigenständige eigenständiger eigenständiges
    selbstständig selbstständige selbständig selbständige independently""".split()
)
ACTION_PREFIX = "^"
_ACTION_WINDOW = 3  # the action is one of the first words; later words are its objects


def action_index(words: list[str]) -> int | None:
    """Position of the word that names the duty's action: the first of the first three words
    (of the word view, lower case) that is not a pronoun or an autonomy word; ``None`` if
    there is none."""
    return next(
        (k for k, word in enumerate(words[:_ACTION_WINDOW]) if word not in NOT_ACTION_WORDS),
        None,
    )


def word_terms(text: str) -> list[str]:
    """Stem unigrams, then bigrams, then the action term of the normalised text (the word
    view's analyzer).

    The action term is the stem of the word that names what the person does ("^design",
    "^konstruktion", "^erfass"), as a feature of its own: a duty opens with its action and its
    objects follow, and who does the work matters more than what is worked on ("Design
    packing machinery" is engineering, "Operate packing machinery" is not; rubric §0.4). A
    long list of objects no longer outweighs the one word that says what the work is.
    """
    normalised = normalise_task(text)
    words = _WORD.findall(normalised)
    language = detect_language(normalised)
    stems = [_stem(word, language) for word in words]
    terms = stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]
    action = action_index(words)
    if action is not None:
        terms.append(ACTION_PREFIX + stems[action])
    return terms


def _grams_size(key: tuple, grams: tuple[str, ...]) -> int:
    """~2.4 kB for a ten-letter word (a gram of 2-5 letters is 51-80 bytes)."""
    return 80 + sys.getsizeof(key[0]) + sys.getsizeof(grams) + 60 * len(grams)


@byte_cached(config.cache_bytes("char_grams"), name="char_grams", sizeof=_grams_size)
def char_grams(
    word: str, min_n: int = CHAR_NGRAMS[0], max_n: int = CHAR_NGRAMS[1]
) -> tuple[str, ...]:
    """Character n-grams of ``word`` padded with a space each side, as scikit-learn's
    ``char_wb`` analyzer makes them.

    A padded word shorter than n counts once, as itself, for the smallest such n only. Only
    the first ``config.MAX_GRAM_WORD_CHARS`` characters of a word count (no corpus word is
    that long): work and memory per word stay bounded.
    """
    padded = f" {word[: config.MAX_GRAM_WORD_CHARS]} "
    size = len(padded)
    grams = [
        padded[i : i + n] for n in range(min_n, min(max_n, size) + 1) for i in range(size - n + 1)
    ]
    if min_n > size:
        grams.append(padded)
    return tuple(grams)


def char_terms(text: str) -> list[str]:
    """Character n-grams of every word of the normalised text (the character view's analyzer)."""
    return [gram for word in normalise_task(text).split() for gram in char_grams(word)]


class Lexicon:
    """Bilingual cue families counted in text.

    A family fires for a word that starts with one of its stems ("erfass" → "Erfassung");
    stems with a space ("data entry") match two consecutive words.

    Parameters
    ----------
    lexicon : dict of str to tuple of str
        Family name → word-start stems.
    normalise : bool, default=True
        Apply :func:`risk_service.text.normalise_task` before matching.
    """

    def __init__(self, lexicon: dict[str, tuple[str, ...]], normalise: bool = True) -> None:
        self.names = list(lexicon)
        self.normalise = normalise
        self.stems = [tuple(s for s in stems if " " not in s) for stems in lexicon.values()]
        self.pairs = [
            (j, *stem.split(" ", 1))
            for j, stems in enumerate(lexicon.values())
            for stem in stems
            if " " in stem
        ]
        self._families = _lexicon_cache()  # word → families, filled on use

    def _word_families(self, word: str) -> tuple[int, ...]:
        hit = self._families.get(word)
        if hit is None:
            hit = self._families.put(
                word, tuple(j for j, stems in enumerate(self.stems) if word.startswith(stems))
            )
        return hit

    def transform(self, texts: list[str]) -> np.ndarray:
        """Dense (n_texts, n_families) array in [0, 1]: capped cue counts.

        Scaled like the TF-IDF columns beside them, so the linear heads stay well conditioned.
        No length column: the statement's length is style, not standardisation (it made long
        real statements look less rule-based on the development set).
        """
        n_families = len(self.stems)
        rows: list[int] = []
        cols: list[int] = []
        for i, text in enumerate(texts):
            if self.normalise:
                text = normalise_task(text)
            words = _TOKEN.findall(text)
            before = len(cols)
            known = self._families.young_get()  # a dict lookup per word; see BoundedCache
            for word in words:
                hit = known(word)
                cols.extend(self._word_families(word) if hit is None else hit)
            for j, first, second in self.pairs:
                if first in words:
                    cols.extend(
                        j
                        for k in range(len(words) - 1)
                        if words[k] == first and words[k + 1].startswith(second)
                    )
            rows.extend([i] * (len(cols) - before))
        counts = np.zeros((len(texts), n_families))
        np.add.at(counts, (rows, cols), 1)
        return np.minimum(counts, 3) / 3

    def word_families(self, word: str) -> tuple[int, ...]:
        """The families ``word`` fires (single-word stems; risk_service/evidence.py)."""
        return self._word_families(word)

    def families_of(self, words: list[str]) -> list[tuple[int, ...]]:
        """:meth:`word_families` of each of ``words`` (a dict lookup for words met lately)."""
        known = self._families.young_get()
        return [self._word_families(w) if (hit := known(w)) is None else hit for w in words]

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_families": {}}  # a cache, not model state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _families=_lexicon_cache())


def _lexicon_cache() -> BoundedCache:
    return BoundedCache(config.cache_bytes("lexicon"), name="lexicon", sizeof=_families_size)


def _families_size(word: str, families: tuple[int, ...]) -> int:
    return sys.getsizeof(word) + sys.getsizeof(families)  # small ints are shared


def _char_column_cache() -> BoundedCache:
    return BoundedCache(
        config.cache_bytes("char_columns"), name="char_columns", sizeof=_columns_size
    )


def _columns_size(word: str, columns: np.ndarray) -> int:
    return sys.getsizeof(word) + columns.nbytes + 112


@dataclass
class TfidfView:
    """A fitted TF-IDF view: vocabulary and IDF weights, sublinear tf, rows scaled to unit norm."""

    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def from_vectorizer(cls, vectorizer) -> TfidfView:
        """Take what a fitted ``TfidfVectorizer`` learned (``sublinear_tf=True``, l2 norm)."""
        if not (vectorizer.sublinear_tf and vectorizer.norm == "l2" and vectorizer.use_idf):
            raise ValueError("expected a TfidfVectorizer with sublinear_tf, idf and l2 norm")
        vocabulary = {str(term): int(j) for term, j in vectorizer.vocabulary_.items()}
        return cls(vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64))

    def entries(
        self, rows: np.ndarray, cols: np.ndarray, n_rows: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) of the TF-IDF matrix of ``n_rows`` texts, from one (row,
        column) pair per occurrence of a vocabulary term; sorted by row, then column."""
        n_cols = len(self.idf)
        keys, counts = np.unique(rows * n_cols + cols, return_counts=True)
        row, col = np.divmod(keys, n_cols)
        value = (1.0 + np.log(counts)) * self.idf[col]
        norm = np.sqrt(np.bincount(row, value * value, minlength=n_rows))
        return row, col, value / norm[row]


_NO_COLUMNS = np.zeros(0, dtype=np.int64)


@dataclass
class FeatureSpace:
    """The fitted featurizer: word view, character view and lexicon, in this column order."""

    words: TfidfView
    chars: TfidfView
    lexicon: Lexicon
    _char_cache: BoundedCache = field(  # word → its character columns
        default_factory=_char_column_cache, init=False, repr=False, compare=False
    )
    # text → its word terms, for the texts of the last transform() only: the evidence of the
    # statements just scored (risk_service/evidence.py) reads them instead of computing them
    # again. Replaced, not grown, by each call: bounded by a call's texts.
    _recent_terms: dict[str, list[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # the character vocabulary as integer keys (built on first use; not model state)
    _grams: GramTable | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def n_features(self) -> int:
        return len(self.words.idf) + len(self.chars.idf) + len(self.lexicon.names)

    def transform(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The feature matrix of ``texts`` as sparse entries: (row, column, value)."""
        n = len(texts)
        word_rows, word_cols, word_vals = self.words.entries(*self._word_occurrences(texts), n)
        char_rows, char_cols, char_vals = self.chars.entries(*self._char_occurrences(texts), n)
        lexicon = self.lexicon.transform(texts)
        lex_rows, lex_cols = np.nonzero(lexicon)
        offset_chars = len(self.words.idf)
        offset_lexicon = offset_chars + len(self.chars.idf)
        return (
            np.concatenate([word_rows, char_rows, lex_rows]),
            np.concatenate([word_cols, char_cols + offset_chars, lex_cols + offset_lexicon]),
            np.concatenate([word_vals, char_vals, lexicon[lex_rows, lex_cols]]),
        )

    def _word_occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(text, column) of every word term of ``texts`` in the vocabulary."""
        get = self.words.vocabulary.get
        terms = list(map(word_terms, texts))
        self._recent_terms = dict(zip(texts, terms, strict=True))
        columns = [list(map(get, t, itertools.repeat(-1))) for t in terms]
        cols = np.fromiter(itertools.chain.from_iterable(columns), np.int64)
        rows = np.repeat(np.arange(len(texts)), [len(c) for c in columns])
        known = cols >= 0
        return rows[known], cols[known]

    def _char_occurrences(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(text, column) of every character n-gram of ``texts`` in the vocabulary.

        Character n-grams never cross a word, so each distinct word's columns are looked up
        once and kept: words repeat far more than texts do. The words not kept yet are looked
        up together (:meth:`_new_word_columns`).
        """
        cache = self._char_cache
        known = cache.young_get()  # a dict lookup per word; see BoundedCache
        text_words = [normalise_task(text).split() for text in texts]
        per_word: list[np.ndarray | None] = []
        new: dict[str, None] = {}
        for words in text_words:
            for word in words:
                hit = known(word)
                if hit is None:
                    hit = cache.get(word)
                    if hit is None:
                        new[word] = None
                per_word.append(hit)
        if not per_word:
            return _NO_COLUMNS, _NO_COLUMNS
        fresh = self._new_word_columns(list(new)) if new else {}
        flat = (w for words in text_words for w in words)
        columns = [fresh[w] if c is None else c for c, w in zip(per_word, flat, strict=True)]
        text_of_word = np.repeat(np.arange(len(texts)), [len(words) for words in text_words])
        rows = np.repeat(text_of_word, [len(c) for c in columns])
        return rows, np.concatenate(columns)

    def _new_word_columns(self, words: list[str]) -> dict[str, np.ndarray]:
        """The character columns of words not in the cache, looked up in one vectorised call
        (:class:`~risk_service.grams.GramTable`: the same columns as one dict lookup per gram,
        several times faster for a batch of new words), and kept in the cache."""
        if self._grams is None:
            self._grams = GramTable(
                self.chars.vocabulary, *CHAR_NGRAMS, max_chars=config.MAX_GRAM_WORD_CHARS
            )
        put = self._char_cache.put
        return {
            word: put(word, columns)
            for word, columns in zip(words, self._grams.columns_of(words), strict=True)
        }

    def word_terms(self, text: str) -> list[str]:
        """:func:`word_terms` of ``text``, as the last :meth:`transform` computed it if
        ``text`` was one of its texts."""
        terms = self._recent_terms.get(text)
        return word_terms(text) if terms is None else terms

    def char_columns(self, word: str) -> np.ndarray:
        """The character view's columns of one whitespace-separated word, one per n-gram in
        the vocabulary (repeats kept), from the same cache as :meth:`transform`."""
        hit = self._char_cache.get(word)
        return self._new_word_columns([word])[word] if hit is None else hit

    def chunk_columns(self, chunks: list[str]) -> list[np.ndarray]:
        """:meth:`char_columns` of each of ``chunks`` (a dict lookup for words met lately)."""
        known = self._char_cache.young_get()
        return [self.char_columns(c) if (hit := known(c)) is None else hit for c in chunks]

    def __getstate__(self) -> dict:
        state = {**self.__dict__, "_char_cache": {}}  # caches, not model state
        state.pop("_recent_terms", None)
        state.pop("_grams", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _char_cache=_char_column_cache(), _recent_terms={}, _grams=None)
