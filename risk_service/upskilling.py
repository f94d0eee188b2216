"""Role → the three upskilling areas, ranked, with actions naming the role's exposed tasks.

Each task contributes its exposed work (weight × rule-based probability) to the areas that could
absorb or protect it, by its category (``AFFINITY``) and by what it is about: tasks with people
in them lean towards emotional intelligence, tasks on data and documents towards the AI
interface. A smaller share of the protected work counts too: it is what a person builds on.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

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


_LABELS = {
    "en": {
        "complex_problem_solving": "complex problem solving and contextual thinking",
        "emotional_intelligence": "emotional intelligence and empathy with customers and colleagues",
        "ai_process_interface": "working at the interface between AI systems and business processes",
    },
    "de": {
        "complex_problem_solving": "komplexe Problemlösung und kontextbezogenes Denken",
        "emotional_intelligence": "emotionale Intelligenz und Empathie im Kunden- und Teamkontakt",
        "ai_process_interface": "Schnittstellenkompetenz zwischen KI-Systemen und Geschäftsprozessen",
    },
}

_WHY = {
    "en": (
        "{risk}% of this role's work is rule-based. Building {label} addresses {share}% of the "
        "exposed work, above all: {tasks}."
    ),
    "de": (
        "{risk} % der Tätigkeiten dieser Rolle sind regelbasiert. Der Ausbau von {label} setzt "
        "bei {share} % der gefährdeten Arbeit an, vor allem bei: {tasks}."
    ),
}

# Actions per area and language; "{task}" is one of the role's own exposed tasks.
_ACTIONS = {
    "en": {
        "complex_problem_solving": (
            'Take over the exceptions and unclear cases in "{task}" that fixed rules do not '
            "cover, and document how you decide them.",
            'Analyse the root causes of recurring problems around "{task}" and propose process '
            "improvements to your team.",
            "Join a cross-functional project where you solve a problem without a ready-made "
            "procedure, and present the solution.",
        ),
        "emotional_intelligence": (
            'Move time from "{task}" to personal contact: take the sensitive or escalated cases '
            "that need empathy and judgement.",
            'Practise active listening and de-escalation in conversations connected to "{task}" '
            "and ask for feedback on them.",
            "Mentor a new colleague or lead a team meeting to train giving and taking feedback.",
        ),
        "ai_process_interface": (
            'Learn how AI tools can take over "{task}" and how to check, correct and approve '
            "their output.",
            'Write down the rules, test cases and quality checks an automation of "{task}" would '
            "need, and agree them with IT.",
            "Become the team's contact person for an AI tool: collect errors, improve prompts "
            "and knowledge bases, train colleagues.",
        ),
    },
    "de": {
        "complex_problem_solving": (
            "Übernehmen Sie bei „{task}“ die Sonder- und Zweifelsfälle, die feste Regeln nicht "
            "abdecken, und dokumentieren Sie Ihre Entscheidungswege.",
            "Analysieren Sie die Ursachen wiederkehrender Probleme rund um „{task}“ und schlagen "
            "Sie Ihrem Team Prozessverbesserungen vor.",
            "Arbeiten Sie in einem bereichsübergreifenden Projekt mit, in dem es keine fertige "
            "Lösung gibt, und stellen Sie das Ergebnis vor.",
        ),
        "emotional_intelligence": (
            "Verlagern Sie Zeit von „{task}“ in den persönlichen Kontakt: Übernehmen Sie sensible "
            "oder eskalierte Fälle, die Einfühlungsvermögen brauchen.",
            "Trainieren Sie aktives Zuhören und Deeskalation in Gesprächen rund um „{task}“ und "
            "holen Sie sich Feedback dazu ein.",
            "Begleiten Sie neue Kolleginnen und Kollegen als Pate oder moderieren Sie "
            "Teambesprechungen, um Feedback geben und nehmen zu üben.",
        ),
        "ai_process_interface": (
            "Lernen Sie, wie KI-Werkzeuge „{task}“ übernehmen können und wie Sie deren Ergebnisse "
            "prüfen, korrigieren und freigeben.",
            "Halten Sie die Regeln, Testfälle und Qualitätskontrollen fest, die eine "
            "Automatisierung von „{task}“ bräuchte, und stimmen Sie sie mit der IT ab.",
            "Werden Sie Ansprechperson Ihres Teams für ein KI-Werkzeug: Fehler sammeln, Prompts "
            "und Wissensdatenbanken verbessern, Kolleginnen und Kollegen schulen.",
        ),
    },
}


@functools.lru_cache(maxsize=100_000)
def _affinities(task_text: str, category: str) -> tuple[float, float, float]:
    solve, empathy, interface = AFFINITY.get(category, (1 / 3, 1 / 3, 1 / 3))
    text = " " + task_text.lower()
    if any(stem in text for stem in _PEOPLE):
        empathy += 0.25
    if any(stem in text for stem in _DATA):
        interface += 0.15
    total = solve + empathy + interface
    return solve / total, empathy / total, interface / total


@functools.lru_cache(maxsize=50_000)
def _short(text: str, limit: int = 80) -> str:
    text = text.strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@dataclass
class RoleTasks:
    """The tasks of a batch of roles, flat: role ``r`` owns tasks ``bounds[r]:bounds[r + 1]``."""

    texts: list[str]
    categories: list[str]
    rule_based: np.ndarray
    weights: np.ndarray  # time shares; each role's sum to 1
    bounds: np.ndarray  # (n_roles + 1,), starts at 0

    @functools.cached_property
    def role_of_task(self) -> np.ndarray:
        return np.repeat(np.arange(len(self.bounds) - 1), np.diff(self.bounds))

    def per_role_sum(self, values: np.ndarray) -> np.ndarray:
        return np.bincount(self.role_of_task, values, minlength=len(self.bounds) - 1)


def recommend_many(tasks: RoleTasks, risk_scores: list[float], languages: list[str]) -> list:
    """For each role, all three areas ranked by the share of its exposed work each addresses.

    One pass over all tasks of all roles (numpy), then the texts per role.
    """
    n_roles = len(risk_scores)
    if np.any(np.diff(tasks.bounds) < 1):
        raise ValueError("recommend_many() needs at least one task per role")
    aff = np.array(
        [_affinities(t, c) for t, c in zip(tasks.texts, tasks.categories, strict=True)]
    ).reshape(-1, 3)
    w, p = tasks.weights, tasks.rule_based
    at_risk = w * p
    exposed = at_risk[:, None] * aff  # (n_tasks, 3)
    both = (at_risk + PROTECTED_WEIGHT * w * (1.0 - p))[:, None] * aff
    totals = np.column_stack([tasks.per_role_sum(both[:, a]) for a in range(3)])
    exposed_sums = np.column_stack([tasks.per_role_sum(exposed[:, a]) for a in range(3)])
    priority = totals / totals.sum(axis=1, keepdims=True)
    share = exposed_sums / np.maximum(exposed_sums.sum(axis=1, keepdims=True), 1e-9)
    # Areas by priority; ties (at 6 decimals) fall back to the fixed area order.
    ranking = [
        sorted(range(3), key=lambda a, row=row: (-round(row[a], 6), a)) for row in priority.tolist()
    ]
    priority_shown = [[round(x, 3) for x in row] for row in priority.tolist()]
    share_shown = np.rint(100 * share).astype(int).tolist()
    risk_shown = np.rint(risk_scores).astype(int).tolist()
    # The two tasks each area addresses most, by exposed work; ties broken by text.
    rank = {text: i for i, text in enumerate(sorted(set(tasks.texts)))}
    text_rank = np.fromiter((rank[t] for t in tasks.texts), np.int64, len(tasks.texts))
    role = tasks.role_of_task
    starts, ends = tasks.bounds[:-1], tasks.bounds[1:]
    top = []
    for a in range(3):
        order = np.lexsort((text_rank, -exposed[:, a], role))
        first = [_short(tasks.texts[i]) for i in order[starts].tolist()]
        second = [_short(tasks.texts[i]) for i in order[np.minimum(starts + 1, ends - 1)].tolist()]
        top.append((first, second))
    single = (ends - starts == 1).tolist()

    results = []
    for r in range(n_roles):
        lang = languages[r] if languages[r] in _ACTIONS else "en"
        open_quote, close_quote = ("„", "“") if lang == "de" else ('"', '"')
        areas = []
        for rank_, a in enumerate(ranking[r], start=1):
            names = [top[a][0][r]] if single[r] else [top[a][0][r], top[a][1][r]]
            templates = _ACTIONS[lang][AREAS[a]]
            areas.append(
                {
                    "area": AREAS[a],
                    "rank": rank_,
                    "priority": priority_shown[r][a],
                    "why": _WHY[lang].format(
                        risk=risk_shown[r],
                        label=_LABELS[lang][AREAS[a]],
                        share=share_shown[r][a],
                        tasks=", ".join(open_quote + n + close_quote for n in names),
                    ),
                    "actions": [
                        templates[0].format(task=names[0]),
                        templates[1].format(task=names[-1]),
                        templates[2],
                    ],
                }
            )
        results.append(areas)
    return results
