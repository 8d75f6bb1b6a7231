"""The schema's migrations (SQL files in ``sql/migrations``, run by yoyo, each recorded in the same
transaction in yoyo's tables in schema ``core``), under the caller's migration lock. A baseline
(``-- replaces: <ids>``) builds a fresh warehouse in one step; one partly migrated applies the rest from
``replaced/``."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from yoyo import get_backend, read_migrations
from yoyo.backends import DatabaseBackend
from yoyo.migrations import Migration, get_migration_hash

from palimpsest_pipeline.warehouse.config import WAREHOUSE_DRIVER, with_driver

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "sql" / "migrations"
#: Folder, beside a baseline, of the migrations it replaces: kept for the warehouses part-way through them.
REPLACED_FOLDER = "replaced"
#: A baseline's directive naming the migrations it replaces (several lines add up, as yoyo's ``depends``).
_REPLACES = re.compile(r"^--\s*replaces\s*:(.*)$")
#: Schema holding yoyo's bookkeeping tables (pipeline-internal, invisible to analysts).
YOYO_SCHEMA = "core"


class MigrationError(RuntimeError):
    """Migrations could not be applied; the message names the migration or setting at fault."""


@dataclass(frozen=True)
class _Plan:
    """What migrating one warehouse does, in order: apply ``replaced`` (the replaced migrations a warehouse
    part-way through them still needs), record ``baseline`` applied without running it, apply ``pending``."""

    replaced: tuple[Migration, ...]
    baseline: Migration | None
    pending: tuple[Migration, ...]

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in (*self.replaced, *self.pending))


def _plan(backend: DatabaseBackend, migrations_dir: Path) -> _Plan:
    """A fresh warehouse (none of the replaced migrations applied) gets the baseline; one that applied some or
    all of them finishes them from ``replaced/`` and is marked at the baseline. One whose missing migrations
    are not there is refused before anything runs: never a schema half-way between the two."""
    pending = tuple(backend.to_apply(read_migrations(str(migrations_dir))))
    baselines = [m for m in pending if _replaced_ids(m)]
    if len(baselines) > 1:
        raise MigrationError(f"several baselines pending ({', '.join(m.id for m in baselines)}): keep one")
    if not baselines:
        return _Plan((), None, pending)
    baseline = baselines[0]
    replaced_ids = _replaced_ids(baseline)
    applied = set(backend.get_applied_migration_hashes())
    started = sorted(i for i in replaced_ids if get_migration_hash(i) in applied)
    if not started:
        return _Plan((), None, pending)
    folder = migrations_dir / REPLACED_FOLDER
    replaced = tuple(backend.to_apply(read_migrations(str(folder)))) if folder.is_dir() else ()
    if missing := sorted(replaced_ids - set(started) - {m.id for m in replaced}):
        raise MigrationError(
            f"this warehouse applied {len(started)} of the {len(replaced_ids)} migrations {baseline.id} "
            f"replaces (the last {started[-1]}); it needs {', '.join(missing)}, which {folder} lacks: "
            "restore that folder from the release's source, then migrate again (nothing was applied)"
        )
    return _Plan(replaced, baseline, tuple(m for m in pending if m is not baseline))


def _replaced_ids(migration: Migration) -> frozenset[str]:
    """The ids a migration's leading comment declares it replaces (``-- replaces: 0001_core ...``)."""
    ids: list[str] = []
    for line in Path(migration.path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("--"):
            break
        if found := _REPLACES.match(line.strip()):
            ids += found.group(1).split()
    return frozenset(ids)


def apply_migrations(url: str, migrations_dir: Path) -> tuple[str, ...]:
    """Apply what ``_plan`` finds ``url`` needs; the ids applied, in order."""
    backend = get_backend(_yoyo_url(url))
    try:
        plan = _plan(backend, migrations_dir)
        for migration in plan.replaced:
            _apply_one(backend, migration, plan.ids)
        if plan.baseline is not None:
            backend.mark_migrations([plan.baseline])
            log.info("marked %s applied: the warehouse holds every migration it replaces", plan.baseline.id)
        for migration in plan.pending:
            _apply_one(backend, migration, plan.ids)
        if plan.ids:
            log.info("applied migrations %s", ", ".join(plan.ids))
        return plan.ids
    finally:
        backend.connection.close()


def _apply_one(backend: DatabaseBackend, migration: Migration, pending: tuple[str, ...]) -> None:
    """Apply ``migration`` and record it in one transaction: yoyo's own ``apply_one`` commits the migration
    before recording it, and a crash between the two would have the next migrate run it again."""
    try:
        migration.load()
        if not migration.use_transactions:  # declared "-- transactional: false": yoyo's way, step by step
            backend.apply_one(migration)
            return
        with backend.transaction():
            migration.process_steps(backend, "apply")
            backend.log_migration(migration, "apply")
            backend.mark_one(migration, log=False)
    except backend.DatabaseError as err:
        raise MigrationError(
            f"migration {migration.id} failed ({', '.join(pending)} pending): {err}"
        ) from err


def _yoyo_url(url: str) -> str:
    """yoyo wants ``postgresql+psycopg://`` for psycopg 3; ``schema`` = search_path its tables live in."""
    parsed = make_url(with_driver(url, WAREHOUSE_DRIVER))
    return parsed.update_query_dict({"schema": YOYO_SCHEMA}).render_as_string(hide_password=False)
