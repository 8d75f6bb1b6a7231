"""The docs' settings table and the Helm ConfigMap are what the settings object generates: a setting added,
renamed or given another default without regenerating them fails here."""

from __future__ import annotations

import re

import yaml

from palimpsest_pipeline.deploy.settings_files import (
    CONFIGMAP_FILE,
    OPERATIONS_DOC,
    configmap_manifest,
    settings_table,
    with_settings_table,
)
from palimpsest_pipeline.settings import PalimpsestSettings, load_settings

#: Set in a deployment from Secrets, never from the ConfigMap (database URLs, passwords, receivers' tokens).
SECRETS = {
    "PALIMPSEST_DATABASE_URL",
    "PALIMPSEST_DAGSTER_STORAGE_URL",
    "PALIMPSEST_ANALYST_PASSWORD",
    "PALIMPSEST_ALERT_URLS",
}


def test_the_operations_table_is_the_generated_one() -> None:
    document = OPERATIONS_DOC.read_text()
    assert with_settings_table(document) == document, "run `palimpsest settings docs`"


def test_the_table_names_every_setting_once() -> None:
    names = re.findall(r"^\| `(PALIMPSEST_[A-Z0-9_]+)`", settings_table(), flags=re.MULTILINE)
    declared = [f"PALIMPSEST_{f.upper()}" for f in PalimpsestSettings.model_fields if f != "book_variables"]
    assert names == declared and len(set(names)) == len(names)
    assert "PALIMPSEST_DAGSTER_DATABASE_URL" not in OPERATIONS_DOC.read_text().split("-->")[1]


def test_the_configmap_is_the_generated_one() -> None:
    assert CONFIGMAP_FILE.read_text() == configmap_manifest(), "run `palimpsest settings configmap`"


def test_the_configmap_holds_no_secret_and_loads_as_the_defaults() -> None:
    manifest = yaml.safe_load(CONFIGMAP_FILE.read_text())
    assert (manifest["apiVersion"], manifest["kind"]) == ("v1", "ConfigMap")
    assert manifest["metadata"]["name"] == "palimpsest-settings"
    data = manifest["data"]
    assert all(isinstance(value, str) for value in data.values())  # a ConfigMap holds strings only
    assert not SECRETS & set(data)
    assert "PALIMPSEST_FIXED_NOW" not in data  # tests and replays only
    # what a pod loading these variables runs with: the defaults, the real books' URLs
    loaded, defaults = load_settings(data), load_settings({})
    assert loaded.model_dump(exclude={"book_variables"}) == defaults.model_dump(exclude={"book_variables"})
    assert data["PALIMPSEST_BETPAWA_NG_URL"] == "https://www.betpawa.ng/api/sportsbook/v4/"
    assert data["PALIMPSEST_AUTOMATION"] == "running"
