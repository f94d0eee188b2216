"""One settings class: documented environment names, validation, and settings the app applies."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from risk_service import config, create_app
from risk_service.config import Settings
from risk_service.web.app import app_settings

ROOT = Path(__file__).resolve().parents[2]


def test_documented_environment_variables_are_read(monkeypatch, tmp_path):
    env = {
        "RISK_MODELS_DIR": str(tmp_path),
        "RISK_ADMIN_TOKEN": "s3cret",
        "RISK_LOG_LEVEL": "debug",
        "RISK_LOG_JSON": "false",
        "RISK_STORE_RAW_TEXT": "true",
        "RISK_STORE_LOCK_TIMEOUT": "2.5",
        "RISK_RATE_LIMIT": "120/minute",
        "RISK_RATE_LIMIT_STORAGE_URI": "memory://",
        "RISK_PROXY_HOPS": "1",
        "RISK_BODY_READ_TIMEOUT": "4",
        "RISK_CACHE_BYTES": "1000",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    s = Settings()
    assert s.models_dir == tmp_path and s.admin_token == "s3cret"
    assert s.log_level == "DEBUG" and s.log_json is False and s.store_raw_text is True
    assert s.store_lock_timeout == 2.5 and s.rate_limit == "120/minute" and s.proxy_hops == 1
    assert s.body_read_timeout == 4.0 and s.cache_bytes == 1000
    assert tmp_path == config.MODELS_DIR  # what the CLI and training take as their default


def test_database_url_has_one_setting_under_both_documented_names(monkeypatch):
    monkeypatch.delenv("RISK_DATABASE_URL", raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings().database_url == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("RISK_DATABASE_URL", "sqlite:///risk.db")
    assert Settings().database_url == "sqlite:///risk.db"  # the RISK_ name wins
    assert Settings(database_url="sqlite:///given.db").database_url == "sqlite:///given.db"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("RISK_PROXY_HOPS", "-1"),
        ("RISK_LOG_LEVEL", "LOUD"),
        ("RISK_MAX_BODY_BYTES", "0"),
        ("RISK_CACHE_SHARES", '{"stems": 2.0}'),
    ],
)
def test_a_bad_value_fails_at_start_naming_the_setting(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert name.removeprefix("RISK_").lower() in str(raised.value)


def test_defaults_match_the_documented_ones():
    d = config.DEFAULTS
    assert d.max_body_bytes == 1_000_000 and d.body_read_timeout == 10.0
    assert d.cache_bytes == 128 * 2**20 and d.cache_shares == config.CACHE_SHARES
    assert sum(d.cache_shares.values()) <= 1.0
    assert d.rate_limit is None and d.proxy_hops == 0 and d.log_json is True


def test_the_body_limit_setting_is_applied(monkeypatch, tmp_path):
    monkeypatch.setenv("RISK_MAX_BODY_BYTES", "2000")  # read when the app is created
    app = create_app({"TESTING": True, "MODELS_DIR": str(tmp_path)})
    assert app_settings(app).max_body_bytes == 2000 and app.config["TESTING"] is True
    client = app.test_client()
    big = json.dumps({"description": "Belege buchen. " * 200})
    response = client.post("/v1/score", data=big, content_type="application/json")
    assert response.status_code == 413
    assert "2000 bytes" in response.get_json()["detail"]
    small = client.post("/v1/score", json={"title": "Buchhalter"})
    assert small.status_code == 503  # under the limit: on to scoring (no model in tmp_path)


def test_a_settings_object_is_used_as_given(tmp_path):
    app = create_app(Settings(models_dir=tmp_path, admin_token="t0ken"))
    client = app.test_client()
    assert client.post("/v1/model/reload").status_code == 401
    allowed = client.post("/v1/model/reload", headers={"Authorization": "Bearer t0ken"})
    assert allowed.status_code != 401


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(RISK_[A-Z_]+)", readme))
    expected = {f"RISK_{name.upper()}" for name in Settings.model_fields}
    assert expected <= documented, sorted(expected - documented)
