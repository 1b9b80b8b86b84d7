"""Workload variants: a run compares only with runs of the same workload. Pure."""

from collections.abc import Mapping


def variant_of(recommended: Mapping[str, str], observed: Mapping[str, str]) -> str:
    """How the observed parameters differ from the recommended ones, as a stable label
    ("iodepth=1, numjobs=4"), or "" for the recommended workload. Only the parameters the
    benchmark defines count; one the run does not record is taken as recommended."""
    return ", ".join(
        f"{key}={observed[key]}"
        for key in sorted(recommended)
        if key in observed and str(observed[key]) != str(recommended[key])
    )[:200]
