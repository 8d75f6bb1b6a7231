"""The embedded server's lifecycle: initdb, start or find, stop, delete."""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg

from palimpsest_pipeline.warehouse.embedded.accounts import (
    EmbeddedServerError,
    ServiceUser,
    ensure_service_user,
    untraversable_folders,
    user_name,
)
from palimpsest_pipeline.warehouse.embedded.binaries import usable_bin_dir
from palimpsest_pipeline.warehouse.embedded.location import (
    RELOCATION_BASES,
    ServerPaths,
    leave_pointer,
    relocated_folder,
    server_folder,
)
from palimpsest_pipeline.warehouse.embedded.private_files import (
    append_no_follow,
    read_no_follow,
    service_folder,
    take_folder,
    untrusted,
    write_own_file,
)
from palimpsest_pipeline.warehouse.embedded.process import (
    START_TIMEOUT_S,
    free_port,
    is_our_postmaster,
    log_tail,
    pidfile_lines,
    pidfile_pid,
    port_is_free,
    run_server_command,
)

SUPERUSER = "postgres"


#: Set in postgresql.conf so other code can tell our embedded cluster from a user's server.
CLUSTER_NAME = "palimpsest-embedded"


LOCK_TIMEOUT_S = 180


_CONF_MARKER = "# --- palimpsest embedded settings ---"

#: A scratch cluster's settings: no crash safety (a machine crash may lose its databases), for the test
#: suite's throwaway databases; with fsync each CREATE DATABASE, DROP DATABASE and commit waits on the disk.
_SCRATCH_SETTINGS = "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n"


def ensure_embedded_server(home: Path | str, *, scratch: bool = False) -> str:
    """Start (or find running) the embedded server whose folder is ``home``; return its superuser libpq URL
    of the ``postgres`` database. Starts are serialised by an fcntl lock. A ``scratch`` cluster runs without
    fsync: for data nobody keeps (the test suite's)."""
    runner = ensure_service_user() if os.geteuid() == 0 else None
    paths = ServerPaths(server_folder(home, runner))
    paths.root.mkdir(parents=True, exist_ok=True)
    leave_pointer(Path(home).expanduser().resolve(), paths.root)
    if runner is not None:
        _hold_folder(runner, paths)
    with _start_lock(paths.lock):
        if runner is not None:
            _check_reachable(runner, paths.root)
        service_folder(paths.log_dir, runner)
        bin_dir = usable_bin_dir(paths, runner)
        password = _superuser_password(paths)
        if not (paths.data / "PG_VERSION").exists():
            _initdb(paths, bin_dir, runner, password, scratch=scratch)
        running_port = _running_port(paths, bin_dir, runner, password)
        if running_port is not None:
            return _server_url(running_port, password)
        _discard_stale_pidfile(paths)
        port = _start(paths, bin_dir, runner)
        _wait_until_accepting(paths, port, password)
        return _server_url(port, password)


def stop_embedded_server(home: Path | str) -> bool:
    """Stop the embedded server of ``home`` if it runs (fast shutdown). Returns whether it was running."""
    runner = ensure_service_user() if os.geteuid() == 0 else None
    paths = ServerPaths(server_folder(home, runner))
    if not (paths.data / "PG_VERSION").exists():
        return False
    with _start_lock(paths.lock):
        if _postmaster_pid(paths) is None:
            _discard_stale_pidfile(paths)
            return False
        bin_dir = usable_bin_dir(paths, runner)
        run_server_command(
            [bin_dir / "pg_ctl", "-D", str(paths.data), "-m", "fast", "-w", "-t", "60", "stop"], paths, runner
        )
        return True


def remove_embedded_server(home: Path | str) -> list[Path]:
    """Stop the server of ``home`` and delete its folder, wherever it lives (a relocated one too); return the
    folders deleted."""
    requested = Path(home).expanduser().resolve()
    stop_embedded_server(requested)
    deleted = []
    for folder in dict.fromkeys(
        [requested, *(relocated_folder(requested, base) for base in RELOCATION_BASES)]
    ):
        if folder.exists():
            shutil.rmtree(folder)
            deleted.append(folder)
    return deleted


