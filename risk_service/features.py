"""Task text → feature matrix. The one featurisation path for training and serving.

Training (``training/train.py``) builds the pipeline with :func:`build_featurizer` and serving
calls the fitted object on :func:`task_frame` output, so there is no train/serve skew.

Three views of a task statement:

* word uni- and bigrams — what the task does ("enter invoices", "führung von");
* character 2–5-grams within word boundaries — German compounds and inflections
  ("Rechnungsprüfung" shares grams with "Rechnungen prüfen"), typos;
* :class:`LexiconFeatures` — bilingual cue families (routine verbs, people, analysis, AI) that
  transfer to occupations the corpus has never seen.
"""

from __future__ import annotations

import array
import collections
import functools
import itertools
import re

import numpy as np
import pandas as pd
import Stemmer
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2
from sklearn.utils.validation import check_is_fitted, validate_data

from risk_service.text import detect_language, normalise_task

TEXT_COLUMN = "text"

# Stems, matched at word starts in normalised (lower-case) text. German and English side by side
# so that one family fires for both languages.
DEFAULT_LEXICON: dict[str, tuple[str, ...]] = {
    "record": (
        "enter",
        "input",
        "record",
        "log",
        "file",
        "archiv",
        "scan",
        "copy",
        "book",
        "post",
        "erfass",
        "eingab",
        "eintrag",
        "buch",
        "kontier",
        "ablage",
        "abheft",
        "kopier",
        "pfleg",
        "stammdaten",
        "data entry",
        "datenpflege",
        "update",
        "aktualis",
    ),
    "check": (
        "check",
        "verif",
        "reconcil",
        "compar",
        "match",
        "prüf",
        "abgleich",
        "abstimm",
        "kontroll",
        "control",
        "inspect",
    ),
    "standard": (
        "standard",
        "routine",
        "template",
        "vorlage",
        "according to",
        "nach vorgabe",
        "gemäß",
        "checklist",
        "checkliste",
        "fixed",
        "fest",
        "regelmäßig",
        "daily",
        "täglich",
        "form",
        "formular",
        "invoice",
        "rechnung",
        "beleg",
        "order",
        "auftrag",
        "bestellung",
    ),
    "machine": (
        "machine",
        "maschin",
        "anlage",
        "plant",
        "line",
        "band",
        "fließband",
        "press",
        "feed",
        "bestück",
        "operat",
        "bedien",
        "takt",
        "cycle",
        "shift",
        "schicht",
    ),
    "handling": (
        "pack",
        "verpack",
        "load",
        "lade",
        "belad",
        "entlad",
        "stack",
        "stapel",
        "pick",
        "kommission",
        "sort",
        "assembl",
        "montier",
        "montage",
        "label",
        "etikett",
        "clean",
        "reinig",
    ),
    "people": (
        "customer",
        "client",
        "patient",
        "child",
        "pupil",
        "student",
        "parent",
        "resident",
        "guest",
        "family",
        "relative",
        "colleague",
        "staff",
        "employee",
        "team",
        "kund",
        "mandant",
        "kind",
        "schüler",
        "eltern",
        "bewohner",
        "gast",
        "gäst",
        "angehörig",
        "kolleg",
        "mitarbeit",
        "team",
        "bürger",
        "klient",
        "betroffen",
    ),
    "interpersonal": (
        "advis",
        "counsel",
        "negotiat",
        "lead",
        "motivat",
        "coach",
        "mentor",
        "support",
        "care",
        "comfort",
        "conflict",
        "persuad",
        "convinc",
        "teach",
        "train",
        "empath",
        "listen",
        "calm",
        "berat",
        "verhandl",
        "führ",
        "anleit",
        "betreu",
        "begleit",
        "tröst",
        "konflikt",
        "überzeug",
        "unterricht",
        "schul",
        "zuhör",
        "beruhig",
        "vermittl",
        "gespräch",
        "conversation",
        "relationship",
        "beziehung",
    ),
    "analytic": (
        "analys",
        "analyz",
        "develop",
        "design",
        "concept",
        "strateg",
        "plan",
        "diagnos",
        "research",
        "investigat",
        "evaluat",
        "assess",
        "optimi",
        "solution",
        "complex",
        "troubleshoot",
        "root cause",
        "entwick",
        "gestalt",
        "konzip",
        "konzept",
        "forsch",
        "untersuch",
        "bewert",
        "beurteil",
        "lösung",
        "komplex",
        "fehlersuch",
        "ursach",
    ),
    "novel": (
        "individual",
        "unexpected",
        "unforeseen",
        "crisis",
        "emergency",
        "creative",
        "novel",
        "new",
        "unknown",
        "escalat",
        "difficult",
        "individuell",
        "unvorhergesehen",
        "krise",
        "notfall",
        "kreativ",
        "neu",
        "unbekannt",
        "eskal",
        "schwierig",
        "eigen",
    ),
    "ai": (
        "ai",
        "ki",
        "chatbot",
        "bot",
        "rpa",
        "automat",
        "machine learning",
        "prompt",
        "llm",
        "künstlich",
        "algorithm",
        "model",
        "modell",
        "copilot",
        "genai",
        "generat",
    ),
}


