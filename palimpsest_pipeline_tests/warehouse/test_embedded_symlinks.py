"""Root's files in the embedded server's folder cannot be redirected by the service user.

Whoever runs as ``palimpsest-pg`` (any holder of the superuser password, through ``COPY ... TO PROGRAM``)
can plant symlinks wherever that user may write. Root must never write, truncate or chown through them.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from palimpsest_pipeline.warehouse.embedded.accounts import EmbeddedServerError, ensure_service_user
from palimpsest_pipeline.warehouse.embedded.location import server_folder
from palimpsest_pipeline.warehouse.embedded.private_files import (
    append_no_follow,
    read_no_follow,
    service_folder,
    write_own_file,
)
from palimpsest_pipeline.warehouse.embedded.server import (
    ensure_embedded_server,
    remove_embedded_server,
    stop_embedded_server,
)
from palimpsest_pipeline_tests.warehouse.test_embedded import uses_embedded

REPO = Path(__file__).resolve().parents[2]
VICTIM_TEXT = "root's own file: must never change\n"


def _victim(folder: Path, name: str) -> Path:
    victim = folder / name
    victim.write_text(VICTIM_TEXT)
    victim.chmod(0o644)
    return victim


def _unchanged(victim: Path) -> bool:
    st = victim.stat()
    return victim.read_text() == VICTIM_TEXT and st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o644


def test_an_own_file_replaces_a_planted_symlink_without_touching_its_target(tmp_path: Path) -> None:
    victim = _victim(tmp_path, "victim")
    (tmp_path / "port").symlink_to(victim)
    write_own_file(tmp_path / "port", "5432\n", 0o644)
    assert not (tmp_path / "port").is_symlink() and (tmp_path / "port").read_text() == "5432\n"
    assert victim.read_text() == VICTIM_TEXT


def test_reads_and_appends_refuse_symlinks_and_hard_links(tmp_path: Path) -> None:
    victim = _victim(tmp_path, "victim")
    (tmp_path / "link").symlink_to(victim)
    with pytest.raises(OSError):
        read_no_follow(tmp_path / "link")
    with pytest.raises(OSError):
        append_no_follow(tmp_path / "link", "listen_addresses = '*'\n", owner=os.geteuid())
    os.link(victim, tmp_path / "hard")
    with pytest.raises(EmbeddedServerError, match="not the plain file"):
        append_no_follow(tmp_path / "hard", "listen_addresses = '*'\n", owner=os.geteuid())
    assert victim.read_text() == VICTIM_TEXT
    (tmp_path / "folder").symlink_to(tmp_path)
    with pytest.raises(EmbeddedServerError, match="not a folder of ours"):
        service_folder(tmp_path / "folder", None)


@pytest.fixture
def root_home() -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("only root hands a folder to the service user")
    home = REPO / ".palimpsest" / f"test-symlinks-{os.getpid()}"
    shutil.rmtree(home, ignore_errors=True)
    try:
        yield home
    finally:
        remove_embedded_server(home)


@uses_embedded
def test_symlinks_planted_by_the_service_user_never_redirect_root(root_home: Path, tmp_path: Path) -> None:
    """The folder as an earlier layout left it (the service user's, with root's files inside) and the
    service user's symlinks in place of root's files: root takes the folder back and writes its own files,
    every target untouched; the service user can plant nothing where root writes from then on."""
    runner = ensure_service_user()
    url = ensure_embedded_server(root_home)
    folder = server_folder(root_home, runner)
    assert folder.stat().st_uid == 0 and (folder / "data").stat().st_uid == runner.uid
    assert stop_embedded_server(root_home)

    os.chown(folder, runner.uid, runner.gid)  # the earlier layout: the whole folder was the service user's
    folder.chmod(0o700)
    victims = {}
    for name in ("port", "start.lock", ".initdb-password"):
        victims[name] = _victim(tmp_path, f"victim-{name}")
        (folder / name).unlink(missing_ok=True)
        (folder / name).symlink_to(victims[name])
        os.lchown(folder / name, runner.uid, runner.gid)
    (folder / "port").unlink()  # the remembered port too: root must write it again, through the link
    (folder / "port").symlink_to(victims["port"])
    os.lchown(folder / "port", runner.uid, runner.gid)

    again = ensure_embedded_server(root_home)
    with psycopg.connect(again) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    assert all(_unchanged(victim) for victim in victims.values()), {
        name: victim.read_text() for name, victim in victims.items()
    }
    st = folder.lstat()
    assert st.st_uid == 0 and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    assert not (folder / "port").is_symlink() and (folder / "port").stat().st_uid == 0
    assert (folder / "superuser.password").stat().st_uid == 0
    assert url.rsplit("@", 1)[0] == again.rsplit("@", 1)[0]  # the same superuser password


@uses_embedded
def test_a_password_file_the_service_user_could_have_swapped_is_refused(root_home: Path) -> None:
    runner = ensure_service_user()
    ensure_embedded_server(root_home)
    folder = server_folder(root_home, runner)
    assert stop_embedded_server(root_home)
    os.chown(folder, runner.uid, runner.gid)
    password = folder / "superuser.password"
    password.unlink()
    password.write_text("chosen-by-the-service-user\n")
    os.chown(password, runner.uid, runner.gid)
    with pytest.raises(EmbeddedServerError, match=r"superuser\.password is not the plain root-owned file"):
        ensure_embedded_server(root_home)


@uses_embedded
def test_a_private_temporary_folder_serves_as_root(root_home: Path) -> None:
    """A server folder root made with mkdtemp (0700): the service user must still reach data/, log/ and the
    binaries through it (make chaos's postgres_restart cell starts its own server in one)."""
    root_home.mkdir(parents=True, mode=0o700)
    root_home.chmod(0o700)
    url = ensure_embedded_server(root_home)
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1").fetchone() == (1,)
    mode = stat.S_IMODE(server_folder(root_home, ensure_service_user()).stat().st_mode)
    assert mode & 0o022 == 0  # nobody but root may create or swap an entry there
