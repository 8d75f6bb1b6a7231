"""Parse workers die with the process that started them, however it dies.

A real process tree: a child Python process starts a real parse pool (spawned workers), then is killed with
SIGKILL, as the out-of-memory killer or a hard run termination would. Its workers are found from /proc (their
parent pid), independently of the pool's own bookkeeping, and must be gone soon after.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from palimpsest_pipeline.scrape.odds.parsing import default_parse_workers
from palimpsest_pipeline_tests.processes import alive, children_of, cmdline, pool_workers

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

#: Generous: a worker checks its parent every second; a loaded CI machine may take longer to schedule it.
GONE_WITHIN_S = 30.0

_PARENT = textwrap.dedent(
    """
    import asyncio, sys, time
    from palimpsest_pipeline.scrape.odds.parsing import PayloadParser

    parser = PayloadParser(2)
    asyncio.run(parser.warm_up())
    print("ready", flush=True)
    time.sleep(600)
    """
)


def test_parse_workers_exit_when_their_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True)
    workers: set[int] = set()
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "ready"
        workers = pool_workers(parent.pid)
        assert len(workers) == 2, {pid: cmdline(pid) for pid in children_of(parent.pid)}
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(30)
        deadline = time.monotonic() + GONE_WITHIN_S
        while {pid for pid in workers if alive(pid)} and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not {pid for pid in workers if alive(pid)}, "parse workers outlived their killed parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in workers:  # never leave them behind, even when the assertion failed
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_parse_workers_stay_while_their_parent_lives() -> None:
    """The watch must not end healthy workers: a pool used after several check periods still parses."""
    script = textwrap.dedent(
        """
        import asyncio, time
        from datetime import UTC, datetime
        from palimpsest_pipeline.records import Book
        from palimpsest_pipeline.scrape.odds.parsing import PayloadParser

        async def main():
            parser = PayloadParser(2)
            await parser.warm_up()
            time.sleep(3.5)  # three check periods
            result = await parser.parse(
                Book.BETPAWA, b'{"id": "1", "markets": []}', None,
                sr_id=1, captured_at=datetime.now(UTC), where="test",
            )
            parser.close()
            print(type(result).__name__, getattr(result, "kind", "-"))

        asyncio.run(main())
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kind, failure = done.stdout.split()
    assert kind in {"EventOdds", "ParseFailure"}, done.stdout
    assert failure != "pool_broken", done.stdout  # the workers answered: the watch left them alone


def test_a_small_capture_parses_inline_and_a_large_one_in_at_most_two_workers() -> None:
    assert [default_parse_workers(n) for n in (0, 1, 499)] == [0, 0, 0]  # a spawned worker costs more
    expected = min(2, os.cpu_count() or 1)
    assert [default_parse_workers(n) for n in (500, 30_000)] == [expected, expected]
