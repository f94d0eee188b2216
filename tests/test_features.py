import numpy as np
from sklearn.utils.estimator_checks import parametrize_with_checks

from risk_service.features import LexiconFeatures, build_featurizer, task_frame


@parametrize_with_checks(
    [LexiconFeatures(), LexiconFeatures(lexicon={"pay": ("pay",)}, normalise=False)]
)
def test_lexicon_features_follow_the_estimator_contract(estimator, check):
    check(estimator)


def test_lexicon_families_fire_in_both_languages():
    lex = LexiconFeatures().fit(np.array([["x"]]))
    names = list(lex.get_feature_names_out())
    rows = lex.transform(
        np.array(
            [
                ["Erfassung der Rechnungen im ERP"],
                ["Enter invoices into the ERP"],
                ["Beratung von Kunden"],
                ["Advise customers"],
            ],
            dtype=object,
        )
    )
    record, people = names.index("record"), names.index("people")
    assert rows[0, record] > 0 and rows[1, record] > 0
    assert rows[2, people] > 0 and rows[3, people] > 0
    assert rows[0, people] == 0


def test_featurizer_output_is_identical_for_identical_text():
    texts = [
        "Buchhalter/in bucht Belege",
        "Buchhalter*in bucht Belege",
        "Answer calls",
        "answer calls",
    ]
    featurizer = build_featurizer().fit(task_frame(texts * 2))
    matrix = featurizer.transform(task_frame(texts)).toarray()
    np.testing.assert_allclose(matrix[0], matrix[1])  # gender forms normalise away
    np.testing.assert_allclose(matrix[2], matrix[3])  # case does not matter


def test_word_cached_char_tfidf_equals_the_plain_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from risk_service import config
    from risk_service.features import WordCachedTfidfVectorizer
    from risk_service.text import normalise_task
    from training.corpus import load_corpus

    texts = load_corpus(config.DATA_DIR).tasks["text"].tolist()[:1500]
    params = dict(
        preprocessor=normalise_task,
        analyzer="char_wb",
        ngram_range=(2, 5),
        min_df=2,
        sublinear_tf=True,
        dtype=np.float32,
    )
    fast = WordCachedTfidfVectorizer(**params).fit(texts[:1000])
    plain = TfidfVectorizer(**params).fit(texts[:1000])
    for _ in range(2):  # the second pass runs from the word cache
        diff = fast.transform(texts) - plain.transform(texts)
        assert abs(diff).max() < 1e-6


def test_lean_word_tfidf_equals_the_plain_vectorizer():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from risk_service import config
    from risk_service.features import LeanTfidfVectorizer, stemmed_tokens
    from risk_service.text import normalise_task
    from training.corpus import load_corpus

    texts = load_corpus(config.DATA_DIR).tasks["text"].tolist()[:1500]
    params = dict(
        preprocessor=normalise_task,
        tokenizer=stemmed_tokens,
        token_pattern=None,
        ngram_range=(1, 2),
        min_df=2,
        sublinear_tf=True,
    )
    lean = LeanTfidfVectorizer(**params).fit(texts[:1000])
    plain = TfidfVectorizer(**params).fit(texts[:1000])
    diff = lean.transform(texts) - plain.transform(texts)
    assert abs(diff).max() < 1e-12
