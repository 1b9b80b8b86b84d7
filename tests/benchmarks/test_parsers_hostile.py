"""Every parser stays linear on hostile input: 1 MiB of the shapes an attacker sends (long
runs of spaces, digits, nesting, repeated headers) parses or is refused quickly, and
doubling the input roughly doubles the time (a quadratic parser quadruples it).

Times are CPU time of this process, the best of several tries, so other load on the
machine moves them little. The target is 100 ms for 1 MiB on a quiet machine; the bound
asserted leaves room for a shared CI runner, the ratio catches a quadratic parser anyway.
"""

import contextlib
import json
import time
from pathlib import Path

import pytest

from benchmarks.parsers import ParseError, parse
from portal import safe_json

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
MIB = 1 << 20
SYSBENCH_CPU = (DATA / "sysbench" / "cpu-2s.txt").read_text()
FIO = (DATA / "fio" / "randread-4k-qd32.json").read_text()
STRESS_NG = (DATA / "stress-ng" / "cpu-vm-matrix-memcpy-2s.yaml").read_text()
ABSOLUTE_BOUND = 0.25  # seconds of CPU for 1 MiB (target on a quiet machine: 0.1)


def sysbench_latency_spaces(size):
    # The pattern that froze the site: a long run of spaces after "Latency (ms):".
    head, _, _ = SYSBENCH_CPU.partition("         min:")
    return head + " " * size + "x\n"


def sysbench_spaces_lines(size):
    return SYSBENCH_CPU.replace("General statistics:", " " * size + "\nGeneral statistics:")


def sysbench_digits(size):
    return SYSBENCH_CPU.replace("3051.39", "9" * size)


