"""The shipped corpus passes its own check, and the check catches what it promises to."""

import pandas as pd
import pytest

from risk_service import config
from training.corpus import CorpusError, load_corpus
from training.validate_corpus import Minimums, check_pairs, near_duplicates, validate


def test_shipped_corpus_passes_the_corpus_check():
    report = validate(config.DATA_DIR)
    assert report.ok, report.violations[:20]
    assert report.counts["occupations"] >= 250
    assert report.counts["statements"] >= 4000


def _tasks(rows):
    return pd.DataFrame(
        rows, columns=["task_id", "occupation_id", "pair_id", "lang", "text", "degree", "category"]
    )


def test_pair_check_flags_missing_language_and_category_mismatch():
    tasks = _tasks(
        [
            ("1-en", "o", "1", "en", "Enter invoices", 4, "routine_cognitive"),
            ("2-en", "o", "2", "en", "Lead the team", 0, "nonroutine_interpersonal"),
            ("2-de", "o", "2", "de", "Führung des Teams", 0, "nonroutine_analytic"),
            ("3-en", "o", "3", "en", "File records", 4, "routine_cognitive"),
            ("3-de", "o", "3", "de", "Ablage", 1, "routine_cognitive"),
        ]
    )
    problems = check_pairs(tasks)
    assert any("pair 1" in p and "languages" in p for p in problems)
    assert any("pair 2" in p and "categories" in p for p in problems)
    assert any("pair 3" in p and "degrees" in p for p in problems)


def test_statements_adapted_from_onet_may_stand_alone_in_english_ours_may_not():
    tasks = _tasks(
        [
            ("1-en", "o", "1", "en", "Enter invoices", 4, "routine_cognitive"),
            ("2-en", "o", "2", "en", "File records", 4, "routine_cognitive"),
        ]
    ).assign(source=["own", "onet-29.3:8823"])
    problems = check_pairs(tasks)
    assert any("pair 1" in p and "languages" in p for p in problems)
    assert not any("pair 2" in p for p in problems)


def test_near_duplicates_are_flagged_but_distinct_statements_are_not():
    tasks = _tasks(
        [
            (
                "a",
                "o",
                "1",
                "en",
                "Enter supplier invoices into SAP every morning",
                4,
                "routine_cognitive",
            ),
            (
                "b",
                "o",
                "2",
                "en",
                "Enter supplier invoices into SAP every morning.",
                4,
                "routine_cognitive",
            ),
            (
                "c",
                "o",
                "3",
                "en",
                "Comfort relatives after a death on the ward",
                0,
                "nonroutine_interpersonal",
            ),
        ]
    )
    problems = near_duplicates(tasks)
    assert len(problems) == 1 and "a and b" in problems[0]


def test_schema_errors_name_file_row_and_column(tmp_path):
    pd.DataFrame(
        {
            "occupation_id": ["x"],
            "isco08": ["43A1"],
            "title_en": ["Clerk"],
            "title_de": ["Sachbearbeiter/in"],
            "synonyms_en": [""],
            "synonyms_de": [""],
        }
    ).to_csv(tmp_path / "occupations.csv", index=False)
    _tasks([]).to_csv(tmp_path / "tasks.csv", index=False)
    with pytest.raises(CorpusError, match=r"occupations.csv, row 2, column 'isco08'"):
        load_corpus(tmp_path)


def test_coverage_minimums_are_enforced(tmp_path):
    report = validate(config.DATA_DIR, Minimums(occupations=10_000))
    assert not report.ok and any("occupations <" in v for v in report.violations)


def _occupation(occupation_id: str, isco08: str = "4311") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "occupation_id": [occupation_id],
            "isco08": [isco08],
            "title_en": ["Clerk"],
            "title_de": ["Sachbearbeiter/in"],
            "synonyms_en": [""],
            "synonyms_de": [""],
        }
    )


def test_a_data_directory_reads_its_part_files_with_its_main_files(tmp_path):
    """Statements added by another author go into ``occupations_<part>.csv`` and
    ``tasks_<part>.csv`` beside the main files; they are loaded (and hashed) with them and
    may describe occupations of the main files."""
    _occupation("clerk").to_csv(tmp_path / "occupations.csv", index=False)
    _tasks([("1-en", "clerk", "1", "en", "Enter invoices", 4, "routine_cognitive")]).to_csv(
        tmp_path / "tasks.csv", index=False
    )
    before = load_corpus(tmp_path)
    _occupation("tutor", "2359").to_csv(tmp_path / "occupations_coverage.csv", index=False)
    _tasks(
        [
            ("t-en", "tutor", "t", "en", "Explain fractions again", 1, "nonroutine_interpersonal"),
            ("c-en", "clerk", "c", "en", "File delivery notes", 4, "routine_cognitive"),
        ]
    ).to_csv(tmp_path / "tasks_coverage.csv", index=False)
    corpus = load_corpus(tmp_path)
    assert sorted(corpus.occupations["occupation_id"]) == ["clerk", "tutor"]
    assert corpus.tasks.groupby("occupation_id").size().to_dict() == {"clerk": 2, "tutor": 1}
    assert corpus.data_hash != before.data_hash
    (tmp_path / "tasks_coverage.csv").unlink()
    with pytest.raises(CorpusError, match=r"tasks_coverage.csv: file not found"):
        load_corpus(tmp_path)


def test_every_esco_unit_group_has_an_occupation_with_eight_statements_per_language():
    from training.esco_titles import unit_group_coverage
    from training.train import DEFAULT_DATA

    coverage = unit_group_coverage(load_corpus(*DEFAULT_DATA))
    assert coverage["with_8_tasks_per_language"] == coverage["esco_unit_groups"] == 426
