"""The model registry: the only module that reads or writes model files.

Layout under the registry root (``models/`` by default)::

    <version>/model.joblib     the TaskModel
    <version>/manifest.json    version, created, libraries, data hash, sha256, metrics
    <version>/...              evaluation report, plots, model card (written by training)
    current                    the serving version's name
    history                    promoted versions, oldest first (for rollback)

Every load recomputes the artifact's sha256 and compares it with the manifest before joblib
unpickles anything, so a tampered or truncated file is refused instead of executed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import pickle
import platform
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import joblib

from risk_service.taskmodel import TaskModel

ARTIFACT = "model.joblib"
MANIFEST = "manifest.json"
PRIMARY_METRIC = "rule_auc_min"  # the worse language's grouped-CV ROC AUC: higher is better


class RegistryError(RuntimeError):
    """A registry operation that cannot be done; the message says why."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _library_versions() -> dict[str, str]:
    from importlib.metadata import version

    import numpy
    import pandas
    import scipy
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "joblib": joblib.__version__,
        "PyStemmer": version("PyStemmer"),  # decides the word view's stems when serving
    }


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class Registry:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------
    def versions(self) -> list[dict]:
        """Manifests of all versions, oldest first."""
        if not self.root.is_dir():
            return []
        manifests = []
        for child in self.root.iterdir():
            if (child / MANIFEST).is_file():
                manifests.append(json.loads((child / MANIFEST).read_text()))
        return sorted(manifests, key=lambda m: (m["created"], m["version"]))

    def manifest(self, version: str) -> dict:
        path = self._dir(version) / MANIFEST
        if not path.is_file():
            raise RegistryError(f"unknown model version {version!r}")
        return json.loads(path.read_text())

    def current_version(self) -> str | None:
        pointer = self.root / "current"
        return pointer.read_text().strip() or None if pointer.is_file() else None

    def pointer_stamp(self) -> float:
        """Modification time of the ``current`` pointer (0 when absent); cheap to poll."""
        try:
            return (self.root / "current").stat().st_mtime
        except FileNotFoundError:
            return 0.0

    def verify(self, version: str) -> Path:
        """Return the artifact path after checking its sha256 against the manifest."""
        manifest = self.manifest(version)
        artifact = self._dir(version) / ARTIFACT
        if not artifact.is_file():
            raise RegistryError(f"model {version}: artifact {artifact} is missing")
        actual = sha256_file(artifact)
        if actual != manifest["sha256"]:
            raise RegistryError(
                f"model {version}: artifact sha256 {actual[:12]}… does not match the manifest "
                f"({manifest['sha256'][:12]}…); refusing to load a modified file"
            )
        return artifact

    def load(self, version: str | None = None) -> TaskModel:
        """Load ``version`` (default: current) after verifying it."""
        version = version or self.current_version()
        if version is None:
            raise RegistryError(f"no current model in {self.root}; run `risk-service train`")
        artifact = self.verify(version)
        try:
            model = joblib.load(artifact)
        except (AttributeError, ImportError, TypeError, pickle.UnpicklingError) as exc:
            # Pickled by an older code version whose classes no longer exist.
            raise RegistryError(
                f"model {version} was saved by an incompatible code version ({exc}); retrain it"
            ) from None
        if not isinstance(model, TaskModel):
            raise RegistryError(f"model {version}: artifact is not a TaskModel")
        try:  # an artifact pickled by an older code version may load but fail to predict
            model.predict(["Enter invoices into the accounting system"])
            for match in model.occupations.search("Buchhalter/in", k=1):
                model.occupations.title(match.occupation_id, "en")
        except Exception as exc:  # noqa: BLE001 - any failure means: do not serve this model
            raise RegistryError(
                f"model {version} does not work with this code version ({exc}); retrain it"
            ) from None
        model.meta = self.manifest(version)
        return model

    # -- writing -------------------------------------------------------------------------
    def save(
        self, model: TaskModel, *, metrics: dict, data_hash: str, extra: dict | None = None
    ) -> str:
        """Store ``model`` as a new version (not yet promoted) and return its name."""
        self.root.mkdir(parents=True, exist_ok=True)
        created = dt.datetime.now(dt.UTC)
        staging = Path(tempfile.mkdtemp(dir=self.root, prefix=".staging-"))
        try:
            model.meta = {}
            joblib.dump(model, staging / ARTIFACT, compress=3)
            sha = sha256_file(staging / ARTIFACT)
            version = f"{created:%Y%m%d-%H%M%S}-{sha[:8]}"
            manifest = {
                "version": version,
                "created": created.isoformat(timespec="seconds"),
                "sha256": sha,
                "artifact_bytes": (staging / ARTIFACT).stat().st_size,
                "data_hash": data_hash,
                "libraries": _library_versions(),
                "metrics": metrics,
                **(extra or {}),
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            target, n = self._dir(version), 1
            while target.exists():  # same bytes saved twice within a second
                n += 1
                target = self._dir(f"{version}-{n}")
            version = target.name
            manifest["version"] = version
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
            staging.chmod(0o755)  # mkdtemp makes it 0700; analysts read the reports inside
            os.replace(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        return version

    def promote(self, version: str, *, force: bool = False) -> str:
        """Make ``version`` current. Refuses a challenger worse on :data:`PRIMARY_METRIC`."""
        self.verify(version)
        current = self.current_version()
        if current and current != version and not force:
            new = self.manifest(version)["metrics"].get(PRIMARY_METRIC)
            old = self.manifest(current)["metrics"].get(PRIMARY_METRIC)
            if new is not None and old is not None and new < old:
                raise RegistryError(
                    f"{version} is worse than current {current} on {PRIMARY_METRIC} "
                    f"({new:.4f} < {old:.4f}); use --force to promote anyway"
                )
        history = self._history()
        if not history or history[-1] != version:
            history.append(version)
        _write_atomic(self.root / "history", "\n".join(history) + "\n")
        _write_atomic(self.root / "current", version + "\n")
        return version

    def rollback(self) -> str:
        """Return to the previously promoted version."""
        history = self._history()
        if len(history) < 2:
            raise RegistryError("nothing to roll back to: fewer than two promoted versions")
        history.pop()
        previous = history[-1]
        self.verify(previous)
        _write_atomic(self.root / "history", "\n".join(history) + "\n")
        _write_atomic(self.root / "current", previous + "\n")
        return previous

    def write_files(self, version: str, files: Mapping[str, bytes]) -> list[Path]:
        """Write report files (metrics, report, plots, model card) into a version's folder.

        These files describe the artifact but are not part of it: the sha256 covers only
        ``model.joblib``, so rewriting a report never invalidates a model.

        Parameters
        ----------
        version : str
            A registered version.
        files : mapping of str to bytes
            Plain file names (no folders) and their contents.

        Returns
        -------
        list of Path
            The written files, in the order given.
        """
        folder = self._dir(version)
        if not (folder / MANIFEST).is_file():
            raise RegistryError(f"unknown model version {version!r}")
        written = []
        for name, content in files.items():
            reserved = name in (ARTIFACT, MANIFEST) or name.startswith(".")
            if not name or reserved or name != Path(name).name:
                raise RegistryError(f"refusing to write {name!r} into model {version}")
            path = folder / name
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
            with os.fdopen(fd, "wb") as fh:
                fh.write(content)
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; reports are meant to be read
            os.replace(tmp, path)  # readers never see a half-written report
            written.append(path)
        return written

    def _history(self) -> list[str]:
        path = self.root / "history"
        return path.read_text().split() if path.is_file() else []

    def _dir(self, version: str) -> Path:
        if not version or "/" in version or version.startswith("."):
            raise RegistryError(f"invalid model version {version!r}")
        return self.root / version
