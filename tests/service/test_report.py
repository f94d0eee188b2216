"""Evaluation report, model card and reproducible training on a small corpus subset."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image

from risk_service import config
from risk_service.cli import main as cli
from risk_service.registry import ARTIFACT, MANIFEST, Registry, RegistryError
from risk_service.taskmodel import CATEGORIES
from training.report import PLOTS, detailed_metrics, occupation_scores
from training.train import train

N_OCCUPATIONS = 40  # every k-th occupation: all major groups, ~15 % of the corpus, fast to fit


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    """A 40-occupation slice of the shipped corpus, in the corpus file format."""
    out = tmp_path_factory.mktemp("small_corpus")
    occupations = pd.read_csv(config.DATA_DIR / "occupations.csv", dtype=str, keep_default_na=False)
    tasks = pd.read_csv(config.DATA_DIR / "tasks.csv", dtype=str, keep_default_na=False)
    step = len(occupations) // N_OCCUPATIONS
    occupations = occupations.iloc[::step].head(N_OCCUPATIONS)
    occupations.to_csv(out / "occupations.csv", index=False)
    tasks[tasks["occupation_id"].isin(occupations["occupation_id"])].to_csv(
        out / "tasks.csv", index=False
    )
    return out


@pytest.fixture(scope="module")
def trained_twice(small_corpus, tmp_path_factory):
    """Two independent trainings, same data and seed, in two registries: API, then CLI."""
    first = tmp_path_factory.mktemp("first")
    version, metrics = train([small_corpus], first, seed=0)
    second = tmp_path_factory.mktemp("second")
    result = CliRunner().invoke(
        cli, ["train", "--data", str(small_corpus), "--models-dir", str(second), "--seed", "0"]
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)  # stdout stays JSON; the report path goes to stderr
    assert f"{second / printed['version']}/" in result.stderr
    return [
        (Registry(first), version, metrics),
        (Registry(second), printed["version"], printed["metrics"]),
    ]


def _without_timing(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if k != "train_seconds"}


def test_same_data_and_seed_give_identical_metrics_and_report(trained_twice):
    (reg_a, ver_a, metrics_a), (reg_b, ver_b, metrics_b) = trained_twice
    assert metrics_a["n_occupations"] == N_OCCUPATIONS
    assert _without_timing(metrics_a) == _without_timing(metrics_b)

    folder_a, folder_b = reg_a.root / ver_a, reg_b.root / ver_b
    summary_a = json.loads((folder_a / "metrics.json").read_text())
    summary_b = json.loads((folder_b / "metrics.json").read_text())
    for summary in (summary_a, summary_b):
        summary.pop("version")
        summary["metrics"].pop("train_seconds")
    assert summary_a == summary_b  # per-category F1, calibration bins, ISCO summaries too
    for plot in PLOTS:
        assert (folder_a / plot).read_bytes() == (folder_b / plot).read_bytes(), plot

    # The same held-out figures reach both model cards (only version, date and sha differ).
    card_a = (folder_a / "model_card.md").read_text()
    assert f"| ROC AUC, rule-based (degree ≥ 3) | {metrics_a['de']['rule_auc']} " in card_a


def test_report_has_tables_and_readable_plots(trained_twice):
    registry, version, metrics = trained_twice[0]
    folder = registry.root / version
    report = (folder / "report.md").read_text()

    assert f"model {version}" in report
    header = report.split("## Metrics by language")[1].split("\n\n")[1].splitlines()
    assert header[0] == "| metric | German | English |"
    assert f"| tasks | {metrics['de']['n']} | {metrics['en']['n']} |" in header
    assert (
        f"| category macro F1 | {metrics['de']['category_macro_f1']} | "
        f"{metrics['en']['category_macro_f1']} |" in header
    )
    assert folder.stat().st_mode & 0o055 == 0o055  # other users (analysts) may read the reports
    for name in PLOTS:
        assert f"]({name})" in report
        assert (folder / name).stat().st_mode & 0o044 == 0o044
        with Image.open(io.BytesIO((folder / name).read_bytes())) as image:
            assert image.format == "PNG"
            assert image.width >= 500 and image.height >= 400
            # Not a blank canvas: a plot has many distinct colours.
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
            assert colours is not None and len(colours) > 50

    summary = json.loads((folder / "metrics.json").read_text())
    assert summary["data_hash"] == registry.manifest(version)["data_hash"]
    for lang in ("de", "en"):
        assert sum(summary["calibration"][lang]["n"]) == metrics[lang]["n"]
        assert set(summary["per_category_f1"][lang]) <= set(CATEGORIES)
    n_occ = sum(group["n_occupations"] for group in summary["isco_major"].values())
    assert n_occ == N_OCCUPATIONS


def test_model_card_states_use_limits_and_data(trained_twice):
    registry, version, metrics = trained_twice[0]
    manifest = registry.manifest(version)
    card = (registry.root / version / "model_card.md").read_text()
    for section in (
        "## Intended use",
        "## Out-of-scope use",
        "## Training data",
        "## Known limits",
    ):
        assert section in card
    out_of_scope = card.split("## Out-of-scope use")[1].split("## Training data")[0]
    assert "Not a basis for individual dismissal, hiring" in out_of_scope
    assert "Not an occupation-level forecast" in out_of_scope
    assert manifest["data_hash"] in card
    assert f"{N_OCCUPATIONS} occupations" in card
    assert f"| Brier score (lower is better) | {metrics['de']['brier']} |" in card
    assert "written or labelled by the project team" in card and "linear text model" in card.lower()
    assert "O*NET 29.3 Database" in card
    assert "an index of exposure to generative AI" in card


def test_report_files_are_outside_the_verified_artifact(trained_twice):
    registry, version, _ = trained_twice[1]  # the other tests read the first run's files
    sha = registry.manifest(version)["sha256"]
    registry.write_files(version, {"report.md": b"# rewritten by an analyst\n"})
    assert registry.manifest(version)["sha256"] == sha
    assert registry.load(version).meta["version"] == version  # still verifies and loads

    for name in (ARTIFACT, MANIFEST, "../escape.md", "sub/report.md", ".hidden", ""):
        with pytest.raises(RegistryError, match="refusing"):
            registry.write_files(version, {name: b"x"})
    with pytest.raises(RegistryError, match="unknown model version"):
        registry.write_files("19990101-000000-deadbeef", {"report.md": b"x"})
    assert not (registry.root / "escape.md").exists()


def test_version_without_evaluation_gets_a_card_but_no_report(registry_dir):
    registry = Registry(registry_dir)
    folder = registry.root / registry.current_version()
    card = (folder / "model_card.md").read_text()
    assert "registered without cross-validation" in card
    assert not (folder / "report.md").exists()
    assert not any((folder / name).exists() for name in PLOTS)


def test_occupation_scores_and_breakdowns_on_known_numbers():
    predictions = pd.DataFrame(
        {
            "occupation_id": ["a", "a", "a", "a", "b", "b"],
            "isco08": ["4311"] * 4 + ["2221"] * 2,
            "isco_major": ["4"] * 4 + ["2"] * 2,
            "lang": ["de", "de", "en", "en", "de", "en"],
            "p_rule": [0.9, 0.7, 0.8, 0.6, 0.1, 0.3],
            "rule_based": [1, 1, 1, 0, 0, 0],
            "category": ["routine_cognitive"] * 4 + ["nonroutine_interpersonal"] * 2,
            "pred_category": ["routine_cognitive"] * 4 + ["nonroutine_interpersonal"] * 2,
        }
    )
    roles = occupation_scores(predictions).set_index("occupation_id")
    assert roles.loc["a", "de"] == pytest.approx(80.0)
    assert roles.loc["a", "en"] == pytest.approx(70.0)
    assert roles.loc["a", "score"] == pytest.approx(75.0)
    assert roles.loc["b", "score"] == pytest.approx(20.0)

    details = detailed_metrics(predictions)
    assert details["per_category_f1"]["de"] == {
        "routine_cognitive": 1.0,
        "nonroutine_interpersonal": 1.0,
    }
    assert details["isco_major"]["4"]["mean_score"] == pytest.approx(75.0)
    assert details["isco_major"]["2"]["name"] == "Professionals"
    calib = details["calibration"]["en"]
    assert sum(calib["n"]) == 3
    assert np.all(np.diff(calib["mean_predicted"]) > 0)


def test_serving_never_imports_plotting_or_training(registry_dir):
    code = (
        "import sys; import risk_service.web.wsgi as w; "
        "c = w.app.test_client(); assert c.post('/v1/score', json={'tasks': ['Enter invoices']})"
        ".status_code == 200; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'training')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    env = {**os.environ, "RISK_MODELS_DIR": str(registry_dir)}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
