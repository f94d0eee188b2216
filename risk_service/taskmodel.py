"""The fitted model: task statements → rule-based probability and category.

One object is trained by ``training/train.py``, stored by :mod:`risk_service.registry` and used
by :mod:`risk_service.scoring`. The featurizer is fitted once and shared by both heads, so a
request transforms its tasks once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.pipeline import Pipeline

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
    """Two scikit-learn Pipelines sharing one fitted featurizer, plus the occupation index."""

    rule_pipeline: Pipeline
    category_pipeline: Pipeline
    occupations: OccupationIndex
    meta: dict = field(default_factory=dict)

    def predict(self, texts: list[str]) -> TaskPredictions:
        if not texts:
            empty = np.zeros(0)
            return TaskPredictions(empty, [], np.zeros((0, len(CATEGORIES))), list(CATEGORIES))
        features = self.rule_pipeline[:-1].transform(task_frame(texts))
        rule = self.rule_pipeline[-1].predict_proba(features)[:, 1]
        head = self.category_pipeline[-1]
        proba = head.predict_proba(features)
        classes = [str(c) for c in head.classes_]
        category = [classes[i] for i in proba.argmax(axis=1)]
        return TaskPredictions(rule, category, proba, classes)
