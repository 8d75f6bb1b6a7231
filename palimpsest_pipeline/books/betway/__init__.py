"""Betway (eight of BetPawa's countries): catalogue, event-detail odds and live list."""
