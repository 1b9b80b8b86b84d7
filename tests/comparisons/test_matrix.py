import datetime

from comparisons import matrix

TODAY = datetime.date(2026, 11, 26)


def feature(slug="live-migration", kind="support", unit="", better="", category="mobility"):
    return matrix.FeatureInfo(
        slug=slug,
        name=slug.replace("-", " ").title(),
        description=f"About {slug}",
        aliases=("vMotion",) if slug == "live-migration" else (),
        kind=kind,
        unit=unit,
        better=better,
        category_slug=category,
        category_name=category.title(),
    )


def column(slug, position=1):
    release = matrix.ReleaseInfo(id=position, version=f"{position}.0", position=position)
    return matrix.Column(slug, slug.title(), release, (release,))


def claim(
    platform,
    feature_slug,
    support="full",
    *,
    value=None,
    start=1,
    until=None,
    checked=TODAY,
    status="published",
    edition="",
    claim_id=None,
):
    citation = matrix.CitationInfo("https://example.org/", "Doc", "Acme", checked, "supports")
    return matrix.ClaimInfo(
        id=claim_id or hash((platform, feature_slug, start, edition)) % 10_000,
        platform=platform,
        feature=feature_slug,
        from_position=start,
        until_position=until,
        edition=edition,
        edition_position=1 if edition else 0,
        support=support,
        value=value,
        text="",
        status=status,
        confidence="high",
        citations=(citation,),
    )


FEATURES = [
    feature(),
    feature("max-vcpus", kind="number", unit="vCPUs", better="higher", category="scale"),
    feature("vtpm", category="security"),
]


NO_FILTERS = matrix.Filters()


def build(claims, filters=NO_FILTERS, columns=None):
    return matrix.build(
        columns or [column("a"), column("b")], FEATURES, claims, filters, today=TODAY
    )


def test_grid_has_one_cell_per_feature_and_platform_grouped_by_category():
    grid = build([claim("a", "live-migration"), claim("b", "live-migration", "none")])
    assert [b.slug for b in grid.blocks] == ["mobility", "scale", "security"]
    row = grid.blocks[0].rows[0]
    assert [c.support for c in row.cells] == ["full", "none"]
    assert [c.support for c in grid.blocks[2].rows[0].cells] == ["unknown", "unknown"]


def test_differences_only_hides_rows_where_all_platforms_agree():
    claims = [
        claim("a", "live-migration"),
        claim("b", "live-migration"),
        claim("a", "vtpm"),
        claim("b", "vtpm", "partial"),
    ]
    grid = build(claims, matrix.Filters(differences_only=True))
    shown = [r.feature.slug for b in grid.blocks for r in b.rows]
    assert shown == ["vtpm"]


def test_hide_unknown_drops_rows_with_any_unknown_cell():
    claims = [claim("a", "live-migration"), claim("b", "live-migration"), claim("a", "vtpm")]
    grid = build(claims, matrix.Filters(hide_unknown=True))
    assert [r.feature.slug for b in grid.blocks for r in b.rows] == ["live-migration"]


def test_search_matches_aliases_and_category_filter_restricts_rows():
    grid = build([], matrix.Filters(query="vmotion"))
    assert [r.feature.slug for b in grid.blocks for r in b.rows] == ["live-migration"]
    grid = build([], matrix.Filters(categories=("scale",)))
    assert [b.slug for b in grid.blocks] == ["scale"]
    assert grid.shown_features == 1
    assert grid.total_features == 3


def test_summary_counts_per_category_and_platform():
    claims = [claim("a", "live-migration"), claim("b", "live-migration", "partial")]
    mobility = build(claims).blocks[0]
    assert mobility.counts[0] == matrix.CategoryCount(full=1)
    assert mobility.counts[1] == matrix.CategoryCount(partial=1)


def test_top_differences_rank_support_gaps_and_relative_number_spread():
    claims = [
        claim("a", "live-migration"),
        claim("b", "live-migration", "none"),
        claim("a", "max-vcpus", value=2048),
        claim("b", "max-vcpus", value=1024),
        claim("a", "vtpm"),
        claim("b", "vtpm", "partial"),
    ]
    ranked = [(r.feature.slug, r.spread) for r in build(claims).top_differences]
    assert ranked == [("live-migration", 1.0), ("max-vcpus", 0.5), ("vtpm", 0.5)]


def test_release_ranges_pick_the_claim_for_the_chosen_release():
    claims = [
        claim("a", "max-vcpus", value=64, start=1, until=1, claim_id=1),
        claim("a", "max-vcpus", value=240, start=2, claim_id=2),
    ]
    old = build(claims, columns=[column("a", 1), column("b")]).blocks[1].rows[0].cells[0]
    new = build(claims, columns=[column("a", 2), column("b")]).blocks[1].rows[0].cells[0]
    assert (old.claim_id, old.display_value) == (1, "64 vCPUs")
    assert (new.claim_id, new.display_value) == (2, "240 vCPUs")


def test_a_claim_applies_from_its_first_release_through_its_last():
    open_ended, ended = claim("a", "vtpm", start=2), claim("a", "vtpm", start=2, until=2)
    assert [open_ended.applies_to(p) for p in (1, 2, 3)] == [False, True, True]
    assert [ended.applies_to(p) for p in (1, 2, 3)] == [False, True, False]


def test_edition_free_claim_is_preferred_over_edition_claims():
    claims = [claim("a", "vtpm", edition="Datacenter", claim_id=7), claim("a", "vtpm", claim_id=8)]
    assert matrix.choose_claim(claims, 1).id == 8


