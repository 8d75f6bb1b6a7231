"""No command but ``palimpsest db url`` prints a password: the demo, ``db migrate`` and ``env`` print none.

The commands run in this process (their output read from the file descriptors, their log records too); the
lines ``env`` prints are then run by bash, as ``eval "$(palimpsest env)"`` does, calling the real command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from palimpsest_pipeline.cli import main
from palimpsest_pipeline.warehouse.config import DAGSTER_STORAGE_URL_VAR, DATABASE_URL_VAR
from palimpsest_pipeline.warehouse.migrate import READER_ROLE

PALIMPSEST = str(Path(sys.executable).with_name("palimpsest"))


def test_only_db_url_prints_a_password(
    tmp_path: Path,
    warehouse_url: str,
    reader_password: str,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    owner_password = make_url(warehouse_url).password
    assert owner_password
    monkeypatch.setattr(sys, "argv", [PALIMPSEST])  # the program `env` names in the lines it prints
    monkeypatch.setenv("PALIMPSEST_HOME", str(tmp_path))
    monkeypatch.setenv(DATABASE_URL_VAR, warehouse_url)
    monkeypatch.setenv("PALIMPSEST_ANALYST_PASSWORD", reader_password)
    env = dict(os.environ)  # as a shell would run `eval`, before the commands export anything here
    for exported in ("DAGSTER_HOME", DAGSTER_STORAGE_URL_VAR):  # the commands export them: put back after
        monkeypatch.delenv(exported, raising=False)

    def cli(args: list[str]) -> str:
        capfd.readouterr()
        caplog.clear()
        main.main(args, prog_name="palimpsest", standalone_mode=False)
        out, err = capfd.readouterr()
        for secret in (owner_password, reader_password):
            assert secret not in err + caplog.text, args
        return out

    printed = {args[-1]: cli(args) for args in (["db", "migrate"], ["env"])}
    for out in printed.values():
        assert owner_password not in out and reader_password not in out
    reader = make_url(cli(["db", "url"]).strip())
    assert (reader.username, reader.password) == (READER_ROLE, reader_password)
    owner = make_url(cli(["db", "url", "--owner"]).strip())
    assert owner.password == owner_password and owner.database == make_url(warehouse_url).database
    # what `eval "$(palimpsest env)"` does with the output checked above
    exported = subprocess.run(
        ["bash", "-c", 'eval "$ENV_OUTPUT"; printf %s "$PALIMPSEST_DATABASE_URL"'],
        env={**env, "ENV_OUTPUT": printed["env"]}, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert make_url(exported.stdout).password == owner_password  # `env` still exports it, unprinted
