"""Read shapes for the catalogue pages and API, each a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace

from django.db.models import Count, Max, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from benchmarks.selectors import performance_overview, performance_verdict, platform_performance
from costs import rules as cost_rules
from costs.selectors import scenario_estimate
from portal.localized import translated

from . import aliases, matrix, scoring, scoring_prose, snapshot
from .catalog_audit import concern_matches
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
    best_first_order,
)
from .queries import CompareQuery, ScenarioQuery

VISIBLE_STATUSES = [Claim.Status.PUBLISHED, Claim.Status.DISPUTED]
DEFAULT_PAIR = "hyper-v,vmware-esxi"


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


def without_aliases(query: CompareQuery) -> CompareQuery:
    """`platforms=hyperv,esxi@8.0` → the same comparison under the platforms' slugs."""
    if not query.platforms:
        return query
    canonical = aliases.canonical_platforms(query.platforms, platform_aliases())
    return replace(query, platforms=canonical)


def platform_aliases() -> dict[str, str]:
    """{name key: slug} for every platform's slug and aliases, from the snapshot."""
    return aliases.alias_map((p.slug, p.aliases) for p in snapshot.get().platforms)


def platform_choices() -> list[Platform]:
    """Hypervisors (not the baseline) with all their releases, from the snapshot."""
    return [p for p in snapshot.get().platforms if not p.is_baseline]


def feature_infos() -> tuple[matrix.FeatureInfo, ...]:
    """Every feature in the active language, from the snapshot."""
    found = snapshot.get()
    return found.in_language(found.features)


def claim_infos(platform_slugs, statuses=VISIBLE_STATUSES) -> list[matrix.ClaimInfo]:
    """The claims of the given platforms with their citations, from the snapshot."""
    found = snapshot.get()
    wanted, statuses = set(platform_slugs), set(statuses)
    return [
        c for c in found.in_language(found.claims) if c.platform in wanted and c.status in statuses
    ]


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


ROWS_KEPT = 64  # sets of columns per language; ~140 rows each


def matrix_page(query: CompareQuery, today: datetime.date | None = None) -> MatrixPage:
    """The matrix for a query, from the snapshot (the page, its exports and the API).

    Every feature's row for a set of columns is kept with the snapshot: the filters only
    choose among rows, so a filter change on columns already shown builds no cell."""
    platforms = platform_choices()
    known = {p.slug: [r.version for r in p.releases.all()] for p in platforms}
    known = {slug: versions for slug, versions in known.items() if versions}
    selection = matrix.parse_selection(query.platforms or DEFAULT_PAIR, known)
    errors = selection.errors
    if len(selection.pairs) < matrix.MIN_PLATFORMS:
        return MatrixPage(None, platforms, errors)
    columns = columns_for(selection, platforms)
    today = today or timezone.localdate()
    kept = snapshot.get().derive("matrix-rows", dict)
    key = (tuple((c.slug, c.release.position) for c in columns), today)
    found = kept.get(key)
    if found is None:
        slugs = [c.slug for c in columns]
        rows = matrix.rows(columns, feature_infos(), claim_infos(slugs), today=today)
        if len(kept) >= ROWS_KEPT:
            kept.clear()
        found = kept[key] = (rows, matrix.category_counts(columns, rows))
    rows, counts = found
    grid = matrix.assemble(columns, rows, query.filters, counts=counts)
    return MatrixPage(grid, platforms, errors)


@dataclass(frozen=True)
class ComparePage:
    """Everything the compare page shows, its performance section included."""

    query: CompareQuery  # canonical: the columns actually shown
    platforms: list[Platform]
    errors: tuple[str, ...]
    grid: matrix.Matrix | None
    performance: list
    verdict: object | None
    remove_links: dict[str, str]

    @property
    def title(self) -> str:
        """The page's title: the columns, "Hyper-V 2025 vs VMware ESXi 9.0"."""
        if not self.grid:
            return _("Compare platforms")
        vs = " " + pgettext("versus, between platform names", "vs") + " "
        return vs.join(f"{col.name} {col.release.version}" for col in self.grid.columns)

    @property
    def status(self) -> int:
        return 400 if self.errors and self.grid is None else 200

    def context(self) -> dict:
        """The template's names."""
        columns = self.grid.columns if self.grid else ()
        return {
            "page": self,
            "grid": self.grid,
            "filters": self.query.filters,
            "chosen": {c.slug: c for c in columns},
            "query": self.query.querystring(),
            "remove_links": self.remove_links,
            "performance": self.performance,
            "verdict": self.verdict,
        }


def compare_page(*, query: CompareQuery, today: datetime.date | None = None) -> ComparePage:
    found = matrix_page(query, today)
    columns = found.matrix.columns if found.matrix else ()
    slugs = [c.slug for c in columns]
    canonical = query.with_platforms([c.param for c in columns]) if columns else query
    return ComparePage(
        query=canonical,
        platforms=found.platforms,
        errors=found.errors,
        grid=found.matrix,
        performance=performance_overview(slugs) if slugs else [],
        verdict=performance_verdict(slugs) if slugs else None,
        remove_links={c.slug: canonical.without(c.slug).querystring() for c in columns},
    )


