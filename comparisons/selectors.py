"""Read shapes for the catalogue pages and API, each a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Max, Prefetch, Q, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname

from . import aliases, matrix, scoring
from .models import (
    CatalogVersion,
    Citation,
    Claim,
    FactCheck,
    Feature,
    Platform,
    Release,
    Scenario,
    Source,
)

VISIBLE_STATUSES = [Claim.Status.PUBLISHED, Claim.Status.DISPUTED]


def platforms_for_home():
    """Platforms with their current release and published-claim counts: two queries."""
    return (
        Platform.objects.select_related("vendor")
        .prefetch_related(
            Prefetch(
                "releases", queryset=Release.objects.filter(is_current=True), to_attr="current"
            )
        )
        .annotate(claim_count=Count("claims", filter=Q(claims__status__in=VISIBLE_STATUSES)))
    )


@dataclass(frozen=True)
class CatalogueDates:
    updated: datetime.date  # the last curated change loaded (catalogue version)
    newest_check: datetime.date | None  # the most recent date a source was read


def catalogue_dates() -> CatalogueDates:
    """When the catalogue last changed and its newest source check: at most two queries."""
    changed = CatalogVersion.current().changed_at
    newest = Source.objects.aggregate(newest=Max("checked"))["newest"]
    return CatalogueDates(timezone.localdate(changed), newest)


def platform_aliases() -> dict[str, str]:
    """{name key: slug} for every platform's slug and aliases: one query."""
    return aliases.alias_map(Platform.objects.values_list("slug", "aliases"))


def matrix_filters(params) -> matrix.Filters:
    """The matrix filters from query parameters (the page, its exports and the API)."""
    return matrix.Filters(
        categories=tuple(c for c in params.getlist("category") if c),
        query=params.get("q", "").strip()[:100],
        differences_only=params.get("diff") == "1",
        hide_unknown=params.get("hide_unknown") == "1",
    )


def platform_choices() -> list[Platform]:
    """Hypervisors (not the baseline) with all their releases: two queries."""
    return list(
        Platform.objects.hypervisors().prefetch_related(
            Prefetch("releases", queryset=Release.objects.order_by("position"))
        )
    )


def translated(field: str):
    """A translated column in the active language, falling back to English as
    modeltranslation does, computed in SQL: building the model instances instead cost 10 ms
    for the 135 features."""
    active = build_localized_fieldname(field, get_language() or "en")
    english = build_localized_fieldname(field, "en")
    return Coalesce(NullIf(F(active), Value("")), F(english), output_field=TextField())


def feature_infos() -> list[matrix.FeatureInfo]:
    rows = (
        Feature.objects.order_by("category__position", "position")
        .annotate(
            local_name=translated("name"),
            local_description=translated("description"),
            local_category=translated("category__name"),
        )
        .values_list(
            "slug",
            "local_name",
            "local_description",
            "aliases",
            "kind",
            "unit",
            "better",
            "category__slug",
            "local_category",
            "name_en",
            "description_en",
        )
    )
    # The columns are in FeatureInfo's order, then the English name and description; the
    # aliases arrive as a list.
    return [
        matrix.FeatureInfo(*row[:3], tuple(row[3]), *row[4:9], english=" ".join(row[9:]))
        for row in rows
    ]


def claim_infos(platform_slugs, statuses=VISIBLE_STATUSES) -> list[matrix.ClaimInfo]:
    """Claims of the given platforms with citations and sources: two queries, read as plain
    rows (building ~6,000 model instances was half the time of an uncached matrix). Notes,
    quotes and locators stay behind: they are most of the bytes and only the claim page
    shows them."""
    claims = Claim.objects.filter(platform__slug__in=list(platform_slugs), status__in=statuses)
    citations: dict[int, list[matrix.CitationInfo]] = {}
    for claim_id, *fields in (
        Citation.objects.filter(claim__in=claims.values("pk"))
        .order_by("position", "pk")
        .values_list(
            "claim_id",
            "source__url",
            "source__title",
            "source__publisher",
            "source__checked",
            "stance",
        )
    ):
        citations.setdefault(claim_id, []).append(matrix.CitationInfo(*fields))
    rows = claims.values_list(  # in the order of ClaimInfo's fields
        "pk",
        "platform__slug",
        "feature__slug",
        "release_from__position",
        "release_until__position",
        Coalesce("edition__name", Value("")),
        Coalesce("edition__position", Value(0)),
        "support",
        "value",
        translated("text"),
        "status",
        "confidence",
    )
    return [matrix.ClaimInfo(*row, citations=tuple(citations.get(row[0], ()))) for row in rows]


