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
from palimpsest_pipeline.warehouse.embedded.process import run_server_command


def wheel_bin_dir() -> Path:
    """Where the pgserver wheel keeps initdb, pg_ctl and postgres (found without importing pgserver, whose
    import creates folders and lock files of its own)."""
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
    """The wheel's bin folder if whoever runs the server can execute it (some installs lose the +x bits; a
    venv under /root is out of the service user's reach), else our own fixed-up copy, in the wheel's layout
    (the binaries find their bundled libpq through an RPATH relative to themselves)."""
    source = wheel_bin_dir()
    if not (source / "postgres").exists():
        raise EmbeddedServerError(
            f"the pgserver wheel has no PostgreSQL binaries at {source}; reinstall pgserver or set "
            "PALIMPSEST_DATABASE_URL"
        )
    if _bin_dir_usable(source, runner):
        return source
    package = source.parent.parent  # site-packages/pgserver
    own_bin = paths.own_install / package.name / source.parent.name / "bin"
    if not (_bin_dir_usable(own_bin, runner) and _starts(own_bin, paths, runner)):
        _copy_wheel(package, paths.own_install)
        if runner is not None:
            for folder, _dirs, _files in os.walk(paths.own_install):
                Path(folder).chmod(0o755)
    if not _bin_dir_usable(own_bin, runner):
        raise EmbeddedServerError(
            f"cannot make the PostgreSQL binaries executable: neither {source} nor our copy {own_bin} can be "
            "run (is the folder on a noexec mount?). Set PALIMPSEST_DATABASE_URL to use another server."
        )
    if not _starts(own_bin, paths, runner):
        probe = run_server_command([own_bin / "postgres", "--version"], paths, runner, check=False)
        raise EmbeddedServerError(
            f"our copy of the PostgreSQL binaries at {own_bin} does not run: {probe.stdout.strip()}. "
            "Set PALIMPSEST_DATABASE_URL to use another server."
        )
    return own_bin


def _starts(bin_dir: Path, paths: ServerPaths, runner: ServiceUser | None) -> bool:
    """Whether ``postgres --version`` runs: x bits alone do not prove the bundled libraries are found."""
    if not (bin_dir / "postgres").is_file():
        return False
    return run_server_command([bin_dir / "postgres", "--version"], paths, runner, check=False).returncode == 0


def _copy_wheel(package: Path, target: Path) -> None:
    """Copy the wheel's ``pginstall`` and its sibling ``*.libs`` folders into ``target``, executables +x,
    staged and renamed into place (a crash never leaves a half copy that looks whole)."""
    staging = Path(tempfile.mkdtemp(prefix=".pgwheel-", dir=target.parent))
    shutil.copytree(package / "pginstall", staging / package.name / "pginstall", symlinks=True)
    for libs in package.parent.glob(f"{package.name}*.libs"):
        shutil.copytree(libs, staging / libs.name, symlinks=True)
    for exe in (staging / package.name / "pginstall" / "bin").iterdir():
        if exe.is_file():
            exe.chmod(exe.stat().st_mode | 0o555)
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
