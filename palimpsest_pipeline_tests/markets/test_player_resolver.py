"""A player named by one book resolved to the SportRadar id another book lists for the same event: by hand on
made-up rosters, and on the deep SportyBet capture, whose "First Player Carded" family names each player in
full ("Nicolas Alejandro Ibanez (Cruz Azul)") under an outcome id carrying the player's id, while its UOF
goalscorer markets list the same squads as "Ibanez, Nicolas (CF Cruz Azul)": the ids are the truth."""

from __future__ import annotations

import pickle

import pytest

from palimpsest_pipeline.markets.players import (
    RosterIndex,
    RosterPlayer,
    name_key,
    name_key_or_none,
    normalise_name,
    roster_entry,
    with_name_key_as_id,
)
from palimpsest_pipeline_tests.markets.conftest import load_capture
from palimpsest_pipeline_tests.markets.player_match import PlayerMatch, resolve_player

ROSTER = [
    RosterPlayer(1, "Mbappe, Kylian", "Paris SG"),
    RosterPlayer(2, "Mbappe, Ethan", "Paris SG"),
    RosterPlayer(3, "Núñez, Darwin", "Liverpool FC"),
    RosterPlayer(4, "Hakimi, Achraf", "Paris SG"),
    RosterPlayer(5, "Salah, Mohamed", "Liverpool FC"),
]


@pytest.mark.parametrize(
    ("written", "sr_id"),
    [
        ("Kylian Mbappe", 1),
        ("Kylian Sanmi Mbappe Lottin", 1),
        ("K. Mbappe", 1),
        ("Mbappé, Kylian (Paris SG)", 1),
        ("E. Mbappe", 2),
        ("Darwin Nunez", 3),
        ("Nunez", 3),
        ("NÚÑEZ Darwin", 3),
        ("Achraf Hakimi Mouh (Paris)", 4),
        ("Mohamed Salah (Liverpool)", 5),
    ],
)
def test_a_name_resolves_to_the_one_listed_player_it_fits(written: str, sr_id: int) -> None:
    assert resolve_player(written, ROSTER) == PlayerMatch(sr_id)


@pytest.mark.parametrize(
    ("written", "why"),
    [
        ("Mbappe", "ambiguous, 2 listed players match"),
        ("K. Hakimi", "no listed player matches"),
        ("Mohamed Salah (Paris SG)", "no listed player matches"),
        ("Salah (Arsenal)", "no listed player of team 'Arsenal'"),
        ("Lionel Messi", "no listed player matches"),
        ("K. M.", "no listed player matches"),
        (" (PSG) ", "no letters to match"),
    ],
)
def test_a_name_that_fits_no_player_or_several_is_left_unresolved_with_why(written: str, why: str) -> None:
    match = resolve_player(written, ROSTER)
    assert match.sr_id is None
    assert match.reason.endswith(why)


def test_two_listed_players_of_one_name_are_ambiguous_even_when_written_exactly() -> None:
    twins = [RosterPlayer(8, "Ann Smith"), RosterPlayer(9, "Smith, Ann")]
    assert resolve_player("Ann Smith", twins).sr_id is None


@pytest.mark.parametrize(
    ("written", "listed", "sr_id"),
    [
        # "m" takes "mbappe" first, leaving "mbappe" nothing: the search gives "m" to "mario" instead
        ("M. Mbappe", ["Mbappe Mario"], 1),
        # a name with a word twice: each listed word takes one of them
        ("Ann Ann Smith", ["Smith, Ann"], 1),
        # two initials, one standing for "ann"; the shorter (listed) name has no initial
        ("A. A. Smith", ["Ann Smith"], 1),
        # the longer (listed) name has an initial: "john" is not listed, "j" stands for it
        ("John Smith", ["J. Smith Jones", "Smith Jones"], 1),
        # a name longer than the listed one, and one listed player whose words are not all in it
        ("Tomas Thiago Kado", ["Kado, Tomas", "Tomas Vela", "Kado Vela"], 1),
        # the team written picks one of two players listed under the same name
        ("Ann Smith (Chelsea)", ["Smith, Ann", "Smith, Ann"], 2),
    ],
)
def test_the_words_of_one_name_fit_the_others_whatever_their_order_and_initials(
    written: str, listed: list[str], sr_id: int
) -> None:
    teams = ["Arsenal", "Chelsea FC"] if len(listed) == 2 and listed[0] == listed[1] else [""] * len(listed)
    roster = [
        RosterPlayer(index + 1, name, team)
        for index, (name, team) in enumerate(zip(listed, teams, strict=True))
    ]
    assert resolve_player(written, roster) == PlayerMatch(sr_id)


@pytest.mark.parametrize(
    ("written", "listed", "why"),
    [
        ("Ann Smith", ["Ann Ann"], "no listed player matches"),  # "smith" fits no word
        ("B. Smith", ["Ann Smith"], "no listed player matches"),  # "b" starts no listed word
        ("Ann Smith", ["Smith, Ann", "Smith, Ann"], "ambiguous, 2 listed players match"),
        ("Mario Mbappe", ["M. Mbappe", "Mbappe Mario Jr"], "ambiguous, 2 listed players match"),
    ],
)
def test_names_whose_words_do_not_fit_or_fit_several_are_left_unresolved(
    written: str, listed: list[str], why: str
) -> None:
    roster = [RosterPlayer(index + 1, name) for index, name in enumerate(listed)]
    assert resolve_player(written, roster) == PlayerMatch(None, f"{written!r}: {why}")


