"""`submit` against a live portal: real tool outputs land, repeats change nothing, refusals
are reported and never recorded as sent, and paired runs land on one host."""

import argparse
import json
import shutil

import pytest
from helpers import DATA

from benchmarks.models import Environment, Run

pytestmark = pytest.mark.usefixtures("transactional_db", "benchmark_catalog")

OUTPUTS = {
    "sysbench-cpu.1.txt": "sysbench/cpu-2s.txt",
    "sysbench-memory.1.txt": "sysbench/memory-2s.txt",
    "fio-randread-4k.1.json": "fio/randread-4k-qd32.json",
    "fio-randwrite-4k.1.json": "fio/randwrite-4k-qd32.json",
}
# A second, different measurement of the same benchmarks (the kit's own quick run): the portal
# refuses one measurement claimed for two platforms.
KIT_RUN = {name: f"kit/{name}" for name in OUTPUTS}
FACTS = {
    "cpu": {"model": "AMD EPYC 7443P 24-Core Processor", "sockets": 1, "cores": 24}
    | {"threads": 48, "numa_nodes": 1},
    "memory_gib": 251.5,
    "os": {"distribution": "Debian GNU/Linux 12 (bookworm)", "kernel": "6.1.0-28-amd64"},
    "governor": "performance",
    "mitigations": {"mitigated": ["spectre_v2"]},
    "storage": {"bus": "NVMe", "model": "Samsung SSD 980", "rotational": False}
    | {"filesystem": "ext4", "device": "nvme0n1"},
    "paravirtual": [],
}


@pytest.fixture
def token(submitter):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=submitter).key


def results_folder(
    kit, path, platform="bare-metal", release=None, tag=None, facts=FACTS, outputs=OUTPUTS
):
    """A finished quick run, as `run` leaves it, with real recorded tool outputs."""
    args = argparse.Namespace(suite="quick", repeat=None, target_dir="/tmp/vcbench")
    args.iperf3_server = None
    kind = "bare-metal" if platform == "bare-metal" else "guest"
    detection = kit.Detection(kind, candidates=(platform,), certain=True, reasons=("test",))
    session = kit.new_session(
        args, kit.BUNDLED_BENCHMARKS, detection, facts, platform, release, "test", tag
    )
    kit.save_session(str(path), session)
    (path / "raw").mkdir()
    for name, source in outputs.items():
        shutil.copy(DATA / source, path / "raw" / name)
    return path


def submit(kit, capsys, folder, server, token, *extra):
    code = kit.main(["submit", str(folder), "--server", server, "--token", token, *extra])
    return code, capsys.readouterr().out


def test_runs_land_and_submitting_again_changes_nothing(kit, capsys, live_server, token, tmp_path):
    folder = results_folder(kit, tmp_path / "out")
    code, out = submit(kit, capsys, folder, live_server.url, token)
    assert code == 0, out
    assert "4 accepted, 0 flagged for review, 0 already sent, 0 refused, 0 not sent." in out
    runs = Run.objects.select_related("environment", "benchmark")
    assert sorted(r.benchmark.slug for r in runs) == [
        "fio-randread-4k",
        "fio-randwrite-4k",
        "sysbench-cpu",
        "sysbench-memory",
    ]
    run = runs.get(benchmark__slug="sysbench-cpu")
    assert run.environment.cpu_model == "AMD EPYC 7443P 24-Core Processor"
    assert run.environment.storage == "NVMe Samsung SSD 980 SSD, ext4"
    assert run.notes.startswith("virtcompare-bench 1.1.0 · suite quick · repetition 1 of 1")
    assert run.raw_payload == (DATA / "sysbench/cpu-2s.txt").read_text()
    ledger = json.loads((folder / "sent.json").read_text())[live_server.url]
    assert ledger["sysbench-cpu.1.txt"]["url"] == f"{live_server.url}/runs/{run.pk}/"

    code, out = submit(kit, capsys, folder, live_server.url, token)
    assert code == 0
    assert "0 accepted, 0 flagged for review, 4 already sent" in out
    code, out = submit(kit, capsys, folder, live_server.url, token, "--again")
    assert code == 0
    assert out.count("(already stored)") == 4
    assert "0 accepted, 0 flagged for review, 4 already sent" in out  # nothing new stored
    assert Run.objects.count() == 4


