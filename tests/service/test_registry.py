import pytest

from risk_service import create_app
from risk_service.registry import ARTIFACT, ARTIFACTS, Registry, RegistryError
from tests.conftest import ADMIN_TOKEN


def test_tampered_artifact_is_refused_and_previous_model_keeps_serving(
    registry_dir, tmp_path, model
):
    registry = Registry(tmp_path)
    good = registry.save(model, metrics={"rule_auc_min": 0.9}, data_hash="x")
    registry.promote(good)
    bad = registry.save(model, metrics={"rule_auc_min": 0.95}, data_hash="x")
    artifact = tmp_path / bad / ARTIFACT
    data = bytearray(artifact.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one byte changed
    artifact.write_bytes(bytes(data))

    with pytest.raises(RegistryError, match="sha256"):
        registry.load(bad)
    with pytest.raises(RegistryError, match="sha256"):
        registry.promote(bad)

    app = create_app({"TESTING": True, "MODELS_DIR": str(tmp_path), "ADMIN_TOKEN": ADMIN_TOKEN})
    client = app.test_client()
    (tmp_path / "current").write_text(bad + "\n")  # someone points current at the bad file
    response = client.post("/v1/model/reload", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 409 and "sha256" in response.get_json()["detail"]
    assert client.get("/v1/model").get_json()["version"] == good
    assert client.post("/v1/score", json={"tasks": ["Answer calls"]}).status_code == 200


def test_promote_refuses_worse_model_and_rollback_restores(tmp_path, model):
    registry = Registry(tmp_path)
    first = registry.save(model, metrics={"rule_auc_min": 0.9}, data_hash="a")
    registry.promote(first)
    worse = registry.save(model, metrics={"rule_auc_min": 0.8}, data_hash="b")
    with pytest.raises(RegistryError, match="worse"):
        registry.promote(worse)
    assert registry.promote(worse, force=True) == worse
    assert registry.rollback() == first
    assert registry.current_version() == first


def test_a_version_saved_as_a_pickle_is_refused_with_retrain_not_a_500(tmp_path, model):
    """Versions from before the npz+json format (model.joblib) are never unpickled."""
    import json

    from risk_service.registry import LEGACY_ARTIFACT, MANIFEST, sha256_file

    registry = Registry(tmp_path)
    good = registry.save(model, metrics={"rule_auc_min": 0.9}, data_hash="x")
    registry.promote(good)
    old = registry.save(model, metrics={"rule_auc_min": 0.9}, data_hash="x")
    # What an old version looks like: a pickle naming a class this code no longer has, and a
    # manifest (without "format" and "files") that vouches for its bytes.
    for name in ARTIFACTS:
        (tmp_path / old / name).unlink()
    artifact = tmp_path / old / LEGACY_ARTIFACT
    artifact.write_bytes(b"crisk_service.features\nLeanTfidfVectorizer\n.")
    manifest = json.loads((tmp_path / old / MANIFEST).read_text())
    del manifest["format"], manifest["files"]
    manifest["sha256"] = sha256_file(artifact)
    (tmp_path / old / MANIFEST).write_text(json.dumps(manifest))

    with pytest.raises(RegistryError, match="old pickle format.*retrain"):
        registry.load(old)
    with pytest.raises(RegistryError, match="old pickle format"):
        registry.promote(old, force=True)
    app = create_app({"TESTING": True, "MODELS_DIR": str(tmp_path), "ADMIN_TOKEN": ADMIN_TOKEN})
    client = app.test_client()
    (tmp_path / "current").write_text(old + "\n")
    response = client.post("/v1/model/reload", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    assert response.status_code == 409 and "retrain" in response.get_json()["detail"]
    assert client.post("/v1/score", json={"tasks": ["Answer calls"]}).status_code == 200


def test_saved_model_is_arrays_and_json_and_loads_to_the_same_predictions(tmp_path, model):
    import json
    import zipfile

    from risk_service.registry import MANIFEST

    registry = Registry(tmp_path)
    version = registry.save(model, metrics={"rule_auc_min": 0.9}, data_hash="x")
    folder = tmp_path / version
    assert sorted(p.name for p in folder.iterdir()) == sorted([*ARTIFACTS, MANIFEST])
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["format"] == "npz+json/1" and set(manifest["files"]) == set(ARTIFACTS)
    with zipfile.ZipFile(folder / "model.npz") as npz:  # plain .npy members, nothing else
        assert all(name.endswith(".npy") for name in npz.namelist())
    json.loads((folder / "model.json").read_text())  # plain JSON
    loaded = registry.load(version)
    texts = ["Rechnungen kontieren und buchen", "Comfort grieving relatives", "Lead the team"]
    expected, actual = model.predict(texts), loaded.predict(texts)
    assert actual.rule_based.tolist() == expected.rule_based.tolist()
    assert actual.category == expected.category
    assert loaded.occupations.search("Buchhalter/in", k=3) == model.occupations.search(
        "Buchhalter/in", k=3
    )


@pytest.mark.parametrize("query", ["Buchhalter/in", "会计师", "ä", "zzzz qqqq", "Data"])
def test_title_search_order_is_the_same_at_every_k(model, query):
    """Best occupations first, one entry each; k=1 is the head of k=3 (also for zero-score ties)."""
    from risk_service.occupations import GROUP_SUPPORT

    index = model.occupations
    found = index.search(query, k=10)
    longest = [m.concept for m in found]
    assert len(set(longest)) == len(longest)
    # by similarity; only near-ties may be reordered (by how well their unit group matches)
    for a, b in zip(found, found[1:], strict=False):
        assert b.similarity <= a.similarity + GROUP_SUPPORT
    for k in (1, 3):
        assert [m.concept for m in index.search(query, k=k)] == longest[:k]
