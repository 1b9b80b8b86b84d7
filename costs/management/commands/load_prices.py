from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comparisons.catalog import CatalogInvalid
from costs.services import load_prices


class Command(BaseCommand):
    help = "Validate fixtures/prices.yaml, then load it in one transaction (after load_catalog)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "fixtures" / "prices.yaml")
        )

    def handle(self, *args, path: str, **options):
        try:
            report = load_prices(path=Path(path))
        except CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was loaded.") from exc
        self.stdout.write(self.style.SUCCESS(f"Prices loaded. {report.summary()}"))
