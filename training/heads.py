"""Linear heads that score a statement and its translation alike.

A German statement and its English counterpart describe the same work, so the model should give
them the same logit. :class:`PairedLogisticRegression` is an L2-regularised logistic regression
whose loss adds, for every translation pair (i, j) seen in training,
``pair_penalty / 2 · (z_i − z_j)²`` — the squared gap between the two logits. The penalty ties the
weights of words that translate each other ("Rechnung" and "invoice") together, which carries
over to pairs never seen: on the development set it lifted German AUC and cut the mean DE/EN gap
(``docs/model.md``). Without pairs it is plain logistic regression (liblinear's dual solver).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

# liblinear's stopping tolerance: 1e-4 moves no logit on the corpus by more than 3e-5 against
# 1e-8 and needs half the time (27 vs 61 dual iterations on one category).
LIBLINEAR_TOL = 1e-4


class PairedLogisticRegression(ClassifierMixin, BaseEstimator):
    """Logistic regression (one-vs-rest for more than two classes) with a translation-pair term.

    Parameters
    ----------
    C : float, default=1.0
        Inverse strength of the L2 penalty on the weights (the intercept is not penalised).
    pair_penalty : float, default=1.0
        Weight of the squared logit gap between the two statements of a pair.
    max_iter : int, default=500
        L-BFGS iterations per binary problem (after the warm start from liblinear).
    tol : float, default=1e-4
        L-BFGS gradient tolerance.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
    intercept_ : ndarray of shape (1,) or (n_classes,)
    n_features_in_ : int
    n_iter_ : ndarray of shape (n_problems,)
    """

    def __init__(
        self, C: float = 1.0, pair_penalty: float = 1.0, max_iter: int = 500, tol: float = 1e-4
    ):
        self.C = C
        self.pair_penalty = pair_penalty
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X, y, pairs=None, sample_weight=None):
        """Fit on ``X``, ``y``; ``pairs`` is an (n_pairs, 2) array of row indices of ``X``.

        Returns
        -------
        self : PairedLogisticRegression
        """
        X, y = validate_data(self, X, y, accept_sparse="csr", dtype=np.float64, reset=True)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        if len(self.classes_) < 2:
            raise ValueError("y has one class only: PairedLogisticRegression needs two or more")
        weights = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight, float)
        if not weights.sum() > 0:
            raise ValueError("sample_weight must not be all zero")
        if pairs is not None and len(pairs) > 0:
            self._check_pairs(X, pairs)
        targets = [self.classes_[1]] if len(self.classes_) == 2 else list(self.classes_)
        coef, intercept, iters = [], [], []
        gap = None
        for target in targets:
            w, b, n_iter, gap = self._fit_binary(
                X, (y == target).astype(np.float64), weights, pairs, gap
            )
            coef.append(w)
            intercept.append(b)
            iters.append(n_iter)
        self.coef_ = np.vstack(coef)
        self.intercept_ = np.asarray(intercept)
        self.n_iter_ = np.asarray(iters)
        return self

    @staticmethod
    def _check_pairs(X, pairs) -> None:
        pairs = np.asarray(pairs, dtype=np.intp).reshape(-1, 2)
        if pairs.min() < 0 or pairs.max() >= X.shape[0]:
            raise ValueError("pairs must index rows of X")

    @staticmethod
    def _gap_matrix(X, pairs):
        if pairs is None or len(pairs) == 0:
            return None
        pairs = np.asarray(pairs, dtype=np.intp).reshape(-1, 2)
        rows = sp.csr_matrix(X) if sp.issparse(X) else X
        return rows[pairs[:, 0]] - rows[pairs[:, 1]]

    def _fit_binary(self, X, y, weights, pairs, gap):
        """(w, b, iterations, gap) of one binary problem; ``gap`` (the pairs' row differences)
        is built after the first warm start and handed back for the next problem, so that it
        and liblinear's copy of ``X`` are never in memory together for a binary head."""
        inv_c, lam = 1.0 / self.C, self.pair_penalty
        # Start from the plain logistic regression (liblinear's dual solver is fast on many
        # more features than rows): L-BFGS then only has to add the pair term.
        start = LogisticRegression(
            C=self.C,
            solver="liblinear",
            dual=True,
            max_iter=5000,
            tol=LIBLINEAR_TOL,
            random_state=0,
        )
        start.fit(X, y, sample_weight=weights)
        theta0 = np.append(start.coef_.ravel(), start.intercept_[0])
        if gap is None:
            gap = self._gap_matrix(X, pairs)
        if gap is None:  # no pairs: the liblinear fit is the answer (its intercept is penalised)
            return theta0[:-1], float(theta0[-1]), int(start.n_iter_.max()), None

        def loss(theta):
            w, b = theta[:-1], theta[-1]
            z = X @ w + b
            value = weights @ (np.logaddexp(0.0, z) - y * z) + 0.5 * inv_c * (w @ w)
            residual = weights * (expit(z) - y)
            grad_w = X.T @ residual + inv_c * w
            if gap is not None:
                r = gap @ w
                value += 0.5 * lam * (r @ r)
                grad_w = grad_w + lam * (gap.T @ r)
            return value, np.append(grad_w, residual.sum())

        result = minimize(
            loss,
            theta0,
            jac=True,
            method="L-BFGS-B",
            # A short memory keeps each step cheap with ~10^5 features; the warm start means
            # few steps are needed.
            options={"maxiter": self.max_iter, "gtol": self.tol, "maxcor": 5},
        )
        return result.x[:-1], float(result.x[-1]), int(result.nit), gap

    def decision_function(self, X):
        check_is_fitted(self, "coef_")
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        scores = X @ self.coef_.T + self.intercept_
        return scores.ravel() if scores.shape[1] == 1 else scores

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    def predict_proba(self, X):
        """Sigmoid of each one-vs-rest logit, normalised over classes (as scikit-learn's
        ``OneVsRestClassifier`` does)."""
        scores = expit(self.decision_function(X))
        if scores.ndim == 1:
            return np.column_stack([1.0 - scores, scores])
        return scores / scores.sum(axis=1, keepdims=True)

    def predict(self, X):
        check_is_fitted(self, "coef_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


def fold_logit_column(
    head: PairedLogisticRegression, inner: PairedLogisticRegression, scale: float = 1.0
) -> None:
    """Rewrite ``head``, fitted on ``[X, scale · inner's logit on X]``, as a head on ``X`` alone.

    ``inner`` is linear (``z = X w + b``), so a weight ``v`` on its logit column is the weight
    ``scale · v · w`` on the columns of ``X`` and ``scale · v · b`` on the intercept: the
    stacked head serves as a plain linear head, with the same probabilities.

    Parameters
    ----------
    head : PairedLogisticRegression
        Fitted on ``n_features + 1`` columns, the last being
        ``scale * inner.decision_function(X)``.
    inner : PairedLogisticRegression
        A fitted binary head on ``n_features`` columns.
    scale : float, default=1.0
        The factor the logit column was multiplied by.
    """
    check_is_fitted(head, "coef_")
    check_is_fitted(inner, "coef_")
    n_features = inner.coef_.shape[1]
    if head.coef_.shape[1] != n_features + 1 or inner.coef_.shape[0] != 1:
        raise ValueError("head must be fitted on the inner head's columns plus its logit")
    on_logit = scale * head.coef_[:, n_features]
    head.coef_ = head.coef_[:, :n_features] + np.outer(on_logit, inner.coef_[0])
    head.intercept_ = head.intercept_ + on_logit * inner.intercept_[0]
    head.n_features_in_ = n_features