def claim_detail(pk: int) -> tuple[Claim, list]:
    """The claim with citations and sources, and its history newest first: three queries."""
    claim = (
        Claim.objects.select_related(
            "platform", "feature__category", "release_from", "release_until", "edition"
        )
        .prefetch_related(
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("source").order_by(*best_first_order()),
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


def fact_checks_about(claim: Claim) -> list[FactCheck]:
    """The fact checks whose concerns name this claim (the claim page links to them)."""
    first = claim.release_from.version
    return [
        fc
        for fc in fact_checks()
        if any(
            concern_matches(c, claim.platform.slug, claim.feature.slug, first) for c in fc.concerns
        )
    ]


def concerned_claims(fact_checks) -> dict[str, list[dict]]:
    """Per fact check slug, the visible claims its concerns name, with what the verdict
    expects of each (the fact-check page links to them): one query."""
    wanted = {(c["platform"], c["feature"]) for fc in fact_checks for c in fc.concerns}
    claims = (
        Claim.objects.filter(status__in=VISIBLE_STATUSES)
        .filter(
            platform__slug__in={p for p, _f in wanted}, feature__slug__in={f for _p, f in wanted}
        )
        .select_related("platform", "feature", "release_from", "release_until")
        .order_by("platform__position", "feature__position", "release_from__position")
    )
    found: dict[str, list[dict]] = {}
    for fc in fact_checks:
        rows = found.setdefault(fc.slug, [])
        for claim in claims:
            for concern in fc.concerns:
                if concern_matches(
                    concern, claim.platform.slug, claim.feature.slug, claim.release_from.version
                ):
                    rows.append({"claim": claim, "expects": concern.get("expects") or []})
                    break
    return found


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
    kind: str  # added | removed | raised | lowered | changed | gap (one side unknown)
    feature: matrix.FeatureInfo
    before: matrix.Cell
    after: matrix.Cell


def diff_cells(feature: matrix.FeatureInfo, before: matrix.Cell, after: matrix.Cell) -> str:
    """What happened to one feature between two releases ('' when nothing did)."""
    if before.key() == after.key():
        return ""
    if not (before.known and after.known):
        return "gap"  # "62 TB -> unknown" is something we do not know, not a change
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
    gaps: list[Change] = []
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
            if kind == "gap":
                gaps.append(Change(kind, feature, before, after))
            elif kind:
                changes.append(Change(kind, feature, before, after))
    return {
        "platform": platform,
        "releases": releases,
        "start": start_release,
        "end": end_release,
        "changes": changes,
        "gaps": gaps,
        "error": error,
    }


def known_features(evidence: dict[str, dict[str, scoring.Evidence]]) -> set[str]:
    return {feature for per_platform in evidence.values() for feature in per_platform}


def scenario_for_scoring(scenario: Scenario, query: ScenarioQuery) -> scoring.Scenario:
    """The stored scenario with the reader's adjustments."""
    policy = query.unknown if query.unknown in scoring.UNKNOWN_POLICIES else ""
    return scoring.Scenario(
        slug=scenario.slug,
        name=scenario.name,
        category_weights={**scenario.category_weights, **dict(query.weights)},
        feature_weights=dict(scenario.feature_weights),
        must_have=tuple(scenario.must_have) if query.must is None else query.must,
        # A feature nobody documented is left out unless the reader asks otherwise; the
        # scenario's own policy is a suggestion the page offers.
        unknown_policy=policy or scoring.DEFAULT_UNKNOWN_POLICY,
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


COST_CATEGORY = "licensing"


def cost_evidence(
    estimate: cost_rules.Estimate, query_string: str, category_name: str
) -> dict[str, scoring.Evidence]:
    """Per platform, the estimated cost as an evidence of the Cost and licensing category."""
    scores = cost_rules.cost_scores(estimate)
    calculator = f"{reverse('cost')}?{query_string}"
    evidence = {}
    for cost in estimate.platforms:
        score = scores[cost.platform]
        evidence[cost.platform] = scoring.Evidence(
            feature=scoring.COST_FEATURE,
            feature_name=_("Estimated licence and support cost"),
            category=COST_CATEGORY,
            category_name=category_name,
            support="full" if score.value is not None else "unknown",
            source_url=f"{calculator}#items-{cost.platform}",
            source_title=_("line items and their sources"),
            value=score.value,
            detail=scoring_prose.cost_detail(cost.label, estimate.estate.years, score.left_out),
        )
    return evidence


def recommend_for(
    scenario: Scenario, query: ScenarioQuery
) -> tuple[
    scoring.Scenario,
    scoring.Recommendation,
    dict[str, dict[str, scoring.Evidence]],
    cost_rules.Estimate | None,
]:
    """One recommendation path for the page and the API: the scenario with the URL's
    adjustments, scored against the current claims, the estimated cost of the scenario's
    estate and, where weighted, the measured performance."""
    names, evidence = scoring_evidence()
    spec = scenario_for_scoring(scenario, query)
    estimate = None
    category_name = next(
        (
            item.category_name
            for per_platform in evidence.values()
            for item in per_platform.values()
            if item.category == COST_CATEGORY
        ),
        None,
    )
    if spec.cost_weight > 0 and category_name is not None:
        costed = scenario_estimate(scenario, query, names)
        if costed is not None:
            query, estimate = costed
            extra = cost_evidence(estimate, query.querystring(), category_name)
            evidence = {
                slug: {**per_feature, scoring.COST_FEATURE: extra[slug]}
                for slug, per_feature in evidence.items()
            }
    performance = platform_performance(list(names)) if spec.performance_weight else None
    return spec, scoring.recommend(spec, names, evidence, performance), evidence, estimate
