"""benchmarks.parsers on real fio JSON outputs (tests/data/fio, see its README)."""

import json
import math
import re
from pathlib import Path

import pytest
import yaml

from benchmarks.parsers import ParseError, parse
from benchmarks.parsers.fio import WORKLOADS

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "fio"
CATALOGUE = ROOT / "fixtures" / "benchmarks" / "benchmarks.yaml"
MIB = 1048576

GOOD_RUNS = [
    "randread-4k-qd32.json",
    "randwrite-4k-qd32.json",
    "seqread-1m-qd8.json",
    "seqwrite-1m-qd8.json",
    "randrw-4k-mix70-qd16.json",
    "randread-4k-2jobs.json",
    "randread-4k-2jobs-group.json",
    "randread-4k-2jobs-named.json",
    "randread-4k-qd1-jsonplus.json",
    "randread-4k-psync-note-before-json.json",
]


def raw_text(name: str) -> str:
    return (DATA / name).read_text()


def raw_json(name: str) -> dict:
    """The file's JSON object, skipping the note lines fio may print before it."""
    text = raw_text(name)
    return json.loads(text[re.search(r"^\{", text, re.MULTILINE).start() :])


def results_by_key(run) -> dict:
    return {(result.metric, result.job): result for result in run.results}


def expected_direction(stats: dict, direction: str, job: str) -> dict:
    """What the parser should report for one job's read or write block, read from the raw."""
    clat = stats["clat_ns"]
    percentiles = {
        "p50": clat["percentile"]["50.000000"] / 1000,
        "p99": clat["percentile"]["99.000000"] / 1000,
        "p99.9": clat["percentile"]["99.900000"] / 1000,
    }
    several_samples = stats["iops_samples"] >= 2
    return {
        (f"{direction}-iops", job): (
            stats["iops"],
            "IOPS",
            stats["iops_stddev"] if several_samples else None,
            {},
        ),
        (f"{direction}-bw", job): (
            stats["bw_bytes"] / MIB,
            "MiB/s",
            stats["bw_dev"] / 1024 if stats["bw_samples"] >= 2 else None,
            {},
        ),
        (f"{direction}-lat-mean", job): (
            clat["mean"] / 1000,
            "us",
            clat["stddev"] / 1000,
            percentiles,
        ),
        (f"{direction}-lat-p50", job): (percentiles["p50"], "us", None, {}),
        (f"{direction}-lat-p99", job): (percentiles["p99"], "us", None, {}),
        (f"{direction}-lat-p999", job): (percentiles["p99.9"], "us", None, {}),
    }


def assert_matches(run, expected: dict) -> None:
    actual = {
        key: (result.value, result.unit, result.stddev, result.percentiles)
        for key, result in results_by_key(run).items()
    }
    assert actual == expected
    assert len(run.results) == len(expected)


@pytest.mark.parametrize(
    ("name", "benchmark", "directions"),
    [
        ("randread-4k-qd32.json", "fio-randread-4k", ["read"]),
        ("randwrite-4k-qd32.json", "fio-randwrite-4k", ["write"]),
        ("seqread-1m-qd8.json", "fio-seqread-1m", ["read"]),
        ("seqwrite-1m-qd8.json", "fio-seqwrite-1m", ["write"]),
        ("randrw-4k-mix70-qd16.json", "fio-randrw-4k", ["read", "write"]),
        ("randread-4k-2jobs-group.json", "fio-randread-4k", ["read"]),
        ("randread-4k-qd1-jsonplus.json", "fio-randread-4k", ["read"]),
        ("randread-4k-psync-note-before-json.json", "fio-randread-4k", ["read"]),
    ],
)
def test_single_job_run_reports_every_figure_of_the_raw_file(name, benchmark, directions):
    document = raw_json(name)
    (job,) = document["jobs"]

    run = parse("fio-json", raw_text(name))

    assert run.benchmark == benchmark
    assert run.tool == "fio"
    assert run.tool_version == document["fio version"] == "fio-3.33"
    expected = {}
    for direction in directions:
        expected |= expected_direction(job[direction], direction, job="")
    assert_matches(run, expected)


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("randread-4k-2jobs.json", ["randread-4k#1", "randread-4k#2"]),
        ("randread-4k-2jobs-named.json", ["randread-4k-a", "randread-4k-b"]),
    ],
)
def test_jobs_without_group_reporting_get_per_job_figures_and_summed_totals(name, labels):
    jobs = raw_json(name)["jobs"]

    run = parse("fio-json", raw_text(name))

    assert run.benchmark == "fio-randread-4k"
    expected = {}
    for job, label in zip(jobs, labels, strict=True):
        expected |= expected_direction(job["read"], "read", job=label)
    expected[("read-iops", "")] = (
        jobs[0]["read"]["iops"] + jobs[1]["read"]["iops"],
        "IOPS",
        None,
        {},
    )
    expected[("read-bw", "")] = (
        jobs[0]["read"]["bw_bytes"] / MIB + jobs[1]["read"]["bw_bytes"] / MIB,
        "MiB/s",
        None,
        {},
    )
    assert_matches(run, expected)


