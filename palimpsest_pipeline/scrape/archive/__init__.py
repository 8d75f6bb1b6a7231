"""The raw-response archive, scrape side: live runs archive what the books send (``hooks``); replays
re-derive catalogues and odds from it (``catalogue_replay``, ``odds_replay``) without asking the books.

Replays use the live run's own adapters, client and parsers, answered by ``requests.ArchiveTransport``, so
a parser fix reaches past dates. Nothing here opens a socket.
"""
