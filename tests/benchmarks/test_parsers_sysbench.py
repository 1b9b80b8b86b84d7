"""benchmarks.parsers on real sysbench run outputs (tests/data/sysbench, see its README)."""

import math
import re
from pathlib import Path

import pytest
import yaml

from benchmarks.parsers import ParseError, parse

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "sysbench"
CATALOGUE = ROOT / "fixtures" / "benchmarks" / "benchmarks.yaml"
GOOD_RUNS = ["cpu-2s.txt", "memory-2s.txt", "fileio-rndrw-2s.txt"]


def raw_text(name: str) -> str:
    return (DATA / name).read_text()


def number_after(pattern: str, text: str) -> float:
    """The number the raw output shows for one label, read independently of the parser."""
    return float(re.search(pattern, text, re.MULTILINE).group(1))


def results_of(run) -> dict[str, tuple[float, str, dict[str, float]]]:
    assert {result.job for result in run.results} == {""}
    assert {result.stddev for result in run.results} == {None}
    return {
        result.metric: (result.value, result.unit, result.percentiles) for result in run.results
    }


def latency_from(text: str) -> tuple[float, float]:
    return (
        number_after(r"^\s+avg:\s+([\d.]+)$", text),
        number_after(r"^\s+95th percentile:\s+([\d.]+)$", text),
    )


def test_cpu_run_reports_the_raw_figures():
    text = raw_text("cpu-2s.txt")
    avg, p95 = latency_from(text)

    run = parse("sysbench", text)

    assert run.benchmark == "sysbench-cpu"
    assert run.tool == "sysbench"
    assert results_of(run) == {
        "events-per-second": (number_after(r"events per second:\s+([\d.]+)", text), "events/s", {}),
        "latency-avg": (avg, "ms", {"p95": p95}),
        "latency-p95": (p95, "ms", {}),
    }


def test_memory_run_reports_the_raw_figures():
    text = raw_text("memory-2s.txt")

    run = parse("sysbench", text)

    assert run.benchmark == "sysbench-memory"
    assert results_of(run) == {
        "throughput": (number_after(r"MiB transferred \(([\d.]+) MiB/sec\)", text), "MiB/s", {}),
        "operations-per-second": (
            number_after(r"^Total operations: \d+ \(([\d.]+) per second\)", text),
            "ops/s",
            {},
        ),
    }


def test_fileio_run_reports_the_raw_figures():
    text = raw_text("fileio-rndrw-2s.txt")
    avg, p95 = latency_from(text)

    run = parse("sysbench", text)

    assert run.benchmark == "sysbench-fileio"
    assert results_of(run) == {
        "reads-per-second": (number_after(r"reads/s:\s+([\d.]+)", text), "ops/s", {}),
        "writes-per-second": (number_after(r"writes/s:\s+([\d.]+)", text), "ops/s", {}),
        "read-throughput": (number_after(r"read, MiB/s:\s+([\d.]+)", text), "MiB/s", {}),
        "write-throughput": (number_after(r"written, MiB/s:\s+([\d.]+)", text), "MiB/s", {}),
        "latency-avg": (avg, "ms", {"p95": p95}),
        "latency-p95": (p95, "ms", {}),
    }


def test_pinned_values():
    cpu = results_of(parse("sysbench", raw_text("cpu-2s.txt")))
    memory = results_of(parse("sysbench", raw_text("memory-2s.txt")))
    fileio = results_of(parse("sysbench", raw_text("fileio-rndrw-2s.txt")))

    assert cpu["events-per-second"][0] == 3051.39
    assert cpu["latency-avg"] == (0.33, "ms", {"p95": 0.37})
    assert memory["throughput"][0] == 4825.46
    assert memory["operations-per-second"][0] == 4941273.76
    assert fileio["reads-per-second"][0] == 3568.66
    assert fileio["write-throughput"][0] == 37.17
    assert fileio["latency-p95"][0] == 0.27


@pytest.mark.parametrize(
    ("name", "command_line"),
    [
        ("cpu-2s.txt", "sysbench cpu --threads=1 --cpu-max-prime=10000 run"),
        (
            "memory-2s.txt",
            "sysbench memory --threads=1 --memory-block-size=1K --memory-oper=write run",
        ),
        (
            "fileio-rndrw-2s.txt",
            "sysbench fileio --threads=1 --file-test-mode=rndrw --file-block-size=16384 run",
        ),
    ],
)
def test_version_and_recorded_options(name, command_line):
    run = parse("sysbench", raw_text(name))

    assert run.tool_version == "1.0.20"
    assert run.command_line == command_line


