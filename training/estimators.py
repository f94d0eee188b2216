"""The featurizer as scikit-learn estimators, and the fitted model compiled for serving.

The text functions are :mod:`risk_service.features`' own (``word_terms``, ``char_terms``,
``Lexicon``); scikit-learn learns the vocabularies and IDF weights from them, and
:func:`compile_model` hands what it learned to serving as numpy arrays. Serving never imports
this module (nor scikit-learn).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.utils.validation import check_is_fitted, validate_data

from risk_service.features import (
    DEFAULT_LEXICON,
    FeatureSpace,
    Lexicon,
    TfidfView,
    char_terms,
    word_terms,
)
from risk_service.occupations import OccupationIndex
from risk_service.taskmodel import TaskModel

TEXT_COLUMN = "text"


class LexiconFeatures(TransformerMixin, BaseEstimator):
    """Count bilingual cue families in text (see :class:`risk_service.features.Lexicon`).

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
    lexicon_ : Lexicon
        The compiled families.
    feature_names_out_ : ndarray of str
        One name per cue family.
    """

    def __init__(self, lexicon: dict[str, tuple[str, ...]] | None = None, normalise: bool = True):
        self.lexicon = lexicon
        self.normalise = normalise

    def fit(self, X, y=None):
        """Compile the families and record the input width.

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
        self.lexicon_ = Lexicon(lexicon, normalise=self.normalise)
        self.feature_names_out_ = np.array(self.lexicon_.names, dtype=object)
        return self

    def transform(self, X):
        """Sparse CSR (n_samples, n_families) matrix in [0, 1]: capped cue counts.

        Sparse because the featurizer stacks it beside the two sparse TF-IDF views: one dense
        block sends scipy's ``hstack`` through a COO copy of the whole feature matrix (~85 MB
        on the corpus) instead of stacking the CSR blocks directly.
        """
        check_is_fitted(self, "lexicon_")
        X = validate_data(self, X, dtype=None, ensure_all_finite=False, reset=False)
        return sp.csr_matrix(
            self.lexicon_.transform([" ".join(str(cell) for cell in row) for row in X])
        )

    def get_feature_names_out(self, input_features=None):
        check_is_fitted(self, "feature_names_out_")
        return self.feature_names_out_.copy()

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
                TfidfVectorizer(analyzer=word_terms, min_df=2, sublinear_tf=True),
                TEXT_COLUMN,
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer=char_terms, min_df=2, max_features=60_000, sublinear_tf=True
                ),
                TEXT_COLUMN,
            ),
            ("lexicon", LexiconFeatures(), [TEXT_COLUMN]),
        ],
        sparse_threshold=1.0,
    )


def feature_space(featurizer: ColumnTransformer) -> FeatureSpace:
    """What a fitted :func:`build_featurizer` learned, for serving.

    Serving applies ``word_terms`` and ``char_terms`` itself: refuse a featurizer whose views
    were fitted on anything else, rather than serve features the heads never saw.
    """
    fitted = featurizer.named_transformers_
    for name, analyzer in (("words", word_terms), ("chars", char_terms)):
        view = fitted[name]
        if view.analyzer is not analyzer or view.binary or view.dtype != np.float64:
            raise ValueError(
                f"the {name} view must be TfidfVectorizer(analyzer={analyzer.__name__})"
            )
    return FeatureSpace(
        words=TfidfView.from_vectorizer(fitted["words"]),
        chars=TfidfView.from_vectorizer(fitted["chars"]),
        lexicon=fitted["lexicon"].lexicon_,
    )


def task_frame(texts: list[str] | pd.Series) -> pd.DataFrame:
    """The featurizer's input: one row per task statement."""
    return pd.DataFrame({TEXT_COLUMN: list(texts)})


def compile_model(
    featurizer: ColumnTransformer,
    rule_head,
    category_head,
    occupations: OccupationIndex,
    meta: dict | None = None,
) -> TaskModel:
    """Keep what fitted scikit-learn objects learned, as the serving :class:`TaskModel`.

    Parameters
    ----------
    featurizer : ColumnTransformer
        A fitted :func:`build_featurizer`.
    rule_head : PairedLogisticRegression
        Binary: rule-based or not (``coef_`` of shape (1, n_features)).
    category_head : PairedLogisticRegression
        One-vs-rest over the categories (``coef_`` of shape (n_classes, n_features)).
    occupations : OccupationIndex
    meta : dict, optional

    Returns
    -------
    TaskModel
    """
    return TaskModel(
        features=feature_space(featurizer),
        coef=np.vstack([rule_head.coef_, category_head.coef_]).astype(np.float64),
        intercept=np.concatenate([rule_head.intercept_, category_head.intercept_]).astype(
            np.float64
        ),
        classes=tuple(str(c) for c in category_head.classes_),
        occupations=occupations,
        meta=dict(meta or {}),
    )
