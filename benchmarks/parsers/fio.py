"""fio `--output-format=json` (and `json+`) → ParsedRun."""

import os
import re
import shlex
from collections import Counter
from collections.abc import Mapping
from typing import Any

from .base import (
    ParsedResult,
    ParsedRun,
    ParseError,
    decode_json,
    format_path,
    identity_of,
    mapping_at,
    number_at,
    value_at,
)

TOOL = "fio"
MIB = 1024 * 1024

# rw → (benchmark slug, the directions it reports). Any block size, queue depth or engine is
# accepted; the benchmark's recommended workload decides whether the run is its own variant.
WORKLOADS: dict[str, tuple[str, tuple[str, ...]]] = {
    "randread": ("fio-randread-4k", ("read",)),
    "randwrite": ("fio-randwrite-4k", ("write",)),
    "read": ("fio-seqread-1m", ("read",)),
    "write": ("fio-seqwrite-1m", ("write",)),
    "randrw": ("fio-randrw-4k", ("read", "write")),
}
SUPPORTED_WORKLOADS = "rw=randread, randwrite, read, write or randrw, with one block size"
# fio's defaults for the options a workload is described by.
DEFAULTS = {"iodepth": "1", "numjobs": "1", "direct": "0", "ioengine": "psync", "rwmixread": "50"}
# fio's percentile keys → our names, and the metric each one is reported as on its own.
PERCENTILES = {50.0: "p50", 99.0: "p99", 99.9: "p99.9"}
# Metric slugs are Django slugs (no "."), so p99.9 is spelled p999 there.
PERCENTILE_METRICS = {"p50": "lat-p50", "p99": "lat-p99", "p99.9": "lat-p999"}

# Jobs per output: --numjobs=64 is already more than any benchmark we define runs; 10,000
# jobs once made a 30,002-result run whose page weighed 6.5 MB.
MAX_JOBS = 64
SIZE = re.compile(r"(?P<number>\d+)\s*(?P<prefix>[kmgt]?)(?P<iec>i?)b?", re.IGNORECASE)
PREFIX_POWER = {"": 0, "k": 1, "m": 2, "g": 3, "t": 4}


def parse_fio_json(raw: str | Mapping[str, Any]) -> ParsedRun:
    document = decode_json(blank_leading_notes(raw) if isinstance(raw, str) else raw, tool=TOOL)
    jobs = document.get("jobs")
    if not isinstance(jobs, list):
        raise ParseError(
            "fio output has no 'jobs' array (is it fio --output-format=json output?)",
            field="jobs",
        )
    if not jobs:
        raise ParseError("fio output's 'jobs' array is empty", field="jobs")
    if len(jobs) > MAX_JOBS:
        raise ParseError(
            f"fio output has {len(jobs)} jobs; at most {MAX_JOBS} per run are accepted",
            field="jobs",
        )
    global_options = document.get("global options", {})
    if not isinstance(global_options, Mapping):
        raise ParseError("fio output's 'global options' is not an object", field="global options")

    for index in range(len(jobs)):
        check_job_succeeded(document, index)
    benchmark, directions, workload = run_workload(document, global_options)

    labels = job_labels(document)
    results: list[ParsedResult] = []
    if len(jobs) == 1:
        # One job, or one group under --group_reporting: its figures are the run's.
        for direction in directions:
            results += direction_results(document, 0, direction, job="")
    else:
        for direction in directions:
            for index, label in enumerate(labels):
                results += direction_results(document, index, direction, job=label)
            # Jobs in different groups (stonewall) ran one after another: rates don't add up.
            if all(job.get("groupid") == jobs[0].get("groupid") for job in jobs):
                results += direction_totals(results, direction)

    version = document.get("fio version")
    return ParsedRun(
        benchmark=benchmark,
        tool=TOOL,
        tool_version=version if isinstance(version, str) else "",
        command_line=recorded_command_line(global_options, jobs),
        results=tuple(results),
        identity=identity_of(document.get("timestamp_ms"), document.get("time"), *labels),
        workload=workload,
    )


def blank_leading_notes(raw: str) -> str:
    """Blank out lines fio prints on stdout before the JSON, keeping line numbers."""
    # e.g. "note: both iodepth >= 1 and synchronous I/O engine are selected ..." or the
    # "job: (g=0): rw=..." lines for several jobs; they are part of fio's real stdout.
    start = re.search(r"^\{", raw, re.MULTILINE)
    if start is None or start.start() == 0:
        return raw
    return "\n" * raw.count("\n", 0, start.start()) + raw[start.start() :]


