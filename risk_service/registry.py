"""The model registry: the only module that reads or writes model files.

Layout under the registry root (``models/`` by default)::

    <version>/model.npz        the model's numpy arrays (no pickled objects)
    <version>/model.json       everything else about the model (risk_service.artifact)
    <version>/manifest.json    version, created, format, sha256 of each artifact file, metrics, …
    <version>/...              evaluation report, plots, model card (written by training)
    current                    the serving version's name
    history                    promoted versions, oldest first (for rollback)

Artifacts are data, not code: a load reads each artifact file into memory, checks its sha256
against the manifest, and only then parses those same bytes (``allow_pickle=False``, JSON), so
a tampered, truncated or swapped file is refused before anything interprets it. Version folders
must be real directories directly inside the root (no symlinks). Every malformed manifest,
pointer or artifact is a :class:`RegistryError` saying what is wrong.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import orjson

from risk_service.artifact import ArtifactError
from risk_service.taskmodel import TaskModel

ARRAYS = "model.npz"
DOCUMENT = "model.json"
ARTIFACTS = (ARRAYS, DOCUMENT)
ARTIFACT = ARRAYS  # the file a tamper test flips a byte in
LEGACY_ARTIFACT = "model.joblib"  # pickles written before the npz+json format: never loaded
MANIFEST = "manifest.json"
FORMAT = "npz+json/1"
PRIMARY_METRIC = "rule_auc_min"  # the worse language's grouped-CV ROC AUC: higher is better

_VERSION_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MAX_MANIFEST_BYTES = 1 << 20
_MAX_POINTER_BYTES = 1 << 16


class RegistryError(RuntimeError):
    """A registry operation that cannot be done; the message says why."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def artifact_digest(files: Mapping[str, str]) -> str:
    """One sha256 for a version's artifact files (their names and sha256s, sorted)."""
    lines = "".join(f"{name} {sha}\n" for name, sha in sorted(files.items()))
    return hashlib.sha256(lines.encode()).hexdigest()


def _library_versions() -> dict[str, str]:
    from importlib.metadata import version

    import pandas
    import scipy
    import sklearn

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pandas.__version__,
        "PyStemmer": version("PyStemmer"),  # decides the word view's stems when serving
    }


