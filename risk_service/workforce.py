"""Workforce roll-up and transition plan: many roles with headcounts → one picture for the
organisation, and how it could change through natural attrition alone.

Used by ``POST /v1/workforce`` and ``risk-service workforce``. The plan's model and its
assumptions are in :func:`plan` and ``docs/advice.md``; every response repeats them.
"""

from __future__ import annotations

import math
from collections import defaultdict

TOP_TASKS = 10

# Default annual attrition without dismissals, an assumption. IAB-Betriebspanel: the
# Personalabgangsrate (share of employees who left their establishment) was 5.8 % in 2024
# (IAB press release, 1 April 2025); the panel counts departures in the first half of each
# year, so about 11.6 % a year. About a fifth of departures are dismissals by the employer
# (IAB-Betriebspanel 2021, reported by IW), which a plan without dismissals cannot count:
# 11.6 % x 0.8 = 9.3 %, rounded down to 9 %. The BA's labour turnover rate (about 33 % in
# 2022) counts every employment that ends, including short jobs begun and ended in the same
# year, and overstates how fast a stable workforce shrinks.
DEFAULT_ATTRITION_RATE = 0.09
ATTRITION_SOURCE = (
    "Default 9 % a year, an assumption: IAB-Betriebspanel, Personalabgangsrate 5.8 % of "
    "employees in 2024 (IAB, 1 April 2025; departures in the first half-year, so ~11.6 % a "
    "year), less the ~20 % of departures that are dismissals by the employer (IAB-Betriebspanel "
    "2021): 11.6 % x 0.8 ≈ 9 %. Sectors differ widely (public administration lower, "
    "hospitality higher); send your own attrition_rate."
)
HORIZON_YEARS = 30  # the phasing and the payback search stop here
NOTICE = {
    "en": "This plan describes work, not people: it makes no personnel decision about any "
    "individual and is no basis for one. It assumes no dismissals: automatable work is absorbed "
    "only as people leave of their own accord or retire.",
    "de": "Dieser Plan beschreibt Arbeit, nicht Menschen: Er trifft keine Personalentscheidung "
    "über einzelne Beschäftigte und ist keine Grundlage dafür. Er geht von keinen Kündigungen "
    "aus: Automatisierbare Arbeit wird nur über freiwillige Abgänge und Renteneintritte "
    "abgebaut.",
}


def rollup(headcounts: list[int], results: list[dict | None]) -> dict:
    """Headcount-weighted score, share of headcount per band and the most exposed tasks.

    Parameters
    ----------
    headcounts : list of int
        People in each role.
    results : list of dict or None
        The role's assessment, or None where the role could not be scored (left out of the
        totals).

    Returns
    -------
    dict
        ``headcount``, ``risk_score`` (None without scored headcount), ``band_share`` and
        ``top_exposed_tasks`` (task text with its exposed full-time equivalents: headcount ×
        task weight × rule-based probability, summed over roles).
    """
    total = 0
    weighted = 0.0
    bands: dict[str, int] = {"low": 0, "medium": 0, "high": 0}
    exposure: dict[str, float] = defaultdict(float)
    for headcount, result in zip(headcounts, results, strict=True):
        if result is None:
            continue
        total += headcount
        weighted += headcount * result["risk_score"]
        bands[result["risk_band"]] += headcount
        for task in result["tasks"]:
            exposure[task["text"]] += headcount * task["weight"] * task["rule_based"]
    top = sorted(exposure.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TASKS]
    return {
        "headcount": total,
        "risk_score": round(weighted / total, 1) if total else None,
        "band_share": {k: round(v / total, 4) if total else 0.0 for k, v in bands.items()},
        "top_exposed_tasks": [
            {"text": text, "exposed_fte": round(value, 2)} for text, value in top if value > 0
        ],
    }


