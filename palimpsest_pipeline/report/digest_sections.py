"""The weekly digest's sections: each is one function (read its tables for a site country and week, return
its tables and charts) plus one registration in :data:`SECTIONS`, naming the relations it needs. A section
whose relations are not in the database yet shows as "not measured yet" and writes no CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import altair as alt
import polars as pl
import psycopg

from palimpsest_pipeline.report.chart import BOOK_COLOURS, WIDTH, Chart, book_scale
from palimpsest_pipeline.report.table_spec import (
    BOOK,
    COMPETITION,
    MARKET_FAMILY,
    MATCHES,
    OUTCOMES,
    SPORT,
    Column,
    DeskTable,
    match_columns,
    number,
)
from palimpsest_pipeline.warehouse import digest_reader as read
from palimpsest_pipeline.warehouse import digest_retention
from palimpsest_pipeline.warehouse.digest_reader import DigestWeek
from palimpsest_pipeline.warehouse.site_books import book_name

#: The start statuses of analytics.live_starts, in the order the page shows them.
START_STATUSES = ("on_time", "late", "never_live", "removed", "unmonitored", "rescheduled")
_STATUS_COLOURS = ("#2f9e44", "#f08c00", "#e03131", "#868e96", "#ced4da", "#74c0fc")


@dataclass(frozen=True)
class SectionContent:
    """What a section shows: its tables (each its own CSV), its charts and one line for the message."""

    tables: list[DeskTable]
    charts: list[Chart] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class DigestContext:
    """What every section is given: the country and week, and the alert rules (those switched off apart)."""

    week: DigestWeek
    rules: tuple[str, ...]
    rules_off: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    #: The relations (``analytics.x``) it reads: one missing, the section is "not measured yet".
    relations: tuple[str, ...]
    build: Callable[[psycopg.Connection, DigestContext], SectionContent]


def _books_named(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with each book key read as the book's name, as tables show it."""
    return frame.with_columns(pl.col("book").map_elements(book_name, return_dtype=pl.String))


def _book_table(
    key: str, title: str, caption: str, columns: tuple[Column, ...], rows: pl.DataFrame, empty: str
) -> DeskTable:
    """A table of rows per book: the books by name, the drop-down filtering on them."""
    return DeskTable(key, title, caption, columns, _books_named(rows), empty, filter_by="book")


def coverage(conn: psycopg.Connection, context: DigestContext) -> SectionContent:
    """Coverage gained and lost: each book's catalogue additions and withdrawals during the week, and each
    competitor's matches of the week's kick-offs BetPawa lists, against the week before."""
    changes = read.catalogue_changes(conn, context.week)
    shares = read.competitor_coverage(conn, context.week)
    added, withdrawn = int(changes["added"].sum() or 0), int(changes["withdrawn"].sum() or 0)
    tables = [
        _book_table(
            "catalogue_changes",
            "Added and withdrawn during the week",
            "Per book and sport, the events its catalogue added and withdrew during the week, whatever their "
            "kick-off (analytics.catalogue_changes; moved kick-offs are not counted).",
            (BOOK, SPORT, number("added", "Added"), number("withdrawn", "Withdrawn"), number("net", "Net")),
            changes,
            "No catalogue change recorded during the week.",
        ),
        _book_table(
            "competitor_coverage",
            "BetPawa's share of each competitor's matches",
            "Per competitor and sport, its matches kicking off in the week, those BetPawa does not list, and "
            "the share BetPawa lists against the week before, in percentage points (analytics.coverage, "
            "level sport).",
            (
                Column("book", "Competitor"),
                SPORT,
                number("events", "Matches"),
                number("not_on_betpawa", "Not on BetPawa"),
                number("betpawa_share_pct", "BetPawa lists %"),
                number("previous_share_pct", "Week before %"),
                number("change_points", "Change (points)"),
            ),
            shares,
            "No coverage computed for the week's kick-offs.",
        ),
    ]
    charts = [_changes_chart(changes)]
    summary = f"catalogues: {added} event(s) added, {withdrawn} withdrawn"
    return SectionContent(tables, charts, summary)


