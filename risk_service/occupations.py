"""Job title → ESCO occupation → the corpus occupation whose tasks are scored.

The title index is ESCO v1.2 (``training/data/esco/``: 3,039 occupations in 426 ISCO-08 unit
groups, preferred, alternative and hidden labels in German and English) plus the titles and
synonyms of our corpus occupations, each filed under the ESCO occupation of its unit group it is
closest to. Names and queries are reduced to one gender-neutral form
(:func:`risk_service.text.normalise_title`; job-board noise such as "(m/w/d)", "Senior",
"Werkstudent", places and pay is dropped from queries by :func:`risk_service.text.title_core`)
and compared by character n-gram TF-IDF cosine, which tolerates typos, German compounds
("Kreditorenbuchhalter" ~ "Buchhalter") and word order.

A title resolves to an ESCO occupation, hence to its ISCO-08 unit group. What is scored are the
tasks of a corpus occupation of that unit group (the one whose names are closest to the ESCO
occupation's); a unit group without one borrows the closest corpus occupation of the same
minor (3-digit), sub-major (2-digit) or major group, and the match says so (``basis``). The
choice is made once per ESCO occupation at training time, so the German and the English title
of one occupation are scored on the same tasks.

Built at training time (scikit-learn fits the TF-IDF); serving keeps plain arrays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from risk_service import config
from risk_service.cache import BoundedCache
from risk_service.features import TfidfView, char_grams
from risk_service.text import (
    names_team_lead,
    normalise_title,
    title_core,
    title_head,
    title_narrowed,
)

if TYPE_CHECKING:
    import pandas as pd

TITLE_NGRAMS = (3, 5)
LANGUAGES = ("de", "en")
# A corpus occupation answers for a unit group when it has this many statements per language.
MIN_TASKS = 8
# A name's similarity is multiplied by the weight of its kind. Many ESCO alternative labels
# belong to several occupations ("plumber" is also one of the pipe welder's): the occupation
# whose preferred label it is wins, then one our corpus names so (our titles keep our unit
# groups where ESCO files a label elsewhere), then those that have it as an alternative.
# Hidden labels are ESCO's search terms and misspellings: they find an occupation, but lose
# to anything visible that matches as well.
NAME_WEIGHTS = {"preferred": 1.0, "corpus": 0.995, "alternative": 0.99, "hidden": 0.97}
# A corpus name at least this close to an ESCO label of its unit group is filed under that
# label's occupation; the others under the ESCO occupation their occupation's names cover best.
HOME_SIMILARITY = 0.8
# Ranking weight of a concept's unit group (mean of its two best concepts' similarities): it
# decides between concepts whose own similarities are that close (chosen on the tune titles).
GROUP_SUPPORT = 0.01
# A title's part before its qualifier ("Controller (m/w/d) Schwerpunkt Konzernreporting" →
# "Controller") is matched too, at this weight: it decides where the whole title matches no
# name well, and loses to a name that matches the whole title (chosen on the tune titles).
HEAD_WEIGHT = 0.9
# A qualifier after the occupation ("Senior Conductor – Rail", "Laboratory Technician –
# Pathology") is matched with it: where a name holds both, it beats the occupation alone, which
# then counts at this weight (a qualifier no name holds, such as a place, changes nothing).
NARROWED_WEIGHT = 0.98
# Cosine at which a title is one of the index's names (normalised forms equal but for
# float error).
SAME_NAME = 0.999
# How well the scored occupation's names cover the title's ESCO occupation's labels (the mean
# over its labels of the best name similarity, what :meth:`OccupationIndex._assign` maximises):
# below this the tasks are another job's of the same group, and the answer says so
# (``tasks_fit``). Locksmith ~ toolmaker 0.09, security alarm technician ~ telecoms technician
# 0.15, category manager ~ sales and marketing manager 0.16 are other jobs; airport security
# officer ~ security guard 0.46, tourist guide ~ travel guide 0.54 are the same job.
LOOSE_FIT = 0.3
# Below this title similarity a title-only answer says the title was matched only roughly: of
# the 848 labelled board titles (training/data/titles) 62 % of the 92 below 0.75 land in the
# right unit group, 85-95 % of those above ("Sachbearbeiter Zollabwicklung Export" → office
# clerk 0.60).
ROUGH_MATCH = 0.75
# ISCO-08 files the first-line supervisors of these workers in unit groups of their own
# (longest code prefix first; a supervisors' group supervises its own): a team leader of
# clerks is an office supervisor (3341), of shop staff a shop supervisor (5222), of cleaners
# and housekeepers 5151, of building trades 3123, of miners 3121, of manufacturing trades,
# operators and labourers 3122. Other team leaders keep the occupation they lead.
SUPERVISED_BY = {
    "4": "3341",
    "3341": "3341",
    "52": "5222",
    "5222": "5222",
    "515": "5151",
    "91": "5151",
    "71": "3123",
    "9312": "3123",
    "9313": "3123",
    "3123": "3123",
    "811": "3121",
    "3121": "3121",
    "72": "3122",
    "73": "3122",
    "75": "3122",
    "81": "3122",
    "82": "3122",
    "932": "3122",
    "3122": "3122",
}
# A team leader's occupation is looked for among the title's best few matches.
TEAM_LEAD_CANDIDATES = 5


def supervisors_group(isco08: str) -> str | None:
    """The ISCO-08 unit group of the first-line supervisors of ``isco08``'s workers, if it has
    one (:data:`SUPERVISED_BY`)."""
    for digits in (4, 3, 2, 1):
        group = SUPERVISED_BY.get(isco08[:digits])
        if group:
            return group
    return None


# How the scored occupation relates to the title's ESCO occupation, by ISCO-08 digits shared
# ("other_group": the corpus has no occupation in its major group, e.g. the armed forces).
BASIS = {
    4: "unit_group",
    3: "minor_group",
    2: "sub_major_group",
    1: "major_group",
    0: "other_group",
}


# A description that is one short line without sentence punctuation may be a job title
# ("Buchhalter", "Data Analyst", "Sachbearbeiter Kreditorenbuchhaltung (m/w/d)").
TITLE_MAX_CHARS = 80
TITLE_MAX_WORDS = 8
_SENTENCE_MARK = re.compile(r"[.;!?\n]")
# ... unless it reads like a duty: a bullet or number in front, a list ("Kassieren, Auffüllen,
# Beraten"; a comma inside a number or after " – " does not count), or German nominal duty
# style: an action noun first ("Planung von …", "Reinigung der Backstube", "Kassieren und …";
# "-leitung" and "-führung" name roles: "Teamleitung", "Geschäftsführung") or a noun that
# names no person before "der", "von", "am" … ("Pflege der Stammdaten"; "Leiter der
# Buchhaltung" is a title).
_BULLET = re.compile(r"^\W*?(?:[-–•*✓▪■►»◦·]|\d+[.)])")
_LIST_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
_DUTY_NOUN_ENDINGS = ("ung", "ierung", "keit", "heit", "ieren", "arbeiten")
_ROLE_NOUN_ENDINGS = ("leitung", "führung")
_NOT_ROLES = frozenset({"anleitung", "einleitung", "weiterleitung", "einführung", "ausführung"})
_DUTY_LINK = re.compile(
    r"^\W*+\w[\w-]*+\s++(?:der|des|von|vom|am|im|zur|zum|mit|per)\s", re.IGNORECASE
)
_PERSON_ENDINGS = ("er", "in", "eur", "or", "ist", "ant", "ent", "kraft", "leitung", "mann")
# "Ausbildung Koch/Köchin", "Praktikum Marketing": the role follows.
_NOISE_FIRST = frozenset({"ausbildung", "praktikum", "werkstudent", "aushilfe", "duales"})


def is_title_shaped(text: str) -> bool:
    """Whether a description could be a job title rather than duties (the shape only; the
    title index decides whether it is one)."""
    text = text.strip()
    if not text or len(text) > TITLE_MAX_CHARS or len(text.split()) > TITLE_MAX_WORDS:
        return False
    if _SENTENCE_MARK.search(text) or _BULLET.match(text):
        return False
    if _LIST_COMMA.search(text) and not re.search(r"\s[–—-]\s", text):
        return False
    words = [w for w in normalise_title(text).split() if w not in _NOISE_FIRST]
    if not words:
        return False
    first = words[0]
    if first.endswith(_DUTY_NOUN_ENDINGS) and (
        first in _NOT_ROLES or not first.endswith(_ROLE_NOUN_ENDINGS)
    ):
        return False
    return not (_DUTY_LINK.match(text) and not first.endswith(_PERSON_ENDINGS))


def title_grams(name: str) -> list[str]:
    """Character 3–5-grams of each word of a normalised title, padded (``char_wb``)."""
    return [gram for word in name.split() for gram in char_grams(word, *TITLE_NGRAMS)]


@dataclass(frozen=True)
class OccupationMatch:
    """A title's best ESCO occupation and the corpus occupation scored for it."""

    occupation_id: str  # corpus occupation whose tasks are scored
    title: str  # its title in ``language``
    isco08: str  # the ESCO occupation's unit group
    similarity: float
    language: str  # language of the name that matched best, or of the request
    esco_uri: str | None = None
    label: str | None = None  # the ESCO occupation's preferred label in ``language``
    basis: str = "unit_group"  # where the scored occupation comes from (see BASIS)
    concept: int = -1  # position in the index
    name: int = -1  # the name that matched best (its position in the index)
    # how well the scored occupation's names cover the ESCO occupation's labels (LOOSE_FIT);
    # 1.0 when the title is one of the scored occupation's own names; None: not known
    fit: float | None = None

    def as_dict(self, *, tasks_scored: bool = True) -> dict:
        """The API's ``matched_occupation``; ``tasks_scored``: the occupation's tasks were
        scored (a title-only request), so a loose fit gets its note. A role sent with its own
        duties keeps ``tasks_fit`` but no note: nothing of the other job was scored."""
        out = {
            "occupation_id": self.occupation_id,
            "title": self.title,
            "isco08": self.isco08,
            "similarity": round(self.similarity, 3),
            "basis": self.basis,
        }
        if self.esco_uri is not None:
            out["esco_uri"] = self.esco_uri
            out["label"] = self.label
        if self.fit is not None:
            out["tasks_fit"] = "close" if self.fit >= LOOSE_FIT else "loose"
            if tasks_scored and self.fit < LOOSE_FIT and self.label:
                same = self.basis == "unit_group"
                group = _GROUP_WORDS[self.language]["same" if same else "near"]
                out["tasks_note"] = _LOOSE_NOTE[self.language].format(
                    title=self.title, label=self.label, group=group
                )
        if tasks_scored and self.similarity < ROUGH_MATCH and self.label:
            rough = _ROUGH_NOTE[self.language].format(label=self.label)
            out["tasks_note"] = f"{rough} {out['tasks_note']}" if "tasks_note" in out else rough
        return out


