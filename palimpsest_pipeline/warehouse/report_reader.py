"""What the traders' report reads for one site country: small aggregates of the long analytics tables, one
query per chart, aggregated in Postgres (the report's cost does not grow with the tables)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl
import psycopg

from palimpsest_pipeline.warehouse.alert_findings import OUT_OF_LINE_FROM
from palimpsest_pipeline.warehouse.key_health import judged_families, judged_hours, key_health_series
from palimpsest_pipeline.warehouse.site_books import site_books
from palimpsest_pipeline.warehouse.table_io import read_frame

#: Rows a desk table shows at most (the most urgent first): the page stays small.
DESK_ROWS = 500
_COVERAGE_SUMS = """
    sum(total)::bigint AS total, sum(matched)::bigint AS matched,
    sum(betpawa_only)::bigint AS betpawa_only, sum(competitor_only)::bigint AS competitor_only
"""


@dataclass(frozen=True)
class ReportData:
    """Everything the page draws for one site country, read at one moment (``read_at``), for kick-off dates
    first to last; ``books`` are BetPawa and the competitors the country's rows name."""

    site_country: str
    books: tuple[str, ...]
    first: date
    last: date
    read_at: datetime
    coverage_by_sport: pl.DataFrame
    coverage_by_country: pl.DataFrame
    coverage_by_tournament: pl.DataFrame
    coverage_history: pl.DataFrame
    price_position: pl.DataFrame
    margins: pl.DataFrame
    changes: pl.DataFrame
    latest_run_at: datetime | None
    previous_run_at: datetime | None
    #: The desk: matches competitors list and BetPawa lacks, and BetPawa's prices out of line now.
    to_list: pl.DataFrame
    out_of_line: pl.DataFrame
    #: Per sport and book: the median over tournaments of the median listing lead, and of BetPawa's lag.
    lead_time: pl.DataFrame
    #: Per sport and book: main-market price moves, led, followed, the follow lag, missed.
    leadership: pl.DataFrame
    #: BetPawa's markets whose own implied sum is off their family's band (reason overround), newest first.
    price_anomalies: pl.DataFrame


@dataclass(frozen=True)
class BookHealth:
    """How each book's prices key on one site country's sites (analytics.key_health), and where a competitor
    prices the same keys (analytics.key_health_families)."""

    #: Per book: the latest hour the keys_drift alert judges, with its seven-day baseline.
    key_health: pl.DataFrame
    #: Per book and hour: the judged hours' shares over the last seven days of analytics.key_health.
    key_health_series: pl.DataFrame
    #: Per book and market family: the share of its keyed outcomes a competitor prices in the book's latest
    #: hour against its seven days before (analytics.key_health_families), the largest drop first.
    key_health_families: pl.DataFrame


def read_book_health(conn: psycopg.Connection, site_country: str) -> BookHealth:
    """Each book's judged hour and its last seven days of key health on ``site_country``'s sites, and its
    families' competitor-priced shares (at most ``DESK_ROWS``, the largest drop first: a family without a
    baseline after every drop, ties the larger family first)."""
    families = pl.from_dicts(judged_families(conn, site_country), schema=KEY_HEALTH_FAMILIES_SCHEMA)
    return BookHealth(
        key_health=pl.from_dicts(judged_hours(conn, site_country=site_country), schema=KEY_HEALTH_SCHEMA),
        key_health_series=pl.from_dicts(
            key_health_series(conn, site_country), schema=KEY_HEALTH_SERIES_SCHEMA
        ),
        key_health_families=families.with_columns(
            (pl.col("competitor_share") - pl.col("baseline_share")).alias("change")
        )
        .sort(
            "change",
            "keyed_outcomes",
            "book",
            "family",
            descending=[False, True, False, False],
            nulls_last=True,
        )
        .head(DESK_ROWS),
    )


def read_report_data(
    conn: psycopg.Connection,
    site_country: str,
    first: date,
    last: date,
    main_markets: Sequence[int],
    *,
    price_gap: float = 0.02,
) -> ReportData:
    """Read the report's aggregates of ``site_country`` for kick-off dates ``first`` .. ``last``, comparing
    the prices of ``main_markets``; the desk lists BetPawa's fresh prices more than ``price_gap`` (a share)
    below the best competitor's."""
    books = tuple(site_books(conn, site_country, first, last))
    runs = conn.execute(
        "SELECT started_at FROM core.scrape_batches WHERE status IN ('ok', 'partial') AND site_country = %s "
        "ORDER BY started_at DESC LIMIT 2",
        (site_country,),
    ).fetchall()
    read_at = conn.execute("SELECT now()").fetchone()
    assert read_at is not None
    params = {
        "first": first,
        "last": last,
        "cc": site_country,
        "markets": list(main_markets),
        "gap": price_gap,
        "rows": DESK_ROWS,
        "days": 30,  # days of coverage history, back from the newest
        "books": list(books),
    }
    return ReportData(
        site_country=site_country,
        books=books,
        first=first,
        last=last,
        read_at=read_at[0],
        coverage_by_sport=_coverage(conn, "sport", ("sport",), params),
        coverage_by_country=_coverage(conn, "country", ("sport", "country"), params),
        coverage_by_tournament=_coverage(conn, "tournament", ("sport", "country", "tournament"), params),
        latest_run_at=runs[0][0] if runs else None,
        previous_run_at=runs[1][0] if len(runs) > 1 else None,
        **{name: read_frame(conn, query, params) for name, query in _QUERIES.items()},
    )


