"""Job title → closest corpus occupation.

Titles and synonyms of both languages are reduced to one gender-neutral form
(:func:`risk_service.text.normalise_title`) and compared by character n-gram TF-IDF cosine, which
tolerates typos, German compounds ("Finanzbuchhalter" ~ "Buchhalter") and word order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

from risk_service.text import normalise_title


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
        self.table = occupations.set_index("occupation_id")[
            ["isco08", "title_en", "title_de"]
        ].astype(str)
        self._rows: dict[str, dict[str, str]] = self.table.to_dict("index")
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
        self._owners = np.array(owners, dtype=object)
        self._langs = np.array(langs, dtype=object)
        self._vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True
        )
        self._matrix = self._vectorizer.fit_transform(names)
        self.tasks: dict[tuple[str, str], list[str]] = {
            key: group["text"].tolist() for key, group in tasks.groupby(["occupation_id", "lang"])
        }

    def __len__(self) -> int:
        return len(self.table)

    def search(self, title: str, k: int = 5) -> list[OccupationMatch]:
        """The ``k`` most similar occupations, best first (one entry per occupation).

        Results are cached per normalised title: files and HR systems repeat titles a lot.
        """
        query = normalise_title(title)
        if not query:
            return []
        cache = self.__dict__.setdefault("_search_cache", {})
        key = (query, k)
        if key not in cache:
            if len(cache) > 50_000:
                cache.clear()
            cache[key] = self._search(query, k)
        return cache[key]

    def _search(self, query: str, k: int) -> list[OccupationMatch]:
        scores = (self._matrix @ self._vectorizer.transform([query]).T).toarray().ravel()
        order = np.argsort(-scores, kind="stable")
        seen: set[str] = set()
        matches: list[OccupationMatch] = []
        for i in order:
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

    def title(self, occupation_id: str, language: str) -> str:
        return self._rows[occupation_id][f"title_{language}"]

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_search_cache", None)
        return state

    def tasks_of(self, occupation_id: str, language: str) -> list[str]:
        return self.tasks.get((occupation_id, language), [])
