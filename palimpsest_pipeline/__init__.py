"""Palimpsest Pipeline: compare BetPawa's sportsbook catalogue and prices with its competitors'.

Layers, data flowing one way: ``books`` (adapters) -> ``scrape`` (async engine) -> ``warehouse`` (Postgres)
-> ``transforms`` (pure Polars) -> ``warehouse``; ``defs`` holds the thin Dagster definitions on top.
"""
