"""The deploy step a cluster's hook Job runs before the daemon rolls out
(``python -m palimpsest_pipeline.deploy.before_rollout``): migrate the warehouse, write the pool limits,
keeping any set by hand. Exits 2, naming the variable, when a database URL is missing (never embedded)."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path

from palimpsest_pipeline.deploy.pools import apply_pool_limits, pool_limits
from palimpsest_pipeline.settings import SettingsLoadError, load_settings, variable
from palimpsest_pipeline.warehouse.config import redacted_url
from palimpsest_pipeline.warehouse.migrate import migrate

#: The settings naming the two databases the step writes: the warehouse and Dagster's instance storage.
NEEDED = ("database_url", "dagster_storage_url")


def main(env: Mapping[str, str] | None = None) -> int:
    """Migrate, then write the pool limits; ``env`` stands for the process environment (tests)."""
    try:
        settings = load_settings(env)
    except SettingsLoadError as error:
        print(f"before_rollout: {error}", file=sys.stderr)
        return 2
    missing = [variable(field) for field in NEEDED if getattr(settings, field) is None]
    if missing:
        print(f"before_rollout: set {', '.join(missing)} (from Secret palimpsest-secrets)", file=sys.stderr)
        return 2
    assert settings.database_url is not None
    url = settings.database_url.get_secret_value()
    password = settings.analyst_password.get_secret_value() if settings.analyst_password else None
    report = migrate(url, password=password)
    print(f"migrated {redacted_url(url)}: {len(report.applied)} migration(s) applied")
    from dagster import DagsterInstance

    # the instance the storage URL names (the shipped dagster.yaml reads it); pools set already are kept
    with tempfile.TemporaryDirectory(prefix="dagster_home_") as home:
        shipped = files("palimpsest_pipeline.deploy").joinpath("dagster.yaml")
        (Path(home) / "dagster.yaml").write_bytes(shipped.read_bytes())
        with DagsterInstance.from_config(home) as instance:
            written = apply_pool_limits(instance, pool_limits(env))
    kept = sorted(set(pool_limits(env)) - set(written))
    print(f"pool limits written: {written or 'none'}; already set, kept: {kept or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
