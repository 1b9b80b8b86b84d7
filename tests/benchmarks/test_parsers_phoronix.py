"""The OpenBenchmarking / Phoronix Test Suite composite.xml reader, on a real result file."""

import statistics

import pytest
from helpers import DATA

from benchmarks.parsers.base import ParseError
from benchmarks.parsers.phoronix import (
    parse_composite,
    parse_phoronix_composite,
    parsed_runs,
    slug_of,
)

SAMPLE = DATA / "phoronix" / "pyloop-two-runs.composite.xml"


@pytest.fixture
def composite():
    return parse_composite(SAMPLE.read_text(encoding="utf-8"))


def test_reads_systems_and_results(composite):
    assert composite.client == "Phoronix Test Suite v10.8.6"
    assert [s.identifier for s in composite.systems] == ["Run A", "Run B"]
    system = composite.systems[0]
    assert system.hardware.startswith("Processor: AMD EPYC (2 Cores)")
    assert "OS: Debian 12" in system.software
    assert system.timestamp == "2026-12-02 02:04:32"
    assert system.client_version == "10.8.6"
    (result,) = composite.results
    assert (result.test, result.test_version) == ("local/vc-pyloop", "")
    assert result.title == "VirtCompare Python Loop"
    assert result.scale == "Additions Per Second"
    assert result.better == "higher"


def test_each_entry_keeps_the_average_and_every_trial(composite):
    (result,) = composite.results
    run_a, run_b = result.entries
    assert (run_a.system, run_b.system) == ("Run A", "Run B")
    assert run_a.value == 2303333
    assert run_b.value == 3383333
    assert len(run_a.samples) == len(run_b.samples) == 3
    # PTS's average is the mean of the trials it lists (rounded as it prints it).
    assert sum(run_a.samples) / 3 == pytest.approx(run_a.value, abs=1)


def test_parsed_runs_map_results_through_the_callers_choice(composite):
    runs = parsed_runs(
        composite,
        "Run B",
        benchmark_for=lambda r: "pyloop" if r.test == "local/vc-pyloop" else None,
        metric_for=lambda r: ("additions-per-second", "additions/s"),
    )
    (run,) = runs
    assert run.benchmark == "pyloop"
    assert run.tool == "phoronix-test-suite"
    assert run.tool_version == "10.8.6"
    assert run.command_line == "local/vc-pyloop"
    (row,) = run.results
    assert (row.metric, row.value, row.unit, row.job) == (
        "additions-per-second",
        3383333,
        "additions/s",
        "",
    )
    samples = composite.results[0].entries[1].samples
    assert row.stddev == pytest.approx(statistics.stdev(samples))
    # Unknown systems and unmapped results give no runs, not errors.
    assert (
        parsed_runs(
            composite, "Run C", benchmark_for=lambda r: "x", metric_for=lambda r: ("m", "u")
        )
        == []
    )
    assert (
        parsed_runs(
            composite, "Run A", benchmark_for=lambda r: None, metric_for=lambda r: ("m", "u")
        )
        == []
    )


def test_versioned_identifiers_split_name_and_profile_version():
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "<Identifier>local/vc-pyloop</Identifier>", "<Identifier>pts/aom-av1-3.5.0</Identifier>"
    )
    (result,) = parse_composite(text).results
    assert (result.test, result.test_version) == ("pts/aom-av1", "3.5.0")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: "", "is empty"),
        (lambda t: t[: len(t) // 2], "not well-formed XML"),
        (lambda t: t.replace("PhoronixTestSuite", "Other"), "root element is <Other>"),
        (lambda t: t.replace("<Proportion>HIB", "<Proportion>XYZ"), "expected HIB or LIB"),
        (lambda t: t.replace("<Value>2303333", "<Value>fast"), "is not a number"),
        (lambda t: t.replace("<Value>2303333", "<Value>-1"), "is negative"),
        (
            lambda t: t.replace(
                "<Identifier>local/vc-pyloop</Identifier>", "<Identifier></Identifier>"
            ),
            "no test identifier",
        ),
        (
            lambda t: t.replace(
                "<Identifier>Run B</Identifier>\n        <Value>",
                "<Identifier>Run Z</Identifier>\n        <Value>",
            ),
            "which no <System> describes",
        ),
        (
            lambda t: t.replace(
                '<?xml version="1.0"?>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
            ),
            "DOCTYPE",
        ),
    ],
)
def test_bad_files_are_refused_with_a_reason(change, message):
    text = change(SAMPLE.read_text(encoding="utf-8"))
    with pytest.raises(ParseError) as caught:
        parse_composite(text)
    assert message in caught.value.message


