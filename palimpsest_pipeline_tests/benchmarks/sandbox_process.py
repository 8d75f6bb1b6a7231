"""The sandbox in a process of its own for the benchmarks that measure the pipeline's CPU apart from the
books': a free local port, the spawned server, and the wait for its health endpoint."""

from __future__ import annotations

import multiprocessing
import os
import socket
import sys
import time
from multiprocessing.process import BaseProcess

import httpx

from palimpsest_sandbox import SandboxConfig, serve

START_TIMEOUT_S = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_sandbox(config_json: str) -> None:
    """Child process: the sandbox in the foreground (its stdout is not needed)."""
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives as long as the process
    serve(SandboxConfig.model_validate_json(config_json))


def start_sandbox(config: SandboxConfig) -> BaseProcess:
    """Spawn the sandbox serving ``config`` and return once it answers its health check."""
    process = multiprocessing.get_context("spawn").Process(
        target=run_sandbox, args=(config.model_dump_json(),), name="bench-sandbox", daemon=True
    )
    process.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    health = f"http://{config.host}:{config.port}/_sandbox/health"
    while time.monotonic() < deadline:
        if not process.is_alive():
            raise RuntimeError(f"the sandbox process exited with code {process.exitcode}")
        try:
            if httpx.get(health, timeout=1.0).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"the sandbox did not answer {health} within {START_TIMEOUT_S:.0f} s")
