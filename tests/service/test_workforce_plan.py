"""The workforce transition plan: FTE to automate and assist, absorption by natural attrition
without dismissals, phasing, retraining and payback (POST /v1/workforce, risk-service workforce)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner

from risk_service import schemas, workforce
from risk_service.cli import main
from tests.service.test_api import assert_problem

FIVE_ROLES = [
    {
        "title": "Buchhalter/in",
        "description": "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge; Mahnwesen",
        "headcount": 12,
        "cost_per_fte": 62_000,
    },
    {"title": "Callcenter-Agent", "headcount": 40, "cost_per_fte": 45_000},
    {"title": "Pflegefachkraft", "headcount": 60, "cost_per_fte": 58_000},
    {"title": "Data Analyst", "headcount": 8, "cost_per_fte": 75_000},
    {"title": "Lohnbuchhalter", "headcount": 10, "cost_per_fte": 55_000},
]


@pytest.fixture
def five(client) -> dict:
    body = {"roles": FIVE_ROLES, "implementation_cost": 400_000}
    response = client.post("/v1/workforce", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_plan_numbers_add_up(five):
    plan = five["plan"]
    results = five["results"]
    expected = sum(r["headcount"] * r["advice_shares"]["automate"] for r in results)
    assert plan["fte_automatable"] == pytest.approx(expected, abs=0.01)
    assisted = sum(r["headcount"] * r["advice_shares"]["assist"] for r in results)
    assert plan["fte_assisted"] == pytest.approx(assisted, abs=0.01)
    phasing = plan["phasing"]
    assert [p["year"] for p in phasing] == list(range(1, len(phasing) + 1))
    assert sum(p["fte_absorbed"] for p in phasing) == pytest.approx(plan["fte_automatable"])
    remaining = [p["fte_remaining"] for p in phasing]
    assert remaining == sorted(remaining, reverse=True) and remaining[-1] == 0
    for before, row in zip([plan["fte_automatable"], *remaining], phasing, strict=False):
        assert before - row["fte_absorbed"] == pytest.approx(row["fte_remaining"], abs=1e-9)
    # years: H (1 - rate)^t = H - F
    rate = plan["assumptions"]["attrition_rate"]
    years = math.log(1 - plan["fte_automatable"] / five["headcount"]) / math.log(1 - rate)
    assert plan["years_to_absorb"] == pytest.approx(years, abs=0.05)
    assert len(phasing) == math.ceil(years)
    # the first year absorbs what leaves in it: rate x headcount
    assert phasing[0]["fte_absorbed"] == pytest.approx(rate * five["headcount"], abs=0.01)
    changed = sum(r["headcount"] * (1 - r["advice_shares"]["keep_human"]) for r in results)
    assert sum(plan["retrain"].values()) == round(changed)
    assert set(plan["retrain"]) == {u["area"] for u in results[0]["upskilling"]}
    assert [r["index"] for r in plan["roles"]] == list(range(5))
    schemas.WorkforceResponse.model_validate(five)


def test_plan_says_it_decides_nothing_about_individuals(five):
    notice = five["plan"]["notice"]
    assert "no personnel decision about any individual" in notice["en"]
    assert "keine Personalentscheidung" in notice["de"]
    assumptions = five["plan"]["assumptions"]
    assert assumptions["attrition_rate"] == workforce.DEFAULT_ATTRITION_RATE
    assert "IAB" in assumptions["attrition_source"] and "2024" in assumptions["attrition_source"]
    assert "assumption" in assumptions["attrition_source"]
    assert "12-24 months" in assumptions["payback"]  # named for comparison, not used


def test_payback_follows_the_costs(client, five):
    assert isinstance(five["plan"]["payback_months"], int) and five["plan"]["payback_months"] > 0
    no_costs = [{k: v for k, v in r.items() if k != "cost_per_fte"} for r in FIVE_ROLES]
    for body in (
        {"roles": no_costs, "implementation_cost": 400_000},  # no cost per FTE
        {"roles": FIVE_ROLES},  # no implementation cost
        {"roles": no_costs},
    ):
        plan = client.post("/v1/workforce", json=body).get_json()["plan"]
        assert plan["payback_months"] is None
        assert plan["fte_automatable"] == five["plan"]["fte_automatable"]
    dearer = client.post(
        "/v1/workforce", json={"roles": FIVE_ROLES, "implementation_cost": 2_000_000}
    ).get_json()["plan"]
    assert dearer["payback_months"] > five["plan"]["payback_months"]


def test_more_attrition_absorbs_sooner(client, five):
    faster = client.post(
        "/v1/workforce", json={"roles": FIVE_ROLES, "attrition_rate": 0.2}
    ).get_json()["plan"]
    assert faster["years_to_absorb"] < five["plan"]["years_to_absorb"]
    assert faster["assumptions"]["attrition_rate"] == 0.2
    assert faster["assumptions"]["attrition_source"] == "given in the request"
    none = client.post("/v1/workforce", json={"roles": FIVE_ROLES, "attrition_rate": 0}).get_json()[
        "plan"
    ]
    assert none["years_to_absorb"] is None and none["phasing"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"roles": [{"title": "Koch", "headcount": 3}], "attrition_rate": "0.1"}, "attrition_rate"),
        ({"roles": [{"title": "Koch", "headcount": 3}], "attrition_rate": 1}, "attrition_rate"),
        ({"roles": [{"title": "Koch", "headcount": 3}], "attrition_rate": -0.1}, "attrition_rate"),
        ({"roles": [{"title": "Koch", "headcount": 3, "cost_per_fte": -1}]}, "cost_per_fte"),
        (
            {"roles": [{"title": "Koch", "headcount": 3}], "implementation_cost": "x"},
            "implementation_cost",
        ),
    ],
)
def test_bad_plan_inputs_are_422_naming_the_field(client, body, field):
    assert_problem(client.post("/v1/workforce", json=body), 422, field)


def result(automate: float, assist: float, priorities=(0.5, 0.3, 0.2)) -> dict:
    areas = ("ai_process_interface", "complex_problem_solving", "emotional_intelligence")
    return {
        "advice_shares": {
            "automate": automate,
            "assist": assist,
            "keep_human": round(1 - automate - assist, 4),
        },
        "upskilling": [{"area": a, "priority": p} for a, p in zip(areas, priorities, strict=True)],
    }


def test_plan_arithmetic_on_a_known_case():
    plan = workforce.plan(
        [60, 40, 5],
        [result(0.5, 0.25), result(0.25, 0.0), None],  # the third role could not be scored
        attrition_rate=0.1,
        costs_per_fte=[50_000, None, 99_000],
        implementation_cost=100_000,
    )
    assert plan["fte_automatable"] == 40.0 and plan["fte_assisted"] == 15.0
    assert plan["years_to_absorb"] == round(math.log(0.6) / math.log(0.9), 1) == 4.8
    assert [p["fte_absorbed"] for p in plan["phasing"]] == [10.0, 9.0, 8.1, 7.29, 5.61]
    assert plan["retrain"] == {
        "ai_process_interface": 28,
        "complex_problem_solving": 16,
        "emotional_intelligence": 11,
    }  # 55 people whose work changes
    # savings: absorbed FTE x 50,000 for the 30 FTE of the costed role, 0 for the other
    saved, month = 0.0, 0
    while saved < 100_000:
        month += 1
        absorbed = min(40, 100 - 100 * 0.9 ** (month / 12))
        saved += absorbed * (30 * 50_000 / 40) / 12
    assert plan["payback_months"] == month
    assert [r["years_to_absorb_alone"] for r in plan["roles"]] == [
        round(math.log(0.5) / math.log(0.9), 1),
        round(math.log(0.75) / math.log(0.9), 1),
    ]


def test_nothing_to_automate_needs_no_years():
    plan = workforce.plan([10], [result(0.0, 0.4)], implementation_cost=1e5, costs_per_fte=[5e4])
    assert plan["fte_automatable"] == 0 and plan["years_to_absorb"] == 0
    assert plan["phasing"] == [] and plan["payback_months"] is None


def test_cli_plan_with_costs_and_chart(tmp_path, registry_dir):
    rows = pd.DataFrame(FIVE_ROLES).drop(columns=["description"])
    rows.insert(0, "id", [f"r{i}" for i in range(5)])
    rows["description"] = ""
    rows.loc[1, "cost_per_fte"] = None  # unknown for one role
    rows.to_csv(tmp_path / "staff.csv", index=False)
    out, chart = tmp_path / "plan.json", tmp_path / "charts" / "plan.png"
    args = ["workforce", "--input", str(tmp_path / "staff.csv"), "--output", str(out)]
    args += ["--models-dir", str(registry_dir), "--implementation-cost", "250000"]
    args += ["--attrition-rate", "0.12", "--chart", str(chart)]
    run = CliRunner().invoke(main, args)
    assert run.exit_code == 0, run.output
    summary = json.loads(out.read_text())
    plan = summary["plan"]
    assert plan["assumptions"]["attrition_rate"] == 0.12
    assert plan["payback_months"] is not None and plan["phasing"]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.stat().st_size > 10_000


def test_cli_names_a_bad_cost_cell(tmp_path, registry_dir):
    pd.DataFrame(
        {"id": ["a"], "title": ["Koch"], "headcount": [3], "cost_per_fte": ["viel"]}
    ).to_csv(tmp_path / "s.csv", index=False)
    run = CliRunner().invoke(
        main, ["workforce", "--input", str(tmp_path / "s.csv"), "--models-dir", str(registry_dir)]
    )
    assert run.exit_code != 0 and "row 2, column 'cost_per_fte'" in run.output
