"""The renderer serves the very bytes recorded in render_digests.json (written by render_digests.py from the
renderer before its caches), so making it cheaper changes nothing a scraper sees."""

from __future__ import annotations

import json

from palimpsest_pipeline_tests.sandbox.render_digests import DIGESTS, digests


def test_rendered_bodies_match_the_recorded_digests() -> None:
    recorded = json.loads(DIGESTS.read_text())
    rendered = digests()
    assert rendered.keys() == recorded.keys()
    changed = sorted(key for key, digest in rendered.items() if recorded[key] != digest)
    assert not changed, f"{len(changed)} of {len(recorded)} bodies differ, first: {changed[:5]}"


def test_a_second_pass_over_warm_caches_serves_the_same_bytes() -> None:
    """Caches shared between renders must never hand out an object a render then changes."""
    digests()  # warms every cache
    assert digests() == json.loads(DIGESTS.read_text())
