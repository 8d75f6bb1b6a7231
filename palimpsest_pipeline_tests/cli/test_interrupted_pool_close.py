"""A Ctrl-C landing while SQLAlchemy closes a connection prints no traceback; other close errors still do."""

from __future__ import annotations

import subprocess
import sys

#: Run in a fresh interpreter, where logging is as the CLI has it (pytest would capture the pool's log).
_CLOSE_ONE_POOLED_CONNECTION = """
import sys
import dagster as dg
from sqlalchemy.pool import QueuePool
from palimpsest_pipeline.cli.running import interrupts_not_logged_as_pool_errors

class Connection:
    def close(self):
        raise {error}

    def rollback(self):
        pass

pool = QueuePool(Connection, pool_size=1)
pool.connect().close()  # back into the pool
try:
    with interrupts_not_logged_as_pool_errors():
        pool.dispose()  # closes it: SQLAlchemy logs the failure, then re-raises what is not an Exception
except dg.DagsterExecutionInterruptedError:
    print("interrupt passed on")
"""


def _close(error: str) -> subprocess.CompletedProcess[str]:
    script = _CLOSE_ONE_POOLED_CONNECTION.format(error=error)
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )


def test_interrupt_during_close_is_passed_on_without_a_traceback() -> None:
    closed = _close("dg.DagsterExecutionInterruptedError()")
    assert closed.stdout.strip() == "interrupt passed on"
    assert closed.stderr == ""


def test_other_close_errors_still_reach_stderr() -> None:
    closed = _close('OSError("socket gone")')
    assert "Exception closing connection" in closed.stderr and "OSError: socket gone" in closed.stderr
