"""Palimpsest Pipeline: compare BetPawa's sportsbook catalogue and prices with its competitors'. Data flows
one way: ``books`` -> ``scrape`` -> ``warehouse`` -> ``transforms``, with thin Dagster ``defs`` on top."""
