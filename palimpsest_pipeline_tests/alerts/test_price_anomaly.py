"""A family's implied sum off its band reaches the traders through keys_drift as a price anomaly: the
alert names the market, calls it a price anomaly and shows the check's detail (family, sum, band, prices)."""

from __future__ import annotations

from datetime import UTC, datetime

from palimpsest_pipeline.alerts.keys_drift import finding
from palimpsest_pipeline.markets.checks.event import check_markets
from palimpsest_pipeline.records import Book, OddsRow

HOUR = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def test_a_one_line_double_chance_and_total_reads_as_a_price_anomaly() -> None:
    prices = {1724: 1.25, 1725: 1.64, 1726: 1.64, 1727: 1.24, 1728: 1.08, 1729: 2.38}  # sums to 4.172
    rows = [OddsRow(69340218, Book.BETPAWA, 547, "total=2.5", o, p, "open", HOUR) for o, p in prices.items()]
    (suspect,) = check_markets(rows).suspects
    hour = {
        "book": "betpawa",
        "site_country": "ng",
        "hour": HOUR,
        "captures": 3,
        "open_outcomes": 1200,
        "baseline_open_outcomes": 9000,
        "new_fields": [],
        "keyed_share": 0.95,
        "baseline_keyed_share": 0.95,
        "set_aside_share": 0.01,
        "baseline_set_aside_share": 0.01,
        "suspect_share": 0.08,
        "baseline_suspect_share": 0.0,
    }
    evidence = {
        "suspects": [{"market": 547, "reason": suspect.reason, "lines": 1, "matches": 1}],
        "example": [
            {
                "sr_id": 69340218,
                "market": 547,
                "specifier": "total=2.5",
                "reason": suspect.reason,
                "detail": suspect.detail,
                "home": "Home FC",
                "away": "Away FC",
            }
        ],
    }
    alert = finding(hour, ("suspect",), 5.0, evidence)
    assert (
        "suspect: Double chance & total (market 547), price anomaly (implied sum off its family's) on 1 "
        "line(s) of 1 match(es)" in alert.body
    )
    example = next(line for line in alert.body.splitlines() if line.startswith("Example: "))
    assert example.startswith(
        "Example: Home FC v Away FC (SportRadar 69340218), Double chance & total (market 547) total=2.5: "
        "price anomaly (implied sum off its family's): implied sum 4.172 over 6 outcomes where the layout of "
        "Double chance & total implies 2 (band 1.96-2.60)"
    )
