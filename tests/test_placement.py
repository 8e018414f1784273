"""Placing elements by grid columns/lines and in mm."""

from __future__ import annotations

import pytest

from pagecomposer.errors import SpecError
from pagecomposer.layout.grid import PageGrid
from pagecomposer.spec.load import _area
from pagecomposer.spec.reader import MapReader
from pagecomposer.spec.yamlnodes import load_yaml_text
from pagecomposer.units import PT_PER_MM


def area_of(text, layout):
    node = load_yaml_text(text, "issue.yaml")
    return _area(node, MapReader(node, "frame", ["columns", "lines", "x", "y", "width", "height"]), layout)


def test_grid_area_spans_columns_and_lines(broadsheet):
    grid = PageGrid(broadsheet, 0.88)
    rect = grid.area_rect(area_of("{columns: 2-3, lines: 11-20}", broadsheet))
    assert rect.width == pytest.approx(2 * 117 + 9)  # two 13-character columns and a gutter
    assert rect.y == pytest.approx(broadsheet.margin_top + 10 * 13.5)
    assert rect.height == pytest.approx(9 * 13.5 + 9)


def test_mm_area_keeps_its_rectangle_and_finds_the_grid_cells_inside(broadsheet):
    grid = PageGrid(broadsheet, 0.88)
    # From the left edge of column 3, 100 mm wide; from the top of line 21 down 60 mm.
    x = grid.column_left(3)
    y = grid.line_top(21)
    area = area_of(f"{{x: {x / PT_PER_MM:.4f}mm, y: {y / PT_PER_MM:.4f}mm, width: 100mm, height: 60mm}}", broadsheet)
    assert grid.area_rect(area).width == pytest.approx(100 * PT_PER_MM, abs=0.01)
    assert area.columns == (3, 4)  # 100 mm holds two 126-pt column steps, not a third column
    assert area.lines[0] == 21
    assert grid.line_bottom(area.lines[1]) <= y + 60 * PT_PER_MM + 0.5 < grid.line_bottom(area.lines[1] + 1)


@pytest.mark.parametrize("text,message", [
    ("{columns: 1-2, x: 10mm, y: 10mm, width: 50mm, height: 50mm}", "not both"),
    ("{x: 10mm, y: 10mm}", "also needs width, height"),
    ("{columns: 1-2}", "needs 'lines'"),
])
def test_placement_mistakes_are_errors(text, message, broadsheet):
    with pytest.raises(SpecError, match=message):
        area_of(text, broadsheet)


def test_long_columns_span_basic_columns(broadsheet):
    from dataclasses import replace as _replace
    grid = PageGrid(broadsheet, 0.88)
    area = _replace(area_of("{columns: 1-6, lines: 1-20}", broadsheet), span=2)
    columns = grid.frame_columns(area)
    assert len(columns) == 3
    assert all(c.width == pytest.approx((2 * 13 + 1) * 9) for c in columns)  # 长栏: 27 characters
    assert columns[1].x == pytest.approx(grid.column_left(3))


def test_split_area_into_whole_character_columns(broadsheet):
    from dataclasses import replace as _replace
    grid = PageGrid(broadsheet, 0.88)
    area = _replace(area_of("{columns: 1-3, lines: 1-20}", broadsheet), split=2)  # 三破二
    columns = grid.frame_columns(area)
    assert [c.width / 9 for c in columns] == [20, 20]  # 41 characters: 20 + 1 + 20
    assert columns[1].x - columns[0].x == pytest.approx(21 * 9)
    assert columns[1].x + columns[1].width == pytest.approx(grid.column_right(3))
    area = _replace(area_of("{columns: 1-4, lines: 1-20}", broadsheet), split=3)  # 四破三: 55 = 3 x 17 + 4
    columns = grid.frame_columns(area)
    assert [c.width / 9 for c in columns] == [17, 17, 17]
    gutters = [round((b.x - a.x - a.width) / 9) for a, b in zip(columns, columns[1:])]
    assert gutters == [2, 2]  # the remainder widens the gutters, in whole characters
    assert columns[-1].x + columns[-1].width == pytest.approx(grid.column_right(4))


def test_text_wraps_around_a_picture(broadsheet, fonts):
    from pagecomposer.layout.flow import StoryFlow
    from pagecomposer.layout.grid import Column, Rect
    from pagecomposer.layout.page import _wrap_columns
    from pagecomposer.story.model import Block, Run
    from pagecomposer.errors import SourceLocation
    grid = PageGrid(broadsheet, 0.88)
    picture = Rect(grid.column_left(1), grid.line_top(5), 117, grid.line_bottom(10) - grid.line_top(5))
    columns = _wrap_columns([Column(grid.column_left(1), 117, 1, 20)], [picture], grid)
    assert columns[0].blocked == frozenset(range(4, 12))  # lines 5-10 and one line of clearance each side
    flow = StoryFlow(grid, fonts, broadsheet.styles, broadsheet.swatches)
    result = flow.flow([Block("paragraph", (Run("国" * 150),), SourceLocation("t.md", 1))], columns)
    lines = [p.grid_line for p in result.lines]
    assert not set(lines) & set(range(4, 12))
    assert lines[:3] == [1, 2, 3] and lines[3] == 12
