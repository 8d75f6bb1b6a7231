"""What identifies an archived request (for the hooks that label it and the replays that find it again),
and the transport that answers requests from the archive."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import httpx

from palimpsest_pipeline.books.kits import KITS
from palimpsest_pipeline.books.settings import BookSettings
from palimpsest_pipeline.books.wire import Wire
from palimpsest_pipeline.records import Book
from palimpsest_pipeline.warehouse.archive.records import ArchivedBody, ArchiveKind, RawResponse

#: Query parameters that change between two identical requests: never part of a request's identity.
#: ``v_cache_version`` is Bet9ja's client version (configurable); the book's answer does not depend on it.
ALWAYS_VOLATILE_PARAMS = frozenset({"v_cache_version"})

MANIFEST_URL = "palimpsest:catalogue-scrape"


class ReplayError(ValueError):
    """The archive holds something a replay cannot use; the message names the book, batch and row."""


def volatile_params(wire: Wire) -> frozenset[str]:
    """The parameters ignored when matching a request with an archived one (the wire's cache-buster, its
    ``timestamp_param``)."""
    extra = {wire.timestamp_param} if wire.timestamp_param else set()
    return ALWAYS_VOLATILE_PARAMS | extra


def request_key(url: str, base_url: str, volatile: Collection[str] = ()) -> str:
    """A request's identity: its path relative to ``base_url`` (a replay may run against another host) and
    its sorted query without ``volatile``."""
    parsed = httpx.URL(url)
    base_path = httpx.URL(base_url).path
    path = parsed.path
    relative = path[len(base_path) :] if path.startswith(base_path) else path
    query = sorted(
        (k, v) for k, v in parse_qsl(parsed.query.decode(), keep_blank_values=True) if k not in volatile
    )
    return f"{relative}?{urlencode(query)}" if query else relative


@dataclass(frozen=True)
class ScrapeManifest:
    """What a replay needs to repeat one book's catalogue scrape: archived as a ``catalogue`` row whose URL
    carries the fields (no body decompressed to read them)."""

    book: Book
    now: datetime
    horizon: timedelta
    sports: tuple[str, ...]
    base_url: str

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ReplayError(f"{self.book.value} manifest: now must be timezone-aware, got {self.now}")
        if self.horizon <= timedelta(0):
            raise ReplayError(f"{self.book.value} manifest: horizon must be positive, got {self.horizon}")
        if not self.sports:
            raise ReplayError(f"{self.book.value} manifest: no sports")

    def as_dict(self) -> dict[str, str]:
        return {
            "now": self.now.astimezone(UTC).isoformat(),
            "horizon_s": str(int(self.horizon.total_seconds())),
            "sports": ",".join(self.sports),
            "base_url": self.base_url,
        }

    @property
    def url(self) -> str:
        return f"{MANIFEST_URL}?{urlencode(self.as_dict(), quote_via=quote)}"

    def response(self, captured_at: datetime) -> RawResponse:
        """The archive row recording this manifest."""
        return RawResponse(
            book=self.book,
            kind="catalogue",
            url=self.url,
            status=200,
            body=json.dumps(self.as_dict(), sort_keys=True).encode(),
            captured_at=captured_at,
        )

    @classmethod
    def from_url(cls, book: Book, url: str) -> ScrapeManifest:
        prefix = MANIFEST_URL + "?"
        if not url.startswith(prefix):
            raise ReplayError(f"{book.value}: {url!r} is not a catalogue scrape manifest")
        values = dict(parse_qsl(url[len(prefix) :], keep_blank_values=True))
        try:
            return cls(
                book=book,
                now=datetime.fromisoformat(values["now"]),
                horizon=timedelta(seconds=int(values["horizon_s"])),
                sports=tuple(s for s in values["sports"].split(",") if s),
                base_url=values["base_url"],
            )
        except (KeyError, ValueError) as error:
            raise ReplayError(f"{book.value} manifest {url!r} is unreadable: {error!r}") from None

    def window_dates(self) -> tuple[date, date]:
        """First and last kick-off date this scrape spoke for."""
        return self.now.date(), (self.now + self.horizon).date()


def catalogue_kind(book: Book, url: str, base_url: str) -> ArchiveKind:
    """``catalogue`` for a request reading the book's tournament catalogue, else ``list``."""
    relative = request_key(url, base_url)
    return "catalogue" if relative.startswith(KITS[book].adapter().catalogue_paths) else "list"


#: The status of an answer the archive does not hold (Failed Dependency): never retried, and not a 404, which
#: the client reads as the book saying the object does not exist (a withdrawal confirmed by its detail).
NOT_ARCHIVED_STATUS = 424


class ArchiveTransport(httpx.AsyncBaseTransport):
    """Answers each request with the archived responses of the same request in order, the last again for
    further attempts; one never archived gets ``NOT_ARCHIVED_STATUS`` (a replay invents no "not found")."""

    def __init__(
        self,
        answers: Mapping[str, Sequence[tuple[int, bytes]]],
        *,
        base_url: str,
        volatile: Collection[str] = (),
    ) -> None:
        self._queues = {key: deque(items) for key, items in answers.items() if items}
        self._base_url = base_url
        self._volatile = frozenset(volatile)
        self.served = 0
        self.missing: list[str] = []

    @classmethod
    def from_bodies(
        cls,
        bodies: Iterable[ArchivedBody],
        *,
        archived_base_url: str,
        base_url: str,
        volatile: Collection[str] = (),
    ) -> ArchiveTransport:
        """From archived bodies (in capture order) whose URLs are relative to ``archived_base_url``."""
        answers: dict[str, list[tuple[int, bytes]]] = {}
        for body in bodies:
            key = request_key(body.url, archived_base_url, volatile)
            answers.setdefault(key, []).append((body.status, body.body))
        return cls(answers, base_url=base_url, volatile=volatile)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = request_key(str(request.url), self._base_url, self._volatile)
        queue = self._queues.get(key)
        if not queue:
            self.missing.append(key)
            content = json.dumps({"error": "not in the archive", "request": key}).encode()
            return httpx.Response(NOT_ARCHIVED_STATUS, stream=httpx.ByteStream(content), request=request)
        status, body = queue.popleft() if len(queue) > 1 else queue[0]
        self.served += 1
        return httpx.Response(status, stream=httpx.ByteStream(body), request=request)


def replay_settings(settings: BookSettings) -> BookSettings:
    """The book's settings for a replay: no politeness pauses and no back-off (nothing goes on the wire)."""
    return settings.model_copy(
        update={"pause_s": 0.0, "backoff_base_s": 0.0, "backoff_cap_s": 0.0, "retry_after_cap_s": 0.0}
    )