def plan(
    headcounts: list[int],
    results: list[dict | None],
    *,
    attrition_rate: float | None = None,
    costs_per_fte: list[float | None] | None = None,
    implementation_cost: float | None = None,
) -> dict:
    """The transition plan for the scored roles: FTE to automate and to assist, how many years
    natural attrition needs to absorb the automatable FTE, the phasing year by year, the people
    to retrain per upskilling area and the payback in months where costs are given.

    Model (all of it in ``assumptions``): the organisation's headcount ``H`` shrinks only by
    natural attrition, ``H × (1 − rate)^t`` after ``t`` years, because no position in
    automatable work is refilled and the people whose work is automated move (after retraining)
    into the vacancies others leave. The automatable FTE ``F`` are absorbed after
    ``ln(1 − F/H) / ln(1 − rate)`` years. Savings accrue month by month on the FTE absorbed so
    far, at each role's ``cost_per_fte``; payback is the first month their sum reaches the
    implementation cost.

    Parameters
    ----------
    headcounts : list of int
        People in each role.
    results : list of dict or None
        Each role's assessment (with ``advice_shares`` and ``upskilling``), or None where the
        role could not be scored (left out).
    attrition_rate : float, optional
        Share of the workforce leaving per year, 0 <= rate < 1 (default
        :data:`DEFAULT_ATTRITION_RATE`).
    costs_per_fte : list of float or None, optional
        Yearly cost of one FTE in each role (None: unknown, no savings counted for that role).
    implementation_cost : float, optional
        One-off cost of introducing the automation.
    """
    rate = DEFAULT_ATTRITION_RATE if attrition_rate is None else float(attrition_rate)
    costs = costs_per_fte or [None] * len(headcounts)
    headcount = automatable = assisted = saving_per_year = 0.0
    retrain: dict[str, float] = defaultdict(float)
    roles = []
    for i, (people, result, cost) in enumerate(zip(headcounts, results, costs, strict=True)):
        if result is None:
            continue
        shares = result["advice_shares"]
        role_automatable = people * shares["automate"]
        role_assisted = people * shares["assist"]
        headcount += people
        automatable += role_automatable
        assisted += role_assisted
        if cost is not None:
            saving_per_year += role_automatable * cost
        changed = role_automatable + role_assisted
        for area in result["upskilling"]:
            retrain[area["area"]] += changed * area["priority"]
        roles.append(
            {
                "index": i,
                "fte_automatable": round(role_automatable, 2),
                "fte_assisted": round(role_assisted, 2),
                "years_to_absorb_alone": _years(people, role_automatable, rate),
            }
        )
    years = _years(headcount, automatable, rate)
    cost_known = any(c is not None for c, r in zip(costs, results, strict=True) if r is not None)
    payback = None
    if implementation_cost is not None and cost_known and automatable > 0:
        payback = _payback_months(
            headcount, automatable, rate, saving_per_year / automatable, implementation_cost
        )
    return {
        "fte_automatable": round(automatable, 2),
        "fte_assisted": round(assisted, 2),
        "years_to_absorb": years,
        "phasing": _phasing(headcount, automatable, rate),
        "retrain": _whole_people(retrain),
        "payback_months": payback,
        "roles": roles,
        "notice": NOTICE,
        "assumptions": {
            "attrition_rate": rate,
            "attrition_source": "given in the request"
            if attrition_rate is not None
            else ATTRITION_SOURCE,
            "absorption": "No dismissals: headcount falls only by natural attrition, "
            "H x (1 - attrition_rate)^years; positions in automatable work are not refilled "
            "and people whose work is automated move into vacancies elsewhere after "
            "retraining. years_to_absorb = ln(1 - fte_automatable / H) / "
            "ln(1 - attrition_rate); per role, years_to_absorb_alone assumes no moves "
            "between roles.",
            "fte": "fte_automatable = headcount x the role's share of working time advised "
            "'automate'; fte_assisted likewise for 'assist' (AI prepares, a person decides: no "
            "saving counted).",
            "retrain": "People whose work changes (automate + assist share x headcount), "
            "shared among the upskilling areas by each role's priorities, in whole people.",
            "payback": "Months until the savings on absorbed FTE (cost_per_fte of each role; "
            "roles without one count none) reach implementation_cost. Running costs of the AI "
            "systems and savings from assisted work are not counted. For comparison only, not "
            "used: the article's FAQ names set-up costs from EUR 50,000 to several millions and "
            "a typical payback of 12-24 months. null without implementation_cost and "
            "cost_per_fte, or beyond the horizon.",
            "horizon_years": HORIZON_YEARS,
        },
    }


def _years(headcount: float, automatable: float, rate: float) -> float | None:
    """Years until attrition has absorbed ``automatable`` of ``headcount`` (None: never, or
    not within the horizon)."""
    if automatable <= 0:
        return 0.0
    if rate <= 0 or automatable >= headcount:
        return None
    years = math.log(1.0 - automatable / headcount) / math.log(1.0 - rate)
    return round(years, 1) if years <= HORIZON_YEARS else None


def _absorbed(headcount: float, automatable: float, rate: float, years: float) -> float:
    return min(automatable, headcount - headcount * (1.0 - rate) ** years)


def _phasing(headcount: float, automatable: float, rate: float) -> list[dict]:
    """Year by year until the automatable FTE are absorbed (at most the horizon): FTE absorbed
    in the year and still remaining after it, in hundredths that add up exactly."""
    if automatable <= 0 or rate <= 0:
        return []
    total = round(100 * automatable)
    phasing = []
    before = 0
    for year in range(1, HORIZON_YEARS + 1):
        done = min(total, round(100 * _absorbed(headcount, automatable, rate, year)))
        phasing.append(
            {
                "year": year,
                "fte_absorbed": (done - before) / 100,
                "fte_remaining": (total - done) / 100,
            }
        )
        before = done
        if done >= total:
            break
    return phasing


def _payback_months(
    headcount: float, automatable: float, rate: float, cost_per_fte: float, investment: float
) -> int | None:
    """First month in which the savings so far reach ``investment`` (None: not within the
    horizon). ``cost_per_fte`` is the average yearly cost of an automatable FTE (roles
    without a cost count zero)."""
    if investment <= 0:
        return 0
    saved = 0.0
    for month in range(1, 12 * HORIZON_YEARS + 1):
        saved += _absorbed(headcount, automatable, rate, month / 12) * cost_per_fte / 12
        if saved >= investment:
            return month
    return None


def _whole_people(values: dict[str, float]) -> dict[str, int]:
    """Round to whole people keeping the rounded total (largest remainders get the rest)."""
    floors = {k: math.floor(v) for k, v in values.items()}
    rest = round(sum(values.values())) - sum(floors.values())
    by_remainder = sorted(values, key=lambda k: (-(values[k] - floors[k]), k))
    for k in by_remainder[: max(0, rest)]:
        floors[k] += 1
    return floors
