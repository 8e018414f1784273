"""Flowing a story through columns: widows and orphans, headings kept with their text, balancing."""

from __future__ import annotations

import json

import pytest

from pagecomposer.pipeline import build
from pagecomposer.layout.flow import StoryFlow
from pagecomposer.layout.grid import Column, PageGrid
from pagecomposer.story.model import Block, Run
from pagecomposer.errors import SourceLocation
from tests.conftest import EXAMPLE

WHERE = SourceLocation("test.md", 1)


@pytest.fixture(scope="module")
def flow(broadsheet, fonts):
    grid = PageGrid(broadsheet, 0.88)
    return StoryFlow(grid, fonts, broadsheet.styles, broadsheet.swatches)


def paragraph(chars: int) -> Block:
    """A paragraph of `chars` Han characters: with the 2 em indent, ceil((chars + 2) / 13) lines."""
    return Block("paragraph", (Run("国" * chars),), WHERE)


def columns(count: int, lines: int) -> list[Column]:
    return [Column(100.0 + i * 126, 117.0, 1, lines) for i in range(count)]


def lines_per_column(result):
    counts = {}
    for placed in result.lines:
        counts.setdefault(placed.column, []).append(placed)
    return counts


def test_no_single_first_line_at_a_column_foot(flow):
    # 9 lines fill column 1 but one; a 3-line paragraph must not leave its first line there alone.
    result = flow.flow([paragraph(9 * 13 - 2), paragraph(3 * 13 - 2)], columns(2, 10))
    by_column = lines_per_column(result)
    assert len(by_column[0]) == 9 and len(by_column[1]) == 3
    assert result.orphans_avoided == 1 and result.overset_chars == 0


def test_no_single_last_line_at_a_column_head(flow):
    # An 11-line paragraph in 10-line columns would leave its last line alone at the next column's head.
    result = flow.flow([paragraph(11 * 13 - 2)], columns(2, 10))
    by_column = lines_per_column(result)
    assert len(by_column[0]) == 9 and len(by_column[1]) == 2
    assert result.widows_avoided == 1


def test_a_heading_moves_on_with_its_first_lines(flow):
    heading = Block("heading", (Run("厚植优势产业 提升发展新动能"),), WHERE)
    result = flow.flow([paragraph(8 * 13 - 2), heading, paragraph(4 * 13 - 2)], columns(2, 10))
    headings = [p for p in result.lines if p.role == "heading"]
    assert {p.column for p in headings} == {1}  # not left at the foot of column 1 with no text under it
    after = [p for p in result.lines if p.role == "paragraph" and p.column == 1]
    assert len(after) >= 2


def test_overset_is_counted_not_dropped(flow):
    text = paragraph(30 * 13)
    result = flow.flow([text], columns(2, 10))
    assert result.overset_chars > 0
    assert result.set_chars + result.overset_chars == len(text.text)


def test_balanced_story_ends_its_columns_level(tmp_path):
    issue = EXAMPLE.read_text(encoding="utf-8")
    assert "balance: true" in issue
    result = build(EXAMPLE, tmp_path)
    story = result.pages[0].stories[0].flow
    bottoms = {}
    for placed in story.lines:
        if placed.grid_line:
            bottoms[placed.column] = max(bottoms.get(placed.column, 0), placed.grid_line)
    # All but the last column reach the same (shortened) foot; the last one is at most 8 lines short.
    assert len(set(list(bottoms.values())[:-1])) == 1
    assert max(bottoms.values()) - min(bottoms.values()) <= 8
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    quality = report["stories"][0]
    for key in ("lines", "mean_stretch", "worst_stretch", "compressed_pairs", "hangs", "widows_avoided",
                "fallback_chars", "missing_chars", "overset_chars"):
        assert key in quality
    assert quality["lines"] == len(story.lines)


def test_kai_lead_takes_full_width_quotes_from_the_next_face(broadsheet, fonts):
    from pagecomposer.text.shaping import shape
    paragraph = shape([Run("他说“好”。")], broadsheet.styles["lead"], fonts)
    by_char = {g.char: g for g in paragraph.glyphs}
    assert by_char["他"].font == "kai"
    assert by_char["“"].font == "song" and by_char["“"].advance == pytest.approx(9.0)
    assert paragraph.fallbacks == 2
