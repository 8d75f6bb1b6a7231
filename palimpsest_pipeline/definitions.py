"""The code location: every asset, check, job, schedule and sensor found in ``defs/`` by Dagster's folder
convention, with resources from the environment (tests pass their own)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg


def build_definitions(resources: dict[str, object] | None = None) -> dg.Definitions:
    """The definitions of ``defs/`` with the given resources, or the environment's."""
    from palimpsest_pipeline.defs.resources import resources_from_env  # imported under _kept_for_life

    folder = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    chosen = resources if resources is not None else resources_from_env()
    return dg.Definitions.merge(folder, dg.Definitions(resources=chosen))


@contextmanager
def _kept_for_life() -> Iterator[None]:
    """Builds what the process keeps until it exits (the defs modules, the definitions) with the cyclic
    collector paused, then moves every object so far out of its reach (``gc.freeze``): otherwise each
    collection while importing, and each full one for the rest of a code server's, run's or step's life,
    walks every object Dagster and the definitions made. One collection first frees the start-up's garbage."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.freeze()
        if enabled:
            gc.enable()


with _kept_for_life():
    defs = build_definitions()

#: Every asset of the code location, for in-process runs (``dg.materialize``).
ALL_ASSETS: list[dg.AssetsDefinition] = [a for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition)]
