"""SportyBet's own markets mapped onto canonical ones."""
