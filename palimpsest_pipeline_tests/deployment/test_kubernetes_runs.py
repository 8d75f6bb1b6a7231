"""The runs as Kubernetes sees them: the Job that K8sRunLauncher (dagster-k8s itself) would submit for a
capture worker run, a capture run and a catalogue run, built from the project's real Definitions (Nigeria
and Ghana) and the run launcher's config in helm/values.yaml (kubernetes_jobs.py), validated against the
Kubernetes API schema offline; and the per-country fan-out: one Job per country's run (its own job,
``capture_worker_ng``, ``capture_odds_ng``), labelled with it, each country's ops declaring only its own
pools."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
from dagster._grpc.types import ExecuteRunArgs
from dagster._serdes import deserialize_value

from palimpsest_pipeline.books.editions import EDITIONS
from palimpsest_pipeline.defs.automation import COUNTRY_LABEL, COUNTRY_TAG
from palimpsest_pipeline.deploy.pools import pool_limits
from palimpsest_pipeline.warehouse.config import (
    DAGSTER_DRIVER,
    with_database,
    with_driver,
)
from palimpsest_pipeline_tests.deployment.cluster_pods import admits, rendered
from palimpsest_pipeline_tests.deployment.kubernetes_jobs import (
    DAY,
    NAMESPACE,
    RELEASE,
    code_server_image,
    write_kubeconfig,
)
from palimpsest_pipeline_tests.deployment.kubernetes_schemas import (
    KUBERNETES_VERSIONS,
    SHARED_HELM,
    chart_values,
)
from palimpsest_pipeline_tests.fixtures_pg import TEST_DB_PREFIX, copy_database, drop_database
from palimpsest_pipeline_tests.nigeria import NIGERIA_BOOKS

pytestmark = pytest.mark.skipif(
    not (SHARED_HELM / "dagster_values.yaml").is_file(),
    reason=f"the chart's defaults are not at {SHARED_HELM} (../shared is absent)",
)


@pytest.fixture(scope="module")
def launched(
    pg_server_url: str, _dagster_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[dict[str, Any]]]:
    """The Jobs of Nigeria's and Ghana's capture workers and captures and of Nigeria's catalogue, from a
    code location of both."""
    name = f"{TEST_DB_PREFIX}{os.getpid()}_k8s_runs"
    copy_database(pg_server_url, name, _dagster_template)
    storage_url = with_driver(with_database(pg_server_url, name), DAGSTER_DRIVER)
    # What the code server's pod has from ConfigMap palimpsest-settings and Secret palimpsest-secrets: the
    # resources read them (by name) when a run is created.
    env = {
        **os.environ,
        "PALIMPSEST_COUNTRIES": "ng,gh",
        "PALIMPSEST_DAGSTER_STORAGE_URL": storage_url,
        "PALIMPSEST_DATABASE_URL": "postgresql+psycopg://palimpsest@postgres.example/palimpsest",
        **{
            f"PALIMPSEST_{book.value.upper()}_NG_URL": EDITIONS[(book, "ng")].base_url
            for book in NIGERIA_BOOKS
        },
    }
    kubeconfig = write_kubeconfig(tmp_path_factory.mktemp("kube") / "config")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "palimpsest_pipeline_tests.deployment.kubernetes_jobs", str(kubeconfig)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-4000:]
        yield json.loads(result.stdout.strip().splitlines()[-1])
    finally:
        drop_database(pg_server_url, name)


#: Each country's jobs by kind, as the automation names them (docs/deployment.md launches them by name).
JOB_NAMES = {
    "worker": "capture_worker_{}",
    "capture": "capture_odds_{}",
    "catalogue": "palimpsest_comparison_{}",
}


def one(launched: list[dict[str, Any]], kind: str, country: str) -> dict[str, Any]:
    (found,) = [item for item in launched if (item["kind"], item["country"]) == (kind, country)]
    assert found["job_name"] == JOB_NAMES[kind].format(country)
    return found


@pytest.mark.drill
@pytest.mark.parametrize("kind", ["worker", "capture", "catalogue"])
def test_the_job_of_a_run_is_valid_kubernetes_and_runs_that_run_on_the_one_image(
    launched: list[dict[str, Any]], kind: str
) -> None:
    item = one(launched, kind, "ng")
    job = item["job"]
    for version in KUBERNETES_VERSIONS:
        kubernetes_validate.validate(copy.deepcopy(job), version, strict=True)
    assert (job["apiVersion"], job["kind"], item["namespace"]) == ("batch/v1", "Job", NAMESPACE)
    pod = job["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    values = chart_values()
    assert container["image"] == code_server_image(values)
    # The pod runs this run: `dagster api execute_run` with its id and a reference to the instance.
    assert container["args"][:3] == ["dagster", "api", "execute_run"]
    assert deserialize_value(container["args"][3], ExecuteRunArgs).run_id == item["run_id"]
    # The instance travels as a reference naming its variables: no database URL or password in the Job.
    assert "PALIMPSEST_DAGSTER_STORAGE_URL" in container["args"][3]
    assert not re.search(r"postgres(ql)?(\+\w+)?://", json.dumps(job))
    launcher = values["runLauncher"]["config"]["k8sRunLauncher"]
    assert container["resources"] == launcher["resources"]
    env_from = [next(iter(source.values()))["name"] for source in container["envFrom"]]
    assert {"palimpsest-settings", "palimpsest-secrets"} <= set(env_from)
    assert job["spec"]["ttlSecondsAfterFinished"] == 86400
    assert job["metadata"]["labels"]["dagster/job"] == JOB_NAMES[kind].format("ng")


@pytest.mark.drill
def test_a_run_pod_runs_restricted_and_cannot_open_the_code_server(launched: list[dict[str, Any]]) -> None:
    # The pod as dagster-k8s builds it from the values, not as the values say it: the contexts and the
    # emptyDirs a run writes to (the root filesystem is read-only) land on the pod and its container.
    pod = one(launched, "capture", "ng")["job"]["spec"]["template"]
    spec = pod["spec"]
    (container,) = spec["containers"]
    assert container["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    assert spec["securityContext"] == {
        "runAsNonRoot": True,
        "runAsUser": 10001,
        "runAsGroup": 10001,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    empty_dirs = {volume["name"] for volume in spec["volumes"] if "emptyDir" in volume}
    written = {mount["mountPath"] for mount in container["volumeMounts"] if mount["name"] in empty_dirs}
    assert written == {"/tmp", "/var/lib/palimpsest"}  # PALIMPSEST_HOME, the Dockerfile's
    # Runs load the definitions from the image, never from the code server: its NetworkPolicy keeps them out.
    values = chart_values()
    (policy,) = [m for m in values["extraManifests"] if m["kind"] == "NetworkPolicy"]
    port = values["dagster-user-deployments"]["deployments"][0]["port"]
    assert not admits(rendered(policy, RELEASE), pod["metadata"]["labels"], port)
    assert container["args"][:3] == ["dagster", "api", "execute_run"]


@pytest.mark.drill
def test_a_job_that_breaks_the_kubernetes_schema_is_rejected_with_its_path(
    launched: list[dict[str, Any]],
) -> None:
    job = copy.deepcopy(one(launched, "capture", "ng")["job"])
    job["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"] = ["3Gi"]
    with pytest.raises(kubernetes_validate.ValidationError) as caught:
        kubernetes_validate.validate(job, KUBERNETES_VERSIONS[-1], strict=True)
    assert list(caught.value.absolute_path)[-3:] == ["resources", "limits", "memory"]


@pytest.mark.drill
def test_each_countrys_capture_is_a_job_of_its_own_labelled_with_its_country(
    launched: list[dict[str, Any]],
) -> None:
    captures = {country: one(launched, "capture", country) for country in ("ng", "gh")}
    for country, item in captures.items():
        assert item["tags"][COUNTRY_TAG] == country
        # the partitions are kick-off dates alone: the country is in the job (and its assets' keys)
        assert item["tags"]["dagster/asset_partition_range_start"] == DAY.isoformat()
        assert item["tags"]["dagster/asset_partition_range_end"] == DAY.isoformat()
        assert item["job"]["metadata"]["labels"][COUNTRY_LABEL] == country
        assert item["job"]["spec"]["template"]["metadata"]["labels"][COUNTRY_LABEL] == country
        assert item["job"]["metadata"]["labels"]["dagster/job"] == f"capture_odds_{country}"
        # the refresh's SR ids reach the country's own capture op (a config naming another op would not load)
        assert item["run_config"] == {
            "ops": {f"{country}__odds_snapshots": {"config": {"sr_ids": [68995116]}}}
        }
    assert captures["ng"]["job"]["metadata"]["name"] != captures["gh"]["job"]["metadata"]["name"]
    for country in ("ng", "gh"):  # the sensor's capture worker: the country's job, labelled with it
        worker = one(launched, "worker", country)
        assert worker["tags"][COUNTRY_TAG] == country and worker["run_config"] == {}
        assert worker["job"]["spec"]["template"]["metadata"]["labels"][COUNTRY_LABEL] == country
        assert worker["job"]["metadata"]["labels"]["dagster/job"] == f"capture_worker_{country}"


@pytest.mark.drill
def test_each_countrys_runs_declare_only_its_own_pools(launched: list[dict[str, Any]]) -> None:
    # Dagster's executor claims the pool an op declares as the op starts (instance granularity `op`): a
    # country's capture op holds its country's capture pool, its catalogue ops their own editions' pools,
    # and no op of one country's Job holds a pool of another's (Nigeria never waits on Ghana).
    for country in ("ng", "gh"):
        assert one(launched, "capture", country)["pools"] == {
            f"{country}__odds_snapshots": f"odds_capture_{country}"
        }
        assert one(launched, "worker", country)["pools"] == {
            f"{country}__capture_worker": f"capture_worker_{country}"
        }
    catalogue = one(launched, "catalogue", "ng")["pools"]
    assert catalogue == {f"ng__{book.value}_catalogue": f"book_{book.value}_ng" for book in NIGERIA_BOOKS}
    # every pool a Job's op declares has its one slot written by the deploy step (before_rollout)
    declared = {pool for item in launched for pool in item["pools"].values()}
    assert declared <= set(pool_limits({"PALIMPSEST_COUNTRIES": "ng,gh"}))


def test_each_countrys_pools_are_its_own_each_of_one_slot() -> None:
    # However many Jobs run, an edition sees one catalogue scrape and one capture at a time, and Nigeria's
    # pools are not Ghana's.
    limits = {country: pool_limits({"PALIMPSEST_COUNTRIES": country}) for country in ("ng", "gh")}
    assert not set(limits["ng"]) & set(limits["gh"])
    assert set(limits["ng"].values()) == set(limits["gh"].values()) == {1}
    assert pool_limits({"PALIMPSEST_COUNTRIES": "ng,gh"}) == {**limits["ng"], **limits["gh"]}
    assert {"odds_capture_ng", "capture_worker_ng", "book_bet9ja_ng"} <= set(limits["ng"])
    assert {"odds_capture_gh", "capture_worker_gh", "book_betpawa_gh"} <= set(limits["gh"])


def test_the_workdir_the_runs_origin_names_is_where_the_image_holds_the_code() -> None:
    dockerfile = (Path(__file__).resolve().parents[2] / "Dockerfile").read_text()
    assert "WORKDIR /opt/palimpsest" in dockerfile and "PYTHONPATH=/opt/palimpsest" in dockerfile