_TOKEN = re.compile(r"\w+")
_WORD = re.compile(r"\b\w\w+\b")
# PyStemmer: the Snowball algorithms compiled (libstemmer); ~150× faster than pure Python, and
# the same stems (identical on all 13,275 corpus words when it replaced snowballstemmer).
_STEMMERS = {"en": Stemmer.Stemmer("english"), "de": Stemmer.Stemmer("german")}


@functools.lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    return _STEMMERS[language].stemWord(word)


def stemmed_tokens(text: str) -> list[str]:
    """Words reduced to their Snowball stem in the text's language.

    Task lists mix "Reconcile", "Reconciling" and "Reconciliation of"; stems let the word view
    see one task where the surface forms differ (the character view keeps the raw forms).
    """
    language = detect_language(text)
    return [_stem(word, language) for word in _WORD.findall(text)]


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """Count bilingual cue families in text.

    A family fires for a word that starts with one of its stems ("erfass" → "Erfassung");
    stems with a space ("data entry") match two consecutive words.

    Parameters
    ----------
    lexicon : dict of str to tuple of str, default=None
        Family name → word-start stems. ``None`` uses :data:`DEFAULT_LEXICON`.
    normalise : bool, default=True
        Apply :func:`risk_service.text.normalise_task` before matching.

    Attributes
    ----------
    n_features_in_ : int
        Number of input columns seen in ``fit``; each row's cells are joined into one text.
    feature_names_out_ : ndarray of str
        One name per cue family plus ``"log_words"``.
    stems_ : list of tuple of str
        Single-word stems per family.
    pairs_ : list of tuple of (int, str, str)
        Two-word stems as (family, first word, start of the second word).
    """

    def __init__(self, lexicon: dict[str, tuple[str, ...]] | None = None, normalise: bool = True):
        self.lexicon = lexicon
        self.normalise = normalise

    def fit(self, X, y=None):
        """Split the stems and record the input width.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_columns)
            Text (or anything convertible to text) per cell.
        y : ignored

        Returns
        -------
        self : LexiconFeatures
        """
        validate_data(self, X, dtype=None, ensure_all_finite=False, reset=True)
        lexicon = DEFAULT_LEXICON if self.lexicon is None else self.lexicon
        self.stems_ = [tuple(s for s in stems if " " not in s) for stems in lexicon.values()]
        self.pairs_ = [
            (j, *stem.split(" ", 1))
            for j, stems in enumerate(lexicon.values())
            for stem in stems
            if " " in stem
        ]
        self.feature_names_out_ = np.array([*lexicon, "log_words"], dtype=object)
        self._family_cache: dict[str, tuple[int, ...]] = {}  # word → families; filled on use
        return self

    def _word_families(self, word: str) -> tuple[int, ...]:
        cache = self._family_cache
        hit = cache.get(word)
        if hit is None:
            if len(cache) > 500_000:  # bound memory on endless streams of new words
                cache.clear()
            hit = cache[word] = tuple(
                j for j, stems in enumerate(self.stems_) if word.startswith(stems)
            )
        return hit

    def __getstate__(self):
        state = super().__getstate__()
        if "_family_cache" in state:
            state["_family_cache"] = {}  # a cache, not model state
        return state

    def transform(self, X):
        """Dense (n_samples, n_families + 1) array in [0, 1]: capped cue counts, log length.

        Scaled like the TF-IDF columns beside them, so the linear heads stay well conditioned.
        """
        check_is_fitted(self, "stems_")
        X = validate_data(self, X, dtype=None, ensure_all_finite=False, reset=False)
        return self.transform_texts([" ".join(str(cell) for cell in row) for row in X])

    def transform_texts(self, texts: list[str]) -> np.ndarray:
        """:meth:`transform` for a list of already validated texts (the serving fast path)."""
        n_families = len(self.stems_)
        rows: list[int] = []
        cols: list[int] = []
        n_words = np.zeros(len(texts))
        for i, text in enumerate(texts):
            if self.normalise:
                text = normalise_task(text)
            words = _TOKEN.findall(text)
            before = len(cols)
            for word in words:
                cols.extend(self._word_families(word))
            for j, first, second in self.pairs_:
                if first in words:
                    cols.extend(
                        j
                        for k in range(len(words) - 1)
                        if words[k] == first and words[k + 1].startswith(second)
                    )
            rows.extend([i] * (len(cols) - before))
            n_words[i] = len(text.split())
        counts = np.zeros((len(texts), n_families))
        np.add.at(counts, (rows, cols), 1)
        out = np.empty((len(texts), n_families + 1))
        out[:, :n_families] = np.minimum(counts, 3) / 3
        out[:, n_families] = np.minimum(np.log1p(n_words) / 4, 1.0)
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        return tags


