"""A Phoronix Test Suite result file (composite.xml) submitted through the API, like the other
tool outputs: stored with exactly its numbers under the portal's benchmark for that profile."""

import json

import pytest
import yaml
from helpers import DATA

from benchmarks.models import Run
from benchmarks.services import load_benchmarks

URL = "/api/v1/runs/"
ENV = {"cpu_model": "Intel Xeon E5-2620 v2", "sockets": 2, "cores": 12, "memory_gb": 32}
PUBLISHED = DATA / "phoronix" / "simdjson-centos9-e5-2620v2.composite.xml"
pytestmark = pytest.mark.usefixtures("benchmark_catalog")

# The portal defines which PTS profiles it takes; this test defines one for the file it posts.
SIMDJSON = {
    "slug": "pts-simdjson",
    "name": "PTS simdjson",
    "tool": "phoronix-test-suite",
    "area": "cpu",
    "workload": {"test": "pts/simdjson"},
    "metrics": [
        {"slug": slug, "name": slug, "unit": "GB/s", "better": "higher"}
        for slug in (
            "throughput-test-partialtweets",
            "throughput-test-largerandom",
            "throughput-test-kostya",
            "throughput-test-distinctuserid",
            "throughput-test-toptweet",
        )
    ],
}


def post(client, raw, **fields):
    payload = {"format": "phoronix-composite", "platform": "bare-metal", "environment": ENV}
    payload.update(raw=raw, **fields)
    return client.post(URL, json.dumps(payload), content_type="application/json")


def test_a_published_result_file_is_stored_with_its_numbers(token_client, client, tmp_path):
    definition = tmp_path / "pts.yaml"
    definition.write_text(yaml.safe_dump([SIMDJSON]))
    load_benchmarks(definition)
    response = post(token_client, PUBLISHED.read_text(encoding="utf-8"))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["benchmark"] == "pts-simdjson"
    values = {r["metric"]: r["value"] for r in body["results"]}
    assert values["throughput-test-partialtweets"] == 1.36
    assert values["throughput-test-largerandom"] == 0.46
    run = Run.objects.get(pk=body["id"])
    assert run.raw_format == "phoronix-composite"
    assert run.raw_payload == PUBLISHED.read_text(encoding="utf-8")
    assert run.tool_version == "10.8.4"
    assert run.variant == ""  # the profile the benchmark names: the recommended workload
    download = client.get(f"/runs/{run.pk}/raw?download=1")
    assert download.content.decode() == PUBLISHED.read_text(encoding="utf-8")
    assert download["Content-Disposition"].endswith(f'filename="run-{run.pk}.xml"')
    # The same file again is the same measurement.
    assert post(token_client, PUBLISHED.read_text(encoding="utf-8")).status_code == 200
    assert Run.objects.count() == 1


def test_a_profile_the_portal_does_not_define_is_a_400_naming_it(token_client):
    response = post(token_client, PUBLISHED.read_text(encoding="utf-8"))
    assert response.status_code == 400
    assert "Unknown benchmark 'pts-simdjson'" in json.dumps(response.json())
    assert not Run.objects.exists()


def test_each_system_of_a_merged_file_is_its_own_run(token_client, tmp_path):
    """A merged result file (here two systems, 'Run A' and 'Run B') is submitted once per
    system, naming it: each is its own measurement, for its own platform."""
    pyloop = {
        "slug": "pts-vc-pyloop",
        "name": "PTS local Python loop",
        "tool": "phoronix-test-suite",
        "metrics": [
            {
                "slug": "virtcompare-python-loop",
                "name": "Additions per second",
                "unit": "Additions Per Second",
                "better": "higher",
                "ceiling": 1.0e12,
            }
        ],
    }
    definition = tmp_path / "pts.yaml"
    definition.write_text(yaml.safe_dump([pyloop]))
    load_benchmarks(definition)
    raw = (DATA / "phoronix" / "pyloop-two-runs.composite.xml").read_text()
    unnamed = post(token_client, raw)
    assert unnamed.status_code == 400
    assert "holds 2 systems" in json.dumps(unnamed.json())
    first = post(token_client, raw, system="Run A")
    second = post(token_client, raw, system="Run B", platform="alpha", release="2.0")
    assert (first.status_code, second.status_code) == (201, 201), second.json()
    values = [r.json()["results"][0]["value"] for r in (first, second)]
    assert values == [2303333, 3383333]
    assert post(token_client, raw, system="Run C").status_code == 400
    # `system` belongs to result files that have systems.
    other = post(token_client, raw, system="Run A", format="sysbench")
    assert "Only for format 'phoronix-composite'" in json.dumps(other.json())
