"""A server's processes and files: server commands (as the service user when root), pidfiles, ports."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from palimpsest_pipeline.warehouse.embedded.accounts import EmbeddedServerError, ServiceUser
from palimpsest_pipeline.warehouse.embedded.location import ServerPaths
from palimpsest_pipeline.warehouse.embedded.private_files import read_no_follow

START_TIMEOUT_S = 60


def run_server_command(
    command: Sequence[Path | str],
    paths: ServerPaths,
    runner: ServiceUser | None,
    *,
    check: bool = True,
    timeout: float = START_TIMEOUT_S + 30,
) -> subprocess.CompletedProcess[str]:
    """Run a server command, as the service user when we are root, its output through a temporary file (the
    postmaster ``pg_ctl start`` leaves behind must not hold a pipe of ours open)."""
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
            f"{output.strip()}" + log_tail(paths)
        )
    return completed


def log_tail(paths: ServerPaths, lines: int = 20) -> str:
    try:
        tail = read_no_follow(paths.log, 64 << 10, last=True).splitlines()[-lines:]
    except OSError:
        return ""
    return f"\n--- last lines of {paths.log} ---\n" + "\n".join(tail) if tail else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as postgres binds: TIME_WAIT is fine
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as err:
            if err.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def pidfile_lines(pidfile: Path) -> list[str]:
    try:
        return read_no_follow(pidfile, 4096).splitlines()
    except OSError:
        return []


def pidfile_pid(pidfile: Path) -> int | None:
    lines = pidfile_lines(pidfile)
    try:
        return int(lines[0])
    except (IndexError, ValueError):
        return None


def is_our_postmaster(pid: int, data: Path) -> bool:
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
