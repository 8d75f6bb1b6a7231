"""The PostgreSQL binaries: the pgserver wheel's, or our executable copy when the server cannot run those."""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

from palimpsest_pipeline.warehouse.embedded.accounts import (
    EmbeddedServerError,
    ServiceUser,
    can_execute,
    untraversable_folders,
)
from palimpsest_pipeline.warehouse.embedded.location import ServerPaths


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


_REQUIRED_BINARIES = ("initdb", "pg_ctl", "postgres")


def _bin_dir_usable(bin_dir: Path, runner: ServiceUser | None) -> bool:
    if runner is not None and untraversable_folders(bin_dir, runner):
        return False
    return all(can_execute(bin_dir / name, runner) for name in _REQUIRED_BINARIES)


def usable_bin_dir(paths: ServerPaths, runner: ServiceUser | None) -> Path:
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
