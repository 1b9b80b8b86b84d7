from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comparisons.catalog import CatalogInvalid
from comparisons.models import (
    Category,
    Citation,
    Claim,
    Edition,
    Feature,
    Platform,
    Release,
    Source,
)
from comparisons.services import load_catalog_dir, load_scenarios
from portal.planner import analyze


class Command(BaseCommand):
    help = "Validate the catalogue YAML, then load it in one transaction (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "fixtures" / "catalog")
        )

    def handle(self, *args, path: str, **options):
        try:
            report = load_catalog_dir(Path(path))
        except CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was loaded.") from exc
        self.stdout.write(self.style.SUCCESS(f"Catalogue loaded. {report.summary()}"))
        analyze(Category, Feature, Platform, Release, Edition, Source, Claim, Citation)
        scenarios = Path(path).parent / "scenarios.yaml"
        if scenarios.exists():
            try:
                loaded = load_scenarios(scenarios)
            except CatalogInvalid as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError("Scenarios not loaded.") from exc
            self.stdout.write(self.style.SUCCESS(f"Scenarios loaded. {loaded.summary()}"))
