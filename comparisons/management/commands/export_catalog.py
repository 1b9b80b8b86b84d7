from pathlib import Path

from django.core.management.base import BaseCommand

from comparisons.catalog_export import export_catalog


class Command(BaseCommand):
    help = "Write the catalogue from the database to YAML files in the loader's format."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory: str, **options):
        written = export_catalog(Path(directory))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {directory}"))
