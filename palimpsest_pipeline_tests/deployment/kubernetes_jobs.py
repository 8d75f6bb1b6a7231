"""The Jobs K8sRunLauncher (dagster-k8s itself) submits for runs of the real code location, built in a
process of its own (the countries are read when the definitions load) and printed as JSON.

``python -m palimpsest_pipeline_tests.deployment.kubernetes_jobs KUBECONFIG``, with PALIMPSEST_COUNTRIES,
PALIMPSEST_DAGSTER_STORAGE_URL and the code server's settings in the environment: a capture run of
``DAY`` in each country's capture job and a catalogue run of the first's, each launched on a launcher
configured as the chart configures it from helm/values.yaml, each with the pools its job's ops declare.
Nothing reaches a cluster: the launcher's batch API records the Job it is asked to create, and the kubeconfig
names an address nothing listens on.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
import kubernetes
import yaml
from dagster._config import process_config
from dagster._core.definitions.reconstruct import ReconstructableRepository
from dagster._core.launcher import LaunchRunContext
from dagster_k8s import K8sRunLauncher

from palimpsest_pipeline.definitions import defs
from palimpsest_pipeline.defs.automation import capture_run_config, range_tags
from palimpsest_pipeline.defs.countries import capture_job_name, catalogue_job_name
from palimpsest_pipeline.defs.partitions import SITE_COUNTRIES
from palimpsest_pipeline_tests.deployment.conftest import shipped_file
from palimpsest_pipeline_tests.deployment.kubernetes_schemas import chart_values

RELEASE = "palimpsest"
NAMESPACE = "palimpsest"
DAY = date(2026, 11, 26)
WORKDIR = "/opt/palimpsest"


class RecordingBatchApi:
    """Stands in for kubernetes' BatchV1Api: keeps the Jobs it is asked to create."""

    def __init__(self) -> None:
        self.created: list[tuple[str, kubernetes.client.V1Job]] = []

    def create_namespaced_job(self, body: kubernetes.client.V1Job, namespace: str, **_: Any) -> None:
        self.created.append((namespace, body))


def launcher_config(values: dict[str, Any]) -> dict[str, Any]:
    """dagster.yaml's ``run_launcher.config`` as the chart renders it from ``runLauncher.config.
    k8sRunLauncher`` (helm/dagster/templates/helpers/instance/_run-launcher.tpl), for release ``RELEASE``."""
    k8s = values["runLauncher"]["config"]["k8sRunLauncher"]
    run_k8s = k8s.get("runK8sConfig") or {}
    return {
        "job_namespace": k8s.get("jobNamespace") or NAMESPACE,
        "image_pull_policy": k8s["imagePullPolicy"],
        "service_account_name": f"{RELEASE}-dagster",
        "dagster_home": values["global"]["dagsterHome"],
        "instance_config_map": f"{RELEASE}-dagster-instance",
        "postgres_password_secret": values["global"]["postgresqlSecretName"],
        "env_config_maps": [f"{RELEASE}-dagster-pipeline-env", *(c["name"] for c in k8s["envConfigMaps"])],
        "env_secrets": [s["name"] for s in k8s["envSecrets"]],
        "env_vars": k8s["envVars"],
        "volume_mounts": k8s["volumeMounts"],
        "volumes": k8s["volumes"],
        "labels": k8s.get("labels") or {},
        "resources": k8s.get("resources") or {},
        "security_context": k8s.get("securityContext") or {},
        "fail_pod_on_run_failure": k8s.get("failPodOnRunFailure"),
        "run_k8s_config": {
            "container_config": run_k8s.get("containerConfig") or {},
            "pod_spec_config": run_k8s.get("podSpecConfig") or {},
            "pod_template_spec_metadata": run_k8s.get("podTemplateSpecMetadata") or {},
            "job_spec_config": run_k8s.get("jobSpecConfig") or {},
            "job_metadata": run_k8s.get("jobMetadata") or {},
        },
    }


