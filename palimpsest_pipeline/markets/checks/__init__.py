"""Markets that check themselves on one book alone: what a bet type implies about its own prices (rules,
tolerances and why: docs/odds-comparison.md). The entry point is :func:`.event.check_markets`."""
