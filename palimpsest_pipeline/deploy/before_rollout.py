"""The deploy step a cluster runs before the daemon rolls out (helm/values.yaml's hook Job):
``python -m palimpsest_pipeline.deploy.before_rollout``.

It migrates the warehouse (``PALIMPSEST_DATABASE_URL``) and writes the pool limits of the countries
``PALIMPSEST_COUNTRIES`` runs into Dagster's instance (``PALIMPSEST_DAGSTER_STORAGE_URL``, through this
package's dagster.yaml), keeping any limit an operator set by hand. Idempotent: every upgrade runs it again.
Exits 2, naming the variable, when a database URL is missing: it never falls back to an embedded server.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

from palimpsest_pipeline.deploy.pools import apply_pool_limits, pool_limits
from palimpsest_pipeline.warehouse.config import DATABASE_URL_VAR, redacted_url
from palimpsest_pipeline.warehouse.migrate import migrate

#: The variable the instance's dagster.yaml reads its storage from.
STORAGE_URL_VAR = "PALIMPSEST_DAGSTER_STORAGE_URL"


def missing_variables(env: Mapping[str, str]) -> list[str]:
    """The database URLs the step needs and ``env`` lacks."""
    return [name for name in (DATABASE_URL_VAR, STORAGE_URL_VAR) if not env.get(name, "").strip()]


def write_pool_limits(env: Mapping[str, str]) -> dict[str, int]:
    """The pool limits of ``env``'s countries, written into the instance its storage URL names; returns
    those written (none when every pool was already set)."""
    from dagster import DagsterInstance

    with tempfile.TemporaryDirectory(prefix="dagster_home_") as home:
        shipped = files("palimpsest_pipeline.deploy").joinpath("dagster.yaml")
        with shipped.open("rb") as src, (Path(home) / "dagster.yaml").open("wb") as dst:
            shutil.copyfileobj(src, dst)
        with DagsterInstance.from_config(home) as instance:
            return apply_pool_limits(instance, pool_limits(env))


def main(env: Mapping[str, str] = os.environ) -> int:
    missing = missing_variables(env)
    if missing:
        print(f"before_rollout: set {', '.join(missing)} (from Secret palimpsest-secrets)", file=sys.stderr)
        return 2
    report = migrate(env[DATABASE_URL_VAR], env=env)
    print(f"migrated {redacted_url(env[DATABASE_URL_VAR])}: {len(report.applied)} migration(s) applied")
    written = write_pool_limits(env)
    kept = sorted(set(pool_limits(env)) - set(written))
    print(f"pool limits written: {written or 'none'}; already set, kept: {kept or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
