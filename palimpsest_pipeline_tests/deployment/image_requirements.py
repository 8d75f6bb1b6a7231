"""The image's pinned runtime dependencies (``requirements-image.txt``): pyproject.toml's runtime
dependencies and everything they need on Linux CPython 3.11, at the versions installed here.

The Dockerfile installs this file before it copies the code, so a code change reuses the dependency layer.
Regenerate after changing a dependency: ``python -m palimpsest_pipeline_tests.deployment.image_requirements``
(``--check`` exits 1 when the file is stale); test_image.py fails when it drifts from pyproject.toml.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements-image.txt"
HEADER = (
    "# The image's runtime dependencies, every one pinned (Dockerfile). Generated from pyproject.toml by\n"
    "#   python -m palimpsest_pipeline_tests.deployment.image_requirements\n"
    "# at the versions the test suite ran against; do not edit by hand.\n"
)


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[Requirement]:
    """pyproject.toml's ``[project].dependencies``."""
    project = tomllib.loads(pyproject.read_text())["project"]
    return [Requirement(text) for text in project["dependencies"]]


def closure(roots: list[Requirement]) -> dict[str, str]:
    """Every distribution the ``roots`` need here (markers evaluated for this interpreter), name -> the
    installed version. Raises PackageNotFoundError naming a distribution that is not installed."""
    found: dict[str, str] = {}
    seen: set[tuple[str, frozenset[str]]] = set()
    pending = [(requirement, frozenset(requirement.extras)) for requirement in roots]
    while pending:
        requirement, extras = pending.pop()
        name = canonicalize_name(requirement.name)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        found[name] = metadata.version(requirement.name)
        for text in metadata.requires(requirement.name) or []:
            needed = Requirement(text)
            wanted = needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in ({""} | set(extras))
            )
            if wanted:
                pending.append((needed, frozenset(needed.extras)))
    return found


def render(pins: dict[str, str]) -> str:
    return HEADER + "".join(f"{name}=={version}\n" for name, version in sorted(pins.items()))


def read_pins(path: Path = REQUIREMENTS) -> dict[str, str]:
    """The file's pins, name -> version."""
    pins: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version.strip()
    return pins


def main(argv: list[str]) -> int:
    text = render(closure(runtime_requirements()))
    if "--check" in argv:
        stale = not REQUIREMENTS.exists() or REQUIREMENTS.read_text() != text
        print(f"{REQUIREMENTS.name}: {'stale, regenerate it' if stale else 'up to date'}")
        return int(stale)
    REQUIREMENTS.write_text(text)
    print(f"wrote {REQUIREMENTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
