"""The benchmark kit as the portal serves it: the file, its SHA-256, and what its suites run.

The kit (kit/virtcompare_bench.py) is the single source of its suites and version: it is a
standard-library module, so the portal loads it rather than repeating them.
"""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

from .models import Benchmark

KIT_NAME = "virtcompare_bench.py"


def kit_path() -> Path:
    return Path(settings.BASE_DIR) / "kit" / KIT_NAME


@dataclass(frozen=True)
class KitFile:
    name: str
    content: bytes
    sha256: str
    version: str
    module: Any  # the kit loaded as a module: its SUITES and measured_seconds()


@dataclass(frozen=True)
class SuiteStep:
    benchmark: Benchmark | None
    slug: str
    seconds: int  # measuring time per run, as the suite runs the command line


@dataclass(frozen=True)
class Suite:
    name: str
    repeat: int
    steps: tuple[SuiteStep, ...]
    network: tuple[SuiteStep, ...]
    minutes: float  # the kit's estimate of the whole suite without iperf3, layout included
    submissions: int  # what one run of it sends, iperf3 included


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int) -> KitFile:
    content = Path(path).read_bytes()
    spec = importlib.util.spec_from_file_location("virtcompare_bench_served", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return KitFile(
        name=KIT_NAME,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        version=module.KIT_VERSION,
        module=module,
    )


def kit_file() -> KitFile:
    """The kit file, re-read when it changes on disk."""
    path = kit_path()
    return _load(str(path), path.stat().st_mtime_ns)


def suites(benchmarks: list[Benchmark]) -> list[Suite]:
    """The kit's suites with the portal's own benchmark rows and their measuring times."""
    module = kit_file().module
    by_slug = {b.slug: b for b in benchmarks}
    # The portal's own command lines where it has them, the kit's bundled copy otherwise.
    definitions = {d["slug"]: d for d in module.BUNDLED_BENCHMARKS}
    definitions.update(
        {b.slug: {"slug": b.slug, "tool": b.tool, "command": b.command} for b in benchmarks}
    )

    def step(slug: str, spec: dict) -> SuiteStep:
        definition = definitions.get(slug, {"tool": "", "command": ""})
        shortened = spec["seconds"].get(definition["tool"])
        seconds = module.measured_seconds(module.with_seconds(definition["command"], shortened))
        return SuiteStep(by_slug.get(slug), slug, seconds)

    return [
        Suite(
            name,
            spec["repeat"],
            tuple(step(s, spec) for s in spec["benchmarks"]),
            tuple(step(s, spec) for s in spec["network"]),
            module.suite_seconds(name, list(definitions.values())) / 60,
            (len(spec["benchmarks"]) + len(spec["network"])) * spec["repeat"],
        )
        for name, spec in module.SUITES.items()
    ]