def test_pinned_values_of_the_random_read_run():
    results = results_by_key(parse("fio-json", raw_text("randread-4k-qd32.json")))

    assert results[("read-iops", "")].value == 79126.957681
    assert results[("read-iops", "")].stddev == 11991.640972
    assert results[("read-bw", "")].value == 324104018 / MIB
    assert results[("read-bw", "")].value == pytest.approx(309.0897, abs=1e-4)
    assert results[("read-lat-mean", "")].value == pytest.approx(393.768332069)
    assert results[("read-lat-p50", "")].value == 342.016
    assert results[("read-lat-p99", "")].value == 2179.072
    assert results[("read-lat-p999", "")].value == 2867.2
    assert results[("read-lat-mean", "")].percentiles == {
        "p50": 342.016,
        "p99": 2179.072,
        "p99.9": 2867.2,
    }


def test_pinned_values_of_the_mixed_run_cover_both_directions():
    results = results_by_key(parse("fio-json", raw_text("randrw-4k-mix70-qd16.json")))

    assert results[("read-iops", "")].value == 31874.375208
    assert results[("write-iops", "")].value == 13629.123625
    assert results[("write-bw", "")].value == 55824890 / MIB
    assert results[("write-lat-p999", "")].value == 8585.216


def test_pinned_totals_of_two_cloned_jobs():
    results = results_by_key(parse("fio-json", raw_text("randread-4k-2jobs.json")))

    assert results[("read-iops", "randread-4k#1")].value == 23440.186604
    assert results[("read-iops", "randread-4k#2")].value == 23252.24925
    assert results[("read-iops", "")].value == pytest.approx(46692.435854)
    assert ("read-lat-mean", "") not in results


def test_group_reporting_gives_one_whole_run_figure_per_metric():
    run = parse("fio-json", raw_text("randread-4k-2jobs-group.json"))

    assert {result.job for result in run.results} == {""}
    assert results_by_key(run)[("read-iops", "")].value == 47200.266578


def test_stddev_of_a_run_with_one_sample_is_left_out():
    results = results_by_key(parse("fio-json", raw_text("randread-4k-psync-note-before-json.json")))

    assert (
        raw_json("randread-4k-psync-note-before-json.json")["jobs"][0]["read"]["iops_samples"] == 1
    )
    assert results[("read-iops", "")].stddev is None
    assert results[("read-bw", "")].stddev is None


def test_command_line_is_rebuilt_from_the_options_fio_records():
    single = parse("fio-json", raw_text("randrw-4k-mix70-qd16.json"))
    clones = parse("fio-json", raw_text("randread-4k-2jobs.json"))

    assert single.command_line == (
        "fio --name=randrw-4k --rw=randrw --rwmixread=70 --bs=4k --iodepth=16 "
        "--filename=/tmp/vcbench/fio.dat --size=64M --runtime=3 --ioengine=libaio --direct=1"
    )
    assert clones.command_line.endswith("--numjobs=2 --name=randread-4k")


def test_an_already_decoded_object_parses_like_the_text():
    name = "seqwrite-1m-qd8.json"

    assert parse("fio-json", raw_json(name)) == parse("fio-json", raw_text(name))


