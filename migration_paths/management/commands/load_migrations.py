from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comparisons.catalog import CatalogInvalid
from migration_paths.services import load_migrations_dir


class Command(BaseCommand):
    help = "Validate the migration-path YAML against the loaded catalogue, then load it."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(settings.BASE_DIR / "fixtures" / "migrations")
        )

    def handle(self, *args, path: str, **options):
        try:
            report = load_migrations_dir(Path(path))
        except CatalogInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(exc.problems)} problem(s); nothing was loaded.") from exc
        self.stdout.write(self.style.SUCCESS(f"Migration paths loaded. {report.summary()}"))