def test_a_roster_index_answers_every_name_as_resolve_player_does() -> None:
    index = RosterIndex(ROSTER)
    for written in (
        "Kylian Mbappe",
        "K. Mbappe",
        "Mbappe",
        "Salah (Arsenal)",
        "Nunez",
        "K. M.",
        "Kylian Mbappe",
    ):
        assert index.resolve_id(written) == RosterIndex(ROSTER).resolve_id(written)
    assert index.resolve_id("K. Mbappe") == 1
    assert index.resolve_id("Mbappe") == "'Mbappe': ambiguous, 2 listed players match"


def test_roster_entries_come_only_from_outcomes_carrying_a_player_id() -> None:
    assert roster_entry("sr:player:1006665", "Antuna, Uriel (Pumas UNAM)") == RosterPlayer(
        1006665, "Antuna, Uriel", "Pumas UNAM"
    )
    assert roster_entry("pre:playerprops:71583282:966393:2", "Juninho (Pumas UNAM) 2+") == RosterPlayer(
        966393, "Juninho", "Pumas UNAM"
    )
    assert roster_entry("1716", "No Goal") is None


def test_a_remembered_outcome_text_lists_its_player_under_each_outcomes_own_id_or_not_at_all() -> None:
    """The text is read once for every id it comes with: the id is still read per outcome, and an outcome
    that carries no player id lists nothing even when its text was listed under one before."""
    text = "Antuna, Uriel (Pumas UNAM) 2+"
    assert roster_entry("sr:player:1006665", text) == RosterPlayer(1006665, "Antuna, Uriel", "Pumas UNAM")
    assert roster_entry("pre:playerprops:1:42:2", text) == RosterPlayer(42, "Antuna, Uriel", "Pumas UNAM")
    assert roster_entry("sr:competitor:1006665", text) is None
    assert roster_entry("sr:player:7", "-- 2+") is None  # no letters: no name to list
    assert roster_entry("sr:player:7", "x" * 201) is None  # over the name cap


def test_roster_players_are_values_equal_by_id_name_and_team_across_a_pickle() -> None:
    listed = {RosterPlayer(1, "Mbappe, Kylian", "Paris SG"), RosterPlayer(1, "Mbappe, Kylian", "Paris SG")}
    assert len(listed) == 1 and RosterPlayer(1, "Mbappe, Kylian") != RosterPlayer(1, "Mbappe, Kylian", "PSG")
    travelled = pickle.loads(pickle.dumps(listed))
    assert travelled == listed and type(next(iter(travelled))) is RosterPlayer
    assert next(iter(travelled)).team == "Paris SG"


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("O'Neil-Smith_Jr.", "o neil smith_jr"),  # an underscore is a word character, as in \w
        ("Smith,\tAnn (Leeds)", "ann smith"),
        ('Ann~Smith!@#$%^&*+=[]{}<>?/\\|`"', "ann smith"),
        ("Ñíguez, José-Luis (Elche)", "jose luis niguez"),
        ("A1 B2", "a1 b2"),
    ],
)
def test_a_name_is_normalised_to_its_words_in_lower_case(name: str, normalised: str) -> None:
    assert normalise_name(name) == normalised


@pytest.mark.parametrize("name", ["Kylian Mbappe", "Núñez, Darwin (Liverpool)", "K. Mbappe 2+"])
def test_a_name_key_or_none_is_the_name_key_of_a_name_it_takes(name: str) -> None:
    assert name_key_or_none(name) == name_key(name)


@pytest.mark.parametrize("name", ["", " -- ", "x" * 201])
def test_a_name_key_or_none_is_none_where_the_name_key_refuses_the_name(name: str) -> None:
    with pytest.raises(ValueError):
        name_key(name)
    assert name_key_or_none(name) is None


def test_a_name_keyed_player_is_rekeyed_by_its_id_in_outcome_or_specifier() -> None:
    player = name_key("Kylian Mbappe")
    assert with_name_key_as_id((40, "type=prematch", player), player, 7) == (40, "type=prematch", 7)
    canonical = (2_000_003, f"market=shots.match.player.total|player={player}|total=1.5", 12)
    assert with_name_key_as_id(canonical, name_key("Mbappe, Kylian"), 7) == (
        2_000_003,
        "market=shots.match.player.total|player=7|total=1.5",
        12,
    )
    assert with_name_key_as_id((1, "", 1), player, 7) == (1, "", 1)


def test_sportybets_full_names_resolve_to_their_own_ids_or_stay_unresolved_never_wrong() -> None:
    body = load_capture("sportybet/event_sr71583282_asian_handicap.json")["data"]
    roster = {
        entry.sr_id: entry
        for market in body["markets"]
        if market["id"] in ("38", "39", "40")
        for outcome in market["outcomes"]
        if (entry := roster_entry(str(outcome["id"]), outcome["desc"])) is not None
    }
    carded = next(m for m in body["markets"] if m["id"] == "800118")
    resolved, unresolved = 0, []
    for outcome in carded["outcomes"]:
        truth = int(outcome["id"].split(":")[3])
        match = resolve_player(outcome["desc"], list(roster.values()))
        if match.sr_id is None:
            unresolved.append(outcome["desc"])
        else:
            assert match.sr_id == truth, f"{outcome['desc']!r} resolved to {match.sr_id}, its id is {truth}"
            resolved += 1
    # every listed player the family names resolves; the rest are players the roster does not list, or
    # lists under another name (2637575 is "Mendoza, Jaziel" in UOF 40 and "Karol Velazquez" here)
    listed = sum(int(o["id"].split(":")[3]) in roster for o in carded["outcomes"])
    assert resolved >= listed - 3 and resolved > 40
    assert "Karol Velazquez (Cruz Azul)" in unresolved
