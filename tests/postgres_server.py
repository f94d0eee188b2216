"""A real PostgreSQL server for the store tests.

``TEST_DATABASE_URL`` wins (``.ci/run`` starts a cluster and exports it). Without it, a throwaway
cluster is started here with Debian's ``initdb``/``pg_ctl`` (as the ``postgres`` user when we are
root, since the server refuses to run as root) on a free localhost port, and stopped at exit.
"""

from __future__ import annotations

import atexit
import functools
import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.servers import free_port


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@functools.cache
def postgres_url() -> tuple[str | None, str]:
    """``(url, reason)``: a SQLAlchemy URL of an empty-enough database, or None and why not."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url, "TEST_DATABASE_URL"
    bin_dir = _pg_bin()
    if bin_dir is None:
        return None, "TEST_DATABASE_URL is unset and PostgreSQL (initdb) is not installed"
    as_user: list[str] = []
    root = tempfile.mkdtemp(prefix="risk-test-pg-")
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            return None, "running as root without runuser: cannot start PostgreSQL"
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, user="postgres")
    data, port = os.path.join(root, "data"), free_port()

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*as_user, *args], capture_output=True, text=True, timeout=120)

    steps = [
        (str(bin_dir / "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"),
        (
            str(bin_dir / "pg_ctl"),
            *("-D", data, "-l", os.path.join(root, "server.log"), "-w", "-t", "60"),
            *("-o", f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off", "start"),
        ),
        (str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "risk"),
    ]

    def stop() -> None:
        run(str(bin_dir / "pg_ctl"), "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(root, ignore_errors=True)

    atexit.register(stop)  # also after a failed step: stopping a stopped server is harmless
    for step in steps:
        try:
            done = run(*step)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"could not start PostgreSQL: {exc}"
        if done.returncode != 0:
            return None, f"could not start PostgreSQL: {Path(step[0]).name}: {done.stderr[-500:]}"
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/risk", "started for this session"


def fresh_database_url(kind: str, tmp_path: Path) -> str:
    """An empty database: a SQLite file under ``tmp_path``, or PostgreSQL with no tables.

    Skips the calling test (with the reason) only when no PostgreSQL server could be reached
    or started.
    """
    import pytest

    from risk_service.web.store import make_engine, metadata
    from risk_service.web.store.migrate import VERSION_TABLE

    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'risk.db'}"
    url, reason = postgres_url()
    if url is None:
        pytest.skip(f"PostgreSQL unavailable: {reason}")
    engine = make_engine(url)
    metadata.drop_all(engine)
    with engine.begin() as conn:  # the migrations' own bookkeeping goes too
        conn.exec_driver_sql(f"DROP TABLE IF EXISTS {VERSION_TABLE}")
    engine.dispose()
    return url
