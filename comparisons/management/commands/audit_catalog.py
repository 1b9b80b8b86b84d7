from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from comparisons.catalog import read_catalog
from comparisons.catalog_audit import audit


class Command(BaseCommand):
    help = (
        "Mechanical checks of a catalogue folder (weak or unpinned sources, published unknowns, "
        "notes that read like another value). Fails when there is an error; 'review' lines are "
        "for a curator to read."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", default="fixtures/catalog")

    def handle(self, *args, directory: str, **options):
        catalog, problems = read_catalog(Path(directory))
        if problems:
            raise CommandError("; ".join(f"{p.where}: {p.message}" for p in problems))
        findings = audit(catalog)
        for f in findings:
            self.stdout.write(f"{f.level}\t{f.kind}\t{f.where}\t{f.message}")
        errors = sum(f.level == "error" for f in findings)
        summary = f"{errors} error(s), {len(findings) - errors} to review"
        if errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
