"""GramTable: the vectorised character-gram lookup gives the dict lookups' columns, in order."""

from __future__ import annotations

import random

import numpy as np
import pytest

from risk_service import grams, lineclassifier
from risk_service.features import char_grams
from risk_service.grams import GramTable

WORDS = [
    "rechnungsprüfung",
    "kontoauszüge",
    "abgleich",
    "der",
    "buchen",
    "invoices",
    "reconcile",
    "data-entry",
    "straße",
    "a",
    "ab",
    "x",
    "€",
    "naïve",
    "rechnungen",
    "prüfen",
    "eingang",
]


def _vocabulary(words: list[str], rng: random.Random) -> dict[str, int]:
    """About half of the 2-5-grams of ``words``, in a shuffled column order."""
    grams = sorted({g for w in words for g in char_grams.__wrapped__(w)})
    kept = [g for g in grams if rng.random() < 0.5]
    columns = list(range(len(kept)))
    rng.shuffle(columns)
    return dict(zip(kept, columns, strict=True))


def _expected(vocabulary: dict[str, int], word: str, max_n: int, max_chars: int) -> list[int]:
    grams = char_grams.__wrapped__(word[:max_chars], 2, max_n)
    return [vocabulary[g] for g in grams if g in vocabulary]


@pytest.mark.parametrize("max_n", [4, 5])
def test_columns_equal_one_dict_lookup_per_gram_in_the_analyzers_order(max_n):
    rng = random.Random(max_n)
    vocabulary = _vocabulary(WORDS, rng)
    table = GramTable(vocabulary, 2, max_n, max_chars=12)
    # unseen words, characters outside the alphabet, repeats, words longer than max_chars
    words = [*WORDS, "rechnungsprüfungsstelle", "ünbekannt☃", "abab", "zzz", "prüfen", "x" * 30]
    words.append("ab\ud800cd")  # a lone surrogate: normalise_task keeps it (library, CLI input)
    words += [
        "".join(rng.choice("abcdeürsß") for _ in range(rng.randint(1, 15))) for _ in range(200)
    ]
    assert len(words) >= grams.FEW_WORDS  # the arrays' path
    got = table.columns_of(words)
    assert len(got) == len(words)
    for word, columns in zip(words, got, strict=True):
        assert columns.dtype == np.int64
        assert columns.tolist() == _expected(vocabulary, word, max_n, 12), word
    assert any(len(c) for c in got) and any(not len(c) for c in got)  # hits and misses both
    assert table.columns_of([]) == []
    # fewer characters than the longest gram; lists this short take the dict path
    for short in (["a"], ["ab"], ["à"], ["", "a"], words[:3]):
        assert [c.tolist() for c in table.columns_of(short)] == [
            _expected(vocabulary, w, max_n, 12) for w in short
        ]


def test_the_shipped_line_classifiers_vocabulary():
    model = lineclassifier.load_default()
    if model is None:
        pytest.skip("line classifier files not installed")
    vocabulary = model.chars.vocabulary
    table = GramTable(vocabulary, *lineclassifier.CHAR_NGRAMS, lineclassifier._MAX_WORD_CHARS)
    text = (
        "Kontieren und Buchen von Eingangsrechnungen, Abgleich der Kontoauszüge; Mahnwesen. "
        "You reconcile supplier statements and resolve queries (m/w/d) 2024 " + "ü" * 50
    )
    words = lineclassifier._tokens(text)
    got = [c.tolist() for c in table.columns_of(words)]
    get = vocabulary.get
    assert got == [
        [j for j in map(get, lineclassifier._word_char_grams(w)) if j is not None] for w in words
    ]


def test_an_alphabet_too_large_for_63_bits_is_refused():
    vocabulary = {chr(0x4E00 + i) * 2: i for i in range(7000)}
    with pytest.raises(ValueError, match="63 bits"):
        GramTable(vocabulary, 2, 5, max_chars=10)


def test_a_full_word_cache_does_not_lose_the_words_of_the_call_that_fills_it(monkeypatch):
    """The line classifier clears its word cache when it is full; the call that fills it must
    still find every one of its words (it raised KeyError for words cached before)."""
    model = lineclassifier.load_default()
    if model is None:
        pytest.skip("line classifier files not installed")
    ad = "Ihre Aufgaben:\n- Kontierung von Eingangsrechnungen\n- Abgleich der Kontoauszüge"
    tokens = [lineclassifier._tokens(line) for line in ad.splitlines()]
    expected = model._char_columns(tokens)
    monkeypatch.setattr(lineclassifier, "_MAX_CACHED_WORDS", len(model._word_columns) + 1)
    more = [*tokens, ["brandneuwort", "nocheinneues"]]
    columns, sizes = model._char_columns(more)
    assert sizes[: len(tokens)] == expected[1]
    assert columns[: sum(expected[1])].tolist() == expected[0].tolist()
