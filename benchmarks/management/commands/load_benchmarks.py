from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from benchmarks.services import load_benchmarks

DEFAULT_FILES = ["benchmarks.yaml", "published-benchmarks.yaml"]


class Command(BaseCommand):
    help = "Create or update benchmarks and metrics from fixtures/benchmarks/*.yaml."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*")

    def handle(self, *args, paths: list[str], **options):
        folder = settings.BASE_DIR / "fixtures" / "benchmarks"
        files = [Path(p) for p in paths] or [folder / name for name in DEFAULT_FILES]
        count = load_benchmarks(*[f for f in files if f.exists()])
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} benchmarks."))