def test_cells_mark_disputed_claims_and_stale_sources():
    claims = [
        claim("a", "vtpm", status="disputed"),
        claim("b", "vtpm", checked=TODAY - datetime.timedelta(days=400)),
    ]
    cells = build(claims).blocks[2].rows[0].cells
    assert (cells[0].disputed, cells[0].stale) == (True, False)
    assert (cells[1].disputed, cells[1].stale) == (False, True)
    assert cells[0].source_count == 1
    assert (cells[0].icon, cells[0].label) == ("✔", "Yes")


def test_parse_selection_reports_unknown_platforms_and_releases():
    known = {"hyper-v": ["2022", "2025"], "vmware-esxi": ["8.0"]}
    selection = matrix.parse_selection("hyper-v@2022, vmware-esxi,nope,vmware-esxi@7.0", known)
    assert selection.pairs == (("hyper-v", "2022"), ("vmware-esxi", None))
    assert selection.errors == (
        "Unknown platform 'nope'.",
        "vmware-esxi has no release '7.0' (known: 8.0).",
    )


def test_parse_selection_caps_at_eight_platforms():
    known = {f"p{i}": ["1"] for i in range(10)}
    selection = matrix.parse_selection(",".join(known), known)
    assert len(selection.pairs) == 8
    assert "at most 8" in selection.errors[-1]


def test_without_an_edition_free_claim_the_best_supported_edition_speaks():
    # Storage Spaces Direct: Datacenter has it since 2019, Standard lacks it (from 2025).
    claims = [
        claim("a", "hci", "full", start=1, edition="Datacenter", claim_id=1),
        claim("a", "hci", "none", start=2, edition="Standard", claim_id=2),
    ]
    assert matrix.choose_claim(claims, 2).id == 1


def _shown(grid):
    return [r.feature.slug for b in grid.blocks for r in b.rows]


def test_an_unknown_cell_is_a_gap_not_a_difference():
    claims = [
        claim("a", "live-migration"),  # b unknown (no claim)
        claim("a", "vtpm"),
        claim("b", "vtpm", "unknown"),  # an explicit unknown is a gap too
        claim("a", "max-vcpus", value=2048),
        claim("b", "max-vcpus", value=1024),
    ]
    grid = build(claims, matrix.Filters(differences_only=True))
    assert _shown(grid) == ["max-vcpus"]
    assert [r.feature.slug for r in grid.top_differences] == ["max-vcpus"]
    assert not matrix.differs(build(claims).blocks[0].rows[0].cells)


def test_unknown_beside_two_known_values_counts_only_the_known_difference():
    columns = [column("a"), column("b"), column("c")]
    same = [claim("a", "vtpm"), claim("b", "vtpm")]  # c unknown
    grid = build(same, matrix.Filters(differences_only=True), columns=columns)
    assert _shown(grid) == []
    assert grid.top_differences == ()


def test_not_applicable_and_no_documented_limit_are_known_answers():
    claims = [
        claim("a", "vtpm"),
        claim("b", "vtpm", "not-applicable"),
        claim("a", "max-vcpus", value=768),
        claim("b", "max-vcpus", "no-limit"),
    ]
    grid = build(claims, matrix.Filters(differences_only=True))
    assert _shown(grid) == ["max-vcpus", "vtpm"]
    cell = grid.blocks[0].rows[0].cells[1]
    assert (cell.icon, str(cell.label), cell.display_value) == ("∞", "No documented limit", "")
    # off the full/partial/none scale: a difference, ranked as a difference of kind (0.25)
    assert {r.feature.slug: r.spread for r in grid.top_differences} == {
        "max-vcpus": 0.25,
        "vtpm": 0.25,
    }


def test_summaries_count_limits_and_not_applicable_apart_from_support():
    claims = [
        claim("a", "max-vcpus", value=768),
        claim("b", "max-vcpus", "no-limit"),
        claim("a", "vtpm", "not-applicable"),
        claim("b", "vtpm"),
    ]
    scale, security = build(claims).blocks[1:]
    assert scale.counts == (matrix.CategoryCount(limits=1), matrix.CategoryCount(limits=1))
    assert security.counts == (
        matrix.CategoryCount(not_applicable=1),
        matrix.CategoryCount(full=1),
    )


def test_top_differences_follow_the_filters_and_rank_by_importance():
    important = matrix.FeatureInfo(
        **{**vars(feature("ha-restart", category="availability")), "importance": 3}
    )
    minor = matrix.FeatureInfo(**{**vars(feature("vtpm", category="security")), "importance": 1})
    claims = [
        claim("a", "ha-restart"),
        claim("b", "ha-restart", "partial"),  # spread 0.5, importance 3
        claim("a", "vtpm"),
        claim("b", "vtpm", "none"),  # spread 1.0, importance 1
    ]
    features = [important, minor]
    grid = matrix.build([column("a"), column("b")], features, claims, NO_FILTERS, today=TODAY)
    assert [r.feature.slug for r in grid.top_differences] == ["ha-restart", "vtpm"]
    only_security = matrix.Filters(categories=("security",))
    grid = matrix.build([column("a"), column("b")], features, claims, only_security, today=TODAY)
    assert [r.feature.slug for r in grid.top_differences] == ["vtpm"]
    assert matrix.to_json(grid)["categories"][0]["rows"][0]["importance"] == 1
