"""sysbench 1.x `run` text output (cpu, memory, fileio) → ParsedRun."""

import re
import shlex
from collections.abc import Mapping
from typing import Any

from .base import ParsedResult, ParsedRun, ParseError, checked_number, text_lines

TOOL = "sysbench"
SUPPORTED_TESTS = "cpu, memory and fileio"

HEADER = re.compile(r"sysbench (?P<version>\d+\.\d+(?:\.\d+)?)\b")
FATAL = re.compile(r"FATAL: .*")
THREADS = re.compile(r"Number of threads: (?P<value>\d+)")
TOTAL_TIME = re.compile(r"\s*total time:\s+(?P<value>\S+?)s")
LATENCY_SECTION = re.compile(r"Latency \(ms\):")
PERCENTILE_KEY = re.compile(r"(?P<percent>\d+)th percentile")

# What identifies each test's output, and the workload options it records.
PREPARE = re.compile(r"Creating files for the test\.\.\.")
CLEANUP = re.compile(r"Removing test files\.\.\.")
CPU_PRIME_LIMIT = re.compile(r"Prime numbers limit: (?P<value>\d+)")
MEMORY_TEST = re.compile(r"Running memory speed test with the following options:")
MEMORY_BLOCK_SIZE = re.compile(r"\s+block size: (?P<value>\S+)")
MEMORY_OPERATION = re.compile(r"\s+operation: (?P<value>\S+)")
FILEIO_MODE = re.compile(r"Doing (?P<value>.+) test")
FILEIO_BLOCK_SIZE = re.compile(r"Block size (?P<value>\S+)")

CPU_EVENTS = re.compile(r"\s*events per second:\s+(?P<value>\S+)")
MEMORY_OPERATIONS = re.compile(r"Total operations: \d+ \((?P<value>\S+) per second\)")
MEMORY_THROUGHPUT = re.compile(r"\S+ MiB transferred \((?P<value>\S+) MiB/sec\)")
FILEIO_READS = re.compile(r"\s*reads/s:\s+(?P<value>\S+)")
FILEIO_WRITES = re.compile(r"\s*writes/s:\s+(?P<value>\S+)")
FILEIO_READ_THROUGHPUT = re.compile(r"\s*read, MiB/s:\s+(?P<value>\S+)")
FILEIO_WRITE_THROUGHPUT = re.compile(r"\s*written, MiB/s:\s+(?P<value>\S+)")


def parse_sysbench(raw: str | Mapping[str, Any]) -> ParsedRun:
    lines = text_lines(raw, tool=TOOL)
    version = header_version(lines)
    for number, text in enumerate(lines, start=1):
        if FATAL.match(text):
            raise ParseError(f"sysbench reported an error: {text}", line=number)
    test, workload = recognized_test(lines)
    # The "General statistics" block comes last: without it the run was cut short.
    find(lines, TOTAL_TIME, test=test, what="total time")

    if test == "cpu":
        flags = [f"--cpu-max-prime={workload['cpu-max-prime']}"]
        results = [
            value_result(
                lines, CPU_EVENTS, test, "events per second", "events-per-second", "events/s"
            ),
            *latency_results(lines, test),
        ]
    elif test == "memory":
        size = workload["block-size"].replace("KiB", "K").replace("MiB", "M")
        flags = [f"--memory-block-size={size}"]
        flags.append(f"--memory-oper={workload['operation']}")
        results = [
            value_result(lines, MEMORY_THROUGHPUT, test, "MiB transferred", "throughput", "MiB/s"),
            value_result(
                lines, MEMORY_OPERATIONS, test, "Total operations", "operations-per-second", "ops/s"
            ),
        ]  # its latency rounds to 0.00 ms: too coarse to keep
    else:
        size = workload["block-size"]
        if size.endswith("KiB") and size[:-3].isdigit():
            size = str(int(size[:-3]) * 1024)  # the flag takes bytes
        flags = [f"--file-test-mode={workload['mode']}", f"--file-block-size={size}"]
        results = [
            value_result(lines, FILEIO_READS, test, "reads/s", "reads-per-second", "ops/s"),
            value_result(lines, FILEIO_WRITES, test, "writes/s", "writes-per-second", "ops/s"),
            value_result(
                lines, FILEIO_READ_THROUGHPUT, test, "read, MiB/s", "read-throughput", "MiB/s"
            ),
            value_result(
                lines, FILEIO_WRITE_THROUGHPUT, test, "written, MiB/s", "write-throughput", "MiB/s"
            ),
            *latency_results(lines, test),
        ]

    threads = first_match(lines, THREADS)
    if threads:
        flags.insert(0, f"--threads={threads[0]['value']}")
        workload["threads"] = threads[0]["value"][:10]
    return ParsedRun(
        benchmark=f"sysbench-{test}",
        tool=TOOL,
        tool_version=version,
        command_line=shlex.join(["sysbench", test, *flags, "run"]),
        results=tuple(results),
        workload=workload,
    )


def header_version(lines: list[str]) -> str:
    first = next(number for number, text in enumerate(lines, start=1) if text.strip())
    match = HEADER.match(lines[first - 1])
    if match is None:
        raise ParseError(
            f"this is not sysbench output: it does not start with a 'sysbench <version>' line "
            f"(line {first}: {lines[first - 1][:60]!r})",
            line=first,
        )
    return match["version"]