def _apply_tfidf(vectorizer: TfidfVectorizer, counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """``TfidfTransformer.transform`` for the fitted ``vectorizer``, minus input validation.

    The same arithmetic in the same order (sublinear tf, idf, row norm); validating a matrix we
    just built cost more than the arithmetic on a request's handful of tasks.
    """
    transformer = vectorizer._tfidf
    if transformer.sublinear_tf:
        np.log(counts.data, counts.data)
        counts.data += 1.0
    if transformer.use_idf:
        counts.data *= transformer.idf_[counts.indices]
    if transformer.norm == "l2":
        inplace_csr_row_normalize_l2(counts)
    elif transformer.norm is not None:
        counts = normalize(counts, norm=transformer.norm, copy=False)
    return counts


class LeanTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer`` whose ``transform`` skips re-validating the counts it just built.

    Fitting is the parent's; the output equals the parent's (tested).
    """

    def transform(self, raw_documents):
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        check_is_fitted(self, "vocabulary_")
        _, counts = self._count_vocab(raw_documents, fixed_vocab=True)
        if self.binary:
            counts.data.fill(1)
        return _apply_tfidf(self, counts.astype(self.dtype, copy=False).tocsr())


class WordCachedTfidfVectorizer(TfidfVectorizer):
    """``TfidfVectorizer(analyzer="char_wb")`` with a fast ``transform``.

    Character n-grams within word boundaries depend on one word at a time, so each distinct word's
    n-gram counts are computed once and reused: the same matrix as the parent class (tested), at
    a fraction of the cost, because words repeat far more than texts do. Fitting is the parent's.
    """

    def transform(self, raw_documents):
        if self.analyzer != "char_wb":
            return super().transform(raw_documents)
        check_is_fitted(self, "vocabulary_")
        preprocess = self.build_preprocessor()
        cache = self.__dict__.setdefault("_word_cache", {})
        if len(cache) > 500_000:  # bound memory on endless streams of new words
            cache.clear()
        # array.array extends are memcpy-speed and hand their buffer to numpy without copying.
        indptr = array.array("q", [0])
        indices = array.array("i")
        data = array.array("d")
        for doc in raw_documents:
            for word in preprocess(self.decode(doc)).split():
                entry = cache.get(word)
                if entry is None:
                    entry = cache[word] = self._word_ngrams(word)
                indices.extend(entry[0])
                data.extend(entry[1])
            indptr.append(len(indices))
        counts = sparse.csr_matrix(
            (
                np.frombuffer(data, dtype=np.float64).astype(self.dtype),
                np.frombuffer(indices, dtype=np.int32),
                np.frombuffer(indptr, dtype=np.int64),
            ),
            shape=(len(indptr) - 1, len(self.vocabulary_)),
        )
        counts.sum_duplicates()
        if self.binary:
            counts.data.fill(1)
        return _apply_tfidf(self, counts)

    def _word_ngrams(self, word: str) -> tuple[array.array, array.array]:
        # Mirrors CountVectorizer._char_wb_ngrams for one word: every n-gram of " word ", and a
        # padded word shorter than n counts once, as itself, for the smallest such n only.
        padded = f" {word} "
        size = len(padded)
        min_n, max_n = self.ngram_range
        grams = [
            padded[i : i + n]
            for n in range(min_n, min(max_n, size) + 1)
            for i in range(size - n + 1)
        ]
        if min_n > size:
            grams.append(padded)
        found = collections.Counter(map(self.vocabulary_.get, grams, itertools.repeat(-1)))
        found.pop(-1, None)  # grams not in the vocabulary
        return array.array("i", found), array.array("d", found.values())

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_word_cache", None)  # a cache, not model state
        return state


def build_featurizer() -> ColumnTransformer:
    """Unfitted featurisation step; input is a :func:`task_frame`."""
    return ColumnTransformer(
        [
            (
                "words",
                LeanTfidfVectorizer(
                    preprocessor=normalise_task,
                    tokenizer=stemmed_tokens,
                    token_pattern=None,
                    ngram_range=(1, 2),
                    min_df=2,
                    sublinear_tf=True,
                ),
                TEXT_COLUMN,
            ),
            (
                "chars",
                WordCachedTfidfVectorizer(
                    preprocessor=normalise_task,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    max_features=60_000,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
                TEXT_COLUMN,
            ),
            ("lexicon", LexiconFeatures(), [TEXT_COLUMN]),
        ],
        sparse_threshold=1.0,
    )


def task_frame(texts: list[str] | pd.Series) -> pd.DataFrame:
    """The featurizer's input: one row per task statement."""
    return pd.DataFrame({TEXT_COLUMN: list(texts)})