def sysbench_repeated_headers(size):
    block = "Latency (ms):\n         min:   0.27\n"
    return SYSBENCH_CPU + block * (size // len(block))


def sysbench_fatal_padding(size):
    return SYSBENCH_CPU.replace("Threads started!", "Doing " + " test " * (size // 6) + "x")


def fio_nesting(size):
    return '{"jobs": ' + "[" * size + "]" * size + "}"


def fio_digits(size):
    return FIO.replace('"iops" : 79126.957681', '"iops" : ' + "9" * size)


def fio_spaces(size):
    return FIO.replace('"iops" :', '"iops" :' + " " * size, 1)


def fio_long_block_size(size):
    return FIO.replace('"bs" : "4k"', '"bs" : "' + "4" * size + 'k"')


def fio_many_jobs(size):
    document = json.loads(FIO)
    count = max(2, size // len(json.dumps(document["jobs"][0])))
    return json.dumps({**document, "jobs": [document["jobs"][0]] * count})


def iperf3_nesting(size):
    return '{"start": ' + "{" * size + "}" * size + "}"


def iperf3_array(size):
    return '{"start": {"test_start": {}}, "end": [' + "1," * (size // 2) + "1]}"


def stress_ng_big(size):
    return STRESS_NG.replace("---\n", "---\n# " + "x" * size + "\n", 1)


def stress_ng_nesting(size):
    return "metrics: " + "[" * size + "]" * size + "\n...\n"


def stress_ng_aliases(size):
    lines = ["a: &a [1, 2, 3]"] + [f"b{i}: [*a, *a, *a]" for i in range(size // 20)]
    return "\n".join(lines) + "\n...\n"


HOSTILE = [
    ("sysbench", sysbench_latency_spaces),
    ("sysbench", sysbench_spaces_lines),
    ("sysbench", sysbench_digits),
    ("sysbench", sysbench_repeated_headers),
    ("sysbench", sysbench_fatal_padding),
    ("fio-json", fio_nesting),
    ("fio-json", fio_digits),
    ("fio-json", fio_spaces),
    ("fio-json", fio_long_block_size),
    ("fio-json", fio_many_jobs),
    ("iperf3-json", iperf3_nesting),
    ("iperf3-json", iperf3_array),
    ("stress-ng-yaml", stress_ng_big),
    ("stress-ng-yaml", stress_ng_nesting),
    ("stress-ng-yaml", stress_ng_aliases),
]


def cpu_seconds(fmt, text, tries=5):
    best = float("inf")
    for _ in range(tries):
        start = time.process_time()
        with contextlib.suppress(ParseError):
            parse(fmt, text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize(("fmt", "make"), HOSTILE, ids=[make.__name__ for _, make in HOSTILE])
def test_hostile_input_is_parsed_or_refused_in_linear_time(fmt, make):
    small, large = make(MIB // 4), make(MIB)
    assert len(large.encode()) >= MIB * 0.9
    slow = cpu_seconds(fmt, large)
    quick = cpu_seconds(fmt, small)
    assert slow < ABSOLUTE_BOUND, f"{make.__name__}: {slow * 1000:.0f} ms for 1 MiB"
    # 4x the input: linear is ~4x the time, quadratic 16x; 2 ms covers timer granularity.
    assert slow <= 8 * quick + 0.002, f"{make.__name__}: {quick:.4f}s → {slow:.4f}s"


def test_the_sysbench_freeze_input_is_refused_with_a_message():
    with pytest.raises(ParseError, match="latency block has no 'avg' row"):
        parse("sysbench", sysbench_latency_spaces(60_000))


def test_a_latency_row_still_parses_with_any_spacing():
    text = SYSBENCH_CPU.replace(
        "         avg:                                    0.33", "\tavg:0.33"
    )
    results = {r.metric: r.value for r in parse("sysbench", text).results}
    assert results["latency-avg"] == 0.33


@pytest.mark.parametrize(
    ("fmt", "text", "message"),
    [
        ("fio-json", fio_nesting(100), "nested deeper than 64 levels"),
        ("iperf3-json", iperf3_nesting(100), "nested deeper than 64 levels"),
        ("fio-json", FIO.replace('"iops" : 79126.957681', '"iops" : ' + "9" * 5000), "JSON"),
        ("fio-json", FIO.replace('"iops" : 79126.957681', '"iops" : ' + "9" * 400), "finite"),
        ("fio-json", FIO.replace('"iops" : 79126.957681', '"iops" : 1e999'), "finite"),
        ("fio-json", fio_long_block_size(5000), "not a benchmark we define"),
        ("fio-json", fio_many_jobs(MIB), "at most 64 per run"),
        ("stress-ng-yaml", stress_ng_big(MIB), "a real --yaml file is under"),
        ("stress-ng-yaml", stress_ng_nesting(100), "nested deeper than 16 levels"),
        ("stress-ng-yaml", stress_ng_aliases(100), "has an alias"),
        (
            "stress-ng-yaml",
            STRESS_NG.replace("epoch-secs: ", "epoch-secs: " + "9" * 5000, 1),
            "a number longer than 40 characters",
        ),
    ],
)
def test_hostile_documents_are_refused_by_name(fmt, text, message):
    with pytest.raises(ParseError, match=message):
        parse(fmt, text)


def test_bounded_json_measures_depth_like_a_reference_walk():
    def reference(text):
        depth = deepest = 0
        in_string = escaped = False
        for char in text:
            if in_string:
                escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
            elif char == '"':
                in_string = True
            elif char in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "]}":
                depth -= 1
        return deepest

    documents = [
        '{"a": "[[[[", "b": ["\\"[[[["]}',
        "[[[[]]]]",
        '[{"k[": [{}]}, [[[]]], "]]]"]',
        json.dumps([[[[{"x": ["\\\\"]}]]]]),
        "[" + "[]" * 10 + "]",
    ]
    for text in documents:
        deepest = reference(text)
        assert safe_json.nesting_depth_ok(text, deepest)
        assert not safe_json.nesting_depth_ok(text, deepest - 1)


def test_a_nested_raw_document_keeps_the_exact_text_it_was_sent_as():
    body = '{"format": "fio-json", "raw" :  {"b": 1,   "a": [1.50, "x\\"y"]} , "z": 2}'
    start, stop = safe_json.value_span(body, "raw")
    assert body[start:stop] == '{"b": 1,   "a": [1.50, "x\\"y"]}'
