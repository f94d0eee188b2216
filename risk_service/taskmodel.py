"""The fitted model: task statements → rule-based probability and category.

One object is trained by ``training/train.py``, stored by :mod:`risk_service.registry` and used
by :mod:`risk_service.scoring`. The featurizer is fitted once and shared by both heads, so a
request transforms its tasks once.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.special import expit
from sklearn.pipeline import Pipeline

from risk_service import config
from risk_service.features import task_frame
from risk_service.occupations import OccupationIndex

CATEGORIES = (
    "routine_cognitive",
    "routine_manual",
    "nonroutine_analytic",
    "nonroutine_interpersonal",
    "nonroutine_manual",
    "ai_process_interface",
)


@dataclass
class TaskPredictions:
    rule_based: np.ndarray  # P(degree >= 3) per task
    category: list[str]
    category_proba: np.ndarray  # (n_tasks, n_categories) in ``classes`` order
    classes: list[str]


@dataclass
class TaskModel:
    """Two scikit-learn Pipelines sharing one fitted featurizer, plus the occupation index.

    :meth:`predict` runs the fitted steps directly: the featurizer's three fitted views are
    applied and stacked, and both linear heads are one matrix product each. The numbers are the
    pipelines' own (``tests/test_taskmodel.py`` compares them); what is skipped is
    scikit-learn's per-call input validation, which cost more than the arithmetic for the
    15-task requests this service mostly sees.
    """

    rule_pipeline: Pipeline
    category_pipeline: Pipeline
    occupations: OccupationIndex
    meta: dict = field(default_factory=dict)

    def predict(self, texts: list[str]) -> TaskPredictions:
        """Predict tasks; statements seen before are answered from a bounded per-model cache.

        Job-ad corpora and HR systems repeat the same duty lines across thousands of postings,
        so a worker mostly scores statements it has already seen. The cache holds the exact
        numbers the model computed (it is keyed by the statement's text and dropped with the
        model), so a hit changes nothing but the time.
        """
        fast = self._fast_path()
        cache = fast.cache
        missing = list(dict.fromkeys(t for t in texts if t not in cache))
        if missing:
            features = fast.features(missing)
            rule = expit(features @ fast.rule_coef + fast.rule_intercept)
            proba = expit(features @ fast.category_coef + fast.category_intercept)
            proba /= proba.sum(axis=1, keepdims=True)  # one-vs-rest normalisation, as sklearn
            with fast.lock:
                overflow = len(cache) + len(missing) - config.TASK_CACHE_SIZE
                for key in list(itertools.islice(cache, max(0, overflow))):
                    del cache[key]  # oldest first: dicts keep insertion order
                for text, r, row in zip(missing, rule.tolist(), proba.tolist(), strict=True):
                    cache[text] = (r, row)
            if len(missing) == len(texts):  # all new (a training fold, a cold batch)
                category = [fast.classes[i] for i in proba.argmax(axis=1)]
                return TaskPredictions(rule, category, proba, list(fast.classes))
        hits = [cache.get(t) or _recompute(self, t) for t in texts]
        n = len(hits)
        rule = np.fromiter((h[0] for h in hits), dtype=np.float64, count=n)
        proba = np.array([h[1] for h in hits]).reshape(n, len(fast.classes))
        category = [fast.classes[i] for i in proba.argmax(axis=1)] if n else []
        return TaskPredictions(rule, category, proba, list(fast.classes))

    def predict_with_pipelines(self, texts: list[str]) -> TaskPredictions:
        """The reference path through the scikit-learn pipelines (slower; used by tests)."""
        features = self.rule_pipeline[:-1].transform(task_frame(texts))
        rule = self.rule_pipeline[-1].predict_proba(features)[:, 1]
        head = self.category_pipeline[-1]
        proba = head.predict_proba(features)
        classes = [str(c) for c in head.classes_]
        category = [classes[i] for i in proba.argmax(axis=1)]
        return TaskPredictions(rule, category, proba, classes)

    def _fast_path(self) -> _FastPath:
        fast = self.__dict__.get("_fast")
        if fast is None:
            fast = self.__dict__["_fast"] = _FastPath.from_model(self)
        return fast

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_fast", None)  # derived from the pipelines; rebuilt on first use
        return state


def _recompute(model: TaskModel, text: str) -> tuple[float, list[float]]:
    """A statement evicted by another thread between lookup and read: predict it alone."""
    predictions = model.predict([text])
    return float(predictions.rule_based[0]), predictions.category_proba[0].tolist()


@dataclass(frozen=True)
class _FastPath:
    views: tuple  # (fitted transformer, takes a column) in the featurizer's output order
    rule_coef: np.ndarray
    rule_intercept: float
    category_coef: np.ndarray  # (n_features, n_classes)
    category_intercept: np.ndarray
    classes: tuple[str, ...]
    # statement → (P(rule-based), category probabilities); see TaskModel.predict
    cache: dict[str, tuple[float, list[float]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def from_model(cls, model: TaskModel) -> _FastPath:
        featurizer = model.rule_pipeline[:-1][-1]  # the fitted ColumnTransformer
        views = tuple(
            (transformer, isinstance(columns, list))
            for name, transformer, columns in featurizer.transformers_
            if name != "remainder" and transformer != "drop"
        )
        rule = model.rule_pipeline[-1]
        heads = model.category_pipeline[-1].estimators_
        return cls(
            views=views,
            rule_coef=rule.coef_.ravel().astype(np.float64),
            rule_intercept=float(rule.intercept_[0]),
            category_coef=np.column_stack([h.coef_.ravel() for h in heads]).astype(np.float64),
            category_intercept=np.array([h.intercept_[0] for h in heads], dtype=np.float64),
            classes=tuple(str(c) for c in model.category_pipeline[-1].classes_),
        )

    def features(self, texts: list[str]) -> sparse.csr_matrix:
        blocks = []
        for transformer, takes_column in self.views:
            if takes_column:  # LexiconFeatures: validation skipped, the computation is the same
                block = sparse.csr_matrix(transformer.transform_texts(texts))
            else:
                block = transformer.transform(texts)
            blocks.append(block.astype(np.float64, copy=False).tocsr())
        # All-CSR blocks of one dtype take scipy's fast stacking path.
        return sparse.hstack(blocks, format="csr")
