"""The pods helm/values.yaml makes Dagster's chart create, as the chart's templates build them (their security
contexts, mounts and labels), the restrictions every one of them must carry, and which pods a NetworkPolicy
lets in.

What the chart does with the values, from dagster-io/dagster's helm/dagster (the copy described in
../shared/helm/README.md, read on 2026-11-27): the webserver's and daemon's Deployments give their main
container and their init containers (``check-db-ready``, ``init-user-deployment-<name>``) the component's
``securityContext`` and the pod its ``podSecurityContext``; a code location's Deployment does the same with
its own; the instance-migrate Job (when enabled) takes the webserver's; K8sRunLauncher gives each run's pod
``runK8sConfig.podSpecConfig`` and its container ``securityContext``; ``extraManifests`` are rendered
through ``tpl``. Pod labels: ``app.kubernetes.io/instance: <release>`` on every Deployment's pods, with
``component: dagster-webserver``, ``component: dagster-daemon`` (and ``deployment: daemon``), and
``component: user-deployments`` with ``deployment: <location name>`` for a code server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from palimpsest_pipeline_tests.deployment.kubernetes_schemas import ROOT

#: The one template expression extraManifests may hold, and what ``tpl`` makes of it.
RELEASE_NAME = "{{ .Release.Name }}"


@dataclass(frozen=True)
class Container:
    name: str
    context: dict[str, Any]
    mounts: list[dict[str, Any]]
    #: The pipeline's image (the chart's init containers run other images and write nothing).
    ours: bool


@dataclass(frozen=True)
class Pod:
    name: str
    labels: dict[str, str]
    context: dict[str, Any]
    containers: list[Container]
    volumes: list[dict[str, Any]]


def image_user() -> int:
    """The uid the Dockerfile's final USER names."""
    users = re.findall(r"^USER\s+(\d+)", (ROOT / "Dockerfile").read_text(), flags=re.M)
    return int(users[-1])


def _chart_pod(
    name: str, labels: dict[str, str], component: dict[str, Any], container: str, init_containers: list[str]
) -> Pod:
    """A pod of the chart's: its main container (named after the chart) runs the image with the component's
    context and mounts, its init containers other images with the same context."""
    context = component.get("securityContext") or {}
    containers = [Container(container, context, component.get("volumeMounts") or [], ours=True)]
    containers += [Container(init, context, [], ours=False) for init in init_containers]
    return Pod(
        name, labels, component.get("podSecurityContext") or {}, containers, component.get("volumes") or []
    )


def pods(values: dict[str, Any], release: str) -> list[Pod]:
    """Every pod the chart creates from ``values`` (merged over the chart's defaults), as its templates
    build them; a component the values enable that this does not model is an error, never skipped."""
    instance = {"app.kubernetes.io/instance": release}
    code = values["dagster-user-deployments"]
    locations = code["deployments"] if code["enabled"] and code["enableSubchart"] else []
    waits = [f"init-user-deployment-{location['name']}" for location in locations]
    found = [
        _chart_pod(
            f"code server {location['name']}",
            {
                **instance,
                "component": "user-deployments",
                "deployment": location["name"],
                **(location.get("labels") or {}),
            },
            location,
            "dagster-user-deployments",
            [],
        )
        for location in locations
    ]
    webserver = values["dagsterWebserver"]
    checks_db = ["check-db-ready"] if webserver["checkDbReadyInitContainer"] else []
    found.append(
        _chart_pod(
            "webserver",
            {**instance, "component": "dagster-webserver", **(webserver.get("labels") or {})},
            webserver,
            "dagster",
            checks_db + waits,
        )
    )
    daemon = values["dagsterDaemon"]
    if daemon["enabled"]:
        checks_db = ["check-db-ready"] if daemon["checkDbReadyInitContainer"] else []
        found.append(
            _chart_pod(
                "daemon",
                {
                    **instance,
                    "component": "dagster-daemon",
                    "deployment": "daemon",
                    **(daemon.get("labels") or {}),
                },
                daemon,
                "dagster",
                checks_db + waits,
            )
        )
    if values["migrate"]["enabled"]:
        found.append(_chart_pod("instance migrate Job", {}, webserver, "dagster-instance-migrate", []))
    found.append(run_pod(values))
    for manifest in values.get("extraManifests") or []:
        template = manifest.get("spec", {}).get("template")
        if template is not None:
            spec = template["spec"]
            containers = [
                Container(c["name"], c.get("securityContext") or {}, c.get("volumeMounts") or [], ours=True)
                for c in spec.get("initContainers", []) + spec["containers"]
            ]
            found.append(
                Pod(
                    f"{manifest['kind']} {manifest['metadata']['name']}",
                    template.get("metadata", {}).get("labels", {}),
                    spec.get("securityContext") or {},
                    containers,
                    spec.get("volumes") or [],
                )
            )
    unmodelled = [
        part
        for part, enabled in (
            ("flower", values["flower"]["enabled"]),
            ("rabbitmq", values["rabbitmq"]["enabled"]),
            ("redis", values["redis"]["internal"]),
            ("postgresql", values["postgresql"]["enabled"]),
            ("celery workers", values["runLauncher"]["type"] == "CeleryK8sRunLauncher"),
        )
        if enabled
    ]
    if values["runLauncher"]["type"] != "K8sRunLauncher" or unmodelled:
        raise ValueError(f"pods of {unmodelled or values['runLauncher']['type']} are not modelled here")
    return found


