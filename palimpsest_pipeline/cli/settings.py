"""``palimpsest settings``: regenerate the files written from the settings object (docs table, ConfigMap)."""

from __future__ import annotations

import click

from palimpsest_pipeline.cli.app import main
from palimpsest_pipeline.deploy.settings_files import (
    CONFIGMAP_FILE,
    OPERATIONS_DOC,
    configmap_manifest,
    with_settings_table,
)


@main.group("settings")
def settings_group() -> None:
    """The PALIMPSEST_* settings, declared once in palimpsest_pipeline/settings.py."""


@settings_group.command("docs")
def settings_docs() -> None:
    """Rewrite the settings table of docs/operations.md from the settings object."""
    OPERATIONS_DOC.write_text(with_settings_table(OPERATIONS_DOC.read_text()))
    click.echo(f"wrote the settings table of {OPERATIONS_DOC}")


@settings_group.command("configmap")
def settings_configmap() -> None:
    """Rewrite the Helm ConfigMap palimpsest-settings (the non-secret settings) from the settings object."""
    CONFIGMAP_FILE.parent.mkdir(parents=True, exist_ok=True)
    CONFIGMAP_FILE.write_text(configmap_manifest())
    click.echo(f"wrote {CONFIGMAP_FILE}")
