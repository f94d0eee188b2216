"""Character n-gram columns of many words at once, in numpy.

Both character views — the task model's 2–5-grams (:mod:`risk_service.features`) and the line
classifier's 2–4-grams (:mod:`risk_service.lineclassifier`) — look up every gram of a new word
in a vocabulary. In Python that is a slice, a hash and a dict lookup per gram (~40 grams a
word, ~8 µs); text never seen before brings dozens of new words per ad, and this was the
largest single cost of featurising it. :class:`GramTable` does the same lookups for all new
words of a call in a few array operations.

A gram is written as an integer: each character becomes its rank in the vocabulary's alphabet
plus one (a digit from 1 to ``base - 1``), and the digits of a gram of length n are the digits
of a base-``base`` number. Different grams give different numbers (no digit is 0, so lengths
cannot collide), a gram with a character outside the alphabet is in no vocabulary, and looking
a number up in the sorted numbers of the vocabulary is exact: the same columns, in the same
order, as the dict lookups (``tests/unit/test_grams.py``).
"""

from __future__ import annotations

import numpy as np

_INT64_MAX = np.iinfo(np.int64).max
# Below this many words a dict lookup per gram is cheaper than the arrays' fixed cost (~45 µs a
# call; measured: 1 word 7 vs 46 µs, 8 words 57 vs 66, 16 words 120 vs 91, 64 words 486 vs 251).
FEW_WORDS = 10


def _code_points(text: str) -> np.ndarray:
    # surrogatepass: a lone surrogate (which normalise_task keeps) is its own code point, as
    # the dict lookup of its grams sees it
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class GramTable:
    """A character n-gram vocabulary as sorted integer keys.

    Parameters
    ----------
    vocabulary : dict of str to int
        Gram → column (grams of ``min_n`` to ``max_n`` characters, the padding space included).
    min_n, max_n : int
        The gram lengths, as the view's analyzer cuts them.
    max_chars : int
        Only a word's first ``max_chars`` characters count (as the analyzer truncates).

    Raises
    ------
    ValueError
        When the alphabet is too large for a gram of ``max_n`` characters to fit in 63 bits
        (several thousand distinct characters; no vocabulary of ours comes close).
    """

    def __init__(self, vocabulary: dict[str, int], min_n: int, max_n: int, max_chars: int) -> None:
        if not 1 <= min_n <= 2 <= max_n:
            # a padded word has at least two characters: every word has grams of min_n
            raise ValueError("expected 1 <= min_n <= 2 <= max_n")
        self.min_n, self.max_n, self.max_chars = min_n, max_n, max_chars
        self._get = vocabulary.get
        grams = list(vocabulary)
        points = _code_points("".join(grams))
        alphabet = np.flatnonzero(np.bincount(points)) if len(points) else points
        self.base = len(alphabet) + 1
        if self.base**max_n > _INT64_MAX:
            raise ValueError(f"{len(alphabet)} characters: grams do not fit in 63 bits")
        # code point → digit (its rank in the alphabet + 1), 0 for every other code point
        # (the last entry stands for all code points above the alphabet's)
        self._digit_of = np.zeros(int(alphabet.max(initial=0)) + 2, np.int32)
        self._digit_of[alphabet] = np.arange(1, len(alphabet) + 1)
        lengths = np.fromiter(map(len, grams), np.int64, len(grams))
        keys = self._keys_of(points, lengths)
        order = np.argsort(keys)  # the keys are distinct: any sort gives the same order
        self.keys = keys[order]
        self.columns = np.fromiter(vocabulary.values(), np.int64, len(grams))[order]

    def _digits(self, points: np.ndarray) -> np.ndarray:
        """Each code point's digit: its rank in the alphabet + 1, 0 outside it."""
        table = self._digit_of
        return table[np.minimum(points, len(table) - 1)].astype(np.int64)

    def _keys_of(self, points: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """The key of each of the consecutive strings of ``lengths`` in ``points`` (vocabulary
        grams: every character is in the alphabet)."""
        digits = self._digits(points)
        starts = np.cumsum(lengths) - lengths
        keys = np.zeros(len(lengths), np.int64)
        for k in range(int(lengths.max(initial=0))):
            has = lengths > k
            keys[has] += digits[starts[has] + k] * self.base**k
        return keys

    def columns_of(self, words: list[str]) -> list[np.ndarray]:
        """The vocabulary columns of each word's grams (the word padded with a space each
        side), in the analyzer's order: all grams of ``min_n`` characters left to right, then
        those of ``min_n + 1``, …; a gram outside the vocabulary is skipped."""
        if len(words) < FEW_WORDS:
            return [self._columns_by_dict(w) for w in words]
        padded = [f" {w[: self.max_chars]} " for w in words]
        sizes = np.fromiter(map(len, padded), np.int64, len(padded))
        digits = self._digits(_code_points("".join(padded)))
        total = len(digits)
        ends = np.cumsum(sizes)
        word_of = np.repeat(np.arange(len(words)), sizes)
        end_of = ends[word_of]  # the end of each position's word
        query_key, query_word = [], []  # per valid window, by length, then position
        key = np.zeros(total, np.int64)
        known = digits > 0  # every character of the window so far is in the alphabet
        for n in range(1, min(self.max_n, total) + 1):
            # key[j]: the gram of n characters at j (a window must end within its word)
            span = total - n + 1
            shift = digits[n - 1 :]
            key[:span] += shift * self.base ** (n - 1)
            if n > 1:
                known[:span] &= shift > 0
            if n >= self.min_n:
                valid = known[:span] & (np.arange(n, total + 1) <= end_of[:span])
                query_key.append(key[:span][valid])
                query_word.append(word_of[:span][valid])
        queries = np.concatenate(query_key)
        # Looked up in increasing order: numpy's binary search starts from the last hit.
        order = np.argsort(queries)
        at = np.empty_like(order)
        at[order] = np.searchsorted(self.keys, queries[order])
        np.minimum(at, len(self.keys) - 1, out=at)
        found = self.keys[at] == queries
        # Hits come by length, then position: sorting them stably by word gives each word's
        # grams in the analyzer's order (by length, then left to right).
        word = np.concatenate(query_word)[found]
        column = self.columns[at[found]]
        by_word = np.argsort(word, kind="stable")
        column = column[by_word]
        bounds = np.searchsorted(word[by_word], np.arange(len(words) + 1)).tolist()
        return [column[bounds[i] : bounds[i + 1]].copy() for i in range(len(words))]

    def _columns_by_dict(self, word: str) -> np.ndarray:
        """:meth:`columns_of` of one word, a dict lookup per gram."""
        padded = f" {word[: self.max_chars]} "
        size = len(padded)
        grams = (
            padded[i : i + n]
            for n in range(self.min_n, min(self.max_n, size) + 1)
            for i in range(size - n + 1)
        )
        return np.array([j for j in map(self._get, grams) if j is not None], np.int64)
