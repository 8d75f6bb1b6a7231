"""Bet9ja in the sandbox: its ``PalimpsestAjax`` API (one site) and its live API (``PalimpsestLiveAjax``)."""

from __future__ import annotations

from palimpsest_pipeline.markets.bet9ja.table import BY_PREFIX
from palimpsest_sandbox.books.bet9ja import handlers, markets, payloads
from palimpsest_sandbox.books.bet9ja.faults import Faults
from palimpsest_sandbox.books.bet9ja.spelling import SPELLING
from palimpsest_sandbox.kit import Ids, LiveHabits, Pricing, Route, SandboxBook, Serving, Stream
from palimpsest_sandbox.markets.pricing import is_half

_LIVE_PATH = "/desktop/feapi/PalimpsestLiveAjax/"


def _lines(market: int, line: float) -> bool:
    """Half lines; on totals (OU) every line (whole and quarter ones are OUA's); 2-way handicaps up to 1.5."""
    if market == 18:
        return True
    return is_half(line) and (market not in (16, 66, 88) or abs(line) <= 1.5)


def _ladder(odds: float) -> float:
    """Two decimals under 3, coarser steps as odds grow."""
    if odds < 3:
        return max(1.01, round(odds, 2))
    step = 0.05 if odds < 6 else 0.25 if odds < 15 else 0.5 if odds < 30 else 1.0
    return round(round(odds / step) * step, 2)


BOOK = SandboxBook(
    book=payloads.BOOK,
    serving=Serving(
        base_path="/desktop/feapi/PalimpsestAjax/",
        routes=(
            Route("GetSports", handlers.sports, {"wrapper", "count"}),
            Route("GetEventsInGroupV2", handlers.group, {"list"}),
            Route("GetEvent", handlers.event_detail, {"detail"}),
            Route("GetLiveEvent", handlers.live_event, mount=_LIVE_PATH),
            Route("GetLiveEventsV2", handlers.live_list, mount=_LIVE_PATH),
        ),
        extra_paths={"bet9ja_live": _LIVE_PATH},
    ),
    # No ``EXTID`` on a few matches (Bet9ja has no other provider id: unlinkable).
    stream=Stream(lead_offset_days=-0.3, day_order=2, no_sr_id_share=0.015),
    spelling=SPELLING,
    ids=Ids(
        event=lambda event: str(payloads.event_id(event)),
        tournament=lambda tournament: str(payloads.group_id(tournament)),
        country=lambda tournament: str(payloads.country_id(tournament)),
    ),
    # A suspended outcome shows no odds ("1" on the site).
    pricing=Pricing(
        margin=0.07,
        salt=37,
        lines=_lines,
        lag_s=(120, 300),
        lag_salt=0x1A63,
        depth_salt=7,
        families={
            sport: frozenset(o[1] for m in table for o in m.outcomes) for sport, table in BY_PREFIX.values()
        },
        expressible={
            sport: frozenset((o[1], o[2]) for m in table for o in m.outcomes)
            for sport, table in BY_PREFIX.values()
        },
        ladder=_ladder,
        keeps_suspended_odds=False,
    ),
    live=LiveHabits(
        coverage=(0.62, 0.30),
        start_delay_s=(15, 180),
        drop_share=0.08,
        suspended_share=0.10,
        margin=0.085,
        goal_suspension_s=(45, 90),
    ),
    markets=lambda seed, version, sport, depth, teams, sr_id: markets.render(seed, version, sport, depth),
    render=payloads.render,
    faults=Faults(),
)
