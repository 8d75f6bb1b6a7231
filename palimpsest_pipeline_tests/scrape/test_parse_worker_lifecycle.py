"""A parse worker's start and end: no copy of the parent's main script in it, no interpreter teardown, its
output flushed, and a killed worker failing exactly the payloads it held.

Real processes: a parent script run as a file (so that ``spawn`` would hand its path to the workers), real
spawned workers, and a real SIGKILL; what the workers did is read from files they wrote and from /proc.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import os
import signal
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest

from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parse_worker import WorkerContext, init_parse_worker
from palimpsest_pipeline.scrape.odds.parsing import ParseFailure, PayloadParser, parse_body
from palimpsest_pipeline_tests.processes import pool_workers

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")

_MAIN_SCRIPT = textwrap.dedent(
    """
    import asyncio, os, sys
    from datetime import UTC, datetime

    with open(sys.argv[1], "a") as ran:  # every process that runs this file's top level says so
        ran.write(f"{os.getpid()}\\n")

    if __name__ == "__main__":
        from palimpsest_pipeline.records import Book
        from palimpsest_pipeline.scrape.odds.parsing import PayloadParser

        async def main():
            parser = PayloadParser(2)
            await parser.warm_up()
            result = await parser.parse(
                Book.BETPAWA, b'{"id": "1", "markets": []}', None,
                sr_id=1, captured_at=datetime.now(UTC), where="test",
            )
            parser.close()
            print(os.getpid(), type(result).__name__, getattr(result, "kind", "-"))

        asyncio.run(main())
    """
)


def test_workers_do_not_run_the_parents_main_script(tmp_path: Path) -> None:
    script, ran = tmp_path / "parent_main.py", tmp_path / "ran.txt"
    script.write_text(_MAIN_SCRIPT)
    parent = subprocess.run(
        [sys.executable, str(script), str(ran)], capture_output=True, text=True, timeout=120
    )
    assert parent.returncode == 0, parent.stderr
    parent_pid, _kind, failure = parent.stdout.split()
    assert failure != "pool_broken", parent.stdout  # the workers parsed
    # Only the parent ran the script; spawn's default would have run its top level in both workers too.
    assert ran.read_text().split() == [parent_pid]


_PROBE_MODULE = textwrap.dedent(
    """
    import os, sys

    class Marker:
        path = None

        def __del__(self, open=open):  # runs when the teardown frees the module (builtins gone by then)
            if Marker.path is not None:
                with open(Marker.path, "a") as out:
                    out.write("torn down\\n")

    KEPT = Marker()

    def arm(path):
        Marker.path = path
        sys.stdout.write("written by the worker\\n")  # not flushed: stdout is a pipe, hence block-buffered
        return os.getpid()
    """
)


def _unbuffered_env_removed() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def test_a_worker_ends_without_the_interpreters_teardown_and_flushes_its_output(tmp_path: Path) -> None:
    (tmp_path / "teardown_probe.py").write_text(_PROBE_MODULE)
    plain, in_worker = tmp_path / "plain.txt", tmp_path / "worker.txt"
    # The probe can see a teardown: a plain interpreter that imports it writes the marker at exit.
    control = subprocess.run(
        [sys.executable, "-c", f"import teardown_probe; teardown_probe.arm({str(plain)!r})"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=_unbuffered_env_removed(),
    )
    assert control.returncode == 0, control.stderr
    assert plain.read_text() == "torn down\n"
    assert control.stdout == "written by the worker\n"
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(tmp_path)!r})
        from concurrent.futures import ProcessPoolExecutor
        from palimpsest_pipeline.scrape.odds.parse_worker import WorkerContext, init_parse_worker
        import teardown_probe

        pool = ProcessPoolExecutor(1, mp_context=WorkerContext(), initializer=init_parse_worker,
                                   initargs=(0, os.getpid()))
        worker = pool.submit(teardown_probe.arm, {str(in_worker)!r}).result()
        pool.shutdown(wait=True)
        print("worker", worker, "stopped", flush=True)
        """
    )
    parent = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env=_unbuffered_env_removed(),
    )
    assert parent.returncode == 0, parent.stderr
    assert "written by the worker\n" in parent.stdout  # flushed before the worker ended
    assert parent.stdout.rstrip().endswith("stopped")
    assert not in_worker.exists()  # the worker's module was never torn down


