"""The report is published through a private temporary file: a link planted at a predictable staging name
is never followed, and the page appears whole with its final mode."""

from __future__ import annotations

import stat
from pathlib import Path

from palimpsest_pipeline.warehouse.embedded.private_files import write_own_file


def test_a_planted_link_at_the_old_staging_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    page = tmp_path / "report.html"
    (tmp_path / ".report.html.tmp").symlink_to(victim)  # the name the page used to be staged under
    write_own_file(page, "<html>new · é</html>", 0o644)  # as build_report publishes the page
    assert victim.read_bytes() == b"keep me"
    assert page.read_bytes() == "<html>new · é</html>".encode() and not page.is_symlink()
    assert stat.S_IMODE(page.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == [".report.html.tmp", "report.html", "victim"]


def test_republishing_replaces_the_page_whole(tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    write_own_file(page, "first", 0o644)
    write_own_file(page, "second", 0o644)
    assert page.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no staging file left behind