def check_job_succeeded(document: Mapping[str, Any], index: int) -> None:
    error = value_at(document, ["jobs", index, "error"], tool=TOOL)
    if error:
        name = value_at(document, ["jobs", index, "jobname"], tool=TOOL)
        reason = f" ({os.strerror(error)})" if isinstance(error, int) and 0 < error < 4096 else ""
        raise ParseError(
            f"fio job {name!r} failed with error {error}{reason}",
            field=format_path(["jobs", index, "error"]),
        )


def run_workload(
    document: Mapping[str, Any], global_options: Mapping[str, Any]
) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """The benchmark all jobs run and the workload parameters they ran with, or ParseError
    if jobs run different workloads (or an rw we define no benchmark for)."""
    workloads = []
    for index in range(len(document["jobs"])):
        job = mapping_at(document, ["jobs", index], tool=TOOL)
        job_options = job.get("job options", {})
        if not isinstance(job_options, Mapping):
            where = format_path(["jobs", index, "job options"])
            raise ParseError(f"fio output's {where!r} is not an object", field=where)
        options = {**global_options, **job_options}
        # fio's defaults when an option is not given: rw=read, bs=4k.
        rw = str(options.get("rw", options.get("readwrite", "read")))
        bs = str(options.get("bs", options.get("blocksize", "4k")))
        workloads.append((job.get("jobname", ""), rw, bs, block_size(bs, options), options))

    if len({(rw, size) for _, rw, _, size, _ in workloads}) > 1:
        listed = ", ".join(f"{name!r} rw={rw} bs={bs}" for name, rw, bs, _, _ in workloads)
        raise ParseError(
            f"fio jobs run different workloads ({listed}); submit one workload per run",
            field="jobs",
        )
    _, rw, bs, size, options = workloads[0]
    if size is None or rw not in WORKLOADS:
        raise ParseError(
            f"fio workload rw={rw} bs={bs} is not a benchmark we define; "
            f"supported: {SUPPORTED_WORKLOADS}",
            field="global options" if "rw" in global_options else "jobs[0].job options",
        )
    benchmark, directions = WORKLOADS[rw]
    # Clones reported apart are separate jobs; under --group_reporting only the option says.
    numjobs = _whole(options.get("numjobs"), DEFAULTS["numjobs"])
    if numjobs.isdigit():
        numjobs = str(max(len(workloads), int(numjobs)))
    workload = {
        "rw": rw,
        "bs": str(size),
        "iodepth": _whole(options.get("iodepth"), DEFAULTS["iodepth"]),
        "numjobs": numjobs,
        "direct": _whole(options.get("direct"), DEFAULTS["direct"]),
        "ioengine": str(options.get("ioengine", DEFAULTS["ioengine"]))[:40],
        "size": str(options.get("size", ""))[:40],
    }
    if rw == "randrw":
        workload["rwmixread"] = _whole(options.get("rwmixread"), DEFAULTS["rwmixread"])
    return benchmark, directions, workload


def _whole(value: Any, default: str) -> str:
    """A whole-number option as fio records it (text), or its default; odd values kept
    short as text so they still make their own variant."""
    text = str(default if value is None else value).strip()
    return text if text.isascii() and text.isdigit() and len(text) < 10 else text[:20] + "?"


def block_size(text: str, options: Mapping[str, Any]) -> int | None:
    """bs in bytes, or None when it is not one size for every direction (e.g. "4k,64k")."""
    # fio's default kb_base=1024 makes k/K/KB/KiB all 1024; kb_base=1000 keeps KiB at 1024.
    kb_base = 1000 if str(options.get("kb_base", "1024")) == "1000" else 1024
    sizes = set()
    for part in text.split(","):
        if not part:
            continue  # "bs=,8k" leaves one direction at its default
        match = SIZE.fullmatch(part.strip())
        if match is None or len(match["number"]) > 15:  # no device has a petabyte block
            return None
        base = 1024 if match["iec"] else kb_base
        sizes.add(int(match["number"]) * base ** PREFIX_POWER[match["prefix"].lower()])
    return sizes.pop() if len(sizes) == 1 else None


def job_labels(document: Mapping[str, Any]) -> list[str]:
    """Job names, numbered "name#1", "name#2" where clones (--numjobs) share one name."""
    names = [str(job.get("jobname", "")) for job in document["jobs"]]
    counts = Counter(names)
    seen: Counter[str] = Counter()
    labels = []
    for name in names:
        seen[name] += 1
        labels.append(f"{name}#{seen[name]}" if counts[name] > 1 else name)
    return labels


