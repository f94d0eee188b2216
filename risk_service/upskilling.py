"""Role → the three upskilling areas, ranked, with actions that fit the role's own tasks.

Each task contributes its exposed work (weight × rule-based probability) to the areas that could
absorb or protect it, by its category (``AFFINITY``) and by what it is about: tasks with people
in them lean towards emotional intelligence, tasks on data and documents towards the AI
interface. A smaller share of the protected work counts too: it is what a person builds on.

The texts (``risk_service/data/upskilling.json``) are whole sentences per area and language,
chosen for the role: the "why" by what the role's work is (how much of it can be automated or
assisted, whether it involves customers, patients, pupils …), and the actions by the task they
quote — its advice (:mod:`risk_service.advice`), its kind of work (information, conversation,
manual, face to face, hands-on care …) and whether it involves people — so automation steps are
only proposed for tasks advised ``automate``, machine steps for manual work, and empathy steps for
work with people. Role actions (without a task) are chosen by the role's traits: how much of its
work changes, whether it involves people, and whether it is mostly manual, face-to-face or
hands-on work (then machines and devices, not prompts and e-mails). Quoted tasks are cut at a phrase
boundary (a comma, a conjunction, a preposition), never inside a phrase.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from risk_service import advice as advice_rules
from risk_service import config
from risk_service.advice import ADVICE, KINDS, Advice, advise_many
from risk_service.cache import byte_cached
from risk_service.patterns import word_start_pattern
from risk_service.roletasks import RoleTasks

AREAS = ("complex_problem_solving", "emotional_intelligence", "ai_process_interface")

#                            problem solving, empathy, AI interface
AFFINITY: dict[str, tuple[float, float, float]] = {
    "routine_cognitive": (0.30, 0.20, 0.50),
    "routine_manual": (0.50, 0.10, 0.40),
    "nonroutine_analytic": (0.60, 0.10, 0.30),
    "nonroutine_interpersonal": (0.15, 0.70, 0.15),
    "nonroutine_manual": (0.55, 0.25, 0.20),
    "ai_process_interface": (0.25, 0.10, 0.65),
}
PROTECTED_WEIGHT = 0.25  # how much protected work counts next to exposed work

# Word starts (checked as substrings of " " + lower-cased text: cheap on every task).
_PEOPLE = tuple(
    " " + stem
    for stem in (
        "customer client patient guest caller visitor resident pupil student parent colleague "
        "complaint enquir inquir kund mandant gast gäst anrufer besucher bewohner schüler eltern "
        "kolleg beschwerde anfrage reklamation bürger"
    ).split()
)
_DATA = tuple(
    " " + stem
    for stem in (
        "data report invoice document record spreadsheet excel database statistic text daten "
        "bericht rechnung beleg dokument tabelle datenbank statistik auswertung"
    ).split()
)


# one scan of a text for any of the word starts (the same as a substring test per start)
_PEOPLE_IN = re.compile("|".join(map(re.escape, _PEOPLE)))
_DATA_IN = re.compile("|".join(map(re.escape, _DATA)))


TEXTS: dict = json.loads(
    (Path(__file__).with_name("data") / "upskilling.json").read_text(encoding="utf-8")
)
_QUOTES = {"de": ("„", "“"), "en": ('"', '"')}
CHANGED = ("automate", "assist")
_AWAY = frozenset({"machine", "physical", "in_person", "hands_on"})


def _affinities_size(key: tuple[str, str, bool], value: tuple) -> int:
    return sys.getsizeof(key[0]) + 72 + 136  # the key tuple (category shared), three floats


@byte_cached(config.cache_bytes("affinities"), name="affinities", sizeof=_affinities_size)
def _affinities(task_text: str, category: str, people: bool) -> tuple[float, float, float]:
    """The task's weights for (problem solving, empathy, AI interface): its category's, more
    empathy when it involves people (the advice's people cues or a colleague, a complaint …),
    more AI interface when it is about data and documents."""
    solve, empathy, interface = AFFINITY.get(category, (1 / 3, 1 / 3, 1 / 3))
    text = " " + task_text.lower()
    if people or _PEOPLE_IN.search(text):
        empathy += 0.25
    if _DATA_IN.search(text):
        interface += 0.15
    total = solve + empathy + interface
    return solve / total, empathy / total, interface / total


_PERSONAL = TEXTS["phrase"]


def _infinitive_de(verb: str, du: bool) -> str:
    """The infinitive of a German finite verb in the du- or Sie-form ("beantwortest" →
    "beantworten", "kümmerst" → "kümmern"; "erstellen" stays)."""
    lowered = verb.lower()
    irregular = _PERSONAL["de"]["irregular"]
    if lowered in irregular:
        return irregular[lowered]
    if not du:
        return verb
    if lowered.endswith("est") and lowered[-4:-3] in ("t", "d"):
        stem = verb[:-3]  # "beantwortest", "redest"
    elif lowered.endswith("sst"):
        stem = verb[:-1]  # "passt", "fasst"
    elif lowered.endswith("st"):
        stem = verb[:-2]
    elif lowered.endswith(("zt", "ßt", "xt")):
        stem = verb[:-1]  # "nutzt", "setzt"
    else:
        return verb
    if stem.endswith(("er", "el")) and not stem.endswith("ier"):
        return stem + "n"  # "kümmer-n", "sammel-n"
    return stem + "en"


def _verb_like(word: str, du: bool) -> bool:
    """Whether a lower-case German word after "und" reads as the next finite verb."""
    spec = _PERSONAL["de"]
    if not word[:1].islower() or word in spec["not_verbs"] or word in spec["articles"]:
        return False  # "überwachen Fälligkeiten und den Vollzug": "den" opens a noun
    return word.endswith(("st", "zt")) if du else word.endswith(("en", "ern", "eln"))


def _finite_first(word: str, following: str = "") -> bool:
    """Whether a statement's first word is certainly a verb ("dokumentieren die Entwicklung
    …", "erstellen Schriftsätze …"), not an adjective of a cut noun phrase ("externen
    Qualitätskontrollen …"): an adjective is never followed by an article, so an ending that
    adjectives have only counts before a noun."""
    spec = _PERSONAL["de"]
    lowered = word.lower()
    if lowered in spec["finite"]:  # "sind erste Ansprechperson …"
        return True
    if not (
        word[:1].islower()
        and lowered.endswith(("en", "ern", "eln"))
        and lowered not in spec["not_verbs"]
    ):
        return False
    if following.lower() in spec["articles"]:
        return True
    return not lowered.endswith(tuple(spec["adjective_endings"]))


def _du_first(word: str) -> bool:
    """Whether a statement's first word is a verb in the du-form ("kontrollierst", "passt")."""
    spec = _PERSONAL["de"]
    lowered = word.lower()
    return (
        word[:1].islower()
        and len(lowered) > 4
        and lowered.endswith(("st", "zt"))
        and lowered not in spec["not_verbs"]
    )


def _clause_follows(rest: list[str]) -> bool:
    """Whether the German words after a comma are a clause of their own that an infinitive
    phrase keeps after its verb: a subordinate clause (", wie …", ", welche …") or an
    infinitive with "zu" (", 30 Jugendliche für Mathe zu begeistern"), not the next item of
    an enumeration (", getesteten Code")."""
    if not rest:
        return False
    if rest[0].lower() in _PERSONAL["de"]["subordinate"]:
        return True
    clause = []
    for word in rest:  # up to the next comma
        clause.append(word.rstrip(","))
        if word.endswith(","):
            break
    last = clause[-1]  # "zu begeistern", "mitzunehmen"
    return last[:1].islower() and ("zu" in clause[:-1] or bool(_ZU_INFINITIVE.search(last)))


_ZU_INFINITIVE = re.compile(r"\wzu\w+(?:en|ern|eln)$")


def _clause_de(words: list[str], du: bool) -> list[str]:
    """One German clause ``finite verb + rest`` as an infinitive phrase: the verb at the end,
    a separable particle joined to it ("nehmen … entgegen" → "entgegennehmen"), a reflexive
    pronoun as "sich" in front ("kümmerst dich um …" → "sich um … kümmern")."""
    verb, rest = words[0], words[1:]
    own = _PERSONAL["de"]["possessives"]  # "deine Kunden beraten" → "die Kunden beraten"
    rest = [own.get(w, w) for w in rest]
    front = []
    if rest and rest[0].lower() in _PERSONAL["de"]["reflexive"]:
        front, rest = ["sich"], rest[1:]
    particle = ""
    if rest and rest[-1] in _PERSONAL["de"]["particles"]:
        particle, rest = rest[-1], rest[:-1]
    return front + rest + [particle + _infinitive_de(verb, du)]


def _as_phrase(text: str, language: str) -> tuple[list[str], list[str], str, bool]:
    """A task written as a sentence to someone ("Du beantwortest Anfragen per E-Mail",
    "Sie erstellen die Voranmeldungen und übermitteln sie ans Finanzamt", "You explain
    payslips …") or a verb fragment left by a split ("dokumentieren die Entwicklung der
    Kinder") as the phrase an action can quote — "Anfragen per E-Mail beantworten", "die
    Voranmeldungen erstellen und sie ans Finanzamt übermitteln", "explain payslips …" — so
    that a "Sie" action does not quote a "du" (or a bare verb) as its object.

    Returns (clauses, joins, tail, verb_last): German main clauses each with its verb at the
    end, the conjunctions between them, a subordinate clause that follows (", welche …"), and
    whether the clauses were so rewritten; other statements are one clause as written."""
    spec = _PERSONAL.get(language)
    text = " ".join(text.split()).rstrip(".;:, ")
    if spec is None:
        return [text], [], "", False
    stripped = True
    while stripped:  # "Darüber hinaus übernehmen Sie …", "You will also help …"
        stripped = False
        for lead in spec["leads"]:
            if text.lower().startswith(lead + " "):
                text, stripped = text[len(lead) + 1 :], True
                break
    words = text.split()
    if language != "de" or len(words) < 2:
        return [text], [], "", False
    du = False
    if len(words) > 2 and words[0].lower() in spec["pronouns"]:
        du = words[0].lower() == "du"
        words = words[1:]
    elif (
        len(words) > 2
        and (_finite_first(words[0], words[1]) or _du_first(words[0]))
        and words[1].lower() in ("sie", "du")
    ):
        du = words[1].lower() == "du"  # "übernehmen Sie die Abrechnung" after a lead-in
        words = [words[0], *words[2:]]
    elif _du_first(words[0]):  # "kontrollierst die Rationen": a du-form fragment
        du = True
    elif not (
        _finite_first(words[0], words[1])
        and not (words[-1][:1].islower() and words[-1].endswith("en"))  # already verb-last
    ):
        return [text], [], "", False
    if not words[0][:1].islower():  # "Sie Ihre …", "Wir Menschen": no verb after the pronoun
        return [text], [], "", False
    clauses: list[list[str]] = [[]]
    joins: list[str] = []
    tail = ""
    for k, word in enumerate(words):
        following = words[k + 1] if k + 1 < len(words) else ""
        if word.endswith(",") and (clauses[-1] or k == 0) and _clause_follows(words[k + 1 :]):
            # ", welche …", "lernst, wie Ware bestellt wird", "schaffst es, 30 Jugendliche …
            # zu begeistern": the clause after the comma follows the verb
            clauses[-1].append(word[:-1])
            tail = ", " + " ".join(words[k + 1 :])
            break
        if word in ("und", "oder", "sowie") and clauses[-1] and _verb_like(following, du):
            joins.append(word)
            clauses.append([])
        elif du and word.endswith(",") and clauses[-1] and _verb_like(following, du):
            # "kontrollierst die Rationen, passt sie an": the next verb of an enumeration
            clauses[-1].append(word[:-1])
            joins.append(",")
            clauses.append([])
        else:
            clauses[-1].append(word)
    return [" ".join(_clause_de(c, du)) for c in clauses if c], joins, tail, True


def _cut(text: str, language: str, limit: int) -> str:
    """``text`` cut before a phrase boundary within ``limit`` characters, with an ellipsis."""
    rules = TEXTS["quote"]
    shortest = rules["min_chars"]
    lowered = text.lower()
    small = {w for kind in ("conjunctions", "prepositions") for w in rules[kind][language]}
    cuts: list[tuple[int, int]] = []  # (position, bonus)
    for kind in ("breaks", "conjunctions", "prepositions"):
        marks = rules[kind] if kind == "breaks" else [f" {w} " for w in rules[kind][language]]
        for mark in marks:
            at = lowered.find(mark)
            while at != -1:
                before = lowered[:at].split()
                # not "according | to", nor inside "Monats- und Jahresabschlüsse"
                if before and before[-1].strip(",;:") not in small and before[-1][-1] != "-":
                    cuts.append((at, rules["bonus"][kind]))
                at = lowered.find(mark, at + 1)
    within = [(at + bonus, at) for at, bonus in cuts if shortest <= at <= limit]
    if within:
        at = max(within)[1]
    else:
        later = [at for at, _ in cuts if limit < at <= int(1.6 * limit)]
        if later:
            at = min(later)
        else:  # one long phrase: end at a word, without a dangling function word
            words = text[: limit + 1].split()[:-1] or text[:limit].split()
            while len(words) > 1 and words[-1].lower() in small:
                words.pop()
            at = len(" ".join(words))
    return text[:at].rstrip(" ,;:–—-/(") + " " + rules["ellipsis"]


def _short_size(key: tuple, short: str) -> int:
    return 64 + sys.getsizeof(key[0]) + sys.getsizeof(short)


@byte_cached(config.cache_bytes("short_texts"), name="short_texts", sizeof=_short_size)
def _short(text: str, language: str) -> str:
    """The statement for quoting, as a phrase an action can take as its object
    (:func:`_as_phrase`): whole when short, else cut before a phrase boundary — a German
    phrase keeps its verb ("die termingerechte Erstellung … verantworten")."""
    rules = TEXTS["quote"]
    limit = rules["max_chars"]
    clauses, joins, tail, verb_last = _as_phrase(text, language)
    whole = clauses[0] + "".join(
        f"{j} {c}" if j == "," else f" {j} {c}" for j, c in zip(joins, clauses[1:], strict=True)
    )
    if len(whole + tail) <= limit:
        return whole + tail
    if len(whole) <= limit:
        if tail:  # "es schaffen, 30 Jugendliche für …": the clause it needs, cut
            cut = _cut(whole + tail, language, limit)
            if len(cut) > len(whole) + len(rules["ellipsis"]) + 3:
                return cut
        return whole + " " + rules["ellipsis"]
    if len(clauses) > 1 and len(clauses[0]) <= limit:
        return clauses[0] + " " + rules["ellipsis"]
    if verb_last:  # cut inside the clause, but keep its verb
        head, verb = clauses[0].rsplit(" ", 1)
        return _cut(head, language, limit + rules["verb_extra_chars"]) + " " + verb
    return _cut(clauses[0], language, limit)


def _rank(
    tasks: RoleTasks, advice: list[Advice]
) -> tuple[list[list[int]], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each role's areas by priority (ties at 6 decimals in the fixed area order), the
    priorities and exposed shares (n_roles, 3), and per task its exposed and its whole weight
    in each area (n_tasks, 3)."""
    if np.any(np.diff(tasks.bounds) < 1):
        raise ValueError("recommend_many() needs at least one task per role")
    aff = np.array(
        [
            _affinities(t, c, a.people is not None)
            for t, c, a in zip(tasks.texts, tasks.categories, advice, strict=True)
        ]
    ).reshape(-1, 3)
    w, p = tasks.weights, tasks.rule_based
    at_risk = w * p
    exposed = at_risk[:, None] * aff  # (n_tasks, 3)
    both = (at_risk + PROTECTED_WEIGHT * w * (1.0 - p))[:, None] * aff
    totals = np.column_stack([tasks.per_role_sum(both[:, a]) for a in range(3)])
    exposed_sums = np.column_stack([tasks.per_role_sum(exposed[:, a]) for a in range(3)])
    priority = totals / totals.sum(axis=1, keepdims=True)
    share = exposed_sums / np.maximum(exposed_sums.sum(axis=1, keepdims=True), 1e-9)
    ranking = [
        sorted(range(3), key=lambda a, row=row: (-round(row[a], 6), a)) for row in priority.tolist()
    ]
    return ranking, priority, share, exposed, both


def top_areas(tasks: RoleTasks, advice: list[Advice]) -> list[str]:
    """Each role's first upskilling area, as :func:`recommend_many` ranks them (without
    their texts: a file's ``top_area`` column)."""
    return [AREAS[order[0]] for order in _rank(tasks, advice)[0]]


def recommend_many(
    tasks: RoleTasks,
    risk_scores: list[float],
    languages: list[str],
    advice: list[Advice] | None = None,
    *,
    text_languages: list[str] | None = None,
    leads: list[bool] | None = None,
) -> list:
    """For each role, all three areas ranked by the share of its exposed work each addresses,
    each with a "why" and three actions in ``languages[r]``.

    ``advice`` is each task's :class:`~risk_service.advice.Advice` (computed here if not
    given). ``text_languages`` is the language each role's tasks are written in (default:
    ``languages``): quotes of them are cut by its phrase boundaries. ``leads``: whether each
    role's title names a leader (:func:`leads_people`), who gets no action addressed to their
    own manager. One pass over all tasks of all roles (numpy), then the texts per role.
    """
    if advice is None:
        per_task = np.repeat(np.array(languages, dtype=object), np.diff(tasks.bounds)).tolist()
        advice = advise_many(tasks.texts, tasks.rule_based, tasks.categories, per_task)
    ranking, priority, share, exposed, both = _rank(tasks, advice)
    priority_shown = [[round(x, 3) for x in row] for row in priority.tolist()]
    share_shown = np.rint(100 * share).astype(int).tolist()
    risk_shown = np.rint(risk_scores).astype(int).tolist()
    return _texts(
        tasks,
        advice,
        languages,
        text_languages or languages,
        risk_shown,
        ranking,
        priority_shown,
        share_shown,
        exposed,
        both,
        leads or [False] * len(risk_scores),
    )


# Words of a title that name a leader ("Kaufmännische Leitung", "Head of Finance", "Filialleiter",
# "Geschäftsführerin"): see "leaders" in upskilling.json.
_LEADER_TITLE = word_start_pattern(cue for lang in ("de", "en") for cue in TEXTS["leaders"][lang])


def leads_people(title: str) -> bool:
    """Whether a role's title names someone who leads others (a head, manager, director or
    owner; "Teamleiter", "Filialleitung", "Site Manager"), not a specialist or companion."""
    return _LEADER_TITLE.search(title.lower()) is not None


def _texts(
    tasks: RoleTasks,
    advice: list[Advice],
    languages: list[str],
    text_languages: list[str],
    risk_shown: list[int],
    ranking: list[list[int]],
    priority_shown: list[list[float]],
    share_shown: list[list[int]],
    exposed: np.ndarray,
    both: np.ndarray,
    leads: list[bool],
) -> list[list[dict]]:
    """The areas' texts for every role: numpy orders every task list once, then per role only
    slices and string formatting remain."""
    n_roles = len(risk_shown)
    role = tasks.role_of_task
    w, p = tasks.weights, tasks.rule_based
    # Ties between tasks are broken by text, so the texts do not depend on input order.
    rank = {text: i for i, text in enumerate(sorted(set(tasks.texts)))}
    text_rank = np.fromiter((rank[t] for t in tasks.texts), np.int64, len(tasks.texts))

    codes = [a.advice for a in advice]
    changed = np.fromiter((c in CHANGED for c in codes), bool, len(codes))
    automated = np.fromiter((c == "automate" for c in codes), bool, len(codes))
    # Work with people: a named group it is an interaction with, or a conversation, face-to-face
    # or hands-on work the statement itself says involves people (feeding, escorting residents).
    with_people = np.fromiter((a.with_people for a in advice), bool, len(codes))
    named = np.fromiter((a.people is not None for a in advice), bool, len(codes))
    implied_mask = np.fromiter((a.implied for a in advice), bool, len(codes))
    by_hand = np.fromiter((a.hands for a in advice), bool, len(codes))
    # The role's work away from a desk (the "hands" share): manual, face-to-face or hands-on
    # work, whatever the category says: a courier's doorstep contact is no office work.
    away = by_hand | np.fromiter((a.kind in _AWAY for a in advice), bool, len(codes))
    assisted = changed & ~automated
    totals = np.maximum(tasks.per_role_sum(w), 1e-12)
    percent = {
        name: np.rint(100 * tasks.per_role_sum(w * mask) / totals).astype(int).tolist()
        for name, mask in (
            ("automate", automated),
            ("assist", assisted),  # rounded on its own, as the advice shares show it
            ("people", with_people),
            ("hands", away),
            ("front", away | with_people),  # front-line work: away from a desk or with people
            ("changed_hands", changed & by_hand),
        )
    }
    # The role's groups by working time: those its tasks name; those the work implies
    # ("Essen anreichen": patients) only for a role that names none (residents, not patients).
    groups: list[dict[str, float]] = [{} for _ in range(n_roles)]
    implied: list[dict[str, float]] = [{} for _ in range(n_roles)]
    role_list = role.tolist()
    weights = w.tolist()
    for i in np.flatnonzero(named & ~implied_mask).tolist():
        found = groups[role_list[i]]
        found[advice[i].people] = found.get(advice[i].people, 0.0) + weights[i]
    for i in np.flatnonzero(implied_mask).tolist():
        group = _cared_for(advice[i].people, groups[role_list[i]])
        found = groups[role_list[i]] if group in groups[role_list[i]] else implied[role_list[i]]
        found[group] = found.get(group, 0.0) + weights[i]
    for found in groups:  # "Unterricht" is with the pupils a school role names, if it names them
        for group in [g for g in found if _gives_way(g, found) != g]:
            target = _gives_way(group, found) or group  # never None for a named group
            found[target] = found.get(target, 0.0) + found.pop(group)
    batch = _Batch(
        texts=tasks.texts,
        advice=advice,
        signature=[(a.advice, a.kind, a.people is not None) for a in advice],
        traits=[a.traits for a in advice],
        with_people=with_people.tolist(),
        changed=changed.tolist(),
        by_hand=by_hand.tolist(),
        keys={
            **{("both", a): both[:, a] for a in range(3)},
            **{("exposed", a): exposed[:, a] for a in range(3)},
            ("rule_based", 0): p,
            ("protected", 0): w * (1.0 - p),
            ("weight", 0): w,
        },
        role=role,
        text_rank=text_rank,
    )
    results = []
    for r in range(n_roles):
        lang = languages[r] if languages[r] in _QUOTES else "en"
        automate = percent["automate"][r]
        view = _Role(
            batch,
            int(tasks.bounds[r]),
            int(tasks.bounds[r + 1]),
            lang,
            text_languages[r] if text_languages[r] in _QUOTES else lang,
            risk=risk_shown[r],
            automate=automate,
            assist=percent["assist"][r],
            people=percent["people"][r],
            hands=percent["hands"][r],
            front=percent["front"][r],
            changed_hands=percent["changed_hands"][r],
            groups=_named_first({**implied[r], **groups[r]}),
            leads=leads[r],
        )
        results.append(
            [
                {
                    "area": AREAS[a],
                    "rank": rank_,
                    "priority": priority_shown[r][a],
                    "why": view.why(a, share_shown[r][a]),
                    "actions": view.actions(a),
                }
                for rank_, a in enumerate(ranking[r], start=1)
            ]
        )
    return results


def _cared_for(group: str | None, named: dict[str, float] | list[str]) -> str | None:
    """A group implied by hands-on work ("Essen anreichen", "give medication": patients) as
    the people in care the role itself names, if it names some (residents, clients)."""
    cares = advice_rules.RULES["people"]
    if group in named or not cares.get(group or "", {}).get("cares"):
        return group
    own = [g for g in named if cares.get(g, {}).get("cares")]
    return own[0] if own else group


def _gives_way(group: str | None, named: dict[str, float] | list[str]) -> str | None:
    """A general group ("learners": whoever is taught) as the more specific one the role
    names (pupils, trainees, students), if it names one — the first by working time."""
    spec = advice_rules.RULES["people"].get(group or "", {})
    own = [g for g in spec.get("gives_way_to", ()) if g in named]
    if isinstance(named, dict):
        own.sort(key=lambda g: -named[g])
    return own[0] if own else group


def _named_first(found: dict[str, float]) -> list[str]:
    """The role's two main people groups by working time; contact with unnamed people
    ("Anfragen") only when the role names no group."""
    ranked = sorted(found, key=lambda g: (-found[g], g))
    named = [g for g in ranked if g != advice_rules.GENERIC_PEOPLE]
    return (named or ranked)[:2]


@dataclass
class _Batch:
    """Per-task lists of a whole batch, and the tasks in each order the texts need: by role,
    then by a key (descending), then by text, so a role's tasks are the slice
    ``start:end`` of every order. Orders are sorted on first use (numpy, all roles at once)."""

    texts: list[str]
    advice: list[Advice]
    signature: list[tuple[str, str, bool]]  # (advice, kind of work, involves people)
    changed: list[bool]
    by_hand: list[bool]  # done with the hands (Advice.hands)
    traits: list[frozenset[str]]  # Advice.traits: "admin", "urgent", "condition" …
    with_people: list[bool]  # Advice.with_people
    keys: dict[tuple[str, int], np.ndarray]  # ("both" | "exposed", area), ("weight", 0) …
    role: np.ndarray
    text_rank: np.ndarray
    _orders: dict[tuple[str, int], list[int]] = field(default_factory=dict)

    def order(self, key: str, area: int = 0) -> list[int]:
        found = self._orders.get((key, area))
        if found is None:
            values = self.keys[(key, area)]
            found = np.lexsort((self.text_rank, -values, self.role)).tolist()
            self._orders[(key, area)] = found
        return found


def _accepted(when: dict) -> frozenset[tuple[str, str, bool]]:
    """The task signatures (advice, kind of work, involves people) a task action accepts."""
    return frozenset(
        (advice, kind, people)
        for advice in ADVICE
        for kind in KINDS
        for people in (False, True)
        if advice in when.get("advice", ADVICE)
        and kind in when.get("kinds", KINDS)
        and people == when.get("people", people)
    )


_TASK_ACTIONS = {
    area: [(t, _accepted(t["when"])) for t in TEXTS["actions"][area]["task"]] for area in AREAS
}


class _Role:
    """One role's slice of the batch, its traits, and the texts chosen for them."""

    def __init__(
        self,
        batch: _Batch,
        start: int,
        end: int,
        language: str,
        text_language: str,
        *,
        risk: int,
        automate: int,
        assist: int,
        people: int,
        hands: int,
        front: int,
        changed_hands: int,
        groups: list[str],
        leads: bool = False,
    ) -> None:
        self.batch, self.start, self.end = batch, start, end
        self.language = language  # of the texts
        self.text_language = text_language  # of the tasks they quote
        self.risk = risk
        self.automate, self.assist = automate, assist
        self.changed = automate + assist
        self.keep = 100 - self.changed
        self.people = people
        self.hands = hands
        self.front = front  # away from a desk or with people: stewards, ticket desks, kennels
        # of the work that changes, the share done with the hands (percent of that work)
        self.changed_hands = round(100 * changed_hands / self.changed) if self.changed else 0
        self.groups = groups
        self.leads = leads  # the title names a leader: no "ask your manager"

    def _tasks(self, ordered: list[int]) -> list[int]:
        return ordered[self.start : self.end]

    def _matches(self, when: dict) -> bool:
        if "min_changed" in when and self.changed < 100 * when["min_changed"]:
            return False
        if "max_changed" in when and self.changed > 100 * when["max_changed"]:
            return False
        if "min_hands" in when and self.hands < 100 * when["min_hands"]:
            return False
        if "max_hands" in when and self.hands >= 100 * when["max_hands"]:
            return False
        if "min_changed_hands" in when and self.changed_hands < 100 * when["min_changed_hands"]:
            return False
        if "max_changed_hands" in when and self.changed_hands >= 100 * when["max_changed_hands"]:
            return False
        if "min_people" in when and self.people < 100 * when["min_people"]:
            return False
        if "max_front" in when and self.front >= 100 * when["max_front"]:
            return False
        if when.get("leads", self.leads) != self.leads:
            return False
        return "people" not in when or bool(self.groups) == when["people"]

    def _quoted(self, chosen: list[int]) -> str:
        opening, closing = _QUOTES[self.language]
        return TEXTS["join"][self.language].join(
            opening + _short(self.batch.texts[i], self.text_language) + closing for i in chosen[:2]
        )

    def _audience(self, group: str | None) -> tuple[str, str]:
        """(nominative/accusative, dative) plural of a people group in the role's language."""
        label = advice_rules.audience(group, self.language)
        return label["nom"], label["dat"]

    def _usable(self, tasks: list[int], exclude: tuple[str, ...] = ()) -> list[int]:
        """``tasks`` without job conditions ("Arbeiten auf wechselnden Baustellen im Umkreis
        von 50 km": never quoted) and, where the role has others, without those with a trait
        in ``exclude`` ("admin": the problem-solving area is not anchored on paperwork)."""
        traits = self.batch.traits
        tasks = [i for i in tasks if "condition" not in traits[i]]
        if exclude:
            other = [
                i for i in self._tasks(self.batch.order("weight")) if not traits[i] & set(exclude)
            ]
            if any("condition" not in traits[i] for i in other):
                tasks = [i for i in tasks if not traits[i] & set(exclude)]
        return tasks

    def _why_tasks(self, area: int, variant: dict) -> list[int]:
        kind = variant["tasks"]
        batch = self.batch
        exclude = tuple(variant.get("exclude", ()))
        if kind == "changed":
            chosen = [i for i in self._tasks(batch.order("exposed", area)) if batch.changed[i]]
            chosen = self._usable(chosen, exclude)
            if "work" in variant:  # machines quote manual work, software the rest
                hands = variant["work"] == "hands"
                chosen = [i for i in chosen if batch.by_hand[i] == hands] or chosen
        elif kind == "most_rule_based":
            chosen = self._usable(self._tasks(batch.order("rule_based")), exclude)
        elif kind == "kept":
            kept = self._usable(self._tasks(batch.order("protected")), exclude)
            chosen = [i for i in kept if batch.advice[i].advice == "keep_human"] or kept
        elif kind == "people":
            with_people = [i for i in self._tasks(batch.order("weight")) if batch.with_people[i]]
            with_people = self._usable(with_people)

            # tasks with the groups the text names first ("Patientinnen und Patienten sowie
            # Angehörige", not "Anleitung von Auszubildenden"), then other named groups
            def rank(i: int) -> int:
                group = self._group(batch.advice[i])
                return 0 if group in self.groups else 1 if batch.advice[i].people else 2

            # only the closest kind there is: a text that names customers quotes customer work
            best = min(map(rank, with_people), default=0)
            chosen = [i for i in with_people if rank(i) == best]
        else:
            chosen = []
        return chosen

    def why(self, area: int, share: int) -> str:
        """The area's "why": the first variant whose role conditions hold (and, with
        ``needs_tasks``, that has tasks to quote)."""
        for variant in TEXTS["why"][AREAS[area]]:
            if not self._matches(variant["when"]):
                continue
            chosen = self._why_tasks(area, variant)
            if chosen or not variant.get("needs_tasks"):
                break
        groups = TEXTS["join_groups"][self.language].join(
            advice_rules.audience(g, self.language)["about"] for g in self.groups
        )
        kind_changed = (
            "both" if self.automate and self.assist else "automate" if self.automate else "assist"
        )
        numbers = {"automate": self.automate, "assist": self.assist}
        return variant[self.language].format(
            changed_phrase=TEXTS["changed_phrase"][variant.get("phrase", "software")][kind_changed][
                self.language
            ].format(**numbers),
            tasks=self._quoted(chosen),
            risk=self.risk,
            automate=self.automate,
            assist=self.assist,
            changed=self.changed,
            keep=self.keep,
            people=self.people,
            share=share,
            audiences=groups,
        )

    def actions(self, area: int) -> list[str]:
        """Up to two actions on the role's own tasks (each action and task at most once, tasks
        in the area's order: the most exposed for the AI interface, the least rule-based for
        problem solving), then role actions: three in all. A task action fits a task by its
        advice, kind of work and people, and by its traits ("urgent", "admin" …): the
        template's ``traits`` must all be there, none of its ``traits_not``."""
        batch = self.batch
        spec = TEXTS["actions"][AREAS[area]]
        ranked = self._usable(self._tasks(batch.order(spec.get("order", "both"), area)))
        out: list[str] = []
        quoted: set[str] = set()
        for template, accepted in _TASK_ACTIONS[AREAS[area]]:
            if len(out) == 2:
                break
            when = template["when"]
            if when.get("leads", self.leads) != self.leads:
                continue  # "check with your manager" is not for the manager
            need, refuse = set(when.get("traits", ())), set(when.get("traits_not", ()))
            not_with = set(when.get("groups_not", ()))  # no de-escalation with trainees
            task = next(
                (
                    i
                    for i in ranked
                    if batch.signature[i] in accepted
                    and batch.texts[i] not in quoted
                    and need <= batch.traits[i]
                    and not refuse & batch.traits[i]
                    and self._group(batch.advice[i]) not in not_with
                ),
                None,
            )
            if task is None:
                continue
            quoted.add(batch.texts[task])
            audience, dative = self._audience(self._group(batch.advice[task]))
            out.append(
                template[self.language].format(
                    task=_short(batch.texts[task], self.text_language),
                    audience=audience,
                    audience_dat=dative,
                )
            )
        main_group = self.groups[0] if self.groups else None
        audience, dative = self._audience(main_group)
        named = main_group is not None and main_group != advice_rules.GENERIC_PEOPLE
        for template in spec["role"]:
            if len(out) == 3:
                break
            when = template["when"]
            if (
                self._matches(when)
                and when.get("named", named) == named
                and main_group not in when.get("groups_not", ())
                and main_group in when.get("groups", (main_group,))
            ):
                out.append(template[self.language].format(audience=audience, audience_dat=dative))
        return out

    def _group(self, advice: Advice) -> str | None:
        """A task's people group for an action: contact with unnamed people ("Anfragen"), or a
        group only implied by the work ("Essen anreichen": patients), is with the role's main
        group where it has one (customers, not "die Anfragenden"; residents, not patients)."""
        group = _gives_way(advice.people, self.groups)
        if advice.implied:
            return _cared_for(group, self.groups)
        if group == advice_rules.GENERIC_PEOPLE and self.groups:
            return self.groups[0]
        return group
