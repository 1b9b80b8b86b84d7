"""benchmarks.parsers on real iperf3 -J outputs (tests/data/iperf3, see its README)."""

import json
import math
from pathlib import Path

import pytest
import yaml

from benchmarks.parsers import ParseError, parse

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "iperf3"
CATALOGUE = ROOT / "fixtures" / "benchmarks" / "benchmarks.yaml"
GOOD_RUNS = ["tcp-2s.json", "tcp-reverse-2s.json", "udp-100m-2s.json"]


def raw_text(name: str) -> str:
    return (DATA / name).read_text()


def raw_json(name: str) -> dict:
    return json.loads(raw_text(name))


def results_of(run) -> dict[str, tuple[float, str]]:
    assert {result.job for result in run.results} == {""}
    return {result.metric: (result.value, result.unit) for result in run.results}


@pytest.mark.parametrize("name", ["tcp-2s.json", "tcp-reverse-2s.json"])
def test_tcp_run_reports_the_sums_of_the_raw_file(name):
    end = raw_json(name)["end"]

    run = parse("iperf3-json", raw_text(name))

    assert run.benchmark == "iperf3-tcp"
    assert run.tool == "iperf3"
    assert run.tool_version == raw_json(name)["start"]["version"] == "iperf 3.12"
    assert results_of(run) == {
        "sent-throughput": (end["sum_sent"]["bits_per_second"] / 1e6, "Mbit/s"),
        "received-throughput": (end["sum_received"]["bits_per_second"] / 1e6, "Mbit/s"),
        "retransmits": (end["sum_sent"]["retransmits"], "count"),
    }


def test_udp_run_reports_the_sum_and_what_arrived():
    end = raw_json("udp-100m-2s.json")["end"]

    run = parse("iperf3-json", raw_text("udp-100m-2s.json"))

    assert run.benchmark == "iperf3-udp"
    assert results_of(run) == {
        "throughput": (end["sum"]["bits_per_second"] / 1e6, "Mbit/s"),
        "received-throughput": (end["sum_received"]["bits_per_second"] / 1e6, "Mbit/s"),
        "jitter": (end["sum"]["jitter_ms"], "ms"),
        "lost-percent": (end["sum"]["lost_percent"], "%"),
    }


def test_pinned_values():
    tcp = results_of(parse("iperf3-json", raw_text("tcp-2s.json")))
    udp = results_of(parse("iperf3-json", raw_text("udp-100m-2s.json")))

    assert tcp["sent-throughput"][0] == pytest.approx(27074.886006821846)
    assert tcp["received-throughput"][0] == pytest.approx(27073.870908721893)
    assert tcp["retransmits"] == (9, "count")
    assert udp["throughput"][0] == pytest.approx(100.00053596)
    assert udp["received-throughput"][0] == pytest.approx(99.99663638)
    assert udp["jitter"] == (0.015624064443075274, "ms")
    assert udp["lost-percent"] == (0, "%")


def test_command_line_records_what_iperf3_recorded_including_reverse():
    assert parse("iperf3-json", raw_text("tcp-2s.json")).command_line == (
        "iperf3 -c 127.0.0.1 -p 5201 -t 2 -J"
    )
    assert parse("iperf3-json", raw_text("tcp-reverse-2s.json")).command_line == (
        "iperf3 -c 127.0.0.1 -p 5201 -t 2 -R -J"
    )
    assert parse("iperf3-json", raw_text("udp-100m-2s.json")).command_line == (
        "iperf3 -c 127.0.0.1 -p 5201 -u -t 2 -b 100000000 -J"
    )


def test_an_already_decoded_object_parses_like_the_text():
    assert parse("iperf3-json", raw_json("tcp-2s.json")) == parse(
        "iperf3-json", raw_text("tcp-2s.json")
    )


def test_tcp_without_retransmit_counts_leaves_the_metric_out():
    # Senders that cannot read TCP_INFO (e.g. macOS) omit "retransmits"; derived from the real run.
    document = raw_json("tcp-2s.json")
    del document["end"]["sum_sent"]["retransmits"]

    assert "retransmits" not in results_of(parse("iperf3-json", document))


def test_udp_from_iperf3_without_sum_received_reports_the_sum_only():
    # Older iperf3 (before 3.11) wrote only end.sum for UDP; derived from the real run.
    document = raw_json("udp-100m-2s.json")
    del document["end"]["sum_sent"], document["end"]["sum_received"]

    assert set(results_of(parse("iperf3-json", document))) == {
        "throughput",
        "jitter",
        "lost-percent",
    }


@pytest.mark.parametrize(
    ("name", "message", "line", "field"),
    [
        (
            "error-connection-refused.json",
            "iperf3 reported an error: unable to connect to server: Connection refused",
            None,
            "error",
        ),
        (
            "tcp-bidir-2s.json",
            "iperf3 ran a bidirectional test (--bidir), which is not a benchmark we define; "
            "run each direction on its own (-R for server to client)",
            None,
            "end.sum_sent_bidir_reverse",
        ),
        ("broken-empty.json", "iperf3 output is empty", 1, None),
        (
            "broken-tcp-truncated.json",
            "iperf3 output is not valid JSON (cut short?): Unterminated string starting at "
            "(line 75, column 6)",
            75,
            None,
        ),
        (
            "broken-tcp-no-sum-received.json",
            "iperf3 output has no 'end.sum_received.bits_per_second' "
            "(missing 'sum_received' under end)",
            None,
            "end.sum_received.bits_per_second",
        ),
    ],
)
def test_bad_output_is_refused_with_what_and_where(name, message, line, field):
    with pytest.raises(ParseError) as caught:
        parse("iperf3-json", raw_text(name))

    assert str(caught.value) == message
    assert caught.value.line == line
    assert caught.value.field == field


def test_foreign_json_is_refused():
    fio_output = (ROOT / "tests" / "data" / "fio" / "randread-4k-qd32.json").read_text()

    with pytest.raises(ParseError) as caught:
        parse("iperf3-json", fio_output)

    assert str(caught.value) == "iperf3 output has no 'start' (missing 'start' under the top level)"
    assert caught.value.field == "start"


def test_other_protocols_are_not_benchmarks():
    document = raw_json("tcp-2s.json")
    document["start"]["test_start"]["protocol"] = "SCTP"

    with pytest.raises(ParseError, match=r"^iperf3 protocol 'SCTP' is not a benchmark we define"):
        parse("iperf3-json", document)


def test_negative_throughput_is_refused():
    document = raw_json("tcp-2s.json")
    document["end"]["sum_sent"]["bits_per_second"] = -1

    with pytest.raises(ParseError) as caught:
        parse("iperf3-json", document)

    assert str(caught.value) == "iperf3 output's 'end.sum_sent.bits_per_second' is negative: -1"
    assert caught.value.field == "end.sum_sent.bits_per_second"


def test_every_metric_and_unit_emitted_is_in_the_catalogue():
    catalogue = yaml.safe_load(CATALOGUE.read_text())
    units = {(b["slug"], m["slug"]): m["unit"] for b in catalogue for m in b["metrics"]}
    tools = {b["slug"]: b["tool"] for b in catalogue}

    for name in GOOD_RUNS:
        run = parse("iperf3-json", raw_text(name))
        assert tools[run.benchmark] == run.tool == "iperf3"
        for result in run.results:
            assert units[(run.benchmark, result.metric)] == result.unit, (name, result)
            assert math.isfinite(result.value)
            assert result.value >= 0
