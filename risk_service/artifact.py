"""A fitted model as data: named numpy arrays plus one JSON document, never code.

:func:`encode` walks an object graph and splits it into ``arrays`` (every numpy array, stored by
the registry as ``.npz`` and read back with ``allow_pickle=False``) and a JSON ``document``
(everything else: numbers, strings, lists, dicts, and the allowed classes by name).
:func:`decode` rebuilds the graph. Objects are saved and restored through their own pickle
hooks (``__getstate__`` / ``__setstate__``), so caches they drop for pickling are dropped here
too and a new attribute needs no change in this module. Only the classes in
:func:`allowed_classes` can be named by a document: a file can never make the loader import a
module or call a function, which is what made the old joblib/pickle files code.

Every JSON object in a document is a tagged value with exactly one key:

``{"$dict": {...}}``           a dict with string keys (values encoded)
``{"$items": [[k, v], ...]}``  a dict with other keys
``{"$tuple": [...]}``          a tuple (JSON arrays are lists)
``{"$array": "name"}``         ``arrays[name]``
``{"$scalar": "name"}``        a numpy scalar, kept as the 0-d ``arrays[name]``
``{"$float": "nan"}``          a float JSON cannot hold (``nan``, ``inf``, ``-inf``)
``{"$object": {"class": "TaskModel", "state": {"$dict": ...}}}``
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from typing import Any

import numpy as np

FORMAT = "risk-service-model"
SCHEMA = 1


class ArtifactError(ValueError):
    """An object graph that cannot be stored, or a document that does not describe one."""


@functools.cache
def allowed_classes() -> dict[str, type]:
    """Class name → class, for every class a model artifact may contain.

    A new class in the fitted model (e.g. another feature view) is added here; saving an
    unlisted one fails with a message naming it.
    """
    from risk_service.features import FeatureSpace, Lexicon, TfidfView
    from risk_service.occupations import OccupationIndex
    from risk_service.taskmodel import TaskModel

    return {
        cls.__name__: cls for cls in (TaskModel, FeatureSpace, TfidfView, Lexicon, OccupationIndex)
    }


def encode(obj: object) -> tuple[dict[str, np.ndarray], dict]:
    """Split ``obj`` into named arrays and a JSON-serialisable document."""
    arrays: dict[str, np.ndarray] = {}
    root = _encode(obj, "root", arrays, allowed_classes())
    return arrays, {"format": FORMAT, "schema": SCHEMA, "root": root}


def _encode(value: Any, path: str, arrays: dict[str, np.ndarray], classes: dict[str, type]):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.ndarray | np.generic):
        if value.dtype.hasobject:
            raise ArtifactError(f"{path}: arrays of Python objects cannot be stored")
        name = f"{len(arrays)}:{path}"  # the counter keeps names unique whatever the keys hold
        arrays[name] = np.asarray(value)
        return {"$scalar" if isinstance(value, np.generic) else "$array": name}
    if isinstance(value, list):
        return [_encode(v, f"{path}.{i}", arrays, classes) for i, v in enumerate(value)]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(v, f"{path}.{i}", arrays, classes) for i, v in enumerate(value)]}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {
                "$dict": {k: _encode(v, f"{path}.{k}", arrays, classes) for k, v in value.items()}
            }
        return {
            "$items": [
                [
                    _encode(k, f"{path}.{i}k", arrays, classes),
                    _encode(v, f"{path}.{i}", arrays, classes),
                ]
                for i, (k, v) in enumerate(value.items())
            ]
        }
    name = type(value).__name__
    if classes.get(name) is not type(value):
        raise ArtifactError(
            f"{path}: {type(value).__module__}.{name} is not an allowed artifact class "
            "(add it to risk_service.artifact.allowed_classes, or drop it in __getstate__)"
        )
    state = value.__getstate__() or {}
    if not isinstance(state, dict):
        raise ArtifactError(f"{path}: {name}.__getstate__ must return a dict")
    return {"$object": {"class": name, "state": _encode(state, path, arrays, classes)}}


def decode(document: object, arrays: Mapping[str, np.ndarray]) -> object:
    """Rebuild what :func:`encode` split; raises :class:`ArtifactError` on anything else.

    Every array must be referenced exactly as stored: a document and an ``.npz`` that do not
    belong together are refused rather than half-used.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArtifactError(f"not a {FORMAT} document")
    if document.get("schema") != SCHEMA:
        raise ArtifactError(f"schema {document.get('schema')!r} is not {SCHEMA}; retrain")
    used: set[str] = set()
    obj = _decode(document.get("root"), arrays, used, allowed_classes())
    unused = set(arrays) - used
    if unused:
        raise ArtifactError(f"arrays not referenced by the document: {sorted(unused)[:5]}")
    return obj


# JSON values that decode to themselves: a list or dict of only these is returned as parsed.
_PLAIN = frozenset({str, int, float, bool, type(None)})


def _plain(values) -> bool:
    return _PLAIN.issuperset(map(type, values))


def _decode(
    value: Any, arrays: Mapping[str, np.ndarray], used: set[str], classes: dict[str, type[Any]]
) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list):
        if _plain(value):  # a list of strings or numbers (vocabulary terms, labels): as parsed
            return value
        return [_decode(v, arrays, used, classes) for v in value]
    if not isinstance(value, dict) or len(value) != 1:
        raise ArtifactError(f"unexpected value {str(value)[:60]!r}")
    ((tag, body),) = value.items()
    if tag in ("$array", "$scalar"):
        if not isinstance(body, str) or body not in arrays:
            raise ArtifactError(f"missing array {str(body)[:60]!r}")
        used.add(body)
        array = arrays[body]
        if tag == "$scalar":
            if array.ndim != 0:
                raise ArtifactError(f"{body}: a scalar must be a 0-d array")
            return array[()]
        return array
    if tag == "$float" and body in ("nan", "inf", "-inf"):
        return float(body)
    if tag == "$tuple" and isinstance(body, list):
        if _plain(body):  # e.g. an occupation's names: no element to decode (5,000 of them)
            return tuple(body)
        return tuple(_decode(v, arrays, used, classes) for v in body)
    if tag == "$dict" and isinstance(body, dict):
        if _plain(body.values()):  # e.g. a vocabulary, term → column: the parsed dict itself
            return body
        return {k: _decode(v, arrays, used, classes) for k, v in body.items()}
    if tag == "$items" and isinstance(body, list):
        items = {}
        for pair in body:
            if not isinstance(pair, list) or len(pair) != 2:
                raise ArtifactError("$items entries must be [key, value] pairs")
            key = _decode(pair[0], arrays, used, classes)
            try:
                items[key] = _decode(pair[1], arrays, used, classes)
            except TypeError:  # an unhashable key (a list)
                raise ArtifactError(f"unusable dict key {str(pair[0])[:60]!r}") from None
        return items
    if tag == "$object" and isinstance(body, dict) and set(body) == {"class", "state"}:
        cls = classes.get(body["class"]) if isinstance(body["class"], str) else None
        if cls is None:
            raise ArtifactError(f"class {str(body['class'])[:60]!r} is not allowed in an artifact")
        state = _decode(body["state"], arrays, used, classes)
        if not isinstance(state, dict):
            raise ArtifactError(f"{cls.__name__}: state must be a dict")
        obj = cls.__new__(cls)  # type: ignore[call-overload]  # any allowed class, unpickle-style
        setstate = getattr(obj, "__setstate__", None)
        if setstate is not None:
            setstate(state)
        else:
            obj.__dict__.update(state)
        return obj
    raise ArtifactError(f"unexpected value {str(value)[:60]!r}")
