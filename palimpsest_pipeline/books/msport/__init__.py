"""MSport (SportyBet's platform, five of BetPawa's countries): catalogue, event-detail odds and live list."""
