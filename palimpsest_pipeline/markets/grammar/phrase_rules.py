"""The phrases of market names, in the order the grammar tries them: (pattern, action), the pattern searched
in the lower-cased name, its action setting a part of the name's :class:`Parts` (a bet, the period...).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from palimpsest_pipeline.markets.grammar.description import UNVALUED


@dataclass
class Parts:
    """What the phrases read so far have said of a name."""

    counted: str | None = None
    period: str | None = None
    scope: str | None = None
    bets: list[str] = field(default_factory=list)
    qualifiers: set[str] = field(default_factory=set)
    params: dict[str, str] = field(default_factory=dict)
    conflict: str | None = None
    numbered: bool = False  # "Number Corner": the name counts without naming a bet
    over_under: bool = False  # "Over/Under" written: a bet, never the word for the count ("Total Goals")

    def set(self, part: str, value: str) -> None:
        current = getattr(self, part)
        if part == "period" and {current, value} == {"2h", "match_ot"}:
            value = "2h_ot"  # "2nd half (incl. overtime)"
        elif part == "period" and {current, value} == {"match", "match_ot"}:
            value = "match_ot"  # "FT incl OT": the full time including overtime
        elif current is not None and current != value:
            self.conflict = f"two {part}s named: {current} and {value}"
        setattr(self, part, value)


Action = Callable[[Parts, re.Match[str]], None]


def _ordinal(text: str | None) -> str:
    """ "{!goalnr}" -> "?", "1st" -> "1", "first" -> "1", "next" -> "?"; no ordinal written -> "?"."""
    if text is None:
        return UNVALUED
    words = {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5"}
    if text.startswith("{") or text == "next" or text in ("x", "xth"):
        return UNVALUED
    return words.get(text) or _NON_DIGIT.sub("", text)


_NON_DIGIT = re.compile(r"\D")
#: An ordinal; a word or number ordinal only from the start of a word, so a search never starts an attempt
#: inside a run of digits a failed attempt already read (the grammar's patterns are linear).
_ORD = r"(\{!\w+\}|\b(?:\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|next|xth|x))"


def _setting(part: str) -> Callable[[str], Action]:
    """The actions setting ``part`` of the name to a value."""
    return lambda value: lambda parts, _m: parts.set(part, value)


_period, _counted, _scope = _setting("period"), _setting("counted"), _setting("scope")


def _bet(*values: str) -> Action:
    def act(parts: Parts, _m: re.Match[str]) -> None:
        parts.bets.extend(values)

    return act


def _qualifier(value: str) -> Action:
    return lambda parts, _m: parts.qualifiers.add(value)


def _all(*actions: Action) -> Action:
    """Several actions, in order: a phrase that says more than one part ("sending off": a bet on bookings)."""

    def act(parts: Parts, match: re.Match[str]) -> None:
        for action in actions:
            action(parts, match)

    return act


def _numbered_period(name: str, key: str) -> Action:
    def act(parts: Parts, match: re.Match[str]) -> None:
        parts.set("period", name)
        parts.params[key] = _ordinal(match.group(1))

    return act


def _numbered_bet(bet: str, key: str, counted: str | None = None) -> Action:
    def act(parts: Parts, match: re.Match[str]) -> None:
        parts.bets.append(bet)
        parts.params[key] = _ordinal(match.group(1))
        if counted:
            parts.set("counted", counted)

    return act


def _minutes(parts: Parts, match: re.Match[str]) -> None:
    """ "from 1 to 10 minutes": the interval's length tells UOF's 5, 10 and 15 minute markets apart."""
    parts.set("period", "minutes")
    parts.params["from"], parts.params["to"] = match.group(1), match.group(2)
    parts.qualifiers.add(f"{int(match.group(2)) - int(match.group(1)) + 1}min")


def _minutes_template(parts: Parts, _m: re.Match[str]) -> None:
    parts.set("period", "minutes")
    parts.params["from"] = parts.params["to"] = UNVALUED


def _first_minutes(parts: Parts, match: re.Match[str]) -> None:
    """ "10 minutes" alone ("1X2 - 10 Minutes"): the first N minutes, from 1 to N. Beside a from-to window
    (UOF's "10 minutes - 1x2 from {from} to {to}") it only says the window's length."""
    minutes = int(match.group(1) or match.group(2))
    if parts.period is None:
        parts.set("period", "minutes")
        parts.params["from"], parts.params["to"] = "1", str(minutes)
    parts.qualifiers.add(f"{minutes}min")


def _row_goal_number(parts: Parts, _m: re.Match[str]) -> None:
    """ "Goalscorer nr", "(Goal {handicap})": the goal's number is the row's (BetPawa's ``number``)."""
    parts.params["goalnr"] = UNVALUED


def _player_at_least(parts: Parts, match: re.Match[str]) -> None:
    """ "Player 2+ Shots On Target": each player's bet is the count fixed by the name, at least N."""
    parts.set("scope", "player")
    parts.params["atleast"] = str(int(match.group(1)))


def _ahead_by(parts: Parts, match: re.Match[str]) -> None:
    """ "1X2 (3Up)": a 1X2 settled early once a side leads by N goals."""
    parts.qualifiers.add(f"{match.group(1)}up")


def _numbered_bet_named(bet: str, key: str) -> Action:
    """A bet whose number is part of its name ("2 or more goals in a row", "lead by 2 goals")."""

    def act(parts: Parts, match: re.Match[str]) -> None:
        parts.bets.append(bet)
        parts.params[key] = str(int(match.group(1)))

    return act


def _first_goal(parts: Parts) -> None:
    parts.bets.append("goalnr")
    parts.params["goalnr"] = "1"


def _set_number(parts: Parts, match: re.Match[str]) -> None:
    """ "Set 1 Game Handicap", "Total Games - 1S": the set's number after the word, or before an "s"."""
    parts.set("period", "set")
    parts.params["setnr"] = match.group(1) or match.group(2)


def _fixed_range(parts: Parts, match: re.Match[str]) -> None:
    """ "DC + Multi Goal 4-5": the goal range is fixed by the name, the outcomes name only the other leg."""
    low, high = int(match.group(1)), int(match.group(2))
    if low >= high:
        parts.conflict = f"goal range {low}-{high} is empty or one count"
    parts.bets.append("range")
    parts.params["range"] = f"{low}-{high}"


def _over_under(parts: Parts, _m: re.Match[str]) -> None:
    parts.over_under = True


def _numbered(parts: Parts, _m: re.Match[str]) -> None:
    parts.numbered = True


def _two_periods(parts: Parts, match: re.Match[str]) -> None:
    """ "Double Chance Half Time/1X2 Full Time": one bet at half time, another at full time (legs)."""
    first, second = (_TWO_PERIOD_BETS[match.group(g)] for g in (1, 2))
    parts.bets.append(f"htft.{first}.{second or first}")


_TWO_PERIOD_BETS = {"double chance": "dc", "dc": "dc", "1x2": "1x2", None: ""}

_LINE_NAMED = _qualifier("line-named")


#: (phrase, action), tried in this order on the lower-cased name with team names already replaced.
RULES: list[tuple[str, Action]] = [
    # a UOF template's European handicap names its line; then line placeholders, before "total" reads them
    (r"handicap \{hcp\}", _bet("eh")),
    (r"\{[+-]?(?:total|hcp)\}", _LINE_NAMED),
    # a combination over two periods ("double chance (match) & 1st half ...") is no one-period market
    (r"\(match\)", lambda p, _m: setattr(p, "conflict", "legs over different periods")),
    # combinations and whole bets that contain other bets' words come first
    (
        r"(double chance|\bdc|1x2) half ?-?time ?/ ?(double chance|\bdc|1x2)? ?full ?-?time",
        _two_periods,
    ),
    (r"multi ?goals? (\d+) ?- ?(\d+)\b", _fixed_range),
    (r"\bhalf (?:of )?(?:the )?(?:1st|first) goal\b|\b(?:1st|first) goal half\b", _bet("firstgoalhalf")),
    (r"\bgoal (?:in )?(?:injury|stoppage|added) time\b", _all(_bet("toscore"), _period("injurytime"))),
    (r"\b(?:injury|stoppage|added) time\b", _period("injurytime")),
    (r"\bred cards?\b|\bsending off\b|\bsent off\b", _all(_bet("sendingoff"), _counted("bookings"))),
    # only a player assists: "To Score or Assist" (SportyBet's desc of "Player To Score or Assist") is his bet
    (r"(?:to )?score or (?:provide an? )?assist", _all(_bet("scoreorassist"), _scope("player"))),
    (r"(?:to )?be carded|\bcarded\b", _bet("carded")),
    (r"(?:to )?be booked|\bbooked\b", _bet("booked")),
    (r"\bhome ?/ ?away\b", _scope("each")),  # only before a total's words: see FOLLOWED_BY
    (r"(?:to )?score (\d+)(?: or more|\+) goals in a row", _numbered_bet_named("inarow", "goals")),
    (
        r"half ?time ?/ ?full ?time correct score|ht ?/ ?ft correct score|halftime/fulltime correct score",
        _bet("htftcs"),
    ),
    (r"half ?-?time ?/ ?full ?-?time|halftime/fulltime|\bht ?/ ?ft\b", _bet("htft")),
    (r"1st ?/ ?2nd half both teams to score|1st/2nd half gg/ng", _bet("bttshalves")),
    (r"both teams to score in both halves|gg in both halves", _bet("bttsbothhalves")),
    (r"(?:to )?score in both halves|\bscore both halves", _bet("scorebothhalves")),
    (r"(?:to )?win both halves|both halves win", _bet("winbothhalves")),
    (r"(?:to )?win either half|either half win", _bet("wineitherhalf")),
    (r"highest scoring half|half with more goals|half more goals|more goals|half most", _bet("highesthalf")),
    (r"both halves over", _bet("bothhalvesover")),
    (r"both halves under", _bet("bothhalvesunder")),
    (r"\bgg ?/ ?ng 2\+|both teams (?:to )?score 2\+(?: goals)?", _all(_bet("btts"), _qualifier("2+"))),
    (r"(?:to )?lead by (\d+) goals?(?: at any time)?", _numbered_bet_named("leadby", "margin")),
    (r"\bany team\b", _scope("any")),
    (r"\b(?:to )?qualify\b", _bet("qualify")),  # which side goes through to the next round
    # "Team with most bookings 3 Way": which side gets more, or neither (only with the draw named)
    (r"\bteam with (?:the )?most\b", _bet("1x2")),
    (r"\bgoal bounds\b", _bet("range")),
    (r"\bexcluded (?:number of )?goals\b", _bet("excluded")),
    (r"^team to score$", _bet("whichteamscores")),
    (r"both teams (?:to )?score|\bgg ?/ ?ng\b|goal ?/ ?no goal|\bbtts\b", _bet("btts")),
    (r"which team to score|teams to score|team to score \(4[- ]way\)", _bet("whichteamscores")),
    (r"(?:to )?win to (?:nil|0)\b", _bet("wintonil")),
    (r"clean sheet", _bet("cleansheet")),
    # the score reached at any time of the match, not the final one: no UOF market
    (r"\banytime correct score\b|\bcorrect score anytime\b", _all(_bet("cs"), _qualifier("anytime"))),
    (r"correct score|exact score", _bet("cs")),
    (r"winning margins?", _bet("margin")),
    (r"multi ?scores", _bet("multiscores")),
    (r"multi ?goals?|goal range|\brange\b", _bet("range")),
    # periods
    (r"\(?incl\.? (?:overtime|ot) and penalties\)?", _period("match_ot_pen")),
    (r"\(?incl\.? (?:overtime|ot)\)?|including overtime", _period("match_ot")),
    (r"1st half|first half|\b1h\b|half-?time|\bht\b|\b1t\b", _period("1h")),
    (r"2nd half|second half|\b2h\b|\b2ht\b|\b2t\b", _period("2h")),
    (r"full ?-?time|\bft\b|regular time", _period("match")),
    (rf"{_ORD} quarter", _numbered_period("quarter", "quarternr")),
    (rf"{_ORD} set\b", _numbered_period("set", "setnr")),
    (r"\bset ([1-5])\b|\b([1-5])s\b", _set_number),
    (r"from (\d+) to (\d+)(?: minutes?)?", _minutes),
    (r"from \{from\} to \{to\}", _minutes_template),
    (r"\b(\d+) minutes\b|\bfirst (\d+) mins\b", _first_minutes),
    # numbered and sequence bets
    (rf"{_ORD} goalscorer", _numbered_bet("scorer", "goalnr")),
    (r"\bgoalscorer nr\b", _all(_bet("scorer"), _row_goal_number)),
    (r"\(goal \{handicap\}\)", _row_goal_number),
    (
        rf"{_ORD} goal\b|\{{handicap\}} goal|\bnext goal \(goal \{{handicap\}}\)",
        _numbered_bet("goalnr", "goalnr"),
    ),
    (r"first team to score|team to score first", lambda p, _m: _first_goal(p)),
    (rf"{_ORD} corner\b", _numbered_bet("goalnr", "cornernr", "corners")),
    (rf"{_ORD} (?:booking|card)\b", _numbered_bet("goalnr", "bookingnr", "bookings")),
    (r"last goalscorer", _bet("lastscorer")),
    (r"anytime goalscorer", _bet("anytimescorer")),
    (r"last goal|team to score last(?: \(3 way\)| - 3 way)?|last team to score", _bet("last")),
    (r"last corner", _all(_bet("last"), _counted("corners"))),
    # handicaps: a line in the UOF name ("handicap {hcp}") or "3-way" means European
    (r"3-?way handicap|handicap 1x2|european handicap", _bet("eh")),
    (r"asian handicap|2-?way handicap|\bhandicap\b", _bet("ah")),
    # "Home Score 1st Half", "Score 20 Minutes": a team (or anyone) scores; not "Total Score"
    (r"(?<!total )\b(?:to )?score(?= *(?:\||$))", _bet("toscore")),
    # an Asian over/under is UOF's total: whole and quarter lines are Asian there too
    (r"over ?/ ?under asian|asian over ?/ ?under|asian totals?", _bet("total")),
    # counted: match statistics first ("goal kicks" before goals, "shots on target" before shots)
    (r"\bgoal ?kicks?\b", _counted("goalkicks")),
    (r"\bthrow-?ins?\b", _counted("throwins")),
    (r"\bshots on (?:target|goal)\b|\bsot\b", _counted("shotsontarget")),
    (r"\bshots?\b", _counted("shots")),
    (r"\bfouls?\b", _counted("fouls")),
    (r"\boffsides?\b", _counted("offsides")),
    (r"\baccurate passes\b", _counted("accuratepasses")),
    (r"\bpasses\b", _counted("passes")),
    (r"\bsaves\b", _counted("saves")),
    (r"\btackles\b", _counted("tackles")),
    (r"\bassists\b", _counted("assists")),
    # cards are bookings: SportyBet prices "Team Cards" N+ as its "Total Bookings" over N - 0.5
    (r"\bcards?\b", _counted("bookings")),
    (r"\b(?:from )?outside (?:of )?(?:the )?box\b", _qualifier("outsidebox")),
    (r"\b(?:with )?(?:a )?header\b", _qualifier("header")),
    (r"\bfree-?kick\b", _qualifier("freekick")),
    (r"\bleft foot\b", _qualifier("leftfoot")),
    (r"\bright foot\b", _qualifier("rightfoot")),
    (r"\bcorners?\b|corner count", _counted("corners")),
    (r"booking points?", _counted("bookingpoints")),
    (r"\bbookings?\b", _counted("bookings")),
    (r"\bgoals?\b|\bpoints?\b|total score|\bscore\b(?! )", _counted("score")),
    (r"\bgames?\b", _counted("games")),
    (r"\bsets?\b", _counted("sets")),
    # simple bets
    (r"double chance|\bdc\b", _bet("dc")),
    (r"draw no bet|\bdnb\b", _bet("dnb")),
    (r"\bno bet\b", _bet("nobet")),
    (r"\b1x2\b|match result|\b3[- ]way\b|\bresult\b", _bet("1x2")),
    (r"odd ?/ ?even|odd or even", _bet("oddeven")),
    (r"over ?/ ?under|\bo ?/ ?u\b|\bov ?/ ?un\b", _all(_bet("total"), _over_under)),
    (r"\btotals?\b", _bet("total")),
    (r"\bexact\b", _bet("exact")),
    (r"\bwinner\b|\bto win\b|\bmoneyline\b", _bet("winner")),
    (r"\bto score\b", _bet("toscore")),
    (r"\b([1-9])up\b", _ahead_by),
    (r"^number(?: of)?\b", _numbered),
    # scope
    (r"\bplayer ([1-9][0-9]?)\+", _player_at_least),
    (r"\bplayer\b", _scope("player")),
    (r"\bhome(?: team)?\b", _scope("home")),
    (r"\baway(?: team)?\b", _scope("away")),
    # a line written in the name ("over/under 1.5", "x.5"): its value comes from the book's data
    (r"\{[+-]?(?:total|hcp)\}|\b\d+:\d+\b|[+-]\d+\.\d+\b|\b\d+\.\d+\b|\bx\.5\b|\bx:y\b", _LINE_NAMED),
]

#: Rules that apply only where the name goes on to say something (``home/away`` names each side of a total):
#: found after the match by a second search, not a lookahead, whose ``.*`` would rescan the rest of the name
#: from every occurrence.
FOLLOWED_BY = {
    r"\bhome ?/ ?away\b": re.compile(r"over ?/ ?under|\btotals?\b"),
    r"\bteam with (?:the )?most\b": re.compile(r"\b3[- ]way\b"),
}
