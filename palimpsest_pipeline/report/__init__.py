"""The traders' report: charts of coverage, prices and margins on one self-contained HTML page."""