#: The page's other reads, by ``ReportData`` field; each takes what it needs of one set of parameters.
_QUERIES = {
    "coverage_history": f"""
        SELECT computed_at, {_COVERAGE_SUMS}
        FROM analytics.coverage_history
        WHERE site_country = %(cc)s
          AND computed_at >= (SELECT max(computed_at) FROM analytics.coverage_history
                              WHERE site_country = %(cc)s) - make_interval(days => %(days)s)
        GROUP BY computed_at ORDER BY computed_at
        """,
    "price_position": """
        SELECT market, min(market_name) AS market_name, count(*) AS compared,
               count(*) FILTER (WHERE betpawa_rank = 1) AS betpawa_best,
               percentile_cont(ARRAY[0.05, 0.25, 0.5, 0.75, 0.95])
                   WITHIN GROUP (ORDER BY betpawa_gap) AS gap_quantiles
        FROM analytics.outcome_comparison
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s
          AND market = ANY(%(markets)s)
          AND betpawa_gap IS NOT NULL AND books_offering >= 2
        GROUP BY market ORDER BY market
        """,
    "margins": """
        SELECT m.market, min(c.market_name) AS market_name, m.book,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY m.margin) AS median_margin, count(*) AS markets
        FROM analytics.market_margins AS m
        LEFT JOIN LATERAL (
            SELECT market_name FROM analytics.outcome_comparison AS c
            WHERE c.kickoff_date = m.kickoff_date AND c.site_country = m.site_country
              AND c.sr_id = m.sr_id AND c.market = m.market
            LIMIT 1
        ) AS c ON true
        WHERE m.kickoff_date BETWEEN %(first)s AND %(last)s AND m.site_country = %(cc)s
          AND m.market = ANY(%(markets)s)
          AND m.margin IS NOT NULL AND NOT m.stale
        GROUP BY m.market, m.book ORDER BY m.market, m.book
        """,
    # Each book's latest catalogue scrape is the newest last_seen_at of its events: added = first seen then,
    # withdrawn = deleted then or later.
    "changes": """
        WITH latest AS (
            SELECT book, max(last_seen_at) AS at FROM core.events
            WHERE book = ANY(%(books)s) AND site_country = %(cc)s GROUP BY book
        )
        SELECT e.book,
               count(*) FILTER (WHERE e.first_seen_at >= l.at) AS added,
               count(*) FILTER (WHERE e.deleted_at >= l.at) AS withdrawn
        FROM core.events AS e JOIN latest AS l USING (book)
        WHERE e.site_country = %(cc)s
        GROUP BY e.book ORDER BY e.book
        """,
    "to_list": """
        SELECT kickoff, sport, coalesce(country, '') AS country, coalesce(tournament, '') AS tournament,
               home || ' v ' || away AS match, array_to_string(listed_by, ', ') AS listed_by,
               round(hours_to_kickoff::numeric, 1)::float8 AS hours_to_kickoff,
               round(hours_listed_by_competitor::numeric, 1)::float8 AS hours_listed, sr_id
        FROM analytics.to_list_now
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s
        ORDER BY kickoff, tournament, match
        LIMIT %(rows)s
        """,
    "lead_time": """
        SELECT sport, book, sum(events_measured)::bigint AS events,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY median_lead_hours) AS lead_hours,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY betpawa_lag_hours) AS betpawa_lag_hours
        FROM analytics.listing_lead_time
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s
          AND events_measured > 0
        GROUP BY sport, book ORDER BY sport, book
        """,
    "leadership": """
        SELECT sport, book, sum(moves)::bigint AS moves, sum(moves_led)::bigint AS moves_led,
               sum(moves_followed)::bigint AS moves_followed, sum(moves_missed)::bigint AS moves_missed,
               sum(median_follow_lag_minutes * moves_followed) / nullif(sum(moves_followed), 0)
                   AS follow_lag_minutes
        FROM analytics.price_leadership
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s
        GROUP BY sport, book HAVING sum(moves) > 0 ORDER BY sport, book
        """,
    "out_of_line": f"""
        SELECT m.kickoff, m.sport, coalesce(m.tournament, '') AS tournament,
               m.home || ' v ' || m.away AS match,
               m.sport || ' ' || coalesce(c.market_name, c.market::text)
                   || CASE WHEN c.specifier <> '' THEN ' ' || c.specifier ELSE '' END AS market,
               coalesce(c.outcome_name, c.outcome::text) AS outcome,
               bp.price AS betpawa, c.best_price AS best, c.best_book,
               round((100 * (1 - bp.price / c.best_price))::numeric, 1)::float8 AS gap_pct,
               round((EXTRACT(EPOCH FROM now() - bp.captured_at) / 60)::numeric, 0)::float8
                   AS capture_age_min,
               c.sr_id
        {OUT_OF_LINE_FROM}
          AND c.kickoff_date BETWEEN %(first)s AND %(last)s AND c.site_country = %(cc)s
        ORDER BY gap_pct DESC, m.kickoff
        LIMIT %(rows)s
        """,
    # Newest first: by BetPawa's latest capture of the market's prices (the capture the check judged).
    "price_anomalies": """
        SELECT m.kickoff, m.sport, coalesce(m.tournament, '') AS tournament,
               coalesce(m.home || ' v ' || m.away, 'sr:match:' || s.sr_id) AS match,
               coalesce(c.market_name, s.market::text) AS market, s.specifier AS line,
               round(s.implied_sum::numeric, 3)::float8 AS implied_sum, s.detail, p.captured_at,
               s.market AS market_id, s.sr_id
        FROM analytics.suspect_markets AS s
        LEFT JOIN analytics.matches AS m
          ON m.kickoff_date = s.kickoff_date AND m.site_country = s.site_country AND m.sr_id = s.sr_id
        LEFT JOIN LATERAL (
            SELECT market_name FROM analytics.outcome_comparison AS c
            WHERE c.kickoff_date = s.kickoff_date AND c.site_country = s.site_country
              AND c.sr_id = s.sr_id AND c.market = s.market AND c.market_name IS NOT NULL
            LIMIT 1
        ) AS c ON true
        LEFT JOIN LATERAL (
            SELECT max(captured_at) AS captured_at FROM analytics.outcome_prices AS p
            WHERE p.kickoff_date = s.kickoff_date AND p.site_country = s.site_country AND p.sr_id = s.sr_id
              AND p.market = s.market AND p.specifier = s.specifier AND p.book = s.book
        ) AS p ON true
        WHERE s.kickoff_date BETWEEN %(first)s AND %(last)s AND s.site_country = %(cc)s
          AND s.book = 'betpawa' AND s.reason = 'overround'
        ORDER BY p.captured_at DESC NULLS LAST, m.kickoff DESC, match, market, line
        LIMIT %(rows)s
        """,
}


