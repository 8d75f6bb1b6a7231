"""Pool slots as Dagster's executor claims them on the shipped instance (granularity ``op``, Postgres
storage): an op that declares a pool claims one of its slots as it starts, and waits for a free one inside its
run.

- Runs in processes of their own, each a stand-in for a product op (its name, the pool the product declares
  for it; ``pool_holder.py``): one country's captures hold ``odds_capture_<cc>`` one after another, one book
  edition's catalogue op runs one at a time, and the ops of other pools (another country's capture, the
  country's catalogue, another edition's) run meanwhile, not held back.

Spans and waits come from the runs' own events (pool_spans.py) and from files the ops write: the test waits on
events, never on the clock (a deadline only ends a wait that would hang).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import dagster as dg
import pytest

from palimpsest_pipeline.defs.catalogue.assets import catalogue_asset
from palimpsest_pipeline.defs.odds.assets import odds_asset
from palimpsest_pipeline.deploy.pools import apply_pool_limits, pool_limits
from palimpsest_pipeline.records import Book
from palimpsest_pipeline_tests.deployment.pool_holder import HOLDER_TAG
from palimpsest_pipeline_tests.deployment.pool_spans import blocked_steps, held_at_once, step_spans

pytestmark = pytest.mark.slow

#: The product's ops the stand-ins play and the pool each must declare (dagster.yaml's comments: one pool per
#: book edition's catalogue op, one per country's capture).
PRODUCT_POOLS = {
    "ng__odds_snapshots": "odds_capture_ng",
    "gh__odds_snapshots": "odds_capture_gh",
    "ng__betpawa_catalogue": "book_betpawa_ng",
    "ng__bet9ja_catalogue": "book_bet9ja_ng",
    "gh__betpawa_catalogue": "book_betpawa_gh",
}
#: Ends a wait that would hang (a child that never starts): no figure of the test depends on it.
HANG_S = 120.0


def _product_ops() -> dict[str, dg.OpDefinition]:
    """The ops the product builds for Nigeria and Ghana (the factories the location calls per country)."""
    assets = [
        odds_asset("ng"),
        odds_asset("gh"),
        catalogue_asset(Book.BETPAWA, "ng"),
        catalogue_asset(Book.BET9JA, "ng"),
        catalogue_asset(Book.BETPAWA, "gh"),
    ]
    return {asset.op.name: asset.op for asset in assets}


def test_the_product_declares_each_ops_pool() -> None:
    assert {name: op.pool for name, op in _product_ops().items()} == PRODUCT_POOLS


# ------------------------------------------------------------------------- runs in processes of their own


class Holders:
    """Stand-in runs (pool_holder.py) started by the test, each named; killed at the end if still running."""

    def __init__(self, instance: dg.DagsterInstance, home: Path, folder: Path, pools: dict[str, str]) -> None:
        self.instance, self.folder, self.pools = instance, folder, pools
        self.env = {**os.environ, "DAGSTER_HOME": str(home)}  # the shipped dagster.yaml, the test's storage
        self.children: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}

    def start(self, name: str, op_name: str, *, released: bool = False) -> None:
        if released:
            self.release(name)
        script = Path(__file__).with_name("pool_holder.py")
        command = [sys.executable, str(script), name, op_name, self.pools[op_name], str(self.folder)]
        with (self.folder / f"{name}.log").open("wb") as log:  # Dagster's console log of the run
            child = subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.children[name] = (op_name, child)

    def release(self, name: str) -> None:
        (self.folder / f"{name}.release").write_text("release")

    def entered(self, name: str) -> bool:
        return (self.folder / f"{name}.entered").exists()

    def exited(self, name: str) -> int | None:
        return self.children[name][1].poll()

    def run(self, name: str) -> dg.DagsterRun | None:
        runs = self.instance.get_runs(dg.RunsFilter(tags={HOLDER_TAG: name}))
        return runs[0] if runs else None

    def blocked(self, name: str) -> bool:
        """Whether Dagster's executor has held the named run's op back for want of its pool's slot."""
        op_name = self.children[name][0]
        run = self.run(name)
        return run is not None and bool(blocked_steps(self.instance, run.run_id, self.pools[op_name]))

    def ended_or_blocked(self, name: str) -> bool:
        return self.exited(name) == 0 or self.blocked(name)

    def wait(self, what: str, condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + HANG_S
        while not condition():
            dead = [n for n in self.children if self.exited(n) not in (None, 0)]
            assert not dead, f"waiting for {what}: {self.diagnostics(dead)}"
            assert time.monotonic() < deadline, f"still waiting for {what}: {self.diagnostics(self.children)}"
            time.sleep(0.05)

    def diagnostics(self, names: Iterable[str]) -> str:
        lines = []
        for name in names:
            op_name, child = self.children[name]
            log = (self.folder / f"{name}.log").read_text(errors="replace")[-2000:]
            lines.append(f"--- {name} ({op_name}) exit {child.poll()}\n{log}")
        return "\n".join(lines)

    def stop(self) -> None:
        for _, child in self.children.values():
            if child.poll() is None:
                child.kill()
            child.wait(30)


@pytest.fixture
def holders(deploy_instance: dg.DagsterInstance, dagster_home: Path, tmp_path: Path) -> Iterator[Holders]:
    # what a deployment step does before any run: every pool of Nigeria and Ghana at one slot
    apply_pool_limits(deploy_instance, pool_limits({"PALIMPSEST_COUNTRIES": "ng,gh"}))
    pools = {name: str(op.pool) for name, op in _product_ops().items()}
    made = Holders(deploy_instance, dagster_home, tmp_path, pools)
    try:
        yield made
    finally:
        made.stop()


#: (the op two runs play, the ops of other pools that run while the first holds its pool)
CASES = [
    ("ng__odds_snapshots", ["gh__odds_snapshots", "ng__betpawa_catalogue"]),
    ("ng__betpawa_catalogue", ["ng__bet9ja_catalogue", "gh__betpawa_catalogue"]),
]


@pytest.mark.drill
@pytest.mark.parametrize(("held", "others"), CASES)
def test_a_pool_serves_one_op_at_a_time_and_holds_back_no_other_pool(
    holders: Holders, deploy_instance: dg.DagsterInstance, held: str, others: list[str]
) -> None:
    holders.start("first", held)
    holders.wait("the first run's op to hold its pool", lambda: holders.entered("first"))
    holders.start("second", held)
    holders.wait(
        "the second run's op to claim the pool",
        lambda: holders.blocked("second") or holders.entered("second"),
    )
    assert not holders.entered("second"), "two runs' ops held a one-slot pool at once"
    names = [f"other_{n}" for n in range(len(others))]
    for name, op_name in zip(names, others, strict=True):
        holders.start(name, op_name, released=True)
    for name in names:
        holders.wait(f"{name} to end or wait", functools.partial(holders.ended_or_blocked, name))
        assert not holders.blocked(name), f"{name} was held back by another pool's holder"
    assert not holders.entered("second") and holders.exited("first") is None  # the first still holds
    holders.release("first")
    holders.wait("the second run's op to take the freed slot", lambda: holders.entered("second"))
    holders.release("second")
    holders.wait("every run to end", lambda: all(holders.exited(n) == 0 for n in holders.children))

    runs = {name: holders.run(name) for name in holders.children}
    assert {name: run and run.status for name, run in runs.items()} == dict.fromkeys(
        runs, dg.DagsterRunStatus.SUCCESS
    )
    first, second = runs["first"], runs["second"]
    assert first is not None and second is not None
    spans = step_spans(deploy_instance, held)
    assert len(spans) == 2 and not held_at_once(spans), spans
    pool = holders.pools[held]
    assert blocked_steps(deploy_instance, second.run_id, pool) == [held]  # it waited inside its run
    assert blocked_steps(deploy_instance, first.run_id, pool) == []
    holding = spans[0]  # the first run's: it held the pool before the second started
    for op_name in others:  # each other op started and ended while the first held its pool
        ((start, end),) = step_spans(deploy_instance, op_name)
        assert holding[0] < start and end < holding[1], (op_name, (start, end), holding)
