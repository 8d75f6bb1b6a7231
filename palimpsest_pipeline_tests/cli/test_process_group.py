"""stop_process_group stops a whole process group whose leader has already exited: a member that stops on
SIGINT ends by it, one ignoring SIGINT and SIGTERM is killed after the grace period; nothing is left."""

from __future__ import annotations

import subprocess
import sys

import psutil

from palimpsest_pipeline.cli.dev import group_members, stop_process_group

# Each member says it is ready once its signal dispositions are set, then waits for a signal.
POLITE = "import signal; print('ready', flush=True); signal.pause()"
STUBBORN = (
    "import signal; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); signal.pause()"
)
# The leader starts both, waits until they are ready, names them and exits: they are re-parented.
LEADER = f"""
import subprocess, sys
members = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
           for code in ({POLITE!r}, {STUBBORN!r})]
for member in members:
    assert member.stdout.readline() == b"ready\\n"
print(*(member.pid for member in members), flush=True)
"""


def test_the_group_ends_the_stubborn_member_killed() -> None:
    leader = subprocess.Popen([sys.executable, "-c", LEADER], stdout=subprocess.PIPE, start_new_session=True)
    assert leader.stdout is not None
    polite_pid, stubborn_pid = map(int, leader.stdout.readline().split())
    assert leader.wait(30) == 0
    members = [psutil.Process(polite_pid), psutil.Process(stubborn_pid)]
    try:
        assert {p.pid for p in group_members(leader.pid)} == {polite_pid, stubborn_pid}

        killed = stop_process_group(leader.pid, grace_s=3.0)

        assert [p.pid for p in killed] == [stubborn_pid]
        _gone, alive = psutil.wait_procs(members, timeout=30)
        assert not alive
        assert group_members(leader.pid) == []
        assert stop_process_group(leader.pid, grace_s=3.0) == []  # an empty group: nothing to do
    finally:
        for member in members:
            if member.is_running():
                member.kill()