#: The columns every hour of key health has, judged (``ReportData.key_health``) or in a series.
_KEY_HEALTH_HOUR: dict[str, pl.DataType | type[pl.DataType]] = {
    "book": pl.String,
    "hour": pl.Datetime("us", "UTC"),
    "captures": pl.Int64,
    "open_outcomes": pl.Int64,
    "keyed_share": pl.Float64,
    "set_aside_share": pl.Float64,
    "suspect_share": pl.Float64,
}
KEY_HEALTH_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    **_KEY_HEALTH_HOUR,
    "new_fields": pl.List(pl.String),
    "baseline_hours": pl.Int64,
    "baseline_open_outcomes": pl.Int64,
    "baseline_keyed_share": pl.Float64,
    "baseline_set_aside_share": pl.Float64,
    "baseline_suspect_share": pl.Float64,
}
KEY_HEALTH_FAMILIES_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "site_country": pl.String,
    "book": pl.String,
    "hour": pl.Datetime("us", "UTC"),
    "family": pl.String,
    "keyed_outcomes": pl.Int64,
    "competitor_priced": pl.Int64,
    "competitor_share": pl.Float64,
    "baseline_keyed_outcomes": pl.Int64,
    "baseline_competitor_priced": pl.Int64,
    "baseline_share": pl.Float64,
}
KEY_HEALTH_SERIES_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    **_KEY_HEALTH_HOUR,
    "new_fields": pl.Int64,
}


def _coverage(
    conn: psycopg.Connection, level: str, keys: Sequence[str], params: dict[str, object]
) -> pl.DataFrame:
    """The country's coverage groups of one ``level`` summed over the kick-off dates, per ``keys``."""
    columns = ", ".join(keys)
    return read_frame(
        conn,
        f"""
        SELECT {columns}, {_COVERAGE_SUMS}
        FROM analytics.coverage_groups
        WHERE kickoff_date BETWEEN %(first)s AND %(last)s AND site_country = %(cc)s AND level = %(level)s
        GROUP BY {columns}
        ORDER BY competitor_only DESC, total DESC
        """,
        {**params, "level": level},
    )
