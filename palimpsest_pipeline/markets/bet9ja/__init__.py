"""Bet9ja's mapping table, split by sport (assembled in :mod:`palimpsest_pipeline.markets.bet9ja.table`)."""
