"""Which earlier runs a capture resumes: only those that died before their capture step finished."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg

from palimpsest_pipeline.defs.odds.assets import interrupted_runs


@dg.op(config_schema={"capture_fails": bool})
def capture(context) -> int:
    if context.op_config["capture_fails"]:
        raise RuntimeError("the capture died")
    return 1


@dg.op(config_schema={"later_fails": bool})
def later_step(context, captured: int) -> int:
    if context.op_config["later_fails"]:
        raise RuntimeError("a step after the capture failed")
    return captured


@dg.job
def capture_then_more() -> None:
    later_step(capture())


def _run(instance: dg.DagsterInstance, capture_fails: bool, later_fails: bool) -> str:
    config = {
        "ops": {
            "capture": {"config": {"capture_fails": capture_fails}},
            "later_step": {"config": {"later_fails": later_fails}},
        }
    }
    result = capture_then_more.execute_in_process(run_config=config, instance=instance, raise_on_error=False)
    return result.run_id


def test_only_runs_whose_capture_step_did_not_finish_are_interrupted() -> None:
    with dg.instance_for_test() as instance:
        died_in_capture = _run(instance, capture_fails=True, later_fails=False)
        captured_then_failed = _run(instance, capture_fails=False, later_fails=True)
        current = instance.get_run_by_id(_run(instance, capture_fails=False, later_fails=False))
        assert current is not None
        found = interrupted_runs(instance, current, datetime.now(UTC), "capture")
    assert found == [died_in_capture]
    assert captured_then_failed not in found
