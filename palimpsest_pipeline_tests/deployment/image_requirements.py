"""The image's pinned runtime dependencies (``requirements-image.txt``): pyproject.toml's runtime
dependencies and everything they need on Linux CPython 3.11, at the versions installed here, each with the
sha256 of the wheel the image's pip installs for it.

The Dockerfile installs this file with ``--require-hashes`` before it copies the code, so a code change reuses
the dependency layer and a file that differs from the one hashed here fails the build. Regenerate after
changing a dependency: ``python -m palimpsest_pipeline_tests.deployment.image_requirements`` (asks the
configured package index, through pip, which file it would install on each of the image's platforms);
``--check`` (offline) exits 1 when the pins drift from pyproject.toml or a pin has no hash.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements-image.txt"
HEADER = (
    "# The image's runtime dependencies, every one pinned and hashed (Dockerfile: pip --require-hashes).\n"
    "# Generated from pyproject.toml by\n"
    "#   python -m palimpsest_pipeline_tests.deployment.image_requirements\n"
    "# at the versions the test suite ran against, with the hash of the file pip picks on linux/amd64;\n"
    "# do not edit by hand.\n"
)
#: The image's interpreter and C library (python:3.11-slim-bookworm: Debian 12, glibc 2.36).
PYTHON_VERSION = "3.11"
GLIBC_MINOR = 36
#: The image's architectures: x86_64 alone, since pgserver (a runtime dependency) publishes no Linux
#: aarch64 file, so an arm64 image could not install it whatever its hashes.
ARCHITECTURES = ("x86_64",)


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """pyproject.toml's ``[project].dependencies``."""
    project = tomllib.loads(pyproject.read_text())["project"]
    return [Requirement(text) for text in project["dependencies"]]


def requested_extras(roots: list[Requirement]) -> dict[str, set[str]]:
    """Every distribution the ``roots`` need here (markers evaluated for this interpreter), name -> the
    extras of it that something asks for (pinned with them: pip's hash-checking mode refuses ``gql[requests]``
    against a bare ``gql`` pin). Raises PackageNotFoundError naming a distribution that is not installed."""
    found: dict[str, set[str]] = {}
    pending = [(requirement, frozenset(requirement.extras)) for requirement in roots]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        requirement, extras = pending.pop()
        name = canonicalize_name(requirement.name)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        found.setdefault(name, set()).update(extras)
        for text in metadata.requires(requirement.name) or []:
            needed = Requirement(text)
            wanted = needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in ({""} | set(extras))
            )
            if wanted:
                pending.append((needed, frozenset(needed.extras)))
    return found


def closure(roots: list[Requirement]) -> dict[str, str]:
    """Every distribution the ``roots`` need here, name -> the installed version."""
    return {name: metadata.version(name) for name in requested_extras(roots)}


def pin(name: str, version: str, extras: set[str]) -> str:
    return f"{name}[{','.join(sorted(extras))}]=={version}" if extras else f"{name}=={version}"


def manylinux_platforms(architecture: str) -> list[str]:
    """The platform tags a glibc-2.36 Linux on ``architecture`` accepts, best first, as pip orders its own
    (each ``manylinux_2_N``, with its legacy alias after it)."""
    oldest = 5 if architecture == "x86_64" else 17
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    tags = []
    for minor in range(GLIBC_MINOR, oldest - 1, -1):
        tags.append(f"manylinux_2_{minor}_{architecture}")
        if minor in legacy:
            tags.append(f"{legacy[minor]}_{architecture}")
    return [*tags, f"linux_{architecture}"]


def picked_hashes(pins: dict[str, str], extras: dict[str, set[str]], architecture: str) -> dict[str, str]:
    """name -> sha256 of the wheel pip would install for each pin on the image's interpreter on
    ``architecture`` (the Dockerfile takes wheels only), from pip's own choice (``install --dry-run
    --report``) against the configured index."""
    with tempfile.TemporaryDirectory(prefix="image-requirements-") as folder:
        pinned, report = Path(folder) / "pins.txt", Path(folder) / "report.json"
        pinned.write_text("".join(pin(name, version, extras[name]) + "\n" for name, version in pins.items()))
        platforms = [option for tag in manylinux_platforms(architecture) for option in ("--platform", tag)]
        command = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps", "--quiet",
            "--only-binary=:all:", "--report", str(report), "--python-version", PYTHON_VERSION,
            "--implementation", "cp", "--abi", f"cp{PYTHON_VERSION.replace('.', '')}", *platforms,
            "-r", str(pinned),
        ]  # fmt: skip
        subprocess.run(command, check=True, cwd=folder)
        installed = json.loads(report.read_text())["install"]
    picked = {
        canonicalize_name(item["metadata"]["name"]): item["download_info"]["archive_info"]["hashes"]["sha256"]
        for item in installed
    }
    if set(picked) != set(pins):
        raise SystemExit(f"pip picked no file for {sorted(set(pins) - set(picked))} on {architecture}")
    return picked


def render(pins: dict[str, str], extras: dict[str, set[str]], hashes: dict[str, set[str]]) -> str:
    """The file: a pin per distribution, its hashes on continuation lines (pip's hash-checking form)."""
    lines = [
        pin(name, version, extras[name])
        + "".join(f" \\\n    --hash=sha256:{digest}" for digest in sorted(hashes[name]))
        + "\n"
        for name, version in sorted(pins.items())
    ]
    return HEADER + "".join(lines)


class Entry(NamedTuple):
    version: str
    extras: set[str]
    hashes: list[str]


def read_entries(path: Path = REQUIREMENTS) -> dict[str, Entry]:
    """The file's entries by name, continuation lines joined; a line that is not a pin followed by
    ``--hash=sha256:`` options is an error naming it."""
    entries: dict[str, Entry] = {}
    for line in path.read_text().replace("\\\n", " ").splitlines():
        if line.strip() and not line.startswith("#"):
            text, *options = line.split()
            requirement = Requirement(text)
            (specifier,) = requirement.specifier
            if specifier.operator != "==" or any(not o.startswith("--hash=sha256:") for o in options):
                raise ValueError(f"{path.name}: {line!r} is not a pin followed by --hash=sha256: options")
            digests = [option.removeprefix("--hash=sha256:") for option in options]
            entries[canonicalize_name(requirement.name)] = Entry(
                specifier.version, set(requirement.extras), digests
            )
    return entries


def read_pins(path: Path = REQUIREMENTS) -> dict[str, str]:
    """The file's pins, name -> version."""
    return {name: entry.version for name, entry in read_entries(path).items()}


def main(argv: list[str]) -> int:
    extras = requested_extras(runtime_requirements())
    pins = {name: metadata.version(name) for name in extras}
    if "--check" in argv:
        entries = read_entries() if REQUIREMENTS.exists() else {}
        stale = {name: (entry.version, entry.extras) for name, entry in entries.items()} != {
            name: (version, extras[name]) for name, version in pins.items()
        }
        unhashed = sorted(name for name, entry in entries.items() if not entry.hashes)
        print(f"{REQUIREMENTS.name}: {'stale, regenerate it' if stale or unhashed else 'up to date'}")
        return int(stale or bool(unhashed))
    hashes: dict[str, set[str]] = {name: set() for name in pins}
    for architecture in ARCHITECTURES:
        for name, digest in picked_hashes(pins, extras, architecture).items():
            hashes[name].add(digest)
    REQUIREMENTS.write_text(render(pins, extras, hashes))
    print(f"wrote {REQUIREMENTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
