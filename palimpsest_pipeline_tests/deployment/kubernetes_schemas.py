"""Offline validation against Dagster's Helm chart schema and the Kubernetes API schema.

The chart's schema (``../shared/helm``, copied unmodified from the chart) ``$ref``s Kubernetes definitions at
a remote URL; here that URL is served from the definitions bundled in the kubernetes-validate wheel, under
both ``$defs`` (their own key) and ``definitions`` (the key the chart refers to). Values are merged over the
chart's defaults as Helm merges them before they are validated.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ROOT = Path(__file__).resolve().parents[2]
SHARED_HELM = ROOT / ".." / "shared" / "helm"
VALUES = ROOT / "helm" / "values.yaml"
#: The remote document the chart's schemas refer to for every Kubernetes type.
REMOTE_DEFINITIONS = (
    "https://raw.githubusercontent.com/yannh/kubernetes-json-schema/master/v1.19.0/_definitions.json"
)
#: The Kubernetes versions checked: the oldest and the newest whose schemas kubernetes-validate bundles.
KUBERNETES_VERSIONS = ("1.25.0", "1.37.0")


def bundled_definitions(version: str) -> dict[str, Any]:
    """kubernetes-validate's non-strict definitions of ``version`` (the strict ones reject the chart's own
    defaults), keyed under ``$defs`` and ``definitions`` alike."""
    folder = files("kubernetes_validate").joinpath("kubernetes-json-schema", f"v{version}-local")
    contents = json.loads(folder.joinpath("_definitions.json").read_text())
    contents["definitions"] = contents["$defs"]
    contents.pop("$id", None)
    return contents


def chart_validator(schema: Mapping[str, Any], version: str) -> jsonschema.protocols.Validator:
    """A validator of ``schema`` resolving the remote Kubernetes definitions offline."""
    definitions = bundled_definitions(version)

    def retrieve(uri: str) -> Resource[Any]:
        if uri != REMOTE_DEFINITIONS:
            raise LookupError(f"no network here: {uri} is not a document this test serves")
        return Resource.from_contents(definitions, default_specification=DRAFT202012)

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    return cls(schema, registry=Registry(retrieve=retrieve))  # type: ignore[call-arg]


def helm_merge(defaults: Any, overrides: Any) -> Any:
    """``overrides`` over ``defaults`` as Helm merges a values file over a chart's: maps merge key by key,
    anything else (lists included) is replaced, and a null removes the default's key."""
    if not isinstance(defaults, dict) or not isinstance(overrides, dict):
        return copy.deepcopy(overrides)
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = helm_merge(merged.get(key), value)
    return merged


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def chart_values(values: Mapping[str, Any] | None = None) -> Any:
    """``values`` (default: helm/values.yaml) merged over the chart's defaults."""
    return helm_merge(load_yaml(SHARED_HELM / "dagster_values.yaml"), values or load_yaml(VALUES))


def _located(errors: Any) -> list[tuple[str, str]]:
    """(path, message) of each error, an ``anyOf`` failure located at its most relevant branch's deepest
    error (jsonschema's ``best_match``) rather than at the object holding it."""
    found = []
    for error in errors:
        chosen = jsonschema.exceptions.best_match([error])
        found.append(("/".join(str(part) for part in chosen.absolute_path), chosen.message))
    return sorted(found)


def values_errors(merged: Any, version: str = KUBERNETES_VERSIONS[-1]) -> list[tuple[str, str]]:
    """Every schema error of the merged values, as (path, message), path like ``runLauncher/config/...``."""
    schema = json.loads((SHARED_HELM / "dagster_values.schema.json").read_text())
    return _located(chart_validator(schema, version).iter_errors(merged))


def user_deployment_errors(deployment: Any, version: str = KUBERNETES_VERSIONS[-1]) -> list[tuple[str, str]]:
    """Schema errors of one code-location deployment against the ``dagster-user-deployments`` subchart's
    own definition of it."""
    schema = json.loads((SHARED_HELM / "dagster-user-deployments_values.schema.json").read_text())
    one = {"$defs": schema["$defs"], "$ref": "#/$defs/UserDeployment"}
    return _located(chart_validator(one, version).iter_errors(deployment))
