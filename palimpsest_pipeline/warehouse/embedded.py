"""An embedded PostgreSQL server that needs no system install, for local runs, the demo and the tests.

The binaries come from the ``pgserver`` wheel (PostgreSQL 16), but we drive ``initdb`` / ``pg_ctl`` ourselves:
run as root, pgserver's Python API chmods folders *above* its data directory, which we must never do.

Layout of the server folder (default ``<repo>/.palimpsest/pg``)::

    pg/                 the folder we create; owned by the service user when we run as root
      data/             PGDATA (initdb)
      server.log        postgres' log (pg_ctl -l)
      port              the TCP port we listen on, chosen once and remembered
      superuser.password  the generated superuser password (0600, owned by the caller)
      start.lock        fcntl lock serialising concurrent starts
      pginstall/        our own copy of the binaries, only when the wheel's copy lost its +x bits

The server listens on 127.0.0.1 only (unix sockets disabled) and requires scram passwords, so other local
users cannot walk in as superuser. PostgreSQL refuses to run as root; when we are root (CI) every server
command runs as the unprivileged system user ``palimpsest-pg`` (created with useradd when missing).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import grp
import importlib.util
import os
import pwd
import secrets
import shutil
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg

SERVICE_USER = "palimpsest-pg"
SUPERUSER = "postgres"
#: Set in postgresql.conf so other code can tell our embedded cluster from a user's server.
CLUSTER_NAME = "palimpsest-embedded"
START_TIMEOUT_S = 60
LOCK_TIMEOUT_S = 180

_CONF_MARKER = "# --- palimpsest embedded settings ---"


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be prepared, started or stopped; the message says why and what to do."""


@dataclass(frozen=True)
class ServiceUser:
    """The unprivileged account server commands run as when we are root."""

    name: str
    uid: int
    gid: int


@dataclass(frozen=True)
class _Paths:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    @property
    def port(self) -> Path:
        return self.root / "port"

    @property
    def password(self) -> Path:
        return self.root / "superuser.password"

    @property
    def lock(self) -> Path:
        return self.root / "start.lock"

    @property
    def own_install(self) -> Path:
        return self.root / "pginstall"

    @property
    def pidfile(self) -> Path:
        return self.data / "postmaster.pid"


# ------------------------------------------------------------------------------------------------ public API


def ensure_embedded_server(home: Path | str) -> str:
    """Start (or find running) the embedded server whose folder is ``home``; return its superuser URL.

    The URL is a plain libpq URL of the ``postgres`` maintenance database. Safe to call from several
    processes at once: starts are serialised by an fcntl lock on ``home/start.lock``.
    """
    paths = _Paths(Path(home).expanduser().resolve())
    paths.root.mkdir(parents=True, exist_ok=True)
    with _start_lock(paths.lock):
        runner = ensure_service_user() if os.geteuid() == 0 else None
        if runner is not None:
            _prepare_folder_for(runner, paths.root)
        bin_dir = _usable_bin_dir(paths, runner)
        password = _superuser_password(paths)
        if not (paths.data / "PG_VERSION").exists():
            _initdb(paths, bin_dir, runner, password)
        running_port = _running_port(paths, bin_dir, runner, password)
        if running_port is not None:
            return _server_url(running_port, password)
        _discard_stale_pidfile(paths)
        port = _start(paths, bin_dir, runner)
        _wait_until_accepting(paths, port, password)
        return _server_url(port, password)


def stop_embedded_server(home: Path | str) -> bool:
    """Stop the embedded server of ``home`` if it runs (fast shutdown). Returns whether it was running."""
    paths = _Paths(Path(home).expanduser().resolve())
    if not (paths.data / "PG_VERSION").exists():
        return False
    with _start_lock(paths.lock):
        runner = ensure_service_user() if os.geteuid() == 0 else None
        if embedded_server_pid(paths.root) is None:
            _discard_stale_pidfile(paths)
            return False
        bin_dir = _usable_bin_dir(paths, runner)
        _run(
            [bin_dir / "pg_ctl", "-D", str(paths.data), "-m", "fast", "-w", "-t", "60", "stop"], paths, runner
        )
        return True


def embedded_server_pid(home: Path | str) -> int | None:
    """The pid of the postmaster serving ``home``'s data folder, or None when none runs.

    A pidfile whose pid is dead, or now belongs to another program (pids are reused, especially in
    containers), does not count.
    """
    paths = _Paths(Path(home).expanduser().resolve())
    pid = _pidfile_pid(paths.pidfile)
    if pid is None or not _is_our_postmaster(pid, paths.data):
        return None
    return pid


