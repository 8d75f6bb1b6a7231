"""The sandbox's SportyBet lists its own slider families with the ids and outcome names the real book uses,
so the parsers read them end to end as they read the real ones.
Expectations: the real capture in ../shared."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from palimpsest_sandbox.books.sportybet import markets as sportybet

CAPTURE = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "captured" / "sportybet"
    / "event_sr68995116_prematch.json"
)  # fmt: skip
SLIDERS = ("450001", "450002", "450003", "450004", "810001")


def _listed(markets: list[dict]) -> dict[str, list[tuple[str, str]]]:
    return {m["id"]: [(o["id"], o["desc"]) for o in m["outcomes"]] for m in markets if m["id"] in SLIDERS}


@pytest.mark.skipif(not CAPTURE.exists(), reason="../shared/fixtures/captured is not beside the checkout")
def test_slider_markets_carry_the_captured_ids_and_names() -> None:
    captured = _listed(orjson.loads(CAPTURE.read_bytes())["data"]["markets"])
    served = _listed(sportybet.render(match_seed=11, version=1, sport="football", depth=1.0))
    assert set(served) == set(SLIDERS)
    for market_id in SLIDERS:
        assert served[market_id] == captured[market_id], market_id
