from pathlib import Path

from django.core.management.base import BaseCommand

from migration_paths.export import export_migrations


class Command(BaseCommand):
    help = "Write the stored migration paths as YAML files (one per source platform) into DIR."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path: str, **options):
        written = export_migrations(Path(path))
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} file(s) to {path}."))
