"""Betway ``MarketGroupNamesAndMarketsForEvent`` -> canonical odds rows.

Three arrays joined by id (../shared/PLATFORMS.md): ``marketsInGroup``, ``outcomes``, ``prices``. A market id
is the event id (the bare SR id), UOF's market id and UOF's specifier as ``key=value~`` pairs
("7158328218total=0.5~"); an outcome id is its market's id and UOF's outcome id (a player's SR id for a
goalscorer). A "squashed" market lists its lines' outcomes under itself, each naming its line's market in
``originalMarketId``. The ids are read and checked: the market number against ``subscriptionId``, the
specifier's names against UOF's market, its lines against every other place (betway/lines.py), each outcome
name against UOF's outcome (markets/uof_outcome_names.py), a decimal price against its fraction; a market that
fails is set aside with the reason. Markets UOF's catalogue lacks (``1601``, "1X2 (1Up)") are read by the
grammar from their names. Tradeable: market ``isActive`` and not ``isSuspended``, outcome
``isTradingActive``, price > 1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

from palimpsest_pipeline.books.betway.lines import line_fields, market_conflict
from palimpsest_pipeline.books.odds_errors import OddsPayloadError
from palimpsest_pipeline.books.odds_parse import EventOdds
from palimpsest_pipeline.books.odds_values import (
    BadValue,
    id_problem,
    note_unreadable_texts,
    price_value,
    require_list,
    require_mapping,
)
from palimpsest_pipeline.markets.free_text import overlong
from palimpsest_pipeline.markets.grammar import sportybet as platform_grammar
from palimpsest_pipeline.markets.grammar.description import Unreadable
from palimpsest_pipeline.markets.grammar.walk import JSON_OBJECT
from palimpsest_pipeline.markets.players import RosterPlayer, roster_entry
from palimpsest_pipeline.markets.specifiers import SpecifierError, join_specifier, normalise_specifier
from palimpsest_pipeline.markets.uof_ids import is_catalogued, market_definition, parameter_problem
from palimpsest_pipeline.markets.uof_outcome_names import (
    AWAY_NAMED,
    HOME_NAMED,
    Teams,
    TeamsRead,
    name_conflict,
)
from palimpsest_pipeline.markets.vocabulary import SCORE_HANDICAP_MARKETS, VOCABULARY, MarketDef, key_kind
from palimpsest_pipeline.records import MAX_ID_CHARS, MAX_SPECIFIER_CHARS, Book, OddsRow, OddsState

BOOK = Book.BETWAY
SPORTS = {"soccer": "football", "basketball": "basketball", "tennis": "tennis"}
GOALSCORERS = frozenset({38, 39, 40})
#: A decimal price and its fraction may differ by rounding only.
_PRICE_TOLERANCE = 0.011
_UNREADABLE = (OddsPayloadError, SpecifierError, BadValue, KeyError, TypeError, ValueError, AttributeError)

Key = tuple[int, str, int]
#: Plans kept (``_Parse.planned``); past it the cache starts again, so a stream of odd markets cannot grow it.
MAX_PLANS = 4096
_PLANS: dict[tuple[Any, ...], _Plan] = {}
_ROW = tuple.__new__
#: A row's state by whether it is open.
_STATES: dict[bool, OddsState] = {True: "open", False: "suspended"}
#: Marks a text field of a type the plans do not key (a str subclass): such a market is read whole.
_ODD = object()
#: An outcome's fields the plans read, in one call (``group_outcomes``); an outcome lacking one is read
#: field by field, a missing field as None.
_OUTCOME_FIELDS = ("originalMarketId", "marketId", "outcomeId", "name", "sbv", "isTradingActive", "handicap")
_READ_OUTCOME = itemgetter(*_OUTCOME_FIELDS)
#: A listed market's fields the plans read (``_market_shape``), likewise.
_MARKET_FIELDS = ("eventId", "isActive", "isSuspended", "name", "displayName", "handicap", "subscriptionId")
_READ_MARKET = itemgetter(*_MARKET_FIELDS)
#: In ``_Parse.decimals``: a price the plans do not read (priced twice, not an object, no readable decimal or
#: one its fraction denies); its outcome's market is read whole, which sets it aside with the reason.
_UNPLANNED = object()
_INFINITY = float("inf")


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a UOF market's ids, names and lines decide, read once per market shape: its number and
    normalised specifier, per outcome the UOF outcome it keys (None: counted unmapped), the players it
    names, and for which teams the names' reading holds."""

    teams: TeamsRead
    number: int
    spec: str
    kind: str
    #: the market's number as the unmapped counts name it
    label: str
    outcomes: tuple[int | None, ...]
    #: no outcome left unmapped (None in ``outcomes``)
    all_keyed: bool
    keys: tuple[Key, ...]
    players: tuple[RosterPlayer, ...]


