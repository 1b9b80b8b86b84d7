from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from comparisons.catalog import CatalogInvalid
from costs.services import load_prices, load_scenario_estates


class Command(BaseCommand):
    help = (
        "Load fixtures/prices.yaml and the scenarios' estates, all or nothing (after load_catalog)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "fixtures" / "prices.yaml")
        )

    def handle(self, *args, path: str, **options):
        scenarios = Path(path).parent / "scenarios.yaml"
        try:
            with transaction.atomic():
                report = load_prices(path=Path(path))
                estates = load_scenario_estates(path=scenarios) if scenarios.exists() else 0
        except CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was loaded.") from exc
        self.stdout.write(self.style.SUCCESS(f"Prices loaded. {report.summary()}"))
        self.stdout.write(self.style.SUCCESS(f"Scenario estates loaded: {estates}."))
