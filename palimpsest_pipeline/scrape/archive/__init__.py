"""The raw-response archive, scrape side: live runs archive (``hooks``), replays re-derive (``*_replay``).

Re-derive catalogues and odds from the raw-response archive, without asking the books.

Why: a parser bug or a new market mapping must be fixable for past kick-off dates, and the books only serve
the present. The archive (``warehouse/raw_archive.py``) keeps every body they sent; replaying those bodies
through the SAME adapters, HTTP client and parsers gives the tables the original runs would have produced
with today's code.

How:
- Catalogues: the live asset archives, with each book scrape, a small *manifest* (the scrape's "now",
  horizon, sports and base URL; :class:`ScrapeManifest`) plus every list/catalogue body. A replay builds a
  ``BookClient`` whose transport (:class:`ArchiveTransport`) answers each request with the archived body of
  the same request (volatile query parameters such as SportyBet's ``_t`` ignored; attempts served in their
  original order, so retries replay too) and 404 for anything not archived, then runs the adapter's own
  catalogue flow. Every archived scrape whose window reaches the dates is replayed in time order and stored
  as the live asset stores it (same window, same capture instant), so soft deletes, revivals and
  first/last-seen come out as they did.
- Odds: each archived event-detail attempt (labelled with its SR id and kick-off date when it was captured)
  is interpreted by a ``BookClient`` exactly as on the wire (HTTP status, envelope, not-found rules), parsed
  by the capture engine's parsers, and stored per original batch with its original capture time (the send
  instant). Event by event, in one transaction each, the rows at the archived capture times are replaced
  (warehouse/odds_rebuild.py): change-only history is order-sensitive and this reproduces it row for row,
  while history older than the archive's retention is kept and a crash leaves no event half rebuilt.

Nothing here opens a socket: :class:`ArchiveTransport` and :class:`_OneShotTransport` answer every request.
"""
