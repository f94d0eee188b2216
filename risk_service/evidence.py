"""Why a task is judged rule-based or not: the words of the statement that moved the rule head.

The rule head is linear, so a task's logit is the intercept plus one term per feature entry:
``coef × value``. :func:`explain` hands each term back to the words it was computed from —

* word unigrams and bigrams of stems: the word, or the two-word phrase (a bigram with a
  function word, "buchen von", goes to its content word); the action term ("^design"): the
  action word;
* character n-grams: the word they were cut from (a gram in several words is shared);
* lexicon cue families: the word (or two-word cue such as "nach Vorgabe") that fired them (a
  length column, in models that have one, belongs to no word and is left out) —

sums the terms per word or phrase and lists the strongest ones that push towards the judgement
(towards rule-based for P ≥ 0.5, away from it otherwise). The terms add up to the logit exactly
(``tests/test_advice.py``), so the evidence is the model's own reasoning, not a second model.

Function words ("der", "von", "the", "of") can carry weight but explain nothing to a reader; they
are never listed (``risk_service/data/advice.json``, ``evidence.function_words``).

Only the tasks of a response are explained (:meth:`TaskModel.evidence`), after scoring: the
scoring path itself (:meth:`TaskModel.predict` and its cache) is untouched.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, cast

import numpy as np

from risk_service import cache, config
from risk_service.advice import RULES, strip_edges, surface_chunks
from risk_service.features import action_index
from risk_service.text import normalise_task

if TYPE_CHECKING:
    from risk_service.taskmodel import TaskModel

# The views' own tokenisers (risk_service/features.py): words of two or more characters for
# the word view, \w+ runs for the lexicon, whitespace-separated chunks for character n-grams.
_WORD = re.compile(r"\b\w\w+\b")
_TOKEN = re.compile(r"\w+")

_SETTINGS = RULES["evidence"]
MAX_ITEMS: int = _SETTINGS["max_items"]
MIN_SHARE: float = _SETTINGS["min_share"]
FUNCTION_WORDS = frozenset(w for words in _SETTINGS["function_words"].values() for w in words)

# A unit is a chunk index (a word) or a pair of chunk indices (a phrase).
Unit = int | tuple[int, int]


def evidence_cache() -> cache.BoundedCache:
    """A model's cache of statement → evidence (:meth:`TaskModel.evidence`), bounded by its
    share of ``RISK_CACHE_BYTES``. The newest is listed in ``cache.REGISTRY`` with the module
    caches, so that reports and the memory tests see it (the serving model's)."""
    made = cache.BoundedCache(
        config.cache_bytes("evidence"), name="evidence", sizeof=_evidence_size
    )
    cache.REGISTRY["evidence"] = made
    return made


EVIDENCE_SEPARATOR = "\x1f"  # between the words of a cached entry (str.split() splits at it)


def _evidence_size(text: str, words: str) -> int:
    return sys.getsizeof(text) + sys.getsizeof(words)


def explain(model: TaskModel, texts: list[str]) -> list[list[str]]:
    """The evidence of each text: up to ``MAX_ITEMS`` words or phrases, strongest first.

    Parameters
    ----------
    model : TaskModel
        The fitted model; only its rule-based head (``coef[0]``) is explained.
    texts : list of str
        Task statements (duplicates are explained once).

    Returns
    -------
    list of list of str
        In the order of ``texts``; words as written in the statement.
    """
    unique = list(dict.fromkeys(texts))
    if not unique:
        return []
    units, logits = attribute(model, unique)
    explained = {t: _select(t, u, z) for t, u, z in zip(unique, units, logits, strict=True)}
    return [explained[t] for t in texts]


def attribute(model: TaskModel, texts: list[str]) -> tuple[list[dict[Unit, float]], list[float]]:
    """Each text's feature terms (coef × value of the rule head) shared out among its words
    and phrases, and its logit. What belongs to no word (a length column, in models that have
    one) is left out, so a text's unit sums plus that term plus the intercept are its logit.

    The occurrences of every feature (which word or phrase produced it) are collected per text
    with the views' own functions; the views' :meth:`~risk_service.features.TfidfView.entries`
    turn them into the feature values exactly as :meth:`FeatureSpace.transform` does, and each
    occurrence gets an even share of its feature's term.
    """
    space = model.features
    head = model.coef[0]
    n_words = len(space.words.idf)
    lexicon_offset = n_words + len(space.chars.idf)
    column_of = space.words.vocabulary.get
    lexicon = space.lexicon
    # (column, unit) per occurrence, by view, and how many occurrences each text has
    w_col: list[int] = []
    w_unit: list[int] = []
    w_count: list[int] = []
    l_col: list[int] = []
    l_unit: list[int] = []
    l_count: list[int] = []
    char_cols: list[np.ndarray] = []  # per chunk: its character columns
    char_units: list[int] = []
    unit_keys: list[list[Unit]] = []
    n_units = 0
    pairs = cast(list[tuple[int, str, str]], lexicon.pairs)  # (family, first, second word)
    # Units of a text are numbered from base: its chunks (words) first, by position, then
    # its phrases as met; units no occurrence went to are dropped at the end.
    for text in texts:
        chunks = normalise_task(text).split()  # the character view's words
        base = n_units
        phrases: dict[tuple[int, int], int] = {}
        words: list[str] = []  # the word view's tokens
        word_unit: list[int] = []  # and the unit of their chunk
        tokens: list[str] = []  # the lexicon's tokens
        token_unit: list[int] = []
        for c, chunk in enumerate(chunks, start=base):
            if chunk.isalnum():  # one word: what both patterns find (\w is alnum or "_")
                tokens.append(chunk)
                token_unit.append(c)
                if len(chunk) > 1:
                    words.append(chunk)
                    word_unit.append(c)
                continue
            found = _WORD.findall(chunk)
            words += found
            word_unit += [c] * len(found)
            found = _TOKEN.findall(chunk)
            tokens += found
            token_unit += [c] * len(found)
        for c, columns in enumerate(space.chunk_columns(chunks), start=base):
            if len(columns):
                char_cols.append(columns)
                char_units.append(c)
        phrase_base = base + len(chunks)
        n = len(words)
        action = action_index(words)
        before = len(w_col)
        terms = space.word_terms(text)  # as predict() just made them
        for k, column in enumerate(map(column_of, terms)):
            if column is None:
                continue
            if k < n:
                unit = word_unit[k]
            elif k >= 2 * n - 1:  # the action term (features.word_terms): its word
                unit = word_unit[cast(int, action)]
            else:
                unit = _phrase(
                    words[k - n], word_unit[k - n], words[k - n + 1], word_unit[k - n + 1]
                )
                if unit < 0:  # a phrase of two chunks
                    pair = (word_unit[k - n] - base, word_unit[k - n + 1] - base)
                    unit = phrases.setdefault(pair, phrase_base + len(phrases))
            w_col.append(column)
            w_unit.append(unit)
        w_count.append(len(w_col) - before)
        before = len(l_col)
        for families, unit in zip(lexicon.families_of(tokens), token_unit, strict=True):
            if families:
                l_col += families
                l_unit += [unit] * len(families)
        for pair_col, pair_first, pair_second in pairs:
            if pair_first in tokens:
                for k in range(len(tokens) - 1):
                    if tokens[k] == pair_first and tokens[k + 1].startswith(pair_second):
                        unit = _phrase(pair_first, token_unit[k], tokens[k + 1], token_unit[k + 1])
                        if unit < 0:
                            pair = (token_unit[k] - base, token_unit[k + 1] - base)
                            unit = phrases.setdefault(pair, phrase_base + len(phrases))
                        l_col.append(pair_col)
                        l_unit.append(unit)
        l_count.append(len(l_col) - before)
        unit_keys.append([*range(len(chunks)), *phrases])
        n_units = phrase_base + len(phrases)
    # the text of each unit: units are numbered text by text
    text_of_unit = np.repeat(np.arange(len(texts)), [len(k) for k in unit_keys])

    sums = np.zeros(n_units)
    logits = np.full(len(texts), float(model.intercept[0]))
    lengths = [len(c) for c in char_cols]
    c_unit = np.repeat(np.array(char_units, np.int64), lengths)
    c_text = text_of_unit[c_unit]
    c_col = np.concatenate(char_cols) if char_cols else np.zeros(0, np.int64)
    w_unit_of = np.array(w_unit, np.int64)
    word_text = np.repeat(np.arange(len(texts)), w_count)
    word_col = np.array(w_col, np.int64)
    for view, offset, text_of, col_of, unit_of in (
        (space.words, 0, word_text, word_col, w_unit_of),
        (space.chars, n_words, c_text, c_col, c_unit),
    ):
        if not len(text_of):
            continue
        n_cols = len(view.idf)
        _, inverse, counts = np.unique(
            text_of * n_cols + col_of, return_inverse=True, return_counts=True
        )
        row, col, value = view.entries(text_of, col_of, len(texts))  # in the same key order
        term = head[col + offset] * value
        logits += np.bincount(row, term, minlength=len(texts))
        sums += np.bincount(unit_of, (term / counts)[inverse], minlength=n_units)
    # Lexicon: capped counts; the count's term is shared by the words that fired the family.
    lex_text = np.repeat(np.arange(len(texts)), l_count)
    lex_col, lex_unit = np.array(l_col, np.int64), np.array(l_unit, np.int64)
    if lexicon.normalise:  # the occurrences just found are the ones Lexicon.transform counts
        counts = np.zeros((len(texts), len(lexicon.stems)))
        np.add.at(counts, (lex_text, lex_col), 1)
        dense = np.minimum(counts, 3) / 3
    else:
        dense = lexicon.transform(texts)
    lex_terms = dense * head[lexicon_offset : lexicon_offset + dense.shape[1]]
    logits += lex_terms.sum(axis=1)
    if len(lex_text):
        keys = lex_text * dense.shape[1] + lex_col
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        sums += np.bincount(
            lex_unit, lex_terms[lex_text, lex_col] / counts[inverse], minlength=n_units
        )
    used = np.zeros(n_units, bool)
    for units_of in (w_unit_of, c_unit, lex_unit):
        used[units_of] = True
    flat = sums.tolist()
    kept = used.tolist()
    out = []
    base = 0
    for keys_ in unit_keys:
        out.append({key: flat[base + j] for j, key in enumerate(keys_) if kept[base + j]})
        base += len(keys_)
    return out, logits.tolist()


def _phrase(first: str, a: int, second: str, b: int) -> int:
    """The unit of two words of units ``a`` and ``b``: with a function word on one side (or
    both in one chunk), the other word's; -1 for the phrase of both."""
    if a == b or second in FUNCTION_WORDS:
        return a
    if first in FUNCTION_WORDS:
        return b
    return -1


def _select(text: str, units: dict[Unit, float], logit: float) -> list[str]:
    """The strongest units pushing towards the judgement, as the statement writes them."""
    sign = 1.0 if logit >= 0 else -1.0
    norm_chunks, display = surface_chunks(text)
    pushing = {
        u: sign * v
        for u, v in units.items()
        if sign * v > 0 and not (isinstance(u, int) and _is_function_word(norm_chunks[u]))
    }
    total = sum(pushing.values())
    if total <= 0:
        return []
    chosen: list[Unit] = []
    used: set[int] = set()
    for unit, value in sorted(pushing.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        if len(chosen) == MAX_ITEMS or value < MIN_SHARE * total:
            break
        span = set(range(unit[0], unit[1] + 1)) if isinstance(unit, tuple) else {unit}
        if span & used:
            continue
        chosen.append(unit)
        used |= span
    out = []
    for unit in chosen:
        a, b = unit if isinstance(unit, tuple) else (unit, unit)
        words = strip_edges(" ".join(display[a : b + 1]))
        if words and words not in out:
            out.append(words)
    return out


def _is_function_word(chunk: str) -> bool:
    core = strip_edges(chunk)
    return not core or core in FUNCTION_WORDS or not any(ch.isalpha() for ch in core)
