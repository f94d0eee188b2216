"""The fast predict path gives the pipelines' own numbers."""

import numpy as np

from risk_service import config
from training.corpus import load_corpus


def test_fast_predict_equals_the_scikit_learn_pipelines(model):
    texts = load_corpus(config.DATA_DIR).tasks["text"].sample(600, random_state=0).tolist()
    texts += ["", "x", "Buchhalter*in (m/w/d) bucht 30 Belege", "🚀 emoji and مرحبا"]
    fast = model.predict(texts)
    reference = model.predict_with_pipelines(texts)
    np.testing.assert_allclose(fast.rule_based, reference.rule_based, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fast.category_proba, reference.category_proba, rtol=1e-9, atol=1e-12)
    assert fast.category == reference.category
    assert fast.classes == reference.classes


def test_fast_path_is_not_pickled(model, tmp_path):
    import pickle

    model.predict(["Enter invoices"])
    assert "_fast" not in pickle.loads(pickle.dumps(model)).__dict__
