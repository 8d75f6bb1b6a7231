"""Bet9ja: its catalogue adapter (``catalogue``) and odds parser (``odds``)."""
