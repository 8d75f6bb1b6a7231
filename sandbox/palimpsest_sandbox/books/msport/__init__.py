"""MSport in the sandbox: its ``facts-center`` API (a SportRadar platform's), each country's site at its
``/api/<cc>/`` path with its ``operid`` header."""

from __future__ import annotations

from palimpsest_sandbox.books.msport import handlers, markets, payloads
from palimpsest_sandbox.books.msport.faults import Faults
from palimpsest_sandbox.kit import Ids, LiveHabits, Pricing, Route, SandboxBook, Serving, Stream

BOOK = SandboxBook(
    book=payloads.BOOK,
    serving=Serving(
        base_path="/api/ng/facts-center/query/frontend/",
        edition_path="/api/{cc}/facts-center/query/frontend/",
        routes=(
            Route("sports", handlers.sports),
            Route("sports-matches-list", handlers.matches_list, {"list", "wrapper", "count"}),
            Route("match/detail", handlers.match_detail, {"detail"}),
            Route("live-matches/list", handlers.live_list),
        ),
    ),
    # It follows its platform's feed closely: it lists most matches.
    stream=Stream(lead_offset_days=-0.2, salt=0x4D53, listed_share=0.8),
    ids=Ids(event=payloads.event_id, tournament=payloads.tournament_id, country=payloads.category_id),
    pricing=Pricing(margin=0.06, salt=41, lag_s=(60, 240), lag_salt=0x1A64, depth_salt=11),
    live=LiveHabits(
        coverage=(0.55, 0.30),
        start_delay_s=(10, 150),
        drop_share=0.06,
        suspended_share=0.08,
        margin=0.075,
        goal_suspension_s=(30, 90),
        goal_markets=frozenset({1, 10, 11, 18}),
    ),
    markets=lambda seed, version, sport, depth, teams, sr_id: markets.render(seed, version, sport, depth),
    render=payloads.render,
    faults=Faults(),
)
