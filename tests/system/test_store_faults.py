"""The audit store under faults: a held write lock, files that refuse writes, a read-only server.

Each fault must end in a 503 problem+json with ``Retry-After`` within a bounded time (never the
old 10 s busy wait), ``/readyz`` must say 503 while the audit log cannot be written, and the
same processes must recover by themselves within seconds once the fault is gone, including a
worker that was (re)started during the fault. Throughout: no 200 without its audit row, and no
row that was stored is lost.

"Refuse writes" is ``chattr +i`` when running as root (root ignores file modes; immutable files
are also what made workers die of SIGBUS), ``chmod a-w`` otherwise.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import event

from risk_service.schemas import Role
from risk_service.web.store import LOCK_TIMEOUT_SECONDS, Store, StoreUnavailable
from tests.conftest import make_app
from tests.postgres_server import fresh_database_url
from tests.servers import running_gunicorn

ROLE = {"tasks": ["Enter supplier invoices into the accounting system"], "language": "en"}
LOCK_BOUND = LOCK_TIMEOUT_SECONDS + 0.5  # the wait, plus scoring and a busy runner's slack
RECOVERY_BOUND = 3.0  # seconds from "writable again" to readyz 200 and scoring 200


def db_files(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


@contextlib.contextmanager
def writes_refused(db: Path) -> Iterator[None]:
    """The database files refuse writes inside the block (immutable as root, read-only else)."""
    files = db_files(db)
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make the files unwritable")
        made = subprocess.run(["chattr", "+i", *map(str, files)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"chattr +i not supported here: {made.stderr.strip()}")
        undo = ["chattr", "-i", *map(str, files)]
    else:
        modes = {p: p.stat().st_mode for p in files}
        for p in files:
            p.chmod(0o444)
    try:
        assert not os.access(db, os.W_OK)
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(undo, check=True)
        else:
            for p, mode in modes.items():
                p.chmod(mode)


def audit_ids(db: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return {row[0] for row in conn.execute("SELECT assessment_id FROM assessments")}


def assert_503_problem(response) -> None:
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) >= 1


def seconds_until(predicate, limit: float) -> float:
    """Seconds until ``predicate()`` is true (polled every 50 ms); fails after ``limit``."""
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > limit:
            pytest.fail(f"not recovered within {limit} s")
        time.sleep(0.05)
    return time.monotonic() - started


def test_a_held_write_lock_is_a_503_within_the_bound_then_scoring_resumes(registry_dir, tmp_path):
    db = tmp_path / "risk.db"
    client = make_app(registry_dir, f"sqlite:///{db}").test_client()
    first = client.post("/v1/score", json=ROLE)
    assert first.status_code == 200

    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock and keeps it
    try:
        started = time.monotonic()
        response = client.post("/v1/score", json=ROLE)
        waited = time.monotonic() - started
        assert_503_problem(response)
        assert "locked" in response.get_json()["detail"]
        assert LOCK_TIMEOUT_SECONDS * 0.8 <= waited < LOCK_BOUND, waited
        ready = client.get("/readyz")
        assert ready.status_code == 503 and "locked" in ready.get_json()["detail"]
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    after = client.post("/v1/score", json=ROLE)
    assert after.status_code == 200
    assert audit_ids(db) == {first.get_json()["assessment_id"], after.get_json()["assessment_id"]}
    assert seconds_until(lambda: client.get("/readyz").status_code == 200, RECOVERY_BOUND) >= 0


def test_unwritable_files_then_writable_again_recover_without_a_restart(registry_dir, tmp_path):
    db = tmp_path / "risk.db"
    url = f"sqlite:///{db}"
    running = make_app(registry_dir, url).test_client()  # a worker that was up before the fault
    scored = [running.post("/v1/score", json=ROLE).get_json()["assessment_id"]]
    feedback = running.post("/v1/feedback", json={"assessment_id": scored[0], "risk_score": 5})
    assert feedback.status_code == 201

    with writes_refused(db):
        assert_503_problem(running.post("/v1/score", json=ROLE))
        ready = running.get("/readyz")
        assert ready.status_code == 503 and "not writable" in ready.get_json()["detail"]
        # A worker (re)started during the fault: it starts, says why it is not ready, and
        # opens no read-only connection that would fail every write afterwards.
        restarted = make_app(registry_dir, url).test_client()
        assert restarted.get("/healthz").status_code == 200
        assert restarted.get("/readyz").status_code == 503
        assert_503_problem(restarted.post("/v1/score", json=ROLE))
        assert_503_problem(
            restarted.post("/v1/feedback", json={"assessment_id": scored[0], "comment": "x"})
        )
        pool = restarted.application.extensions["risk_store"].engine.pool
        assert pool.checkedin() == 0  # nothing was opened read-only into the pool

    took = {
        name: seconds_until(lambda c=client: c.get("/readyz").status_code == 200, RECOVERY_BOUND)
        for name, client in (("running", running), ("restarted", restarted))
    }
    print(f"readyz 200 after the files became writable again: {took}")
    for client in (running, restarted):
        response = client.post("/v1/score", json=ROLE)
        assert response.status_code == 200, response.get_json()
        scored.append(response.get_json()["assessment_id"])
    late = restarted.post("/v1/feedback", json={"assessment_id": scored[-1], "comment": "ok"})
    assert late.status_code == 201
    assert audit_ids(db) == set(scored)  # every 200 has its row; nothing stored was lost
    stored = running.get(feedback.headers["Location"])
    assert stored.status_code == 200 and stored.get_json()["risk_score"] == 5


def test_a_read_only_postgresql_connection_is_discarded_and_the_store_recovers(tmp_path, model):
    """As after a failover that left the pool on a standby: writes fail with SQLSTATE 25006."""
    from risk_service.scoring import assess_many

    url = fresh_database_url("postgresql", tmp_path)
    store = Store(url, probe_seconds=0.0)
    store.upgrade_schema()
    roles = [Role(tasks=["Enter supplier invoices into the accounting system"])]
    read_only = threading.Event()

    @event.listens_for(store.engine, "connect")
    def _session(dbapi_connection, _record):
        if read_only.is_set():
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET default_transaction_read_only = on")
            dbapi_connection.commit()

    try:
        assert store.record_assessments(roles, assess_many(roles, model)) == 1
        read_only.set()
        store.engine.pool.dispose()  # the server went away; new connections are read-only
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            store.record_assessments(roles, assess_many(roles, model))
        assert time.monotonic() - started < LOCK_BOUND
        assert store.unavailable() is not None
        read_only.clear()  # the primary is back: the discarded connections are not reused
        results = assess_many(roles, model)
        assert store.record_assessments(roles, results) == 1
        assert store.assessment(results[0]["assessment_id"]) is not None
        assert store.unavailable() is None
    finally:
        store.dispose()


def _score(base: str) -> tuple[int | str, str | None, str | None]:
    """(status or error, content type, assessment id) of one scoring request."""
    try:
        response = requests.post(f"{base}/v1/score", json=ROLE, timeout=30)
    except requests.RequestException as exc:
        return type(exc).__name__, None, None
    body = response.json()
    return response.status_code, response.headers.get("content-type"), body.get("assessment_id")


def _workers(pid: int) -> set[int]:
    children = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as fh:
            children |= {int(c) for c in fh.read().split()}
    return children


def test_gunicorn_workers_survive_unwritable_files_and_recover_by_themselves(
    registry_dir, tmp_path
):
    """Two workers under load; the files refuse writes; one worker restarts meanwhile."""
    db = tmp_path / "risk.db"
    env = {"RISK_MODELS_DIR": str(registry_dir), "DATABASE_URL": f"sqlite:///{db}"}
    env["RISK_DATABASE_URL"] = None  # it would override DATABASE_URL
    log = tmp_path / "gunicorn.log"
    with running_gunicorn(env, log, options=["--timeout", "60"], cwd=tmp_path) as server:
        base = server.url
        answers: list[tuple] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                answers.append(_score(base))
                time.sleep(0.02)

        client = threading.Thread(target=load, daemon=True)
        client.start()
        time.sleep(1.0)
        try:
            with writes_refused(db):
                time.sleep(1.0)
                assert requests.get(f"{base}/readyz", timeout=10).status_code == 503
                before = _workers(server.pid)
                os.kill(min(before), signal.SIGTERM)  # gunicorn replaces it: it starts mid-fault
                deadline = time.monotonic() + 30
                while len(_workers(server.pid) - before) < 1 and time.monotonic() < deadline:
                    time.sleep(0.1)
                time.sleep(2.0)  # the new worker boots and answers during the fault
                outage = len(answers)
            ready = seconds_until(
                lambda: requests.get(f"{base}/readyz", timeout=10).status_code == 200,
                RECOVERY_BOUND,
            )
            time.sleep(1.0)
        finally:
            stop.set()
            client.join(timeout=60)
        workers = _workers(server.pid)

    text = log.read_text(errors="replace")
    assert "SIGBUS" not in text and "SIGSEGV" not in text, text[-3000:]
    assert len(workers) == 2
    statuses = {a[0] for a in answers}
    assert statuses <= {200, 503}, statuses  # never a reset connection or a 500
    assert all(a[1] == "application/problem+json" for a in answers if a[0] == 503)
    during = [a[0] for a in answers[outage - 10 : outage]]
    assert during and set(during) == {503}
    tail = [a[0] for a in answers[-10:]]
    assert tail == [200] * 10, tail  # both workers, the restarted one too, score again
    ok = {a[2] for a in answers if a[0] == 200}
    assert ok <= audit_ids(db)  # no 200 without its audit row
    print(f"readyz 200 {ready:.2f} s after the files became writable; {len(answers)} requests")
