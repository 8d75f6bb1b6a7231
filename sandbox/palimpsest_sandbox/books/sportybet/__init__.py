"""SportyBet in the sandbox: its ``factsCenter`` API, each country's site at its ``/api/<cc>/`` path."""

from __future__ import annotations

from palimpsest_sandbox.books.sportybet import handlers, markets, payloads
from palimpsest_sandbox.books.sportybet.faults import Faults
from palimpsest_sandbox.kit import Ids, LiveHabits, Pricing, Route, SandboxBook, Serving, Stream
from palimpsest_sandbox.names import Spelling, unit

_CLUB_WORDS = ("FC", "United", "City", "Rovers", "Real", "Sporting", "Athletic", "Wanderers", "Dynamo")


def _team(canonical: str, seed: int, team_key: int, sport: str) -> str:
    """SportRadar's name, "FC" added to most clubs that have no club word ("Wuhan Three Towns FC")."""
    if sport == "tennis" or any(word in canonical.split() for word in _CLUB_WORDS):
        return canonical
    return f"{canonical} FC" if unit(seed, "sporty-fc", team_key) < 0.6 else canonical


BOOK = SandboxBook(
    book=payloads.BOOK,
    serving=Serving(
        base_path="/api/ng/factsCenter/",
        edition_path="/api/{cc}/factsCenter/",
        routes=(
            Route("popularAndSportList", handlers.catalogue),
            Route("pcUpcomingEvents", handlers.upcoming, {"list", "wrapper", "count"}),
            Route("event", handlers.event_detail, {"detail"}),
            Route("pcEvents", handlers.pc_events, methods=("POST",)),
            Route("liveOrPrematchEvents", handlers.live_list),
        ),
    ),
    stream=Stream(lead_offset_days=0.0, day_order=1),
    spelling=Spelling(team=_team),
    # A Genius-fed match shows its Genius id (``eventSource`` BET_GENIUS).
    ids=Ids(
        event=payloads.event_id,
        tournament=payloads.tournament_id,
        country=payloads.category_id,
        genius="when_sourced",
    ),
    # It moves first: no lag behind the feed.
    pricing=Pricing(margin=0.055, salt=23, lag_s=(0, 0), lag_salt=0x1A62, depth_salt=5),
    live=LiveHabits(
        coverage=(0.80, 0.18),
        start_delay_s=(5, 90),
        drop_share=0.04,
        suspended_share=0.05,
        margin=0.07,
        goal_suspension_s=(30, 60),
    ),
    markets=lambda seed, version, sport, depth, teams, sr_id: markets.render(
        seed, version, sport, depth, teams
    ),
    render=payloads.render,
    faults=Faults(),
)
