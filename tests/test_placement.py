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
