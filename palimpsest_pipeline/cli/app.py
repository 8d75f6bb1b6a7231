"""The ``palimpsest`` command group every command module registers on."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from palimpsest_pipeline.settings import PalimpsestSettings, SettingsLoadError, load_settings

REPO_ROOT = Path(__file__).resolve().parents[2]


@click.group()
def main() -> None:
    """Compare BetPawa's catalogue and prices with its competitors' in each country it runs a site in."""
    # Dagster flags beta/preview parameters (backfill_policy, pools) on every import; we use them on purpose.
    warnings.filterwarnings("ignore", module=r"dagster\..*")
    warnings.filterwarnings("ignore", message=r".*is currently in (beta|preview).*")


def loaded_settings() -> PalimpsestSettings:
    """The settings from the environment, a bad value reported as the command's error (secrets masked)."""
    try:
        return load_settings()
    except SettingsLoadError as error:
        raise click.ClickException(str(error)) from None
