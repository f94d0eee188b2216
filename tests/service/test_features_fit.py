"""Serving's feature space against the scikit-learn featurizer fitted on the corpus."""

import numpy as np

from training.estimators import build_featurizer, feature_space, task_frame


def test_serving_feature_space_equals_the_fitted_scikit_learn_featurizer():
    """What serving computes without scikit-learn is the matrix training fitted the heads on."""
    from risk_service import config
    from training.corpus import load_corpus

    texts = load_corpus(config.DATA_DIR).tasks["text"].tolist()[:1500]
    texts += ["", "x", "Buchhalter*in (m/w/d) bucht 30 Belege", "🚀 emoji and مرحبا", "a b"]
    featurizer = build_featurizer().fit(task_frame(texts[:1000]))
    expected = featurizer.transform(task_frame(texts)).toarray()
    space = feature_space(featurizer)
    assert space.n_features == expected.shape[1]
    for _ in range(2):  # the second pass runs from the word caches
        rows, cols, values = space.transform(texts)
        actual = np.zeros_like(expected)
        np.add.at(actual, (rows, cols), values)
        np.testing.assert_allclose(actual, expected, rtol=1e-9, atol=1e-12)
