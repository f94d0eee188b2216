"""Registry faults: every malformed version or pointer is refused the same clear way.

A table of broken manifests, artifacts and ``current`` pointers. For each one:

- ``Registry.load`` raises :class:`RegistryError` naming the problem;
- ``models promote`` (or ``models show`` for a pointer) exits 1 with a one-line ``Error: …``,
  never a traceback;
- a running app answers the reload with 409 problem+json and keeps serving its model:
  ``/readyz`` 200 (never 500), scoring 200;
- ``models list`` still lists every sound version and marks the broken one ``BROKEN``.

Then the cases an attacker would try: a version folder symlinked to outside the registry, a
pickle planted with a manifest that vouches for its bytes (it must never be unpickled), and an
artifact changed on disk under the name of the version being served.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from risk_service.cli import main as cli
from risk_service.registry import (
    ARTIFACTS,
    LEGACY_ARTIFACT,
    MANIFEST,
    Registry,
    RegistryError,
    artifact_digest,
    sha256_file,
)
from tests.conftest import ADMIN_TOKEN, make_app

AUTH = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
ROLE = {"tasks": ["Answer customer calls"], "language": "en"}


@pytest.fixture(scope="module")
def served(registry_dir, tmp_path_factory):
    """A registry with one sound version, and an app serving it (polling on every request)."""
    root = tmp_path_factory.mktemp("fault_registry")
    good = Registry(registry_dir).current_version()
    shutil.copytree(registry_dir / good, root / good)
    Registry(root).promote(good)
    database = tmp_path_factory.mktemp("fault_audit") / "risk.db"
    app = make_app(root, f"sqlite:///{database}", MODEL_POLL_SECONDS=0.0)
    return root, good, app.test_client()


def copy_version(root: Path, good: str, name: str) -> Path:
    """A sound copy of ``good`` registered as ``name``."""
    folder = root / name
    shutil.copytree(root / good, folder)
    edit_manifest(folder, lambda m: m.update(version=name))
    return folder


def edit_manifest(folder: Path, change: Callable[[dict], object]) -> None:
    manifest = json.loads((folder / MANIFEST).read_text())
    change(manifest)
    (folder / MANIFEST).write_text(json.dumps(manifest))


def vouch(folder: Path) -> None:
    """Make the manifest match the artifact files as they now are (as a forger would)."""
    files = {name: sha256_file(folder / name) for name in ARTIFACTS}
    edit_manifest(folder, lambda m: m.update(files=files, sha256=artifact_digest(files)))


def write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())

    return apply


def drop(key: str) -> Callable[[Path], None]:
    return lambda folder: edit_manifest(folder, lambda m: m.pop(key))


def field(key: str, value: object) -> Callable[[Path], None]:
    return lambda folder: edit_manifest(folder, lambda m: m.update({key: value}))


def truncated(folder: Path) -> None:
    text = (folder / MANIFEST).read_text()
    (folder / MANIFEST).write_text(text[: len(text) // 2])


def artifact_missing(folder: Path) -> None:
    (folder / "model.json").unlink()


def artifact_is_a_folder(folder: Path) -> None:
    (folder / "model.json").unlink()
    (folder / "model.json").mkdir()


def artifact_symlinked(folder: Path) -> None:
    target = folder.parent / "elsewhere.json"
    shutil.copy(folder / "model.json", target)
    (folder / "model.json").unlink()
    (folder / "model.json").symlink_to(target)


def manifest_symlinked(folder: Path) -> None:
    target = folder.parent / "elsewhere-manifest.json"
    shutil.copy(folder / MANIFEST, target)
    (folder / MANIFEST).unlink()
    (folder / MANIFEST).symlink_to(target)


def document_not_a_model(folder: Path) -> None:
    (folder / "model.json").write_text('{"format": "risk-service-model", "schema": 1, "root": 3}')
    vouch(folder)


def document_names_a_foreign_class(folder: Path) -> None:
    doc = {"$object": {"class": "Popen", "state": {"$dict": {"args": "touch /tmp/x"}}}}
    text = json.dumps({"format": "risk-service-model", "schema": 1, "root": doc})
    (folder / "model.json").write_text(text)
    vouch(folder)


@dataclass(frozen=True)
class Fault:
    id: str
    apply: Callable[[Path], None]
    message: str  # a regex the RegistryError must match


VERSION_FAULTS = [
    Fault("manifest-empty-object", write(MANIFEST, "{}"), "has no 'version'"),
    Fault("manifest-array", write(MANIFEST, "[]"), "not a JSON object"),
    Fault("manifest-null", write(MANIFEST, "null"), "not a JSON object"),
    Fault("manifest-empty-file", write(MANIFEST, ""), "not valid JSON"),
    Fault("manifest-truncated", truncated, "not valid JSON"),
    Fault("manifest-not-utf8", write(MANIFEST, b"\xff\xfe{"), "not UTF-8"),
    Fault("manifest-deeply-nested", write(MANIFEST, "[" * 100_000), "not valid JSON"),
    Fault("manifest-symlinked", manifest_symlinked, "symlink"),
    Fault("no-sha256", drop("sha256"), "has no 'sha256'"),
    Fault("no-created", drop("created"), "has no 'created'"),
    Fault("no-metrics", drop("metrics"), "has no 'metrics'"),
    Fault("sha256-a-number", field("sha256", 12), "'sha256' is not a str"),
    Fault("sha256-not-hex", field("sha256", "x" * 64), "64 lower-case hex"),
    Fault("created-not-a-time", field("created", "yesterday"), "not an ISO 8601 time"),
    Fault("metrics-a-list", field("metrics", []), "'metrics' is not a dict"),
    Fault("other-version-name", field("version", "20000101-000000-aaaaaaaa"), "not its folder"),
    Fault("unknown-format", field("format", "npz+json/99"), "unknown artifact format"),
    Fault("files-missing", drop("files"), "'files' must list"),
    Fault("files-incomplete", field("files", {"model.npz": "0" * 64}), "'files' must list"),
    Fault("sha256-disagrees-with-files", field("sha256", "0" * 64), "does not match its 'files'"),
    Fault("artifact-missing", artifact_missing, "model.json is missing"),
    Fault("artifact-a-folder", artifact_is_a_folder, "cannot be read|not a regular file"),
    Fault("artifact-symlinked", artifact_symlinked, "model.json is a symlink"),
    Fault("artifact-modified", write("model.json", "{}"), "does not match the manifest"),
    Fault("document-not-a-model", document_not_a_model, "not a model this code can read"),
    Fault("document-foreign-class", document_names_a_foreign_class, "'Popen' is not allowed"),
]


def assert_one_line_error(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output
    assert re.search(message, lines[0]), lines[0]


def assert_still_serving(client, good: str, root: Path, pointer: bytes) -> None:
    """Point ``current`` at the fault: reload 409, everything else keeps working."""
    (root / "current").write_bytes(pointer)
    try:
        response = client.post("/v1/model/reload", headers=AUTH)
        assert response.status_code == 409, response.get_data(as_text=True)
        assert response.mimetype == "application/problem+json"
        assert good in response.get_json()["detail"]  # "still serving <good>"
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.get_json()["model_version"] == good
        scored = client.post("/v1/score", json=ROLE)
        assert scored.status_code == 200 and scored.get_json()["model_version"] == good
        assert client.get("/v1/model").get_json()["version"] == good
    finally:
        (root / "current").write_text(good + "\n")


@pytest.mark.parametrize("fault", VERSION_FAULTS, ids=lambda f: f.id)
def test_a_broken_version_is_refused_everywhere_and_listed_as_broken(served, fault):
    root, good, client = served
    name = f"20300101-000000-{fault.id}"
    folder = copy_version(root, good, name)
    fault.apply(folder)
    try:
        with pytest.raises(RegistryError, match=fault.message):
            Registry(root).load(name)
        models = ["--models-dir", str(root)]
        assert_one_line_error(["models", "promote", name, "--force", *models], fault.message)
        assert Registry(root).current_version() == good  # the pointer did not move
        assert_still_serving(client, good, root, f"{name}\n".encode())

        listing = CliRunner().invoke(cli, ["models", "list", *models])
        assert listing.exit_code == 0, listing.output
        lines = {line[2:].split()[0]: line for line in listing.output.splitlines()}
        assert lines[good].startswith("*") and "BROKEN" not in lines[good]
        assert "BROKEN" in lines[name], listing.output
    finally:
        shutil.rmtree(folder, ignore_errors=True)


POINTER_FAULTS = [
    ("missing-version", b"20990101-000000-deadbeef\n", "unknown model version"),
    ("path-escape", b"../outside\n", "invalid model version"),
    ("absolute-path", b"/etc\n", "invalid model version"),
    ("two-names", b"a b\n", "invalid model version"),
    ("not-utf8", b"\xff\xfe\n", "not UTF-8"),
    ("names-a-file", b"history\n", "not a folder"),
]


@pytest.mark.parametrize(
    ("pointer", "message"), [f[1:] for f in POINTER_FAULTS], ids=[f[0] for f in POINTER_FAULTS]
)
def test_a_broken_current_pointer_is_refused_and_the_model_keeps_serving(served, pointer, message):
    root, good, client = served
    assert_still_serving(client, good, root, pointer)
    (root / "current").write_bytes(pointer)
    try:
        with pytest.raises(RegistryError, match=message):
            Registry(root).load()
        assert_one_line_error(["models", "show", "--models-dir", str(root)], message)
        listing = CliRunner().invoke(cli, ["models", "list", "--models-dir", str(root)])
        assert listing.exit_code == 0 and good in listing.output  # a warning, then the list
    finally:
        (root / "current").write_text(good + "\n")


def test_a_version_folder_symlinked_from_outside_is_refused(served, tmp_path):
    root, good, client = served
    outside = tmp_path / "outside-version"
    shutil.copytree(root / good, outside)
    name = "20300101-000000-symlinked"
    edit_manifest(outside, lambda m: m.update(version=name))
    (root / name).symlink_to(outside, target_is_directory=True)
    try:
        with pytest.raises(RegistryError, match="symlink"):
            Registry(root).load(name)
        models = ["--models-dir", str(root)]
        assert_one_line_error(["models", "promote", name, "--force", *models], "symlink")
        assert_still_serving(client, good, root, f"{name}\n".encode())
        listing = CliRunner().invoke(cli, ["models", "list", *models]).output
        assert f"{name}  BROKEN" in listing and "symlink" in listing
    finally:
        (root / name).unlink()


class _Payload:
    """Unpickling this creates ``path``: proof that a pickle ran."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)

    def __reduce__(self):
        return (open, (self.path, "w"))