# What a loose fit means for the user, in the request's language.
_LOOSE_NOTE = {
    "de": "Für „{label}“ haben wir keine eigene Tätigkeitsbeschreibung: bewertet sind die "
    "Tätigkeiten von „{title}“ {group}, die abweichen können. "
    "Senden Sie die Aufgaben der Stelle für eine Bewertung der Rolle selbst.",
    "en": "We hold no task description of '{label}': the tasks scored are those of "
    "'{title}' {group} and may differ. Send the role's duties to "
    "have the role itself scored.",
}


# What a rough title match means for the user, in the request's language.
_ROUGH_NOTE = {
    "de": "Den Titel haben wir nur ungefähr „{label}“ zugeordnet: Passt das nicht, senden Sie "
    "die Aufgaben der Stelle.",
    "en": "We matched the title only roughly, to '{label}': if that is not the job, send the "
    "role's duties.",
}


# Where the scored occupation comes from: its basis (the unit group itself, else the nearest
# group above it that has a corpus occupation).
_GROUP_WORDS = {
    "de": {
        "same": "aus derselben ISCO-08-Berufsgruppe",
        "near": "aus der nächstverwandten ISCO-08-Gruppe",
    },
    "en": {
        "same": "from the same ISCO-08 unit group",
        "near": "from the nearest related ISCO-08 group",
    },
}


