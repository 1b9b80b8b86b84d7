"""benchmarks.parsers on real stress-ng --yaml outputs (tests/data/stress-ng, see its README)."""

import math
from pathlib import Path

import pytest
import yaml

from benchmarks.parsers import ParseError, parse
from benchmarks.parsers.stress_ng import SUPPORTED_STRESSORS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "stress-ng"
CATALOGUE = ROOT / "fixtures" / "benchmarks" / "benchmarks.yaml"
GOOD_RUN = "cpu-vm-matrix-memcpy-2s.yaml"


def raw_text(name: str) -> str:
    return (DATA / name).read_text()


def results_of(run) -> dict[str, tuple[float, str]]:
    assert {result.job for result in run.results} == {""}
    assert {result.stddev for result in run.results} == {None}
    return {result.metric: (result.value, result.unit) for result in run.results}


def test_every_stressor_of_the_raw_file_is_reported():
    document = yaml.safe_load(raw_text(GOOD_RUN))

    run = parse("stress-ng-yaml", raw_text(GOOD_RUN))

    assert run.benchmark == "stress-ng"
    assert run.tool == "stress-ng"
    assert run.tool_version == document["system-info"]["stress-ng-version"] == "0.15.06"
    assert run.command_line == ""
    assert results_of(run) == {
        f"{entry['stressor']}-bogo-ops-per-s-real": (
            entry["bogo-ops-per-second-real-time"],
            "bogo ops/s",
        )
        for entry in document["metrics"]
    }
    assert len(run.results) == len(document["metrics"]) == 4


def test_pinned_values():
    results = results_of(parse("stress-ng-yaml", raw_text(GOOD_RUN)))

    assert results == {
        "cpu-bogo-ops-per-s-real": (584.865770, "bogo ops/s"),
        "vm-bogo-ops-per-s-real": (446.445858, "bogo ops/s"),
        "matrix-bogo-ops-per-s-real": (1074.456701, "bogo ops/s"),
        "memcpy-bogo-ops-per-s-real": (57.983680, "bogo ops/s"),
    }


@pytest.mark.parametrize(
    ("name", "message", "line", "field"),
    [
        ("broken-empty.yaml", "stress-ng output is empty", 1, None),
        (
            "broken-truncated.yaml",
            "stress-ng YAML does not end with '...' (cut short?): line 45 is the last",
            45,
            None,
        ),
        (
            "cpu-vm-2s-no-metrics.yaml",
            "stress-ng YAML has no 'metrics' list: run stress-ng with --metrics",
            None,
            "metrics",
        ),
        (
            "cpu-switch-2s-unsupported.yaml",
            "stress-ng stressor 'switch' is not a benchmark we define; "
            "supported: cpu, vm, matrix, memcpy",
            None,
            "metrics[1].stressor",
        ),
    ],
)
def test_bad_output_is_refused_with_what_and_where(name, message, line, field):
    with pytest.raises(ParseError) as caught:
        parse("stress-ng-yaml", raw_text(name))

    assert str(caught.value) == message
    assert caught.value.line == line
    assert caught.value.field == field


def test_foreign_text_is_refused_with_the_yaml_error_line():
    sysbench_output = (ROOT / "tests" / "data" / "sysbench" / "cpu-2s.txt").read_text()

    with pytest.raises(ParseError) as caught:
        parse("stress-ng-yaml", sysbench_output)

    assert str(caught.value) == (
        "stress-ng output is not valid YAML: "
        "mapping values are not allowed in this context (line 3)"
    )
    assert caught.value.line == 3


def test_yaml_that_is_not_from_stress_ng_is_refused():
    with pytest.raises(ParseError, match=r"^this is not stress-ng YAML: it has no 'system-info'"):
        parse("stress-ng-yaml", "---\njobs: []\n...\n")


def test_yaml_tags_are_never_constructed():
    # yaml.safe_load refuses Python object tags instead of running them.
    hostile = "--- !!python/object/apply:os.system ['touch /tmp/virtcompare-pwned']\n...\n"

    with pytest.raises(
        ParseError, match=r"^stress-ng output is not valid YAML: could not determine"
    ):
        parse("stress-ng-yaml", hostile)
    assert not Path("/tmp/virtcompare-pwned").exists()


def test_a_json_object_is_refused():
    with pytest.raises(ParseError, match=r"^stress-ng output must be text, not dict$"):
        parse("stress-ng-yaml", {"metrics": []})


@pytest.mark.parametrize(
    ("printed", "problem"),
    [
        ("-5.0", "is negative: -5.0"),
        (".inf", "is not a finite number: inf"),
        ("fast", "is not a number: 'fast'"),
    ],
)
def test_a_rate_that_is_not_a_finite_non_negative_number_is_refused(printed, problem):
    text = raw_text(GOOD_RUN).replace(
        "bogo-ops-per-second-real-time: 446.445858", f"bogo-ops-per-second-real-time: {printed}"
    )

    with pytest.raises(ParseError) as caught:
        parse("stress-ng-yaml", text)

    field = "metrics[1].bogo-ops-per-second-real-time"
    assert str(caught.value) == f"stress-ng output's {field!r} {problem}"
    assert caught.value.field == field


def test_a_stressor_listed_twice_is_refused():
    text = raw_text(GOOD_RUN).replace("- stressor: vm", "- stressor: cpu")

    with pytest.raises(ParseError, match=r"^stress-ng stressor 'cpu' is listed twice$") as caught:
        parse("stress-ng-yaml", text)
    assert caught.value.field == "metrics[1].stressor"


def test_every_metric_and_unit_emitted_is_in_the_catalogue():
    catalogue = yaml.safe_load(CATALOGUE.read_text())
    units = {(b["slug"], m["slug"]): m["unit"] for b in catalogue for m in b["metrics"]}
    tools = {b["slug"]: b["tool"] for b in catalogue}

    run = parse("stress-ng-yaml", raw_text(GOOD_RUN))

    assert tools[run.benchmark] == run.tool == "stress-ng"
    for result in run.results:
        assert units[(run.benchmark, result.metric)] == result.unit, result
        assert math.isfinite(result.value)
        assert result.value >= 0


def test_every_supported_stressor_has_its_metric_in_the_catalogue():
    catalogue = yaml.safe_load(CATALOGUE.read_text())
    (stress_ng,) = [b for b in catalogue if b["slug"] == "stress-ng"]

    assert {m["slug"] for m in stress_ng["metrics"]} == {
        f"{stressor}-bogo-ops-per-s-real" for stressor in SUPPORTED_STRESSORS
    }