def untraversable_folders(path: Path, user: ServiceUser) -> list[Path]:
    """The folders on the way to ``path`` (inclusive) that ``user`` may not enter (no search permission).

    Pure permission arithmetic over ``stat`` (no process switching), so it can explain *which* folder is in
    the way before postgres fails with a terse "Permission denied".
    """
    groups = {user.gid, *(g.gr_gid for g in _groups_of(user.name))}
    blocked = []
    for folder in [path, *path.parents]:
        if not folder.exists():
            continue
        st = folder.stat()
        if st.st_uid == user.uid:
            allowed = bool(st.st_mode & stat.S_IXUSR)
        elif st.st_gid in groups:
            allowed = bool(st.st_mode & stat.S_IXGRP)
        else:
            allowed = bool(st.st_mode & stat.S_IXOTH)
        if not allowed:
            blocked.append(folder)
    return sorted(blocked)


def ensure_service_user(name: str = SERVICE_USER) -> ServiceUser:
    """Return the unprivileged system user the server runs as under root, creating it when missing."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        result = subprocess.run(
            [
                useradd,
                "--system",
                "--user-group",
                "--no-create-home",
                "--home-dir",
                "/nonexistent",
                "--shell",
                "/usr/sbin/nologin",
                "--comment",
                "Palimpsest embedded PostgreSQL",
                name,
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        try:
            entry = pwd.getpwnam(name)  # another process may have created it meanwhile: fine
        except KeyError:
            raise EmbeddedServerError(
                f"PostgreSQL refuses to run as root, and creating the system user {name!r} failed "
                f"({useradd} exited {result.returncode}: {result.stderr.strip()}). Create it yourself "
                f"(useradd --system {name}) or run as an ordinary user, or set PALIMPSEST_DATABASE_URL "
                "to use an existing server."
            ) from None
    return ServiceUser(name=name, uid=entry.pw_uid, gid=entry.pw_gid)


def wheel_bin_dir() -> Path:
    """Where the pgserver wheel keeps initdb, pg_ctl and postgres.

    Located without importing pgserver: its import creates runtime folders and lock files of its own.
    """
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedServerError(
            "the pgserver package is not installed; install the project's dependencies or set "
            "PALIMPSEST_DATABASE_URL"
        )
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "pginstall" / "bin"


# ------------------------------------------------------------------------------------------------- helpers


@contextlib.contextmanager
def _start_lock(lock_path: Path) -> Iterator[None]:
    """An exclusive fcntl lock: two commands starting at once must not both run initdb or pg_ctl start."""
    with lock_path.open("a+") as handle:
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
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
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _groups_of(user_name: str) -> list[grp.struct_group]:
    return [g for g in grp.getgrall() if user_name in g.gr_mem]


def _prepare_folder_for(runner: ServiceUser, root: Path) -> None:
    """As root: check the service user can reach ``root`` and hand it the folder (and nothing above it)."""
    blocked = untraversable_folders(root.parent, runner)
    if blocked:
        raise EmbeddedServerError(
            f"the embedded PostgreSQL runs as the unprivileged user {runner.name!r} (PostgreSQL refuses "
            f"root), and that user cannot enter {', '.join(map(str, blocked))} on the way to {root}. "
            "Either set PALIMPSEST_HOME to a folder under a world-traversable path (e.g. /srv/palimpsest), "
            f"or allow traversal yourself (chmod o+x {blocked[0]}), or set PALIMPSEST_DATABASE_URL."
        )
    st = root.stat()
    if st.st_uid != runner.uid:
        if (root / "data" / "PG_VERSION").exists():
            owner = _user_name(st.st_uid)
            raise EmbeddedServerError(
                f"{root} holds a database cluster owned by {owner!r}, not {runner.name!r}: it was created by "
                f"another account. Run as {owner!r}, or use another PALIMPSEST_HOME."
            )
        os.chown(root, runner.uid, runner.gid)
    root.chmod(0o700)


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _can_execute(path: Path, runner: ServiceUser | None) -> bool:
    if not path.is_file():
        return False
    if runner is None:
        return os.access(path, os.X_OK)
    st = path.stat()
    if st.st_uid == runner.uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid == runner.gid:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


_REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")


def _bin_dir_usable(bin_dir: Path, runner: ServiceUser | None) -> bool:
    if runner is not None and untraversable_folders(bin_dir, runner):
        return False
    return all(_can_execute(bin_dir / name, runner) for name in _REQUIRED_BINARIES)


def _usable_bin_dir(paths: _Paths, runner: ServiceUser | None) -> Path:
    """The wheel's bin folder if whoever runs the server can execute it, else our own fixed-up copy.

    Wheels installed by some tools lose the +x bits, and a venv under /root is out of the service user's
    reach. We never chmod the installed package: we copy it into our folder and fix the copy.
    """
    source = wheel_bin_dir()
    if not (source / "postgres").exists():
        raise EmbeddedServerError(
            f"the pgserver wheel has no PostgreSQL binaries at {source}; reinstall pgserver or set "
            "PALIMPSEST_DATABASE_URL"
        )
    if _bin_dir_usable(source, runner):
        return source
    own_bin = paths.own_install / "bin"
    if not _bin_dir_usable(own_bin, runner):
        staging = Path(tempfile.mkdtemp(prefix=".pginstall-", dir=paths.root))
        shutil.copytree(source.parent, staging / "pginstall", symlinks=True)
        for exe in (staging / "pginstall" / "bin").iterdir():
            if exe.is_file():
                exe.chmod(exe.stat().st_mode | 0o555)
        shutil.rmtree(paths.own_install, ignore_errors=True)
        (staging / "pginstall").rename(paths.own_install)
        staging.rmdir()
        if runner is not None:
            for folder, _dirs, _files in os.walk(paths.own_install):
                Path(folder).chmod(0o755)
    if not _bin_dir_usable(own_bin, runner):
        raise EmbeddedServerError(
            f"cannot make the PostgreSQL binaries executable: neither {source} nor our copy {own_bin} can be "
            "run (is the folder on a noexec mount?). Set PALIMPSEST_DATABASE_URL to use another server."
        )
    return own_bin


def _superuser_password(paths: _Paths) -> str:
    """The generated superuser password, created once (0600, readable by the caller only)."""
    if paths.password.exists():
        return paths.password.read_text().strip()
    password = secrets.token_urlsafe(24)
    fd = os.open(paths.password, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return password


def _run(
    command: Sequence[Path | str],
    paths: _Paths,
    runner: ServiceUser | None,
    *,
    check: bool = True,
    timeout: float = START_TIMEOUT_S + 30,
) -> subprocess.CompletedProcess[str]:
    """Run a server command, as the service user when we are root.

    Output goes through temporary files, not pipes: the postmaster that ``pg_ctl start`` leaves behind must
    not hold our pipe open (a known way to hang ``subprocess.run``).
    """
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LC_ALL": "C",
        "LANG": "C",
        "TZ": "UTC",
    }
    if runner is not None:
        env.update(HOME=str(paths.root), USER=runner.name, LOGNAME=runner.name)
    with tempfile.TemporaryFile("w+") as out:
        kwargs: dict[str, object] = {}
        if runner is not None:
            kwargs.update(user=runner.uid, group=runner.gid, extra_groups=[])
        result = subprocess.run(
            [str(part) for part in command],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=paths.root,
            env=env,
            timeout=timeout,
            check=False,
            start_new_session=True,
            text=True,
            **kwargs,  # type: ignore[call-overload]
        )
        out.seek(0)
        output = out.read()
    completed = subprocess.CompletedProcess(result.args, result.returncode, output, "")
    if check and result.returncode != 0:
        raise EmbeddedServerError(
            f"{Path(str(command[0])).name} failed (exit {result.returncode}) for {paths.data}:\n"
            f"{output.strip()}" + _log_tail(paths)
        )
    return completed


def _log_tail(paths: _Paths, lines: int = 20) -> str:
    try:
        tail = paths.log.read_text(errors="replace").splitlines()[-lines:]
    except OSError:
        return ""
    return f"\n--- last lines of {paths.log} ---\n" + "\n".join(tail) if tail else ""


def _initdb(paths: _Paths, bin_dir: Path, runner: ServiceUser | None, password: str) -> None:
    """Create the cluster: UTF-8, C collation (byte order, same everywhere), scram passwords, our settings."""
    if paths.data.exists():
        # A previous initdb died half-way (no PG_VERSION): the folder is ours and holds nothing of value.
        shutil.rmtree(paths.data)
    pwfile = paths.root / ".initdb-password"
    fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    if runner is not None:
        os.chown(pwfile, runner.uid, runner.gid)
    try:
        _run(
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
        pwfile.unlink(missing_ok=True)
    conf = paths.data / "postgresql.conf"
    with conf.open("a") as handle:
        handle.write(
            f"\n{_CONF_MARKER}\n"
            "listen_addresses = '127.0.0.1'\n"
            "unix_socket_directories = ''\n"
            f"cluster_name = '{CLUSTER_NAME}'\n"
            "timezone = 'UTC'\n"
            "max_connections = 200\n"
        )
    _remember_port(paths, _free_port())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as postgres binds: TIME_WAIT is fine
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as err:
            if err.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def _remember_port(paths: _Paths, port: int) -> None:
    paths.port.write_text(f"{port}\n")


def _remembered_port(paths: _Paths) -> int | None:
    try:
        return int(paths.port.read_text().strip())
    except (OSError, ValueError):
        return None


def _pidfile_lines(pidfile: Path) -> list[str]:
    try:
        return pidfile.read_text(errors="replace").splitlines()
    except OSError:
        return []


def _pidfile_pid(pidfile: Path) -> int | None:
    lines = _pidfile_lines(pidfile)
    try:
        return int(lines[0])
    except (IndexError, ValueError):
        return None


def _is_our_postmaster(pid: int, data: Path) -> bool:
    """Whether ``pid`` is alive and is a postgres serving ``data`` (pid reuse makes "alive" alone wrong)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.parent.parent.exists() and Path("/proc/self").exists():
        try:
            args = cmdline.read_bytes().split(b"\0")
        except OSError:
            return False
        return bool(args) and args[0].endswith(b"postgres") and str(data).encode() in args
    return process_alive(pid)  # no /proc (macOS): liveness is the best we can do; pg_ctl status confirms it