def plant_pickle_as_npz(folder: Path, marker: Path) -> None:
    (folder / "model.npz").write_bytes(pickle.dumps(_Payload(marker)))
    vouch(folder)


def plant_pickle_inside_npz(folder: Path, marker: Path) -> None:
    cargo = np.empty(1, dtype=object)
    cargo[0] = _Payload(marker)
    with open(folder / "model.npz", "wb") as fh:
        np.savez(fh, cargo=cargo)  # an object array: pickled inside the .npy member
    vouch(folder)


def plant_legacy_joblib(folder: Path, marker: Path) -> None:
    for name in ARTIFACTS:
        (folder / name).unlink()
    (folder / LEGACY_ARTIFACT).write_bytes(pickle.dumps(_Payload(marker)))

    def old_manifest(m: dict) -> None:
        del m["format"], m["files"]
        m["sha256"] = sha256_file(folder / LEGACY_ARTIFACT)

    edit_manifest(folder, old_manifest)


@pytest.mark.parametrize(
    ("plant", "message"),
    [
        (plant_pickle_as_npz, "model.npz is not an npz archive"),
        (plant_pickle_inside_npz, "not a plain array .it would need unpickling"),
        (plant_legacy_joblib, "old pickle format.*retrain"),
    ],
    ids=["pickle-as-npz", "pickle-inside-npz", "legacy-joblib"],
)
def test_a_planted_pickle_is_never_unpickled(served, tmp_path, plant, message):
    root, good, client = served
    marker = tmp_path / "the-pickle-ran"
    name = f"20300101-000000-{plant.__name__.replace('_', '-')}"
    folder = copy_version(root, good, name)
    plant(folder, marker)
    try:
        with pytest.raises(RegistryError, match=message):
            Registry(root).load(name)
        models = ["--models-dir", str(root)]
        assert_one_line_error(["models", "promote", name, "--force", *models], message)
        assert_still_serving(client, good, root, f"{name}\n".encode())
        assert "BROKEN" in CliRunner().invoke(cli, ["models", "list", *models]).output
        assert not marker.exists(), "the planted pickle was executed"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_reload_re_verifies_the_serving_version_on_disk(served):
    root, good, client = served
    name = "20300101-000000-served"
    folder = copy_version(root, good, name)
    try:
        Registry(root).promote(name, force=True)
        assert client.post("/v1/model/reload", headers=AUTH).get_json()["version"] == name
        assert client.post("/v1/model/reload", headers=AUTH).status_code == 200  # unchanged

        # One byte of the served artifact changes on disk; the version name stays the same.
        original = (folder / "model.json").read_bytes()
        (folder / "model.json").write_bytes(original + b" ")
        response = client.post("/v1/model/reload", headers=AUTH)
        assert response.status_code == 409
        assert "does not match the manifest" in response.get_json()["detail"]
        ready = client.get("/readyz").get_json()
        assert ready["model_version"] == name and "reload refused" in ready["detail"]
        assert client.post("/v1/score", json=ROLE).get_json()["model_version"] == name

        # A forger rewrites the manifest to match: still not the model that was verified.
        vouch(folder)
        edit_manifest(folder, lambda m: m.update(created="2031-01-01T00:00:00+00:00"))
        response = client.post("/v1/model/reload", headers=AUTH)
        assert response.status_code == 409
        assert "changed on disk since it was loaded" in response.get_json()["detail"]

        (folder / "model.json").write_bytes(original)  # restored: accepted again
        vouch(folder)
        assert client.post("/v1/model/reload", headers=AUTH).status_code == 200
        assert "detail" not in client.get("/readyz").get_json()
    finally:
        (root / "current").write_text(good + "\n")
        assert client.post("/v1/model/reload", headers=AUTH).status_code == 200
        shutil.rmtree(folder, ignore_errors=True)
