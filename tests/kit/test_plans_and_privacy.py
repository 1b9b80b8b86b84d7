"""The kit runs the portal's command lines as defined, and sends nothing that identifies the
machine: scrubbed outputs still parse to exactly the same results on the server."""

import json
import shlex

import pytest
from helpers import DATA, REPO

from benchmarks.parsers import parse

KIT = REPO / "kit" / "virtcompare_bench.py"


def definition(kit, slug):
    return next(b for b in kit.BUNDLED_BENCHMARKS if b["slug"] == slug)


def test_fio_runs_the_defined_command_with_only_the_test_file_placed(kit):
    plan = kit.plan_for(definition(kit, "fio-randread-4k"), "/srv/t", "/tmp/w")
    (step,) = plan.steps
    expected = shlex.split(definition(kit, "fio-randread-4k")["command"])
    assert step.argv == [
        "--filename=/srv/t/virtcompare-bench.fio" if a == "--filename=/path/to/testfile" else a
        for a in expected
    ]
    assert (plan.fmt, plan.seconds, step.keep) == ("fio-json", 60, True)


def test_a_suite_shortens_only_the_measuring_time_never_the_workload(kit):
    seconds = kit.SUITES["standard"]["seconds"]
    for slug in kit.SUITES["standard"]["benchmarks"]:
        defined = definition(kit, slug)
        plan = kit.plan_for(defined, "/srv/t", "/tmp/w", seconds=seconds[defined["tool"]])
        assert plan.seconds == seconds[defined["tool"]]
        run = next(s for s in plan.steps if s.keep or plan.result_file)
        as_defined = kit.plan_for(defined, "/srv/t", "/tmp/w")
        before = next(s for s in as_defined.steps if s.keep or plan.result_file).argv
        changed = [(a, b) for a, b in zip(before, run.argv, strict=True) if a != b]
        assert len(changed) == 1  # --runtime=60 -> --runtime=30, --time=30 -> --time=20...
        assert str(seconds[defined["tool"]]) in changed[0][1]
    assert kit.with_seconds("stress-ng --cpu 1 --timeout 60s --metrics", 30) == (
        "stress-ng --cpu 1 --timeout 30s --metrics"
    )
    assert kit.with_seconds("iperf3 -c <server> -P 1 -t 30 -J", None) == (
        "iperf3 -c <server> -P 1 -t 30 -J"
    )


def test_sysbench_fileio_prepares_runs_and_always_cleans_up_in_the_target_dir(kit):
    plan = kit.plan_for(definition(kit, "sysbench-fileio"), "/srv/t", "/tmp/w")
    assert [s.argv[-1] for s in plan.steps] == ["prepare", "run", "cleanup"]
    assert [s.keep for s in plan.steps] == [False, True, False]
    assert [s.always for s in plan.steps] == [False, False, True]
    assert {s.cwd for s in plan.steps} == {"/srv/t/virtcompare-bench-fileio"}
    assert plan.steps[1].argv == shlex.split(
        "sysbench fileio --file-total-size=4G --file-test-mode=rndrw --threads=1 --time=30 run"
    )


def test_stress_ng_result_is_its_yaml_file(kit):
    plan = kit.plan_for(definition(kit, "stress-ng"), "/srv/t", "/tmp/w")
    assert plan.result_file == "/tmp/w/stress-ng.yaml"
    assert plan.steps[0].argv == shlex.split(definition(kit, "stress-ng")["command"])


def test_iperf3_runs_the_client_side_against_the_named_server(kit):
    plan = kit.plan_for(definition(kit, "iperf3-udp"), "/srv/t", "/tmp/w", "198.51.100.7")
    assert plan.steps[0].argv == shlex.split("iperf3 -c 198.51.100.7 -u -b 1G -P 1 -t 30 -J")
    with pytest.raises(kit.KitError, match="--iperf3-server"):
        kit.plan_for(definition(kit, "iperf3-tcp"), "/srv/t", "/tmp/w")


def test_suites_run_whole_rounds_and_add_iperf3_only_with_a_server(kit):
    items = kit.suite_items("standard", 2, kit.BUNDLED_BENCHMARKS, with_network=False)
    assert len(items) == 18
    assert items[0] == ("fio-randread-4k", 1)
    assert items[9] == ("fio-randread-4k", 2)
    assert not any(slug.startswith("iperf3") for slug, _ in items)
    quick = kit.suite_items("quick", 1, kit.BUNDLED_BENCHMARKS, with_network=True)
    assert [s for s, _ in quick][-1] == "iperf3-tcp"


@pytest.mark.parametrize(
    ("fmt", "path"),
    [
        ("stress-ng-yaml", "stress-ng/cpu-vm-matrix-memcpy-2s.yaml"),
        ("iperf3-json", "iperf3/tcp-2s.json"),
        ("iperf3-json", "iperf3/udp-100m-2s.json"),
        ("fio-json", "fio/randread-4k-qd32.json"),
        ("sysbench", "sysbench/fileio-rndrw-2s.txt"),
    ],
)
def test_scrubbed_outputs_parse_to_the_same_results(kit, fmt, path):
    raw = (DATA / path).read_text()
    scrubbed = kit.scrub(raw, fmt, "/tmp/vcbench")
    original, sent = parse(fmt, raw), parse(fmt, scrubbed)
    assert sent.benchmark == original.benchmark
    assert sent.results == original.results


def test_stress_ng_hostname_and_user_do_not_leave(kit):
    raw = (DATA / "stress-ng/cpu-vm-matrix-memcpy-2s.yaml").read_text()
    scrubbed = kit.scrub(raw, "stress-ng-yaml")
    assert "hostname: vm" in raw
    assert "hostname: redacted" in scrubbed
    assert "nodename: redacted" in scrubbed
    assert "run-by: redacted" in scrubbed
    assert "stressor: vm" in scrubbed  # the vm stressor is not the host called "vm"