def _changes_chart(changes: pl.DataFrame) -> Chart:
    title = "Catalogue changes per book"
    caption = "Per book, events added (right) and withdrawn (left) during the week, all sports."
    if changes.is_empty():
        return Chart("digest_changes", title, caption, None, "No catalogue change recorded during the week.")
    totals = changes.group_by("book").agg(pl.col("added").sum(), pl.col("withdrawn").sum()).sort("book")
    long = totals.select("book", "added", (-pl.col("withdrawn")).alias("withdrawn")).unpivot(
        index="book", variable_name="change", value_name="events"
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("book:N", title=None, sort=book_scale([], totals).domain),
            x=alt.X("events:Q", title="events (withdrawn < 0 < added)", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "change:N", scale=alt.Scale(domain=["added", "withdrawn"], range=["#2f9e44", "#e03131"])
            ),
            tooltip=["book:N", "change:N", "events:Q"],
        )
        .properties(width=WIDTH, height=30 * max(2, totals.height))
    )
    return Chart("digest_changes", title, caption, chart.to_dict())


def late_starts(conn: psycopg.Connection, context: DigestContext) -> SectionContent:
    """Late starts: each book's kick-offs of the week by start status, and BetPawa's late starts where a
    competitor was on time, by competition."""
    by_book = read.late_starts_by_book(conn, context.week)
    finding = read.betpawa_late_by_competition(conn, context.week)
    statuses = [number(status, status.replace("_", " ").capitalize()) for status in START_STATUSES]
    tables = [
        _book_table(
            "late_starts",
            "Starts per book and status",
            "Per book, the week's kick-offs by how they went live (analytics.live_starts: on time, late 5 "
            "minutes or more, never live within 90, removed more than 30 minutes before, unmonitored: the "
            "book was not watched at kick-off, rescheduled), the late ones by reason (the match minute its "
            "live row showed: match delayed at 5 or less, coverage late past it) and the median minutes late "
            "starts took to go live.",
            (
                BOOK,
                *statuses,
                number("coverage_late", "Coverage late"),
                number("match_delayed", "Match delayed"),
                number("median_late_minutes", "Median minutes to live (late)"),
            ),
            by_book,
            "No start judged for the week's kick-offs (the live watcher judges each after its kick-off).",
        ),
        DeskTable(
            "betpawa_late",
            "BetPawa late where a competitor was on time",
            "Per competition, the week's matches BetPawa started late while a competitor on the same sites "
            "was on time (analytics.betpawa_late_starts), the median minutes BetPawa took to go live (of "
            "those it did) and the competitors on time.",
            (
                SPORT,
                COMPETITION,
                MATCHES,
                number("median_minutes_to_live", "Median minutes to live", missing="not live"),
                Column("on_time_on", "On time on"),
            ),
            finding,
            "BetPawa was never late where a competitor was on time.",
        ),
    ]
    late_here = by_book.filter(pl.col("book") == "betpawa")
    betpawa_late = int(late_here["late"].sum() or 0) if late_here.height else 0
    summary = (
        f"late starts: BetPawa {betpawa_late} late, {int(finding['matches'].sum() or 0)} where a competitor "
        "was on time"
    )
    return SectionContent(tables, [_starts_chart(by_book)], summary)


def _starts_chart(by_book: pl.DataFrame) -> Chart:
    title = "How each book's kick-offs went live"
    caption = "Per book, the week's kick-offs by start status (analytics.live_starts)."
    if by_book.is_empty():
        return Chart("digest_starts", title, caption, None, "No start judged for the week's kick-offs.")
    long = by_book.select("book", *START_STATUSES).unpivot(
        index="book", variable_name="status", value_name="matches"
    )
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("book:N", title=None, sort=book_scale([], by_book).domain),
            x=alt.X("matches:Q", title="matches", stack="zero", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "status:N", scale=alt.Scale(domain=list(START_STATUSES), range=list(_STATUS_COLOURS))
            ),
            tooltip=["book:N", "status:N", "matches:Q"],
        )
        .properties(width=WIDTH, height=30 * max(2, by_book.height))
    )
    return Chart("digest_starts", title, caption, chart.to_dict())