def test_a_killed_worker_fails_exactly_the_payloads_it_held() -> None:
    """A stopped worker holds every payload sent to it (it can parse none); killed, each of those three comes
    back as a ``pool_broken`` failure, none lost and none raised."""

    async def run() -> list[object]:
        before = pool_workers(os.getpid())
        parser = PayloadParser(1)
        try:
            await parser.warm_up()
            (worker,) = pool_workers(os.getpid()) - before
            os.kill(worker, signal.SIGSTOP)
            pending = [
                asyncio.ensure_future(
                    parser.parse(
                        Book.BETPAWA,
                        b'{"id": "%d", "markets": []}' % n,
                        None,
                        sr_id=n,
                        captured_at=datetime.now(UTC),
                        where="test",
                    )
                )
                for n in range(3)
            ]
            await asyncio.sleep(0)  # each parse handed to the pool
            assert parser.backlog > 0
            os.kill(worker, signal.SIGKILL)
            results = await asyncio.gather(*pending)
            assert parser.backlog == 0
            return list(results)
        finally:
            parser.close()

    results = asyncio.run(run())
    assert [(type(r), getattr(r, "kind", None)) for r in results] == [(ParseFailure, "pool_broken")] * 3


def test_a_worker_started_from_a_pool_parses_with_the_parents_import_path(tmp_path: Path) -> None:
    """Without the main script, a worker still imports what its parent can (``spawn`` hands it sys.path)."""
    (tmp_path / "only_on_the_parents_path.py").write_text("def answer():\n    return 42\n")
    sys.path.insert(0, str(tmp_path))
    try:
        answer = importlib.import_module("only_on_the_parents_path").answer
        with ProcessPoolExecutor(
            1, mp_context=WorkerContext(), initializer=init_parse_worker, initargs=(0, os.getpid())
        ) as pool:
            assert pool.submit(answer).result(timeout=60) == 42
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("only_on_the_parents_path", None)


def _loaded_modules() -> list[str]:
    """What the process running it has imported (run in a worker)."""
    return sorted(sys.modules)


def test_a_worker_parses_every_envelope_without_loading_the_http_client() -> None:
    """The workers' start-up is their imports: the books' kits with their parsers, and the envelopes, not the
    HTTP client, its settings or the adapters the kits load on first use (this module, which the worker
    loads to list its modules, imports none of them either)."""
    from palimpsest_pipeline.books.kits import KITS
    from palimpsest_pipeline.books.settings import default_settings

    unwrapped = (Book.SPORTYBET, Book.BET9JA, Book.MSPORT)
    with ProcessPoolExecutor(
        1, mp_context=WorkerContext(), initializer=init_parse_worker, initargs=(0, os.getpid())
    ) as pool:
        for book in unwrapped:
            unwrap = KITS[book].adapter().wire(default_settings(book)).unwrap
            call = functools.partial(
                parse_body, book, b"{}", sr_id=1, captured_at=datetime.now(UTC), unwrap=unwrap, where="test"
            )
            result = pool.submit(call).result(timeout=60)
            # An empty object is no envelope: each book's own unwrap ran, in the worker, and said so.
            assert isinstance(result, ParseFailure), result
            assert result.kind == "envelope_malformed", result
        loaded = set(pool.submit(_loaded_modules).result(timeout=60))
    assert {f"palimpsest_pipeline.books.{book.value}.catalogue" for book in unwrapped} <= loaded
    heavy = {"httpx", "pydantic", "palimpsest_pipeline.books.http", "palimpsest_pipeline.books.settings"}
    assert not heavy & loaded
    assert "palimpsest_pipeline.books.kits" in loaded
    adapters = {
        f"palimpsest_pipeline.books.{book.value}.{part}" for book in Book for part in ("catalogue", "live")
    }
    assert adapters & loaded == {f"palimpsest_pipeline.books.{book.value}.catalogue" for book in unwrapped}
