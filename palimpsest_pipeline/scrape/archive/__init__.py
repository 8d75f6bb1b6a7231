"""The raw-response archive, scrape side: live runs archive (``hooks``), replays re-derive (``*_replay``).

Why: a parser bug or a new market mapping must be fixable for past kick-off dates, and the books only serve
the present. Replaying the archived bodies (``warehouse/archive/``) through the SAME adapters, HTTP client and
parsers gives the tables the original runs would have produced with today's code.

Catalogues: each archived scrape (its manifest, :class:`ScrapeManifest`, and its list pages) is replayed in
time order by the adapter's own flow through an :class:`ArchiveTransport`, which answers each request with the
archived body of the same request and 404 for anything not archived. Odds: each archived event-detail attempt
is interpreted as on the wire, parsed, and stored at its original capture time, event by event
(``warehouse/odds_rebuild.py``). Nothing here opens a socket. docs/archive.md says more.
"""
