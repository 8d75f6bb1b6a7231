"""helm/values.yaml, merged over Dagster's chart defaults as Helm merges it, validates offline against the
chart's schema (and the user-deployments subchart's), and the same check rejects a wrong type, an unknown
key and a missing required key, each with its path. The values say what the deployment relies on: every pod
they create runs restricted, and only the webserver and the daemon reach the code server."""

from __future__ import annotations

import copy
from typing import Any

import kubernetes_validate
import pytest
import yaml

from palimpsest_pipeline.deploy.pools import pool_limits
from palimpsest_pipeline_tests.deployment.cluster_pods import (
    admits,
    image_user,
    pods,
    rendered,
    restriction_gaps,
    selects,
)
from palimpsest_pipeline_tests.deployment.kubernetes_jobs import RELEASE
from palimpsest_pipeline_tests.deployment.kubernetes_schemas import (
    KUBERNETES_VERSIONS,
    ROOT,
    SHARED_HELM,
    VALUES,
    chart_values,
    load_yaml,
    user_deployment_errors,
    values_errors,
)

pytestmark = pytest.mark.skipif(
    not (SHARED_HELM / "dagster_values.schema.json").is_file(),
    reason=f"the chart's schema is not at {SHARED_HELM} (../shared is absent)",
)

SETTINGS_CONFIGMAP = "palimpsest-settings"
SECRETS = "palimpsest-secrets"


def ours() -> Any:
    return load_yaml(VALUES)


def deployment(values: Any) -> Any:
    (only,) = values["dagster-user-deployments"]["deployments"]
    return only


def extra(values: Any, kind: str) -> Any:
    (only,) = [manifest for manifest in values["extraManifests"] if manifest["kind"] == kind]
    return only


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_the_values_validate_against_the_chart_and_subchart_schemas(version: str) -> None:
    merged = chart_values()
    assert values_errors(merged, version) == []
    assert user_deployment_errors(deployment(merged), version) == []


def test_the_chart_defaults_alone_validate() -> None:
    # The check itself is sound: the chart's own defaults pass it.
    assert values_errors(chart_values({})) == []


def test_a_port_given_as_a_string_is_rejected_with_its_path() -> None:
    values = ours()
    deployment(values)["port"] = "4266"
    assert (
        "dagster-user-deployments/deployments/0/port",
        "'4266' is not of type 'integer'",
    ) in values_errors(chart_values(values))


def test_an_unknown_key_is_rejected_with_its_path() -> None:
    values = ours()
    values["runLauncher"]["config"]["k8sRunLauncher"]["jobImagePullPolicy"] = "Always"
    errors = values_errors(chart_values(values))
    assert [path for path, message in errors if "jobImagePullPolicy" in message] == [
        "runLauncher/config/k8sRunLauncher"
    ]


def test_a_missing_required_key_is_rejected_with_its_path() -> None:
    values = ours()
    del deployment(values)["port"]  # a list replaces the defaults' whole: nothing puts it back
    errors = values_errors(chart_values(values))
    assert ("dagster-user-deployments/deployments/0", "'port' is a required property") in errors


def test_a_kubernetes_type_error_inside_a_remote_definition_is_caught() -> None:
    values = ours()
    values["runLauncher"]["config"]["k8sRunLauncher"]["resources"] = [{"memory": "2Gi"}]
    paths = [path for path, _ in values_errors(chart_values(values))]
    assert "runLauncher/config/k8sRunLauncher/resources" in paths