def code_server_image(values: dict[str, Any]) -> str:
    code = values["dagster-user-deployments"]["deployments"][0]["image"]
    return f"{code['repository']}:{code['tag']}"


def run_requests() -> list[tuple[str, str, str, dict[str, str], dict[str, Any] | None]]:
    """(kind, job, country, tags, run config): each country's imminent capture of ``DAY`` in its capture job,
    as its kick-off sensor asks for it, and the first country's catalogue, as its schedule does."""
    requests: list[tuple[str, str, str, dict[str, str], dict[str, Any] | None]] = [
        (
            "capture",
            capture_job_name(country),
            country,
            {**range_tags(DAY, DAY, country), "palimpsest/tier": "imminent"},
            capture_run_config([68995116], [country]),
        )
        for country in SITE_COUNTRIES
    ]
    first = SITE_COUNTRIES[0]
    tags = range_tags(DAY, DAY + timedelta(days=14), first)
    requests.append(("catalogue", catalogue_job_name(first), first, tags, None))
    return requests


def declared_pools(job: dg.JobDefinition) -> dict[str, str]:
    """The pool each op of ``job`` declares (the executor claims its slot as the op starts), by op name."""
    ops = [node.definition for node in job.nodes if isinstance(node.definition, dg.OpDefinition)]
    return {op.name: op.pool for op in ops if op.pool is not None}


def launched_jobs(kubeconfig: str) -> list[dict[str, Any]]:
    values = chart_values()
    config = launcher_config(values)
    checked = process_config(K8sRunLauncher.config_type(), config)  # Dagster's own check of the config
    if not checked.success:
        raise SystemExit(f"the chart's run launcher config is not K8sRunLauncher's: {checked.errors}")
    batch = RecordingBatchApi()
    launcher = K8sRunLauncher(
        **config, load_incluster_config=False, kubeconfig_file=kubeconfig, k8s_client_batch_api=batch
    )
    repository = ReconstructableRepository.for_module(
        "palimpsest_pipeline.definitions",
        "defs",
        working_directory=WORKDIR,
        container_image=code_server_image(values),
    )
    out = []
    with tempfile.TemporaryDirectory() as home:
        shutil.copyfile(shipped_file("dagster.yaml"), Path(home) / "dagster.yaml")
        with dg.DagsterInstance.from_config(home) as instance:
            launcher.register_instance(instance)
            for kind, job_name, country, tags, run_config in run_requests():
                origin = repository.get_reconstructable_job(job_name).get_python_origin()
                job_def = defs.resolve_job_def(job_name)
                run = instance.create_run_for_job(
                    job_def=job_def,
                    run_config=run_config,
                    tags=tags,
                    job_code_origin=origin,
                )
                launcher.launch_run(LaunchRunContext(dagster_run=run, workspace=None))
                namespace, body = batch.created[-1]
                job = kubernetes.client.ApiClient().sanitize_for_serialization(body)
                out.append(
                    {
                        "kind": kind,
                        "job_name": job_name,
                        "country": country,
                        "namespace": namespace,
                        "run_id": run.run_id,
                        "tags": dict(run.tags),
                        "run_config": run.run_config,
                        "pools": declared_pools(job_def),
                        "job": job,
                    }
                )
    return out


def write_kubeconfig(path: Path) -> Path:
    """A kubeconfig whose cluster is an address nothing listens on (the launcher never calls it here)."""
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "none", "cluster": {"server": "https://127.0.0.1:9"}}],
        "users": [{"name": "none", "user": {"token": "unused"}}],
        "contexts": [{"name": "none", "context": {"cluster": "none", "user": "none"}}],
        "current-context": "none",
    }
    path.write_text(yaml.safe_dump(config))
    return path


if __name__ == "__main__":
    print(json.dumps(launched_jobs(sys.argv[1])))
