"""Traders' alerts: rules evaluated on fresh tables, one alert per condition, delivered by apprise."""
