"""The raw-response archive, scrape side: live runs archive what the books send (``hooks``); replays
re-derive catalogues and odds from it with the live run's own adapters, client and parsers, so a parser fix
reaches past dates. Nothing here opens a socket.
"""