@dataclass(frozen=True, slots=True)
class MarketId:
    """A market id read: UOF's market number and its specifier's pairs, in the order written."""

    number: int
    pairs: tuple[tuple[str, str], ...]


def read_market_id(text: Any, event: str) -> MarketId:
    """``"7158328218total=0.5~"`` with event ``"71583282"`` -> MarketId(18, (("total", "0.5"),)); ValueError
    naming what is wrong for anything else."""
    if not isinstance(text, str) or not text.startswith(event):
        raise ValueError(f"market id {str(text)[:60]!r} does not start with the event id {event}")
    rest = text[len(event) :]
    digits = len(rest) - len(rest.lstrip("0123456789"))
    if digits == 0:
        raise ValueError(f"market id {text[:60]!r} has no market number after the event id")
    tail = rest[digits:]
    if tail and not tail.endswith("~"):
        raise ValueError(f"market id {text[:60]!r}: specifier {tail[:40]!r} does not end in '~'")
    pairs: list[tuple[str, str]] = []
    for part in tail[:-1].split("~") if tail else ():
        key, equals, value = part.partition("=")
        if not equals or not key or not (key.replace("_", "").isascii() and key.replace("_", "").isalpha()):
            raise ValueError(f"market id {text[:60]!r}: {part[:40]!r} is not key=value")
        pairs.append((key, value))
    return MarketId(int(rest[:digits]), tuple(pairs))


def parse_odds(payload: Mapping[str, Any], *, sr_id: int, captured_at: datetime) -> EventOdds:
    """Parse one markets answer into canonical rows; a market or outcome that cannot be read is set aside
    (``EventOdds.set_aside``) and the rest parsed."""
    require_mapping(BOOK, payload, "payload")
    markets = require_list(BOOK, payload.get("marketsInGroup"), "marketsInGroup")
    outcomes = require_list(BOOK, payload.get("outcomes"), "outcomes")
    prices = require_list(BOOK, payload.get("prices"), "prices")
    home, away, sport = _event(payload, markets, sr_id)
    parse = _Parse(EventOdds(), str(sr_id), sr_id, captured_at, home, away, sport)
    event = payload.get("sportEvent")
    if isinstance(event, JSON_OBJECT):
        parse.result.malformed.extend(note_unreadable_texts(BOOK, event, _EVENT_TEXTS, "sportEvent"))
        if parse.result.malformed:  # the teams or sport unknown: what they key is not read, none closes
            parse.result.unread_everything()
    parse.index_markets(markets)
    parse.index_prices(prices)
    for group, (members, fields) in parse.group_outcomes(outcomes).items():
        if len(fields) == len(members) and parse.planned(group, members, fields):
            continue
        rows_before, described_before = len(parse.result.rows), len(parse.described)
        aside_before = len(parse.result.malformed)
        try:
            parse.market(group, members)
        except _UNREADABLE as error:
            parse.set_aside_all(group, members, _reason(f"market {group[:60]!r}", error))
        if len(parse.result.malformed) > aside_before:  # an outcome set aside: its line not read whole
            parse.result.unread_beside(parse.result.rows[rows_before:])
            parse.result.unread_beside(parse.described[described_before:])
    parse.add_described()
    parse.count_planned()
    return parse.result


def _reason(where: str, error: Exception) -> str:
    if isinstance(error, OddsPayloadError):
        return str(error)
    what = error.what if isinstance(error, BadValue) else str(error)
    return f"{BOOK.value}: {where}: {what[:240]}"


#: The match's fields read as text (a value of another type is noted: ``note_unreadable_texts``).
_EVENT_TEXTS = ("homeTeam", "awayTeam", "sportId")


def _event(payload: Mapping[str, Any], markets: list[Any], sr_id: int) -> tuple[str, str, str | None]:
    """(home, away, sport) of the match; raises when the payload is another match's. Without a readable
    ``sportEvent`` (the basketball and tennis captures have none) the teams are read from the names, and
    each market's own ``eventId`` still says whose it is."""
    event = payload.get("sportEvent")
    if not isinstance(event, JSON_OBJECT):
        home, away = _teams_from_names(markets)
        return home, away, None
    if event.get("eventId") != sr_id:
        raise OddsPayloadError(
            BOOK, "sportEvent.eventId", f"{str(event.get('eventId'))[:40]!r} is not {sr_id}"
        )
    named = {key: event.get(key) for key in _EVENT_TEXTS}
    texts = {key: value if isinstance(value, str) else "" for key, value in named.items()}
    return texts["homeTeam"], texts["awayTeam"], SPORTS.get(texts["sportId"])


