"""Every handicap and total line, read independently from the price's own text, is stored under the same key
at the same price: on the real captures in ../shared, on the real v4 capture re-served in quarter units, and
on the sandbox's bodies of every BetPawa shape.

The walker here does not call the parsers' line reader: it reads each price's line from its own text
("2.5", "-0.5" for that price's side, "Home -1"), SportyBet's from the outcome's name ("Over 2.5",
"Home (-1.5)"), Bet9ja's from the odds key's ``@line``, and keys it with the UOF ids written below by hand
(UOF's markets.xml: 16 Asian handicap, 18 total, 14 3-way handicap...; outcomes 1714/1715, 12/13,
1711/1712/1713).
"""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from palimpsest_pipeline.books.bet9ja import odds as bet9ja
from palimpsest_pipeline.books.betpawa import odds as betpawa
from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_pipeline_tests.markets.conftest import load_capture
from palimpsest_sandbox.books.betpawa import markets as sandbox_betpawa

AT = datetime(2026, 5, 6, 9, 0, tzinfo=UTC)
Key = tuple[int, str, int]

#: BetPawa football market names -> (UOF market, kind); kind: "ah", "total", "eh" (3-way)
PAWA_MARKETS = {
    "Asian Handicap - FT": (16, "ah"),
    "Asian Handicap - 1H": (66, "ah"),
    "Asian Handicap - 2H": (88, "ah"),
    "Corner Asian Handicap - FT": (165, "ah"),
    "Handicap 1X2 - FT": (14, "eh"),
    "Handicap 1X2 - 1H": (65, "eh"),
    "Handicap 1X2 - 2H": (87, "eh"),
    "Total Score Over/Under - FT": (18, "total"),
    "Total Score Over/Under - 1H": (68, "total"),
    "Total Score Over/Under - 2H": (90, "total"),
    "Total Score Over/Under - FT - Home Team": (19, "total"),
    "Total Score Over/Under - FT - Away Team": (20, "total"),
    "Total Corners Over/Under - FT": (166, "total"),
}
PAWA_OUTCOMES = {
    "ah": {"1": 1714, "2": 1715},
    "total": {"Over": 12, "Under": 13},
    "eh": {"1": 1711, "X": 1712, "2": 1713},
}
PAWA_CAPTURES = (
    "betpawa/v3_event_sr68995116_prematch.json",
    "betpawa/v3_event_sr69340218_prematch_2026-04.json",
    "betpawa/v3_event_sr67645534_live.json",
    "betpawa/v3_event_sr62384158_live_2026-04.json",
    "betpawa/v4_event_sr67691078_prematch.json",
)


def _line(value: float) -> str:
    return "0" if value == 0 else f"{value:g}"


def _pawa_price(price: dict[str, Any]) -> float | None:
    value = price.get("odds", price.get("price"))
    return float(value) if isinstance(value, int | float) and value > 1 else None


def walk_betpawa(body: dict[str, Any]) -> dict[Key, float]:
    """(UOF market, specifier, outcome) -> price of every lined football price the walker can read."""
    found: dict[Key, float] = {}
    for market in body["markets"]:
        known = PAWA_MARKETS.get(market["marketType"].get("name"))
        if known is None:
            continue
        uof, kind = known
        for row in market["row"]:
            for price in row["prices"]:
                text, odds = price.get("handicap"), _pawa_price(price)
                outcome = PAWA_OUTCOMES[kind].get(price.get("name"))
                if not text or odds is None or outcome is None:
                    continue
                side, _, number = text.rpartition(" ")
                value = float(number)
                if kind == "ah":
                    home = value if outcome == 1714 else -value
                elif kind == "eh":
                    home = value if side == "Home" else -value
                else:
                    home = value
                found.setdefault(
                    (uof, f"{'total' if kind == 'total' else 'hcp'}={_line(home)}", outcome), odds
                )
    return found


def _stored(parse: Any, markets: set[int]) -> dict[Key, float | None]:
    return {(r.market, r.specifier, r.outcome): r.price for r in parse.rows if r.market in markets}


def _assert_stored_as_walked(walked: dict[Key, float], parse: Any) -> None:
    stored = _stored(parse, {m for m, _s, _o in walked} | {m for m, _k in PAWA_MARKETS.values()})
    assert walked, "the walker found no lined price: nothing was checked"
    missing = {k: v for k, v in walked.items() if stored.get(k) != v}
    assert not missing, f"walked but not stored at that key and price: {sorted(missing.items())[:5]}"
    extra = {k for k in stored if k not in walked and stored[k] is not None and stored[k] > 1}
    assert not extra, f"stored under lines the prices do not show: {sorted(extra)[:5]}"


def quarter_shape(body: dict[str, Any]) -> dict[str, Any]:
    """The v4 body as BetPawa's mid-2026 responses serve it: each row's specifier in quarter units, listing
    every key with the unused ones null; the prices' own specifiers dropped (that shape shows none)."""
    out = copy.deepcopy(body)
    for market in out["markets"]:
        for row in market["row"]:
            specifier = row.get("specifier")
            if isinstance(specifier, dict):
                quartered = {k: str(round(float(v) * 4)) for k, v in specifier.items()}
                row["specifier"] = {
                    **dict.fromkeys(("hcp", "total", "player", "score", "number", "group")),
                    **quartered,
                }
            for price in row["prices"]:
                price.pop("specifier", None)
    return out


