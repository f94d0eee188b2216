"""Job title → closest corpus occupation.

Titles and synonyms of both languages are reduced to one gender-neutral form
(:func:`risk_service.text.normalise_title`) and compared by character n-gram TF-IDF cosine, which
tolerates typos, German compounds ("Finanzbuchhalter" ~ "Buchhalter") and word order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from risk_service.features import TfidfView, char_grams
from risk_service.text import normalise_title

if TYPE_CHECKING:
    import pandas as pd

TITLE_NGRAMS = (2, 4)


def title_grams(name: str) -> list[str]:
    """Character 2–4-grams of each word of a normalised title, padded (``char_wb``)."""
    return [gram for word in name.split() for gram in char_grams(word, *TITLE_NGRAMS)]


@dataclass(frozen=True)
class OccupationMatch:
    occupation_id: str
    title: str
    isco08: str
    similarity: float
    language: str  # language of the name that matched best

    def as_dict(self) -> dict:
        return {
            "occupation_id": self.occupation_id,
            "title": self.title,
            "isco08": self.isco08,
            "similarity": round(self.similarity, 3),
        }


class OccupationIndex:
    """Searchable occupations with their task statements per language.

    Parameters
    ----------
    occupations : DataFrame
        Rows of ``occupations.csv``.
    tasks : DataFrame
        Rows of ``tasks.csv`` (``occupation_id``, ``lang``, ``text``).
    """

    def __init__(self, occupations: pd.DataFrame, tasks: pd.DataFrame) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # training side only

        table = occupations.set_index("occupation_id")[["isco08", "title_en", "title_de"]]
        self._rows: dict[str, dict[str, str]] = table.astype(str).to_dict("index")
        names, owners, langs = [], [], []
        for row in occupations.itertuples(index=False):
            for lang in ("en", "de"):
                synonyms = getattr(row, f"synonyms_{lang}")
                candidates = [getattr(row, f"title_{lang}")]
                if isinstance(synonyms, str) and synonyms:
                    candidates += synonyms.split("|")
                for name in candidates:
                    normalised = normalise_title(name)
                    if normalised:
                        names.append(normalised)
                        owners.append(row.occupation_id)
                        langs.append(lang)
        self._owners = owners
        self._langs = langs
        vectorizer = TfidfVectorizer(analyzer=title_grams, sublinear_tf=True)
        matrix = vectorizer.fit_transform(names).tocsc()  # by column: a query gathers its grams
        self._view = TfidfView.from_vectorizer(vectorizer)
        self._col_start = matrix.indptr.astype(np.intp)
        self._col_rows = matrix.indices.astype(np.intp)
        self._col_values = matrix.data.astype(np.float64)
        self.tasks: dict[tuple[str, str], list[str]] = {
            key: group["text"].tolist() for key, group in tasks.groupby(["occupation_id", "lang"])
        }

    def __len__(self) -> int:
        return len(self._rows)

    def search(self, title: str, k: int = 5) -> list[OccupationMatch]:
        """The ``k`` most similar occupations, best first (one entry per occupation).

        Results are cached per normalised title: files and HR systems repeat titles a lot.
        """
        query = normalise_title(title)
        if not query:
            return []
        cache = self.__dict__.setdefault("_search_cache", {})
        key = (query, k)
        found = cache.get(key)
        if found is None:
            if len(cache) > 50_000:
                cache.clear()
            found = cache[key] = self._search(query, k)
        return found

    def _search(self, query: str, k: int) -> list[OccupationMatch]:
        scores = self._similarities(query)
        seen: set[str] = set()
        matches: list[OccupationMatch] = []
        for i in np.argsort(-scores, kind="stable").tolist():  # best first, ties by index
            owner = self._owners[i]
            if owner in seen:
                continue
            seen.add(owner)
            lang = self._langs[i]
            row = self._rows[owner]
            matches.append(
                OccupationMatch(
                    occupation_id=owner,
                    title=row[f"title_{lang}"],
                    isco08=row["isco08"],
                    similarity=float(min(scores[i], 1.0)),
                    language=lang,
                )
            )
            if len(matches) == k:
                break
        return matches

    def _similarities(self, query: str) -> np.ndarray:
        """Cosine of the query with every name: its unit TF-IDF vector times the name matrix."""
        get = self._view.vocabulary.get
        grams = np.array([j for j in map(get, title_grams(query)) if j is not None], np.int64)
        _, columns, weights = self._view.entries(np.zeros(len(grams), np.int64), grams, 1)
        # Gather the matrix columns of the query's grams in one go (CSC: column j's entries
        # are _col_start[j]:_col_start[j + 1]).
        starts, ends = self._col_start[columns], self._col_start[columns + 1]
        lengths = ends - starts
        entry = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return np.bincount(
            self._col_rows[entry],
            self._col_values[entry] * np.repeat(weights, lengths),
            minlength=len(self._owners),
        )

    def title(self, occupation_id: str, language: str) -> str:
        return self._rows[occupation_id][f"title_{language}"]

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_search_cache", None)
        return state

    def tasks_of(self, occupation_id: str, language: str) -> list[str]:
        return self.tasks.get((occupation_id, language), [])