def test_older_fio_clat_in_microseconds_is_taken_as_is():
    # fio 2.x wrote "clat" in microseconds; derived here from the real run by moving the unit.
    document = raw_json("randread-4k-qd32.json")
    read = document["jobs"][0]["read"]
    clat_ns = read.pop("clat_ns")
    read["clat"] = {
        "mean": clat_ns["mean"] / 1000,
        "stddev": clat_ns["stddev"] / 1000,
        "percentile": {key: value / 1000 for key, value in clat_ns["percentile"].items()},
    }

    results = results_by_key(parse("fio-json", document))

    assert results[("read-lat-mean", "")].value == clat_ns["mean"] / 1000
    assert results[("read-lat-p99", "")].value == 2179.072


def test_bandwidth_falls_back_to_kib_per_second_without_bw_bytes():
    document = raw_json("randread-4k-qd32.json")
    del document["jobs"][0]["read"]["bw_bytes"]

    results = results_by_key(parse("fio-json", document))

    assert results[("read-bw", "")].value == document["jobs"][0]["read"]["bw"] / 1024


@pytest.mark.parametrize("block_size", ["4096", "4K", "4KiB", "4k,4k", "4kb"])
def test_block_size_spellings_of_4_kib_are_one_benchmark(block_size):
    document = raw_json("randread-4k-qd32.json")
    document["jobs"][0]["job options"]["bs"] = block_size

    assert parse("fio-json", document).benchmark == "fio-randread-4k"


@pytest.mark.parametrize(
    ("options", "shown"),
    [
        ({"bs": "4k,64k"}, "rw=randread bs=4k,64k"),
        ({"rw": "randread:8"}, "rw=randread:8 bs=4k"),
    ],
)
def test_mixed_block_sizes_and_patterns_are_not_benchmarks(options, shown):
    document = raw_json("randread-4k-qd32.json")
    document["jobs"][0]["job options"].update(options)

    with pytest.raises(ParseError, match=f"^fio workload {re.escape(shown)} is not a benchmark"):
        parse("fio-json", document)


@pytest.mark.parametrize(
    ("options", "variant"),
    [
        ({"bs": "8k"}, {"bs": "8192"}),
        ({"bs": "4k", "kb_base": "1000"}, {"bs": "4000"}),
        ({"iodepth": "1"}, {"iodepth": "1"}),
        ({"ioengine": "io_uring", "direct": "0"}, {"ioengine": "io_uring", "direct": "0"}),
    ],
)
def test_other_block_sizes_and_depths_are_recorded_as_the_workload(options, variant):
    # Never refused for being different: the submission makes them a variant.
    document = raw_json("randread-4k-qd32.json")
    document["jobs"][0]["job options"].update(options)

    run = parse("fio-json", document)

    assert run.benchmark == "fio-randread-4k"
    assert {key: run.workload[key] for key in variant} == variant


def test_a_sequential_read_of_4k_blocks_is_a_variant_of_the_sequential_read():
    run = parse("fio-json", raw_text("read-4k-unsupported.json"))
    assert (run.benchmark, run.workload["bs"], run.workload["iodepth"]) == (
        "fio-seqread-1m",
        "4096",
        "1",
    )


@pytest.mark.parametrize(
    ("name", "message", "line", "field"),
    [
        ("broken-empty.json", "fio output is empty", 1, None),
        (
            "broken-randread-4k-truncated-half.json",
            "fio output is not valid JSON (cut short?): Unterminated string starting at "
            "(line 127, column 9)",
            127,
            None,
        ),
        (
            "broken-randread-4k-jobs-removed.json",
            "fio output has no 'jobs' array (is it fio --output-format=json output?)",
            None,
            "jobs",
        ),
        (
            "broken-randread-4k-negative-iops.json",
            "fio output's 'jobs[0].read.iops' is negative: -1.0",
            None,
            "jobs[0].read.iops",
        ),
        (
            "randread-4k-file-missing-no-io.json",
            "fio job 'randread-4k' did no reads (jobs[0].read.io_bytes is 0)",
            None,
            "jobs[0].read.io_bytes",
        ),
        (
            "randwrite-4k-job-error-eperm.json",
            "fio job 'w' failed with error 1 (Operation not permitted)",
            None,
            "jobs[0].error",
        ),
        (
            "randread-randwrite-2jobs-mixed-unsupported.json",
            "fio jobs run different workloads ('reader' rw=randread bs=4k, "
            "'writer' rw=randwrite bs=4k); submit one workload per run",
            None,
            "jobs",
        ),
    ],
)
def test_bad_output_is_refused_with_what_and_where(name, message, line, field):
    with pytest.raises(ParseError) as caught:
        parse("fio-json", raw_text(name))

    assert str(caught.value) == message
    assert caught.value.line == line
    assert caught.value.field == field


