"""Extras: a command whose extra is missing says in one line which to install; the serving
install (no extras) serves. A missing install is simulated by blocking its modules."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What the serving install leaves out (setup.cfg: install_requires against the extras).
NOT_IN_SERVING = ("pandas", "pyarrow", "tqdm", "sklearn", "scipy", "joblib", "matplotlib", "dask")


def run_blocked(blocked: tuple[str, ...], code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter in which ``blocked`` cannot be imported."""
    prelude = f"import sys\nfor _name in {blocked!r}:\n    sys.modules[_name] = None\n"
    return subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def cli(blocked: tuple[str, ...], *args: str) -> subprocess.CompletedProcess:
    return run_blocked(blocked, f"from risk_service.cli import main\nmain({list(args)!r})\n")


@pytest.fixture
def roles_csv(tmp_path) -> Path:
    path = tmp_path / "roles.csv"
    path.write_text("id,title,headcount\n1,Buchhalter,3\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("blocked", "args", "extra", "missing"),
    [
        (("pyarrow",), ["score", "--output", "out.parquet"], "batch", "pyarrow"),
        (
            ("distributed",),
            ["score", "--output", "o.csv", "--engine", "dask"],
            "dask",
            "distributed",
        ),
        (("pyarrow",), ["workforce", "--input", "{parquet}"], "batch", "pyarrow"),
        (("matplotlib",), ["workforce", "--chart", "plan.png"], "train", "matplotlib"),
    ],
)
def test_a_batch_command_without_its_extra_says_which_to_install(
    roles_csv, tmp_path, blocked, args, extra, missing
):
    parquet = tmp_path / "roles.parquet"
    parquet.write_bytes(b"PAR1")  # never read: the extra is checked first
    rest = [a.format(parquet=parquet) for a in args[1:]]  # a later --input wins
    args = [args[0], "--input", str(roles_csv), "--models-dir", str(tmp_path), *rest]
    done = cli(blocked, *args)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"pip install 'risk-service[{extra}]'" in lines[0] and missing in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ["train"],
        ["evaluate", "--data", "training/data/dev"],
        ["import", "esco", "README.md", "--output", "x"],
    ],
)
def test_a_training_command_without_the_train_extra_says_so(tmp_path, args):
    models = ["--models-dir", str(tmp_path)] if args[0] != "import" else []
    done = cli(("sklearn", "scipy"), *args, *models)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "needs the 'train' extra: pip install 'risk-service[train]'" in line
    assert "sklearn, scipy" in line


def test_train_if_missing_needs_no_extra_when_a_model_is_registered(tmp_path):
    (tmp_path / "current").write_text("v1\n")  # any registered version will do for the check
    done = cli(NOT_IN_SERVING, "train", "--if-missing", "--models-dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "model v1 is registered; not training" in done.stdout


def test_the_serving_install_serves_and_manages_models_without_any_extra(tmp_path):
    done = run_blocked(
        NOT_IN_SERVING,
        f"""
        import json
        from risk_service.cli import main
        from risk_service.web.app import create_app
        client = create_app({{"MODELS_DIR": {str(tmp_path)!r},
                              "DATABASE_URL": "sqlite://"}}).test_client()
        answers = [client.get("/healthz").status_code, client.get("/readyz").status_code,
                   client.post("/v1/score", json={{"title": "Koch"}}).status_code,
                   client.get("/openapi.json").status_code, client.get("/").status_code]
        print(json.dumps(answers))
        main(["models", "list", "--models-dir", {str(tmp_path)!r}])
        """,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[0]) == [200, 503, 503, 200, 200]
