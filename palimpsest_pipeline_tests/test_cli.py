"""The command line: `palimpsest parse` output contract and error messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from palimpsest_pipeline.cli import main

CAPTURED = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures" / "captured"
needs_captures = pytest.mark.skipif(
    not CAPTURED.is_dir(), reason=f"captured responses not found at {CAPTURED} (../shared is absent)"
)


@needs_captures
@pytest.mark.parametrize(
    ("book", "capture"),
    [
        ("sportybet", "sportybet/event_sr68995116_prematch.json"),
        ("betpawa", "betpawa/v3_event_sr68995116_prematch.json"),
        ("bet9ja", "bet9ja/GetEvent_sr68995116_prematch.json"),
        ("msport", "msport/match_detail_sr68995116_prematch.json"),
    ],
)
def test_parse_prints_a_header_then_canonical_rows(book: str, capture: str) -> None:
    result = CliRunner().invoke(main, ["parse", book, str(CAPTURED / capture)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    header, rows = lines[0], lines[1:]
    assert header["type"] == "event" and header["sr_id"] == 68995116 and header["book"] == book
    assert header["kickoff"] == "2026-05-06T11:00:00Z"
    assert 0 < header["keyed_outcomes"] <= header["open_outcomes"]
    assert 0 <= header["native_outcomes"] <= header["keyed_outcomes"]
    assert rows and all(r["type"] == "odds" and r["sr_id"] == 68995116 for r in rows)
    assert all(isinstance(r["market"], int) and isinstance(r["outcome"], int) for r in rows)
    home_win = [r for r in rows if (r["market"], r["specifier"], r["outcome"]) == (1, "", 1)]
    home_prices = {"sportybet": 2.40, "betpawa": 2.41, "bet9ja": 2.42, "msport": 2.45}  # read in each file
    assert [r["price"] for r in home_win] == [home_prices[book]]
    over_25 = [r for r in rows if (r["market"], r["specifier"], r["outcome"]) == (18, "total=2.5", 12)]
    assert len(over_25) == 1 and over_25[0]["state"] == "open"


def test_parse_names_the_file_and_the_problem(tmp_path: Path) -> None:
    truncated = tmp_path / "event_sr1.json"
    truncated.write_text('{"bizCode": 10000, "data": {"eventId": "sr:match:1"')
    result = CliRunner().invoke(main, ["parse", "sportybet", str(truncated)])
    assert result.exit_code != 0
    assert "event_sr1.json" in result.output and "JSON" in result.output


def test_parse_rejects_a_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", "bet9ja", str(tmp_path / "absent.json")])
    assert result.exit_code != 0 and "absent.json" in result.output


def test_parse_rejects_an_unknown_book(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["parse", "pinnacle", str(tmp_path / "x.json")])
    assert result.exit_code == 2 and "pinnacle" in result.output


def test_real_books_keep_configured_urls_and_fill_in_the_documented_ones() -> None:
    from palimpsest_pipeline import runtime

    env = {"PALIMPSEST_BET9JA_NG_URL": "http://127.0.0.1:9/desktop/feapi/PalimpsestAjax/"}
    runtime.point_books_at_real(env)
    assert env == {
        "PALIMPSEST_BET9JA_NG_URL": "http://127.0.0.1:9/desktop/feapi/PalimpsestAjax/",
        "PALIMPSEST_BETPAWA_NG_URL": "https://www.betpawa.ng/api/sportsbook/v4/",
        "PALIMPSEST_SPORTYBET_NG_URL": "https://www.sportybet.com/api/ng/factsCenter/",
        "PALIMPSEST_MSPORT_NG_URL": "https://www.msport.com/api/ng/facts-center/query/frontend/",
        "PALIMPSEST_BETWAY_NG_URL": "https://feeds-roa2.betwayafrica.com/br/_apis/sport/v1/",
    }  # one per scraped book (PLATFORMS.md's documented URLs), none for Betika
