"""Player keys: names normalised within a match, resolved to SportRadar ids only when one player fits."""

from __future__ import annotations

import pytest

from palimpsest_pipeline.books.odds import betpawa
from palimpsest_pipeline.markets.players import name_key, normalise_name, resolve_name_keys
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Hailong, Li (Qingdao Hainiu FC)", "li hailong"),
        ("Ñíguez, José-Luis", "jose luis niguez"),
        ("  Jhonder   CADIZ ", "jhonder cadiz"),
        ("El Messaoudi, Ahmed", "ahmed el messaoudi"),
    ],
)
def test_names_are_normalised(written: str, normalised: str) -> None:
    assert normalise_name(written) == normalised


def test_name_keys_are_negative_and_equal_for_equal_names() -> None:
    assert name_key("Cadiz, Jhonder") == name_key("Jhonder Cádiz") < 0
    with pytest.raises(ValueError, match="no letters"):
        name_key(" (Wuhan) ")


def test_resolution_needs_exactly_one_fitting_player() -> None:
    known = {1: "Silva, Bernardo", 2: "Silva, David", 3: "Cadiz, Jhonder"}
    resolved = resolve_name_keys(["J. Cadiz", "Silva", "B. Silva", "Hailong Li"], known)
    assert resolved == {name_key("J. Cadiz"): 3, name_key("B. Silva"): 1}  # "Silva" alone: two fit


def test_betpawa_goalscorers_resolve_to_sportybets_players_at_the_same_price() -> None:
    """Trio sr68995116: BetPawa names ("Liu Guobao") vs SportyBet "Guobao, Liu (Qingdao Hainiu FC)" ids."""
    payload = load_capture("sportybet/event_sr68995116_prematch.json")
    scorers = [m for m in payload["data"]["markets"] if m["id"] == "40"]
    players = [o for o in scorers[0]["outcomes"] if o["id"].startswith("sr:player:")]
    known = {int(o["id"].rpartition(":")[2]): o["desc"] for o in players}
    sporty_price = {int(o["id"].rpartition(":")[2]): float(o["odds"]) for o in players}
    parse = betpawa.parse_odds(
        load_capture("betpawa/v3_event_sr68995116_prematch.json"), sr_id=68995116, captured_at=CAPTURED_AT
    )
    pawa = {r.outcome: r.price for r in parse.rows if r.market == 40 and r.specifier == "type=prematch"}
    names = [
        p["name"]
        for m in load_capture("betpawa/v3_event_sr68995116_prematch.json")["markets"]
        if m["marketType"]["id"] == "129108"
        for r in m["row"]
        for p in r["prices"]
    ]
    resolved = resolve_name_keys(names, known)
    assert len(pawa) == len(names) == len(resolved) == 49
    for key, sr_player in resolved.items():
        assert pawa[key] is not None
        assert abs(pawa[key] / sporty_price[sr_player] - 1) < 0.05, (key, sr_player)
    assert (
        sporty_price[resolved[name_key("Jhonder Cadiz")]] == 2.5 and pawa[name_key("Jhonder Cadiz")] == 2.48
    )