@pytest.mark.parametrize("capture", PAWA_CAPTURES)
def test_betpawa_captures_store_every_walked_line(capture: str) -> None:
    body = load_capture(capture)
    parse = betpawa.parse_odds(body, sr_id=sr_id_of(capture), captured_at=AT)
    assert parse.malformed == []
    _assert_stored_as_walked(walk_betpawa(body), parse)


def test_the_v4_capture_in_quarter_units_is_stored_exactly_as_the_original() -> None:
    body = load_capture("betpawa/v4_event_sr67691078_prematch.json")
    quartered = quarter_shape(body)
    assert any(
        row.get("specifier", {}).get("hcp") == "-2" for m in quartered["markets"] for row in m["row"]
    ), "the transformation must produce the issue's quarter-unit rows ({'hcp': '-2'} on the -0.5 line)"
    original = betpawa.parse_odds(body, sr_id=67691078, captured_at=AT)
    served = betpawa.parse_odds(quartered, sr_id=67691078, captured_at=AT)
    assert served.malformed == []
    assert [(r.market, r.specifier, r.outcome, r.price, r.state) for r in served.rows] == [
        (r.market, r.specifier, r.outcome, r.price, r.state) for r in original.rows
    ]
    assert (served.open_outcomes, served.mapped_outcomes) == (
        original.open_outcomes,
        original.mapped_outcomes,
    )
    _assert_stored_as_walked(walk_betpawa(quartered), served)


@pytest.mark.parametrize("shape", [name for name, _share in sandbox_betpawa.DETAIL_SHAPES])
def test_sandbox_bodies_of_every_shape_store_every_walked_line(shape: str) -> None:
    for seed in range(12):
        body = {"category": {"id": "2"}, "markets": sandbox_betpawa.render(seed, 3, "football", 1.0, shape)}
        parse = betpawa.parse_odds(body, sr_id=1, captured_at=AT)
        assert parse.malformed == []
        _assert_stored_as_walked(walk_betpawa(body), parse)


def _asian_market(body: dict[str, Any]) -> dict[str, Any]:
    for market in body["markets"]:
        if market["marketType"]["name"] == "Asian Handicap - FT":
            return market
    raise AssertionError("the v4 capture has an Asian handicap")


@pytest.mark.parametrize(
    ("change", "names"),
    [
        ({"specifier": {"hcp": "-1"}}, ["row.specifier.hcp='-1'", "prices[0].handicap='-0.5'"]),
        ({"handicap": -6}, ["row.handicap=-6", "prices[0].handicap='-0.5'"]),
        (
            {"specifier": {"hcp": "-1", "total": None, "number": None}},
            ["row.specifier.hcp='-1'", "prices[0].handicap='-0.5'"],
        ),
    ],
)
def test_a_row_whose_places_disagree_is_set_aside_naming_them(
    change: dict[str, Any], names: list[str]
) -> None:
    body = copy.deepcopy(load_capture("betpawa/v4_event_sr67691078_prematch.json"))
    market = _asian_market(body)
    row = next(r for r in market["row"] if r["prices"][0].get("handicap") == "-0.5")
    row.update(change)
    parse = betpawa.parse_odds(body, sr_id=67691078, captured_at=AT)
    assert parse.unmapped.get(f"malformed:{market['marketType']['id']}") == len(row["prices"])
    assert parse.malformed and all(all(n in reason for n in names) for reason in parse.malformed), (
        parse.malformed
    )
    keys = _stored(parse, {16})
    assert (16, "hcp=-0.5", 1714) not in keys and (16, "hcp=-1", 1714) not in keys
    assert (16, "hcp=0.5", 1714) in keys  # the market's other lines are kept


def test_a_specifier_alone_in_quarter_units_with_null_keys_is_set_aside_not_guessed() -> None:
    market = {
        "marketType": {"id": "3774", "name": "Asian Handicap - FT"},
        "row": [
            {
                "specifier": {"hcp": "-2", "total": None, "number": None},
                "prices": [
                    {"typeId": "3775", "name": "1", "odds": 1.9},
                    {"typeId": "3776", "name": "2", "odds": 1.9},
                ],
            }
        ],
    }
    parse = betpawa.parse_odds({"category": {"id": "2"}, "markets": [market]}, sr_id=1, captured_at=AT)
    assert parse.rows == [] and parse.unmapped == {"malformed:3774": 2}
    assert all("row.specifier.hcp='-2'" in reason and "unit" in reason for reason in parse.malformed)


# --- SportyBet and Bet9ja ----------------------------------------------------------------------------

SPORTY_LINES = re.compile(r"^(?:(Over|Under) ([\d.]+)|(Home|Away) \(([+-]?[\d.]+)\))$")
SPORTY_CAPTURES = (
    "sportybet/event_sr68995116_prematch.json",
    "sportybet/event_sr71583282_asian_handicap.json",
)


