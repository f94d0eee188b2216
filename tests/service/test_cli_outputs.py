"""Outputs for analysts (issue 13, part 5): ``score --format jsonl`` with the full assessment,
the input's other columns passed through, separator and encoding detected, one-line errors
that leave nothing behind, a progress bar with total and time left, and the workforce roll-up
under the same keys as over HTTP."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from click.testing import CliRunner

from risk_service.cli import main
from tests.commands import run_score

ROWS = [
    ("r1", "Buchhaltung", "Buchhalter/in", "Kontieren und Buchen von Belegen; Mahnwesen"),
    ("r2", "Pflege", "Pflegefachkraft", ""),
    ("r3", "Küche", "", "Speisen nach Rezept zubereiten. Waren bestellen."),
]


def german_excel_csv(path) -> None:
    """What German Excel saves as "CSV (Trennzeichen-getrennt)": semicolons, Windows-1252,
    a cell with a semicolon in quotes."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerows([("id", "abteilung", "title", "description"), *ROWS])
    path.write_bytes(text.getvalue().encode("cp1252"))


def leftovers(directory, keep: set[str]) -> set[str]:
    return {p.name for p in directory.iterdir()} - keep


def test_jsonl_carries_the_full_assessment_as_http_answers_it(tmp_path, registry_dir, client):
    source = tmp_path / "roles.csv"
    pd.DataFrame(
        [{"id": i, "department": d, "title": t, "description": x} for i, d, t, x in ROWS]
    ).to_csv(source, index=False)
    result = run_score(source, tmp_path / "out.jsonl", models_dir=registry_dir)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [line["id"] for line in lines] == ["r1", "r2", "r3"]
    assert [line["department"] for line in lines] == ["Buchhaltung", "Pflege", "Küche"]
    first = lines[0]
    http = client.post(
        "/v1/score", json={"title": ROWS[0][2], "description": ROWS[0][3]}
    ).get_json()
    for answer in (first, http):
        answer.pop("assessment_id")
    assert {k: v for k, v in first.items() if k not in ("id", "department")} == http
    task = first["tasks"][0]
    assert {"advice", "advice_reason", "evidence"} <= set(task) and task["evidence"]
    assert len(first["upskilling"]) == 3 and all(u["actions"] for u in first["upskilling"])


def test_format_option_overrides_the_extension(tmp_path, registry_dir):
    source = tmp_path / "roles.csv"
    pd.DataFrame([{"id": "a", "title": "Koch/Köchin"}]).to_csv(source, index=False)
    result = run_score(source, tmp_path / "out.txt", "--format", "jsonl", models_dir=registry_dir)
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out.txt").read_text())["risk_band"] in ("low", "medium", "high")


def test_german_excel_csv_is_read_and_its_columns_kept(tmp_path, registry_dir):
    german_excel_csv(tmp_path / "rollen.csv")
    result = run_score(tmp_path / "rollen.csv", tmp_path / "out.csv", models_dir=registry_dir)
    assert result.exit_code == 0, result.output
    assert "Windows-1252" in result.stderr and "semicolon" in result.stderr
    out = pd.read_csv(tmp_path / "out.csv", sep=";", dtype=str)  # the input's separator
    assert out["id"].tolist() == ["r1", "r2", "r3"]
    assert out["abteilung"].tolist() == ["Buchhaltung", "Pflege", "Küche"]  # umlaut intact
    assert out.columns[:2].tolist() == ["id", "abteilung"]
    assert out["risk_score"].astype(float).between(0, 100).all() and (out["error"].isna()).all()


def test_sep_and_encoding_can_be_given(tmp_path, registry_dir):
    source = tmp_path / "roles.txt"
    source.write_bytes("id\ttitle\nx\tKöchin\n".encode("latin-1"))
    result = run_score(
        source,
        tmp_path / "out.csv",
        "--sep",
        "\\t",
        "--encoding",
        "latin-1",
        models_dir=registry_dir,
    )
    assert result.exit_code == 0, result.output
    assert "Windows-1252" not in result.stderr
    assert pd.read_csv(tmp_path / "out.csv", sep="\t")["id"].tolist() == ["x"]


