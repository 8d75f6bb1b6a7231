"""The UOF catalogue as data: generated from SportRadar's XML, every id defined, SportyBet keyed by it."""

from __future__ import annotations

from pathlib import Path

import pytest

from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.markets import generate_uof, vocabulary
from palimpsest_pipeline.markets.uof import uof_markets
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture

XML = Path(__file__).resolve().parents[2] / ".." / "shared" / "uof" / "invariant_market_descriptions_en.xml"
needs_xml = pytest.mark.skipif(
    not XML.is_file(), reason=f"the UOF catalogue is not at {XML} (../shared absent)"
)


@needs_xml
def test_the_committed_table_is_what_the_xml_says() -> None:
    rows = generate_uof.markets_from_xml(XML.read_text(encoding="utf-8"))
    assert generate_uof.render(rows) == generate_uof.MARKETS_FILE.read_text(encoding="utf-8")
    assert len(rows) == XML.read_text(encoding="utf-8").count("<market ")


def test_every_uof_market_has_a_definition_and_hand_written_facts_win() -> None:
    catalogue = uof_markets()
    assert len(catalogue) == 1080
    for market in catalogue:
        assert vocabulary.VOCABULARY[market.market_id].market_id == market.market_id
    # 1X2 keeps its reviewed definition (complete, main), the catalogue does not overwrite it.
    assert vocabulary.VOCABULARY[1].complete and vocabulary.VOCABULARY[1].main
    # A market the hand-written table never had: from the catalogue, with its fixed outcomes.
    btts_and_total = vocabulary.VOCABULARY[37 if 37 not in vocabulary.CORE else 546]
    assert btts_and_total.outcomes


def test_variant_and_player_markets_take_any_outcome() -> None:
    # "Player shots on goal (incl. overtime)": its variant names the player
    player_shots = vocabulary.VOCABULARY[777]
    assert player_shots.outcomes is None and "variant" in player_shots.specifier_keys


@pytest.mark.parametrize(
    "text",
    ["<market_descriptions>", "<other/>", "<market_descriptions><market name='x'/></market_descriptions>"],
)
def test_a_bad_catalogue_is_named(text: str) -> None:
    with pytest.raises(generate_uof.CatalogueError):
        generate_uof.markets_from_xml(text)


def _raw_prices(relative: str) -> dict[tuple[str, str | None, str], float]:
    payload = load_capture(relative)
    data = payload.get("data", payload)
    return {
        (m["id"], m.get("specifier"), o["id"]): float(o["odds"])
        for m in data["markets"]
        for o in m["outcomes"]
        if m.get("status") == 0 and o.get("isActive") == 1
    }


def test_player_props_and_native_families_keep_the_raw_prices() -> None:
    relative = "sportybet/event_sr71583282_asian_handicap.json"
    parse = sportybet.parse_odds(load_capture(relative), sr_id=71583282, captured_at=CAPTURED_AT)
    keyed = {(r.market, r.specifier, r.outcome): r.price for r in parse.rows if r.state == "open"}
    raw = _raw_prices(relative)
    # A UOF player prop: the variant names the SportRadar player (253415), the outcome is "1+".
    variant = "pre:playerprops:71583282:253415"
    assert keyed[(777, f"variant={variant}", 1)] == raw[("777", f"variant={variant}", f"{variant}:1")]
    # A SportyBet family: native key, the compound outcome id's prefix in the specifier, the draw as "zzzz".
    assert keyed[(830101, "outcome=zzzz|pair=28363-13346", 0)] == raw[("830101", "pair=28363-13346", "zzzz")]
    # every open outcome keyed, or set aside as one of two listings of a key at different prices
    assert parse.native_outcomes > 0
    assert parse.mapped_outcomes + sum(parse.unmapped.values()) == parse.open_outcomes
    assert all(reason.endswith("at different prices") for reason in parse.malformed)
    assert all(label.startswith("malformed:") for label in parse.unmapped)