def walk_sportybet(body: dict[str, Any]) -> dict[Key, float]:
    """Asian handicaps and totals of UOF markets 16, 18, 66, 68, 88, 90, keyed from the outcome names."""
    found: dict[Key, float] = {}
    for market in body["data"]["markets"]:
        if market.get("id") not in ("16", "18", "66", "68", "88", "90") or market.get("status") != 0:
            continue
        for outcome in market["outcomes"]:
            named = SPORTY_LINES.match(outcome.get("desc", ""))
            if named is None or outcome.get("isActive") != 1:
                continue
            if named.group(1):
                key = (
                    int(market["id"]),
                    f"total={_line(float(named.group(2)))}",
                    12 if named.group(1) == "Over" else 13,
                )
            else:
                home = float(named.group(4)) * (1 if named.group(3) == "Home" else -1)
                key = (int(market["id"]), f"hcp={_line(home)}", 1714 if named.group(3) == "Home" else 1715)
            found[key] = float(outcome["odds"])
    return found


@pytest.mark.parametrize("capture", SPORTY_CAPTURES)
def test_sportybet_captures_store_every_line_their_names_show(capture: str) -> None:
    body = load_capture(capture)
    parse = sportybet.parse_odds(body, sr_id=sr_id_of(capture), captured_at=AT)
    walked = walk_sportybet(body)
    stored = {(r.market, r.specifier, r.outcome): r.price for r in parse.rows}
    assert walked and all(stored.get(k) == v for k, v in walked.items())
    assert not any("disagree" in reason for reason in parse.malformed), parse.malformed


def test_a_sportybet_specifier_that_disagrees_with_its_names_is_set_aside() -> None:
    body = copy.deepcopy(load_capture("sportybet/event_sr68995116_prematch.json"))
    market = next(m for m in body["data"]["markets"] if m["id"] == "16")
    line = market["specifier"]
    market["specifier"] = "hcp=-4"
    parse = sportybet.parse_odds(body, sr_id=68995116, captured_at=AT)
    assert not any(
        r.market == 16 and r.specifier in ("hcp=-4", line)
        for r in parse.rows
        if r.price == float(market["outcomes"][0]["odds"])
    )
    assert parse.unmapped.get("malformed:16") == len(market["outcomes"])
    assert any("hcp=-4" in reason and market["outcomes"][0]["desc"] in reason for reason in parse.malformed)


BET9JA_MARKETS = {"S_OU": (18, "total", {"O": 12, "U": 13}), "S_AH": (16, "hcp", {"1": 1714, "2": 1715}),
                  "S_1X2HND": (14, "hcp", {"1H": 1711, "XH": 1712, "2H": 1713})}  # fmt: skip


def walk_bet9ja(body: dict[str, Any]) -> dict[Key, float]:
    found: dict[Key, float] = {}
    for key, raw in body["D"]["O"].items():
        head, _, rest = key.partition("@")
        line, _, outcome = rest.rpartition("_")
        known = BET9JA_MARKETS.get(head)
        if known is None or not line or float(raw) <= 1 or outcome not in known[2]:
            continue
        found[(known[0], f"{known[1]}={_line(float(line))}", known[2][outcome])] = float(raw)
    return found


def test_bet9ja_capture_stores_every_line_its_keys_show() -> None:
    body = load_capture("bet9ja/GetEvent_sr68995116_prematch.json")
    parse = bet9ja.parse_odds(body, sr_id=68995116, captured_at=AT)
    walked = walk_bet9ja(body)
    stored = {(r.market, r.specifier, r.outcome): r.price for r in parse.rows}
    assert walked and all(stored.get(k) == v for k, v in walked.items()), [
        k for k in walked if stored.get(k) != walked[k]
    ]
    # the one reason: a first-half corners handicap (-1) read to the full-time -1.5 key its catalogued
    # market holds, not on offer there: two bets on one key, the restating one set aside
    assert len(parse.malformed) == 1 and parse.malformed[0].endswith(
        "read to the key (165, 'hcp=-1.5', 1714) at different prices"
    ), parse.malformed


def test_a_bet9ja_line_that_disagrees_with_its_name_is_set_aside() -> None:
    """ "GG/NG & Over/Under 3.5" priced under ``@2.5``: the name and the key say two lines."""
    body = copy.deepcopy(load_capture("bet9ja/GetEvent_sr68995116_prematch.json"))
    odds = body["D"]["O"]
    moved = {k: v for k, v in odds.items() if k.startswith("S_GGNGOUN@3.5_")}
    assert moved, "the capture prices GG/NG & Over/Under 3.5"
    for key, value in moved.items():
        del odds[key]
        odds[key.replace("@3.5_", "@2.5_")] = value
    parse = bet9ja.parse_odds(body, sr_id=68995116, captured_at=AT)
    assert parse.unmapped.get("malformed:S_GGNGOUN") == len(moved)
    lines = [reason for reason in parse.malformed if not reason.endswith("at different prices")]
    assert lines and all("3.5" in reason and "2.5" in reason for reason in lines), parse.malformed
