"""Grid arithmetic: basic columns and baseline-grid lines to page coordinates (points, y down)."""

from __future__ import annotations

from dataclasses import dataclass

from pagecomposer.spec.model import Area, Layout


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Column:
    """One column of a frame: its left edge, its measure and the grid lines it may fill."""

    x: float
    width: float
    first_line: int
    last_line: int


class PageGrid:
    def __init__(self, layout: Layout, ascent: float):
        self.layout = layout
        self.grid = layout.grid
        self.ascent = ascent  # em from the top of the em box to the baseline (0.88 for Noto CJK)

    def column_left(self, column: int) -> float:
        g = self.grid
        return self.layout.type_area_left + (column - 1) * (g.column_width + g.gutter)

    def column_right(self, column: int) -> float:
        return self.column_left(column) + self.grid.column_width

    def line_top(self, line: int) -> float:
        """Top of the em box of grid line `line` (1-based)."""
        return self.layout.type_area_top + (line - 1) * self.grid.pitch

    def line_bottom(self, line: int) -> float:
        return self.line_top(line) + self.grid.body_size

    def baseline(self, line: int) -> float:
        return self.line_top(line) + self.ascent * self.grid.body_size

    def area_rect(self, area: Area) -> Rect:
        """The rectangle an element covers: from its first line's em top to its last line's em bottom
        (or exactly the rectangle it was given in mm)."""
        if area.rect is not None:
            return Rect(*area.rect)
        left = self.column_left(area.columns[0])
        right = self.column_right(area.columns[1])
        top = self.line_top(area.lines[0])
        return Rect(left, top, right - left, self.line_bottom(area.lines[1]) - top)

    def frame_columns(self, area: Area) -> list[Column]:
        return [Column(self.column_left(c), self.grid.column_width, area.lines[0], area.lines[1])
                for c in range(area.columns[0], area.columns[1] + 1)]
