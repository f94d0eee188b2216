import json
import subprocess
import sys

import pandas as pd
from click.testing import CliRunner

from risk_service.cli import main
from tests.commands import run_score

ROLES = [
    ("Buchhalter/in", "Kontieren und Buchen von Belegen; Abgleich der Kontoauszüge"),
    ("Pflegefachkraft", ""),
    ("", "Answer customer calls. Update customer records in the CRM."),
    ("Software Developer", ""),
]


def write_roles(path, n: int) -> pd.DataFrame:
    rows = [
        {"id": f"r{i:05d}", "title": ROLES[i % 4][0], "description": ROLES[i % 4][1]}
        for i in range(n)
    ]
    frame = pd.DataFrame(rows)
    frame.to_csv(path, index=False)
    return frame


def test_score_csv_keeps_all_rows_in_order(tmp_path, registry_dir):
    source = write_roles(tmp_path / "roles.csv", 1000)
    result = run_score(
        tmp_path / "roles.csv", tmp_path / "out.csv", "--chunk-size", "300", models_dir=registry_dir
    )
    assert result.exit_code == 0, result.output
    out = pd.read_csv(tmp_path / "out.csv", dtype={"id": str})
    assert len(out) == 1000
    assert out["id"].tolist() == source["id"].tolist()
    assert {"risk_score", "risk_band", "language", "top_area"} <= set(out.columns)
    assert out["risk_score"].notna().all()
    # the same role scores the same wherever it sits in the file
    assert out.groupby(out.index % 4)["risk_score"].nunique().eq(1).all()


def test_score_parquet_round_trip(tmp_path, registry_dir):
    write_roles(tmp_path / "roles.csv", 10)
    pd.read_csv(tmp_path / "roles.csv", keep_default_na=False).to_parquet(
        tmp_path / "roles.parquet"
    )
    result = run_score(
        tmp_path / "roles.parquet", tmp_path / "out.parquet", models_dir=registry_dir
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(tmp_path / "out.parquet")) == 10


def test_score_reports_missing_columns(tmp_path, registry_dir):
    pd.DataFrame({"name": ["x"]}).to_csv(tmp_path / "bad.csv", index=False)
    result = run_score(tmp_path / "bad.csv", tmp_path / "o.csv", models_dir=registry_dir)
    assert result.exit_code != 0 and "missing column 'id'" in result.output


def test_rows_that_cannot_be_scored_carry_an_error(tmp_path, registry_dir):
    pd.DataFrame(
        {"id": ["a", "b"], "title": ["Qwxzz Blorf", "Koch"], "description": ["", ""]}
    ).to_csv(tmp_path / "r.csv", index=False)
    run_score(tmp_path / "r.csv", tmp_path / "o.csv", models_dir=registry_dir)
    out = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    assert out.loc[0, "error"].startswith("title:") and out.loc[0, "risk_score"] == ""
    assert out.loc[1, "error"] == "" and float(out.loc[1, "risk_score"]) >= 0


CSV_RUN = """
import sys
from risk_service.cli import main
main(["score", "--input", sys.argv[1], "--output", sys.argv[2], "--models-dir", sys.argv[3]],
     standalone_mode=False)
heavy = ("pandas", "pyarrow", "flask", "risk_service.web", "sklearn", "tqdm")
print(",".join(m for m in heavy if m in sys.modules))
"""


def test_csv_in_csv_out_loads_neither_pandas_nor_the_web_package(tmp_path, registry_dir):
    write_roles(tmp_path / "roles.csv", 8)
    args = [str(tmp_path / "roles.csv"), str(tmp_path / "out.csv"), str(registry_dir)]
    run = subprocess.run(
        [sys.executable, "-c", CSV_RUN, *args], capture_output=True, text=True, check=True
    )
    assert run.stdout.strip() == ""  # none of them imported: start-up stays short
    out = pd.read_csv(tmp_path / "out.csv", dtype={"id": str}, keep_default_na=False)
    assert out["id"].tolist() == [f"r{i:05d}" for i in range(8)]
    assert (out["risk_score"] != "").all()


