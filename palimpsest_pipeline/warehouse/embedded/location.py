"""Where a server folder really lives: the requested one, or a per-project one the service user reaches."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

from palimpsest_pipeline.warehouse.embedded.accounts import (
    EmbeddedServerError,
    ServiceUser,
    untraversable_folders,
)
from palimpsest_pipeline.warehouse.embedded.private_files import write_own_file

#: World-traversable system folders that can hold a relocated server folder, first usable wins. /var/lib is
#: where services keep state; /var/tmp survives reboots too and exists on every Debian-like system.
RELOCATION_BASES = (Path("/var/lib/palimpsest-pg"), Path("/var/tmp/palimpsest-pg"))


#: The note left in the requested folder when the server lives elsewhere.
POINTER_FILE = "SERVER_FOLDER"


class ServerPaths:
    """The files of one server folder (see the package docstring for the layout)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.log_dir = root / "log"
        self.log = self.log_dir / "server.log"
        self.port = root / "port"
        self.password = root / "superuser.password"
        self.lock = root / "start.lock"
        self.own_install = root / "pgwheel"
        self.pidfile = self.data / "postmaster.pid"


def server_folder(home: Path | str, runner: ServiceUser | None) -> Path:
    """Where the server of the requested folder ``home`` really lives: itself, unless the service user (we
    are root) cannot enter it, then a per-project folder under the first usable :data:`RELOCATION_BASES`. A
    server already initialised in either place stays there."""
    requested = Path(home).expanduser().resolve()
    if (requested / "data" / "PG_VERSION").exists():
        return requested
    relocated = [relocated_folder(requested, base) for base in RELOCATION_BASES]
    for folder in relocated:
        if (folder / "data" / "PG_VERSION").exists():
            return folder
    if runner is None or not untraversable_folders(requested.parent, runner):
        return requested
    for base in RELOCATION_BASES:
        if _usable_relocation_base(base, runner):
            return relocated_folder(requested, base)
    blocked = ", ".join(map(str, untraversable_folders(requested.parent, runner)))
    raise EmbeddedServerError(
        f"the embedded PostgreSQL runs as the unprivileged user {runner.name!r} (PostgreSQL refuses root), "
        f"that user cannot enter {blocked} on the way to {requested}, and none of "
        f"{', '.join(map(str, RELOCATION_BASES))} could be used instead "
        "(missing parent, read-only, or not owned by root). Set PALIMPSEST_HOME to a folder under a "
        "world-traversable path, or set PALIMPSEST_DATABASE_URL."
    )


def relocated_folder(requested: Path, base: Path) -> Path:
    """``<base>/<last three path parts>-<12 hex of the path's hash>``: readable, and unique per clone."""
    readable = "-".join(part.lstrip(".") for part in requested.parts[-3:] if part != "/") or "root"
    readable = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in readable)[:60]
    digest = hashlib.sha256(str(requested).encode()).hexdigest()[:12]
    return base / f"{readable}-{digest}"


def _usable_relocation_base(base: Path, runner: ServiceUser) -> bool:
    """Create ``base`` (root-owned, 0755) when missing; usable when root owns it and only root can write it
    (else another account could swap our server folder)."""
    try:
        if not base.parent.is_dir():
            return False
        base.mkdir(mode=0o755, exist_ok=True)
        st = base.lstat()
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != 0 or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not untraversable_folders(base, runner)


def leave_pointer(requested: Path, actual: Path) -> None:
    """When the server lives elsewhere, say so in the requested folder (people look there first)."""
    if requested == actual:
        return
    requested.mkdir(parents=True, exist_ok=True)
    pointer = requested / POINTER_FILE
    text = f"{actual}\n"
    if not pointer.exists() or pointer.read_text() != text:
        write_own_file(pointer, text, 0o644)
