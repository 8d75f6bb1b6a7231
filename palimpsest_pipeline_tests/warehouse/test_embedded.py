"""Embedded server: reused across calls, safe under concurrent starts, recovers stale state, explains."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy.engine import make_url

from palimpsest_pipeline.cli import main
from palimpsest_pipeline.settings import load_settings
from palimpsest_pipeline.warehouse.config import embedded_server_home, scratch_server_home
from palimpsest_pipeline.warehouse.embedded.accounts import (
    SERVICE_USER,
    ServiceUser,
    ensure_service_user,
    existing_service_user,
    untraversable_folders,
)
from palimpsest_pipeline.warehouse.embedded.location import RELOCATION_BASES, ServerPaths, server_folder
from palimpsest_pipeline.warehouse.embedded.process import is_our_postmaster, pidfile_pid
from palimpsest_pipeline.warehouse.embedded.server import (
    CLUSTER_NAME,
    ensure_embedded_server,
    remove_embedded_server,
    stop_embedded_server,
)

REPO = Path(__file__).resolve().parents[2]
uses_embedded = pytest.mark.skipif(
    bool(os.environ.get("PALIMPSEST_TEST_DATABASE_URL")),
    reason="tests run against PALIMPSEST_TEST_DATABASE_URL",
)


def embedded_server_pid(home: Path | str) -> int | None:
    """The pid of the postmaster serving ``home``'s data folder, or None when none runs (a pidfile whose pid
    is dead or now another program's does not count)."""
    paths = ServerPaths(server_folder(home, existing_service_user() if os.geteuid() == 0 else None))
    pid = pidfile_pid(paths.pidfile)
    return pid if pid is not None and is_our_postmaster(pid, paths.data) else None


def _port(url: str) -> int:
    port = make_url(url).port
    assert port is not None
    return port


_SETTINGS = "SELECT name, setting FROM pg_settings WHERE name = ANY(%s)"
_SAFETY = ["fsync", "full_page_writes", "synchronous_commit"]


@uses_embedded
def test_second_ensure_reuses_the_running_server(pg_server_url: str) -> None:
    home = embedded_server_home(load_settings().home)
    first = ensure_embedded_server(home)
    pid = embedded_server_pid(home)
    second = ensure_embedded_server(home)
    assert first == second != pg_server_url  # the tests' databases live on the scratch server
    assert pid is not None and embedded_server_pid(home) == pid
    listening = ["cluster_name", "listen_addresses", "unix_socket_directories"]
    with psycopg.connect(second) as conn:
        settings = dict(conn.execute(_SETTINGS, (listening + _SAFETY,)).fetchall())
    assert settings == {
        "cluster_name": CLUSTER_NAME,
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": "",
        # the warehouse's server keeps PostgreSQL's crash safety
        "fsync": "on",
        "full_page_writes": "on",
        "synchronous_commit": "on",
    }


@uses_embedded
def test_the_tests_scratch_server_listens_alike_without_crash_safety(pg_server_url: str) -> None:
    home = scratch_server_home(load_settings().home)
    assert ensure_embedded_server(home, scratch=True) == pg_server_url
    assert embedded_server_pid(home) not in (
        None,
        embedded_server_pid(embedded_server_home(load_settings().home)),
    )
    with psycopg.connect(pg_server_url) as conn:
        settings = dict(conn.execute(_SETTINGS, (["cluster_name", "listen_addresses", *_SAFETY],)).fetchall())
    assert settings == {
        "cluster_name": CLUSTER_NAME,
        "listen_addresses": "127.0.0.1",
        "fsync": "off",
        "full_page_writes": "off",
        "synchronous_commit": "off",
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
        remove_embedded_server(home)  # wherever it lives (relocated when the clone sits in a private folder)


@uses_embedded
def test_private_server_lifecycle(private_home: Path) -> None:
    # Cold start by two processes at once: one initdb, one server, one URL.
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    children = [ctx.Process(target=_ensure_in_child, args=(str(private_home), results)) for _ in range(2)]
    for child in children:
        child.start()
    urls = {results.get(timeout=120) for _ in children}
    for child in children:
        child.join(timeout=30)
    assert len(urls) == 1, urls
    url = urls.pop()
    assert not url.startswith("error"), url
    pid = embedded_server_pid(private_home)
    assert pid is not None

    assert ensure_embedded_server(private_home) == url  # warm: the running server, same URL
    assert embedded_server_pid(private_home) == pid

    # Stopped, then a stale pidfile naming a live process that is not our postmaster: recovered.
    assert stop_embedded_server(private_home) is True
    assert embedded_server_pid(private_home) is None
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
    folder = server_folder(private_home, ensure_service_user() if os.geteuid() == 0 else None)
    (folder / "data" / "postmaster.pid").write_text(f"{os.getpid()}\n{folder / 'data'}\n")
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
    assert (folder / "port").read_text().strip() == str(_port(moved))
    with psycopg.connect(moved) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)


