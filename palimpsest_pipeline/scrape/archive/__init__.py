"""The raw-response archive, scrape side: live runs archive what the books send (``hooks``); replays
re-derive catalogues and odds from it (``catalogue_replay``, ``odds_replay``) without asking the books.

Replays run the archived bodies through the same adapters, HTTP client and parsers as a live run, answered
by ``requests.ArchiveTransport``, so a parser or mapping fix reaches past kick-off dates. Nothing here opens
a socket.
"""
