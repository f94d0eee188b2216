"""Regular expressions built from word lists.

A plain alternation of many literals (``"foo|bar|…"``) is tried alternative by alternative at
every position of the text: with the job-ad cue tables (100-180 cues a label) one search took
50 µs on a 90-character statement. :func:`trie_pattern` arranges the same literals as a trie
(``"k(?:und|ind)"``), so at each position only the literals sharing its first characters are
tried: the same matches, a tenth of the time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def trie_pattern(words: Iterable[str], *, nul_is_separator: bool = False) -> str:
    """A regular expression matching any of ``words``, as a trie.

    At a position where several words match, the longest wins (as in an alternation sorted
    longest first), so ``search``, ``match`` and ``sub`` find what such an alternation finds.
    With ``nul_is_separator`` a NUL in a word stands for the non-word characters between two
    words of a multi-word cue (``\\W+``). No words: a pattern that never matches.
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here
    if not trie:
        return "(?!)"

    def build(node: dict) -> str:
        branches = []
        for char in sorted(node, key=lambda c: (c == "", c)):  # longer matches first
            if char == "":
                continue
            atom = r"\W+" if nul_is_separator and char == "\0" else re.escape(char)
            branches.append(atom + build(node[char]))
        if "" in node:
            branches.append("")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return build(trie)


def word_start_pattern(cues: Iterable[str]) -> re.Pattern[str]:
    """A pattern finding any of ``cues`` in lower-cased text at a word start ("tiermedizin"
    in "tiermedizinische"); a cue ending in "$" ends at a word end too ("vet$" not in
    "veteran")."""
    return re.compile(
        "|".join(
            r"\b" + re.escape(cue.rstrip("$")) + (r"\b" if cue.endswith("$") else "")
            for cue in cues
        )
    )
