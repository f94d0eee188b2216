import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.utils.estimator_checks import parametrize_with_checks

from training.heads import PairedLogisticRegression, fold_logit_column


def _problem(seed: int = 0):
    rng = np.random.default_rng(seed)
    X = sp.random(120, 15, density=0.3, random_state=seed, format="csr")
    rule = (X @ rng.normal(size=15) > 0).astype(int)
    category = np.array(["a", "b", "c"])[(X @ rng.normal(size=(15, 3))).argmax(axis=1)]
    return X, rule, category


def test_a_head_stacked_on_the_rule_logit_serves_as_a_linear_head_on_the_features():
    X, rule_y, category_y = _problem()
    rule = PairedLogisticRegression(C=1.0, pair_penalty=0.0).fit(X, rule_y)
    stacked_X = sp.hstack([X, 0.3 * rule.decision_function(X)[:, None]], format="csr")
    category = PairedLogisticRegression(C=4.0, pair_penalty=0.0).fit(stacked_X, category_y)
    expected = category.predict_proba(stacked_X)
    assert np.abs(category.coef_[:, -1]).max() > 0  # the logit column is used

    fold_logit_column(category, rule, scale=0.3)

    assert category.coef_.shape == (3, X.shape[1]) and category.n_features_in_ == X.shape[1]
    np.testing.assert_allclose(category.predict_proba(X), expected, atol=1e-12)


def test_folding_refuses_a_head_fitted_on_other_columns():
    X, rule_y, category_y = _problem()
    rule = PairedLogisticRegression(pair_penalty=0.0).fit(X, rule_y)
    plain = PairedLogisticRegression(pair_penalty=0.0).fit(X, category_y)
    with pytest.raises(ValueError, match="logit"):
        fold_logit_column(plain, rule)


# liblinear's dual solver stops at LIBLINEAR_TOL (1e-4), so a weighted fit and the same fit
# with repeated rows agree to about 1e-4 in probability, not to the check's 1e-7: the test
# below pins what does hold.
_INEXACT_WEIGHTS = "liblinear stops at LIBLINEAR_TOL; see test_weights_act_as_repeated_rows"


# The checks' tiny, often separable problems stop liblinear at max_iter: a warning, not a failure.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@parametrize_with_checks(
    [PairedLogisticRegression(), PairedLogisticRegression(C=4.0, pair_penalty=0.0)],
    expected_failed_checks=lambda _: {
        "check_sample_weight_equivalence_on_dense_data": _INEXACT_WEIGHTS,
        "check_sample_weight_equivalence_on_sparse_data": _INEXACT_WEIGHTS,
    },
)
def test_paired_logistic_regression_follows_the_estimator_contract(estimator, check):
    check(estimator)


@pytest.mark.parametrize("with_pairs", [False, True])
def test_weights_act_as_repeated_rows(with_pairs):
    X, rule_y, _ = _problem(seed=3)
    weights = np.random.default_rng(3).integers(1, 4, size=X.shape[0])
    repeated = np.repeat(np.arange(X.shape[0]), weights)
    pairs = np.array([[0, 1], [2, 3], [4, 5]]) if with_pairs else None
    # The repeated fit pairs the first copy of each row, the weighted fit the row itself.
    first_copy = np.searchsorted(repeated, np.arange(X.shape[0]))
    repeated_pairs = None if pairs is None else first_copy[pairs]
    head = PairedLogisticRegression(pair_penalty=1.0)
    weighted = head.fit(X, rule_y, pairs=pairs, sample_weight=weights).predict_proba(X)
    copied = (
        PairedLogisticRegression(pair_penalty=1.0)
        .fit(X[repeated], rule_y[repeated], pairs=repeated_pairs)
        .predict_proba(X)
    )
    np.testing.assert_allclose(weighted, copied, atol=2e-3)


def test_pairs_outside_x_are_refused():
    X, rule_y, _ = _problem()
    with pytest.raises(ValueError, match="pairs must index rows"):
        PairedLogisticRegression().fit(X, rule_y, pairs=np.array([[0, X.shape[0]]]))


def test_every_one_vs_rest_problem_gets_the_pair_term():
    # The pairs' row differences are built once, after the first problem's warm start, and
    # handed on: each class's logits of a pair must move together, not only the first class's.
    X, _, category_y = _problem(seed=5)
    pairs = np.column_stack([np.arange(0, 60), np.arange(60, 120)])
    free = PairedLogisticRegression(C=4.0, pair_penalty=0.0).fit(X, category_y, pairs=pairs)
    tied = PairedLogisticRegression(C=4.0, pair_penalty=50.0).fit(X, category_y, pairs=pairs)
    for head in (free, tied):
        assert head.coef_.shape == (3, X.shape[1])
    gap = {
        name: np.abs(z[pairs[:, 0]] - z[pairs[:, 1]]).mean(axis=0)
        for name, z in (("free", free.decision_function(X)), ("tied", tied.decision_function(X)))
    }
    assert (gap["tied"] < 0.5 * gap["free"]).all(), gap
