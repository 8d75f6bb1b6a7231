"""Betika in the sandbox: its ``v1`` API and live API (``live/``), one path per country edition (the real API
names no country)."""

from __future__ import annotations

from palimpsest_sandbox.books.betika import handlers, markets, payloads
from palimpsest_sandbox.books.betika.faults import Faults
from palimpsest_sandbox.kit import Ids, LiveHabits, Pricing, Route, SandboxBook, Serving, Stream

BOOK = SandboxBook(
    book=payloads.BOOK,
    serving=Serving(
        base_path="/v1/",
        edition_path="/betika/{cc}/v1/",
        routes=(
            # one path answers the list and one match
            Route("uo/matches", handlers.matches, {"list", "detail", "count"}),
            Route("live/uo/matches", handlers.live_matches),
        ),
    ),
    stream=Stream(lead_offset_days=-0.4, salt=0x424B, listed_share=0.7),
    ids=Ids(
        event=payloads.event_id,
        tournament=payloads.competition_id,
        country=lambda tournament: str(tournament.country_key),
    ),
    pricing=Pricing(margin=0.07, salt=47, lag_s=(120, 420), lag_salt=0x1A66, depth_floor=0.1, depth_salt=17),
    live=LiveHabits(
        coverage=(0.50, 0.30),
        start_delay_s=(20, 300),
        drop_share=0.08,
        suspended_share=0.10,
        margin=0.085,
        goal_suspension_s=(60, 120),
        goal_markets=frozenset({1, 18}),
    ),
    markets=lambda seed, version, sport, depth, teams, sr_id: markets.render(seed, version, sport, depth),
    render=payloads.render,
    faults=Faults(),
)