def direction_results(
    document: Mapping[str, Any], index: int, direction: str, *, job: str
) -> list[ParsedResult]:
    path: list[str | int] = ["jobs", index, direction]
    stats = mapping_at(document, path, tool=TOOL)
    io_field = "io_bytes" if "io_bytes" in stats else "io_kbytes"
    if number_at(document, [*path, io_field], tool=TOOL) == 0:
        name = document["jobs"][index].get("jobname", "")
        raise ParseError(
            f"fio job {name!r} did no {direction}s ({format_path([*path, io_field])} is 0)",
            field=format_path([*path, io_field]),
        )

    iops_stddev = sampled_stddev(document, path, stats, "iops_stddev", "iops_samples")
    if "bw_bytes" in stats:
        bandwidth = number_at(document, [*path, "bw_bytes"], tool=TOOL) / MIB
    else:
        bandwidth = number_at(document, [*path, "bw"], tool=TOOL) / 1024  # KiB/s
    bw_stddev = sampled_stddev(document, path, stats, "bw_dev", "bw_samples")  # KiB/s
    latency = completion_latency_us(document, path, stats)

    results = [
        ParsedResult(
            f"{direction}-iops",
            number_at(document, [*path, "iops"], tool=TOOL),
            "IOPS",
            job=job,
            stddev=iops_stddev,
        ),
        ParsedResult(
            f"{direction}-bw",
            bandwidth,
            "MiB/s",
            job=job,
            stddev=None if bw_stddev is None else bw_stddev / 1024,
        ),
        ParsedResult(
            f"{direction}-lat-mean",
            latency["mean"],
            "us",
            job=job,
            stddev=latency.get("stddev"),
            percentiles={name: latency[name] for name in PERCENTILES.values() if name in latency},
        ),
    ]
    results += [
        ParsedResult(f"{direction}-{metric}", latency[name], "us", job=job)
        for name, metric in PERCENTILE_METRICS.items()
        if name in latency
    ]
    return results


def direction_totals(per_job: list[ParsedResult], direction: str) -> list[ParsedResult]:
    """Whole-run sums of jobs that ran side by side; latencies do not add up, so none."""
    return [
        ParsedResult(metric, sum(r.value for r in per_job if r.metric == metric and r.job), unit)
        for metric, unit in ((f"{direction}-iops", "IOPS"), (f"{direction}-bw", "MiB/s"))
    ]


def sampled_stddev(
    document: Mapping[str, Any],
    path: list[str | int],
    stats: Mapping[str, Any],
    stddev_key: str,
    samples_key: str,
) -> float | None:
    """fio's stddev over its per-interval samples; None with fewer than two samples."""
    samples = stats.get(samples_key)
    # A run shorter than two of fio's sampling intervals reports a meaningless 0.
    if stddev_key not in stats or not isinstance(samples, int) or samples < 2:
        return None
    return number_at(document, [*path, stddev_key], tool=TOOL)


def completion_latency_us(
    document: Mapping[str, Any], path: list[str | int], stats: Mapping[str, Any]
) -> dict[str, float]:
    """Mean, stddev and the percentiles we keep of the completion latency, in microseconds."""
    # fio 3.x reports "clat_ns" in nanoseconds; fio 2.x reported "clat" in microseconds.
    key, divisor = ("clat", 1) if "clat" in stats and "clat_ns" not in stats else ("clat_ns", 1000)
    clat = [*path, key]
    summary = mapping_at(document, clat, tool=TOOL)
    latency = {"mean": number_at(document, [*clat, "mean"], tool=TOOL) / divisor}
    if "stddev" in summary:
        latency["stddev"] = number_at(document, [*clat, "stddev"], tool=TOOL) / divisor
    # The percentile list is configurable (percentile_list=); keep the ones fio reported.
    if "percentile" in summary:
        for fio_key in mapping_at(document, [*clat, "percentile"], tool=TOOL):
            ours = PERCENTILES.get(percentile_of(fio_key))
            if ours:
                value = number_at(document, [*clat, "percentile", fio_key], tool=TOOL)
                latency[ours] = value / divisor
    return latency


def percentile_of(fio_key: str) -> float | None:
    try:
        return float(fio_key)
    except ValueError:
        return None


def recorded_command_line(global_options: Mapping[str, Any], jobs: list[Any]) -> str:
    """fio's recorded options as flags; fio leaves out flag-only options like --time_based."""
    words = ["fio", *option_flags(global_options)]
    seen: list[Any] = []
    for job in jobs:
        options = job.get("job options", {}) if isinstance(job, Mapping) else {}
        if options in seen:
            continue  # --numjobs clones record the same options once each
        seen.append(options)
        words += option_flags(options)
    return shlex.join(words)


def option_flags(options: Mapping[str, Any]) -> list[str]:
    return [f"--{name}={value}" if value != "" else f"--{name}" for name, value in options.items()]
