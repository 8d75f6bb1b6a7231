"""``palimpsest markets comparable`` on real captures of one match: each book's open outcomes (keyed or not)
another book prices openly under the same key, players resolved across the files as the pipeline resolves
them. The expected figures are this test's own walk of the parsed rows' keys."""

from __future__ import annotations

import re
from pathlib import Path

import orjson
from click.testing import CliRunner

from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.saved_response import read_saved_response
from palimpsest_pipeline.cli import main
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.scrape.odds.parsing import checked
from palimpsest_pipeline.scrape.odds.players import resolve_event_players
from palimpsest_pipeline_tests.books.payloads import CAPTURED, betpawa_naming, captured

Key = tuple[int, str, int]

#: SR 68995116 on four books (the Betway files of it carry no markets).
PREMATCH = {
    Book.BETPAWA: "betpawa/v3_event_sr68995116_prematch.json",
    Book.BET9JA: "bet9ja/GetEvent_sr68995116_prematch.json",
    Book.MSPORT: "msport/match_detail_sr68995116_prematch.json",
    Book.SPORTYBET: "sportybet/event_sr68995116_prematch.json",
}
#: Cruz Azul v Pumas players as BetPawa writes names, and the SportRadar id SportyBet's capture of SR
#: 71583282 prices each under in its Anytime Goalscorer (read by hand from that file).
NAMED = {
    "Uriel Antuna": 1006665,
    "Osinachi Christian Ebere": 918668,
    "N. Ibáñez": 1030235,
    "Rubén Duarte (Pumas)": 253415,
    "Santiago Trigos Nava": 2286725,
    "Juninho": 966393,
}


def _run(files: dict[Book, Path]) -> str:
    args = ["markets", "comparable", *(f"{book.value}={path}" for book, path in files.items())]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result.output


def _figures(output: str) -> dict[str, tuple[int, int, int]]:
    """Per book line of the table: (open, keyed, priced by another)."""
    rows = re.findall(r"^(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+[\d.]+%$", output, re.M)
    return {book: (int(a), int(b), int(c)) for book, a, b, c in rows}


def _open_keys(odds: EventOdds) -> set[Key]:
    return {
        (r.market, r.specifier, r.outcome) for r in odds.rows if r.state == "open" and r.price is not None
    }


def _walk(parsed: dict[Book, EventOdds]) -> dict[str, tuple[int, int, int]]:
    """(open outcomes, open keys, open keys another book prices openly) per book."""
    keys = {book: _open_keys(odds) for book, odds in parsed.items()}
    out = {}
    for book, own in keys.items():
        others = set().union(*(k for b, k in keys.items() if b is not book))
        out[book.value] = (parsed[book].open_outcomes, len(own), len(own & others))
    return out


def test_each_books_share_counts_against_its_open_outcomes() -> None:
    for relative in PREMATCH.values():
        captured(*relative.split("/"))  # skips without ../shared
    files = {book: CAPTURED / relative for book, relative in PREMATCH.items()}
    parsed = {book: checked(read_saved_response(book, path).odds) for book, path in files.items()}
    parsed.update(resolve_event_players(parsed))
    expected = _walk(parsed)
    output = _run(files)
    assert _figures(output) == expected
    opened, _keyed, met = expected["betpawa"]
    assert output.splitlines()[2].endswith(f"{met / opened:.1%}")
    # Every UOF market listed as meeting on no other book: none of its keys is priced by another book,
    # and its count is the book's open keys of it.
    keys = {book: _open_keys(odds) for book, odds in parsed.items()}
    listed = 0
    for book, own in keys.items():
        others = set().union(*(k for b, k in keys.items() if b is not book))
        block = re.search(rf"^{book.value}: .*?$\n((?:  .*\n)*)", output, re.M)
        for market, count in re.findall(r"^  (\d+)\s+\S+\s+(\d+) outcome", block[1] if block else "", re.M):
            mine = {key for key in own if key[0] == int(market)}
            assert mine and not mine & others and len(mine) == int(count), (book, market)
            listed += 1
    assert listed > 0


def test_a_player_named_on_one_book_meets_the_other_books_sportradar_id(tmp_path: Path) -> None:
    betpawa = tmp_path / "betpawa.json"
    betpawa.write_bytes(orjson.dumps(betpawa_naming(list(NAMED))))
    sportybet = CAPTURED / "sportybet" / "event_sr71583282_asian_handicap.json"
    captured("sportybet", "event_sr71583282_asian_handicap.json")
    files = {Book.BETPAWA: betpawa, Book.SPORTYBET: sportybet}
    parsed = {book: checked(read_saved_response(book, path).odds) for book, path in files.items()}
    unresolved = _walk(parsed)
    sporty_ids = {outcome for market, _s, outcome in _open_keys(parsed[Book.SPORTYBET]) if market == 40}
    assert set(NAMED.values()) <= sporty_ids  # the hand-read ids are SportyBet's open anytime outcomes
    parsed.update(resolve_event_players(parsed))
    resolved = _walk(parsed)
    # Keyed by name the players meet nothing; resolved, each named player meets SportyBet's id.
    assert resolved["betpawa"][2] == unresolved["betpawa"][2] + len(NAMED)
    assert resolved["sportybet"][2] == unresolved["sportybet"][2] + len(NAMED)
    assert _figures(_run(files)) == resolved


def test_files_of_two_matches_are_refused() -> None:
    captured("betpawa", "v3_event_sr68995116_prematch.json")
    captured("sportybet", "event_sr71583282_asian_handicap.json")
    result = CliRunner().invoke(
        main,
        [
            "markets",
            "comparable",
            f"betpawa={CAPTURED / 'betpawa' / 'v3_event_sr68995116_prematch.json'}",
            f"sportybet={CAPTURED / 'sportybet' / 'event_sr71583282_asian_handicap.json'}",
        ],
    )
    assert result.exit_code != 0 and "compare the same match" in result.output