def test_another_percentile_goes_with_the_mean_but_is_not_p95():
    # sysbench --percentile=99 prints "99th percentile"; derived from the real run.
    text = raw_text("cpu-2s.txt").replace("95th percentile:", "99th percentile:")

    results = results_of(parse("sysbench", text))

    assert results["latency-avg"] == (0.33, "ms", {"p99": 0.37})
    assert "latency-p95" not in results


@pytest.mark.parametrize(
    ("name", "message", "line"),
    [
        ("broken-empty.txt", "sysbench output is empty", 1),
        (
            "broken-memory-truncated.txt",
            "sysbench output is for 'memory' but no 'total time' line was found "
            "(the output ends at line 20)",
            20,
        ),
        (
            "fileio-run-without-prepare-fatal.txt",
            "sysbench reported an error: FATAL: Cannot open file 'test_file.0' errno = 2 "
            "(No such file or directory)",
            18,
        ),
        (
            "fileio-prepare-not-a-run.txt",
            "this is the output of 'sysbench fileio prepare', not of a 'run'",
            4,
        ),
        (
            "threads-2s-unsupported.txt",
            "sysbench output is not from a test we define: no cpu, memory or fileio options were "
            "found (the output ends at line 27); supported: cpu, memory and fileio",
            27,
        ),
    ],
)
def test_bad_output_is_refused_with_what_and_where(name, message, line):
    with pytest.raises(ParseError) as caught:
        parse("sysbench", raw_text(name))

    assert str(caught.value) == message
    assert caught.value.line == line
    assert caught.value.field is None


def test_foreign_text_is_refused_at_its_first_line():
    fio_output = (ROOT / "tests" / "data" / "fio" / "randread-4k-qd32.json").read_text()

    with pytest.raises(ParseError) as caught:
        parse("sysbench", fio_output)

    assert str(caught.value) == (
        "this is not sysbench output: it does not start with a 'sysbench <version>' line "
        "(line 1: '{')"
    )
    assert caught.value.line == 1


def test_a_json_object_is_refused():
    with pytest.raises(ParseError, match=r"^sysbench output must be text, not dict$"):
        parse("sysbench", {"events": 1})


def test_another_cpu_prime_limit_is_recorded_as_the_workload():
    # A real run with --cpu-max-prime=20000 (tests/data/sysbench/cpu-prime20000-2s.txt).
    run = parse("sysbench", raw_text("cpu-prime20000-2s.txt"))

    assert run.benchmark == "sysbench-cpu"
    assert run.workload == {"test": "cpu", "cpu-max-prime": "20000", "threads": "1"}
    assert "--cpu-max-prime=20000" in run.command_line


def test_memory_reads_and_more_threads_are_recorded_as_the_workload():
    memory = parse("sysbench", raw_text("memory-read-2s-unsupported.txt"))
    threads = parse("sysbench", raw_text("cpu-2threads-2s.txt"))

    assert (memory.benchmark, memory.workload["operation"]) == ("sysbench-memory", "read")
    assert (threads.benchmark, threads.workload["threads"]) == ("sysbench-cpu", "2")


@pytest.mark.parametrize(
    ("printed", "problem"),
    [
        ("-nan", "is not a finite number: nan"),
        ("inf", "is not a finite number: inf"),
        ("n/a", "is not a number: 'n/a'"),
        ("-1", "is negative: -1.0"),
    ],
)
def test_a_value_that_is_not_a_finite_number_is_refused_with_its_line(printed, problem):
    text = raw_text("cpu-2s.txt").replace(
        "events per second:  3051.39", f"events per second:  {printed}"
    )

    with pytest.raises(
        ParseError, match=f"^sysbench's 'events per second' on line 15 {re.escape(problem)}$"
    ) as caught:
        parse("sysbench", text)

    assert caught.value.line == 15


def test_every_metric_and_unit_emitted_is_in_the_catalogue():
    catalogue = yaml.safe_load(CATALOGUE.read_text())
    units = {(b["slug"], m["slug"]): m["unit"] for b in catalogue for m in b["metrics"]}
    tools = {b["slug"]: b["tool"] for b in catalogue}

    for name in GOOD_RUNS:
        run = parse("sysbench", raw_text(name))
        assert tools[run.benchmark] == run.tool == "sysbench"
        for result in run.results:
            assert units[(run.benchmark, result.metric)] == result.unit, (name, result)
            assert math.isfinite(result.value)
            assert result.value >= 0
