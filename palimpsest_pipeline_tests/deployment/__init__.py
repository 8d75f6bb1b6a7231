"""Deployment shape: the Dagster instance file, code server + daemon, run-failure sensor, scrape metrics."""