#: A market's flags: true or false, or absent (not tradeable); anything else cannot say whether it is.
_FLAGS = ("isActive", "isSuspended")


def _check_flags(market: Mapping[str, Any]) -> None:
    """Raise naming a flag of the market that is neither true nor false (nor absent): whether its
    outcomes can be taken is not guessed."""
    for name in _FLAGS:
        flag = market.get(name)
        if flag is not None and type(flag) is not bool:
            raise ValueError(f"{name} {str(flag)[:40]!r} is not true or false")


def _fraction_disagrees(decimal: float | None, numerator: Any, denominator: Any) -> bool:
    """Whether a price's fraction (whole numbers, when given) says another price than its decimal: the same
    price is carried twice, and a price whose two forms disagree is not keyed."""
    return (
        decimal is not None
        and type(numerator) is int
        and type(denominator) is int
        and denominator > 0
        and abs(1 + numerator / denominator - decimal) > max(_PRICE_TOLERANCE, decimal * 0.005)
    )


def _market_shape(market: Mapping[str, Any], sr_id: int) -> tuple[tuple[Any, ...], bool] | None:
    """What the plans key of a listed market (its number, names and handicap, each of an exact type) and
    whether it is open; None where the plans do not read it (another event's, a flag neither true nor false,
    a name of a str subclass): its outcomes are read whole, which sets aside what must be."""
    try:
        fields = _READ_MARKET(market) if type(market) is dict else None
    except KeyError:
        fields = None
    if fields is None:
        fields = tuple(market.get(name) for name in _MARKET_FIELDS)
    event_id, active, suspended, name, shown, handicap, subscription = fields
    if event_id != sr_id:
        return None
    if (active is not None and type(active) is not bool) or (
        suspended is not None and type(suspended) is not bool
    ):
        return None
    name, shown = _text(name), _text(shown)
    if name is _ODD or shown is _ODD:
        return None
    return (subscription, name, shown, type(handicap), handicap), active is True and suspended is False


def _planned_decimal(price: Any) -> Any:
    """A price's decimal as the plans read it (None: closed), or ``_UNPLANNED`` for a price they do not
    read: not an object, no readable decimal, or one its fraction denies."""
    if type(price) is not dict:
        return _UNPLANNED
    decimal = price.get("priceDecimal")
    if type(decimal) is not float or not 1.0 < decimal < _INFINITY:
        try:
            decimal = price_value(decimal)
        except BadValue:
            return _UNPLANNED
    if _fraction_disagrees(decimal, price.get("numerator"), price.get("denominator")):
        return _UNPLANNED
    return decimal


def _teams_from_names(markets: list[Any]) -> tuple[str, str]:
    """The teams where the answer does not name them: "[Home Team] Total" shown as "Baskets Bonn Total"."""
    votes: tuple[Counter[str], Counter[str]] = (Counter(), Counter())
    for market in markets:
        if not isinstance(market, JSON_OBJECT):
            continue
        name, shown = market.get("name"), market.get("displayName")
        if not isinstance(name, str) or not isinstance(shown, str) or len(shown) > 200:
            continue
        for side, tag in enumerate(("[Home Team]", "[Away Team]")):
            tail = name[len(tag) :].strip().lower() if name.startswith(tag) else ""
            if tail and shown.lower().endswith(tail):
                team = shown[: len(shown) - len(tail)].rstrip(" -").strip()
                if team:
                    votes[side][team] += 1
    teams = [counts.most_common(1)[0][0] if counts else "" for counts in votes]
    return (teams[0], teams[1]) if teams[0] != teams[1] else ("", "")