def test_a_refused_output_is_reported_and_never_marked_sent(
    kit, capsys, live_server, token, tmp_path
):
    folder = results_folder(kit, tmp_path / "out")
    truncated = DATA / "fio/broken-randread-4k-truncated-half.json"
    shutil.copy(truncated, folder / "raw" / "fio-randwrite-4k.1.json")
    code, out = submit(kit, capsys, folder, live_server.url, token)
    assert code == 1
    assert "3 accepted, 0 flagged for review, 0 already sent, 1 refused, 0 not sent." in out
    refused = next(line for line in out.splitlines() if line.startswith("refused"))
    assert "fio-randwrite-4k.1.json" in refused
    assert "400: raw:" in refused  # the server's own message
    ledger = json.loads((folder / "sent.json").read_text())[live_server.url]
    assert "fio-randwrite-4k.1.json" not in ledger

    shutil.copy(DATA / "fio/randwrite-4k-qd32.json", folder / "raw" / "fio-randwrite-4k.1.json")
    code, out = submit(kit, capsys, folder, live_server.url, token)
    assert code == 0
    assert "1 accepted, 0 flagged for review, 3 already sent" in out
    assert Run.objects.count() == 4


def test_a_bad_token_stops_at_once_and_records_nothing(kit, capsys, live_server, tmp_path):
    folder = results_folder(kit, tmp_path / "out")
    code, out = submit(kit, capsys, folder, live_server.url, "not-a-token")
    assert code == 1
    assert "The server refused the token; stopping." in out
    assert [line.split()[0] for line in out.splitlines()].count("refused") == 1
    assert not (folder / "sent.json").exists()
    assert Run.objects.count() == 0


def test_an_unreachable_server_is_not_sent_and_not_recorded(kit, capsys, tmp_path):
    folder = results_folder(kit, tmp_path / "out")
    code, out = submit(kit, capsys, folder, "http://127.0.0.1:9", "token")
    assert code == 1
    assert "0 accepted, 0 flagged for review, 0 already sent, 0 refused, 4 not sent." in out
    assert not (folder / "sent.json").exists()


def test_dry_run_writes_the_exact_requests_and_sends_nothing(kit, capsys, live_server, tmp_path):
    folder = results_folder(kit, tmp_path / "out")
    requests_file = tmp_path / "requests.jsonl"
    code = kit.main(
        ["submit", str(folder), "--server", live_server.url, "--dry-run", str(requests_file)]
    )
    assert code == 0
    requests = [json.loads(line) for line in requests_file.read_text().splitlines()]
    assert len(requests) == 4
    first = requests[0]
    assert first["url"] == f"{live_server.url}/api/v1/runs/"
    assert first["headers"]["Authorization"] == "Token <your token>"
    assert first["headers"]["Idempotency-Key"].startswith("vcb-")
    assert first["body"]["format"] == "sysbench"
    assert first["body"]["environment"]["cpu_model"] == "AMD EPYC 7443P 24-Core Processor"
    assert Run.objects.count() == 0


def test_paired_bare_metal_and_vm_runs_land_on_one_host(kit, capsys, live_server, token, tmp_path):
    tag = kit.pair_tag("7KQ2M-9XD4T")
    host = results_folder(kit, tmp_path / "host", tag=tag)
    guest_facts = json.loads(json.dumps(FACTS))
    guest_facts["cpu"] = {"model": "QEMU Virtual CPU version 2.5+", "sockets": 1, "cores": 8}
    guest_facts["cpu"] |= {"threads": 8, "numa_nodes": 1}
    guest_facts["memory_gib"] = 15.6
    guest = results_folder(kit, tmp_path / "vm", "alpha", "2.0", tag, guest_facts, KIT_RUN)
    assert submit(kit, capsys, host, live_server.url, token)[0] == 0
    assert submit(kit, capsys, guest, live_server.url, token)[0] == 0
    (environment,) = Environment.objects.all()
    assert environment.cpu_model == f"Paired host {tag}"
    assert "AMD EPYC 7443P 24-Core Processor" in environment.bios_notes
    platforms = set(environment.runs.values_list("platform__slug", flat=True))
    assert platforms == {"alpha", "bare-metal"}
    assert environment.runs.count() == 8
    vm_run = environment.runs.filter(platform__slug="alpha").first()
    assert vm_run.vm_vcpus == 8
    assert "cpu seen: QEMU Virtual CPU version 2.5+" in vm_run.notes
