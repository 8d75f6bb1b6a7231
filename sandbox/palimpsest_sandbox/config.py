"""Configuration of the bookmaker sandbox: the world it simulates and how badly each book behaves.

Pydantic models because the same shapes travel as JSON through the control API (``PUT /_sandbox/config``)
and must reject nonsense (a probability of 1.7, faults that add up to more than certainty) with a message
naming the field, instead of serving a silently different sandbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.books.sports import SPORTS
from palimpsest_pipeline.records import DEFAULT_SITE_COUNTRY, Book
from palimpsest_sandbox.kit import kits

SPORT_KEYS = tuple(sport.key for sport in SPORTS)
Probability = float  # documented alias: every fault rate below is a probability per request in [0, 1]


class LatencyConfig(BaseModel):
    """Per-request delay, lognormal like real network + backend latency.

    ``median_ms`` is the distribution's median (``exp(mu)``); ``sigma`` its log-space spread. The default
    (150 ms) is realistic for a benchmark; tests use :func:`fast_behaviour` (0 ms) so they stay quick.
    """

    model_config = ConfigDict(extra="forbid")

    median_ms: float = Field(default=150.0, ge=0.0, le=60_000.0)
    sigma: float = Field(default=0.5, ge=0.0, le=3.0)
    max_ms: float = Field(default=5_000.0, ge=0.0, le=120_000.0)


class FaultConfig(BaseModel):
    """Probabilities of each misbehaviour real books show, drawn independently per request.

    At most one fault fires per request; the rates are exclusive slices of one draw, so they must sum to
    at most 1. ``fail_status`` overrides everything: every request answers that HTTP status (with
    ``Retry-After`` for 403/429/503), which is how a test makes a whole book go down and come back.
    """

    model_config = ConfigDict(extra="forbid")

    throttle_429: Probability = Field(default=0.0, ge=0.0, le=1.0)
    throttle_403: Probability = Field(default=0.0, ge=0.0, le=1.0)
    retry_after_s: int = Field(default=1, ge=0, le=3_600)
    server_error: Probability = Field(default=0.0, ge=0.0, le=1.0)
    hang: Probability = Field(default=0.0, ge=0.0, le=1.0)
    hang_s: float = Field(default=30.0, ge=0.0, le=600.0)
    dropped_connection: Probability = Field(default=0.0, ge=0.0, le=1.0)
    truncated_json: Probability = Field(default=0.0, ge=0.0, le=1.0)
    html_block_page: Probability = Field(default=0.0, ge=0.0, le=1.0)
    error_envelope: Probability = Field(default=0.0, ge=0.0, le=1.0)
    empty_body: Probability = Field(default=0.0, ge=0.0, le=1.0)
    #: A good answer with one hostile value in it (sandbox/hostile.py); ``hostile_kind`` fixes which.
    hostile_values: Probability = Field(default=0.0, ge=0.0, le=1.0)
    hostile_kind: str | None = None
    #: Well-formed answers that are not true (sandbox/answer_faults.py): list answers emptied, shrunk to
    #: half, with one row broken or one event moved a day; event details oversized or sent as a bomb (gzip,
    #: zstd, or gzip twice: ``content-encoding: gzip, gzip``).
    empty_answer: Probability = Field(default=0.0, ge=0.0, le=1.0)
    shrunken_catalogue: Probability = Field(default=0.0, ge=0.0, le=1.0)
    bad_list_row: Probability = Field(default=0.0, ge=0.0, le=1.0)
    moved_event: Probability = Field(default=0.0, ge=0.0, le=1.0)
    oversized_body: Probability = Field(default=0.0, ge=0.0, le=1.0)
    gzip_bomb: Probability = Field(default=0.0, ge=0.0, le=1.0)
    #: A list's wrapper without its name: a SportyBet tournament without ``name``, a Bet9ja ``GetSports``
    #: group without ``G_DESC`` (sandbox/answer_faults.py).
    bad_wrapper: Probability = Field(default=0.0, ge=0.0, le=1.0)
    #: Sports (keys: football, basketball, tennis) whose upcoming lists answer the book's well-formed empty
    #: shape on every request, while its catalogue still announces their events (a sport gone quiet).
    quiet_sports: list[str] = Field(default_factory=list)
    zstd_bomb: Probability = Field(default=0.0, ge=0.0, le=1.0)
    stacked_encoding_bomb: Probability = Field(default=0.0, ge=0.0, le=1.0)
    #: A list answer announcing more than any real list holds (sandbox/answer_faults.py): SportyBet's
    #: ``totalNum``, BetPawa's first competition's ``UPCOMING``, Bet9ja's first group's ``NUM`` and Betika's
    #: ``meta.total`` say ``announced_count``; MSport's cursor never ends; Betway's first region lists
    #: thousands of leagues.
    implausible_count: Probability = Field(default=0.0, ge=0.0, le=1.0)
    announced_count: int = Field(default=10_000_000, ge=-(10**18), le=10**18)
    fail_status: int | None = Field(default=None, ge=100, le=599)

    @field_validator("quiet_sports")
    @classmethod
    def _known_sports(cls, sports: list[str]) -> list[str]:
        unknown = sorted(set(sports) - set(SPORT_KEYS))
        if unknown:
            raise ValueError(f"quiet_sports: unknown sports {unknown} (known: {list(SPORT_KEYS)})")
        return sports

    @model_validator(mode="after")
    def _rates_fit_in_one_draw(self) -> FaultConfig:
        total = sum(rate for _, rate in self.rates())
        if total > 1.0 + 1e-9:
            raise ValueError(
                f"fault probabilities sum to {total:.3f}; they are exclusive and must sum to <= 1"
            )
        return self

    def rates(self) -> list[tuple[str, float]]:
        """(fault name, probability) in a fixed order: the order slices the single uniform draw."""
        return [
            ("throttle_429", self.throttle_429),
            ("throttle_403", self.throttle_403),
            ("server_error", self.server_error),
            ("hang", self.hang),
            ("dropped_connection", self.dropped_connection),
            ("truncated_json", self.truncated_json),
            ("html_block_page", self.html_block_page),
            ("error_envelope", self.error_envelope),
            ("empty_body", self.empty_body),
            ("hostile_values", self.hostile_values),
            ("empty_answer", self.empty_answer),
            ("shrunken_catalogue", self.shrunken_catalogue),
            ("bad_list_row", self.bad_list_row),
            ("moved_event", self.moved_event),
            ("oversized_body", self.oversized_body),
            ("gzip_bomb", self.gzip_bomb),
            ("zstd_bomb", self.zstd_bomb),
            ("stacked_encoding_bomb", self.stacked_encoding_bomb),
            ("bad_wrapper", self.bad_wrapper),
            ("implausible_count", self.implausible_count),
        ]


class PayloadDrift(BaseModel):
    """The book serves its event details in a shape the parsers do not expect from ``since`` (the sandbox's
    clock; None: at once) on: sandbox/payload_drift.py says what each shape changes."""

    model_config = ConfigDict(extra="forbid")

    shape: Literal["bare_quarter_lines"] = "bare_quarter_lines"
    since: datetime | None = None

    @field_validator("since")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("since must be timezone-aware (UTC)")
        return value


class BookBehaviour(BaseModel):
    """Everything about how one book answers, besides what it lists."""

    model_config = ConfigDict(extra="forbid")

    latency: LatencyConfig = Field(default_factory=LatencyConfig)
    faults: FaultConfig = Field(default_factory=FaultConfig)
    payload_drift: PayloadDrift | None = None


class EditionConfig(BaseModel):
    """How one country edition of a book differs from the shared world: the share of the world's matches it
    lists (its own country's are always listed), minutes it lists them later than the book's feed, and
    latency and faults of its own (None: the book's, shared by its editions)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    coverage: Probability = Field(default=1.0, ge=0.0, le=1.0)
    listing_lag_min: int = Field(default=0, ge=0, le=7 * 1_440)
    behaviour: BookBehaviour | None = None


#: Nigeria's editions list the whole world, as the sandbox always served it; the other countries' a share.
DEFAULT_EDITION = EditionConfig()
DEFAULT_FOREIGN_EDITION = EditionConfig(coverage=0.9)


def default_edition(country: str) -> EditionConfig:
    return DEFAULT_EDITION if country == DEFAULT_SITE_COUNTRY else DEFAULT_FOREIGN_EDITION


def edition_key(name: str) -> tuple[Book, str]:
    """ "<book>.<cc>" -> (book, cc), if the pipeline knows that edition; else ValueError."""
    book, _, country = name.partition(".")
    key = (Book(book), country)
    if key not in EDITIONS:
        raise ValueError(f"no edition {name!r}: name one as <book>.<cc> of books/editions.toml")
    return key


def fast_behaviour() -> BookBehaviour:
    """No latency, no faults: what tests want unless they are testing latency or faults."""
    return BookBehaviour(latency=LatencyConfig(median_ms=0.0, sigma=0.0), faults=FaultConfig())


def _default_books() -> dict[Book, BookBehaviour]:
    return {book: BookBehaviour() for book in kits()}


class SandboxConfig(BaseModel):
    """The whole sandbox: a deterministic world (``seed``, ``size``, ``days``) and the books' behaviour.

    ``size`` is about how many events each book lists at any instant (the real books list ~1,000 football
    events). ``frozen_at`` freezes the simulated clock at that instant (tests); ``None`` runs it with real
    UTC time (demo, benchmarks). Prices move a market at a time at the rates in ``sandbox/markets/moves.py``
    (faster as kick-off nears); ``reprice_scale`` multiplies those rates (1 = real). ``depth_scale``
    multiplies every event's market depth (1 = real, as the captures; 0 = main markets on balanced lines
    only), for a test that needs many events and not their depth.
    """

    model_config = ConfigDict(extra="forbid")

    seed: int = 1
    size: int = Field(default=1_000, ge=10, le=20_000)
    days: int = Field(default=14, ge=1, le=60)
    books: dict[Book, BookBehaviour] = Field(default_factory=_default_books)
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65_535)
    frozen_at: datetime | None = None
    reprice_scale: float = Field(default=1.0, gt=0.0, le=10_000.0)
    depth_scale: float = Field(default=1.0, ge=0.0, le=1.0)
    #: budget of the rendered-body cache, compressed (rendering.py): 1 GB holds >10,000 events x 3 books
    cache_mb: int = Field(default=1_024, ge=0, le=16_384)
    #: Country editions configured apart from their defaults (``default_edition``), by "<book>.<cc>".
    editions: dict[str, EditionConfig] = Field(default_factory=dict)

    @field_validator("editions")
    @classmethod
    def _known_editions(cls, editions: dict[str, EditionConfig]) -> dict[str, EditionConfig]:
        for name in editions:
            edition_key(name)
        return editions

    @field_validator("books")
    @classmethod
    def _every_book_configured(cls, books: dict[Book, BookBehaviour]) -> dict[Book, BookBehaviour]:
        return {book: books.get(book, BookBehaviour()) for book in kits()}

    @field_validator("frozen_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("frozen_at must be timezone-aware (UTC)")
        return value