def test_the_code_server_runs_the_definitions_module_on_the_one_image() -> None:
    values = chart_values()
    code = deployment(values)
    assert code["codeServerArgs"][:2] == ["-m", "palimpsest_pipeline.definitions"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f'"-p", "{code["port"]}"' in dockerfile and "EXPOSE 4266" in dockerfile
    images = {
        (block["repository"], str(block["tag"]))
        for block in (code["image"], values["dagsterWebserver"]["image"], values["dagsterDaemon"]["image"])
    }
    assert len(images) == 1, f"one image for the code server, webserver and daemon, found {images}"
    # Runs use the code server's image (no job_image of their own): the same image by construction.
    assert "image" not in values["runLauncher"]["config"]["k8sRunLauncher"]


def test_settings_and_secrets_reach_the_code_server_and_every_run_by_name_never_by_value() -> None:
    values = chart_values()
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    code = deployment(values)
    for holder in (code, launcher):
        assert {"name": SETTINGS_CONFIGMAP} in holder["envConfigMaps"]
        assert {"name": SECRETS} in holder["envSecrets"]
    text = VALUES.read_text()
    assert "postgresql://" not in text and "postgresql+psycopg2://" not in text.replace(
        "(Dagster's instance database, postgresql+psycopg2://)", ""
    )
    assert values["postgresql"]["enabled"] is False and values["generatePostgresqlPasswordSecret"] is False
    assert values["postgresql"]["postgresqlScheme"] == "postgresql+psycopg2"  # DAGSTER.md: never psycopg 3
    generated = ROOT / "helm" / "palimpsest-settings.configmap.yaml"
    if generated.exists():  # written from the settings object (issue 35 item 4)
        assert yaml.safe_load(generated.read_text())["metadata"]["name"] == SETTINGS_CONFIGMAP


def test_the_instance_mirrors_the_shipped_dagster_yaml() -> None:
    shipped = yaml.safe_load((ROOT / "palimpsest_pipeline" / "deploy" / "dagster.yaml").read_text())
    values = chart_values()
    runs, pools = values["concurrency"]["runs"], values["concurrency"]["pools"]
    assert values["concurrency"]["enabled"] is True
    assert runs["maxConcurrentRuns"] == shipped["concurrency"]["runs"]["max_concurrent_runs"]
    assert runs["tagConcurrencyLimits"] == shipped["concurrency"]["runs"]["tag_concurrency_limits"]
    assert pools["defaultLimit"] == shipped["concurrency"]["pools"]["default_limit"]
    assert pools["granularity"] == shipped["concurrency"]["pools"]["granularity"]
    coordinator = values["dagsterDaemon"]["runCoordinator"]["config"]["customRunCoordinator"]
    assert coordinator["class"] == "QueuedRunCoordinator"
    assert coordinator["config"] == shipped["run_queue"]
    monitoring, shipped_monitoring = values["dagsterDaemon"]["runMonitoring"], shipped["run_monitoring"]
    for key in (
        "start_timeout_seconds",
        "cancel_timeout_seconds",
        "max_runtime_seconds",
        "poll_interval_seconds",
        "free_slots_after_run_end_seconds",
    ):
        camel = key.split("_")[0] + "".join(part.title() for part in key.split("_")[1:])
        assert monitoring[camel] == shipped_monitoring[key], key
    # The one difference: a run pod that died is resumed in a new pod (dagster.yaml's comment says so).
    assert monitoring["maxResumeRunAttempts"] == 2 and shipped_monitoring["max_resume_run_attempts"] == 0
    retries = values["dagsterDaemon"]["runRetries"]
    assert (retries["maxRetries"], retries["retryOnAssetOrOpFailure"]) == (
        shipped["run_retries"]["max_retries"],
        shipped["run_retries"]["retry_on_asset_or_op_failure"],
    )
    sensor_ticks = shipped["retention"]["sensor"]["purge_after_days"]
    assert {
        kind: values["retention"]["sensor"]["purgeAfterDays"][kind] for kind in sensor_ticks
    } == sensor_ticks
    assert (
        values["retention"]["schedule"]["purgeAfterDays"]
        == shipped["retention"]["schedule"]["purge_after_days"]
    )


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_the_hook_job_is_a_valid_job_that_runs_before_the_rollout(version: str) -> None:
    hook = extra(chart_values(), "Job")
    kubernetes_validate.validate(copy.deepcopy(hook), version, strict=True)
    annotations = hook["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    (container,) = hook["spec"]["template"]["spec"]["containers"]
    assert container["command"][-2:] == ["-m", "palimpsest_pipeline.deploy.before_rollout"]
    sources = [next(iter(source.values()))["name"] for source in container["envFrom"]]
    assert sorted(sources) == sorted([SETTINGS_CONFIGMAP, SECRETS])
    # It sets the limits of every pool the code location's ops claim (for the countries the ConfigMap names).
    assert pool_limits({"PALIMPSEST_COUNTRIES": "ng,gh"})


def test_every_pod_the_values_create_runs_as_the_images_user_without_privileges() -> None:
    found = pods(chart_values(), RELEASE)
    assert {pod.name for pod in found} == {
        "code server palimpsest-pipeline",
        "webserver",
        "daemon",
        "run",
        "Job palimpsest-deploy-step",
    }
    assert image_user() == 10001
    assert [gap for pod in found for gap in restriction_gaps(pod, 10001)] == []


@pytest.mark.parametrize(
    ("component", "key", "gap"),
    [
        ("dagsterWebserver", "securityContext", "webserver: container dagster securityContext"),
        ("dagsterDaemon", "podSecurityContext", "daemon: pod securityContext runAsNonRoot is not True"),
        ("dagsterDaemon", "volumeMounts", "daemon: container dagster has no emptyDir at /tmp"),
    ],
)
def test_a_pod_left_without_a_context_or_its_tmp_is_named(component: str, key: str, gap: str) -> None:
    values = ours()
    values[component][key] = {} if key.endswith("Context") else []
    gaps = [found for pod in pods(chart_values(values), RELEASE) for found in restriction_gaps(pod, 10001)]
    assert any(found.startswith(gap) for found in gaps), gaps
    # The webserver's init containers run under its container context too: they lose it with it.
    if component == "dagsterWebserver":
        assert any(found.startswith("webserver: container check-db-ready") for found in gaps)


def test_a_hook_container_running_as_root_is_named() -> None:
    values = ours()
    (container,) = extra(values, "Job")["spec"]["template"]["spec"]["containers"]
    container["securityContext"] = {**container["securityContext"], "runAsUser": 0}
    gaps = [gap for pod in pods(chart_values(values), RELEASE) for gap in restriction_gaps(pod, 10001)]
    assert gaps == [
        "Job palimpsest-deploy-step: container deploy-step securityContext runAsUser is not 10001"
    ]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_only_the_webserver_and_the_daemon_reach_the_code_servers_port(version: str) -> None:
    values = chart_values()
    policy = rendered(extra(values, "NetworkPolicy"), RELEASE)
    kubernetes_validate.validate(copy.deepcopy(policy), version, strict=True)
    by_name = {pod.name: pod.labels for pod in pods(values, RELEASE)}
    code, port = by_name["code server palimpsest-pipeline"], deployment(values)["port"]
    # It guards the code server's pods and no other, and only their ingress.
    assert [name for name, labels in by_name.items() if selects(policy["spec"]["podSelector"], labels)] == [
        "code server palimpsest-pipeline"
    ]
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    admitted = {name for name, labels in by_name.items() if admits(policy, labels, port)}
    assert admitted == {"webserver", "daemon"}
    # On no other port, and for pods of another release of the chart not even there.
    assert not any(admits(policy, labels, port + 1) for labels in by_name.values())
    other_release = {**by_name["webserver"], "app.kubernetes.io/instance": "another"}
    assert not admits(policy, other_release, port)
    assert code["deployment"] == "palimpsest-pipeline"


@pytest.mark.parametrize(
    "peer",
    [{"podSelector": {}}, {"namespaceSelector": {}}, {"ipBlock": {"cidr": "10.0.0.0/8"}}],
)
def test_a_policy_that_lets_more_in_is_caught(peer: dict[str, Any]) -> None:
    policy = rendered(extra(chart_values(), "NetworkPolicy"), RELEASE)
    policy["spec"]["ingress"][0]["from"].append(peer)
    run = {pod.name: pod.labels for pod in pods(chart_values(), RELEASE)}["run"]
    assert admits(policy, run, deployment(chart_values())["port"])
