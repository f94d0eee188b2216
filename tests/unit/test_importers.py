"""O*NET and ESCO importers: parsing, weak labels, ISCO mapping, errors, CLI, corpus fit.

The fixtures under tests/fixtures/{onet,esco} are hand-written in the official file formats
(O*NET text release, ESCO CSV export); their sentences and ratings are invented.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from risk_service import config
from risk_service.cli import main
from training.corpus import OCCUPATION_COLUMNS, TASK_COLUMNS, load_corpus
from training.importers import SourceError, write_corpus
from training.importers.esco import import_esco
from training.importers.onet import import_onet, task_category, task_degree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ONET = FIXTURES / "onet"
CROSSWALK = ONET / "crosswalk.csv"
ESCO_EN = FIXTURES / "esco" / "occupations_en.csv"
ESCO_DE = FIXTURES / "esco" / "occupations_de.csv"

DATA_ENTRY, COUNSELOR, BOOKKEEPING = "onet_43-9021.00", "onet_21-1012.00", "onet_43-3031.00"


@pytest.fixture
def onet_copy(tmp_path):
    """A writable copy of the O*NET fixture release."""
    target = tmp_path / "db_text"
    shutil.copytree(ONET, target)
    return target


def edit_line(path: Path, line: int, old: str, new: str) -> None:
    """Replace ``old`` by ``new`` on 1-based ``line`` (header = line 1) of a text file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def mean_degree(tasks: pd.DataFrame, occupation_id: str) -> float:
    return tasks.loc[tasks["occupation_id"] == occupation_id, "degree"].astype(int).mean()


# --- O*NET -------------------------------------------------------------------------------------


def test_onet_rows_follow_the_corpus_format():
    occupations, tasks, report = import_onet(ONET, CROSSWALK)
    assert list(occupations.columns) == OCCUPATION_COLUMNS
    assert list(tasks.columns) == TASK_COLUMNS
    assert (tasks["lang"] == "en").all()
    assert (tasks["pair_id"] == tasks["task_id"]).all()
    assert (occupations["title_de"] == occupations["title_en"]).all()
    assert set(tasks["occupation_id"]) == set(occupations["occupation_id"])
    assert set(tasks["degree"]) <= set("01234")
    # no quoting in the text release: quotes belong to the statement
    assert 'Prepare "aged debtors" lists for the finance manager.' in set(tasks["text"])
    assert (report.occupations_written, report.tasks_written) == (6, 28)


def test_onet_skips_are_counted_not_silent():
    occupations, _, report = import_onet(ONET, CROSSWALK)
    assert report.occupations_read == 9
    assert report.skipped_no_tasks == 1  # "Managers, All Other": no task statements
    assert report.skipped_no_context == 1  # truck drivers: no Work Context ratings
    assert report.skipped_no_isco == 1  # carpenters: not in the crosswalk
    assert "onet_47-2031.00" not in set(occupations["occupation_id"])


def test_onet_routine_index_orders_occupations():
    _, tasks, _ = import_onet(ONET, CROSSWALK)
    # high repetition, exactness and structure → higher degrees than a counsellor's tasks
    assert mean_degree(tasks, DATA_ENTRY) >= 3.5
    assert mean_degree(tasks, COUNSELOR) <= 1.0
    assert (
        mean_degree(tasks, DATA_ENTRY)
        > mean_degree(tasks, BOOKKEEPING)
        > mean_degree(tasks, COUNSELOR)
    )


def test_onet_degrees_follow_the_work_context_values(onet_copy):
    """Swapping the two occupations' ratings swaps their degrees: the labels come from data."""
    path = onet_copy / "Work Context.txt"
    frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, quoting=3)
    a = frame["O*NET-SOC Code"] == "43-9021.00"
    b = frame["O*NET-SOC Code"] == "21-1012.00"
    values_a = frame.loc[a, "Data Value"].to_numpy().copy()
    frame.loc[a, "Data Value"] = frame.loc[b, "Data Value"].to_numpy()
    frame.loc[b, "Data Value"] = values_a
    frame.to_csv(path, sep="\t", index=False, quoting=3)
    _, tasks, _ = import_onet(onet_copy, CROSSWALK)
    assert mean_degree(tasks, COUNSELOR) > mean_degree(tasks, DATA_ENTRY)


def test_onet_accepts_the_renamed_structure_item(onet_copy):
    path = onet_copy / "Work Context.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "Structured versus Unstructured Work", "Determine Tasks, Priorities and Goals"
        ),
        encoding="utf-8",
    )
    _, renamed, _ = import_onet(onet_copy, CROSSWALK)
    _, original, _ = import_onet(ONET, CROSSWALK)
    assert renamed["degree"].tolist() == original["degree"].tolist()


def test_onet_fails_when_a_routine_item_is_missing(onet_copy):
    path = onet_copy / "Work Context.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Importance of Being Exact or Accurate", "Other"), "utf-8")
    with pytest.raises(SourceError, match=r"Work Context\.txt.*Importance of Being Exact"):
        import_onet(onet_copy, CROSSWALK)