def test_foreign_json_is_refused():
    iperf3_output = (ROOT / "tests" / "data" / "iperf3" / "tcp-2s.json").read_text()

    with pytest.raises(ParseError, match=r"^fio output has no 'jobs' array") as caught:
        parse("fio-json", iperf3_output)
    assert caught.value.field == "jobs"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (math.nan, "is not a finite number"),
        (math.inf, "is not a finite number"),
        (True, "is not a number"),
    ],
)
def test_values_must_be_finite_numbers(value, problem):
    document = raw_json("randread-4k-qd32.json")
    document["jobs"][0]["read"]["iops"] = value

    with pytest.raises(ParseError, match=f"^fio output's 'jobs\\[0\\].read.iops' {problem}"):
        parse("fio-json", document)


def test_nan_written_in_the_json_text_is_refused():
    # Python's json module accepts the non-standard NaN literal; the decoder must not.
    text = raw_text("randread-4k-qd32.json").replace('"iops" : 79126.957681', '"iops" : NaN')

    with pytest.raises(ParseError, match="NaN is not valid JSON"):
        parse("fio-json", text)


def test_json_that_is_not_an_object_is_refused():
    with pytest.raises(ParseError, match=r"^fio output is JSON but not an object$"):
        parse("fio-json", "[]")


def test_unknown_format_is_refused():
    with pytest.raises(ParseError) as caught:
        parse("fio", raw_text("randread-4k-qd32.json"))

    assert str(caught.value) == (
        "unknown output format 'fio'; supported: fio-json, iperf3-json, sysbench, stress-ng-yaml, "
        "phoronix-composite"
    )
    assert caught.value.field == "format"


def test_every_metric_and_unit_emitted_is_in_the_catalogue():
    catalogue = yaml.safe_load(CATALOGUE.read_text())
    units = {(b["slug"], m["slug"]): m["unit"] for b in catalogue for m in b["metrics"]}
    tools = {b["slug"]: b["tool"] for b in catalogue}

    for name in GOOD_RUNS:
        run = parse("fio-json", raw_text(name))
        assert tools[run.benchmark] == run.tool == "fio"
        for result in run.results:
            assert units[(run.benchmark, result.metric)] == result.unit, (name, result)
            assert math.isfinite(result.value)
            assert result.value >= 0


def test_every_workload_the_parser_knows_is_in_the_catalogue():
    slugs = {b["slug"] for b in yaml.safe_load(CATALOGUE.read_text())}

    assert {benchmark for benchmark, _ in WORKLOADS.values()} <= slugs


def test_catalogue_slugs_are_django_slugs_and_better_is_a_direction():
    # Metric slugs live in SlugFields and URLs: no "." (hence read-lat-p999 for p99.9).
    slug = re.compile(r"[-a-zA-Z0-9_]+")
    for benchmark in yaml.safe_load(CATALOGUE.read_text()):
        assert slug.fullmatch(benchmark["slug"]), benchmark["slug"]
        for metric in benchmark["metrics"]:
            assert slug.fullmatch(metric["slug"]), metric["slug"]
            assert metric["better"] in {"higher", "lower"}


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["jobs", 0, "read", "clat_ns", "percentile"], 5, "jobs[0].read.clat_ns.percentile"),
        (["jobs", 0, "job options"], "rw=randread", "jobs[0].job options"),
        (["jobs", 0, "read"], [], "jobs[0].read"),
        (["jobs", 0], "randread-4k", "jobs[0].error"),
    ],
)
def test_malformed_structure_is_a_parse_error_naming_the_field(path, value, field):
    document = raw_json("randread-4k-qd32.json")
    container = document
    for part in path[:-1]:
        container = container[part]
    container[path[-1]] = value

    with pytest.raises(ParseError) as caught:
        parse("fio-json", document)

    assert caught.value.field == field