class OccupationIndex:
    """Searchable title index with the corpus task statements per occupation and language.

    Parameters
    ----------
    occupations : DataFrame
        Rows of ``occupations.csv``.
    tasks : DataFrame
        Rows of ``tasks.csv`` (``occupation_id``, ``lang``, ``text``, optional ``share``).
    esco : DataFrame, optional
        ESCO occupations (:func:`training.esco_titles.load_esco`): ``esco_uri``, ``isco08``,
        ``label_<lang>``, ``alt_<lang>``, ``hidden_<lang>`` (lists of labels). Without it the
        corpus occupations themselves are the index (no ``esco_uri``).
    """

    def __init__(
        self, occupations: pd.DataFrame, tasks: pd.DataFrame, esco: pd.DataFrame | None = None
    ) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer  # training side only

        table = occupations.set_index("occupation_id")[["isco08", "title_en", "title_de"]]
        self._rows: dict[str, dict[str, str]] = table.astype(str).to_dict("index")
        self.tasks: dict[tuple[str, str], list[str]] = {}
        self.shares: dict[tuple[str, str], list[float]] = {}
        for key, group in tasks.groupby(["occupation_id", "lang"]):
            self.tasks[key] = group["text"].tolist()
            share = group.get("share")
            if share is not None and (share.astype(str).str.strip() != "").all():
                self.shares[key] = [float(s) for s in share]

        if esco is None:
            concepts = occupations.assign(
                esco_uri=None, label_en=occupations["title_en"], label_de=occupations["title_de"]
            ).reset_index(drop=True)
        else:
            concepts = esco.reset_index(drop=True)
        self._uri: list[str | None] = list(concepts["esco_uri"])
        self._isco: list[str] = [str(c) for c in concepts["isco08"]]
        self._label = {lang: [str(x) for x in concepts[f"label_{lang}"]] for lang in LANGUAGES}

        # Every name: (concept or -1, corpus occupation or "", language, normalised, weight).
        names = [] if esco is None else [(c, "", *name) for c, *name in _esco_names(concepts)]
        own = dict(zip(occupations["occupation_id"], range(len(occupations)), strict=True))
        names += [
            (own[occ] if esco is None else -1, occ, lang, name, NAME_WEIGHTS["corpus"])
            for occ, lang, name in _corpus_names(occupations)
        ]
        vectorizer = TfidfVectorizer(analyzer=title_grams, sublinear_tf=True)
        matrix = vectorizer.fit_transform([n[3] for n in names]).tocsr()
        rows_of = _rows_by_occupation(names)
        corpus_matrix = matrix  # every corpus name, for choosing what is scored
        if esco is not None:
            # File each corpus name under the ESCO occupation of its unit group with the closest
            # names: job-board wordings we wrote ("Pflegefachkraft (m/w/d)") then find it too.
            homes = self._homes(matrix, names, rows_of)
            names = [(homes.get(i, -1) if n[0] < 0 else n[0], *n[1:]) for i, n in enumerate(names)]
        # Grouped by concept (per-concept maxima by reduceat); names of no concept dropped.
        order = sorted((i for i, n in enumerate(names) if n[0] >= 0), key=lambda i: names[i][0])
        names = [names[i] for i in order]
        matrix = matrix[order]
        self._view = TfidfView.from_vectorizer(vectorizer)
        # By column: a query gathers its grams. 2.8 million entries: 32-bit rows and values
        # keep the artifact and each worker 23 MB smaller (on the 603 evaluation titles the top
        # five are those of float64 but for one exact tie, similarities within 3e-8).
        csc = matrix.tocsc()
        self._col_start = csc.indptr.astype(np.int64)
        self._col_rows = csc.indices.astype(np.int32)
        self._col_values = csc.data.astype(np.float32)
        self._name_concept = np.array([n[0] for n in names], dtype=np.intp)
        self._name_lang = np.array([LANGUAGES.index(n[2]) for n in names], dtype=np.int8)
        self._name_weight = np.array([n[4] for n in names], dtype=np.float64)
        # The corpus occupation whose title or synonym a name is (-1: an ESCO label): a title
        # that is one of our names ("Steuerfachangestellte", filed under ESCO's bookkeeper) is
        # scored on that occupation's tasks when it belongs to the ESCO occupation's unit group.
        owners = {occ: i for i, occ in enumerate(self._rows)}
        self._name_owner = np.array([owners.get(n[1], -1) for n in names], dtype=np.int32)
        # names of concept c: _concept_start[c]:_concept_start[c + 1] (every concept has one)
        self._concept_start = np.searchsorted(self._name_concept, np.arange(len(self._uri) + 1))
        # A concept's own names (ESCO's labels; every name when the corpus is the index) say
        # which corpus occupation is scored for it: corpus names filed under it match their
        # own occupation perfectly and would tie.
        own = np.array([esco is None or not n[1] for n in names], dtype=bool)
        self._scored, self._basis, self._fit = self._assign(matrix, own, corpus_matrix, rows_of)

    # -- training-time helpers ---------------------------------------------------------
    def _homes(self, matrix, names: list, rows_of: dict[str, list[int]]) -> dict[int, int]:
        """Corpus name (its row) → the concept of its occupation's unit group that has the
        closest name; occupations of unit groups ESCO does not use have none."""
        rows_of_group: dict[str, list[int]] = {}
        for row, name in enumerate(names):
            if name[0] >= 0:
                rows_of_group.setdefault(self._isco[name[0]], []).append(row)
        homes = {}
        for occ, rows in rows_of.items():
            candidates = rows_of_group.get(self._rows[occ]["isco08"])
            if not candidates:
                continue
            sims = (matrix[candidates] @ matrix[rows].T).toarray()
            # The occupation's own concept: the one whose labels its names cover best (mean
            # over its names of the best label), as for the scored occupation (_assign).
            concepts = np.array([names[c][0] for c in candidates])
            starts = np.flatnonzero(np.r_[True, concepts[1:] != concepts[:-1]])
            cover = np.maximum.reduceat(sims, starts, axis=0).mean(axis=1)
            own = int(concepts[starts[int(cover.argmax())]])
            best = sims.argmax(axis=0)
            for j, row in enumerate(rows):
                # A name that is (nearly) one of the concept's labels is filed there; any other
                # under the occupation's concept, whose label then names the occupation: a
                # lone name's nearest label is often another job's ("Paketzusteller" ~
                # "Parkservice-Mitarbeiter", "Clinical Research Associate" ~ "bioinformatics
                # scientist").
                close = sims[best[j], j] >= HOME_SIMILARITY
                homes[row] = names[candidates[best[j]]][0] if close else own
        return homes

    def _assign(
        self, matrix, own: np.ndarray, corpus_matrix, rows_of: dict[str, list[int]]
    ) -> tuple[list[str], list[str], np.ndarray]:
        """Per concept: the corpus occupation scored for it, the ``basis`` of that choice and
        how well its names cover the concept's (``fit``, :data:`LOOSE_FIT`).

        Candidates are the corpus occupations of the concept's unit group, else of its minor,
        sub-major or major group, else all; among them those with :data:`MIN_TASKS` statements
        in each language if there are any, else those with at least one. The candidate whose
        names are closest to the concept's own names (``own``: rows of ``matrix``) wins.
        """
        counts = {
            occ: min(len(self.tasks.get((occ, lang), [])) for lang in LANGUAGES)
            for occ in self._rows
        }
        usable = [occ for occ in self._rows if counts[occ] > 0 and occ in rows_of]
        isco = {occ: self._rows[occ]["isco08"] for occ in usable}
        scored, basis = [""] * len(self._uri), [""] * len(self._uri)
        fit = np.zeros(len(self._uri), dtype=np.float32)
        concepts_of_group: dict[str, list[int]] = {}
        for c, code in enumerate(self._isco):
            concepts_of_group.setdefault(code, []).append(c)
        for code, concepts in concepts_of_group.items():
            for digits in (4, 3, 2, 1, 0):
                candidates = [o for o in usable if isco[o][:digits] == code[:digits]]
                if candidates:
                    break
            else:
                continue  # a corpus without occupations that have tasks in both languages
            candidates = [o for o in candidates if counts[o] >= MIN_TASKS] or candidates
            occ_rows = [r for o in candidates for r in rows_of[o]]
            # each candidate's names are one block of columns
            first = np.cumsum([0] + [len(rows_of[o]) for o in candidates[:-1]])
            occ_matrix = corpus_matrix[occ_rows].T
            for c in concepts:
                span = np.arange(self._concept_start[c], self._concept_start[c + 1])
                rows = matrix[span[own[span]]]
                if rows.shape[0] == 0:  # no names of its own: nothing to measure the fit by
                    scored[c], fit[c], basis[c] = candidates[0], np.nan, BASIS[digits]
                    continue
                pair = (rows @ occ_matrix).toarray()  # concept name x candidate name
                # how well a candidate's names cover all of the concept's names ("Bäcker",
                # "baker", "bread baker" beat one alternative label "Konditor")
                per_candidate = np.maximum.reduceat(pair, first, axis=1).mean(axis=0)
                best = int(np.argmax(per_candidate))
                scored[c], fit[c] = candidates[best], per_candidate[best]
                basis[c] = BASIS[digits]
        return scored, basis, fit

    # -- serving ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._uri)

    def search(self, title: str, k: int = 5) -> list[OccupationMatch]:
        """The ``k`` most similar occupations, best first (one entry per ESCO occupation).

        Results are cached per query: files and HR systems repeat titles a lot.
        """
        query = title_core(title)
        if not query:
            return []
        cache = self.__dict__.get("_search_cache")
        if cache is None:
            cache = BoundedCache(config.cache_bytes("title_search"), name="title_search")
            cache = self.__dict__.setdefault("_search_cache", cache)
        head = title_head(title)
        narrowed = title_narrowed(title)
        lead = names_team_lead(title)
        key = (query, head, narrowed, lead, k)
        found = cache.get(key)
        if found is None:
            found = cache.put(key, self._search(query, k, head, narrowed, lead))
        return found

    def _search(
        self, query: str, k: int, head: str = "", narrowed: str = "", lead: bool = False
    ) -> list[OccupationMatch]:
        sims = self._similarities(query) * self._name_weight
        if narrowed:
            sims = np.maximum(
                NARROWED_WEIGHT * sims, self._similarities(narrowed) * self._name_weight
            )
        if head:  # "Controller (m/w/d) Schwerpunkt Konzernreporting": the occupation is first
            sims = np.maximum(sims, HEAD_WEIGHT * self._similarities(head) * self._name_weight)
        agent = _agent_noun(query)
        if agent:  # "Werkstudent Controlling": the department may name the role better
            sims = np.maximum(sims, self._similarities(agent) * self._name_weight)
        scores = np.maximum.reduceat(sims, self._concept_start[:-1])
        ranked = self._ranked(scores, k)
        if lead:  # "Teamleiter Kundenservice": the supervisor of the workers the title names
            ranked = self._team_lead(scores, ranked, k)
        matches = []
        for c in ranked:
            start = self._concept_start[c]
            best_name = start + int(np.argmax(sims[start : self._concept_start[c + 1]]))
            language = LANGUAGES[self._name_lang[best_name]]
            matches.append(self.match(c, float(scores[c]), language, best_name))
        return matches

    def _team_lead(self, scores: np.ndarray, ranked: list[int], k: int) -> list[int]:
        """``ranked`` led by the supervisors' occupation closest to the title, where one of
        its best matches names workers ISCO-08 gives supervisors of their own; that
        occupation is recognised as well as those workers were."""
        for c in self._ranked(scores, TEAM_LEAD_CANDIDATES):
            group = supervisors_group(self._isco[c])
            if group is None:
                continue
            members = np.asarray(self._concepts_of(group))
            best = int(members[np.argmax(scores[members])])
            scores[best] = max(scores[best], scores[c])
            return [best, *(x for x in ranked if x != best)][:k]
        return ranked

    def _concepts_of(self, code: str) -> list[int]:
        groups = self.__dict__.get("_groups")
        if groups is None:  # unit group → its concepts (derived, not stored)
            groups = {}
            for c, isco in enumerate(self._isco):
                groups.setdefault(isco, []).append(c)
            self.__dict__["_groups"] = groups
        return groups[code]

    def _ranked(self, scores: np.ndarray, k: int) -> list[int]:
        """The ``k`` best concepts: by score, where scores are within :data:`GROUP_SUPPORT` of
        each other by how well the concept's unit group matches as a whole (the mean of its two
        best concepts' scores), then by index. Many labels are shared by occupations of several
        groups ("office manager", "Buchhalter"); the group that has more of the title wins."""
        k = min(k, len(scores))
        if k <= 0:
            return []
        cut = np.partition(scores, len(scores) - k)[len(scores) - k] - GROUP_SUPPORT
        near = np.flatnonzero(scores >= cut)
        support = {}
        for code in {self._isco[c] for c in near.tolist()}:
            best = np.sort(scores[self._concepts_of(code)])[-2:]
            support[code] = best.sum() / 2
        ranked = sorted(
            near.tolist(), key=lambda c: (-(scores[c] + GROUP_SUPPORT * support[self._isco[c]]), c)
        )
        return ranked[:k]

    def match(
        self, concept: int, similarity: float, language: str, name: int = -1
    ) -> OccupationMatch:
        """The match for ``concept`` (found by its ``name``) with its titles and label in
        ``language``."""
        occupation = self._scored[concept]
        fits = self.__dict__.get("_fit")  # an index pickled before it had them: none
        fit = None if fits is None or np.isnan(fits[concept]) else float(fits[concept])
        owner = self._owner(name)
        if owner and self._basis[concept] == "unit_group":
            rows = self._rows[owner]
            usable = all(len(self.tasks_of(owner, lang)) >= MIN_TASKS for lang in LANGUAGES)
            if rows["isco08"] == self._isco[concept] and usable:
                # the title is one of this occupation's own names: its tasks are the job's
                occupation = owner
                fit = None if fit is None else 1.0
        label = self._label[language][concept]
        return OccupationMatch(
            occupation_id=occupation,
            title=self.title(occupation, language) if occupation else label,
            isco08=self._isco[concept],
            similarity=min(similarity, 1.0),
            language=language,
            esco_uri=self._uri[concept],
            label=label if self._uri[concept] else None,
            basis=self._basis[concept],
            concept=concept,
            name=name,
            fit=fit,
        )

    def _owner(self, name: int) -> str:
        """The corpus occupation name ``name`` belongs to, "" for an ESCO label."""
        owners = self.__dict__.get("_name_owner")  # an index pickled before it had them: none
        if name < 0 or owners is None or owners[name] < 0:
            return ""
        ids = self.__dict__.get("_owner_ids")
        if ids is None:
            ids = self.__dict__["_owner_ids"] = list(self._rows)
        return ids[owners[name]]

    def closer_language(self, title: str) -> str:
        """The language whose names ``title`` (as :func:`~risk_service.text.title_core` reads
        it) is closer to: "de" for "Sachbearbeiter Kreditorenbuchhaltung", "en" for
        "Controller", a name in both (near-ties within :data:`SAME_NAME` go to English)."""
        query = title_core(title)
        sims = self._similarities(query) if query else np.zeros(len(self._name_lang))
        best = [
            float(sims[self._name_lang == i].max(initial=0.0)) for i in range(len(LANGUAGES))
        ]
        german, english = best[LANGUAGES.index("de")], best[LANGUAGES.index("en")]
        return "de" if german > english and english < SAME_NAME else "en"

    def in_language(self, match: OccupationMatch, language: str) -> OccupationMatch:
        """``match`` with its titles and label in ``language``."""
        return self.match(match.concept, match.similarity, language, match.name)

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
            minlength=len(self._name_concept),
        )

    def title(self, occupation_id: str, language: str) -> str:
        return self._rows[occupation_id][f"title_{language}"]

    def tasks_of(self, occupation_id: str, language: str) -> list[str]:
        return self.tasks.get((occupation_id, language), [])

    def shares_of(self, occupation_id: str, language: str) -> list[float] | None:
        """Typical shares of working time of :meth:`tasks_of`, or None where not given."""
        return self.shares.get((occupation_id, language))

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_search_cache", None)
        state.pop("_groups", None)
        state.pop("_owner_ids", None)
        return state


