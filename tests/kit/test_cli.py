"""The kit's small pieces: install commands, progress on a terminal, definitions from the portal."""

import io

import pytest


@pytest.mark.parametrize(
    ("os_info", "expected"),
    [
        ({"id": "ubuntu", "id_like": "debian"}, "sudo apt-get install -y fio sysbench"),
        ({"id": "debian", "id_like": ""}, "sudo apt-get install -y fio sysbench"),
        ({"id": "rocky", "id_like": "rhel centos fedora"}, "sudo dnf install -y fio sysbench"),
        ({"id": "fedora", "id_like": ""}, "sudo dnf install -y fio sysbench"),
        ({"id": "opensuse-leap", "id_like": "suse"}, "sudo zypper install -y fio sysbench"),
        ({"id": "sles", "id_like": "suse"}, "sudo zypper install -y fio sysbench"),
        ({"id": "alpine", "id_like": ""}, None),
    ],
)
def test_install_command_follows_the_distribution(kit, os_info, expected):
    assert kit.install_command(os_info, ["fio", "sysbench"]) == expected


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal_redraws_one_line_with_elapsed_and_eta(kit):
    stream = Terminal()
    progress = kit.Progress(total_seconds=180, stream=stream)
    progress.show(1, 4, "sysbench-cpu (1/1)", 30, 10)
    text = stream.getvalue()
    assert text.startswith("\r[")
    assert "1/4 sysbench-cpu (1/1) · elapsed 00:00 · ETA 02:50" in text
    assert "\n" not in text
    progress.line("done   sysbench-cpu (1/1) in 00:30")
    assert stream.getvalue().endswith("done   sysbench-cpu (1/1) in 00:30\n")


def test_progress_off_a_terminal_prints_nothing_but_the_lines(kit):
    stream = io.StringIO()
    progress = kit.Progress(total_seconds=180, stream=stream)
    progress.show(1, 4, "sysbench-cpu (1/1)", 30, 10)
    progress.line("start  fio")
    assert stream.getvalue() == "start  fio\n"


def test_measured_seconds_are_read_from_the_command_lines(kit):
    seconds = {b["slug"]: kit.measured_seconds(b["command"]) for b in kit.BUNDLED_BENCHMARKS}
    assert seconds["fio-randread-4k"] == 60
    assert seconds["sysbench-cpu"] == 30
    assert seconds["stress-ng"] == 60
    assert seconds["iperf3-tcp"] == 30


@pytest.mark.usefixtures("transactional_db", "benchmark_catalog")
def test_definitions_come_from_the_portal_when_it_answers(kit, live_server):
    fetched = kit.fetch_definitions(live_server.url)
    by_slug = {d["slug"]: d for d in fetched}
    bundled = {d["slug"]: d for d in kit.BUNDLED_BENCHMARKS}
    assert by_slug["fio-randread-4k"] == bundled["fio-randread-4k"]
    assert kit.fetch_definitions("http://127.0.0.1:9") is None


def test_without_a_portal_the_bundled_copy_is_used(kit):
    import argparse

    stream = io.StringIO()
    definitions, origin = kit._definitions(argparse.Namespace(server="http://127.0.0.1:9"), stream)
    assert definitions == kit.BUNDLED_BENCHMARKS
    assert origin == "the copy bundled in this kit"
    assert "using the copy in this kit" in stream.getvalue()


def test_the_suites_fit_their_promised_durations_and_run_help_says_so(kit, capsys):
    quick = kit.suite_seconds("quick", kit.BUNDLED_BENCHMARKS)
    standard = kit.suite_seconds("standard", kit.BUNDLED_BENCHMARKS)
    assert 150 <= quick <= 210  # about 3 minutes
    assert 20 * 60 <= standard <= 30 * 60  # five rounds in 20-30 minutes
    assert kit.SUITES["standard"]["repeat"] == 5
    with pytest.raises(SystemExit):
        kit.main(["run", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "quick: 4 benchmarks x 1, about 3 min" in text
    assert "standard: 9 benchmarks x 5, about 24 min" in text
