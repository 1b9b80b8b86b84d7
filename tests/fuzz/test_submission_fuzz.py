"""Fuzzing the submission API with Hypothesis: generated documents and mutated real tool
outputs, posted through the API. Whatever comes in: never a 5xx, always the documented
error shape on a 4xx, and a refused request leaves no row behind.

Seeded (reproducible in CI); `FUZZ_EXAMPLES=2000 make test` runs a longer campaign.
"""

import json
import os

import pytest
from helpers import DATA
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from benchmarks.models import Environment, Result, Run

URL = "/api/v1/runs/"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OK = {200, 201}
REFUSED = {400, 409, 411, 413}
pytestmark = pytest.mark.usefixtures("benchmark_catalog")

REAL_OUTPUTS = {
    "fio-json": (DATA / "fio" / "randread-4k-qd32.json").read_text(),
    "iperf3-json": (DATA / "iperf3" / "tcp-2s.json").read_text(),
    "sysbench": (DATA / "sysbench" / "cpu-2s.txt").read_text(),
    "stress-ng-yaml": (DATA / "stress-ng" / "cpu-vm-matrix-memcpy-2s.yaml").read_text(),
}

# Text an attacker reaches for: NUL, lone surrogates, long runs, digits, brackets.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["\x00", "\ud800", "\udfff", "²", "١", "-0", "1e999", "NaN", "[", "{"]),
    st.builds(
        lambda c, n: c * n, st.sampled_from([" ", "9", "[", "a", "\\"]), st.integers(0, 3000)
    ),
)
nasty_number = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False),
    st.sampled_from([0, -1, 2**31, 2**63, 10**400, 1e300, True, False]),
)
json_value = st.recursive(
    st.none() | st.booleans() | nasty_number | nasty_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=12,
)


def maybe(strategy, valid):
    """Mostly the valid value, sometimes something hostile in its place."""
    return st.one_of(st.just(valid), st.just(valid), strategy)


environment = st.fixed_dictionaries(
    {"cpu_model": maybe(nasty_text, "Fuzz CPU")},
    optional={
        "cores": maybe(nasty_number, 8),
        "sockets": nasty_number,
        "memory_gb": nasty_number,
        "name": nasty_text,
        "nic_speed_gbps": nasty_number,
        "bogus": json_value,
    },
)
vm = st.fixed_dictionaries(
    {}, optional={"vcpus": nasty_number, "guest_os": nasty_text, "disk_type": nasty_text}
)
result_row = st.fixed_dictionaries(
    {
        "metric": maybe(nasty_text, "events-per-second"),
        "value": maybe(nasty_number, 3051.39),
        "unit": maybe(nasty_text, "events/s"),
    },
    optional={"job": nasty_text, "stddev": json_value, "percentiles": json_value},
)
envelope = {
    "platform": maybe(nasty_text, "alpha"),
    "release": maybe(json_value, "2.0"),
    "environment": maybe(json_value, {"cpu_model": "Fuzz CPU"}) | environment,
}
envelope_optional = {
    "vm": vm | json_value,
    "notes": nasty_text | json_value,
    "tool_version": json_value,
    "approximate": json_value,
    "source": json_value,
}
normalized_document = st.fixed_dictionaries(
    {
        "format": maybe(json_value, "normalized"),
        "benchmark": maybe(json_value, "sysbench-cpu"),
        "results": st.lists(result_row, max_size=4) | json_value,
        **envelope,
    },
    optional=envelope_optional,
)


@st.composite
def mutated_output(draw, fmt):
    """A real output of the tool with a slice replaced, cut, or a hostile run inserted."""
    text = REAL_OUTPUTS[fmt]
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, min(len(text), start + 200)))
    kind = draw(st.sampled_from(["replace", "cut", "insert"]))
    if kind == "cut":
        return text[:start]
    patch = draw(nasty_text | st.builds(str, nasty_number))
    return text[:start] + patch + (text[end:] if kind == "replace" else text[start:])


def tool_document(fmt):
    return st.fixed_dictionaries(
        {"format": st.just(fmt), "raw": mutated_output(fmt), **envelope},
        optional=envelope_optional,
    )


def row_counts():
    return Run.objects.count(), Result.objects.count(), Environment.objects.count()


def check(client, body: str) -> None:
    before = row_counts()
    response = client.post(URL, body, content_type="application/json")
    status = response.status_code
    assert status in OK | REFUSED, (status, response.content[:300], body[:300])
    if status in REFUSED:
        answer = response.json()
        assert set(answer) == {"detail", "errors"}, answer
        assert isinstance(answer["detail"], str)
        assert answer["detail"]
        assert row_counts() == before, "a refused request left rows behind"


def encoded(document) -> str:
    return json.dumps(document)  # NaN/Infinity and lone surrogates go out as sent


@pytest.fixture
def fuzz_client(token_client, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"submissions": "1000000/hour"})
    return token_client


@seed(20261202)
@FUZZ
@given(document=normalized_document)
def test_normalized_documents_never_break_the_api(fuzz_client, document):
    check(fuzz_client, encoded(document))


@pytest.mark.parametrize("fmt", list(REAL_OUTPUTS))
def test_mutated_tool_outputs_never_break_the_api(fuzz_client, fmt):
    @seed(20261202)
    @FUZZ
    @given(document=tool_document(fmt))
    def run(document):
        check(fuzz_client, encoded(document))

    run()


@seed(20261202)
@FUZZ
@given(body=st.text(max_size=300) | st.builds(encoded, json_value))
def test_any_body_never_breaks_the_api(fuzz_client, body):
    check(fuzz_client, body)