class _Parse:
    """One answer being parsed: its markets and prices by id, and the rows found."""

    def __init__(
        self,
        result: EventOdds,
        event: str,
        sr_id: int,
        captured_at: datetime,
        home: str,
        away: str,
        sport: str | None,
    ) -> None:
        self.result, self.event, self.sr_id, self.captured_at = result, event, sr_id, captured_at
        self.home, self.away, self.sport = home, away, sport
        #: outcomes named exactly as a team are keyed by side in the plans' signatures (``plain_teams``)
        self.teams = Teams.of(home, away)
        self.sides = (home, away) if self.teams.plain else (_ODD, _ODD)
        self.markets: dict[str, Mapping[str, Any]] = {}
        #: per listed market, what the plans read of it (``_market_shape``)
        self.shapes: dict[str, tuple[tuple[Any, ...], bool] | None] = {}
        self.prices: dict[str, Any] = {}
        #: per priced outcome, its decimal as the plans read it (None: closed), else ``_UNPLANNED``
        self.decimals: dict[str, Any] = {}
        self.twice_priced: set[str] = set()
        #: why a price names no outcome that can be read (its ``outcomeId`` no id): an unpriced outcome of
        #: this answer may be the one it prices, so none is read as closed (``_price``)
        self.unmatched_price: str | None = None
        self.twice_listed: set[str] = set()
        self.keyed: set[Key] = set()
        self.described: list[OddsRow] = []
        #: open outcomes the plans keyed, by their markets' kind: counted once per answer (``count_planned``)
        self.planned_open: dict[str, int] = {}

    def index_markets(self, markets: list[Any]) -> None:
        indexed, shapes, twice_listed, sr_id = self.markets, self.shapes, self.twice_listed, self.sr_id
        for index, market in enumerate(markets):
            market_id = market.get("marketId") if isinstance(market, JSON_OBJECT) else None
            if not isinstance(market_id, str) or id_problem(market_id) is not None:
                self.result.set_aside(
                    market_id, f"{BOOK.value}: marketsInGroup[{index}]: no readable marketId"
                )
            elif market_id in indexed or market_id in twice_listed:
                # listed twice: neither is trusted, so its outcomes find no market and are set aside
                twice_listed.add(market_id)
                indexed.pop(market_id, None)
                shapes.pop(market_id, None)
            else:
                indexed[market_id] = market
                shapes[market_id] = _market_shape(market, sr_id)

    def index_prices(self, prices: list[Any]) -> None:
        """Prices by outcome id, and each one's decimal as the plans read it (``decimals``)."""
        indexed, decimals = self.prices, self.decimals
        for price in prices:
            outcome_id = price.get("outcomeId") if isinstance(price, JSON_OBJECT) else None
            if type(outcome_id) is not str or len(outcome_id) > MAX_ID_CHARS:
                problem = id_problem(outcome_id) or f"id is {type(outcome_id).__name__}, not text"
                self.unmatched_price = self.unmatched_price or f"a price's outcomeId: {problem}"
                continue
            decimal = _planned_decimal(price)
            if outcome_id in indexed:
                self.twice_priced.add(outcome_id)
                decimal = _UNPLANNED
            decimals[outcome_id] = decimal
            indexed[outcome_id] = price

    def group_outcomes(
        self, outcomes: list[Any]
    ) -> dict[str, tuple[list[tuple[int, Any]], list[tuple[Any, ...]]]]:
        """Outcomes by the market whose line they are (``originalMarketId``, else ``marketId``), each with
        the fields the plans read (``_OUTCOME_FIELDS``; none for an outcome that is not a dict)."""
        groups: dict[str, tuple[list[tuple[int, Any]], list[tuple[Any, ...]]]] = {}
        read = _READ_OUTCOME
        for index, outcome in enumerate(outcomes):
            fields: tuple[Any, ...] | None = None
            if type(outcome) is dict:
                try:
                    fields = read(outcome)
                except KeyError:
                    fields = tuple(outcome.get(name) for name in _OUTCOME_FIELDS)
                group = fields[0] or fields[1]
            elif isinstance(outcome, JSON_OBJECT):
                group = outcome.get("originalMarketId") or outcome.get("marketId")
            else:
                group = None
            if not isinstance(group, str) or id_problem(group) is not None:
                self.result.set_aside(group, f"{BOOK.value}: outcomes[{index}]: no readable marketId")
                continue
            listed = groups.get(group)
            if listed is None:
                listed = groups[group] = ([], [])
            listed[0].append((index, outcome))
            if fields is not None:
                listed[1].append(fields)
        return groups

    def planned(self, group: str, members: list[tuple[int, Any]], fields: list[tuple[Any, ...]]) -> bool:
        """Key one market by its shape's plan, reading only its states and prices; False (nothing done) when
        it has none or a value the plan does not decide is unusual: the caller then reads it whole. The
        signature holds every field the plan depends on (ids relative to the event), each of an exact type
        (1, 1.0 and true are equal keys). ``fields``: every outcome's ``_OUTCOME_FIELDS``."""
        event = self.event
        parent_id = fields[0][1]
        if type(parent_id) is not str or not group.startswith(parent_id) or not parent_id.startswith(event):
            return False
        shapes = self.shapes
        parent, own = shapes.get(parent_id), shapes.get(group)
        if parent is None:  # not listed, another event's, or a flag or name unusual
            return False
        if own is not None:
            own_shape, market_open = own[0], parent[1] and own[1]
        elif group in shapes:  # listed, but the plans do not read it
            return False
        else:  # a line of a squashed market, not listed on its own
            own_shape, market_open = None, parent[1]
        cut = len(event)  # in the signature too: an id's length is checked whole
        home, away = self.sides
        decimals = self.decimals
        width = len(group)
        # flat: the market's five fields, then five per outcome
        signature: list[Any] = [cut, group[cut:], parent_id[cut:], parent[0][0], own_shape]
        read: list[tuple[Any, bool]] = []
        opened = 0
        for _original, parent_named, outcome_id, name, sbv, trading, handicap in fields:
            if (
                parent_named != parent_id
                or type(outcome_id) is not str
                or not outcome_id.startswith(group)
                or (name is not None and type(name) is not str)
                or type(trading) is not bool
            ):
                return False
            if type(sbv) is not str:
                if isinstance(sbv, str):
                    return False
                sbv = None  # not text: the lines' check reads it as none
            decimal = decimals.get(outcome_id)
            if decimal is _UNPLANNED or (decimal is None and self.unmatched_price):
                return False
            side = HOME_NAMED if name == home else AWAY_NAMED if name == away else name
            signature += (outcome_id[width:], side, sbv, type(handicap), handicap)
            is_open = market_open and trading and decimal is not None
            opened += is_open
            read.append((decimal, is_open))
        key = tuple(signature)
        try:
            plan = _PLANS.get(key)
        except TypeError:  # a list or an object where a number belongs: read whole
            return False
        if plan is None or not plan.teams.holds(self.teams):
            plan = self._plan(group, self.markets[parent_id], self.markets.get(group), members)
            if plan is None:
                return False
            if len(_PLANS) >= MAX_PLANS:
                _PLANS.clear()
            _PLANS[key] = plan
        keyed = self.keyed
        if not keyed.isdisjoint(plan.keys):  # another market keyed it: read whole, set aside with its reason
            return False
        keyed.update(plan.keys)
        result = self.result
        if plan.players:
            result.roster.update(plan.players)
        sr_id, number, spec, captured_at = self.sr_id, plan.number, plan.spec, self.captured_at
        # the signature holds one entry per outcome: the plan's outcomes are as many as those read
        if plan.all_keyed:
            result.rows += [
                _ROW(OddsRow, (sr_id, BOOK, number, spec, outcome, price, _STATES[is_open], captured_at))
                for outcome, (price, is_open) in zip(plan.outcomes, read, strict=False)
            ]
            keyed_open, unmapped_open = opened, 0
        else:
            keyed_open = unmapped_open = 0
            rows = result.rows
            for outcome_number, (price, is_open) in zip(plan.outcomes, read, strict=False):
                if outcome_number is None:
                    unmapped_open += is_open
                    continue
                keyed_open += is_open
                state: OddsState = "open" if is_open else "suspended"
                rows.append(
                    _ROW(OddsRow, (sr_id, BOOK, number, spec, outcome_number, price, state, captured_at))
                )
        if unmapped_open:
            result.count_market(plan.label, plan.kind, 0, unmapped_open)
        if keyed_open:
            counts = self.planned_open
            counts[plan.kind] = counts.get(plan.kind, 0) + keyed_open
        return True

    def count_planned(self) -> None:
        """Count the open outcomes the plans keyed, once per kind of market (sums, so the same figures)."""
        for kind, keyed_open in self.planned_open.items():
            self.result.count_market("", kind, keyed_open, 0)

    def _plan(
        self,
        group: str,
        parent: Mapping[str, Any],
        own: Mapping[str, Any] | None,
        members: list[tuple[int, Any]],
    ) -> _Plan | None:
        """The plan of a UOF market whose ids, names and lines read without a fault (as ``market`` reads
        them); None for any other: the caller reads it whole, and sets aside what it must."""
        try:
            market_id = read_market_id(group, self.event)
            number = market_id.number
            for market in (parent, own) if own is not None else (parent,):
                self._check_market(market, market_id)
            if not is_catalogued(number) or number not in VOCABULARY:
                return None
            if parameter_problem(number, frozenset(key for key, _value in market_id.pairs)) is not None:
                return None
            self._check_names(market_id, own, members)
            spec = normalise_specifier(
                join_specifier(dict(market_id.pairs)), score_handicap=number in SCORE_HANDICAP_MARKETS
            )
            definition = market_definition(number, dict(market_id.pairs).get("variant"))
            outcomes: list[int | None] = []
            players: list[RosterPlayer] = []
            for _index, outcome in members:
                outcome_id, name = outcome["outcomeId"], outcome.get("name")
                outcome_number = self._suffix(outcome)
                if (
                    id_problem(outcome_id) is not None
                    or outcome_number is None
                    or (name is not None and overlong(name, "outcome name"))
                ):
                    return None
                if number in GOALSCORERS and outcome_number != 1716 and name is not None:
                    player = roster_entry(f"sr:player:{outcome_number}", name)
                    if player is not None:
                        players.append(player)
                outcomes.append(outcome_number if definition.accepts(outcome_number) else None)
        except _UNREADABLE:
            return None
        keys = tuple((number, spec, outcome) for outcome in outcomes if outcome is not None)
        if len(set(keys)) != len(keys):  # a key listed twice in the market: read whole, set aside
            return None
        names = [own.get("name"), own.get("displayName")] if own is not None else []
        outcome_names = [outcome.get("name") for _index, outcome in members]
        sides = self.teams.plain and any(name in (self.home, self.away) for name in outcome_names)
        if sides and number in GOALSCORERS:  # a player named as a team: its roster entry is this event's
            return None
        names += [name for name in outcome_names if not sides or name not in (self.home, self.away)]
        return _Plan(
            TeamsRead.of(
                (name for name in names if isinstance(name, str)), self.home, self.away, sides_marked=sides
            ),
            number,
            spec,
            key_kind(number),
            str(number),
            tuple(outcomes),
            None not in outcomes,
            keys,
            tuple(players),
        )

    def set_aside_all(self, group: str, members: list[tuple[int, Any]], reason: str) -> None:
        for _member in members:
            self.result.set_aside(group, reason)

    def market(self, group: str, members: list[tuple[int, Any]]) -> None:
        """One market's outcomes (a squashed market's line counts as its own market)."""
        market_id = read_market_id(group, self.event)
        named = Counter(str(outcome.get("marketId")) for _index, outcome in members)
        parent_id = named.most_common(1)[0][0]
        for index, outcome in members:  # an outcome naming another parent than its market's others
            if str(outcome.get("marketId")) != parent_id:
                self.result.set_aside(group, f"{BOOK.value}: outcomes[{index}]: marketId is not its market's")
        members = [
            (index, outcome) for index, outcome in members if str(outcome.get("marketId")) == parent_id
        ]
        parent = self.markets.get(parent_id)
        if parent is None or not group.startswith(parent_id):
            raise ValueError(f"parent market {str(parent_id)[:60]!r} is not listed or not its parent")
        own = self.markets.get(group)
        listed = [m for m in (parent, own) if m is not None]
        for market in listed:
            self._check_market(market, market_id)
        for market in listed:
            _check_flags(market)
        market_open = all(m.get("isActive") is True and m.get("isSuspended") is False for m in listed)
        if not is_catalogued(market_id.number) or market_id.number not in VOCABULARY:
            self._described_market(group, market_id, own or parent, members, market_open)
            return
        problem = parameter_problem(market_id.number, frozenset(key for key, _value in market_id.pairs))
        if problem is not None:
            raise ValueError(problem)
        self._check_names(market_id, own, members)
        spec = normalise_specifier(
            join_specifier(dict(market_id.pairs)), score_handicap=market_id.number in SCORE_HANDICAP_MARKETS
        )
        definition = market_definition(market_id.number, dict(market_id.pairs).get("variant"))
        for index, outcome in members:
            try:
                self._uof_row(group, market_id.number, spec, definition, outcome, market_open)
            except _UNREADABLE as error:
                self.result.set_aside(group, _reason(f"outcomes[{index}]", error))

    def _check_market(self, market: Mapping[str, Any], market_id: MarketId) -> None:
        if market.get("eventId") != self.sr_id:
            raise ValueError(f"market eventId {str(market.get('eventId'))[:40]!r} is not {self.sr_id}")
        subscription = market.get("subscriptionId")
        if subscription is not None and subscription != market_id.number:
            raise ValueError(
                f"subscriptionId {str(subscription)[:40]} is not the id's market {market_id.number}"
            )

    def _check_names(
        self, market_id: MarketId, own: Mapping[str, Any] | None, members: list[tuple[int, Any]]
    ) -> None:
        """The id's lines against every place that writes one, and each outcome's name against UOF's."""
        try:
            fields = line_fields(dict(market_id.pairs))
        except ValueError:
            raise ValueError(f"specifier {market_id.pairs!r} has a line that is not a number") from None
        suffixes = [(self._suffix(outcome), outcome) for _index, outcome in members]
        texts = [own.get("name"), own.get("displayName")] if own is not None else []
        numbers = [("market handicap", own.get("handicap"))] if own is not None else []
        outcomes = [(number, outcome.get("sbv"), outcome.get("handicap")) for number, outcome in suffixes]
        conflict = market_conflict(fields, texts, numbers, outcomes, self.home, self.away)
        if conflict is not None:
            raise ValueError(conflict)
        for number, outcome in suffixes:
            name = outcome.get("name")
            if number is not None and isinstance(name, str):
                denied = name_conflict(market_id.number, number, name, self.home, self.away)
                if denied is not None:
                    raise ValueError(denied)

    def _suffix(self, outcome: Mapping[str, Any]) -> int | None:
        """The UOF outcome number ending an outcome id (None when it does not read: the row says why)."""
        outcome_id, group = (
            outcome.get("outcomeId"),
            outcome.get("originalMarketId") or outcome.get("marketId"),
        )
        if not isinstance(outcome_id, str) or not isinstance(group, str) or not outcome_id.startswith(group):
            return None
        tail = outcome_id[len(group) :]
        return int(tail) if tail.isascii() and tail.isdigit() and len(tail) < 12 else None

    def _price(self, outcome_id: str) -> float | None:
        """The outcome's decimal price (None: closed or not priced), checked against its fraction."""
        if outcome_id in self.twice_priced:
            raise ValueError(f"outcome {outcome_id[:60]!r} is priced twice")
        price = self.prices.get(outcome_id)
        if price is None:
            if self.unmatched_price:  # its price may be the one whose id cannot be read: not read as closed
                raise ValueError(f"no price of its own, and {self.unmatched_price}")
            return None
        price = require_mapping(BOOK, price, f"prices[{outcome_id[:60]}]")
        decimal = price_value(price.get("priceDecimal"))
        numerator, denominator = price.get("numerator"), price.get("denominator")
        if _fraction_disagrees(decimal, numerator, denominator):
            raise ValueError(f"priceDecimal {decimal} disagrees with its fraction {numerator}/{denominator}")
        return decimal

    def _read_outcome(self, group: str, outcome: Any, market_open: bool) -> tuple[int, float | None, bool]:
        """(outcome number, price, open) of one outcome; counted open here."""
        outcome = require_mapping(BOOK, outcome, "outcome")
        outcome_id = outcome.get("outcomeId")
        if not isinstance(outcome_id, str) or not outcome_id.startswith(group):
            raise ValueError(f"outcome id {str(outcome_id)[:60]!r} is not of market {group[:60]!r}")
        problem = id_problem(outcome_id)
        if problem is not None:
            raise ValueError(problem)
        number = self._suffix(outcome)
        if number is None:
            raise ValueError(f"outcome id {outcome_id[:60]!r} does not end in an outcome number")
        name = outcome.get("name")
        if name is not None and (not isinstance(name, str) or overlong(name, "outcome name")):
            raise ValueError(overlong(str(name), "outcome name") or f"outcome name is {type(name).__name__}")
        trading = outcome.get("isTradingActive")
        if not isinstance(trading, bool):
            raise ValueError(f"isTradingActive is {str(trading)[:40]!r}, not true or false")
        price = self._price(outcome_id)
        is_open = market_open and trading and price is not None
        if is_open:
            self.result.open_outcomes += 1
        return number, price, is_open

    def _uof_row(
        self, group: str, market: int, spec: str, definition: MarketDef, outcome: Any, market_open: bool
    ) -> None:
        number, price, is_open = self._read_outcome(group, outcome, market_open)
        result = self.result
        if market in GOALSCORERS and number != 1716 and isinstance(outcome.get("name"), str):
            player = roster_entry(f"sr:player:{number}", outcome["name"])
            if player is not None:
                result.roster.add(player)
        if not definition.accepts(number):
            if is_open:
                result.count_unmapped(str(market))
            return
        key = (market, spec, number)
        if key in self.keyed:
            result.set_aside(group, f"{BOOK.value}: the key {key} is listed twice")
            if is_open:
                result.open_outcomes -= 1
            return
        self.keyed.add(key)
        if is_open:
            result.count_keyed(market)
        state: OddsState = "open" if is_open else "suspended"
        result.rows.append(OddsRow(self.sr_id, BOOK, market, spec, number, price, state, self.captured_at))

    def _described_market(
        self,
        group: str,
        market_id: MarketId,
        market: Mapping[str, Any],
        members: list[tuple[int, Any]],
        market_open: bool,
    ) -> None:
        """A market UOF's catalogue lacks: the grammar keys it from its names, else it is counted unkeyed.
        ``xup=N`` ("1X2 (1Up)") must be what the name says, and is then the name's."""
        pairs = dict(market_id.pairs)
        name, shown = market.get("name"), market.get("displayName")
        up = pairs.pop("xup", None)
        if up is not None and not any(
            isinstance(t, str) and f"{up}up" in t.lower().replace(" ", "") for t in (name, shown)
        ):
            raise ValueError(f"specifier xup={up[:10]} is not in the name {str(shown)[:60]!r}")
        rows = []
        for index, outcome in members:
            try:
                rows.append((outcome, *self._read_outcome(group, outcome, market_open)))
            except _UNREADABLE as error:
                self.result.set_aside(group, _reason(f"outcomes[{index}]", error))
        keys = self._grammar_keys(name, shown, pairs, [(number, outcome) for outcome, number, *_rest in rows])
        for _outcome, number, price, is_open in rows:
            key = keys.get(str(number))
            if isinstance(key, Unreadable):
                self.result.set_aside(group, f"{BOOK.value}: {group[:60]}: {key.reason}")
                if is_open:
                    self.result.open_outcomes -= 1
            elif isinstance(key, tuple):
                state: OddsState = "open" if is_open else "suspended"
                self.described.append(
                    OddsRow(self.sr_id, BOOK, key[0], key[1], key[2], price, state, self.captured_at)
                )
                if is_open:
                    self.result.open_outcomes -= 1  # counted again when added (add_described)
            elif is_open:
                self.result.count_unmapped(f"{market_id.number}")

    def _grammar_keys(
        self, name: Any, shown: Any, pairs: dict[str, str], outcomes: list[tuple[int, Mapping[str, Any]]]
    ) -> dict[str, Any]:
        if self.sport is None:
            return {}
        specifier = "|".join(f"{key}={value}" for key, value in pairs.items())
        if len(specifier) > MAX_SPECIFIER_CHARS:
            return {}
        view = {
            "name": self._sides(_unbracketed(name)),
            "desc": self._sides(shown),
            "specifier": specifier,
            "outcomes": [
                {"id": str(number), "desc": self._sides(f"{o.get('name') or ''}{o.get('sbv') or ''}".strip())}
                for number, o in outcomes
            ],
        }
        try:
            return platform_grammar.read_market(view, self.sport, "Home", "Away")
        except _UNREADABLE:
            return {}

    def _sides(self, text: Any) -> Any:
        """``text`` with the teams written "Home" and "Away", as the grammar reads them."""
        if not isinstance(text, str) or not self.home or not self.away or len(text) > 200:
            return text
        for team, side in sorted(((self.home, "Home"), (self.away, "Away")), key=lambda pair: -len(pair[0])):
            text = text.replace(team, side)
        return text

    def add_described(self) -> None:
        """Rows the grammar keyed, after the UOF rows: a bet a UOF market lists already is not repeated."""
        for row in self.described:
            key = (row.market, row.specifier, row.outcome)
            if key in self.keyed:
                continue
            self.keyed.add(key)
            if row.state == "open":
                self.result.open_outcomes += 1
                self.result.count_keyed(row.market)
            self.result.rows.append(row)


def _text(value: Any) -> Any:
    """A text field as the plans key it: text as it is, any other value as None (the checks read text
    only), a str subclass as ``_ODD`` (not keyed)."""
    if type(value) is str:
        return value
    return _ODD if isinstance(value, str) else None


def _unbracketed(name: Any) -> Any:
    """ "[Home Team] No Bet" -> "Home No Bet": Betway's template brackets dropped."""
    if not isinstance(name, str):
        return name
    return (
        name.replace("[Home Team]", "Home").replace("[Away Team]", "Away").replace("[", "").replace("]", "")
    )
