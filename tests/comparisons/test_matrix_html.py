from django.utils import translation

from comparisons.matrix import Cell
from comparisons.matrix_html import claim_cell, lang_attr


def test_a_text_cell_says_its_support_in_words_not_only_in_colour():
    html = claim_cell(Cell(claim_id=7, support="partial", text="Up to 4 per VM"), "text")
    assert '<span class="support-mark support-partial">' in html
    assert "◐</span> Partly" in html
    assert '<span class="cell-text">Up to 4 per VM</span>' in html


def test_a_panel_cell_links_to_its_claim_page_and_loads_it_into_the_panel():
    html = claim_cell(Cell(claim_id=42, support="full"), panel=True)
    assert 'href="/claims/42/"' in html
    assert 'hx-get="/claims/42/" hx-target="#claim-panel-body"' in html
    assert "hx-get" not in claim_cell(Cell(claim_id=42, support="full"))


def test_a_cell_without_claim_says_so_in_words():
    html = claim_cell(Cell(claim_id=None, support="unknown"))
    assert "<a" not in html
    assert "?</span> No data" in html


def test_values_are_escaped():
    html = claim_cell(Cell(claim_id=1, support="full", text="<b>x</b>"), "text")
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_english_fallback_text_on_a_chinese_page_is_marked_english():
    with translation.override("zh-hans"):
        assert lang_attr("Up to 4 per VM") == ' lang="en"'
        assert lang_attr("每台虚拟机最多 4 个") == ""
        html = claim_cell(Cell(claim_id=3, support="full", text="Up to 4 per VM"), "text")
        assert '<span class="cell-text" lang="en">' in html
    with translation.override("en"):
        assert lang_attr("Up to 4 per VM") == ""
