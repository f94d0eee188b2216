import numpy as np
import pytest
import scipy.sparse as sp

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