_PHASE_TITLES = {
    "first_half": "First half %", "half_time": "Half time %", "second_half": "Second half %",
    "after_goal": "After a goal %",
}  # fmt: skip
_PHASE_COLOURS = ("#74c0fc", "#ced4da", "#1c7ed6", "#e03131")


def suspension(conn: psycopg.Connection, context: DigestContext) -> SectionContent:
    """In-play suspension: per book, the share of its live lines the live polls saw suspended in each phase
    (first half, half time, second half, the minutes after a goal), and the same per market family."""
    by_book = read.suspension_by_book(conn, context.week)
    by_family = read.suspension_by_family(conn, context.week)
    phases = tuple(
        number(phase, _PHASE_TITLES[phase], missing="none observed") for phase in read.INPLAY_PHASES
    )
    lines = number("lines_observed", "Lines observed")
    tables = [
        _book_table(
            "suspension",
            "Suspended share per book and phase",
            "Per book, the live market lines the live polls observed on its live list during the week's "
            "football kick-offs (each line once per poll, analytics.inplay_suspension) and the share "
            "suspended in each phase: first half, half time, second half, and the 3 minutes after a goal (a "
            "score the book's row changed), whatever the half.",
            (BOOK, lines, *phases, number("overall", "Overall %")),
            by_book,
            "No live line observed for the week's kick-offs (the live watcher counts them as matches play).",
        ),
        _book_table(
            "suspension_families",
            "Suspended share per market family",
            "Per market family and book, the week's live lines observed and the share suspended in each "
            "phase.",
            (MARKET_FAMILY, BOOK, lines, *phases),
            by_family,
            "No live line observed for the week's kick-offs.",
        ),
    ]
    betpawa = by_book.filter(pl.col("book") == "betpawa")
    after = betpawa["after_goal"][0] if betpawa.height else None
    overall = betpawa["overall"][0] if betpawa.height else None
    summary = (
        "in-play suspension: BetPawa not observed"
        if overall is None
        else f"in-play suspension: BetPawa {overall:g} % of live lines suspended, "
        + ("none observed after a goal" if after is None else f"{after:g} % after a goal")
    )
    return SectionContent(tables, [_suspension_chart(by_book)], summary)


def _suspension_chart(by_book: pl.DataFrame) -> Chart:
    title = "How much of each book's live board is suspended, by phase"
    caption = "Per book and phase, the share of live lines suspended (analytics.inplay_suspension)."
    if by_book.is_empty():
        return Chart(
            "digest_suspension", title, caption, None, "No live line observed for the week's kick-offs."
        )
    long = by_book.select("book", *read.INPLAY_PHASES).unpivot(
        index="book", variable_name="phase", value_name="share"
    )
    chart = (
        alt.Chart(long.drop_nulls("share"))
        .mark_bar()
        .encode(
            y=alt.Y("book:N", title=None, sort=book_scale([], by_book).domain),
            yOffset=alt.YOffset("phase:N", sort=list(read.INPLAY_PHASES)),
            x=alt.X("share:Q", title="suspended %"),
            color=alt.Color(
                "phase:N", scale=alt.Scale(domain=list(read.INPLAY_PHASES), range=list(_PHASE_COLOURS))
            ),
            tooltip=["book:N", "phase:N", "share:Q"],
        )
        .properties(width=WIDTH, height=60 * max(2, by_book.height))
    )
    return Chart("digest_suspension", title, caption, chart.to_dict())


