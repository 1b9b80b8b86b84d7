"""The harness's own arithmetic and report (the measuring itself is `make perf`)."""

import importlib.util
import json
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location(
    "perf_harness", Path(__file__).resolve().parent / "harness.py"
)
harness = importlib.util.module_from_spec(spec)
spec.loader.exec_module(harness)


def test_side_by_side_alternates_rounds_and_takes_the_median_ratio(monkeypatch):
    calls = []
    numerators, baselines = iter([10.0, 30.0, 20.0]), iter([10.0, 10.0, 10.0])

    def numerator():
        calls.append("n")
        return next(numerators)

    def baseline():
        calls.append("b")
        return next(baselines)

    monkeypatch.setattr(harness, "ROUNDS", 3)
    figure = harness.side_by_side(numerator, baseline)
    assert calls == ["n", "b", "n", "b", "n", "b"]
    assert figure == {"ratio": 2.0, "numerator_rps": 20.0, "baseline_rps": 10.0}


def result(**ratios) -> dict:
    figures = {name: {"ratio": ratios.get(name, 1.0)} for name in harness.TARGETS}
    growth = {"matrix": {"small": 7, "large": 7, "equal": True}}
    weights = {name: {"bytes": 1000} for name in harness.WEIGHT_LIMITS}
    return {"figures": figures, "query_growth": growth, "page_weight": weights, "seconds": 1}


@pytest.mark.parametrize(
    ("ratios", "exit_code"),
    [
        ({"summary at scale (1,000,000 results)": 2.0}, 0),
        ({"summary at scale (1,000,000 results)": 3.5}, 1),  # "<=" target missed
        ({"matrix, cached": 0.5, "summary at scale (1,000,000 results)": 2.0}, 1),
        ({"submission (fio JSON)": 0.1, "summary at scale (1,000,000 results)": 2.0}, 0),
    ],
    ids=["all-met", "time-too-high", "ratio-too-low", "info-never-fails"],
)
def test_report_passes_only_when_every_target_is_met(tmp_path, monkeypatch, ratios, exit_code):
    monkeypatch.setattr(harness, "OUT", tmp_path)
    assert harness.report(result(**ratios)) == exit_code
    assert json.loads((tmp_path / "latest.json").read_text())["figures"]["matrix, cached"]


def test_report_keeps_the_previous_run_and_shows_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(harness, "OUT", tmp_path)
    harness.report(result(**{"matrix, cached": 0.61}))
    harness.report(result(**{"matrix, cached": 0.72}))
    previous = json.loads((tmp_path / "previous.json").read_text())
    assert previous["figures"]["matrix, cached"]["ratio"] == 0.61
    line = next(x for x in capsys.readouterr().out.splitlines()[::-1] if "matrix, cached " in x)
    assert "0.72x" in line
    assert "0.61" in line
