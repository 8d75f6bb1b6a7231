"""The synthetic world the sandbox serves: tournaments, matches, and which book lists what, when.

A pure function of (seed, size, days) and the instant asked about, so a moving clock sees one consistent
world; :meth:`World.listed` is the tests' ground truth, the same records the adapters should parse. Provider
ids (SportRadar, Genius) are shown as on the real books (docs/sandbox.md).
"""

from __future__ import annotations

import math
import random
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from palimpsest_pipeline.books.sports import sport_by_key
from palimpsest_pipeline.records import Book, Event, Tournament
from palimpsest_sandbox import names
from palimpsest_sandbox.more_books import FIRST_BOOKS, NEW_BOOKS, new_listings
from palimpsest_sandbox.names import CountrySpec, stable_hash
from palimpsest_sandbox.prominence import match_prominence, tournament_weight
from palimpsest_sandbox.world_event import Listing, WorldEvent, WorldTournament

__all__ = ["Listing", "World", "WorldEvent", "WorldTournament"]

#: Relative number of matches per weekday (Mon..Sun): football crowds the weekend.
WEEKDAY_WEIGHTS = (0.75, 0.9, 1.0, 0.8, 0.85, 1.9, 1.8)
SPORT_WEIGHTS = (("football", 0.86), ("basketball", 0.08), ("tennis", 0.06))
#: Who lists a match. Shares of the universe before lead times trim them (see ``_listing_books``).
ALL_BOOKS_SHARE = 0.86
#: Days of lead (before kick-off) each book tends to add to a match's announcement lead.
BOOK_LEAD_OFFSET_DAYS = {Book.BETPAWA: -0.6, Book.SPORTYBET: 0.0, Book.BET9JA: -0.3}
WITHDRAWN_SHARE = 0.01
#: Share of matches whose Bet9ja listing has no ``EXTID`` (Bet9ja has no other provider id: unlinkable).
BET9JA_NO_EXTID_SHARE = 0.015
#: Share of matches with a Genius Sports id (BetPawa shows it as a ``GENIUSSPORTS`` widget).
GENIUS_ID_SHARE = 0.7
#: Share of matches (among those with a Genius id) whose SportyBet feed is Genius (``eventSource``
#: BET_GENIUS).
GENIUS_SOURCED_SHARE = 0.08
#: Among Genius-sourced matches, the share BetPawa lists without a SportRadar widget (Genius link only).
BETPAWA_NO_SR_WIDGET_WHEN_GENIUS = 0.5
#: Among the other matches, the share BetPawa lists without a SportRadar widget (and so unlinkable).
BETPAWA_NO_SR_WIDGET = 0.005
#: Share of BetPawa list rows that omit ``widgets`` (clients must fetch the event for its SR id).
BETPAWA_ROWS_WITHOUT_WIDGETS = 0.1
#: The most matches the day stream makes; the indices above are the domestic leagues' (domestic.py).
MAX_EVENTS_PER_DAY = 9_800
_DAY_CACHE_SIZE = 64
_LISTING_CACHE_SIZE = 32