def _fsync_write(path: Path, data: bytes) -> None:
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _read_regular(path: Path, what: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file, not following a symlink; RegistryError otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise RegistryError(f"{what}: {path.name} is missing") from None
    except OSError as exc:  # ELOOP: a symlink; EACCES, EISDIR, …
        reason = "is a symlink" if os.path.islink(path) else f"cannot be read ({exc.strerror})"
        raise RegistryError(f"{what}: {path.name} {reason}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):  # before fdopen, which refuses a folder
        os.close(fd)
        raise RegistryError(f"{what}: {path.name} is not a regular file")
    with os.fdopen(fd, "rb") as fh:
        data = fh.read() if limit is None else fh.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise RegistryError(f"{what}: {path.name} is larger than {limit} bytes")
    return data


# A member deflate cannot shrink by a quarter is stored as is: the coefficients and the title
# index's values (16 of the 29 MB) shrink by 13-21 % only but made most of the load time
# (inflating 0.34 of 0.7 s at load 8); stored, the load takes 0.3 s and the file is 3 MB larger.
_DEFLATE_WORTH = 0.75


def _npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """An ``.npz`` archive of ``arrays`` (what ``np.load`` reads), each member deflated only
    where that makes it at least a quarter smaller. Same bytes for the same arrays."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asanyarray(array), allow_pickle=False)
            data = member.getvalue()
            worth = len(zlib.compress(data, 1)) < _DEFLATE_WORTH * len(data)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if worth else zipfile.ZIP_STORED
            archive.writestr(info, data)
    return buffer.getvalue()


def _array(npz, name: str, version: str) -> np.ndarray:
    try:
        return npz[name]
    except ValueError as exc:  # numpy refuses object arrays: they would need unpickling
        raise RegistryError(
            f"model {version}: {ARRAYS} member {name[:60]!r} is not a plain array (it would "
            f"need unpickling: {exc})"
        ) from None


def _check_name(version: object, what: str = "model version") -> str:
    if not isinstance(version, str) or not _VERSION_NAME.fullmatch(version):
        raise RegistryError(f"invalid {what} {str(version)[:80]!r}")
    return version


def _check_manifest(version: str, manifest: object) -> dict:
    """The fields every reader relies on, with their types; the error names the first bad one."""

    def bad(problem: str) -> RegistryError:
        return RegistryError(f"model {version}: {MANIFEST} {problem}")

    if not isinstance(manifest, dict):
        raise bad(f"is not a JSON object but {type(manifest).__name__}")
    for key, kind in (("version", str), ("created", str), ("sha256", str), ("metrics", dict)):
        if key not in manifest:
            raise bad(f"has no {key!r}")
        if not isinstance(manifest[key], kind):
            raise bad(f"{key!r} is not a {kind.__name__}")
    if manifest["version"] != version:
        raise bad(f"names version {manifest['version'][:80]!r}, not its folder {version!r}")
    try:
        dt.datetime.fromisoformat(manifest["created"])
    except ValueError:
        raise bad(f"'created' is not an ISO 8601 time: {manifest['created'][:40]!r}") from None
    if not _SHA256.fullmatch(manifest["sha256"]):
        raise bad("'sha256' is not 64 lower-case hex digits")
    if not isinstance(manifest.get("data_hash", ""), str):
        raise bad("'data_hash' is not a str")
    return manifest


class Registry:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # -- reading -------------------------------------------------------------------------
    def versions(self, *, verify: bool = True) -> list[dict]:
        """Manifests of all versions, oldest first; a broken one has ``broken`` (the reason).

        With ``verify`` every version is loaded as serving would load it (hashes, parsing, a
        test prediction; about 0.2 s each), so ``broken`` is exactly what a load refuses.
        """
        if not self.root.is_dir():
            return []
        entries = []
        for child in sorted(self.root.iterdir()):
            if child.name.startswith(".") or child.name in ("current", "history"):
                continue  # staging folders, pointers
            if not child.is_symlink() and not child.is_dir():
                continue  # a README or other plain file
            try:
                manifest = self.load(child.name).meta if verify else self.manifest(child.name)
                entries.append({**manifest, "broken": None})
            except RegistryError as exc:
                entries.append({"version": child.name, "broken": str(exc)})
        return sorted(entries, key=lambda m: (str(m.get("created", "")), m["version"]))

    def manifest(self, version: str) -> dict:
        """The checked manifest of ``version`` (RegistryError when missing or malformed)."""
        what = f"model {version}"
        raw = _read_regular(self._dir(version) / MANIFEST, what, _MAX_MANIFEST_BYTES)
        try:
            data = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise RegistryError(f"{what}: {MANIFEST} is not UTF-8 text") from None
        except (ValueError, RecursionError) as exc:
            raise RegistryError(f"{what}: {MANIFEST} is not valid JSON ({exc})") from None
        return _check_manifest(version, data)

    def current_version(self) -> str | None:
        """The version ``current`` names, None when there is none; RegistryError if unreadable."""
        pointer = self.root / "current"
        if not os.path.lexists(pointer):
            return None
        raw = _read_regular(pointer, "registry pointer", _MAX_POINTER_BYTES)
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            raise RegistryError("registry pointer: current is not UTF-8 text") from None
        return _check_name(text, "model version in current") if text else None

    def pointer_stamp(self) -> float:
        """Modification time of the ``current`` pointer (0 when absent); cheap to poll."""
        try:
            return (self.root / "current").stat().st_mtime
        except OSError:
            return 0.0

    def verify(self, version: str) -> dict:
        """Check ``version``'s manifest and the sha256 of every artifact file; its manifest."""
        return self._verified(version)[0]

    def _verified(self, version: str) -> tuple[dict, dict[str, bytes]]:
        """The manifest and the artifact bytes, each file hashed as read (parse these bytes,
        never the file again: it may have changed since)."""
        manifest = self.manifest(version)
        folder, what = self._dir(version), f"model {version}"
        if manifest.get("format") != FORMAT:
            if "format" not in manifest or os.path.lexists(folder / LEGACY_ARTIFACT):
                raise RegistryError(
                    f"{what} is in the old pickle format ({LEGACY_ARTIFACT}), which is no longer "
                    "loaded because a pickle can run code; retrain it with `risk-service train`"
                )
            raise RegistryError(f"{what}: unknown artifact format {str(manifest['format'])[:40]!r}")
        files = manifest.get("files")
        if not isinstance(files, dict) or set(files) != set(ARTIFACTS):
            raise RegistryError(f"{what}: {MANIFEST} 'files' must list exactly {list(ARTIFACTS)}")
        if not all(isinstance(sha, str) and _SHA256.fullmatch(sha) for sha in files.values()):
            raise RegistryError(f"{what}: {MANIFEST} 'files' has a malformed sha256")
        if artifact_digest(files) != manifest["sha256"]:
            raise RegistryError(f"{what}: {MANIFEST} 'sha256' does not match its 'files'")
        blobs = {}
        for name in ARTIFACTS:
            data = _read_regular(folder / name, what)
            actual = hashlib.sha256(data).hexdigest()
            if actual != files[name]:
                raise RegistryError(
                    f"{what}: {name} sha256 {actual[:12]}… does not match the manifest "
                    f"({files[name][:12]}…); refusing to load a modified file"
                )
            blobs[name] = data
        return manifest, blobs

    def load(self, version: str | None = None) -> TaskModel:
        """Load ``version`` (default: current) after verifying it."""
        version = version or self.current_version()
        if version is None:
            raise RegistryError(f"no current model in {self.root}; run `risk-service train`")
        manifest, blobs = self._verified(version)
        if not blobs[ARRAYS].startswith(b"PK\x03\x04"):  # a pickle, a bare .npy, anything else
            raise RegistryError(f"model {version}: {ARRAYS} is not an npz archive; retrain it")
        try:
            document = orjson.loads(blobs[DOCUMENT])  # UTF-8 checked; 2x json's speed on 5 MB
            with np.load(io.BytesIO(blobs[ARRAYS]), allow_pickle=False) as npz:
                arrays = {name: _array(npz, name, version) for name in npz.files}
            model = TaskModel.from_arrays(arrays, document)
        except RegistryError:
            raise
        except (ArtifactError, ValueError, RecursionError, zipfile.BadZipFile, OSError) as exc:
            # ValueError covers bad JSON, non-UTF-8 text and pickled (object) arrays.
            raise RegistryError(
                f"model {version}: the artifact is not a model this code can read ({exc}); "
                "retrain it"
            ) from None
        except Exception as exc:  # noqa: BLE001 - a state the classes reject: do not serve it
            raise RegistryError(
                f"model {version}: the artifact does not fit this code version "
                f"({type(exc).__name__}: {exc}); retrain it"
            ) from None
        try:  # a model saved by another code version may load but fail to predict
            model.predict(["Enter invoices into the accounting system"])
            for match in model.occupations.search("Buchhalter/in", k=1):
                model.occupations.title(match.occupation_id, "en")
        except Exception as exc:  # noqa: BLE001 - any failure means: do not serve this model
            raise RegistryError(
                f"model {version} does not work with this code version ({exc}); retrain it"
            ) from None
        model.meta = manifest
        return model

    # -- writing -------------------------------------------------------------------------
    def save(
        self, model: TaskModel, *, metrics: dict, data_hash: str, extra: dict | None = None
    ) -> str:
        """Store ``model`` as a new version (not yet promoted) and return its name."""
        self.root.mkdir(parents=True, exist_ok=True)
        created = dt.datetime.now(dt.UTC)
        arrays, document = model.to_arrays()
        staging = Path(tempfile.mkdtemp(dir=self.root, prefix=".staging-"))
        try:
            _fsync_write(staging / ARRAYS, _npz_bytes(arrays))
            text = json.dumps(document, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
            _fsync_write(staging / DOCUMENT, text.encode("ascii"))
            files = {name: sha256_file(staging / name) for name in ARTIFACTS}
            sha = artifact_digest(files)
            version = f"{created:%Y%m%d-%H%M%S}-{sha[:8]}"
            target, n = self.root / version, 1
            while os.path.lexists(target):  # same bytes saved twice within a second
                n += 1
                target = self.root / f"{version}-{n}"
            manifest = {
                "version": target.name,
                "created": created.isoformat(timespec="seconds"),
                "format": FORMAT,
                "sha256": sha,
                "files": files,
                "artifact_bytes": sum((staging / name).stat().st_size for name in ARTIFACTS),
                "data_hash": data_hash,
                "libraries": _library_versions(),
                "metrics": metrics,
                **(extra or {}),
            }
            text = json.dumps(manifest, indent=2, ensure_ascii=False)
            _fsync_write(staging / MANIFEST, text.encode("utf-8"))
            staging.chmod(0o755)  # mkdtemp makes it 0700; analysts read the reports inside
            os.replace(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        return target.name

    def promote(self, version: str, *, force: bool = False) -> str:
        """Make ``version`` current after loading it. Refuses a challenger worse on
        :data:`PRIMARY_METRIC` unless ``force``; a broken current version is simply replaced."""
        new = self.load(version).meta["metrics"].get(PRIMARY_METRIC)
        try:
            current = self.current_version()
            old = self.manifest(current)["metrics"].get(PRIMARY_METRIC) if current else None
        except RegistryError:
            current = old = None  # nothing sound to compare with
        if current and current != version and not force:
            comparable = all(isinstance(v, int | float) for v in (new, old))
            if comparable and new < old:
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
        """Return to the previously promoted version (after loading it)."""
        history = self._history()
        if len(history) < 2:
            raise RegistryError("nothing to roll back to: fewer than two promoted versions")
        history.pop()
        previous = history[-1]
        self.load(previous)
        _write_atomic(self.root / "history", "\n".join(history) + "\n")
        _write_atomic(self.root / "current", previous + "\n")
        return previous

    def write_files(self, version: str, files: Mapping[str, bytes]) -> list[Path]:
        """Write report files (metrics, report, plots, model card) into a version's folder.

        These files describe the artifact but are not part of it: the sha256s cover only the
        artifact files, so rewriting a report never invalidates a model.

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
        self.manifest(version)  # a registered, sound version
        folder = self._dir(version)
        written = []
        for name, content in files.items():
            reserved = name in (*ARTIFACTS, LEGACY_ARTIFACT, MANIFEST) or name.startswith(".")
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
        if not os.path.lexists(path):
            return []
        raw = _read_regular(path, "registry history", _MAX_POINTER_BYTES * 16)
        try:
            return [_check_name(v, "model version in history") for v in raw.decode().split()]
        except UnicodeDecodeError:
            raise RegistryError("registry history is not UTF-8 text") from None

    def _dir(self, version: str) -> Path:
        """The folder of ``version``: a real directory directly inside the root."""
        _check_name(version)
        path = self.root / version
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            raise RegistryError(f"unknown model version {version!r}") from None
        except OSError as exc:
            raise RegistryError(
                f"model {version}: cannot read its folder ({exc.strerror})"
            ) from None
        if stat.S_ISLNK(mode):
            raise RegistryError(
                f"model {version}: its folder is a symlink; versions must be real folders "
                f"inside {self.root}"
            )
        if not stat.S_ISDIR(mode) or path.resolve().parent != self.root.resolve():
            raise RegistryError(f"model {version}: not a folder inside {self.root}")
        return path