def _postmaster_pid(paths: ServerPaths) -> int | None:
    pid = pidfile_pid(paths.pidfile)
    return pid if pid is not None and is_our_postmaster(pid, paths.data) else None


@contextlib.contextmanager
def _start_lock(lock_path: Path) -> Iterator[None]:
    """An exclusive fcntl lock: two commands starting at once must not both run initdb or pg_ctl start."""
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise EmbeddedServerError(
                        f"another process has held {lock_path} for over {LOCK_TIMEOUT_S} s while starting "
                        "the embedded server; if none is running, delete the lock file"
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _hold_folder(runner: ServiceUser, paths: ServerPaths) -> None:
    """As root: make the server folder root's (0755); one an earlier layout handed to the service user is
    taken back, and root's entries it could have planted there are dropped (refused for the password)."""
    st = paths.root.lstat()
    others_enter = stat.S_IROTH | stat.S_IXOTH
    if (
        st.st_uid == 0
        and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
        and st.st_mode & others_enter == others_enter
    ):
        return  # root's, and the service user can enter it to reach data/, log/ and the binaries' copy
    if st.st_uid != runner.uid and (paths.data / "PG_VERSION").exists():
        raise EmbeddedServerError(
            f"{paths.root} holds a database cluster owned by {user_name(st.st_uid)!r}, not {runner.name!r}: "
            "it was created by another account. Run as that account, or use another PALIMPSEST_HOME."
        )
    take_folder(paths.root)
    if untrusted(paths.password, 0):
        raise EmbeddedServerError(
            f"{paths.password} is not the plain root-owned file this program wrote: the service user could "
            "have replaced it. Check it, then delete it and reset the superuser password, or remove the "
            "server folder (palimpsest db clean)."
        )
    for entry in (paths.lock, paths.port, paths.root / ".initdb-password", paths.root / "server.log"):
        if entry.name == "server.log" or untrusted(entry, 0):
            entry.unlink(missing_ok=True)


def _check_reachable(runner: ServiceUser, root: Path) -> None:
    """As root: check the service user can reach ``root`` (nothing above it is ever changed)."""
    blocked = untraversable_folders(root.parent, runner)
    if blocked:
        raise EmbeddedServerError(
            f"the embedded PostgreSQL runs as the unprivileged user {runner.name!r} (PostgreSQL refuses "
            f"root), and that user cannot enter {', '.join(map(str, blocked))} on the way to {root}. "
            "Either set PALIMPSEST_HOME to a folder under a world-traversable path (e.g. /srv/palimpsest), "
            f"or allow traversal yourself (chmod o+x {blocked[0]}), or set PALIMPSEST_DATABASE_URL."
        )


def _superuser_password(paths: ServerPaths) -> str:
    """The generated superuser password, created once (0600, readable by the caller only)."""
    if paths.password.exists():
        return read_no_follow(paths.password, 4096).strip()
    password = secrets.token_urlsafe(24)
    write_own_file(paths.password, password + "\n")
    return password


def _initdb(
    paths: ServerPaths, bin_dir: Path, runner: ServiceUser | None, password: str, *, scratch: bool
) -> None:
    """Create the cluster: UTF-8, C collation, scram passwords, our settings (the password reaches initdb
    through a file in a fresh root-owned folder, handed over through its descriptor)."""
    if paths.data.exists():
        # A previous initdb died half-way (no PG_VERSION): the folder is ours and holds nothing of value.
        shutil.rmtree(paths.data)
    service_folder(paths.data, runner)
    handover = Path(tempfile.mkdtemp(prefix=".initdb-", dir=paths.root))
    try:
        pwfile = handover / "password"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as handle:
            if runner is not None:
                os.fchown(handle.fileno(), runner.uid, runner.gid)
            handle.write(password + "\n")
        handover.chmod(0o711)
        run_server_command(
            [
                bin_dir / "initdb",
                "-D",
                paths.data,
                "-U",
                SUPERUSER,
                f"--pwfile={pwfile}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions",
            ],
            paths,
            runner,
        )
    finally:
        shutil.rmtree(handover)
    append_no_follow(
        paths.data / "postgresql.conf",
        f"\n{_CONF_MARKER}\n"
        "listen_addresses = '127.0.0.1'\n"
        "unix_socket_directories = ''\n"
        f"cluster_name = '{CLUSTER_NAME}'\n"
        "timezone = 'UTC'\n"
        "max_connections = 200\n" + (_SCRATCH_SETTINGS if scratch else ""),
        owner=os.geteuid() if runner is None else runner.uid,
    )
    _remember_port(paths, free_port())


def _remember_port(paths: ServerPaths, port: int) -> None:
    write_own_file(paths.port, f"{port}\n", 0o644)


def _remembered_port(paths: ServerPaths) -> int | None:
    try:
        return int(read_no_follow(paths.port, 64).strip())
    except (OSError, ValueError):
        return None


def _running_port(paths: ServerPaths, bin_dir: Path, runner: ServiceUser | None, password: str) -> int | None:
    """The port of our running, connectable server, or None when it has to be started."""
    if _postmaster_pid(paths) is None:
        return None
    status = run_server_command(
        [bin_dir / "pg_ctl", "-D", paths.data, "status"], paths, runner, check=False, timeout=30
    )
    if status.returncode != 0:
        return None
    lines = pidfile_lines(paths.pidfile)
    try:
        port = int(lines[3])
    except (IndexError, ValueError):
        return None
    _wait_until_accepting(paths, port, password)
    if _remembered_port(paths) != port:
        _remember_port(paths, port)
    return port


def _discard_stale_pidfile(paths: ServerPaths) -> None:
    """Remove a postmaster.pid left by a server that died (its pid is gone or now someone else's)."""
    if paths.pidfile.exists() and _postmaster_pid(paths) is None:
        paths.pidfile.unlink(missing_ok=True)


def _start(paths: ServerPaths, bin_dir: Path, runner: ServiceUser | None) -> int:
    """pg_ctl start on the remembered port; if that port is taken now, pick another and remember it."""
    attempts = 3
    for attempt in range(attempts):
        port = _remembered_port(paths)
        if port is None or not port_is_free(port):
            port = free_port()
            _remember_port(paths, port)
        result = run_server_command(
            [
                bin_dir / "pg_ctl",
                "-D",
                paths.data,
                "-l",
                paths.log,
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "-o",
                f"-p {port}",
                "start",
            ],
            paths,
            runner,
            check=False,
        )
        if result.returncode == 0:
            return port
        if attempt + 1 < attempts and not port_is_free(port):
            continue  # someone grabbed the port between our probe and postgres' bind: try another
        raise EmbeddedServerError(
            f"pg_ctl start failed (exit {result.returncode}) for {paths.data}:\n{result.stdout.strip()}"
            + log_tail(paths)
        )
    raise AssertionError("unreachable")


def _wait_until_accepting(paths: ServerPaths, port: int, password: str) -> None:
    """Block until a real connection succeeds: a pidfile alone does not prove the server accepts clients."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        try:
            with psycopg.connect(_server_url(port, password), connect_timeout=5) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError as err:
            if time.monotonic() > deadline:
                raise EmbeddedServerError(
                    f"the embedded server on 127.0.0.1:{port} does not accept connections: {err}"
                    + log_tail(paths)
                ) from err
            time.sleep(0.1)


def _server_url(port: int, password: str) -> str:
    return f"postgresql://{SUPERUSER}:{quote(password, safe='')}@127.0.0.1:{port}/postgres"