def _floor_minute(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(second=0, microsecond=0)


class World:
    """The deterministic synthetic world. Thread-safe: the server thread and tests read it together."""

    def __init__(self, *, seed: int, size: int, days: int) -> None:
        self.seed = seed
        self.size = size
        self.days = days
        self.tournaments: tuple[WorldTournament, ...] = self._build_tournaments()
        self._by_sport = {
            sport: [t for t in self.tournaments if t.sport == sport] for sport, _ in SPORT_WEIGHTS
        }
        self._base_per_day = self._calibrate_daily_rate()
        self._lock = threading.Lock()
        self._days: OrderedDict[date, tuple[WorldEvent, ...]] = OrderedDict()
        self._ids: dict[date, dict[tuple[Book, str], WorldEvent]] = {}
        self._listings: OrderedDict[tuple[Book, datetime], tuple[WorldEvent, ...]] = OrderedDict()

    # --- ground truth -------------------------------------------------------------------------------

    def listed(self, book: Book, at: datetime, *, sport: str | None = None) -> list[Event]:
        """Every event ``book`` lists at ``at`` (kick-off still ahead), as the adapters should parse it."""
        return [event.record(book) for event in self.listed_events(book, at, sport=sport)]

    def listed_tournaments(self, book: Book, at: datetime, *, sport: str | None = None) -> list[Tournament]:
        """Tournaments with at least one listed event, with the book's event count."""
        counts: dict[WorldTournament, int] = {}
        for event in self.listed_events(book, at, sport=sport):
            counts[event.tournament] = counts.get(event.tournament, 0) + 1
        return [
            Tournament(
                book,
                t.tournament_id(book),
                t.spellings[book],
                t.country_spellings[book],
                t.sport,
                count,
                t.country_id(book),
            )
            for t, count in counts.items()
        ]

    # --- serving ------------------------------------------------------------------------------------

    def listed_events(self, book: Book, at: datetime, *, sport: str | None = None) -> tuple[WorldEvent, ...]:
        """Listed events by (kick-off, uid); cached per (book, minute) as all boundaries are whole minutes."""
        minute = _floor_minute(at)
        key = (book, minute)
        with self._lock:
            cached = self._listings.get(key)
        if cached is None:
            cached = tuple(
                event
                for day in self._window(minute)
                for event in self._day(day)
                if book in event.listings and event.listings[book].shown_at(minute, event.kickoff)
            )
            with self._lock:
                self._listings[key] = cached
                while len(self._listings) > _LISTING_CACHE_SIZE:
                    self._listings.popitem(last=False)
        if sport is None:
            return cached
        return tuple(event for event in cached if event.sport == sport)

    def find(self, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
        """The event ``book`` knows as ``event_id`` if it is listed at ``at`` (detail 404s otherwise)."""
        minute = _floor_minute(at)
        for day in self._window(minute):
            self._day(day)
            event = self._ids.get(day, {}).get((book, event_id))
            if event is not None:
                listing = event.listings.get(book)
                return event if listing is not None and listing.shown_at(minute, event.kickoff) else None
        return None

    def find_in_play(self, book: Book, event_id: str, at: datetime) -> WorldEvent | None:
        """The event ``book`` knows as ``event_id`` if it is in play at ``at`` (live endpoints)."""
        for day in self._live_window(at):
            self._day(day)
            event = self._ids.get(day, {}).get((book, event_id))
            if event is not None:
                return event if event.in_play(book, at) else None
        return None

    def in_play_events(self, book: Book, at: datetime, *, sport: str | None = None) -> list[WorldEvent]:
        """Every event ``book`` shows live at ``at``, by (kick-off, uid): ground truth for tests."""
        return [
            event
            for day in self._live_window(at)
            for event in self._day(day)
            if event.in_play(book, at) and sport in (None, event.sport)
        ]

    def live_events(self, book: Book, at: datetime) -> list[WorldEvent]:
        """Every event on ``book``'s live list at ``at``, by (kick-off, uid): ground truth for tests."""
        return [event for day in self._live_window(at) for event in self._day(day) if event.live_on(book, at)]

    def _live_window(self, at: datetime) -> tuple[date, date]:
        """Kick-off days that can hold a match in play at ``at``: matches last well under a day."""
        today = at.astimezone(UTC).date()
        return (today - timedelta(days=1), today)

    def _window(self, at: datetime) -> Iterable[date]:
        """Kick-off days that can hold a listed event at ``at``: leads never exceed ``days``."""
        first = at.date()
        last = (at + timedelta(days=self.days)).date()
        return (first + timedelta(days=offset) for offset in range((last - first).days + 1))

    # --- generation ---------------------------------------------------------------------------------

    def _day(self, day: date) -> tuple[WorldEvent, ...]:
        with self._lock:
            events = self._days.get(day)
            if events is not None:
                self._days.move_to_end(day)
                return events
        events = self._generate_day(day)
        index = {(book, event.event_id(book)): event for event in events for book in event.listings}
        with self._lock:
            self._days[day] = events
            self._ids[day] = index
            while len(self._days) > _DAY_CACHE_SIZE:
                old, _ = self._days.popitem(last=False)
                self._ids.pop(old, None)
        return events

    def _generate_day(self, day: date) -> tuple[WorldEvent, ...]:
        rng = random.Random(stable_hash(self.seed, "day", day.toordinal()))
        weight = WEEKDAY_WEIGHTS[day.weekday()] * 7 / sum(WEEKDAY_WEIGHTS)
        expected = self._base_per_day * weight * rng.lognormvariate(0.0, 0.08)
        count = min(MAX_EVENTS_PER_DAY, max(0, round(expected)))
        events = [self._generate_event(rng, day, index) for index in range(count)]
        events.sort(key=lambda event: (event.kickoff, event.uid))
        return tuple(events)

    def _generate_event(self, rng: random.Random, day: date, index: int) -> WorldEvent:
        uid = day.toordinal() * 10_000 + index
        sport = _weighted_choice(rng, SPORT_WEIGHTS)
        tournament = rng.choice(self._by_sport[sport])
        home_key, home_name = rng.choice(tournament.teams)
        away_key, away_name = rng.choice([team for team in tournament.teams if team[0] != home_key])
        kickoff = datetime.combine(day, time(0, 0), tzinfo=UTC) + _kickoff_offset(rng, sport, tournament, day)
        bet9ja_shows_sr_id = rng.random() >= BET9JA_NO_EXTID_SHARE
        sr_id = 10_000_000 + (day.toordinal() % 9_000) * 10_000 + index
        genius_id, genius_sourced, betpawa_shows_sr_id = self._provider_ids(uid)
        announce_lead = _announce_lead_days(rng, self.days)
        listings = {book: self._listing(rng, kickoff, book, announce_lead) for book in _listing_books(rng)}
        new = new_listings(self.seed, uid, kickoff, self.days)  # streams of their own: the day's is untouched
        listings.update((book, Listing(*shown)) for book, shown in new.items())
        return WorldEvent(
            uid=uid,
            sr_id=sr_id,
            match_seed=stable_hash(self.seed, "match", uid) % 2**31,
            sport=sport,
            tournament=tournament,
            home_key=home_key,
            away_key=away_key,
            home={
                **{book: self._team(book, home_key, home_name, sport) for book in FIRST_BOOKS},
                **dict.fromkeys(NEW_BOOKS, home_name),
            },
            away={
                **{book: self._team(book, away_key, away_name, sport) for book in FIRST_BOOKS},
                **dict.fromkeys(NEW_BOOKS, away_name),
            },
            kickoff=kickoff,
            listings=listings,
            betpawa_row_has_widgets=rng.random() >= BETPAWA_ROWS_WITHOUT_WIDGETS,
            bet9ja_shows_sr_id=bet9ja_shows_sr_id,
            genius_id=genius_id,
            genius_sourced=genius_sourced,
            betpawa_shows_sr_id=betpawa_shows_sr_id,
            prominence=match_prominence(self.seed, uid, tournament.weight),
        )

    def _provider_ids(self, uid: int) -> tuple[int | None, bool, bool]:
        """Genius id and which books show which id, from hashes of the match (not from the day's random
        stream, so every other property of the world stays as it was before Genius ids were modelled)."""
        has_genius = names.unit(self.seed, "genius", uid) < GENIUS_ID_SHARE
        sourced = has_genius and names.unit(self.seed, "genius-sourced", uid) < GENIUS_SOURCED_SHARE
        no_widget_share = BETPAWA_NO_SR_WIDGET_WHEN_GENIUS if sourced else BETPAWA_NO_SR_WIDGET
        genius_id = 13_000_000 + uid % 1_000_000 if has_genius else None
        return genius_id, sourced, names.unit(self.seed, "betpawa-sr-widget", uid) >= no_widget_share

    def _team(self, book: Book, key: int, canonical: str, sport: str) -> str:
        return names.team_spelling(book, canonical, seed=self.seed, team_key=key, sport=sport)

    def _listing(self, rng: random.Random, kickoff: datetime, book: Book, announce_lead: float) -> Listing:
        """Announced ``announce_lead`` days ahead, each book picks the match up a little earlier/later."""
        lead_days = announce_lead + BOOK_LEAD_OFFSET_DAYS[book] + rng.uniform(-0.3, 0.3)
        lead = timedelta(minutes=round(min(self.days, max(0.05, lead_days)) * 1_440))
        appear_at = kickoff - lead
        withdrawn_at = None
        if rng.random() < WITHDRAWN_SHARE:
            withdrawn_at = appear_at + timedelta(minutes=round(rng.random() * lead.total_seconds() / 60))
        return Listing(appear_at, withdrawn_at)

    def _calibrate_daily_rate(self) -> float:
        """Matches per average day such that each book lists about ``size`` at any instant.

        A book shows a match kicking off ``x`` days ahead only if it lists that match at all and has
        already announced it (lead >= x); a quick Monte Carlo over the same distributions gives the share.
        """
        rng = random.Random(stable_hash(self.seed, "calibration"))
        trials, shown = 4_000, 0
        for _ in range(trials):
            ahead = rng.uniform(0, self.days)
            books = _listing_books(rng)
            book = FIRST_BOOKS[rng.randrange(len(FIRST_BOOKS))]
            lead = _announce_lead_days(rng, self.days) + BOOK_LEAD_OFFSET_DAYS[book] + rng.uniform(-0.3, 0.3)
            shown += book in books and min(self.days, lead) >= ahead
        share = max(shown / trials, 0.05)
        return self.size / (self.days * share)

    def _build_tournaments(self) -> tuple[WorldTournament, ...]:
        wanted = max(12, self.size // 6)
        specs: list[tuple[str, CountrySpec, str]] = []
        for country in names.FOOTBALL_COUNTRIES:
            specs.extend(("football", country, league) for league in country.leagues)
        tier = 0
        while len(specs) < round(wanted * 0.86) and tier < len(names.EXTRA_TIERS):
            specs.extend(("football", c, names.EXTRA_TIERS[tier]) for c in names.FOOTBALL_COUNTRIES[:20])
            tier += 1
        for country in names.BASKETBALL_COUNTRIES:
            specs.extend(("basketball", country, league) for league in country.leagues)
        for tour in names.TENNIS_TOURS:
            specs.extend(("tennis", tour, name) for name in tour.leagues)
        # Country ids are numbered in order of first appearance: hashing names into a small range collided
        # (two countries under one id put one country's leagues under the other's name).
        country_keys: dict[tuple[str, str], int] = {}
        for sport, country, _ in specs:
            country_keys.setdefault((sport, country.name), 10 + len(country_keys))
        return tuple(
            self._tournament(number, sport, country, name, country_keys[sport, country.name])
            for number, (sport, country, name) in enumerate(specs)
        )

    @staticmethod
    def _weight(sport: str, country: CountrySpec, name: str) -> float:
        countries = names.FOOTBALL_COUNTRIES if sport == "football" else ()
        country_index = countries.index(country) if country in countries else 0
        league_index = country.leagues.index(name) if name in country.leagues else len(country.leagues)
        return tournament_weight(sport, country_index, league_index, name)

    def _tournament(
        self, number: int, sport: str, country: CountrySpec, name: str, country_key: int
    ) -> WorldTournament:
        key = 100 + number * 7
        team_count = 24 if sport == "tennis" else 16 + stable_hash(self.seed, "teams", key) % 5
        teams = []
        for index in range(team_count):
            team_key = key * 100 + index
            if sport == "tennis":
                teams.append((team_key, names.player_name(self.seed, team_key)))
            else:
                teams.append((team_key, names.club_name(self.seed, team_key, country.accents)))
        spellings = {
            book: names.tournament_spelling(book, name, country.name, seed=self.seed, tournament_key=key)
            for book in FIRST_BOOKS
        } | dict.fromkeys(NEW_BOOKS, name)
        country_spellings = {book: names.country_spelling(book, country.name) for book in FIRST_BOOKS}
        country_spellings |= dict.fromkeys(NEW_BOOKS, country.name)
        sport_id = sport_by_key(sport)
        return WorldTournament(
            key=key,
            sport=sport,
            country=country.name,
            country_key=country_key,
            name=name,
            utc_offset=country.utc_offset,
            teams=tuple(teams),
            betpawa_id=str(10_000 + number * 13),
            betpawa_region_id=str(int(sport_id.betpawa_category_id) * 1_000 + country_key),
            bet9ja_group_id=1_000_000 + number * 97,
            bet9ja_country_id=sport_id.bet9ja_sid * 10_000 + country_key,
            spellings=spellings,
            country_spellings=country_spellings,
            weight=self._weight(sport, country, name),
        )


def _weighted_choice(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    draw = rng.random() * sum(weight for _, weight in weighted)
    for value, weight in weighted:
        draw -= weight
        if draw < 0:
            return value
    return weighted[-1][0]


def _listing_books(rng: random.Random) -> tuple[Book, ...]:
    """Most matches are on all three books; the rest on two or on one (BetPawa lists fewer exotics)."""
    draw = rng.random()
    if draw < ALL_BOOKS_SHARE:
        return (Book.BETPAWA, Book.SPORTYBET, Book.BET9JA)
    if draw < ALL_BOOKS_SHARE + 0.06:
        pairs = ((Book.SPORTYBET, Book.BET9JA), (Book.BETPAWA, Book.SPORTYBET), (Book.BETPAWA, Book.BET9JA))
        return pairs[rng.randrange(3)]
    singles = (Book.SPORTYBET, Book.BET9JA, Book.BETPAWA)
    return (singles[rng.randrange(3)],)


def _announce_lead_days(rng: random.Random, days: int) -> float:
    """How many days before kick-off a match is announced: most as soon as fixtures exist."""
    return days * (1.0 if rng.random() < 0.6 else rng.uniform(0.15, 1.0))


def _kickoff_offset(rng: random.Random, sport: str, tournament: WorldTournament, day: date) -> timedelta:
    """Kick-off time of day in UTC: local afternoons/evenings (weekend afternoons for football)."""
    weekend = day.weekday() >= 5
    if sport == "tennis":
        local_hour = rng.uniform(10, 20)
    elif sport == "basketball":
        local_hour = rng.choice((17.0, 18.5, 19.0, 20.0, 20.5))
    elif weekend:
        local_hour = rng.choice((12.5, 13.0, 14.0, 15.0, 15.0, 16.0, 17.5, 18.0, 19.0, 20.0))
    else:
        local_hour = rng.choice((17.0, 18.0, 18.5, 19.0, 19.45, 20.0, 20.75))
    utc_hour = (local_hour - tournament.utc_offset) % 24
    minutes = math.floor(utc_hour * 4) * 15  # quarter hours, as fixtures are
    return timedelta(minutes=minutes)