def closing_prices(conn: psycopg.Connection, context: DigestContext) -> SectionContent:
    """Closing prices: how far each book's last prematch prices of the week's kick-offs sat from the
    competitors' fair consensus, BetPawa's opening and closing gaps side by side against the competitors',
    the competitions where its close was worst, and the outcomes set aside."""
    books, gaps = read.closing_gaps(conn, context.week)
    betpawa, worst = read.betpawa_closing(conn, context.week)
    sport_competition = (SPORT, Column("competition", "Competition"))
    compared = (OUTCOMES, number("compared", "Compared"))
    gap_columns = (
        number("mean_gap_pct", "Mean gap %"),
        number("median_gap_pct", "Median gap %"),
        number("above_fair_pct", "Above fair %"),
    )
    side_by_side = (
        number("opening_gap_pct", "Opening gap %"),
        number("closing_gap_pct", "Closing gap %"),
        number("competitors_gap_pct", "Competitors' gap %", missing="none compared"),
        number("versus_points", "Vs competitors (points)", missing="none compared"),
    )
    tables = [
        _book_table(
            "closing_books",
            "Closing gap per book",
            "Per book, the outcomes of the week's kick-offs it priced before kick-off "
            "(analytics.closing_prices): those compared with the competitors' fair (no-vig) consensus on the "
            "same bet, the gap of its closing price (closing price over fair price minus one: what a unit "
            "staked returns against fair), mean and median (the median of the gaps rounded to a tenth of a "
            "point: within 0.05 points of the exact one), the share above fair, BetPawa's mean opening gap "
            "on the same outcomes, the outcomes without a consensus (fewer than two competitors) and those "
            "set aside: stale (no capture in the imminent tier's reach before kick-off), suspended or closed "
            "at the close, other (its kick-off disagreed, its price unreadable, its line's margin negative).",
            (
                BOOK,
                *compared,
                *gap_columns,
                number("opening_gap_pct", "Opening gap %"),
                number("no_consensus", "No consensus"),
                number("stale", "Stale"),
                number("suspended_or_closed", "Suspended or closed"),
                number("other_set_aside", "Other set aside"),
            ),
            books,
            "No closing price for the week's kick-offs (written once each date's matches have kicked off).",
        ),
        _book_table(
            "closing_gaps",
            "Closing gap per competition and market family",
            "Per competition, market family and book: the outcomes priced and those compared with the "
            "consensus, the mean and median closing gap (the median to a tenth of a point, as above), the "
            "share above fair, and the outcomes set aside.",
            (
                *sport_competition,
                MARKET_FAMILY,
                BOOK,
                *compared,
                *gap_columns,
                number("set_aside", "Set aside"),
            ),
            gaps,
            "No closing price for the week's kick-offs.",
        ),
        DeskTable(
            "closing_betpawa",
            "BetPawa at open and at close against the competitors",
            "Per competition and market family, BetPawa's outcomes with an opening and a closing gap (both "
            "against the consensus at close): the mean of each; nearer at close, how much nearer the fair "
            "price its closing prices sat than its opening ones (points of gap, negative: further), and the "
            "share of outcomes whose price moved nearer; the competitors' mean closing gap on the same bets "
            "and BetPawa's against it (negative: BetPawa paid less); and, margins removed, how far BetPawa's "
            "and the competitors' fair probabilities sat from the consensus (points): BetPawa sharper at "
            "close when nearer than theirs, softer when further, level when equal to a tenth.",
            (
                *sport_competition,
                MARKET_FAMILY,
                OUTCOMES,
                Column("at_close", "At close", missing="not judged"),
                *side_by_side,
                number("nearer_points", "Nearer at close (points)"),
                number("moved_nearer_pct", "Moved nearer %"),
                number("off_fair_points", "Off fair (points)", missing="no full line"),
                number(
                    "competitors_off_fair_points", "Competitors off fair (points)", missing="none compared"
                ),
            ),
            betpawa,
            "No BetPawa outcome compared at open and at close for the week's kick-offs.",
            filter_by="at_close",
        ),
        DeskTable(
            "closing_worst",
            "Where BetPawa's close is worst",
            f"The {read.WORST_COMPETITIONS} competitions (at most) where BetPawa's mean closing gap was "
            "lowest, over its outcomes with an opening and a closing gap, with its opening gap and the "
            "competitors' closing gap on the same bets.",
            (*sport_competition, MATCHES, OUTCOMES, *side_by_side),
            worst,
            "No BetPawa outcome compared at open and at close for the week's kick-offs.",
        ),
    ]
    return SectionContent(tables, [_closing_chart(worst)], _closing_summary(books, worst))


