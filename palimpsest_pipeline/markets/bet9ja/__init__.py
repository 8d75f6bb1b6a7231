"""Bet9ja's mapping table, split by sport (see :mod:`palimpsest_pipeline.markets.mapping_bet9ja`)."""
