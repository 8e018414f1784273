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
    page: str = ""  # the page it is on (a story may continue on another page)
    blocked: frozenset[int] = frozenset()  # grid lines a picture or box takes (text wraps around them)

    def free(self, line: int) -> bool:
        return self.first_line <= line <= self.last_line and line not in self.blocked


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
        """The text columns of a frame: its basic columns, grouped into 长栏 (span) or re-divided
        into 破栏 (split). Widths are always whole characters; a split's remainder widens gutters."""
        g = self.grid
        first, last = area.columns
        lines = area.lines
        if area.split:
            count = last - first + 1
            total = count * g.chars_per_column + (count - 1) * g.gutter_chars  # characters across the area
            width = (total - (area.split - 1) * g.gutter_chars) // area.split
            extra = total - area.split * width - (area.split - 1) * g.gutter_chars
            columns, x = [], self.column_left(first)
            for index in range(area.split):
                columns.append(Column(x, width * g.body_size, lines[0], lines[1]))
                gutter = g.gutter_chars + (1 if index < extra else 0)
                x += (width + gutter) * g.body_size
            return columns
        span = area.span
        width = (span * g.chars_per_column + (span - 1) * g.gutter_chars) * g.body_size
        return [Column(self.column_left(c), width, lines[0], lines[1]) for c in range(first, last + 1, span)]