# sysbench prints the file test mode in words ("Doing random r/w test"); the option's name.
FILEIO_MODES = {
    "random r/w": "rndrw",
    "random read": "rndrd",
    "random write": "rndwr",
    "sequential read": "seqrd",
    "sequential write (creation)": "seqwr",
    "sequential rewrite": "seqrewr",
}


def recognized_test(lines: list[str]) -> tuple[str, dict[str, str]]:
    """Which test ran and the workload options its output records. Options other than the
    recommended ones make a variant of the benchmark; they are not refused."""
    for pattern, step in ((PREPARE, "prepare"), (CLEANUP, "cleanup")):
        found = first_match(lines, pattern)
        if found:
            raise ParseError(
                f"this is the output of 'sysbench fileio {step}', not of a 'run'",
                line=found[1],
            )
    prime_limit = first_match(lines, CPU_PRIME_LIMIT)
    if prime_limit:
        return "cpu", {"test": "cpu", "cpu-max-prime": option(prime_limit)}
    if first_match(lines, MEMORY_TEST):
        block = find(lines, MEMORY_BLOCK_SIZE, test="memory", what="block size")
        operation = find(lines, MEMORY_OPERATION, test="memory", what="operation")
        workload = {"block-size": option(block), "operation": option(operation)}
        return "memory", {"test": "memory", **workload}
    mode = first_match(lines, FILEIO_MODE)
    if mode:
        block = find(lines, FILEIO_BLOCK_SIZE, test="fileio", what="Block size")
        words = option(mode)
        workload = {"mode": FILEIO_MODES.get(words, words), "block-size": option(block)}
        return "fileio", {"test": "fileio", **workload}
    raise ParseError(
        "sysbench output is not from a test we define: no cpu, memory or fileio options were "
        f"found (the output ends at line {len(lines)}); supported: {SUPPORTED_TESTS}",
        line=len(lines),
    )


def option(found: tuple[re.Match[str], int]) -> str:
    return found[0]["value"][:40]


def first_match(lines: list[str], pattern: re.Pattern[str]) -> tuple[re.Match[str], int] | None:
    for number, text in enumerate(lines, start=1):
        match = pattern.fullmatch(text.rstrip())
        if match:
            return match, number
    return None


def find(
    lines: list[str], pattern: re.Pattern[str], *, test: str, what: str
) -> tuple[re.Match[str], int]:
    found = first_match(lines, pattern)
    if found is None:
        raise ParseError(
            f"sysbench output is for {test!r} but no {what!r} line was found "
            f"(the output ends at line {len(lines)})",
            line=len(lines),
        )
    return found


def number_on(text: str, number: int, what: str) -> float:
    try:
        value: object = float(text)
    except ValueError:
        value = text  # reported as "not a number" below
    return checked_number(value, what=f"sysbench's {what!r} on line {number}", line=number)


def value_result(
    lines: list[str], pattern: re.Pattern[str], test: str, what: str, metric: str, unit: str
) -> ParsedResult:
    match, number = find(lines, pattern, test=test, what=what)
    return ParsedResult(metric, number_on(match["value"], number, what), unit)


def latency_row(text: str) -> tuple[str, str] | None:
    """("avg", "0.26") from an indented "         avg:    0.26" row, or None.

    String methods, not a regular expression: the pattern this replaces backtracked
    quadratically on a long run of spaces (60,000 spaces held a worker for over 30 s)."""
    if not text[:1].isspace():
        return None
    key, colon, value = text.partition(":")
    key, value = key.strip(), value.strip()
    words_ok = key and all(char.isalnum() or char in "_ " for char in key)
    if not colon or not words_ok or not value or len(value.split()) != 1:
        return None
    return key, value


def latency_results(lines: list[str], test: str) -> list[ParsedResult]:
    """latency-avg (with its percentile) and latency-p95 from the "Latency (ms):" block."""
    _, start = find(lines, LATENCY_SECTION, test=test, what="Latency (ms):")
    rows: dict[str, tuple[str, int]] = {}
    for number, text in enumerate(lines[start:], start=start + 1):
        row = latency_row(text)
        if row is None:
            break
        rows[row[0]] = (row[1], number)
    if "avg" not in rows:
        raise ParseError(
            f"sysbench output is for {test!r} but its latency block has no 'avg' row "
            f"(line {start})",
            line=start,
        )
    percentiles: dict[str, float] = {}
    for key, (text, number) in rows.items():
        percentile = PERCENTILE_KEY.fullmatch(key)
        if percentile:  # --percentile=N picks which one sysbench prints (95 by default)
            percentiles[f"p{percentile['percent']}"] = number_on(text, number, key)
    avg_text, avg_line = rows["avg"]
    results = [
        ParsedResult(
            "latency-avg", number_on(avg_text, avg_line, "avg"), "ms", percentiles=percentiles
        ),
    ]
    if "p95" in percentiles:
        results.append(ParsedResult("latency-p95", percentiles["p95"], "ms"))
    return results