def run_pod(values: dict[str, Any]) -> Pod:
    """A run's pod as K8sRunLauncher builds it from the values (its labels: the launcher's own ones only;
    dagster-k8s adds more, see test_kubernetes_runs.py)."""
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    run_k8s = launcher.get("runK8sConfig") or {}
    container_config = run_k8s.get("containerConfig") or {}
    pod_spec = run_k8s.get("podSpecConfig") or {}
    context = container_config.get("securityContext") or launcher.get("securityContext") or {}
    mounts = (launcher.get("volumeMounts") or []) + (container_config.get("volumeMounts") or [])
    volumes = (launcher.get("volumes") or []) + (pod_spec.get("volumes") or [])
    container = Container("run", context, mounts, ours=True)
    return Pod(
        "run", launcher.get("labels") or {}, pod_spec.get("securityContext") or {}, [container], volumes
    )


def restriction_gaps(pod: Pod, uid: int) -> list[str]:
    """What ``pod`` lacks of the restricted profile: non-root as the image's user, the runtime's seccomp
    profile, and for every container no privilege escalation, no capability, a read-only root filesystem;
    a container of the image also needs /tmp writable from an emptyDir. Empty when it has everything."""
    gaps = []
    wanted_pod = {"runAsNonRoot": True, "runAsUser": uid, "seccompProfile": {"type": "RuntimeDefault"}}
    gaps += [
        f"{pod.name}: pod securityContext {key} is not {want!r}"
        for key, want in wanted_pod.items()
        if pod.context.get(key) != want
    ]
    wanted_container = {
        **wanted_pod,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }
    empty_dirs = {volume["name"] for volume in pod.volumes if "emptyDir" in volume}
    for container in pod.containers:
        gaps += [
            f"{pod.name}: container {container.name} securityContext {key} is not {want!r}"
            for key, want in wanted_container.items()
            if container.context.get(key) != want
        ]
        tmp = [m for m in container.mounts if m["mountPath"] == "/tmp" and m["name"] in empty_dirs]
        if container.ours and not tmp:
            gaps.append(f"{pod.name}: container {container.name} has no emptyDir at /tmp")
    return gaps


def rendered(manifest: dict[str, Any], release: str) -> Any:
    """An extraManifests entry as the chart's ``tpl`` renders it for ``release``; a template expression other
    than the release's name is an error (this does not evaluate templates)."""
    text = yaml.safe_dump(manifest)
    others = set(re.findall(r"{{.*?}}", text)) - {RELEASE_NAME}
    if others:
        raise ValueError(f"{manifest['metadata']['name']}: template expressions not modelled: {others}")
    return yaml.safe_load(text.replace(RELEASE_NAME, release))


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Whether a Kubernetes label selector selects a pod with ``labels``."""
    if any(labels.get(key) != value for key, value in (selector.get("matchLabels") or {}).items()):
        return False
    tests = {
        "In": lambda key, values: labels.get(key) in values,
        "NotIn": lambda key, values: labels.get(key) not in values,
        "Exists": lambda key, _: key in labels,
        "DoesNotExist": lambda key, _: key not in labels,
    }
    return all(
        tests[expression["operator"]](expression["key"], expression.get("values") or [])
        for expression in selector.get("matchExpressions") or []
    )


def admits(policy: dict[str, Any], labels: dict[str, str], port: int) -> bool:
    """Whether an ingress NetworkPolicy lets a pod of its own namespace with ``labels`` open TCP ``port`` on
    the pods it selects. A peer naming namespaces or addresses counts as letting anyone in."""
    for rule in policy["spec"].get("ingress") or []:
        ports = rule.get("ports") or [{"port": port}]
        if not any(p.get("protocol", "TCP") == "TCP" and p.get("port") in (port, None) for p in ports):
            continue
        peers = rule.get("from")
        if not peers:
            return True
        for peer in peers:
            if "ipBlock" in peer or "namespaceSelector" in peer or selects(peer["podSelector"], labels):
                return True
    return False
