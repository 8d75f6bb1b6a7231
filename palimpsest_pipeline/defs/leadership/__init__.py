"""Who moves a price first, and BetPawa's prices the market has left behind."""