def _closing_summary(books: pl.DataFrame, worst: pl.DataFrame) -> str:
    own = books.filter(pl.col("book") == "betpawa")
    if own.is_empty() or own["mean_gap_pct"][0] is None:
        return "closing prices: no BetPawa price compared"
    line = (
        f"closing prices: BetPawa {own['mean_gap_pct'][0]:g} % from fair at close over "
        f"{own['compared'][0]} outcome(s)"
    )
    if own["opening_gap_pct"][0] is not None:
        line += f", {own['opening_gap_pct'][0]:g} % at open"
    if worst.height:
        line += f"; worst {worst['competition'][0]} ({worst['closing_gap_pct'][0]:g} %)"
    return line


#: The worst competitions' chart: its series, in order, and their colours (BetPawa's at close its own).
_CLOSING_SERIES = {
    "opening_gap_pct": ("BetPawa at open", "#b2f2bb"),
    "closing_gap_pct": ("BetPawa at close", BOOK_COLOURS["betpawa"]),
    "competitors_gap_pct": ("competitors at close", "#868e96"),
}


def _closing_chart(worst: pl.DataFrame) -> Chart:
    title = "Where BetPawa's close is worst"
    caption = (
        "Per competition where BetPawa's mean closing gap was lowest, its mean gap at open and at close and "
        "the competitors' at close on the same bets (the closing_worst table); 0 is the fair price."
    )
    if worst.is_empty():
        return Chart("digest_closing", title, caption, None, "No BetPawa outcome compared for the week.")
    labelled = worst.with_columns(pl.format("{} ({})", "competition", "sport").alias("where"))
    long = (
        labelled.select("where", *_CLOSING_SERIES)
        .unpivot(index="where", variable_name="series", value_name="gap_pct")
        .drop_nulls("gap_pct")
        .with_columns(pl.col("series").replace_strict({k: v[0] for k, v in _CLOSING_SERIES.items()}))
    )
    points = (
        alt.Chart(long)
        .mark_point(filled=True, size=90)
        .encode(
            y=alt.Y("where:N", title=None, sort=labelled["where"].to_list()),
            x=alt.X("gap_pct:Q", title="mean gap against the fair consensus (%)"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=[label for label, _ in _CLOSING_SERIES.values()],
                    range=[colour for _, colour in _CLOSING_SERIES.values()],
                ),
            ),
            tooltip=["where:N", "series:N", "gap_pct:Q"],
        )
    )
    fair = alt.Chart(pl.DataFrame({"gap_pct": [0.0]})).mark_rule(color="#495057").encode(x="gap_pct:Q")
    chart = alt.layer(fair, points).properties(width=WIDTH, height=30 * max(2, labelled.height))
    return Chart("digest_closing", title, caption, chart.to_dict())


def to_list(conn: psycopg.Connection, context: DigestContext) -> SectionContent:
    """What to list: the matches competitors list and BetPawa does not now, and the competitions where
    BetPawa listed after its first competitor during the week."""
    now = read.to_list_now(conn, context.week)
    lag = read.listing_lag(conn, context.week)
    tables = [
        DeskTable(
            "to_list",
            "To list now",
            f"Matches competitors list and BetPawa does not, as the latest catalogue run left them, the "
            f"soonest {read.TO_LIST_ROWS} (analytics.to_list_now); hours listed by them is unknown when a "
            "competitor already listed it at the warehouse's first scrape of its date.",
            (
                *match_columns(),
                Column("listed_by", "Listed by"),
                number("hours_listed", "Hours listed by them", missing="unknown"),
            ),
            now,
            "Nothing to list: every match a competitor lists, BetPawa lists too.",
        ),
        DeskTable(
            "listing_lag",
            "Listed after a competitor",
            "Per competition, over the week's kick-off dates: BetPawa's events, those it listed after the "
            "first competitor, and the longest daily median of that lag (analytics.listing_lead_time).",
            (
                SPORT,
                COMPETITION,
                number("events", "BetPawa events"),
                number("lagged_events", "Listed after a competitor"),
                number("longest_daily_median_lag_hours", "Longest daily median lag (h)"),
            ),
            lag,
            "BetPawa listed no timed match of the week after a competitor.",
        ),
    ]
    return SectionContent(tables, [], f"to list now: {now.height} match(es)")