def test_a_row_with_more_cells_than_the_header_is_named(tmp_path, registry_dir):
    (tmp_path / "r.csv").write_text("id,title\na,Koch\nb,Koch,extra\n", encoding="utf-8")
    result = run_score(tmp_path / "r.csv", tmp_path / "o.csv", models_dir=registry_dir)
    assert result.exit_code == 1 and "line 3: 3 cells, the header has 2" in result.output
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "o.csv.part").exists()


SCORE_SNIPPET = """
import json, sys
from risk_service.registry import Registry
from risk_service.schemas import Role
from risk_service.scoring import assess
model = Registry(sys.argv[1]).load()
roles = [Role(title="Buchhalter/in"), Role(tasks=["Answer customer calls", "Lead the team"])]
keys = ("risk_score", "interval", "tasks")
print(json.dumps([[assess(r, model)[k] for k in keys] for r in roles]))
"""


def test_train_save_load_in_a_new_process_gives_identical_scores(registry_dir, model):
    from risk_service.schemas import Role
    from risk_service.scoring import assess

    roles = [Role(title="Buchhalter/in"), Role(tasks=["Answer customer calls", "Lead the team"])]
    here = [[assess(r, model)[k] for k in ("risk_score", "interval", "tasks")] for r in roles]
    there = subprocess.run(
        [sys.executable, "-c", SCORE_SNIPPET, str(registry_dir)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(there.stdout) == json.loads(json.dumps(here))


def test_models_list_marks_current(registry_dir):
    result = CliRunner().invoke(main, ["models", "list", "--models-dir", str(registry_dir)])
    assert result.exit_code == 0 and result.output.startswith("*")


def test_workforce_csv_rollup(tmp_path, registry_dir):
    pd.DataFrame(
        {
            "id": ["acc", "care", "bad"],
            "title": ["Buchhalter/in", "Pflegefachkraft", "Qwxzz Blorf"],
            "description": ["", "", ""],
            "headcount": [30, 10, 5],
        }
    ).to_csv(tmp_path / "staff.csv", index=False)
    out = tmp_path / "rollup.json"
    result = CliRunner().invoke(
        main,
        [
            "workforce",
            "--input",
            str(tmp_path / "staff.csv"),
            "--output",
            str(out),
            "--models-dir",
            str(registry_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(out.read_text())
    acc, care, bad = summary["results"]
    assert summary["headcount"] == 40  # the unscorable role is left out of the totals
    expected = (30 * acc["risk_score"] + 10 * care["risk_score"]) / 40
    assert abs(summary["risk_score"] - expected) < 0.1
    assert bad["error"].startswith("title:") and "risk_score" not in bad
    assert summary["top_exposed_tasks"]


def test_workforce_rejects_negative_headcount(tmp_path, registry_dir):
    pd.DataFrame({"id": ["a"], "title": ["Koch"], "headcount": [-3]}).to_csv(
        tmp_path / "s.csv", index=False
    )
    result = CliRunner().invoke(
        main, ["workforce", "--input", str(tmp_path / "s.csv"), "--models-dir", str(registry_dir)]
    )
    assert result.exit_code != 0 and "column 'headcount'" in result.output


def test_score_on_csv_imports_neither_flask_nor_the_web_package_nor_training(
    tmp_path, registry_dir
):
    write_roles(tmp_path / "roles.csv", 8)
    code = (
        "import sys\n"
        "from risk_service.cli import main\n"
        "try:\n"
        "    main(['score', '--input', sys.argv[1], '--output', sys.argv[2],"
        " '--models-dir', sys.argv[3]])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug',"
        " 'training', 'sklearn', 'scipy') or m.startswith('risk_service.web')))\n"
    )
    args = [str(tmp_path / "roles.csv"), str(tmp_path / "out.csv"), str(registry_dir)]
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert len(pd.read_csv(tmp_path / "out.csv")) == 8