def columns_for(selection: matrix.Selection, platforms: list[Platform]) -> list[matrix.Column]:
    by_slug = {p.slug: p for p in platforms}
    columns = []
    for slug, version in selection.pairs:
        platform = by_slug[slug]
        releases = tuple(
            matrix.ReleaseInfo(r.pk, r.version, r.position) for r in platform.releases.all()
        )
        current = next(
            (r for r in platform.releases.all() if r.is_current), platform.releases.all()[0]
        )
        chosen = next((r for r in releases if r.version == version), None) or next(
            r for r in releases if r.id == current.pk
        )
        columns.append(matrix.Column(platform.slug, platform.name, chosen, releases))
    return columns


@dataclass(frozen=True)
class MatrixPage:
    matrix: matrix.Matrix | None
    platforms: list[Platform]
    errors: tuple[str, ...]


def matrix_page(
    platforms_param: str, filters: matrix.Filters, today: datetime.date | None = None
) -> MatrixPage:
    """Everything the compare page needs: five queries whatever the size of the grid."""
    platforms = platform_choices()
    known = {p.slug: [r.version for r in p.releases.all()] for p in platforms}
    known = {slug: versions for slug, versions in known.items() if versions}
    selection = matrix.parse_selection(platforms_param, known)
    errors = selection.errors
    if len(selection.pairs) < matrix.MIN_PLATFORMS:
        return MatrixPage(None, platforms, errors)
    columns = columns_for(selection, platforms)
    grid = matrix.build(
        columns,
        feature_infos(),
        claim_infos([c.slug for c in columns]),
        filters,
        today=today or timezone.localdate(),
    )
    return MatrixPage(grid, platforms, errors)


def claim_detail(pk: int) -> tuple[Claim, list]:
    """The claim with citations and sources, and its history newest first: three queries."""
    claim = (
        Claim.objects.select_related(
            "platform", "feature__category", "release_from", "release_until", "edition"
        )
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source").order_by("position", "pk"),
            ),
        )
        .get(pk=pk)
    )
    history = list(
        Claim.history.filter(id=pk).select_related("history_user").order_by("-history_date")
    )
    return claim, history


def fact_checks():
    return FactCheck.objects.prefetch_related("sources").order_by("position")


def concern_names() -> dict[str, dict[str, str]]:
    """Platform and feature names in the active language, by slug, for the claims a fact
    check concerns (stored as slugs): two queries."""
    return {
        "platforms": dict(Platform.objects.values_list("slug", translated("name"))),
        "features": dict(Feature.objects.values_list("slug", translated("name"))),
    }


def fact_checks_for(platform_slug: str) -> list[FactCheck]:
    """Fact checks concerning one platform (the concern list is JSON: filtered in Python)."""
    return [
        fc for fc in fact_checks() if any(c.get("platform") == platform_slug for c in fc.concerns)
    ]


def platform_page(platform: Platform) -> dict:
    """One platform: releases, editions, every visible claim by category, its fact checks."""
    releases = list(platform.releases.order_by("position"))
    editions = list(platform.editions.order_by("position"))
    claims = claim_infos([platform.slug])
    cells = matrix.by_cell(claims)
    version_at = {r.position: r.version for r in releases}
    blocks: list[dict] = []
    today = timezone.localdate()
    for feature in feature_infos():
        if not blocks or blocks[-1]["slug"] != feature.category_slug:
            blocks.append(
                {"slug": feature.category_slug, "name": feature.category_name, "rows": []}
            )
        entries = sorted(
            cells.get((feature.slug, platform.slug), []), key=lambda c: c.from_position
        )
        blocks[-1]["rows"].append(
            {
                "feature": feature,
                "claims": [
                    {
                        "cell": matrix.make_cell(c, feature, today),
                        "releases": matrix.range_label(
                            version_at.get(c.from_position, "?"),
                            None
                            if c.until_position is None
                            else version_at.get(c.until_position, "?"),
                        ),
                    }
                    for c in entries
                ],
            }
        )
    others = Platform.objects.hypervisors().exclude(pk=platform.pk).only("slug", "name")
    return {
        "platform": platform,
        "releases": releases,
        "editions": editions,
        "blocks": blocks,
        "claim_count": len(claims),
        "fact_checks": fact_checks_for(platform.slug),
        "others": list(others),
        "today": today,
    }


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | raised | lowered | changed
    feature: matrix.FeatureInfo
    before: matrix.Cell
    after: matrix.Cell