def alerts(conn: psycopg.Connection, context: DigestContext) -> SectionContent:
    """Per-event alarms: how many each rule raised during the week, and how many a rule switched off would
    have raised."""
    counts = read.alerts_per_rule(conn, context.week, context.rules).with_columns(
        pl.col("rule")
        .is_in(list(context.rules_off))
        .map_elements(lambda off: "off" if off else "on", return_dtype=pl.String)
        .alias("state")
    )
    table = DeskTable(
        "alerts",
        "Alerts per rule",
        "Per rule, the alerts on this country raised during the week and sent to the receivers, those a rule "
        "switched off (PALIMPSEST_ALERT_RULES_OFF) recorded instead of sending, what it would have raised, "
        "and those held back by the cooldown (analytics.alerts); the rule's state when the digest was built.",
        (
            Column("rule", "Rule"),
            Column("state", "State now"),
            number("raised", "Raised and sent"),
            number("switched_off", "Would have raised (off)"),
            number("suppressed", "Held back (cooldown)"),
        ),
        counts,
        "No alert rule.",
        filter_by="state",
    )
    raised, off = int(counts["raised"].sum() or 0), int(counts["switched_off"].sum() or 0)
    return SectionContent([table], [], f"alarms: {raised} raised, {off} more from rules switched off")


_PROVIDER = Column("provider", "Provider")
_RETENTION_FIGURES = (
    MATCHES,
    number("market_pct", "Market types kept %", missing="none offered"),
    number("line_pct", "Lines kept %", missing="none offered"),
    number("selection_pct", "Selections kept %", missing="none offered"),
    number("under_half", "Under 50 %"),
    number("key_dropped_matches", "Key market dropped"),
    number("prices_compared", "Prices compared"),
    number("prices_moved", "Moved 30 %+"),
)


def retention(conn: psycopg.Connection, context: DigestContext) -> SectionContent:
    """Market retention into live: what each book offered at its last prematch capture and kept in play, per
    book, pair of snapshots, competition and provider, the key markets dropped, and BetPawa against the best
    competitor on the same matches."""
    week = context.week
    books = digest_retention.by_book(conn, week)
    pairs = digest_retention.by_pair(conn, week)
    weekly = "T-1 against +5 (the weekly pair)"
    pooled = (
        "Kept: open in the live snapshot; a percentage is the types (lines, selections) kept over those "
        "offered, summed over the matches; under 50 %: matches keeping under half their market types; "
        "key market dropped: matches dropping 1X2, total goals, both teams to score, double chance or "
        "first-half 1X2; moved: outcomes open on both sides whose odds moved by 30 % or more "
        "(analytics.market_retention)."
    )
    tables = [
        _book_table(
            "retention_books",
            "Retention per book",
            f"Per book, the week's matches compared {weekly}. {pooled}",
            (BOOK, *_RETENTION_FIGURES),
            books,
            "No retention measured for the week's kick-offs (the live watch takes the snapshots).",
        ),
        _book_table(
            "retention_pairs",
            "Retention per pair of snapshots",
            "Per book, each prematch snapshot (T-60, T-15, T-1 minutes) against each live one (+0, +2, +5 "
            "minutes after the match went live on it): the matches and the market types, lines and "
            "selections kept.",
            (
                BOOK,
                Column("prematch", "Prematch"),
                number("live", "Live (+ minutes)"),
                *_RETENTION_FIGURES[:4],
            ),
            pairs,
            "No retention measured for the week's kick-offs.",
        ),
        DeskTable(
            "retention_betpawa",
            "BetPawa against the best competitor",
            f"Per competition, {weekly}: the matches where BetPawa and a competitor were both compared, "
            "BetPawa's mean market retention and the best competitor's on each match, the mean gap (points, "
            "negative: BetPawa kept less), the matches where BetPawa kept less, the key markets it dropped "
            "and the competitors that were best (analytics.betpawa_retention_vs_best); the widest gap first.",
            (
                SPORT,
                COMPETITION,
                MATCHES,
                number("betpawa_pct", "BetPawa kept %"),
                number("best_pct", "Best competitor kept %"),
                number("gap_points", "Gap (points)"),
                number("kept_less", "BetPawa kept less"),
                number("key_markets_dropped", "Key markets BetPawa dropped"),
                Column("best_books", "Best"),
            ),
            digest_retention.betpawa_against_best(conn, week),
            "No match with BetPawa and a competitor both compared.",
        ),
        _book_table(
            "retention_key_markets",
            "Key markets offered and dropped",
            f"Per book and key market, {weekly}: the matches offering it at T-1 and those where it had no "
            "open outcome at +5.",
            (
                BOOK,
                Column("market", "Key market"),
                number("offered", "Offered"),
                number("dropped", "Dropped"),
            ),
            digest_retention.key_markets(conn, week),
            "No key market offered at T-1 on the week's matches compared.",
        ),
        _book_table(
            "retention_competitions",
            "Retention per competition",
            f"Per competition, data provider and book, {weekly}.",
            (SPORT, COMPETITION, _PROVIDER, BOOK, *_RETENTION_FIGURES),
            digest_retention.by_competition(conn, week),
            "No retention measured for the week's kick-offs.",
        ),
        DeskTable(
            "retention_providers",
            "Retention per data provider",
            f"Per data provider (sportradar: the book's listing carries the SportRadar id; genius_sports: "
            f"only the Genius Sports id) and book, {weekly}.",
            (_PROVIDER, BOOK, *_RETENTION_FIGURES),
            _books_named(digest_retention.by_provider(conn, week)),
            "No retention measured for the week's kick-offs.",
            filter_by="provider",
        ),
    ]
    return SectionContent(tables, [_retention_chart(pairs)], _retention_summary(books))


