"""What Kubernetes sees of a run: the site country it covers, as a label on the Job and the pod that
K8sRunLauncher starts for it (``kubectl get jobs -l palimpsest/site-country=gh``).

dagster-k8s reads a run's own Kubernetes settings from its ``dagster-k8s/config`` tag; a run launched any
other way ignores the tag. No Dagster import: the tag is plain JSON.
"""

from __future__ import annotations

import json

#: The run tag dagster-k8s reads a run's Kubernetes settings from (its USER_DEFINED_K8S_CONFIG_KEY).
K8S_CONFIG_TAG = "dagster-k8s/config"
#: The label naming a run's site country on its Job and pod.
COUNTRY_LABEL = "palimpsest/site-country"


def country_k8s_tags(country: str) -> dict[str, str]:
    """The tag that labels the Job and pod of a run of site ``country`` with it."""
    labels = {COUNTRY_LABEL: country}
    config = {"job_metadata": {"labels": labels}, "pod_template_spec_metadata": {"labels": labels}}
    return {K8S_CONFIG_TAG: json.dumps(config, sort_keys=True)}
