"""Files and folders of the server folder, handled so that the service user cannot redirect root's hand: as
root, the folder and root's own files are root's; ``data/`` and ``log/`` are handed over through their
descriptors, and whatever root opens inside them is opened without following a symlink."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from palimpsest_pipeline.warehouse.embedded.accounts import EmbeddedServerError, ServiceUser


def take_folder(root: Path) -> None:
    """As root: make the folder ``root`` root's own (0755), through its descriptor."""
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        os.fchown(fd, 0, 0)
        os.fchmod(fd, 0o755)
    finally:
        os.close(fd)


def untrusted(path: Path, owner: int) -> bool:
    """Whether the entry at ``path`` exists and is not a plain, singly linked file of ``owner``."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return False
    return not (stat.S_ISREG(st.st_mode) and st.st_uid == owner and st.st_nlink == 1)


def service_folder(path: Path, runner: ServiceUser | None) -> None:
    """Create the folder ``path`` (0700) if missing and make it the runner's through its descriptor; an entry
    that is not a real folder is refused."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as err:
        raise EmbeddedServerError(f"{path} is not a folder of ours ({err.strerror}); remove it") from err
    try:
        if runner is not None:
            if os.fstat(fd).st_uid not in (0, runner.uid):
                raise EmbeddedServerError(f"{path} belongs to another account; remove it or use another home")
            os.fchown(fd, runner.uid, runner.gid)
        os.fchmod(fd, 0o700)
    finally:
        os.close(fd)


def write_own_file(path: Path, text: str, mode: int = 0o600) -> None:
    """Replace ``path`` with ``text`` atomically: a new file (never an existing entry, never through a
    symlink) renamed over it."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_no_follow(path: Path, limit: int = 1 << 20, *, last: bool = False) -> str:
    """The text of the plain file at ``path``: its first ``limit`` bytes, or its ``last`` ones; a symlink or
    a special file raises OSError."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(f"{path} is not a plain file")
        if last:
            os.lseek(fd, max(0, st.st_size - limit), os.SEEK_SET)
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(limit).decode(errors="replace")
    finally:
        os.close(fd)


def append_no_follow(path: Path, text: str, owner: int) -> None:
    """Append ``text`` to the plain, singly linked file at ``path`` owned by ``owner``; anything else is
    refused (a planted symlink or hard link would make root write elsewhere)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        st = os.fstat(fd)
        if not (stat.S_ISREG(st.st_mode) and st.st_uid == owner and st.st_nlink == 1):
            raise EmbeddedServerError(f"{path} is not the plain file initdb wrote; refusing to write to it")
        os.write(fd, text.encode())
    finally:
        os.close(fd)
