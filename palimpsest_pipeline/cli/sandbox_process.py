"""The demo's sandbox in a process of its own (``palimpsest sandbox --port 0``), not a thread of the pipeline.

Why: the simulated books hold their world and a cache of rendered event bodies (up to ``cache_mb``, 1 GB by
default). In a thread of the demo's process that memory, and the sandbox's CPU under the GIL, counted as the
pipeline's: the demo's largest process peaked near 3 GB, a third of it the sandbox's. Beside the pipeline,
each process's memory is its own, as it is against real books.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from palimpsest_pipeline.records import Book

START_TIMEOUT_S = 120.0
_CONTROL = re.compile(r"^control\s+http://(?P<host>[^:/]+):(?P<port>\d+)/", re.MULTILINE)


@dataclass
class SandboxProcess:
    process: subprocess.Popen[bytes]
    host: str
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_urls(self) -> dict[Book, str]:
        from palimpsest_pipeline.sandbox.server import base_urls

        return base_urls(self.host, self.port)

    def advance_clock(self, seconds: float) -> datetime:
        """Move the sandbox's simulated clock on by ``seconds`` (it keeps running from there); its new now."""
        import httpx

        answer = httpx.post(f"{self.url}/_sandbox/clock", json={"advance_s": seconds}, timeout=30.0)
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_sandbox_process(*, seed: int, size: int) -> SandboxProcess:
    """Start the sandbox on a free loopback port; returns once it prints its URLs (it listens by then)."""
    log = Path(tempfile.mkstemp(prefix="palimpsest-sandbox-", suffix=".log")[1])
    command = [sys.executable, "-m", "palimpsest_pipeline.cli", "sandbox", "--port", "0"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--seed", str(seed), "--size", str(size)], stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        found = _CONTROL.search(log.read_text(errors="replace"))
        if found:
            return SandboxProcess(process, found["host"], int(found["port"]), log)
        if process.poll() is not None:
            raise RuntimeError(f"the sandbox exited with code {process.returncode}; its output: {log}")
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"the sandbox printed no URL within {START_TIMEOUT_S:.0f} s; its output: {log}")