@uses_embedded
def test_db_clean_stops_and_deletes_the_warehouse_server_and_the_scratch_server(private_home: Path) -> None:
    homes = (embedded_server_home(private_home), scratch_server_home(private_home))
    urls = [ensure_embedded_server(homes[0]), ensure_embedded_server(homes[1], scratch=True)]
    runner = ensure_service_user() if os.geteuid() == 0 else None
    folders = [server_folder(home, runner) for home in homes]
    assert all((folder / "data" / "PG_VERSION").exists() for folder in folders)
    env = {"PALIMPSEST_HOME": str(private_home), "PALIMPSEST_DATABASE_URL": None}
    result = CliRunner().invoke(main, ["db", "clean"], env=env)
    assert result.exit_code == 0, result.output
    assert not any(folder.exists() for folder in folders), result.output
    for url in urls:  # stopped, not only deleted under a running server
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=2)


@pytest.mark.skipif(os.geteuid() != 0, reason="only root runs the server as a service user")
@uses_embedded
def test_home_under_a_private_folder_moves_the_server_where_the_service_user_can_reach(
    tmp_path: Path,
) -> None:
    # A clone under /root or a mktemp -d folder: mode 0700, which the service user cannot enter.
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    home = private / "clone" / ".palimpsest" / "pg"
    service = ServiceUser(name=SERVICE_USER, uid=0, gid=0)  # only the name matters below
    try:
        url = ensure_embedded_server(home)
        with psycopg.connect(url) as conn:
            row = conn.execute("SHOW data_directory").fetchone()
        assert row is not None
        data_directory = Path(row[0])
        # Nothing above the project was opened up, and the data lives under a system location.
        assert stat.S_IMODE(private.stat().st_mode) == 0o700
        assert any(data_directory.is_relative_to(base) for base in RELOCATION_BASES), data_directory
        assert not (home / "data").exists()
        assert (home / "SERVER_FOLDER").read_text().strip() == str(data_directory.parent)
        # Every command finds the same server from the requested path alone.
        assert embedded_server_pid(home) is not None
        assert ensure_embedded_server(home) == url
        # A second clone never shares it.
        assert server_folder(private / "other" / ".palimpsest" / "pg", service) != data_directory.parent
    finally:
        deleted = remove_embedded_server(home)
    assert data_directory.parent in deleted
    assert not data_directory.parent.exists() and not home.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)


def test_a_reachable_home_stays_where_it_is() -> None:
    # /var/tmp is world-traversable on every Debian-like system (pytest's own tmp_path is private to us).
    stranger = ServiceUser(name="palimpsest-nobody-test", uid=987654, gid=987654)
    with tempfile.TemporaryDirectory(dir="/var/tmp") as open_dir:
        Path(open_dir).chmod(0o755)
        open_home = Path(open_dir) / "clone" / ".palimpsest" / "pg"
        open_home.parent.mkdir(parents=True)
        open_home.parent.parent.chmod(0o755)
        open_home.parent.chmod(0o755)
        assert untraversable_folders(open_home.parent, stranger) == []
        assert server_folder(open_home, stranger) == open_home.resolve()
        assert server_folder(open_home, None) == open_home.resolve()


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