@pytest.mark.parametrize(
    ("base", "task_type", "category", "source", "expected"),
    [
        (4, "Core", None, "activities", 4),
        (4, "Supplemental", None, "activities", 3),  # towards the middle
        (0, "Supplemental", None, "activities", 1),
        (2, "Supplemental", None, "activities", 2),
        (4, "n/a", "routine_cognitive", "verb", 4),  # clipped
        (1, "Core", "routine_manual", "verb", 2),
        (3, "Core", "nonroutine_interpersonal", "verb", 2),
        (3, "Core", "ai_process_interface", "ai", 3),
        (4, "Supplemental", "nonroutine_analytic", "verb", 2),
    ],
)
def test_task_degree_shifts(base, task_type, category, source, expected):
    assert task_degree(base, task_type, category, source) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Operate the labelling machine at the set line speed.", ("routine_manual", "verb")),
        ("Counsel clients on debt problems.", ("nonroutine_interpersonal", "verb")),
        ("Review chatbot answers and correct wrong ones.", ("ai_process_interface", "ai")),
        ("Review contracts for unusual clauses.", (None, "none")),  # ambiguous verb
    ],
)
def test_task_category_rules(text, expected):
    assert task_category(text) == expected


def test_onet_categories_fall_back_to_work_activities():
    _, tasks, report = import_onet(ONET, CROSSWALK)
    by_text = tasks.set_index("text")["category"]
    # "Keep ..." is not in the verb list; assemblers rate machine/handling activities highest
    assert by_text["Keep the workstation stocked with screws, clips and labels."] == (
        "routine_manual"
    )
    assert by_text["Keep notes of counselling sessions in the student file."] == (
        "nonroutine_interpersonal"
    )
    assert report.category_source["activities"] > 0 and report.category_source["verb"] > 0


def test_onet_isco_from_crosswalk():
    occupations, _, report = import_onet(ONET, CROSSWALK)
    isco = occupations.set_index("occupation_id")["isco08"]
    assert isco[DATA_ENTRY] == "4132"  # crosswalk row uses the 6-digit SOC code
    assert isco[BOOKKEEPING] == "4311"  # two ISCO codes: the first row wins …
    assert report.ambiguous_isco == 1  # … and the report says so


def test_onet_without_crosswalk_explains_what_is_missing():
    with pytest.raises(SourceError, match=r"7 lack an ISCO-08 code.*--crosswalk"):
        import_onet(ONET)


@pytest.mark.parametrize(
    ("file", "line", "old", "new", "message"),
    [
        (
            "Task Statements.txt",
            4,
            "\tCore\t",
            "\tCore\textra\t",
            r"Task Statements\.txt, row 4: expected 8 fields, found 9",
        ),
        (
            "Task Statements.txt",
            7,
            "Post invoices and payments to the general ledger.",
            "",
            r"Task Statements\.txt, row 7, column 'Task': empty",
        ),
        (
            "Task Statements.txt",
            5,
            "43-9021.00",
            "43-9099.00",
            r"Task Statements\.txt, row 5, column 'O\*NET-SOC Code': '43-9099.00' is not in",
        ),
        (
            "Work Context.txt",
            21,
            "\t4.05\t",
            "\thigh\t",
            r"Work Context\.txt, row 21, column 'Data Value': 'high' is not a number from 1 to 5",
        ),
        (
            "Work Activities.txt",
            1,
            "Scale ID",
            "Scale",
            r"Work Activities\.txt, row 1, column 'Scale ID': missing column",
        ),
        (
            "Occupation Data.txt",
            3,
            "43-3031.00",
            "43-3031",
            r"Occupation Data\.txt, row 3, column 'O\*NET-SOC Code': '43-3031' is not an O\*NET",
        ),
        (
            "crosswalk.csv",
            5,
            "8219",
            "82190",
            r"crosswalk\.csv, row 5, column 'isco08': '82190' is not a 4-digit ISCO-08 code",
        ),
    ],
)
def test_onet_errors_name_file_row_and_column(onet_copy, file, line, old, new, message):
    edit_line(onet_copy / file, line, old, new)
    with pytest.raises(SourceError, match=message):
        import_onet(onet_copy, onet_copy / "crosswalk.csv")


def test_onet_missing_file_is_named(onet_copy):
    (onet_copy / "Work Activities.txt").unlink()
    with pytest.raises(SourceError, match=r"Work Activities\.txt: file not found"):
        import_onet(onet_copy, CROSSWALK)


# --- ESCO --------------------------------------------------------------------------------------


