"""Selector for the same-host page: one host, its runs, each platform against bare metal."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Environment, Run
from .models import Result as ResultModel
from .same_host import BenchmarkBlock, HostResult, compare, pairing_tag


@dataclass(frozen=True)
class OtherRun:
    id: int
    benchmark: str
    platform: str
    release: str
    status: str
    status_label: str
    reason: str


@dataclass(frozen=True)
class HostPage:
    environment: Environment
    pairing_tag: str
    blocks: list[BenchmarkBlock]
    accepted_runs: int
    other_runs: list[OtherRun]
    platforms: list[str]

    @property
    def label(self) -> str:
        environment = self.environment
        return environment.name or f"{environment.cpu_model} [{environment.fingerprint[:6]}]"

    @property
    def comparable(self) -> list[BenchmarkBlock]:
        return [b for b in self.blocks if b.comparable]


def host_page(*, pk: int, resamples: int = 2000) -> HostPage | None:
    """Three queries whatever the number of runs: the host, its accepted results (whole-run
    figures, not per-job), and its runs held back from the figures."""
    environment = Environment.objects.filter(pk=pk).first()
    if environment is None:
        return None
    rows = [
        HostResult(*values)
        for values in ResultModel.objects.filter(
            run__environment=environment, run__status=Run.Status.ACCEPTED, job=""
        )
        .order_by(
            "run__benchmark__position",
            "run__benchmark__slug",
            "metric__position",
            "run__platform__slug",
            "run__release__version",
            "run_id",
        )
        .values_list(
            "run_id",
            "run__benchmark__slug",
            "run__benchmark__name",
            "metric__slug",
            "metric__name",
            "metric__unit",
            "metric__better",
            "run__platform__slug",
            "run__platform__name",
            "run__release__version",
            "value",
        )
    ]
    labels = dict(Run.Status.choices)
    others = [
        OtherRun(pk, benchmark, platform, release, status, str(labels[status]), reason)
        for pk, benchmark, platform, release, status, reason in Run.objects.filter(
            environment=environment
        )
        .exclude(status=Run.Status.ACCEPTED)
        .order_by("pk")
        .values_list(
            "pk",
            "benchmark__slug",
            "platform__slug",
            "release__version",
            "status",
            "status_reason",
        )
    ]
    return HostPage(
        environment=environment,
        pairing_tag=pairing_tag(environment.cpu_model),
        blocks=compare(rows, resamples=resamples),
        accepted_runs=len({r.run_id for r in rows}),
        other_runs=others,
        platforms=sorted({r.platform for r in rows}),
    )
