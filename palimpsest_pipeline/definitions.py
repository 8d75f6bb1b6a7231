"""The code location: every asset, check, job, schedule and sensor found in ``defs/`` by Dagster's folder
convention, with resources from the environment (tests pass their own)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg


def build_definitions(resources: dict[str, object] | None = None) -> dg.Definitions:
    """The definitions of ``defs/`` with the given resources, or the environment's."""
    from palimpsest_pipeline.defs.resources import resources_from_env  # imported under _collector_paused

    folder = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    chosen = resources if resources is not None else resources_from_env()
    return dg.Definitions.merge(folder, dg.Definitions(resources=chosen))


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Builds the definitions with the cyclic collector paused. Each collection while importing the defs
    modules walked every object Dagster had made before, and all of them live as long as the process.
    Nothing is frozen afterwards: CPython starts a full collection when the objects made since the last one
    exceed a quarter of the unfrozen long-lived ones, so a frozen heap makes a run's full collections more
    frequent."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


with _collector_paused():
    defs = build_definitions()

#: Every asset of the code location, for in-process runs (``dg.materialize``).
ALL_ASSETS: list[dg.AssetsDefinition] = [a for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition)]
