"""Serializer cost vs a plain dict on the same 100 claims, measured side by side.

Run: DJANGO_DEBUG=1 .venv/bin/python scripts/measure_serializer.py (after `make catalog`).
Prints the median ratio of interleaved timings (absolute times on a shared machine are noise).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from comparisons.api import ClaimViewSet  # noqa: E402
from comparisons.serializers import ClaimSerializer  # noqa: E402


def plain(claim) -> dict:
    return {
        "id": claim.id,
        "url": claim.get_absolute_url(),
        "platform": claim.platform.slug,
        "feature": claim.feature.slug,
        "category": claim.feature.category.slug,
        "release_from": claim.release_from.version,
        "release_until": claim.release_until.version if claim.release_until else None,
        "edition": claim.edition.name if claim.edition else None,
        "support": claim.support,
        "value": claim.value,
        "unit": claim.feature.unit,
        "text": claim.text,
        "note": claim.note,
        "status": claim.status,
        "confidence": claim.confidence,
        "reviewed_at": claim.reviewed_at.isoformat() if claim.reviewed_at else None,
        "updated_at": claim.updated_at.isoformat(),
        "citations": [
            {
                "source": {
                    "key": c.source.key,
                    "url": c.source.url,
                    "title": c.source.title,
                    "publisher": c.source.publisher,
                    "kind": c.source.kind,
                    "published": c.source.published.isoformat() if c.source.published else None,
                    "checked": c.source.checked.isoformat(),
                },
                "locator": c.locator,
                "quote": c.quote,
                "stance": c.stance,
            }
            for c in claim.citations.all()
        ],
    }


def main(rounds: int = 30) -> None:
    claims = list(ClaimViewSet().get_queryset()[:100])  # rows and prefetches loaded once
    assert len(claims) == 100, "load the catalogue first (make catalog)"
    assert ClaimSerializer(claims, many=True).data[0]["citations"] == plain(claims[0])["citations"]
    ratios = []
    for _ in range(rounds):
        start = time.perf_counter()
        _ = ClaimSerializer(claims, many=True).data
        middle = time.perf_counter()
        [plain(c) for c in claims]
        end = time.perf_counter()
        ratios.append((middle - start) / (end - middle))
    print(
        f"DRF ClaimSerializer / plain dict on 100 claims: {statistics.median(ratios):.2f}x "
        f"(median of {rounds} interleaved rounds; IQR "
        f"{statistics.quantiles(ratios, n=4)[0]:.2f}-{statistics.quantiles(ratios, n=4)[2]:.2f})"
    )


if __name__ == "__main__":
    main()
