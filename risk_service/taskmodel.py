"""The fitted model as serving uses it: task statements → rule-based probability and category.

Training fits scikit-learn pipelines and ``training.estimators.compile_model`` keeps what they
learned — the :class:`~risk_service.features.FeatureSpace` and the coefficients of the two
linear heads — as plain numpy arrays. Serving computes the same numbers
(``tests/test_taskmodel.py`` compares them with the pipelines') without importing scikit-learn
or scipy, which is most of a worker's start-up time and memory.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from risk_service import artifact, config
from risk_service.cache import BoundedCache
from risk_service.evidence import EVIDENCE_SEPARATOR, evidence_cache, explain
from risk_service.features import FeatureSpace
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
    classes: list[str]
    proba_rows: np.ndarray | list[list[float]] = field(repr=False)

    @functools.cached_property
    def category_proba(self) -> np.ndarray:
        """(n_tasks, n_categories) in ``classes`` order (built on first use: scoring needs
        only the argmax, ``category``)."""
        rows = np.asarray(self.proba_rows, dtype=np.float64)
        return rows.reshape(len(self.category), len(self.classes))


def _prediction_cache() -> BoundedCache:
    return BoundedCache(
        config.cache_bytes("predictions"),
        max_entries=config.TASK_CACHE_SIZE,
        sizeof=_prediction_size,
        name="predictions",
    )


def _prediction_size(text: str, entry: tuple[float, list[float], str]) -> int:
    """Bytes of a statement and its (P(rule-based), category probabilities, category): the
    tuple, a float, the list of floats (the category string is shared with ``classes``)."""
    return text.__sizeof__() + 64 + 24 + 64 + 32 * len(entry[1])


BLOCK = 1_000  # texts per block of TaskModel._compute


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))  # = 1 / (1 + e^-x), exact in the tails, no overflow


@dataclass
class TaskModel:
    """The fitted featurizer, both linear heads and the occupation index.

    Attributes
    ----------
    features : FeatureSpace
        Text → feature columns.
    coef : ndarray of shape (1 + n_classes, n_features)
        Row 0: the rule-based head; then one one-vs-rest head per category.
    intercept : ndarray of shape (1 + n_classes,)
    classes : tuple of str
    occupations : OccupationIndex
    meta : dict
        Version, metrics and provenance written by the registry.
    """

    features: FeatureSpace
    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]
    occupations: OccupationIndex
    meta: dict = field(default_factory=dict)
    # statement → (P(rule-based), category probabilities, category); see predict()
    _cache: BoundedCache = field(
        default_factory=_prediction_cache, init=False, repr=False, compare=False
    )
    # statement → the words that drove its rule-based judgement; see evidence()
    _evidence: BoundedCache = field(
        default_factory=evidence_cache, init=False, repr=False, compare=False
    )

    def predict(self, texts: list[str]) -> TaskPredictions:
        """Predict tasks; statements seen before are answered from a bounded per-model cache.

        Job-ad corpora and HR systems repeat the same duty lines across thousands of postings,
        so a worker mostly scores statements it has already seen. The cache holds the exact
        numbers the model computed (keyed by the statement's text, dropped with the model), so
        a hit changes nothing but the time. It keeps the most recently used statements, at most
        ``TASK_CACHE_SIZE`` of them and ``config.cache_bytes("predictions")`` bytes.
        """
        found = self._cache.get_many(texts)
        missing = list(dict.fromkeys(t for t, hit in zip(texts, found, strict=True) if hit is None))
        hits = found
        if missing:
            rule, proba = self._compute(missing)
            category = [self.classes[i] for i in proba.argmax(axis=1)]
            computed = zip(rule.tolist(), proba.tolist(), category, strict=True)
            if len(missing) == len(texts):  # all new (an evaluation fold, a cold batch)
                self._remember(zip(missing, computed, strict=True))
                return TaskPredictions(rule, category, list(self.classes), proba)
            fresh = dict(zip(missing, computed, strict=True))
            self._remember(fresh.items())
            hits = [fresh[t] if h is None else h for t, h in zip(texts, found, strict=True)]
        rule = np.fromiter((h[0] for h in hits), dtype=np.float64, count=len(hits))
        category = [h[2] for h in hits]
        return TaskPredictions(rule, category, list(self.classes), [h[1] for h in hits])

    def evidence(self, texts: list[str]) -> list[list[str]]:
        """The words or phrases of each statement that drove its rule-based judgement, strongest
        first (:mod:`risk_service.evidence`: the rule head's own terms mapped back to words).

        Not part of :meth:`predict`: callers ask for the statements they show. Kept in a
        bounded per-model cache like the predictions, so a statement seen before costs a lookup.
        """
        found = self._evidence.get_many(texts)
        missing = list(dict.fromkeys(t for t, hit in zip(texts, found, strict=True) if hit is None))
        if missing:
            # Kept as one string (no evidence word holds the separator: it is whitespace).
            joined = [EVIDENCE_SEPARATOR.join(e) for e in explain(self, missing)]
            fresh = dict(zip(missing, joined, strict=True))
            self._evidence.update_many(fresh.items())
            found = [fresh[t] if h is None else h for t, h in zip(texts, found, strict=True)]
        return [h.split(EVIDENCE_SEPARATOR) if h else [] for h in found]

    def _remember(self, computed) -> None:
        size = config.TASK_CACHE_SIZE
        cache = self._cache
        if cache.max_entries != size:  # the setting may change at run time (tests do)
            cache.resize(max_entries=size)
        cache.update_many(list(computed)[-size:] if size > 0 else [])

    def _compute(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """P(rule-based) and category probabilities of ``texts``, ``BLOCK`` texts at a time:
        a block's feature entries (~300 a statement) stay in the CPU caches, and memory stays
        bounded whatever the batch; rows do not depend on each other."""
        if len(texts) > BLOCK:
            parts = [self._compute_block(texts[i : i + BLOCK]) for i in range(0, len(texts), BLOCK)]
            return np.concatenate([p for p, _ in parts]), np.vstack([q for _, q in parts])
        return self._compute_block(texts)

    def _compute_block(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        rows, cols, values = self.features.transform(texts)
        # One sparse dot product per head: gather its weights at the entries, sum by row.
        logits = self.intercept + np.column_stack(
            [np.bincount(rows, head[cols] * values, minlength=len(texts)) for head in self.coef]
        )
        scores = _sigmoid(logits)
        proba = scores[:, 1:]
        proba /= proba.sum(axis=1, keepdims=True)  # one-vs-rest normalisation, as sklearn does
        return scores[:, 0].copy(), proba

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        """The model as data: named arrays and a JSON document (:mod:`risk_service.artifact`).

        ``meta`` is left out: the registry keeps it in the version's manifest.
        """
        return artifact.encode(dataclasses.replace(self, meta={}))

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], document: object) -> TaskModel:
        """Rebuild a model from :meth:`to_arrays` output; :class:`ArtifactError` otherwise."""
        model = artifact.decode(document, arrays)
        if not isinstance(model, cls):
            raise artifact.ArtifactError(f"the artifact holds a {type(model).__name__}")
        return model

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state.pop("_cache")  # a cache: not model state, rebuilt on load
        state.pop("_evidence", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, _cache=_prediction_cache(), _evidence=evidence_cache())
