"""The tasks of a batch of roles as flat arrays: what scoring, advice and upskilling share.

:func:`risk_service.scoring.assess_many` predicts every task of every role in one model call and
keeps the results here; the role arithmetic (scores, intervals, upskilling priorities) then runs
as numpy sums over each role's slice instead of a Python loop per role.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np


@dataclass
class RoleTasks:
    """The tasks of a batch of roles, flat: role ``r`` owns tasks ``bounds[r]:bounds[r + 1]``."""

    texts: list[str]
    categories: list[str]
    rule_based: np.ndarray
    weights: np.ndarray  # time shares; each role's sum to 1
    bounds: np.ndarray  # (n_roles + 1,), starts at 0

    @functools.cached_property
    def role_of_task(self) -> np.ndarray:
        """The role index of every task."""
        return np.repeat(np.arange(len(self.bounds) - 1), np.diff(self.bounds))

    def per_role_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum of a per-task array over each role's tasks.

        Parameters
        ----------
        values : ndarray
            One value per task.

        Returns
        -------
        ndarray
            One sum per role.
        """
        return np.bincount(self.role_of_task, values, minlength=len(self.bounds) - 1)