def diff_cells(feature: matrix.FeatureInfo, before: matrix.Cell, after: matrix.Cell) -> str:
    """What happened to one feature between two releases ('' when nothing did)."""
    if before.key() == after.key():
        return ""
    has = {"full", "partial"}
    if after.support in has and before.support not in has and before.support != "unknown":
        return "added"
    if before.support in has and after.support == "none":
        return "removed"
    if before.value is not None and after.value is not None and feature.better:
        up = after.value > before.value
        better = up if feature.better == "higher" else not up
        return "raised" if better else "lowered"
    return "changed"


def release_changes(platform: Platform, start: str | None, end: str | None) -> dict:
    """What changed between two releases of one platform, from the claims' release ranges."""
    releases = list(platform.releases.order_by("position"))
    by_version = {r.version: r for r in releases}
    error = ""
    current = next((r for r in releases if r.is_current), releases[-1] if releases else None)
    end_release = by_version.get(end) if end else current
    if end_release is None:
        error = f"{platform.name} has no release '{end}'."
    start_release = by_version.get(start) if start else None
    if start and start_release is None:
        error = f"{platform.name} has no release '{start}'."
    if start_release is None and end_release is not None and not error:
        earlier = [r for r in releases if r.position < end_release.position]
        start_release = earlier[-1] if earlier else None
    changes: list[Change] = []
    if start_release and end_release and not error:
        today = timezone.localdate()
        cells = matrix.by_cell(claim_infos([platform.slug]))
        for feature in feature_infos():
            claims = cells.get((feature.slug, platform.slug), [])
            before = matrix.make_cell(
                matrix.choose_claim(claims, start_release.position), feature, today
            )
            after = matrix.make_cell(
                matrix.choose_claim(claims, end_release.position), feature, today
            )
            kind = diff_cells(feature, before, after)
            if kind:
                changes.append(Change(kind, feature, before, after))
    return {
        "platform": platform,
        "releases": releases,
        "start": start_release,
        "end": end_release,
        "changes": changes,
        "error": error,
    }


WEIGHT_MAX = 5.0


def known_features(evidence: dict[str, dict[str, scoring.Evidence]]) -> set[str]:
    return {feature for per_platform in evidence.values() for feature in per_platform}


def scenario_for_scoring(scenario: Scenario, params, known: set[str]) -> scoring.Scenario:
    """The stored scenario with the user's adjustments from the URL: w-<category>=weight,
    must=<feature> (repeated; `musts=1` marks that the list was edited) and unknown=<policy>
    (default "ignore"; the scenario's own policy is a suggestion the page offers)."""
    weights = dict(scenario.category_weights)
    for key, value in params.items():
        if key.startswith("w-"):
            try:
                weights[key[2:]] = min(max(float(value), 0.0), WEIGHT_MAX)
            except ValueError:
                continue
    must = (
        tuple(params.getlist("must")) if params.get("musts") == "1" else tuple(scenario.must_have)
    )
    policy = params.get("unknown", scoring.DEFAULT_UNKNOWN_POLICY)
    if policy not in scoring.UNKNOWN_POLICIES:
        policy = scoring.DEFAULT_UNKNOWN_POLICY
    return scoring.Scenario(
        slug=scenario.slug,
        name=scenario.name,
        category_weights=weights,
        feature_weights=dict(scenario.feature_weights),
        must_have=must,
        unknown_policy=policy,
        cost_weight=scenario.cost_weight,
        performance_weight=scenario.performance_weight,
    )


def scoring_evidence() -> tuple[dict[str, str], dict[str, dict[str, scoring.Evidence]]]:
    """Each hypervisor's current-release claim for every feature: five queries."""
    platforms = platform_choices()
    features = feature_infos()
    cells = matrix.by_cell(claim_infos([p.slug for p in platforms]))
    evidence: dict[str, dict[str, scoring.Evidence]] = {}
    for platform in platforms:
        current = next((r for r in platform.releases.all() if r.is_current), None)
        if current is None:
            continue
        per_feature = evidence.setdefault(platform.slug, {})
        for feature in features:
            chosen = matrix.choose_claim(
                cells.get((feature.slug, platform.slug), ()), current.position
            )
            source = (
                next((c for c in chosen.citations if c.stance == "supports"), None)
                if chosen
                else None
            )
            per_feature[feature.slug] = scoring.Evidence(
                feature=feature.slug,
                feature_name=feature.name,
                category=feature.category_slug,
                category_name=feature.category_name,
                support=chosen.support if chosen else None,
                claim_id=chosen.id if chosen else None,
                source_url=source.url if source else "",
                source_title=source.title if source else "",
            )
    names = {p.slug: p.name for p in platforms if p.slug in evidence}
    return names, evidence


def scenarios():
    return list(Scenario.objects.order_by("position"))
