"""The serving model gives the scikit-learn pipelines' own numbers, without scikit-learn."""

import pickle
import subprocess
import sys

import numpy as np
import pytest

from risk_service import config
from risk_service.occupations import OccupationIndex
from training.corpus import load_corpus
from training.train import fit_pipelines


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(config.DATA_DIR)


def test_serving_model_equals_the_scikit_learn_pipelines(corpus):
    from training.estimators import compile_model, task_frame

    rule, category = fit_pipelines(corpus, seed=0)
    model = compile_model(
        rule[0], rule[-1], category[-1], OccupationIndex(corpus.occupations, corpus.tasks)
    )
    texts = corpus.tasks["text"].sample(600, random_state=0).tolist()
    texts += ["", "x", "Buchhalter*in (m/w/d) bucht 30 Belege", "🚀 emoji and مرحبا"]
    frame = task_frame(texts)
    expected_rule = rule.predict_proba(frame)[:, 1]
    expected_proba = category.predict_proba(frame)
    for _ in range(2):  # computed, then from the prediction cache
        got = model.predict(texts)
        np.testing.assert_allclose(got.rule_based, expected_rule, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(got.category_proba, expected_proba, rtol=1e-9, atol=1e-12)
        assert got.category == list(category.predict(frame))
        assert got.classes == [str(c) for c in category.classes_]


def test_mixed_hits_and_misses_keep_input_order(model):
    texts = ["Rechnungen kontieren und buchen", "Pflegebedürftige Menschen trösten"]
    alone = [model.predict([t]).rule_based[0] for t in texts]
    mixed = model.predict([texts[1], "Neue Aufgabe: Lieferscheine abgleichen", texts[0], texts[1]])
    np.testing.assert_allclose(mixed.rule_based[[2, 0, 3]], [alone[0], alone[1], alone[1]])
    assert model.predict([]).category_proba.shape == (0, len(model.classes))


def test_prediction_cache_is_bounded_even_within_one_call_and_not_pickled(model, monkeypatch):
    monkeypatch.setattr(config, "TASK_CACHE_SIZE", 10)
    texts = [f"Task number {i} of a long list" for i in range(25)]
    first = model.predict(texts)
    assert len(model._cache) <= 10
    assert set(texts[-10:]) <= set(model._cache)  # the newest stay
    again = model.predict([*texts, "One more task statement"])  # mostly misses again
    np.testing.assert_allclose(again.rule_based[:25], first.rule_based, rtol=1e-12)
    assert len(model._cache) <= 10
    assert pickle.loads(pickle.dumps(model))._cache == {}


def test_sigmoid_is_exact_in_the_tails():
    from scipy.special import expit

    from risk_service.taskmodel import _sigmoid

    x = np.array([-700.0, -60.0, -38.0, -5.0, 0.0, 5.0, 38.0, 60.0])
    np.testing.assert_allclose(_sigmoid(x), expit(x), rtol=1e-12, atol=0)


def test_a_featurizer_fitted_with_other_analyzers_is_refused(corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from training.estimators import build_featurizer, feature_space, task_frame

    featurizer = build_featurizer().set_params(
        words=TfidfVectorizer(analyzer="word", sublinear_tf=True)
    )
    featurizer.fit(task_frame(corpus.tasks["text"].head(200)))
    with pytest.raises(ValueError, match="words view"):
        feature_space(featurizer)


def test_serving_imports_neither_scikit_learn_nor_scipy_nor_pandas(registry_dir):
    code = (
        "import sys, os; os.environ['RISK_MODELS_DIR'] = sys.argv[1]; "
        "import risk_service.web.wsgi; "
        "print(sorted(m for m in ('sklearn', 'scipy', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(registry_dir)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
