from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from benchmarks.services import load_benchmarks


class Command(BaseCommand):
    help = "Create or update the benchmarks and metrics from fixtures/benchmarks/benchmarks.yaml."

    def add_arguments(self, parser):
        default = settings.BASE_DIR / "fixtures" / "benchmarks" / "benchmarks.yaml"
        parser.add_argument("path", nargs="?", default=str(default))

    def handle(self, *args, path: str, **options):
        count = load_benchmarks(Path(path))
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} benchmarks."))
