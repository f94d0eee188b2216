"""Role → the three upskilling areas, ranked, with actions naming the role's exposed tasks.

Each task contributes its exposed work (weight × rule-based probability) to the areas that could
absorb or protect it, by its category (``AFFINITY``) and by what it is about: tasks with people
in them lean towards emotional intelligence, tasks on data and documents towards the AI
interface. A smaller share of the protected work counts too: it is what a person builds on.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

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


class TaskView(NamedTuple):
    text: str
    rule_based: float
    category: str
    weight: float


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


def _short(text: str, limit: int = 80) -> str:
    text = text.strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def recommend(tasks: list[TaskView], risk_score: float, language: str) -> list[dict]:
    """All three areas, ranked by the share of the role's exposed work each one addresses."""
    if not tasks:
        raise ValueError("recommend() needs at least one task")
    # Plain Python on purpose: a role has ~15 tasks, where numpy's per-call cost dominates.
    solve, empathy, interface = [], [], []  # exposed work per task, by area
    totals = [0.0, 0.0, 0.0]
    for t in tasks:
        a0, a1, a2 = _affinities(t.text, t.category)
        at_risk = t.weight * t.rule_based
        both = at_risk + PROTECTED_WEIGHT * t.weight * (1.0 - t.rule_based)
        solve.append(at_risk * a0)
        empathy.append(at_risk * a1)
        interface.append(at_risk * a2)
        totals[0] += both * a0
        totals[1] += both * a1
        totals[2] += both * a2
    exposed = (solve, empathy, interface)
    priority = [x / sum(totals) for x in totals]
    exposed_sums = [sum(column) for column in exposed]
    exposed_share = [x / max(sum(exposed_sums), 1e-9) for x in exposed_sums]
    # Stable order: ties fall back to the fixed area order.
    order = sorted(range(3), key=lambda a: (-round(priority[a], 6), a))
    texts = [t.text for t in tasks]
    lang = language if language in _ACTIONS else "en"
    result = []
    for rank, a in enumerate(order, start=1):
        # Tasks this area addresses most, by exposed work; ties broken by text for determinism.
        top = sorted(zip([-x for x in exposed[a]], texts, strict=True))[:2]
        names = [_short(text) for _, text in top]
        templates = _ACTIONS[lang][AREAS[a]]
        actions = [templates[0].format(task=names[0])]
        actions.append(templates[1].format(task=names[1] if len(names) > 1 else names[0]))
        actions.append(templates[2])
        quote = "„{}“" if lang == "de" else '"{}"'
        result.append(
            {
                "area": AREAS[a],
                "rank": rank,
                "priority": round(priority[a], 3),
                "why": _WHY[lang].format(
                    risk=round(risk_score),
                    label=_LABELS[lang][AREAS[a]],
                    share=round(100 * exposed_share[a]),
                    tasks=", ".join(quote.format(n) for n in names),
                ),
                "actions": actions,
            }
        )
    return result
