"""What the weekly digest reads for one site country and ISO week: the week's catalogue changes and coverage
against the week before, its late starts, its closing prices against the competitors' fair consensus, what to
list, its alerts per rule, and whether a table a section needs exists yet. Sums, means, medians and rounding
are SQL's; the page only lays them out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import polars as pl
import psycopg

from palimpsest_pipeline.partition_keys import week_dates
from palimpsest_pipeline.warehouse.table_io import read_frame

#: Matches to list shown at most (the soonest kick-offs).
TO_LIST_ROWS = 100


@dataclass(frozen=True)
class DigestWeek:
    """One site country's ISO week: its kick-off dates ``first`` .. ``last`` and its instants ``start``
    (Monday 00:00 UTC) .. ``end`` (the next Monday, excluded)."""

    site_country: str
    week: str

    @property
    def first(self) -> date:
        return week_dates(self.week)[0]

    @property
    def last(self) -> date:
        return week_dates(self.week)[1]

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), UTC)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=7)

    def params(self) -> dict[str, object]:
        """The query parameters every reader shares, the week before's dates included."""
        return {
            "cc": self.site_country,
            "first": self.first,
            "last": self.last,
            "start": self.start,
            "end": self.end,
            "previous_first": self.first - timedelta(days=7),
            "previous_last": self.first - timedelta(days=1),
        }


def missing_relations(conn: psycopg.Connection, names: tuple[str, ...]) -> list[str]:
    """Those of ``names`` (``analytics.x``) that are neither a table nor a view in the database."""
    return [name for name in names if conn.execute("SELECT to_regclass(%s)", (name,)).fetchone() == (None,)]


def catalogue_changes(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per book and sport: the events its catalogue added and withdrew during the week (changed then, any
    kick-off), book and sport in order."""
    return read_frame(
        conn,
        """
        SELECT book, sport,
               count(*) FILTER (WHERE change = 'added')::bigint AS added,
               count(*) FILTER (WHERE change = 'withdrawn')::bigint AS withdrawn,
               (count(*) FILTER (WHERE change = 'added')
                - count(*) FILTER (WHERE change = 'withdrawn'))::bigint AS net
        FROM analytics.catalogue_changes
        WHERE site_country = %(cc)s AND changed_at >= %(start)s AND changed_at < %(end)s
          AND change IN ('added', 'withdrawn')
        GROUP BY book, sport
        ORDER BY book = 'betpawa' DESC, book, sport
        """,
        week.params(),
    )


def competitor_coverage(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per competitor and sport, over the matches kicking off in the week and in the week before: the
    competitor's matches, those BetPawa lacks, and BetPawa's share of them (NULL with none), with the change
    in percentage points."""
    return read_frame(
        conn,
        """
        WITH weeks AS (
            SELECT book, sport,
                   sum(events) FILTER (WHERE kickoff_date >= %(first)s)::bigint AS events,
                   sum(not_on_betpawa) FILTER (WHERE kickoff_date >= %(first)s)::bigint AS not_on_betpawa,
                   sum(events) FILTER (WHERE kickoff_date < %(first)s)::bigint AS previous_events,
                   sum(not_on_betpawa) FILTER (WHERE kickoff_date < %(first)s)::bigint AS previous_missing
            FROM analytics.coverage
            WHERE site_country = %(cc)s AND level = 'sport' AND book <> 'betpawa'
              AND kickoff_date BETWEEN %(previous_first)s AND %(last)s
            GROUP BY book, sport
        ), shares AS (
            SELECT book, sport, coalesce(events, 0) AS events, coalesce(not_on_betpawa, 0) AS not_on_betpawa,
                   round((100.0 * (events - not_on_betpawa) / nullif(events, 0))::numeric, 1)::float8
                       AS betpawa_share_pct,
                   round((100.0 * (previous_events - previous_missing)
                          / nullif(previous_events, 0))::numeric, 1)::float8 AS previous_share_pct
            FROM weeks
        )
        SELECT book, sport, events, not_on_betpawa, betpawa_share_pct, previous_share_pct,
               (betpawa_share_pct - previous_share_pct) AS change_points
        FROM shares
        ORDER BY book, sport
        """,
        week.params(),
    )


def late_starts_by_book(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per book, the week's kick-offs by start status, the late ones by reason, and the median minutes to
    live of those late that went live."""
    return read_frame(
        conn,
        """
        SELECT book,
               count(*) FILTER (WHERE status = 'on_time')::bigint AS on_time,
               count(*) FILTER (WHERE status = 'late')::bigint AS late,
               count(*) FILTER (WHERE status = 'never_live')::bigint AS never_live,
               count(*) FILTER (WHERE status = 'removed')::bigint AS removed,
               count(*) FILTER (WHERE status = 'unmonitored')::bigint AS unmonitored,
               count(*) FILTER (WHERE status = 'rescheduled')::bigint AS rescheduled,
               count(*) FILTER (WHERE reason = 'coverage_late')::bigint AS coverage_late,
               count(*) FILTER (WHERE reason = 'match_delayed')::bigint AS match_delayed,
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes_to_live)
                      FILTER (WHERE status = 'late' AND first_live_at IS NOT NULL))::numeric, 1)::float8
                   AS median_late_minutes
        FROM analytics.live_starts
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
        GROUP BY book
        ORDER BY book = 'betpawa' DESC, book
        """,
        week.params(),
    )


def betpawa_late_by_competition(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per sport and tournament: the week's matches BetPawa started late where a competitor was on time, the
    median minutes BetPawa took to go live (of those it did), and the competitors on time; most first."""
    return read_frame(
        conn,
        """
        WITH late AS (
            SELECT sport, tournament, minutes_to_live, on_time_on FROM analytics.betpawa_late_starts
            WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
        )
        SELECT sport, tournament, count(*)::bigint AS matches,
               round((percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes_to_live))::numeric, 1)::float8
                   AS median_minutes_to_live,
               (SELECT string_agg(DISTINCT book, ', ' ORDER BY book)
                FROM late AS same, unnest(same.on_time_on) AS book
                WHERE same.sport = late.sport AND same.tournament = late.tournament) AS on_time_on
        FROM late
        GROUP BY sport, tournament
        ORDER BY matches DESC, sport, tournament
        """,
        week.params(),
    )


