"""The serving install (no extras) scores CSV files with the trained model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_extras import NOT_IN_SERVING, cli


@pytest.fixture
def roles_csv(tmp_path) -> Path:
    path = tmp_path / "roles.csv"
    path.write_text("id,title,headcount\n1,Buchhalter,3\n", encoding="utf-8")
    return path


def test_the_serving_install_scores_and_rolls_up_csv_files(roles_csv, tmp_path, registry_dir):
    """CSV in, CSV out needs no extra: the standard library reads and writes the files."""
    out = tmp_path / "out.csv"
    models = ["--models-dir", str(registry_dir)]
    done = cli(NOT_IN_SERVING, "score", "--input", str(roles_csv), "--output", str(out), *models)
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8").splitlines()[1].startswith("1,")
    done = cli(NOT_IN_SERVING, "workforce", "--input", str(roles_csv), *models)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["headcount"] == 3
