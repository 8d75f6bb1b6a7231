"""Markets that check themselves on one book alone: what a bet type implies about its own prices.

A market of one book's event (open prices only) is suspect for ``overround`` (complete, its implied sum
outside the band for its outcomes), ``ladder`` (its line breaks its bet type's monotony on fair
probabilities, or a multigoal range is less likely than one inside it), ``identity`` (the same bet as another
of the book's markets, priced apart: Asian -0.5 home and the home win, over 0.5 and "not 0:0") or ``units``
(outside the bounds the book's own 1X2, correct score or exact goals put on it, as a line read in the wrong
unit is). Lines of two bet types out of bounds mean the payload's lines are misread: every lined market of
the event is then suspect (``units``), bounded by a reference or not.

Rules, tolerances and why: docs/odds-comparison.md. Pure and cheap (per event in the parse worker); the
entry point is :func:`palimpsest_pipeline.markets.checks.event.check_markets`.
"""
