"""iperf3 `-J` (client side) → ParsedRun."""

import shlex
from collections.abc import Mapping
from typing import Any

from .base import (
    ParsedResult,
    ParsedRun,
    ParseError,
    decode_json,
    identity_of,
    mapping_at,
    number_at,
)

TOOL = "iperf3"
MEGABIT = 1_000_000  # iperf3's bits_per_second are decimal bits


def parse_iperf3_json(raw: str | Mapping[str, Any]) -> ParsedRun:
    document = decode_json(raw, tool=TOOL)
    # A failed run still writes JSON: the reason is in "error", the figures are empty.
    if "error" in document:
        raise ParseError(f"iperf3 reported an error: {document['error']}", field="error")
    start = mapping_at(document, ["start"], tool=TOOL)
    test_start = mapping_at(document, ["start", "test_start"], tool=TOOL)
    end = mapping_at(document, ["end"], tool=TOOL)

    if "sum_sent_bidir_reverse" in end or test_start.get("bidir"):
        raise ParseError(
            "iperf3 ran a bidirectional test (--bidir), which is not a benchmark we define; "
            "run each direction on its own (-R for server to client)",
            field="end.sum_sent_bidir_reverse",
        )
    protocol = test_start.get("protocol")
    if protocol == "TCP":
        benchmark, results = "iperf3-tcp", tcp_results(document)
    elif protocol == "UDP":
        benchmark, results = "iperf3-udp", udp_results(document)
    else:
        raise ParseError(
            f"iperf3 protocol {protocol!r} is not a benchmark we define; "
            "supported: TCP (iperf3-tcp), UDP (iperf3-udp)",
            field="start.test_start.protocol",
        )

    version = start.get("version")
    return ParsedRun(
        benchmark=benchmark,
        tool=TOOL,
        tool_version=version if isinstance(version, str) else "",
        command_line=recorded_command_line(start, test_start),
        results=tuple(results),
        workload={
            "protocol": str(protocol),
            "streams": str(test_start.get("num_streams", 1))[:10],
            "reverse": "1" if test_start.get("reverse") else "0",
            **(
                {"bitrate": str(test_start.get("target_bitrate", ""))[:20]}
                if protocol == "UDP"
                else {}
            ),
        },
        # iperf3 gives every test a random cookie; with the start time it names one test.
        identity=identity_of(start.get("cookie"), start.get("timestamp")),
    )


def tcp_results(document: Mapping[str, Any]) -> list[ParsedResult]:
    sent = ["end", "sum_sent"]
    received = ["end", "sum_received"]
    results = [
        ParsedResult(
            "sent-throughput",
            number_at(document, [*sent, "bits_per_second"], tool=TOOL) / MEGABIT,
            "Mbit/s",
        ),
        ParsedResult(
            "received-throughput",
            number_at(document, [*received, "bits_per_second"], tool=TOOL) / MEGABIT,
            "Mbit/s",
        ),
    ]
    # Only senders that can read TCP_INFO (Linux, FreeBSD) report retransmits.
    if "retransmits" in mapping_at(document, sent, tool=TOOL):
        retransmits = number_at(document, [*sent, "retransmits"], tool=TOOL)
        results.append(ParsedResult("retransmits", retransmits, "count"))
    return results


def udp_results(document: Mapping[str, Any]) -> list[ParsedResult]:
    total = ["end", "sum"]
    results = [
        # end.sum mixes both sides: the sender's bytes and bitrate, the receiver's jitter and loss.
        ParsedResult(
            "throughput",
            number_at(document, [*total, "bits_per_second"], tool=TOOL) / MEGABIT,
            "Mbit/s",
        ),
        ParsedResult("jitter", number_at(document, [*total, "jitter_ms"], tool=TOOL), "ms"),
        ParsedResult("lost-percent", number_at(document, [*total, "lost_percent"], tool=TOOL), "%"),
    ]
    # iperf3 3.11+ also reports what arrived, which is what an offered-rate test measures.
    if "sum_received" in document["end"]:
        received = number_at(document, ["end", "sum_received", "bits_per_second"], tool=TOOL)
        results.insert(1, ParsedResult("received-throughput", received / MEGABIT, "Mbit/s"))
    return results


def recorded_command_line(start: Mapping[str, Any], test_start: Mapping[str, Any]) -> str:
    """The client flags iperf3 records in "start" (it does not record its argv)."""
    words = ["iperf3"]
    target = start.get("connecting_to")
    if isinstance(target, Mapping):
        words += ["-c", str(target.get("host", "")), "-p", str(target.get("port", ""))]
    if test_start.get("protocol") == "UDP":
        words.append("-u")
    if test_start.get("num_streams", 1) != 1:
        words += ["-P", str(test_start["num_streams"])]
    if test_start.get("bytes"):
        words += ["-n", str(test_start["bytes"])]
    elif test_start.get("blocks"):
        words += ["-k", str(test_start["blocks"])]
    else:
        words += ["-t", str(test_start.get("duration", ""))]
    if test_start.get("target_bitrate"):
        words += ["-b", str(test_start["target_bitrate"])]
    if test_start.get("reverse"):
        words.append("-R")
    return shlex.join([*words, "-J"])
