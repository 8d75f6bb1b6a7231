"""SportyBet: its catalogue adapter (``catalogue``) and odds parser (``odds``)."""
