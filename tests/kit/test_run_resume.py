"""Interrupting a run keeps what finished; resuming runs only the rest.

The tools are stand-ins on PATH that log each call and print a real recorded output, so the
kit's own process handling (new session per tool, Ctrl-C, atomic writes, resume) is what
is tested, in seconds rather than minutes."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from helpers import DATA, REPO

KIT = REPO / "kit" / "virtcompare_bench.py"
FAKE = """#!/bin/sh
echo "$(basename "$0") $*" >> "$KIT_TEST_LOG"
sleep "$KIT_TEST_DELAY"
case "$*" in
  *--rw=randread*) cat "$KIT_TEST_DATA/fio/randread-4k-qd32.json" ;;
  *--rw=randwrite*) cat "$KIT_TEST_DATA/fio/randwrite-4k-qd32.json" ;;
  *cpu*) cat "$KIT_TEST_DATA/sysbench/cpu-2s.txt" ;;
  *memory*) cat "$KIT_TEST_DATA/sysbench/memory-2s.txt" ;;
  *) echo "unexpected call" >&2; exit 3 ;;
esac
"""


@pytest.fixture
def fake_tools(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("fio", "sysbench"):
        path = bin_dir / tool
        path.write_text(FAKE)
        path.chmod(0o755)
    log = tmp_path / "calls.log"
    log.touch()
    env = dict(os.environ)
    env.update(
        PATH=f"{bin_dir}:{env['PATH']}",
        KIT_TEST_LOG=str(log),
        KIT_TEST_DELAY="1",
        KIT_TEST_DATA=str(DATA),
    )
    return env, log


def kit_command(tmp_path, *extra):
    target = tmp_path / "target"
    target.mkdir(exist_ok=True)
    return [
        sys.executable,
        str(KIT),
        "run",
        "--suite",
        "quick",
        "--platform",
        "kvm@11.1",
        "--override-detection",
        "--target-dir",
        str(target),
        "--out",
        str(tmp_path / "out"),
        *extra,
    ]


def wait_for(path, timeout=30):
    deadline = time.time() + timeout
    while not path.exists():
        assert time.time() < deadline, f"{path} never appeared"
        time.sleep(0.1)


def test_sigint_keeps_finished_runs_and_resume_does_not_repeat_them(tmp_path, fake_tools):
    env, log = fake_tools
    raw = tmp_path / "out" / "raw"
    kit = subprocess.Popen(
        kit_command(tmp_path), env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    wait_for(raw / "sysbench-memory.1.txt")
    time.sleep(0.3)  # the third run (fio, which takes a second) is under way
    kit.send_signal(signal.SIGINT)
    _, err = kit.communicate(timeout=30)
    assert kit.returncode == 130, err
    assert "Resume with:" in err
    assert sorted(p.name for p in raw.iterdir()) == ["sysbench-cpu.1.txt", "sysbench-memory.1.txt"]
    assert not (tmp_path / "target" / "virtcompare-bench.fio").exists()  # cleaned up
    calls_before = log.read_text().splitlines()
    assert [c.split()[1] for c in calls_before[:2]] == ["cpu", "memory"]

    resumed = subprocess.run(
        [sys.executable, str(KIT), "run", "--resume", "--out", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming: 2 of 4 already finished, not repeated" in resumed.stderr
    calls_after = log.read_text().splitlines()[len(calls_before) :]
    assert [c.split()[0] for c in calls_after] == ["fio", "fio"]
    assert sorted(p.name for p in raw.iterdir()) == [
        "fio-randread-4k.1.json",
        "fio-randwrite-4k.1.json",
        "sysbench-cpu.1.txt",
        "sysbench-memory.1.txt",
    ]
    assert json.loads((raw / "fio-randwrite-4k.1.json").read_text())["jobs"]


def test_the_defined_command_lines_reach_the_tools_with_the_suites_measuring_time(
    tmp_path, fake_tools
):
    env, log = fake_tools
    env["KIT_TEST_DELAY"] = "0"
    done = subprocess.run(kit_command(tmp_path), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    # quick measures sysbench for 20 s and fio for 40 s; nothing else differs from the
    # definitions (--time=30 and --runtime=60 there).
    assert calls[0] == "sysbench cpu --cpu-max-prime=10000 --threads=1 --time=20 run"
    target = tmp_path / "target"
    assert calls[2] == (
        f"fio --name=randread-4k --filename={target}/virtcompare-bench.fio --size=4G "
        "--rw=randread --bs=4k --ioengine=libaio --direct=1 --iodepth=32 --numjobs=1 "
        "--runtime=40 --time_based --group_reporting --output-format=json"
    )
    # Not a terminal: plain lines, no progress bar.
    assert "\r" not in done.stderr
    assert "done   fio-randwrite-4k (1/1)" in done.stderr


def test_a_finished_folder_is_not_overwritten(tmp_path, fake_tools):
    env, _ = fake_tools
    env["KIT_TEST_DELAY"] = "0"
    assert subprocess.run(kit_command(tmp_path), env=env, capture_output=True).returncode == 0
    again = subprocess.run(kit_command(tmp_path), env=env, capture_output=True, text=True)
    assert again.returncode == 2
    assert "holds a finished run" in again.stderr


def test_a_failing_tool_is_logged_and_retried_on_resume(tmp_path, fake_tools):
    env, log = fake_tools
    env["KIT_TEST_DELAY"] = "0"
    broken = tmp_path / "bin" / "fio"
    broken.write_text('#!/bin/sh\necho "fio: cannot open file" >&2\nexit 1\n')
    done = subprocess.run(kit_command(tmp_path), env=env, capture_output=True, text=True)
    assert done.returncode == 1
    assert "FAILED fio-randread-4k (1/1)" in done.stderr
    assert (tmp_path / "out" / "failed" / "fio-randread-4k.1.json.log").exists()
    assert not (tmp_path / "out" / "raw" / "fio-randread-4k.1.json").exists()
    broken.write_text(FAKE)
    resumed = subprocess.run(
        [sys.executable, str(KIT), "run", "--resume", "--out", str(tmp_path / "out")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert (tmp_path / "out" / "raw" / "fio-randread-4k.1.json").exists()
