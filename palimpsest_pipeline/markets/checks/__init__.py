"""Markets that check themselves on one book alone: what a bet type implies about its own prices.

A market is suspect for ``overround``, ``ladder``, ``identity`` or ``units`` (rules, tolerances and why:
docs/odds-comparison.md). Pure and cheap; the entry point is :func:`.event.check_markets`.
"""
