"""The facts-center platform, which more than one book runs (the kits' ``platform``; ../shared/PLATFORMS.md):
the web client's headers, the ``{"bizCode": 10000, "data": ...}`` envelope, sport ids ``sr:sport:N``, lists
grouped by tournament and the live lines' ``status``/``isActive`` flags. Each book's folder keeps its own
endpoints, error codes, row keys, team keys and event-id rules.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Mapping
from itertools import starmap
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from palimpsest_pipeline.books.errors import NotFoundError
from palimpsest_pipeline.books.list_rows import BadRow, RowIdentity, read_wrapped_rows
from palimpsest_pipeline.books.payload import Node
from palimpsest_pipeline.books.sports import SPORTS, Sport
from palimpsest_pipeline.books.wire import EnvelopeError, Wire
from palimpsest_pipeline.markets.keying.records import MarketShape
from palimpsest_pipeline.markets.players import RosterPlayer, roster_entry
from palimpsest_pipeline.records import Book

if TYPE_CHECKING:  # annotations only: a parse worker loads this module without the HTTP client
    from palimpsest_pipeline.books.settings import BookSettings

SUCCESS = 10000
PREMATCH_PRODUCT = "3"
#: The live product (in-play events), ``productId=1``.
LIVE_PRODUCT = "1"
SR_MATCH_PREFIX = "sr:match:"

#: A list row's tournament, for rows that do not name their own: (id, name, country, country id).
Fallback = tuple[str, str, str | None, str | None]
#: The keys a book's tournament wrappers write those four under.
TournamentKeys = tuple[str, str, str, str]
T = TypeVar("T")

_SPORT_BY_ID = {sport.sr_sport: sport for sport in SPORTS}
#: Our sport keys by the platform's sport ids.
SPORT_KEYS = {sport.sr_sport: sport.key for sport in SPORTS}
#: How the platform's books name an event's teams, one spelling per book: what tells their answers apart.
TEAM_KEYS: tuple[frozenset[str], ...] = (
    frozenset({"homeTeamName", "awayTeamName"}),
    frozenset({"homeTeam", "awayTeam"}),
)
#: How the outcome ids of players begin (``sr:player:<id>``, ``pre:playerprops:<match>:<id>...``).
PLAYER_IDS = ("sr:player:", "pre:playerprops:")


def platform_wire(
    settings: BookSettings, unwrap: Callable[[Any, str], Any], *, timestamp_param: str | None = None
) -> Wire:
    """The web client's headers (``clientid``/``platform`` ``web``) and the edition's own (``operid``)."""
    headers = {"accept": "application/json", "accept-language": "en", "clientid": "web", "platform": "web"}
    return Wire(
        headers={**headers, **settings.edition.headers},
        timestamp_param=timestamp_param,
        unwrap=unwrap,
    )


def unwrap_envelope(
    book: Book, payload: Any, where: str, *, rejected: Collection[int], not_found: Collection[int] = ()
) -> Any:
    """The envelope's ``data`` on success; else the error its ``bizCode`` stands for: not found, a rejection
    no retry mends, or anything else (retried)."""
    node = Node(book, where, payload)
    code = node.get("bizCode").integer()
    if code == SUCCESS:
        return node.get("data").value
    message = str(payload.get("message") or payload.get("innerMsg") or "no message")[:200]
    if code in not_found:
        raise NotFoundError(book, where, f"bizCode {code}: {message}")
    mode: Literal["fatal", "retry"] = "fatal" if code in rejected else "retry"
    raise EnvelopeError(f"bizCode {code}: {message}", mode=mode)


def detail_data(book: Book, where: str, payload: Any) -> Node:
    """An event-detail answer's ``data`` (the whole response with its envelope, or the ``data`` already);
    an error envelope is an error."""
    node = Node(book, where, payload)
    if isinstance(payload, dict) and "bizCode" in payload:
        code = node.get("bizCode").integer()
        if code != SUCCESS:
            raise node.get("bizCode").error(
                f"error envelope, bizCode {code}: {str(payload.get('message'))[:100]!r}"
            )
        node = node.get("data")
    return node


def compared_sport(sport_id: Node) -> Sport:
    """The sport a ``sr:sport:N`` id names, when it is one we compare."""
    sport = _SPORT_BY_ID.get(sport_id.text())
    if sport is None:
        raise sport_id.error(f"sport {str(sport_id.value)[:40]!r} is not one we compare")
    return sport


def tournament_of(keys: TournamentKeys, node: Node) -> Fallback:
    """The tournament and country a list wrapper (or a row naming its own) gives under ``keys``."""
    id_key, name_key, country_key, country_id_key = keys
    return (
        node.get(id_key).text(),
        node.get(name_key).text(),
        node.opt_text(country_key),
        node.opt_text(country_id_key),
    )


def read_grouped_rows(
    wrappers: list[Node],
    sport: Sport,
    keys: TournamentKeys,
    read_row: Callable[[Node, str, Fallback | None], T],
    identify: Callable[[Node], RowIdentity] | None = None,
) -> tuple[list[T], list[BadRow]]:
    """A list grouped by tournament (each wrapper's ``events[]``, ``read_wrapped_rows``), each row read with
    its wrapper's tournament (``keys``) for rows that do not name their own: the rows read, and those not."""

    def read_one(fallback: Fallback | None, row: Node) -> T:
        return read_row(row, sport.key, fallback)

    fallback_of = functools.partial(tournament_of, keys)
    return read_wrapped_rows(
        wrappers, sport.key, "events", fallback_of, read_one, identify, label="tournament wrapper"
    )


def tradeable(market: Node, outcomes: list[Node], *, heed_banned: bool = False) -> bool:
    """A live line can be backed: ``status`` 0 (and, where the book flags it, not ``banned``) and one of its
    outcomes ``isActive`` 1."""
    open_ = market.get("status").integer() == 0
    if heed_banned:
        open_ = open_ and not bool(market.value.get("banned"))
    active = any(o.opt("isActive") is not None and o.get("isActive").integer() == 1 for o in outcomes)
    return open_ and active


def recognises_teams(answer: Mapping[str, Any], *, own: frozenset[str]) -> bool:
    """Whether a saved answer is an event detail of the platform's book naming its teams ``own``: an
    envelope (or its body, naming its ``eventId``) whose body names those teams, or no other book's. An
    error envelope names none, so the first book asked (in ``records.Book`` order) claims it."""
    keys = answer.keys()
    if "bizCode" not in keys and "eventId" not in keys:
        return False
    data = answer.get("data")
    body = data.keys() if isinstance(data, Mapping) and "bizCode" in keys else keys
    others = frozenset().union(*(names for names in TEAM_KEYS if names != own))
    return others.isdisjoint(body) or not own.isdisjoint(body)


def saved_error_envelope(answer: Mapping[str, Any]) -> str | None:
    """What a saved error envelope says (its ``bizCode`` and message); None for a successful answer."""
    if "bizCode" in answer and answer["bizCode"] != SUCCESS:
        message = answer.get("message") or answer.get("innerMsg") or "no message"
        return f"error envelope bizCode {answer['bizCode']} {message!r}"
    return None


def listed_players(shape: MarketShape) -> tuple[RosterPlayer, ...]:
    """The players a market's outcomes carry with their SportRadar ids, for the other books' player names;
    the usual market (every id and name text) read in C, ``roster_entry`` listing no other id's player."""
    pairs = zip(shape.refs, shape.outcome_names)  # noqa: B905 - one per outcome; ``strict`` costs a call
    try:
        return tuple(filter(None, starmap(roster_entry, pairs)))  # a player is a tuple never empty
    except TypeError:  # an id or a name that is no text: read one by one
        found = [
            roster_entry(ref, name)
            for ref, name in zip(shape.refs, shape.outcome_names, strict=True)
            if type(ref) is str and name is not None and ref.startswith(PLAYER_IDS)
        ]
        return tuple(filter(None, found))
