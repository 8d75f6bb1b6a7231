"""Betway in the sandbox: its ``sport/v1`` API, the edition named by each call's ``countryCode``."""

from __future__ import annotations

from palimpsest_sandbox.books.betway import handlers, markets, payloads
from palimpsest_sandbox.books.betway.faults import Faults
from palimpsest_sandbox.kit import Ids, LiveHabits, Pricing, Route, SandboxBook, Serving, Stream

_MARKETS = "MarketGroupNamesAndMarketsForEvent"

BOOK = SandboxBook(
    book=payloads.BOOK,
    serving=Serving(
        base_path="/br/_apis/sport/v1/",
        routes=(
            Route(
                "Feeds/RegionsAndLeagues/{sport}",
                handlers.regions,
                {"wrapper", "count"},
                endpoint="RegionsAndLeagues",
            ),
            Route("BetBook/Filtered/", handlers.league, {"list"}, endpoint="BetBook/Filtered"),
            Route("MarketGroupings/" + _MARKETS, handlers.markets, {"detail"}, endpoint=_MARKETS),
            Route("Feeds/Events/EventAndGameState", handlers.event_state, endpoint="EventAndGameState"),
            Route("BetBook/LiveInPlay/", handlers.live_in_play, endpoint="BetBook/LiveInPlay"),
        ),
        site_country=handlers.site_country,
    ),
    stream=Stream(lead_offset_days=-0.5, salt=0x4257, listed_share=0.75),
    ids=Ids(
        event=lambda event: str(event.sr_id),
        tournament=payloads.joined_league_id,
        country=payloads.region_id,
    ),
    pricing=Pricing(margin=0.065, salt=43, lag_s=(180, 480), lag_salt=0x1A65, depth_floor=0.1, depth_salt=13),
    live=LiveHabits(
        coverage=(0.60, 0.30),
        start_delay_s=(20, 240),
        drop_share=0.08,
        suspended_share=0.10,
        margin=0.08,
        goal_suspension_s=(40, 100),
    ),
    markets=lambda seed, version, sport, depth, teams, sr_id: markets.render(
        sr_id, seed, version, sport, depth, teams
    ),
    render=payloads.render,
    faults=Faults(),
)
