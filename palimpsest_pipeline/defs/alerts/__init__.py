"""Traders' alerts: the sensor that evaluates the rules and delivers (palimpsest_pipeline/alerts/)."""
