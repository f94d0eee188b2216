"""A 201 for feedback is a promise: it must survive `kill -9` of every server process.

A real gunicorn with two workers writes into a SQLite store (WAL, feedback fsynced) while eight
client threads post feedback; the whole process group is killed mid-stream, and every feedback
id that was acknowledged must then be in the database.
"""

from __future__ import annotations

import signal
import sqlite3
import threading

import pytest
import requests

from risk_service import config
from tests.servers import kill_group, running_gunicorn

THREADS = 8
REQUESTS_PER_THREAD = 40
KILL_AFTER_ACKS = 80  # about a quarter of all requests: the kill lands in the middle


@pytest.fixture
def server(registry_dir, tmp_path):
    """gunicorn -w 2 on a free localhost port with its own SQLite store; stopped afterwards."""
    db = tmp_path / "crash.db"
    env = {
        "RISK_MODELS_DIR": str(registry_dir),
        "DATABASE_URL": f"sqlite:///{db}",
        "RISK_DATABASE_URL": None,  # it would override DATABASE_URL
    }
    with running_gunicorn(env, tmp_path / "gunicorn.log", cwd=config.PROJECT_ROOT) as server:
        yield server.url, db, server.proc


def test_acknowledged_feedback_survives_kill_9(server):
    base, db, proc = server
    role = {"title": "Buchhalter/in", "description": "Kontieren und Buchen von Belegen; Mahnwesen"}
    response = requests.post(f"{base}/v1/score", json=role, timeout=10)
    assert response.status_code == 200, response.text
    assessment_id = response.json()["assessment_id"]

    acknowledged: list[str] = []
    unexpected: list[int] = []
    connection_errors = [0] * THREADS
    enough = threading.Event()

    def client(n: int) -> None:
        with requests.Session() as session:
            for i in range(REQUESTS_PER_THREAD):
                body = {
                    "assessment_id": assessment_id,
                    "risk_score": (n * REQUESTS_PER_THREAD + i) % 101,
                    "tasks": [{"text": f"Aufgabe {n}-{i}", "rule_based": i % 2 == 0}],
                    "comment": f"thread {n} request {i}",
                }
                try:
                    answer = session.post(f"{base}/v1/feedback", json=body, timeout=10)
                except requests.RequestException:
                    connection_errors[n] += 1
                    continue
                if answer.status_code == 201:
                    acknowledged.append(answer.json()["feedback_id"])
                    if len(acknowledged) >= KILL_AFTER_ACKS:
                        enough.set()
                else:
                    unexpected.append(answer.status_code)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    assert enough.wait(timeout=120), f"only {len(acknowledged)} acknowledgements in 120 s"
    kill_group(proc)  # the master and its workers: one process group
    killed_at = len(acknowledged)
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    assert proc.returncode == -signal.SIGKILL
    # No 5xx (e.g. "database is locked") while both workers wrote.
    assert unexpected == [], (db.parent / "gunicorn.log").read_text()[-3000:]
    assert sum(connection_errors) > 0, "the kill did not land while requests were still coming"
    assert len(acknowledged) < THREADS * REQUESTS_PER_THREAD
    # Reopen the file as a fresh client would after a crash (SQLite replays the WAL).
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM feedback")}
    missing = set(acknowledged) - stored
    print(
        f"acknowledged {len(acknowledged)} (kill after {killed_at}), "
        f"connection errors {sum(connection_errors)}, rows {len(stored)}, lost {len(missing)}"
    )
    assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged feedbacks lost"
    assert killed_at >= KILL_AFTER_ACKS
