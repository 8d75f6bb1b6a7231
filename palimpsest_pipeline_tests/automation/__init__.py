"""Tests of the automation: cadence decisions, the kick-off-window sensor, schedules, on-demand refresh."""
