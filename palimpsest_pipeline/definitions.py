"""The code location: every asset, check, job, schedule and sensor found in ``defs/`` by Dagster's folder
convention, with resources from the environment (tests pass their own)."""

import gc
from pathlib import Path

import dagster as dg


def build_definitions(resources: dict[str, object] | None = None) -> dg.Definitions:
    """The definitions of ``defs/`` with the given resources, or the environment's."""
    from palimpsest_pipeline.defs.resources import resources_from_env  # imported with the collector paused

    folder = dg.load_from_defs_folder(path_within_project=Path(__file__).parent)
    chosen = resources if resources is not None else resources_from_env()
    return dg.Definitions.merge(folder, dg.Definitions(resources=chosen))


# Built with the cyclic collector paused, then frozen: later collections need not walk what lives for good.
_collecting = gc.isenabled()
gc.disable()
try:
    defs = build_definitions()
finally:
    gc.collect()
    gc.freeze()
    if _collecting:
        gc.enable()

#: Every asset of the code location, for in-process runs (``dg.materialize``).
ALL_ASSETS: list[dg.AssetsDefinition] = [a for a in defs.assets or [] if isinstance(a, dg.AssetsDefinition)]
