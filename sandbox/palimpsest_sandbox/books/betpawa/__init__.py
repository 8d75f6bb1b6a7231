"""BetPawa in the sandbox: its v4 API (one host per country, its brand header naming the edition)."""

from __future__ import annotations

from palimpsest_pipeline.markets.mapping_betpawa import BY_CATEGORY
from palimpsest_sandbox.books.betpawa import handlers, markets, payloads
from palimpsest_sandbox.books.betpawa.faults import Faults
from palimpsest_sandbox.kit import Ids, LiveHabits, Pricing, Route, SandboxBook, Serving, Stream
from palimpsest_sandbox.markets.pricing import is_half
from palimpsest_sandbox.names import LeagueStyle, Spelling, fold_accents

BOOK = SandboxBook(
    book=payloads.BOOK,
    serving=Serving(
        base_path="/api/sportsbook/v4/",
        routes=(
            Route("categories/list/all", handlers.categories_all),
            Route("categories/list/{category}", handlers.category_list, {"count"}),
            Route("events/lists/by-queries", handlers.event_list, {"list"}),
            Route("events/{event_id}", handlers.event_detail, {"detail"}, endpoint="events/{id}"),
            Route("{rest:path}", handlers.retired_v3, endpoint="v3", mount="/api/sportsbook/v3/"),
        ),
        site_country=handlers.site_country,
        unknown_edition=handlers.unknown_edition,
    ),
    stream=Stream(lead_offset_days=-0.6, day_order=0, bare_row_share=0.1),
    spelling=Spelling(
        team=lambda canonical, seed, team_key, sport: fold_accents(canonical),
        countries={
            "Korea Republic": "South Korea",
            "Czechia": "Czech Republic",
            "Turkey": "Türkiye",
            "USA": "United States",
            "International Clubs": "International",
        },
        leagues=LeagueStyle(
            markers={
                "Women's League": "League Women",
                "U19 League": "League U19",
                "U21 League": "U21 League",
                "Reserve League": "League Reserves",
            },
            cup_year="2025/26",
            country_share=0.3,
            folds_accents=True,
        ),
    ),
    # The Genius id always (a GENIUSSPORTS widget); no SportRadar widget on half the Genius-fed matches and
    # on a few others (those are unlinkable).
    ids=Ids(
        event=payloads.event_id,
        tournament=payloads.competition_id,
        country=payloads.region_id,
        genius="always",
        sr_widget_hidden=(0.5, 0.005),
    ),
    # Much the same families on every match (367 outcomes on an Australian state league, 504 on the Chinese
    # Super League): a high depth floor. On a fifth of the matches it trails the feed by most of an hour.
    pricing=Pricing(
        margin=0.06,
        salt=11,
        lines=lambda market, line: is_half(line),
        lag_s=(420, 720),
        lag_salt=0x1A61,
        depth_floor=0.3,
        depth_salt=3,
        families={sport: frozenset(m.market for m in table) for sport, table in BY_CATEGORY.values()},
        expressible={
            sport: frozenset((m.market, p[2]) for m in table for p in m.prices)
            for sport, table in BY_CATEGORY.values()
        },
        slow_share=0.2,
        slow_lag_s=(2_700, 3_300),
    ),
    # No next-goal market live.
    live=LiveHabits(
        coverage=(0.35, 0.50),
        start_delay_s=(30, 420),
        drop_share=0.15,
        suspended_share=0.15,
        margin=0.07,
        not_live=frozenset({8}),
        goal_suspension_s=(60, 120),
    ),
    markets=lambda seed, version, sport, depth, teams, sr_id: markets.render(seed, version, sport, depth),
    render=payloads.render,
    faults=Faults(),
)
