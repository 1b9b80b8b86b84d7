import json
import sys
from collections import Counter
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from benchmarks.imports import import_submissions
from benchmarks.models import Environment, Result, Run
from portal import yaml_files
from portal.planner import analyze

SUFFIXES = {".json", ".yaml", ".yml"}


def submission_files(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES)
        elif path.is_file():
            files.append(path)
        else:
            raise CommandError(f"No such file or folder: {name}")
    return files


def read_submissions(files: list[Path], rejected: list[tuple[str, str]]):
    """(where, submission) for every submission in the files: one object or a list of them."""
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if path.suffix == ".json" else yaml_files.safe_load(text)
        except (ValueError, yaml.YAMLError, UnicodeDecodeError) as exc:
            rejected.append((str(path), f"unreadable: {exc}"))
            continue
        items = data if isinstance(data, list) else [data]
        for index, item in enumerate(items, start=1):
            yield (f"{path}#{index}" if len(items) > 1 else str(path)), item


class Command(BaseCommand):
    help = "Import benchmark submissions (JSON or YAML files, or folders of them) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+")
        parser.add_argument("--user", help="Record this username as the submitter.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, paths: list[str], user: str | None, batch_size: int, **options):
        submitter = None
        if user:
            submitter = get_user_model().objects.filter(username=user).first()
            if submitter is None:
                raise CommandError(f"No user {user!r}.")
        files = submission_files(paths)
        unreadable: list[tuple[str, str]] = []

        def progress(count: int) -> None:
            if count % 100 == 0:
                sys.stderr.write(f"\r{count} submissions read…")
                sys.stderr.flush()

        report = import_submissions(
            read_submissions(files, unreadable),
            user=submitter,
            batch_size=batch_size,
            progress=progress,
        )
        if report.imported:
            analyze(Environment, Run, Result)
        rejected = unreadable + report.rejected
        sys.stderr.write("\r")
        self.stdout.write(
            f"Imported {report.imported} runs ({report.results} results), "
            f"{report.duplicates} duplicates, {len(rejected)} rejected, from {len(files)} files."
        )
        for where, reason in rejected:
            self.stdout.write(f"  rejected {where}: {reason}")
        reasons = Counter(reason.split(":")[0] for _, reason in rejected)
        if reasons:
            self.stdout.write(
                "Rejections by field: " + ", ".join(f"{k} {v}" for k, v in reasons.items())
            )
