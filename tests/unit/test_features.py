import numpy as np
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

from training.estimators import LexiconFeatures, build_featurizer, task_frame


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


def test_featurizer_stacks_its_three_views_side_by_side_as_csr():
    texts = ["Rechnungen erfassen und prüfen", "Enter invoices", "Beratung von Kunden"] * 2
    featurizer = build_featurizer()
    views = {name: clone(view) for name, view, _ in featurizer.transformers}
    stacked = featurizer.fit_transform(task_frame(texts))
    views = [
        views["words"].fit_transform(texts).toarray(),
        views["chars"].fit_transform(texts).toarray(),
        views["lexicon"].fit(np.array([["x"]])).lexicon_.transform(texts),  # dense families
    ]
    assert stacked.format == "csr"
    np.testing.assert_array_equal(stacked.toarray(), np.hstack(views))


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


@pytest.mark.parametrize("text", ["Rechnungsprüfung und Mahnwesen", "a bc def ghij", "  x  "])
def test_character_view_makes_scikit_learns_char_wb_grams(text):
    from sklearn.feature_extraction.text import CountVectorizer

    from risk_service.features import char_terms

    analyzer = CountVectorizer(analyzer="char_wb", ngram_range=(2, 5)).build_analyzer()
    assert sorted(char_terms(text)) == sorted(analyzer(text.lower()))


def test_word_view_stems_inflections_to_one_snowball_stem():
    from risk_service.features import stemmed_tokens

    # The word view sees lower-cased text. Published Snowball stems (the pure-Python
    # snowballstemmer gave the same for all 13,275 corpus words when PyStemmer replaced it).
    assert stemmed_tokens("prüfen der rechnungen und erfassung in der buchhaltung") == [
        "pruf",
        "der",
        "rechnung",
        "und",
        "erfass",
        "in",
        "der",
        "buchhalt",
    ]
    assert stemmed_tokens("reconciling invoices and scheduling customers") == [
        "reconcil",
        "invoic",
        "and",
        "schedul",
        "custom",
    ]


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Design packing machinery for food production lines", "^design"),
        ("Operate packing machinery on food production lines", "^oper"),
        ("Sie erfassen Eingangsrechnungen in DATEV", "^erfass"),
        ("Eigenständige Durchführung der monatlichen Entgeltabrechnung", "^durchfuhr"),
        ("You will reconcile supplier accounts", "^reconcil"),
    ],
)
def test_word_view_names_the_duty_s_action_once(text, action):
    from risk_service.features import ACTION_PREFIX, word_terms

    terms = word_terms(text)
    # One action term, last, after the unigrams and bigrams (evidence.py relies on the order);
    # pronouns and autonomy words are not the action.
    assert [t for t in terms if t.startswith(ACTION_PREFIX)] == [action]
    assert terms[-1] == action


def test_word_view_has_no_action_term_without_a_word_that_can_be_one():
    from risk_service.features import ACTION_PREFIX, word_terms

    # The action is one of the first three words: here all three are pronouns.
    assert not any(t.startswith(ACTION_PREFIX) for t in word_terms("Sie du wir und buchen"))
    assert word_terms("") == []