def _retention_summary(books: pl.DataFrame) -> str:
    own = books.filter(pl.col("book") == "betpawa")
    if own.is_empty() or own["market_pct"][0] is None:
        return "retention: no BetPawa match compared"
    rivals = books.filter((pl.col("book") != "betpawa") & pl.col("market_pct").is_not_null())
    line = (
        f"retention: BetPawa kept {own['market_pct'][0]:g} % of its market types from T-1 to +5 over "
        f"{own['matches'][0]} match(es), a key market dropped on {own['key_dropped_matches'][0]}"
    )
    if rivals.height:
        best = rivals.sort("market_pct", descending=True).row(0, named=True)
        line += f"; best competitor {book_name(best['book'])} {best['market_pct']:g} %"
    return line


def _retention_chart(pairs: pl.DataFrame) -> Chart:
    title = "Market types kept after the switch"
    caption = (
        "Per book, the market types offered at T-1 kept at +0, +2 and +5 minutes after the match went live "
        "(the retention_pairs table's T-1 rows)."
    )
    shown = pairs.filter((pl.col("prematch") == "T-1") & pl.col("market_pct").is_not_null())
    if shown.is_empty():
        return Chart("digest_retention", title, caption, None, "No retention measured for the week.")
    chart = (
        alt.Chart(shown.select("book", "live", "market_pct"))
        .mark_line(point=True)
        .encode(
            x=alt.X("live:O", title="minutes after going live"),
            y=alt.Y("market_pct:Q", title="market types kept (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("book:N", title=None, scale=book_scale([], shown)),
            tooltip=["book:N", "live:O", "market_pct:Q"],
        )
        .properties(width=WIDTH, height=260)
    )
    return Chart("digest_retention", title, caption, chart.to_dict())


#: Every section, in page order: one function and one line here each.
SECTIONS: tuple[Section, ...] = (
    Section(
        "coverage",
        "Coverage gained and lost",
        ("analytics.catalogue_changes", "analytics.coverage"),
        coverage,
    ),
    Section(
        "late_starts", "Late starts", ("analytics.live_starts", "analytics.betpawa_late_starts"), late_starts
    ),
    Section(
        "retention",
        "Market retention into live",
        ("analytics.market_retention", "analytics.betpawa_retention_vs_best"),
        retention,
    ),
    Section("suspension", "In-play suspension", ("analytics.inplay_suspension",), suspension),
    Section("closing_prices", "Closing prices", ("analytics.closing_price_days",), closing_prices),
    Section("to_list", "What to list", ("analytics.to_list_now", "analytics.listing_lead_time"), to_list),
    Section("alerts", "Per-event alarms", ("analytics.alerts",), alerts),
)