def process_alive(pid: int) -> bool:
    """Whether a process with this pid exists (one we may not signal, another user's, counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _running_port(paths: _Paths, bin_dir: Path, runner: ServiceUser | None, password: str) -> int | None:
    """The port of our running, connectable server, or None when it has to be started."""
    pid = embedded_server_pid(paths.root)
    if pid is None:
        return None
    status = _run([bin_dir / "pg_ctl", "-D", paths.data, "status"], paths, runner, check=False, timeout=30)
    if status.returncode != 0:
        return None
    lines = _pidfile_lines(paths.pidfile)
    try:
        port = int(lines[3])
    except (IndexError, ValueError):
        return None
    _wait_until_accepting(paths, port, password)
    if _remembered_port(paths) != port:
        _remember_port(paths, port)
    return port


def _discard_stale_pidfile(paths: _Paths) -> None:
    """Remove a postmaster.pid left by a server that died (its pid is gone or now someone else's)."""
    pid = _pidfile_pid(paths.pidfile)
    if paths.pidfile.exists() and (pid is None or not _is_our_postmaster(pid, paths.data)):
        paths.pidfile.unlink(missing_ok=True)


def _start(paths: _Paths, bin_dir: Path, runner: ServiceUser | None) -> int:
    """pg_ctl start on the remembered port; if that port is taken now, pick another and remember it."""
    attempts = 3
    for attempt in range(attempts):
        port = _remembered_port(paths)
        if port is None or not _port_is_free(port):
            port = _free_port()
            _remember_port(paths, port)
        result = _run(
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
        if attempt + 1 < attempts and not _port_is_free(port):
            continue  # someone grabbed the port between our probe and postgres' bind: try another
        raise EmbeddedServerError(
            f"pg_ctl start failed (exit {result.returncode}) for {paths.data}:\n{result.stdout.strip()}"
            + _log_tail(paths)
        )
    raise AssertionError("unreachable")


def _wait_until_accepting(
    paths: _Paths, port: int, password: str, timeout_s: float = START_TIMEOUT_S
) -> None:
    """Block until a real connection succeeds: a pidfile alone does not prove the server accepts clients."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with psycopg.connect(_server_url(port, password), connect_timeout=5) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError as err:
            if time.monotonic() > deadline:
                raise EmbeddedServerError(
                    f"the embedded server on 127.0.0.1:{port} does not accept connections: {err}"
                    + _log_tail(paths)
                ) from err
            time.sleep(0.1)


def _server_url(port: int, password: str) -> str:
    return f"postgresql://{SUPERUSER}:{quote(password, safe='')}@127.0.0.1:{port}/postgres"
