"""Files generated from the settings object by ``palimpsest settings docs|configmap``: the settings table of
docs/operations.md and the Helm ConfigMap (non-secret settings only; secrets come from Kubernetes Secrets)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic.fields import FieldInfo

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.books.settings import EDITION_FIELDS, env_var_name
from palimpsest_pipeline.settings import PalimpsestSettings, load_settings, variable

REPO_ROOT = Path(__file__).resolve().parents[2]
OPERATIONS_DOC = REPO_ROOT / "docs" / "operations.md"
CONFIGMAP_FILE = REPO_ROOT / "helm" / "palimpsest-settings.configmap.yaml"
TABLE_START = "<!-- settings-table:start (generated: palimpsest settings docs) -->"
TABLE_END = "<!-- settings-table:end -->"


def _extra(info: FieldInfo) -> dict[str, Any]:
    return info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}


def env_value(value: object) -> str:
    """A default as one would write it in the environment."""
    if isinstance(value, tuple | list):
        return ",".join(str(item) for item in value)
    if isinstance(value, float):
        return format(value, "g")
    return str(value)


def settings_table() -> str:
    """The markdown table of every setting: its variable, what it means, its default."""
    lines = ["| variable | meaning | default |", "|---|---|---|"]
    for field, info in PalimpsestSettings.model_fields.items():
        extra = _extra(info)
        if extra.get("pattern"):
            fields = ", ".join(f"`{f}`" for f in EDITION_FIELDS)
            name = "`PALIMPSEST_<BOOK>_<CC>_<FIELD>`"
            meaning = (
                f"{info.description}, the same rule for every country (`PALIMPSEST_BETPAWA_NG_URL`); FIELD "
                f"one of {fields} (`URL` for `base_url`); the country-less `PALIMPSEST_<BOOK>_<FIELD>` is "
                "refused, naming the `_NG_` one to set, and so are `PALIMPSEST_<BOOK>_COUNTRY` and `_OPERID`"
            )
        else:
            name, meaning = f"`{variable(field)}`", str(info.description)
        secret = " (secret: from a Secret, never printed)" if extra.get("secret") else ""
        shown = extra.get("shown_default") or f"`{env_value(info.get_default(call_default_factory=True))}`"
        lines.append(f"| {name} | {meaning}{secret} | {shown} |")
    return "\n".join(lines) + "\n"


def with_settings_table(document: str) -> str:
    """``document`` with the text between the table's markers replaced by ``settings_table()``."""
    start, end = document.index(TABLE_START), document.index(TABLE_END)
    return document[: start + len(TABLE_START)] + "\n\n" + settings_table() + "\n" + document[end:]


def configmap_data() -> dict[str, str]:
    """The non-secret, non-local settings with their defaults, and the real URL of each edition scraped in
    the default countries (``PALIMPSEST_COUNTRIES``' default), as ``PALIMPSEST_<BOOK>_<CC>_URL``."""
    data: dict[str, str] = {}
    for field, info in PalimpsestSettings.model_fields.items():
        extra = _extra(info)
        default = info.get_default(call_default_factory=True)
        if extra.get("secret") or extra.get("local") or extra.get("pattern") or default is None:
            continue
        data[variable(field)] = env_value(default)
    defaults = load_settings({})
    competitors = defaults.competitors()
    for country in defaults.site_countries():
        for book in competitors.scraped_books(country):
            data[env_var_name(book, "base_url", country)] = EDITIONS[(book, country)].base_url
    return data


def configmap_manifest() -> str:
    """The ConfigMap ``palimpsest-settings`` as YAML."""
    manifest = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "palimpsest-settings", "labels": {"app.kubernetes.io/part-of": "palimpsest"}},
        "data": configmap_data(),
    }
    header = (
        "# Generated from palimpsest_pipeline/settings.py by `palimpsest settings configmap`: do not edit.\n"
        "# Secrets (database URLs, the analyst password, alert URLs) come from Secrets, not from here.\n"
    )
    return header + yaml.safe_dump(manifest, sort_keys=False, default_flow_style=False, width=200)
