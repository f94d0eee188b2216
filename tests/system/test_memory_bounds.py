"""Every cache on the request path is bounded in bytes, and a worker's memory stays flat.

- :class:`risk_service.cache.BoundedCache` holds at most its bytes and entries, keeps what is
  used, is safe under threads, and starts empty when its owner is copied or stored;
- no ``functools.lru_cache`` is left on the request path, and every cache there draws its
  bound from ``config.CACHE_SHARES``;
- repeated text is still answered from the caches;
- a short soak (in process): ~1 MB batches of distinct 950-letter words and of all-new task
  statements, the worry of issue 16 (a worker grew by ~275 MB per batch). The caches stay
  within their bounds and the process's RSS is flat once they are full.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import pickle
import random
import string
import subprocess
import sys
import threading
from pathlib import Path

import psutil
import pytest

from risk_service import (
    cache,
    config,
    create_app,
    features,
    jobad,
    occupations,
    schemas,
    scoring,
    taskmodel,
    text,
    upskilling,
)
from risk_service.cache import BoundedCache, byte_cached
from risk_service.schemas import Role
from risk_service.taskmodel import TaskModel

ROOT = Path(__file__).resolve().parents[2]


def test_cache_never_holds_more_than_its_bytes_and_keeps_what_is_used():
    store = BoundedCache(200_000, name="t")
    rng = random.Random(0)
    store.put("hot", "x" * 500)
    for i in range(20_000):
        store.put(f"key {i}", "v" * rng.randint(0, 3_000))
        assert store.nbytes <= store.max_bytes
        if i % 50 == 0:
            assert store.get("hot") == "x" * 500  # used all along: never dropped
    assert len(store) < 20_000
    assert store.get("key 0") is None  # long unused: dropped
    assert store.put("huge", "y" * 100_000) and "huge" not in store  # > 1/8 of the bound


def test_entry_bound_keeps_the_newest():
    store = BoundedCache(10**9, max_entries=10)
    for i in range(25):
        store.put(i, i)
    assert len(store) <= 10 and set(range(15, 25)) <= set(store)
    store.resize(max_entries=4)
    assert len(store) <= 4
    assert BoundedCache(10**9, max_entries=0).put("a", 1) == 1
    assert "a" not in BoundedCache(10**9, max_entries=0)


def test_byte_cached_answers_like_lru_cache():
    calls = []

    @byte_cached(1_000_000, name="test-double")
    def double(word: str) -> str:
        calls.append(word)
        return word * 2

    @byte_cached(1_000_000, name="test-join")
    def join(a: str, b: str = "-") -> str:
        return a + b

    @functools.cache
    def reference(word: str) -> str:
        return word * 2

    words = [random.Random(i).choice(["a", "bc", "def", "ä"]) for i in range(200)]
    assert [double(w) for w in words] == [reference(w) for w in words]
    assert sorted(calls) == sorted(set(words))  # each computed once
    assert join("a") == "a-" and join("a", "+") == "a+"
    double.cache_clear()
    assert len(double.cache) == 0 and double("a") == "aa"


def test_cache_is_safe_under_threads():
    store = BoundedCache(300_000, max_entries=2_000, name="threads")
    errors: list[BaseException] = []

    def work(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _ in range(20_000):
                key = rng.randrange(5_000)
                value = store.get(key)
                if value is None:
                    store.put(key, str(key) * rng.randint(1, 40))
                else:
                    assert value.startswith(str(key))
                assert store.nbytes <= store.max_bytes
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(s,)) for s in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors[:1]
    assert store.nbytes <= store.max_bytes and len(store) <= 2_000


def test_copies_and_stored_models_start_with_empty_caches_of_the_same_bounds(model):
    model.predict(["Belege kontieren", "Kunden beraten"])
    copy = pickle.loads(pickle.dumps(model._cache))
    assert isinstance(copy, BoundedCache) and len(copy) == 0
    assert copy.max_bytes == model._cache.max_bytes
    stored = TaskModel.from_arrays(*model.to_arrays())
    for fresh in (stored._cache, stored.features._char_cache, stored.features.lexicon._families):
        assert isinstance(fresh, BoundedCache) and len(fresh) == 0
    assert stored.predict(["Belege kontieren"]).rule_based[0] == pytest.approx(
        model.predict(["Belege kontieren"]).rule_based[0], rel=1e-12
    )


REQUEST_PATH = (text, jobad, features, occupations, taskmodel, scoring, upskilling)


def request_path_caches(model) -> list[BoundedCache]:
    caches = list(cache.REGISTRY.values())
    caches += [model._cache, model.features._char_cache, model.features.lexicon._families]
    search = model.occupations.__dict__.get("_search_cache")
    return caches + ([search] if search is not None else [])


def test_every_request_path_cache_is_bounded_in_bytes_from_the_settings(model):
    for module in REQUEST_PATH:
        for name, value in vars(module).items():
            assert not hasattr(value, "cache_info"), f"{module.__name__}.{name} is an lru_cache"
    scoring.assess_many([Role(title="Buchhalter/in", description="Belege buchen")], model)
    caches = [c for c in request_path_caches(model) if not c.name.startswith("test-")]
    configured = {config.cache_bytes(name) for name in config.CACHE_SHARES}
    for c in caches:
        assert c.max_bytes in configured, c.stats()
    assert set(config.CACHE_SHARES) <= {c.name for c in caches}  # every share is in use
    assert sum(config.CACHE_SHARES.values()) <= 1.0


def test_character_grams_of_a_long_word_are_bounded():
    word = "x" * schemas.MAX_TASK_CHARS
    grams = features.char_grams(word)
    assert len(grams) <= 4 * (config.MAX_GRAM_WORD_CHARS + 2)
    assert features.char_grams("Rechnungsprüfung") == features.char_grams.__wrapped__(
        "Rechnungsprüfung"
    )


def test_repeated_text_is_answered_from_the_caches(model):
    roles = [
        Role(description=f"Ihre Aufgaben:\n- Belege {i} kontieren\n- Kunden {i} beraten")
        for i in range(50)
    ]
    scoring.assess_many(roles, model)
    misses = {c.name: c.misses for c in request_path_caches(model)}
    scoring.assess_many(roles, model)
    again = {c.name: c.misses for c in request_path_caches(model)}
    for name in ("job_ad_lines", "predictions", "affinities"):
        assert again[name] == misses[name], f"{name} missed on repeated text"


SOAK_CACHE_BYTES = 16 * 2**20  # small bounds, so that a short soak fills them


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(n))


def soak(models_dir: str, database_url: str, batches: int) -> dict:
    """Run in a fresh interpreter (a worker): ~1 MB batches of distinct 950-letter words (one
    per role: the case that grew a worker by 275 MB a batch) alternating with batches of
    all-new statements; RSS and the caches after each batch."""
    app = create_app({"TESTING": True, "MODELS_DIR": models_dir, "DATABASE_URL": database_url})
    client = app.test_client()
    model = app.extensions["risk_model"].model
    rng = random.Random(16)
    process = psutil.Process()
    rss, over = [], []
    for i in range(batches):
        if i % 2 == 0:
            body = {"roles": [{"tasks": [_word(rng, 950)]} for _ in range(schemas.MAX_BATCH)]}
        else:  # 4,000 new statements of eight new words
            statements = [
                " ".join(_word(rng, rng.randint(3, 12)) for _ in range(8)) for _ in range(4_000)
            ]
            body = {"roles": [{"tasks": statements[j : j + 4]} for j in range(0, 4_000, 4)]}
        assert client.post("/v1/score/batch", json=body).status_code == 200
        gc.collect()
        rss.append(process.memory_info().rss)
        over += [c.stats() for c in request_path_caches(model) if c.nbytes > c.max_bytes]
    caches = [c.stats() for c in request_path_caches(model)]
    return {"rss": rss, "over": over, "caches": caches}


def test_memory_soak_with_distinct_long_words_and_new_statements(registry_dir, tmp_path):
    """A worker's RSS is flat once its caches are full; no cache is ever over its bound."""
    code = (
        "import json, sys; from tests.system.test_memory_bounds import soak; "
        "print(json.dumps(soak(sys.argv[1], sys.argv[2], int(sys.argv[3]))))"
    )
    env = {**os.environ, "RISK_CACHE_BYTES": str(SOAK_CACHE_BYTES), "RISK_LOG_LEVEL": "WARNING"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    out = subprocess.run(
        [sys.executable, "-c", code, str(registry_dir), f"sqlite:///{tmp_path / 'risk.db'}", "24"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=900,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert not result["over"], result["over"][:3]
    held = [c for c in result["caches"] if c["name"] in config.CACHE_SHARES]
    assert sum(c["bytes"] for c in held) <= SOAK_CACHE_BYTES
    filled = {c["name"]: c["bytes"] / c["max_bytes"] for c in held}
    assert min(filled[n] for n in ("predictions", "char_columns", "normalise_task")) > 0.25
    rss = result["rss"]
    warm = max(rss[:12])  # the caches fill within the first batches
    assert max(rss[12:]) <= 1.10 * warm, [round(r / 2**20) for r in rss]
