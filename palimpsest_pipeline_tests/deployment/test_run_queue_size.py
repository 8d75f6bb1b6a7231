"""The run queue is sized for the countries run: three runs per site country (its capture worker and live
watch most of the day, a catalogue run) and three shared; `palimpsest dev` raises the shipped instance's
limit to it, and the cluster's values are checked against the countries its settings ConfigMap runs."""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

from palimpsest_pipeline.deploy.run_queue import runs_needed, sized_instance_yaml
from palimpsest_pipeline_tests.deployment.kubernetes_schemas import ROOT, VALUES, load_yaml

SHIPPED = files("palimpsest_pipeline.deploy").joinpath("dagster.yaml").read_text()


def limit(text: str) -> int:
    return int(yaml.safe_load(text)["concurrency"]["runs"]["max_concurrent_runs"])


def test_one_country_keeps_the_shipped_six_and_the_file_unchanged() -> None:
    assert runs_needed(1) == 6
    assert sized_instance_yaml(SHIPPED, 1) == SHIPPED


def test_two_and_twenty_two_countries_raise_the_limit_and_keep_everything_else() -> None:
    for countries, expected in ((2, 9), (22, 69)):
        sized = sized_instance_yaml(SHIPPED, countries)
        assert limit(sized) == expected
        before, after = yaml.safe_load(SHIPPED), yaml.safe_load(sized)
        after["concurrency"]["runs"]["max_concurrent_runs"] = limit(SHIPPED)
        assert after == before  # only that one value moved
        assert sized.count("\n#") == SHIPPED.count("\n#")  # its comments kept


def test_a_file_without_its_one_limit_line_is_refused() -> None:
    with pytest.raises(ValueError, match="found 0"):
        sized_instance_yaml("concurrency:\n  runs: {}\n", 2)
    with pytest.raises(ValueError, match="at least one site country"):
        runs_needed(0)


def test_the_cluster_values_have_a_run_slot_for_every_long_run_of_the_countries_they_run() -> None:
    configmap = load_yaml(ROOT / "helm" / "palimpsest-settings.configmap.yaml")
    countries = [c for c in configmap["data"]["PALIMPSEST_COUNTRIES"].split(",") if c.strip()]
    slots = load_yaml(VALUES)["concurrency"]["runs"]["maxConcurrentRuns"]
    assert slots >= runs_needed(len(countries)), (
        f"helm/values.yaml maxConcurrentRuns {slots} < {runs_needed(len(countries))} for {countries}"
    )
