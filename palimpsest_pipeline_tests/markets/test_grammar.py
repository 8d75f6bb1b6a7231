"""The market grammar: names read into descriptions, outcomes into tokens, keys resolved against UOF's own
templates; hand-written names with hand-checked readings, then real captures (skipped when ../shared
is absent).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from palimpsest_pipeline.books.sportybet import odds as sportybet
from palimpsest_pipeline.markets.grammar import bet9ja, betpawa
from palimpsest_pipeline.markets.grammar import uof_labels as sportybet_grammar
from palimpsest_pipeline.markets.grammar.canonical import DESCRIBED
from palimpsest_pipeline.markets.grammar.description import Description, Refusal
from palimpsest_pipeline.markets.grammar.outcomes import read_outcome_name
from palimpsest_pipeline.markets.grammar.phrases import read_market_name
from palimpsest_pipeline.markets.grammar.resolve import resolve
from palimpsest_pipeline.markets.specifiers import normalise_specifier
from palimpsest_pipeline_tests.contract.parse_golden import sr_id_of
from palimpsest_pipeline_tests.markets.conftest import CAPTURED_AT, load_capture


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Total Score Over/Under - FT - Home Team", "score match home total"),
        ("Clean Sheet | {away} | First Half", "score 1h away cleansheet"),
        ("2nd Half - Double Chance + Goal/No Goal", "score 2h match btts&dc"),
        ("Total Corners Over/Under - 1H", "corners 1h match total"),
        ("1X2 1UP - FT", "score match match 1x2 1up"),
        ("{!quarternr} quarter - total", "score quarter match total [quarternr=?]"),
        ("3rd Quarter - Over/Under", "score quarter match total [quarternr=3]"),
        ("Total Goals Exact - FT", "score match match exact"),
    ],
)
def test_market_names_read_into_descriptions(name: str, reading: str) -> None:
    description = read_market_name(name)
    assert isinstance(description, Description) and description.text() == reading


@pytest.mark.parametrize(
    "name", ["Goal Range Early", "Over/Under - Early Goals", "Home/Away", "1X2 or Over/Under"]
)
def test_a_name_with_a_word_or_part_it_does_not_know_is_refused(name: str) -> None:
    assert isinstance(read_market_name(name), Refusal)


@pytest.mark.parametrize(
    ("text", "bet", "token"),
    [
        ("1", "1x2", "home"),
        ("1", "exact", "1"),
        ("Home or Draw", "dc", "1x"),
        ("X2", "dc", "x2"),
        ("Over 2.5", "total", "over"),
        ("GG", "btts", "yes"),
        ("1-0 / 2-1", "htftcs", "1:0/2:1"),
        ("X", "last", "none"),
        ("1 - Over", "1x2&total", "home&over"),
        ("Draw/Away & Under 1.5", "dc&total", "x2&under"),
        ("No goal", "range", "0"),
    ],
)
def test_outcome_names_read_into_tokens_by_bet_type(text: str, bet: str, token: str) -> None:
    assert read_outcome_name(text, bet) == token


def test_same_bet_on_two_books_gets_one_key_uof_or_canonical() -> None:
    # UOF 19 "{$competitor1} total": over 2.5 is outcome 12
    home_total = read_market_name("Over/Under | {home} | Full Time")
    assert isinstance(home_total, Description)
    keys = resolve(home_total.with_params(total="2.50"), [("o", "Over"), ("u", "Under")], "football").keys
    assert keys == {"o": (19, "total=2.5", 12), "u": (19, "total=2.5", 13)}
    # no UOF market: the same canonical key from BetPawa's and Bet9ja's names
    betpawa_1up = read_market_name("1X2 1UP - FT")
    bet9ja_1up = read_market_name("1X2 1UP")
    assert isinstance(betpawa_1up, Description) and isinstance(bet9ja_1up, Description)
    one = resolve(betpawa_1up, [("a", "1")], "football").keys["a"]
    other = resolve(bet9ja_1up, [("b", "1")], "football").keys["b"]
    assert one == other == (DESCRIBED, "market=score.match.match.1x2.1up", 1)


def test_a_handicap_with_a_draw_is_european_and_keyed_on_the_home_line() -> None:
    handicap = read_market_name("Handicap")
    assert isinstance(handicap, Description)
    keys = resolve(handicap.with_params(hcp="-1"), [("1", "1"), ("x", "X"), ("2", "2")], "football").keys
    assert keys == {"1": (14, "hcp=-1", 1711), "x": (14, "hcp=-1", 1712), "2": (14, "hcp=-1", 1713)}


def test_sure_or_nothing() -> None:
    exact = read_market_name("Exact Goals")
    assert isinstance(exact, Description)
    # no "N+": "6" may mean "6 or more", so no exact-goals outcome is keyed
    assert all(
        isinstance(k, Refusal) for k in resolve(exact, [("a", "5"), ("b", "6")], "football").keys.values()
    )
    # "other" is keyed only where the book's list is UOF's list
    score = read_market_name("Correct Score")
    assert isinstance(score, Description)
    listed = [("a", "1:0"), ("b", "5:0"), ("c", "Other")]
    keys = resolve(score, listed, "football").keys
    assert keys["a"] == (45, "", 276) and isinstance(keys["c"], Refusal)
    # basketball: a name that does not say whether overtime counts is not keyed
    total = read_market_name("Over/Under")
    assert isinstance(total, Description)
    assert isinstance(
        resolve(total.with_params(total="150.5"), [("o", "Over")], "basketball").keys["o"], Refusal
    )


def test_betpawa_reader_on_a_hand_written_market() -> None:
    market = {
        "marketType": {"id": "5006", "name": "Total Score Over/Under - FT - Home Team"},
        "row": [
            {
                "handicap": 6,
                "prices": [{"name": "Over", "handicap": "1.5"}, {"name": "Under", "handicap": "1.5"}],
            },
            {"specifier": {"total": "2.5"}, "prices": [{"name": "Over"}, {"name": "Under"}]},
        ],
    }
    assert betpawa.read_market(market, "football").keys == {
        (0, 0): (19, "total=1.5", 12),
        (0, 1): (19, "total=1.5", 13),
        (1, 0): (19, "total=2.5", 12),
        (1, 1): (19, "total=2.5", 13),
    }


def test_bet9ja_reader_on_a_hand_written_event() -> None:
    payload = {
        "MK": [
            {
                "ID": "S_DC2T",
                "DS": "2nd Half - Double Chance",
                "SGNK": ["1X", "12", "X2"],
                "SGN": ["1X", "12", "X2"],
            }
        ],
        "O": {"S_DC2T_1X": "1.2", "S_DC2T_12": "1.5", "S_DC2T_X2": "1.9", "S_NONAME_1": "2.0"},
    }
    keys = bet9ja.read_odds(payload)
    assert (
        keys["S_DC2T_1X"] == (85, "", 9)
        and keys["S_DC2T_12"] == (85, "", 10)
        and keys["S_DC2T_X2"] == (85, "", 11)
    )
    assert isinstance(keys["S_NONAME_1"], Refusal)


def test_sportybet_reader_turns_an_own_family_into_the_uof_market() -> None:
    market = {
        "id": "900300",
        "name": "Home Team Total Corners",
        "specifier": "total=3.5",
        "outcomes": [{"id": "30", "desc": "Over 3.5"}, {"id": "31", "desc": "Under 3.5"}],
    }
    keys = sportybet_grammar.read_market(market, "football", "Wuhan", "Qingdao")
    assert keys == {"30": (167, "total=3.5", 12), "31": (167, "total=3.5", 13)}


def _walk_sportybet(payload: Any) -> dict[tuple[int, str, int], float]:
    """Open UOF-id outcomes of a raw SportyBet response and their prices, read without the parser."""
    found = {}
    for market in payload["data"]["markets"]:
        market_id = int(market["id"])
        if market_id >= 60000 or market["status"] != 0 or market.get("banned"):
            continue
        spec = normalise_specifier(market.get("specifier") or "", score_handicap=market_id in (14, 65, 87))
        for outcome in market["outcomes"]:
            tail = outcome["id"].rpartition(":")[2]
            if outcome["isActive"] == 1 and float(outcome["odds"]) > 1 and tail.isdigit():
                found[(market_id, spec, int(tail))] = float(outcome["odds"])
    return found


@pytest.mark.parametrize(
    "relative", ["sportybet/event_sr68995116_prematch.json", "sportybet/event_sr71550420_basketball.json"]
)
def test_every_price_an_independent_walk_finds_is_under_the_same_key(relative: str) -> None:
    payload = load_capture(relative)
    parsed = {
        (r.market, r.specifier, r.outcome): r.price
        for r in sportybet.parse_odds(payload, sr_id=sr_id_of(relative), captured_at=CAPTURED_AT).rows
        if r.state == "open"
    }
    walked = _walk_sportybet(payload)
    missing = {key: price for key, price in walked.items() if parsed.get(key) != price}
    assert not missing, list(missing.items())[:5]


@pytest.mark.parametrize(
    ("relative", "book"),
    [
        ("betpawa/v3_event_sr68995116_prematch.json", "betpawa"),
        ("bet9ja/GetEvent_sr68995116_prematch.json", "bet9ja"),
    ],
)
def test_every_keyed_price_is_a_price_the_response_quotes(relative: str, book: str) -> None:
    from palimpsest_pipeline_tests.markets.test_price_baseline import PARSERS

    payload = load_capture(relative)
    if book == "betpawa":
        quoted = Counter(
            float(p.get("odds", p.get("price")))
            for m in payload["markets"]
            for r in m["row"]
            for p in r["prices"]
            if not p.get("suspended")
        )
    else:
        quoted = Counter(float(v) for v in payload["D"]["O"].values())
    rows = PARSERS[book].parse_odds(payload, sr_id=sr_id_of(relative), captured_at=CAPTURED_AT).rows
    keyed = Counter(r.price for r in rows if r.state == "open")
    assert not keyed - quoted


def test_the_committed_grammar_catalogue_is_what_the_uof_xml_says() -> None:
    from palimpsest_pipeline.markets import generate_uof
    from palimpsest_pipeline_tests.markets.test_uof_catalogue import XML

    if not XML.is_file():
        pytest.skip(f"the UOF catalogue is not at {XML} (../shared absent)")
    rows = generate_uof.grammar_rows_from_xml(XML.read_text(encoding="utf-8"))
    assert generate_uof.render(rows) == generate_uof.GRAMMAR_FILE.read_text(encoding="utf-8")
