"""The sandbox as a child process (``python -m palimpsest_sandbox``), which the pipeline never imports: it
announces its URLs as one JSON line once it listens and stops when its standard input closes, so it never
outlives this process; its memory and CPU are its own, as a real book's are."""

from __future__ import annotations

import contextlib
import json
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from palimpsest_pipeline.records import Book

SANDBOX_MODULE = "palimpsest_sandbox"
START_TIMEOUT_S = 120.0


class SandboxStartError(RuntimeError):
    """The sandbox did not start, or announced what cannot be read."""


@dataclass
class SandboxProcess:
    process: subprocess.Popen[bytes]
    url: str
    base_urls: dict[Book, str]
    #: Each country edition's base URL on the sandbox, by (book, site country).
    edition_urls: dict[tuple[Book, str], str] = field(default_factory=dict)

    def advance_clock(self, seconds: float) -> datetime:
        """Move the sandbox's simulated clock on by ``seconds`` (it keeps running from there); its new now."""
        import httpx

        answer = httpx.post(f"{self.url}/_sandbox/clock", json={"advance_s": seconds}, timeout=30.0)
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"])

    def set_clock(self, at: datetime, *, frozen: bool) -> datetime:
        """Set the sandbox's simulated clock to ``at``, standing still there or running on; its new now."""
        import httpx

        body = {"at": at.isoformat(), "frozen": frozen}
        answer = httpx.post(f"{self.url}/_sandbox/clock", json=body, timeout=30.0)
        answer.raise_for_status()
        return datetime.fromisoformat(answer.json()["now"])

    def stop(self) -> None:
        """Close its standard input (it stops on that) and wait; terminate, then kill, if it does not."""
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        for ending in (None, self.process.terminate, self.process.kill):
            if ending is not None and self.process.poll() is None:
                ending()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(10.0)
                return


def sandbox_command(*args: str) -> list[str]:
    return [sys.executable, "-m", SANDBOX_MODULE, *args]


def start_sandbox_process(*, seed: int, size: int, port: int = 0, host: str = "127.0.0.1") -> SandboxProcess:
    """Start the sandbox (``port`` 0: any free one), listening once this returns; its standard error goes to a
    log file, named in any error."""
    log = Path(tempfile.mkstemp(prefix="palimpsest-sandbox-", suffix=".log")[1])
    args = ["--host", host, "--port", str(port), "--seed", str(seed), "--size", str(size)]
    with log.open("wb") as err:
        process = subprocess.Popen(
            sandbox_command(*args, "--json-line", "--stop-on-eof"),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            start_new_session=True,  # a terminal's Ctrl-C reaches this process, which stops the sandbox
        )
    assert process.stdout is not None
    try:
        line = _first_line(process, process.stdout, log)
        url, urls = read_announcement(line)
        editions = read_edition_urls(line)
    except SandboxStartError:
        SandboxProcess(process, "", {}).stop()
        raise
    # nothing else is expected on its standard output; whatever comes goes to the log, never blocking it
    threading.Thread(
        target=_copy_rest, args=(process.stdout, log), name="sandbox:stdout", daemon=True
    ).start()
    return SandboxProcess(process, url, urls, editions)


def sandbox_base_urls(port: int, host: str = "127.0.0.1") -> dict[Book, str]:
    """Each book's base URL on a sandbox listening on ``host:port``, as the sandbox itself names them."""
    done = subprocess.run(
        sandbox_command("--host", host, "--port", str(port), "--print-urls"), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise SandboxStartError(
            f"{SANDBOX_MODULE} could not name its URLs (exit {done.returncode}): "
            + done.stderr.decode(errors="replace").strip()[-500:]
        )
    return read_announcement(done.stdout)[1]


def sandbox_edition_urls(port: int, host: str = "127.0.0.1") -> dict[tuple[Book, str], str]:
    """Each country edition's base URL on a sandbox listening on ``host:port``, by (book, country), as the
    sandbox itself names them."""
    done = subprocess.run(
        sandbox_command("--host", host, "--port", str(port), "--print-urls"), capture_output=True, check=False
    )
    if done.returncode != 0:
        raise SandboxStartError(
            f"{SANDBOX_MODULE} could not name its URLs (exit {done.returncode}): "
            + done.stderr.decode(errors="replace").strip()[-500:]
        )
    return read_edition_urls(done.stdout)


def read_announcement(line: bytes) -> tuple[str, dict[Book, str]]:
    """The sandbox's URL and each book's base URL from its JSON announcement, or an error naming it."""
    try:
        found: Any = json.loads(line)
        url = found["url"]
        named = found["base_urls"]
        if not isinstance(url, str) or not isinstance(named, dict):
            raise TypeError("url must be a string and base_urls an object")
        urls = {Book(book): base for book, base in named.items()}
        if not all(isinstance(base, str) for base in urls.values()):
            raise TypeError("every base URL must be a string")
    except (ValueError, KeyError, TypeError) as error:
        raise SandboxStartError(f"unreadable sandbox announcement {line[:300]!r}: {error}") from None
    return url, urls


def read_edition_urls(line: bytes) -> dict[tuple[Book, str], str]:
    """Each country edition's base URL from the sandbox's announcement, or an error naming it."""
    try:
        named: Any = json.loads(line)["edition_urls"]
        urls: dict[tuple[Book, str], str] = {}
        for name, countries in named.items():
            book = Book(name)
            urls.update(((book, country), url) for country, url in countries.items())
        if not all(isinstance(url, str) and isinstance(country, str) for (_, country), url in urls.items()):
            raise TypeError("every edition URL must be a string under a country code")
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise SandboxStartError(f"unreadable sandbox edition URLs in {line[:300]!r}: {error}") from None
    return urls


def _first_line(process: subprocess.Popen[bytes], out: IO[bytes], log: Path) -> bytes:
    """The child's first line on standard output, unless it exits or ``START_TIMEOUT_S`` passes first."""
    deadline = time.monotonic() + START_TIMEOUT_S
    with selectors.DefaultSelector() as selector:
        selector.register(out, selectors.EVENT_READ)
        while (left := deadline - time.monotonic()) > 0:
            if selector.select(left):
                line = out.readline()
                if line:
                    return line
                process.wait()
                tail = log.read_text(errors="replace").strip()[-1000:] or "no output"
                raise SandboxStartError(
                    f"the sandbox exited with code {process.returncode}: {tail} (its log: {log})"
                )
    raise SandboxStartError(f"the sandbox announced no URL within {START_TIMEOUT_S:.0f} s; its log: {log}")


def _copy_rest(out: IO[bytes], log: Path) -> None:
    with log.open("ab") as sink:
        shutil.copyfileobj(out, sink)