def test_esco_english_with_german_labels():
    occupations, tasks, report = import_esco(ESCO_EN, "en", ESCO_DE)
    assert list(occupations.columns) == OCCUPATION_COLUMNS
    assert tasks.empty and list(tasks.columns) == TASK_COLUMNS
    rows = occupations.set_index("title_en")
    clerk = rows.loc["accounts clerk"]
    assert clerk["isco08"] == "4311"
    assert clerk["occupation_id"] == "esco_5e1f0c2a-7b3d-4c8e-9a61-0d2f4b7e9c13"
    # one label per line in the export; the title itself is not repeated as a synonym
    assert clerk["synonyms_en"] == "ledger clerk|bookkeeping assistant"
    assert clerk["title_de"] == "Buchhaltungsfachkraft"
    assert clerk["synonyms_de"].split("|")[0] == "Buchhalter/Buchhalterin"
    # a "|" inside a label would split it in the corpus
    assert "customer service agent / phone" in rows.loc["contact centre agent", "synonyms_en"]
    assert rows.loc["armed forces officer", "isco08"] == "0110"  # leading zero kept
    assert rows.loc["armed forces officer", "title_de"] == "armed forces officer"
    assert "data keying operator" not in rows.index  # status "draft"
    assert (report.occupations_written, report.skipped_not_released) == (4, 1)
    assert report.title_repeated == 1


def test_esco_german_only_file():
    occupations, _, report = import_esco(ESCO_DE, "de")
    physio = occupations.set_index("isco08").loc["2264"]
    assert physio["title_de"] == "Physiotherapeut/Physiotherapeutin"
    assert physio["synonyms_de"] == "Krankengymnast/Krankengymnastin"
    assert physio["title_en"] == physio["title_de"] and physio["synonyms_en"] == ""
    assert report.title_repeated == 3


def test_esco_error_counts_records_not_lines(tmp_path):
    # multi-line altLabels: the 3rd data record (spreadsheet row 4) starts on a later line
    frame = pd.read_csv(ESCO_EN, dtype=str, keep_default_na=False)
    frame.loc[2, "iscoGroup"] = "22A4"
    broken = tmp_path / "occupations_en.csv"
    frame.to_csv(broken, index=False)
    with pytest.raises(SourceError, match=r"row 4, column 'iscoGroup': '22A4' is not a 4-digit"):
        import_esco(broken)


def test_esco_missing_column_is_named(tmp_path):
    broken = tmp_path / "occupations_en.csv"
    broken.write_text(ESCO_EN.read_text("utf-8").replace("altLabels", "labels", 1), "utf-8")
    with pytest.raises(SourceError, match=r"row 1, column 'altLabels': missing column"):
        import_esco(broken)


# --- output, corpus, CLI -----------------------------------------------------------------------


def test_imported_directories_load_next_to_our_corpus(tmp_path):
    write_corpus(tmp_path / "onet", *import_onet(ONET, CROSSWALK)[:2])
    write_corpus(tmp_path / "esco", *import_esco(ESCO_EN, "en", ESCO_DE)[:2])
    ours = load_corpus(config.DATA_DIR)
    corpus = load_corpus(config.DATA_DIR, tmp_path / "onet", tmp_path / "esco")
    assert len(corpus.occupations) == len(ours.occupations) + 6 + 4
    assert len(corpus.tasks) == len(ours.tasks) + 28
    labelled = corpus.labelled
    onet = labelled[labelled["occupation_id"].str.startswith("onet_")]
    assert onet["isco_major"].notna().all()
    assert onet["rule_based"].sum() > 0 and (onet["rule_based"] == 0).sum() > 0
    assert corpus.data_hash != ours.data_hash


def test_write_corpus_refuses_to_overwrite(tmp_path):
    occupations, tasks, _ = import_esco(ESCO_EN)
    write_corpus(tmp_path, occupations, tasks)
    with pytest.raises(SourceError, match="--force"):
        write_corpus(tmp_path, occupations, tasks)
    write_corpus(tmp_path, occupations.head(1), tasks, force=True)
    assert len(load_corpus(tmp_path).occupations) == 1


def test_cli_import_onet(tmp_path):
    out = tmp_path / "onet_out"
    args = ["import", "onet", str(ONET), "--output", str(out), "--crosswalk", str(CROSSWALK)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["tasks_written"] == 28 and summary["skipped_no_isco"] == 1
    assert len(load_corpus(out).tasks) == 28
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1 and "--force" in again.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0


def test_cli_import_onet_errors_are_messages_not_tracebacks(tmp_path):
    result = CliRunner().invoke(main, ["import", "onet", str(ONET), "--output", str(tmp_path)])
    assert result.exit_code == 1
    assert "--crosswalk" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "occupations.csv").exists()


def test_cli_import_requires_an_explicit_output():
    result = CliRunner().invoke(main, ["import", "esco", str(ESCO_EN)])
    assert result.exit_code == 2 and "--output" in result.output


def test_cli_import_esco(tmp_path):
    out = tmp_path / "esco_out"
    result = CliRunner().invoke(
        main, ["import", "esco", str(ESCO_EN), "--de", str(ESCO_DE), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["occupations_written"] == 4
    corpus = load_corpus(out)
    assert "Buchhaltungsfachkraft" in set(corpus.occupations["title_de"])
    assert corpus.tasks.empty
    conflict = CliRunner().invoke(
        main,
        ["import", "esco", str(ESCO_DE), "--lang", "de", "--de", str(ESCO_DE), "--output", "x"],
    )
    assert conflict.exit_code == 2 and "--de" in conflict.output


def test_serving_does_not_import_the_importers():
    code = (
        "import sys, risk_service.cli;print([m for m in sys.modules if m.startswith('training')])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