def to_list_now(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """The matches competitors list and BetPawa does not, as the latest listing run left them: the soonest
    :data:`TO_LIST_ROWS`, with hours listed by them (NULL: not timed)."""
    return read_frame(
        conn,
        """
        SELECT kickoff, sport, tournament, home || ' v ' || away AS match,
               array_to_string(listed_by, ', ') AS listed_by,
               round(hours_listed_by_competitor::numeric, 1)::float8 AS hours_listed
        FROM analytics.to_list_now
        WHERE site_country = %(cc)s
        ORDER BY kickoff, match, listed_by
        LIMIT %(rows)s
        """,
        {**week.params(), "rows": TO_LIST_ROWS},
    )


def listing_lag(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per sport and tournament, over the week's kick-off dates: BetPawa's events, those it listed after the
    first competitor, and the longest daily median of that lag in hours; most lagged first."""
    return read_frame(
        conn,
        """
        SELECT sport, tournament, sum(events)::bigint AS events,
               sum(betpawa_lag_events)::bigint AS lagged_events,
               round(max(betpawa_lag_hours)::numeric, 1)::float8 AS longest_daily_median_lag_hours
        FROM analytics.listing_lead_time
        WHERE site_country = %(cc)s AND book = 'betpawa' AND kickoff_date BETWEEN %(first)s AND %(last)s
        GROUP BY sport, tournament
        HAVING sum(betpawa_lag_events) > 0
        ORDER BY lagged_events DESC, sport, tournament
        """,
        week.params(),
    )


def alerts_per_rule(conn: psycopg.Connection, week: DigestWeek, rules: tuple[str, ...]) -> pl.DataFrame:
    """Per rule of ``rules``: the alerts on this country raised during the week that went (or are going) to
    the receivers, those recorded as off (the rule switched off: what it would have raised), and those
    suppressed within a cooldown."""
    return read_frame(
        conn,
        """
        SELECT r.rule,
               count(a.alert_id) FILTER (WHERE a.status IN ('pending', 'sent', 'failed'))::bigint AS raised,
               count(a.alert_id) FILTER (WHERE a.status = 'off')::bigint AS switched_off,
               count(a.alert_id) FILTER (WHERE a.status = 'suppressed')::bigint AS suppressed
        FROM unnest(%(rules)s::text[]) WITH ORDINALITY AS r(rule, place)
        LEFT JOIN analytics.alerts a
          ON a.rule = r.rule AND a.subject LIKE %(prefix)s
         AND a.raised_at >= %(start)s AND a.raised_at < %(end)s
        GROUP BY r.rule, r.place
        ORDER BY r.place
        """,
        {**week.params(), "rules": list(rules), "prefix": f"{week.site_country}:%"},
    )


#: Competitions listed at most where BetPawa's closing gap is worst.
WORST_COMPETITIONS = 10

#: A gap or share read as a percentage, to one decimal (a probability difference reads as points).
_PERCENT = "round((100 * ({}))::numeric, 1)::float8"


def _percent(expression: str) -> str:
    return _PERCENT.format(expression)


#: A histogram's median per group of ``{keys}`` from rows ``(keys, bin, n)`` of relation ``{bins}``: the mean
#: of the bins holding the middle positions (one position for an odd count), in tenths of a point.
_BINNED_MEDIAN = """
    SELECT {keys}, (min(bin) FILTER (WHERE upto > (total - 1) / 2)
                    + min(bin) FILTER (WHERE upto > total / 2)) / 2000.0 AS median
    FROM (SELECT {keys}, bin, (sum(n) OVER (PARTITION BY {keys} ORDER BY bin))::bigint AS upto,
                 (sum(n) OVER (PARTITION BY {keys}))::bigint AS total
          FROM {bins}) AS cumulative
    GROUP BY {keys}
    """

_LINE_MEDIANS = _BINNED_MEDIAN.format(keys="sport, competition, market_family, book", bins="line_bins")

#: The week's day sums (analytics.closing_price_days) per sport, competition, market family and book, then
#: per book (``level``); medians from the summed histograms of gaps rounded to a tenth of a point, so within
#: half a tenth of a point of the exact ones (docs/digest.md, Closing prices).
_CLOSING_GAPS = f"""
    WITH days AS (
        SELECT * FROM analytics.closing_price_days
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
    ), lines AS (
        SELECT sport, competition, market_family, book,
               sum(outcomes) AS outcomes, sum(compared) AS compared, sum(gap_sum) AS gap_sum,
               sum(above_fair) AS above_fair, sum(opening_gap_sum) AS opening_sum,
               sum(openings_compared) AS openings, sum(no_consensus) AS no_consensus, sum(stale) AS stale,
               sum(suspended + closed) AS suspended_or_closed,
               sum(kickoff_disagrees + unreadable_price + negative_margin) AS other_set_aside
        FROM days
        GROUP BY sport, competition, market_family, book
    ), line_bins AS (
        SELECT sport, competition, market_family, book, h.bin, sum(h.n) AS n
        FROM days, unnest(days.gap_bins, days.gap_bin_counts) AS h (bin, n)
        GROUP BY sport, competition, market_family, book, h.bin
    ), book_bins AS (
        SELECT book, bin, sum(n) AS n FROM line_bins GROUP BY book, bin
    ), line_medians AS ({_LINE_MEDIANS}
    ), book_medians AS ({_BINNED_MEDIAN.format(keys="book", bins="book_bins")}
    ), books AS (
        SELECT book, sum(outcomes) AS outcomes, sum(compared) AS compared, sum(gap_sum) AS gap_sum,
               sum(above_fair) AS above_fair, sum(opening_sum) AS opening_sum, sum(openings) AS openings,
               sum(no_consensus) AS no_consensus, sum(stale) AS stale,
               sum(suspended_or_closed) AS suspended_or_closed, sum(other_set_aside) AS other_set_aside
        FROM lines
        GROUP BY book
    )
    SELECT * FROM (
    SELECT 'family' AS level, sport, competition, market_family, book, outcomes::bigint AS outcomes,
           compared::bigint AS compared,
           {_percent("gap_sum / nullif(compared, 0)")} AS mean_gap_pct,
           {_percent("median")} AS median_gap_pct,
           {_percent("above_fair::float8 / nullif(compared, 0)")} AS above_fair_pct,
           NULL::float8 AS opening_gap_pct, no_consensus::bigint AS no_consensus, stale::bigint AS stale,
           suspended_or_closed::bigint AS suspended_or_closed, other_set_aside::bigint AS other_set_aside,
           (stale + suspended_or_closed + other_set_aside)::bigint AS set_aside
    FROM lines LEFT JOIN line_medians USING (sport, competition, market_family, book)
    UNION ALL
    SELECT 'book', NULL, NULL, NULL, book, outcomes::bigint, compared::bigint,
           {_percent("gap_sum / nullif(compared, 0)")},
           {_percent("median")},
           {_percent("above_fair::float8 / nullif(compared, 0)")},
           {_percent("opening_sum / nullif(openings, 0)")}, no_consensus::bigint, stale::bigint,
           suspended_or_closed::bigint, other_set_aside::bigint,
           (stale + suspended_or_closed + other_set_aside)::bigint
    FROM books LEFT JOIN book_medians USING (book)
    ) AS both_levels
    ORDER BY level, sport, competition, market_family, book = 'betpawa' DESC, book
    """


def closing_gaps(conn: psycopg.Connection, week: DigestWeek) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The week's outcomes priced before kick-off per book, and per sport, competition, market family and
    book: those compared with the competitors' fair consensus, their mean and median gap and the share above
    fair (in percent), those without a consensus and those set aside by reason; per book, BetPawa's mean
    opening gap on the same outcomes."""
    rows = read_frame(conn, _CLOSING_GAPS, week.params())
    by_book = rows.filter(pl.col("level") == "book").drop("level", "sport", "competition", "market_family")
    return by_book, rows.filter(pl.col("level") == "family").drop("level")


#: BetPawa's outcomes of the week with both an opening and a closing gap against the competitors' closing
#: rows on the same bets, per competition and market family and per competition (``level``), from the sums
#: BetPawa's day rows carry; a competition's matches summed over its dates.
_BETPAWA_AGAINST_COMPETITORS = f"""
    WITH days AS (
        SELECT * FROM analytics.closing_price_days
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s AND book = 'betpawa'
          AND betpawa_bets IS NOT NULL
    ), grouped AS (
        SELECT CASE WHEN grouping(market_family) = 0 THEN 'family' ELSE 'competition' END AS level,
               sport, competition, market_family,
               sum(betpawa_bets)::bigint AS outcomes,
               sum(betpawa_opening_sum) / sum(betpawa_bets) AS opening,
               sum(betpawa_closing_sum) / sum(betpawa_bets) AS closing,
               (sum(betpawa_opening_abs_sum) - sum(betpawa_closing_abs_sum)) / sum(betpawa_bets) AS nearer,
               sum(betpawa_moved_nearer)::float8 / sum(betpawa_bets) AS moved_nearer,
               sum(betpawa_off_fair_sum) / nullif(sum(betpawa_off_fair_count), 0) AS off_fair,
               sum(rivals_gap_sum) / nullif(sum(rivals_compared), 0) AS their_closing,
               sum(rivals_off_fair_sum) / nullif(sum(rivals_fair_count), 0) AS their_off_fair
        FROM days
        GROUP BY GROUPING SETS ((sport, competition, market_family), (sport, competition))
    ), matches AS (
        SELECT sport, competition, sum(matches)::bigint AS matches
        FROM (SELECT kickoff_date, sport, competition, max(betpawa_competition_matches) AS matches
              FROM days GROUP BY kickoff_date, sport, competition) AS per_date
        GROUP BY sport, competition
    ), shown AS (
        SELECT * FROM grouped WHERE level = 'family'
        UNION ALL
        (SELECT * FROM grouped WHERE level = 'competition' ORDER BY closing, sport, competition
         LIMIT %(worst)s)
    )
    SELECT level, sport, competition, market_family,
           CASE WHEN level = 'competition' THEN matches.matches END AS matches, outcomes,
           {_percent("opening")} AS opening_gap_pct, {_percent("closing")} AS closing_gap_pct,
           {_percent("nearer")} AS nearer_points, {_percent("moved_nearer")} AS moved_nearer_pct,
           {_percent("their_closing")} AS competitors_gap_pct,
           {_percent("closing - their_closing")} AS versus_points,
           {_percent("off_fair")} AS off_fair_points,
           {_percent("their_off_fair")} AS competitors_off_fair_points,
           CASE WHEN off_fair IS NULL OR their_off_fair IS NULL THEN NULL
                WHEN {_percent("off_fair")} = {_percent("their_off_fair")} THEN 'level'
                WHEN off_fair < their_off_fair THEN 'sharper'
                ELSE 'softer' END AS at_close
    FROM shown LEFT JOIN matches USING (sport, competition)
    ORDER BY level = 'competition', CASE WHEN level = 'competition' THEN closing END, sport, competition,
             market_family
    """


def betpawa_closing(conn: psycopg.Connection, week: DigestWeek) -> tuple[pl.DataFrame, pl.DataFrame]:
    """BetPawa's outcomes of the week with an opening and a closing gap against the competitors' closing rows
    on the same bets: per sport, competition and market family, its mean gaps at open and at close, how much
    nearer the consensus price it closed than it opened and the share of outcomes that moved nearer, the
    competitors' mean closing gap, and how far its and their de-vigged fair probabilities sat from the
    consensus (sharper when nearer than theirs, softer when further, level when equal to a tenth); and the
    same per competition for the :data:`WORST_COMPETITIONS` where its mean closing gap is lowest."""
    rows = read_frame(conn, _BETPAWA_AGAINST_COMPETITORS, {**week.params(), "worst": WORST_COMPETITIONS})
    per_family = rows.filter(pl.col("level") == "family").drop("level", "matches")
    worst = rows.filter(pl.col("level") == "competition").drop("level", "market_family")
    return per_family, worst


#: The in-play phases of analytics.inplay_suspension, in the order the digest shows them.
INPLAY_PHASES = ("first_half", "half_time", "second_half", "after_goal")


def _phase_shares() -> str:
    """Per phase, the share of lines suspended (percent, one decimal) over the group's rows."""
    return ",\n".join(
        f"round((100.0 * sum(lines_suspended) FILTER (WHERE phase = '{phase}')"
        f" / NULLIF(sum(lines_observed) FILTER (WHERE phase = '{phase}'), 0))::numeric, 1)::float8 AS {phase}"
        for phase in INPLAY_PHASES
    )


def suspension_by_book(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per book, the week's live lines observed and the share suspended in each phase and overall."""
    return read_frame(
        conn,
        f"""
        SELECT book, sum(lines_observed)::bigint AS lines_observed,
               {_phase_shares()},
               round((100.0 * sum(lines_suspended) / NULLIF(sum(lines_observed), 0))::numeric, 1)::float8
                   AS overall
        FROM analytics.inplay_suspension
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
        GROUP BY book
        ORDER BY book = 'betpawa' DESC, book
        """,
        week.params(),
    )


def suspension_by_family(conn: psycopg.Connection, week: DigestWeek) -> pl.DataFrame:
    """Per book and market family, the week's live lines observed and the share suspended in each phase."""
    return read_frame(
        conn,
        f"""
        SELECT book, market_family, sum(lines_observed)::bigint AS lines_observed,
               {_phase_shares()}
        FROM analytics.inplay_suspension
        WHERE site_country = %(cc)s AND kickoff_date BETWEEN %(first)s AND %(last)s
        GROUP BY book, market_family
        ORDER BY market_family, book = 'betpawa' DESC, book
        """,
        week.params(),
    )