def test_results_without_data_or_result_elements_are_refused():
    text = SAMPLE.read_text(encoding="utf-8")
    start, end = text.index("<Result>"), text.index("</Result>") + len("</Result>")
    with pytest.raises(ParseError, match="no <Result>"):
        parse_composite(text[:start] + text[end:])
    data_start, data_end = text.index("<Data>"), text.index("</Data>") + len("</Data>")
    with pytest.raises(ParseError, match="has no data"):
        parse_composite(text[:data_start] + text[data_end:])


def test_non_text_input_is_refused():
    with pytest.raises(ParseError, match="must be XML text"):
        parse_composite({"Result": []})


# A result file from a public repository (ManuelJBrito/Phoronix-results, see tests/data/README):
# one system, one test profile, and the install time/size rows PTS 10.8 adds without a test id.
PUBLISHED = DATA / "phoronix" / "simdjson-centos9-e5-2620v2.composite.xml"


def test_a_published_result_file_reads_without_pts_install_rows():
    composite = parse_composite(PUBLISHED.read_text(encoding="utf-8"))
    assert composite.client == "Phoronix Test Suite v10.8.4"
    assert [s.identifier for s in composite.systems] == ["GVNO3"]
    # 7 <Result> elements, 2 of them PTS's "Test Install Time/Size" rows (no identifier).
    assert [r.description for r in composite.results] == [
        "Throughput Test: PartialTweets",
        "Throughput Test: LargeRandom",
        "Throughput Test: Kostya",
        "Throughput Test: DistinctUserID",
        "Throughput Test: TopTweet",
    ]
    assert {(r.test, r.test_version, r.scale) for r in composite.results} == {
        ("pts/simdjson", "2.0.1", "GB/s")
    }


def test_the_submission_format_reads_one_run_per_file():
    run = parse_phoronix_composite(PUBLISHED.read_text(encoding="utf-8"))
    assert run.benchmark == "pts-simdjson"
    assert (run.tool, run.tool_version) == ("phoronix-test-suite", "10.8.4")
    assert run.command_line == "phoronix-test-suite benchmark pts/simdjson-2.0.1"
    assert dict(run.workload) == {"test": "pts/simdjson", "test_version": "2.0.1"}
    assert run.identity == "GVNO3 | 2025-02-08 17:48:10"
    values = {r.metric: (r.value, r.unit) for r in run.results}
    assert values == {
        "throughput-test-partialtweets": (1.36, "GB/s"),
        "throughput-test-largerandom": (0.46, "GB/s"),
        "throughput-test-kostya": (1.14, "GB/s"),
        "throughput-test-distinctuserid": (1.52, "GB/s"),
        "throughput-test-toptweet": (1.52, "GB/s"),
    }
    kostya = next(r for r in run.results if r.metric == "throughput-test-kostya")
    assert kostya.stddev == pytest.approx(statistics.stdev([1.14, 1.13, 1.14]))


def test_a_file_of_several_systems_needs_the_system_named():
    # The two-system sample: each system is a platform of its own, so a run of its own.
    text = SAMPLE.read_text(encoding="utf-8")
    with pytest.raises(ParseError, match="holds 2 systems \\(Run A, Run B\\); name the one"):
        parse_phoronix_composite(text)
    with pytest.raises(ParseError, match="no system 'Run C'; it holds: Run A, Run B"):
        parse_phoronix_composite(text, "Run C")
    run = parse_phoronix_composite(text, "Run B")
    # No description or arguments: the metric is named after the test's title.
    assert [(r.metric, r.value, r.unit) for r in run.results] == [
        ("virtcompare-python-loop", 3383333, "Additions Per Second")
    ]
    assert run.benchmark == "pts-vc-pyloop"
    assert run.identity == "Run B | 2026-12-02 02:04:58"
    assert parse_phoronix_composite(text, "Run A").identity != run.identity


def test_slug_of_pts_text():
    assert slug_of("Throughput Test: PartialTweets") == "throughput-test-partialtweets"
    assert (
        slug_of("Scaling: Mostly RAM - Test: Normal Load") == "scaling-mostly-ram-test-normal-load"
    )
    assert slug_of("") == ""
