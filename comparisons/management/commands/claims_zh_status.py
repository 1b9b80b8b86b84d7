from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from comparisons.catalog import read_catalog, translation_status


class Command(BaseCommand):
    help = (
        "List claim texts and notes whose Chinese (claims_zh/) is missing, stale (the English "
        "changed since it was translated) or orphaned (its claim is gone)."
    )

    def add_arguments(self, parser):
        parser.add_argument("root", nargs="?", default=str(settings.BASE_DIR / "fixtures/catalog"))

    def handle(self, *args, root: str, **options):
        catalog, problems = read_catalog(Path(root))
        for problem in problems:
            self.stderr.write(str(problem))
        status = translation_status(catalog)
        published = {
            (e.data["platform"], e.data["feature"], str(e.data["from"]), e.data.get("edition"))
            for e in catalog.claims
            if e.data.get("status") in ("published", "disputed")
        }
        for title, rows in (("stale", status.stale), ("missing", status.missing)):
            for key, name in rows:
                where = "published" if key in published else "draft"
                self.stdout.write(f"{title}\t{where}\t{'/'.join(filter(None, key))}\t{name}")
        for key in status.orphans:
            self.stdout.write(f"orphan\t-\t{'/'.join(filter(None, key))}\t-")
        self.stdout.write(
            f"{len(status.stale)} stale, {len(status.missing)} missing, "
            f"{len(status.orphans)} orphaned"
        )
