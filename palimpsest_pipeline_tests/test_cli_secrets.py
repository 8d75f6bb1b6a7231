"""No command but ``palimpsest db url`` prints a password: the demo, ``db migrate`` and ``env`` print none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from palimpsest_pipeline.warehouse.migrate import READER_ROLE

PALIMPSEST = str(Path(sys.executable).with_name("palimpsest"))


def _cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PALIMPSEST, *args], env=env, capture_output=True, text=True, timeout=300, check=True
    )


def test_only_db_url_prints_a_password(tmp_path: Path, warehouse_url: str, reader_password: str) -> None:
    owner_password = make_url(warehouse_url).password
    assert owner_password
    env = {
        **os.environ,
        "PALIMPSEST_HOME": str(tmp_path),
        "PALIMPSEST_DATABASE_URL": warehouse_url,
        "PALIMPSEST_ANALYST_PASSWORD": reader_password,
    }
    printed: dict[str, str] = {}
    for args in (["db", "migrate"], ["env"]):
        done = _cli(args, env)
        assert owner_password not in done.stdout + done.stderr, args
        assert reader_password not in done.stdout + done.stderr, args
        printed[args[-1]] = done.stdout
    reader = make_url(_cli(["db", "url"], env).stdout.strip())
    assert (reader.username, reader.password) == (READER_ROLE, reader_password)
    owner = make_url(_cli(["db", "url", "--owner"], env).stdout.strip())
    assert owner.password == owner_password and owner.database == make_url(warehouse_url).database
    # what `eval "$(palimpsest env)"` does with the output checked above
    exported = subprocess.run(
        ["bash", "-c", 'eval "$ENV_OUTPUT"; printf %s "$PALIMPSEST_DATABASE_URL"'],
        env={**env, "ENV_OUTPUT": printed["env"]}, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert make_url(exported.stdout).password == owner_password  # `env` still exports it, unprinted