# A title that is only a department or activity ("Controlling", "Buchhaltung", "Recruiting",
# "Softwareentwicklung", as in "Werkstudent Controlling") is also read as the person doing it.
_ACTIVITY_ENDINGS = ("ung", "ing")


def _agent_noun(query: str) -> str | None:
    """"controlling" → "controller", "buchhaltung" → "buchhalter"; None unless the query is
    one such word."""
    if " " in query or len(query) < 7 or not query.endswith(_ACTIVITY_ENDINGS):
        return None
    return query[:-3] + "er"


def _corpus_names(occupations: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(occupation_id, language, normalised name) for every title and synonym, deduplicated."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for row in occupations.itertuples(index=False):
        for lang in LANGUAGES:
            synonyms = getattr(row, f"synonyms_{lang}")
            candidates = [getattr(row, f"title_{lang}")]
            if isinstance(synonyms, str) and synonyms:
                candidates += synonyms.split("|")
            for name in candidates:
                item = (row.occupation_id, lang, normalise_title(name))
                if item[2] and item not in seen:
                    seen.add(item)
                    out.append(item)
    return out


def _esco_names(concepts: pd.DataFrame) -> list[tuple[int, str, str, float]]:
    """(concept, language, normalised name, weight) of every ESCO label, deduplicated,
    without those listed (normalised) in the optional ``dropped_<lang>``: they name another
    occupation (``training/data/esco/corrections.csv``)."""
    out = []
    for i, row in enumerate(concepts.itertuples(index=False)):
        seen: set[tuple[str, str]] = set(
            (lang, name) for lang in LANGUAGES for name in getattr(row, f"dropped_{lang}", ())
        )
        for lang in LANGUAGES:
            labels = [
                (getattr(row, f"label_{lang}"), "preferred"),
                *((x, "alternative") for x in getattr(row, f"alt_{lang}")),
                *((x, "hidden") for x in getattr(row, f"hidden_{lang}")),
            ]
            for label, kind in labels:
                name = normalise_title(label)
                if name and (lang, name) not in seen:
                    seen.add((lang, name))
                    out.append((i, lang, name, NAME_WEIGHTS[kind]))
    return out


def _rows_by_occupation(names: list[tuple]) -> dict[str, list[int]]:
    """Corpus occupation → positions of its names in ``names``."""
    out: dict[str, list[int]] = {}
    for row, name in enumerate(names):
        if name[1]:
            out.setdefault(name[1], []).append(row)
    return out