def test_iperf3_addresses_hostname_and_cookie_do_not_leave(kit):
    raw = (DATA / "iperf3/tcp-2s.json").read_text()
    sent = json.loads(kit.scrub(raw, "iperf3-json"))
    start = sent["start"]
    assert start["system_info"].split(" ")[1] == "redacted"
    assert start["connecting_to"]["host"] == "redacted"
    assert {c["local_host"] for c in start["connected"]} == {"redacted"}
    assert "cookie" not in start
    assert "127.0.0.1" not in json.dumps(sent)


def test_fio_test_file_path_is_replaced(kit):
    raw = (DATA / "fio/randread-4k-qd32.json").read_text()
    scrubbed = kit.scrub(raw, "fio-json", "/tmp/vcbench")
    assert "/tmp/vcbench/" not in scrubbed
    assert "<target-dir>/fio.dat" in scrubbed


def facts(kit, tmp_path):
    return {
        "cpu": {"model": "AMD EPYC 7443P 24-Core Processor", "sockets": 1, "cores": 24}
        | {"threads": 48, "numa_nodes": 1},
        "memory_gib": 251.5,
        "os": {"distribution": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0-28-amd64"},
        "governor": "performance",
        "mitigations": {"mitigated": ["spectre_v2"], "not affected": ["meltdown"]},
        "storage": {"bus": "NVMe", "model": "Samsung SSD 980", "rotational": False}
        | {"filesystem": "ext4", "device": "nvme0n1"},
        "paravirtual": [],
    }


def test_bare_metal_sends_its_hardware_and_no_vm(kit, tmp_path):
    environment, vm = kit.build_environment(facts(kit, tmp_path), "bare-metal")
    assert environment == {
        "cpu_model": "AMD EPYC 7443P 24-Core Processor",
        "sockets": 1,
        "cores": 24,
        "threads": 48,
        "memory_gb": 251.5,
        "storage": "NVMe Samsung SSD 980 SSD, ext4",
    }
    assert vm == {}


def test_a_guest_sends_its_shape_under_vm(kit, tmp_path):
    seen = facts(kit, tmp_path)
    seen["storage"] = {"bus": "virtio-blk", "model": "", "rotational": True, "filesystem": "xfs"}
    seen["paravirtual"] = ["virtio_blk", "virtio_net"]
    environment, vm = kit.build_environment(seen, "guest")
    assert environment == {"cpu_model": "AMD EPYC 7443P 24-Core Processor"}
    assert vm["vcpus"] == 48
    assert vm["disk_type"] == "virtio-blk, xfs"  # no HDD/SSD guess for a virtual disk
    assert vm["paravirtual_drivers"] == "virtio_blk, virtio_net"


def test_paired_runs_send_one_host_identity_whatever_the_side_sees(kit, tmp_path):
    tag = kit.pair_tag("7kq2m-9xd4t")
    assert tag == kit.pair_tag("7KQ2M 9XD4T")  # spelling does not matter
    host, _ = kit.build_environment(facts(kit, tmp_path), "bare-metal", tag)
    guest_facts = facts(kit, tmp_path)
    guest_facts["cpu"] = {"model": "QEMU Virtual CPU version 2.5+", "sockets": 1, "cores": 4}
    guest_facts["cpu"] |= {"threads": 4, "numa_nodes": 1}
    guest, vm = kit.build_environment(guest_facts, "guest", tag)
    hardware = ("cpu_model", "sockets", "cores", "threads", "memory_gb", "storage", "nic")
    assert {k: host.get(k) for k in hardware} == {k: guest.get(k) for k in hardware}
    assert host["cpu_model"] == f"Paired host {tag}"
    assert "AMD EPYC 7443P" in host["bios_notes"]  # the host side describes the box
    assert vm["vcpus"] == 4


def test_pairing_codes_are_checked(kit):
    code = kit.new_pair_code()
    assert len(code) == 11
    assert kit.normalize_pair_code(code) == code.replace("-", "")
    with pytest.raises(kit.KitError):
        kit.normalize_pair_code("short")


def test_the_environment_fields_are_the_ones_the_api_accepts_and_fit_their_columns(kit, tmp_path):
    from benchmarks.models import Environment, Run
    from benchmarks.submission import ENVIRONMENT_FIELDS, VM_FIELDS

    long = facts(kit, tmp_path)
    long["cpu"]["model"] = "C" * 300
    long["os"] = {"distribution": "D" * 300, "kernel": "K" * 300}
    long["storage"] = {"bus": "B" * 300, "model": "M" * 300, "filesystem": "ext4"}
    long["paravirtual"] = ["virtio_blk"] * 100
    long["nic"] = {"driver": "N" * 300, "speed_gbps": 10.0}
    for kind in ("bare-metal", "guest"):
        for tag in (None, "abc"):
            environment, vm = kit.build_environment(long, kind, tag)
            assert set(environment) <= set(ENVIRONMENT_FIELDS)
            assert set(vm) <= set(VM_FIELDS)
            for key, value in environment.items():
                limit = Environment._meta.get_field(key).max_length
                assert not isinstance(value, str) or limit is None or len(value) <= limit, key
            for key, value in vm.items():
                limit = Run._meta.get_field(VM_FIELDS[key]).max_length
                assert not isinstance(value, str) or limit is None or len(value) <= limit, key


def test_nothing_identifying_is_read(kit):
    text = KIT.read_text(encoding="utf-8")
    for source in ("product_serial", "product_uuid", "board_serial", "/etc/hostname", "/address"):
        assert source not in text, source
