"""Embedded server: reused across calls, safe under concurrent starts, recovers stale state, explains."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from palimpsest_pipeline.warehouse.config import embedded_server_home
from palimpsest_pipeline.warehouse.embedded import (
    CLUSTER_NAME,
    EmbeddedServerError,
    ServiceUser,
    embedded_server_pid,
    ensure_embedded_server,
    stop_embedded_server,
    untraversable_folders,
)

REPO = Path(__file__).resolve().parents[2]
uses_embedded = pytest.mark.skipif(
    bool(os.environ.get("PALIMPSEST_TEST_DATABASE_URL")),
    reason="tests run against PALIMPSEST_TEST_DATABASE_URL",
)


def _port(url: str) -> int:
    port = make_url(url).port
    assert port is not None
    return port


@uses_embedded
def test_second_ensure_reuses_the_running_server(pg_server_url: str) -> None:
    home = embedded_server_home()
    first = ensure_embedded_server(home)
    pid = embedded_server_pid(home)
    second = ensure_embedded_server(home)
    assert first == second == pg_server_url
    assert pid is not None and embedded_server_pid(home) == pid
    with psycopg.connect(second) as conn:
        settings: dict[str, str] = dict(
            conn.execute(
                "SELECT name, setting FROM pg_settings "
                "WHERE name IN ('cluster_name', 'listen_addresses', 'unix_socket_directories')"
            ).fetchall()
        )
    assert settings == {
        "cluster_name": CLUSTER_NAME,
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": "",
    }


def _ensure_in_child(home: str, results: multiprocessing.Queue) -> None:
    try:
        results.put(ensure_embedded_server(home))
    except Exception as err:
        results.put(f"error: {err!r}")


@pytest.fixture
def private_home() -> Iterator[Path]:
    """A server folder of our own under the repo's state folder (which the service user can traverse)."""
    home = REPO / ".palimpsest" / f"test-embedded-{os.getpid()}"
    shutil.rmtree(home, ignore_errors=True)
    try:
        yield home
    finally:
        try:
            stop_embedded_server(home)
        finally:
            shutil.rmtree(home, ignore_errors=True)


@uses_embedded
def test_private_server_lifecycle(private_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Cold start by two processes at once: one initdb, one server, one URL.
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    started = time.perf_counter()
    children = [ctx.Process(target=_ensure_in_child, args=(str(private_home), results)) for _ in range(2)]
    for child in children:
        child.start()
    urls = {results.get(timeout=120) for _ in children}
    for child in children:
        child.join(timeout=30)
    assert len(urls) == 1, urls
    url = urls.pop()
    assert not url.startswith("error"), url
    cold = time.perf_counter() - started
    pid = embedded_server_pid(private_home)
    assert pid is not None

    started = time.perf_counter()
    assert ensure_embedded_server(private_home) == url
    warm = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\nembedded server: cold start (2 spawned processes, incl. initdb) {cold:.2f} s, "
            f"warm {warm:.3f} s"
        )

    # Stopped, then a stale pidfile naming a live process that is not our postmaster: recovered.
    assert stop_embedded_server(private_home) is True
    assert embedded_server_pid(private_home) is None
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    (private_home / "data" / "postmaster.pid").write_text(f"{os.getpid()}\n{private_home / 'data'}\n")
    assert ensure_embedded_server(private_home) == url
    assert embedded_server_pid(private_home) not in (None, pid)

    # The remembered port is taken by someone else: a new port is picked and remembered.
    assert stop_embedded_server(private_home) is True
    with socket.socket() as squatter:
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # the old server's TIME_WAITs
        squatter.bind(("127.0.0.1", _port(url)))
        squatter.listen()
        moved = ensure_embedded_server(private_home)
    assert _port(moved) != _port(url)
    assert (private_home / "port").read_text().strip() == str(_port(moved))
    with psycopg.connect(moved) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as a service user")
def test_home_the_service_user_cannot_reach_is_explained(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o700)
    home = locked / "pg"
    with pytest.raises(EmbeddedServerError, match=r"cannot enter .*locked.*PALIMPSEST_HOME"):
        ensure_embedded_server(home)
    assert not (home / "data").exists()


def test_untraversable_folders_names_the_blocking_folders(tmp_path: Path) -> None:
    stranger = ServiceUser(name="palimpsest-nobody-test", uid=987654, gid=987654)
    open_dir = tmp_path / "open"
    closed = open_dir / "closed"
    inner = closed / "inner"
    inner.mkdir(parents=True)
    open_dir.chmod(0o755)
    closed.chmod(0o750)
    inner.chmod(0o755)
    blocked = untraversable_folders(inner, stranger)
    assert closed in blocked
    assert open_dir not in blocked and inner not in blocked
    owner = ServiceUser(name="owner", uid=closed.stat().st_uid, gid=closed.stat().st_gid)
    assert closed not in untraversable_folders(inner, owner)
