"""Who runs the embedded server (the caller, or a service user when we are root); what it can reach."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

SERVICE_USER = "palimpsest-pg"


class EmbeddedServerError(RuntimeError):
    """The embedded server could not be prepared, started or stopped; the message says why and what to do."""


@dataclass(frozen=True)
class ServiceUser:
    """The unprivileged account server commands run as when we are root."""

    name: str
    uid: int
    gid: int


def ensure_service_user(name: str = SERVICE_USER) -> ServiceUser:
    """Return the unprivileged system user the server runs as under root, creating it when missing."""
    found = existing_service_user(name)
    if found is None:
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
        found = existing_service_user(name)  # another process may have created it meanwhile: fine
        if found is None:
            raise EmbeddedServerError(
                f"PostgreSQL refuses to run as root, and creating the system user {name!r} failed "
                f"({useradd} exited {result.returncode}: {result.stderr.strip()}). Create it yourself "
                f"(useradd --system {name}) or run as an ordinary user, or set PALIMPSEST_DATABASE_URL "
                "to use an existing server."
            )
    return found


def existing_service_user(name: str = SERVICE_USER) -> ServiceUser | None:
    """The service user if it exists: read-only questions (is a server running?) must not create accounts."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return ServiceUser(name=name, uid=entry.pw_uid, gid=entry.pw_gid)


def untraversable_folders(path: Path, user: ServiceUser) -> list[Path]:
    """The folders on the way to ``path`` (inclusive) that ``user`` may not enter (no search permission), so
    an error can name the folder in the way before postgres fails with a terse "Permission denied"."""
    groups = {user.gid, *(g.gr_gid for g in grp.getgrall() if user.name in g.gr_mem)}
    blocked = []
    for folder in [path, *path.parents]:
        if not folder.exists():
            continue
        if not _searchable(folder.stat(), user.uid, groups):
            blocked.append(folder)
    return sorted(blocked)


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def can_execute(path: Path, runner: ServiceUser | None) -> bool:
    if not path.is_file():
        return False
    if runner is None:
        return os.access(path, os.X_OK)
    return _searchable(path.stat(), runner.uid, {runner.gid})


def _searchable(st: os.stat_result, uid: int, groups: set[int]) -> bool:
    """Whether the x bit that applies to the account ``uid`` (in ``groups``) is set."""
    if st.st_uid == uid:
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid in groups:
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)
