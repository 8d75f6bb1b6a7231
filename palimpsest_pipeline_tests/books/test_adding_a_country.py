"""docs/adding-a-country.md's worked example is what the packaged configuration says, to the letter."""

from __future__ import annotations

import re
from pathlib import Path

from palimpsest_pipeline.books.competitors import competitors_from_env, parse_competitors
from palimpsest_pipeline.books.editions import EDITIONS, parse_editions
from palimpsest_pipeline.records import Book

DOC = Path(__file__).resolve().parents[2] / "docs" / "adding-a-country.md"


def test_the_worked_example_is_the_packaged_msport_uganda() -> None:
    example = DOC.read_text(encoding="utf-8").split("## Worked example", 1)[1]
    edition_block, competitors_block = re.findall(r"```toml\n(.*?)```", example, flags=re.DOTALL)
    declared = parse_editions(edition_block, "docs/adding-a-country.md")
    assert list(declared) == [(Book.MSPORT, "ug")]
    assert declared[(Book.MSPORT, "ug")] == EDITIONS[(Book.MSPORT, "ug")]
    # PLATFORMS.md, "MSport": Uganda's operid is 4.
    assert dict(EDITIONS[(Book.MSPORT, "ug")].headers) == {"operid": "4"}
    listed = parse_competitors(competitors_block, "docs/adding-a-country.md")
    assert dict(listed.by_country) == {"ug": (Book.MSPORT,)}
    assert Book.MSPORT in competitors_from_env({}).of("ug")