def test_a_pass_through_column_named_like_an_output_keeps_its_value(tmp_path, registry_dir):
    source = tmp_path / "roles.csv"
    pd.DataFrame([{"id": "a", "title": "Buchhalter/in", "risk_score": "old"}]).to_csv(
        source, index=False
    )
    assert run_score(source, tmp_path / "o.csv", models_dir=registry_dir).exit_code == 0
    out = pd.read_csv(tmp_path / "o.csv")
    assert out["input_risk_score"].tolist() == ["old"] and out["risk_score"].dtype == float


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"id,title,description\n", "a header but no rows"),
        (b'id,title\n1,"Koch\n2,B\xc3\xa4cker\n', "line 3: malformed CSV (unexpected end of data)"),
        (b"id,title\n1,Koch\n2,Koch,extra,cells\n", "line 3: 4 cells, the header has 2"),
        (b"id;title\n1;Koch;Maler\n", "line 2: 3 cells, the header has 2"),
        (b"PK\x03\x04\x00\x00binary", "not a text file"),
        (b"id,title\n1,K\x81che\n", "not UTF-8 (byte 0x81 at offset 12)"),
        (b"name,role\nx,y\n", "missing column 'id' (columns found: 'name', 'role')"),
    ],
)
def test_bad_files_get_one_line_and_leave_nothing_behind(tmp_path, registry_dir, content, message):
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    for suffix in (".csv", ".parquet", ".jsonl"):
        result = run_score(source, tmp_path / f"out{suffix}", models_dir=registry_dir)
        assert result.exit_code == 1, result.output
        (error,) = [line for line in result.output.splitlines() if line.startswith("Error:")]
        assert message in error and "Traceback" not in result.output, result.output
    assert leftovers(tmp_path, {"in.csv"}) == set()


def test_a_wrong_encoding_is_one_line_naming_it(tmp_path, registry_dir):
    source = tmp_path / "in.csv"
    source.write_bytes("id,title\n1,Bäcker\n".encode("cp1252"))
    result = run_score(source, tmp_path / "o.csv", "--encoding", "utf-8", models_dir=registry_dir)
    assert result.exit_code == 1
    assert result.output.startswith("Error:") and "not utf-8" in result.output
    assert "\n" not in result.output.strip()
    assert leftovers(tmp_path, {"in.csv"}) == set()


def test_progress_shows_the_total_and_the_time_left(tmp_path, registry_dir):
    source = tmp_path / "roles.csv"
    # a quoted line break inside a cell is still one row of the total
    source.write_text(
        'id,title,description\n1,Koch,"Speisen zubereiten\nund anrichten"\n2,Bäcker,\n3,Maler,\n',
        encoding="utf-8",
    )
    result = run_score(
        source, tmp_path / "o.csv", "--progress", "--chunk-size", "1", models_dir=registry_dir
    )
    assert result.exit_code == 0, result.output
    bar = result.stderr.replace("\r", "\n")
    assert "3/3" in bar and "<" in bar  # tqdm: elapsed<remaining
    assert len(pd.read_csv(tmp_path / "o.csv")) == 3


def test_workforce_answers_with_the_http_keys(tmp_path, registry_dir, client):
    roles = [
        {"title": "Buchhalter/in", "headcount": 30},
        {"title": "Pflegefachkraft", "headcount": 10},
    ]
    source = tmp_path / "staff.csv"
    german = (
        "id;standort;title;headcount\r\na;Köln;Buchhalter/in;30\r\nb;Köln;Pflegefachkraft;10\r\n"
    )
    source.write_bytes(german.encode("cp1252"))
    out = tmp_path / "plan.json"
    result = CliRunner().invoke(
        main,
        [
            "workforce",
            "--input",
            str(source),
            "--output",
            str(out),
            "--models-dir",
            str(registry_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    cli = json.loads(out.read_text())
    http = client.post("/v1/workforce", json={"roles": roles}).get_json()
    assert set(cli) == set(http) and "results" in cli and "roles" not in cli
    assert cli["plan"] == http["plan"]
    for mine, theirs in zip(cli["results"], http["results"], strict=True):
        assert set(mine) - set(theirs) == {"id", "standort"}
        assert mine["risk_score"] == theirs["risk_score"] and mine["standort"] == "Köln"


def test_a_json_line_renames_a_column_named_like_an_assessment_key():
    from risk_service.batch import records
    from risk_service.schemas import Assessment

    assert set(Assessment.model_fields) | {"error"} == records._ASSESSMENT_KEYS
    row = {"id": "a", "title": "Koch", "tasks": "x", "risk_band": "old", "team": "B"}
    assert records.passthrough_record(row) == {"id": "a", "input_risk_band": "old", "team": "B"}
