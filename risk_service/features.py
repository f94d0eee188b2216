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

import re

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted, validate_data

from risk_service.text import normalise_task

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


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """Count bilingual cue families in text.

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
    patterns_ : list of re.Pattern
        Compiled matcher per family.
    """

    def __init__(self, lexicon: dict[str, tuple[str, ...]] | None = None, normalise: bool = True):
        self.lexicon = lexicon
        self.normalise = normalise

    def fit(self, X, y=None):
        """Compile the cue patterns and record the input width.

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
        self.patterns_ = [
            re.compile(r"\b(?:" + "|".join(map(re.escape, stems)) + r")")
            for stems in lexicon.values()
        ]
        self.feature_names_out_ = np.array([*lexicon, "log_words"], dtype=object)
        return self

    def transform(self, X):
        """Dense (n_samples, n_families + 1) array in [0, 1]: capped cue counts, log length.

        Scaled like the TF-IDF columns beside them, so the linear heads stay well conditioned.
        """
        check_is_fitted(self, "patterns_")
        X = validate_data(self, X, dtype=None, ensure_all_finite=False, reset=False)
        out = np.zeros((X.shape[0], len(self.patterns_) + 1))
        for i, row in enumerate(X):
            text = " ".join(str(cell) for cell in row)
            if self.normalise:
                text = normalise_task(text)
            for j, pattern in enumerate(self.patterns_):
                out[i, j] = min(len(pattern.findall(text)), 3) / 3
            out[i, -1] = min(np.log1p(len(text.split())) / 4, 1.0)
        return out

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.allow_nan = True
        return tags


def build_featurizer() -> ColumnTransformer:
    """Unfitted featurisation step; input is a :func:`task_frame`."""
    return ColumnTransformer(
        [
            (
                "words",
                TfidfVectorizer(
                    preprocessor=normalise_task,
                    ngram_range=(1, 2),
                    min_df=2,
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w\w+\b",
                ),
                TEXT_COLUMN,
            ),
            (
                "chars",
                TfidfVectorizer(
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
