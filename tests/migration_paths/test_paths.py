"""The grid and pair builders (pure)."""

from migration_paths import paths

A, B, C = (paths.PlatformRef(s, s.title()) for s in ("a", "b", "c"))


def method(pk, source, target, mode, kind="vendor-tool", status="published"):
    return paths.MethodRow(pk, source, target, f"m{pk}", f"Tool {pk}", kind, mode, status)


def test_best_mode_is_live_then_warm_then_cold():
    assert paths.best_mode(["cold", "warm"]) == "warm"
    assert paths.best_mode(["unknown", "cold"]) == "cold"
    assert paths.best_mode(["cold", "live", "warm"]) == "live"
    assert paths.best_mode([]) is None


def test_grid_has_every_ordered_pair_and_an_empty_diagonal():
    grid = paths.build_grid([A, B, C], [], [], [])
    assert len(grid.cells) == 6
    assert [row.cells[i] for i, row in enumerate(grid.rows)] == [None, None, None]


def test_grid_cell_counts_published_methods_and_distinct_sources():
    methods = [
        method(1, "a", "b", "cold"),
        method(2, "a", "b", "warm"),
        method(3, "a", "b", "live", status="draft"),
    ]
    cited = [("a", "b", 10), ("a", "b", 10), ("a", "b", 11)]
    grid = paths.build_grid([A, B], [("a", "b")], methods, cited)
    cell = grid.rows[0].cells[1]
    assert (cell.best_mode, cell.methods, cell.sources, cell.has_entry) == ("warm", 2, 2, True)
    assert grid.rows[1].cells[0].documented is False


def test_kind_filter_keeps_only_those_kinds():
    methods = [
        method(1, "a", "b", "warm", kind="backup-restore"),
        method(2, "a", "b", "cold", kind="manual"),
    ]
    grid = paths.build_grid([A, B], [], methods, [], kinds=frozenset({"manual"}))
    assert grid.rows[0].cells[1].best_mode == "cold"


def test_mode_filter_marks_slower_pairs():
    methods = [method(1, "a", "b", "cold"), method(2, "b", "a", "warm")]
    grid = paths.build_grid([A, B], [], methods, [], min_mode="warm")
    assert grid.rows[0].cells[1].matches is False
    assert grid.rows[1].cells[0].matches is True


def test_pair_puts_the_best_mode_first_and_builds_the_checklist():
    methods = [method(1, "a", "b", "cold"), method(2, "a", "b", "warm")]
    statements = [
        paths.StatementRow(1, 1, "manual", "Do X.", "published", "high"),
        paths.StatementRow(2, 2, "limit", "Max 10.", "published", "high"),
        paths.StatementRow(3, 2, "manual", "Hidden draft.", "draft", "high"),
    ]
    citations = [
        paths.CitationRow(1, 7, "https://x/1", stance="contradicts"),
        paths.CitationRow(1, 8, "https://x/2"),
        paths.CitationRow(2, 8, "https://x/2"),
    ]
    pair = paths.build_pair(A, B, methods, statements, citations)
    assert [m.row.id for m in pair.methods] == [2, 1]
    assert pair.best_mode == "warm"
    assert [i.statement.text for i in pair.checklist] == ["Max 10.", "Do X."]
    assert pair.checklist[1].statement.first_source.url == "https://x/2"
    assert pair.source_count == 2


def test_pair_without_methods_is_not_documented():
    pair = paths.build_pair(A, B, [], [], [])
    assert pair.documented is False
    assert pair.best_mode is None


def test_json_shapes_name_both_ends():
    grid = paths.build_grid([A, B], [], [method(1, "a", "b", "cold")], [])
    assert paths.grid_to_json(grid)[0] == {
        "from": "a",
        "to": "b",
        "has_entry": False,
        "best_mode": "cold",
        "methods": 1,
        "sources": 0,
        "kinds": ["vendor-tool"],
    }
