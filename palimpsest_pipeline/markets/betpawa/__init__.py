"""BetPawa's mapping table, split by sport (see :mod:`palimpsest_pipeline.markets.mapping_betpawa`)."""
