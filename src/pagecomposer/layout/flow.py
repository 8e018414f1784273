"""Flowing a story's blocks through its columns on the baseline grid.

Every body line sits on a grid line; a heading takes a whole number of grid lines and is never
left at the foot of a column (it moves on with its first lines). Whatever does not fit is
overset: counted in characters and lines, never dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from pagecomposer.display import CMYK
from pagecomposer.errors import SourceLocation
from pagecomposer.layout.grid import Column, PageGrid
from pagecomposer.layout.runs import line_items
from pagecomposer.spec.model import Style
from pagecomposer.story.model import Block
from pagecomposer.text.fonts import FontSet
from pagecomposer.text.justify import SetLine, set_line, set_paragraph
from pagecomposer.text.linebreak import MAX_STRETCH_EM, Break, break_paragraph
from pagecomposer.text.shaping import Paragraph, shape
from pagecomposer.textcheck import shortened

STYLE_OF_BLOCK = {"paragraph": "body", "lead": "lead", "heading": "heading", "byline": "byline"}
# A heading needs this many lines of its text under it in the same column (keep-with-next).
HEADING_KEEP_LINES = 2


@dataclass(frozen=True)
class PlacedLine:
    """One set line and where it went: for tests, quality figures and the report."""

    line: SetLine
    role: str
    column: int  # index into the story's column list
    grid_line: int  # for body lines; 0 for heading lines (they sit between grid lines)
    x: float
    baseline: float
    page: str = ""  # the page the line is on (a story may continue on another page)


@dataclass
class Warning:
    where: SourceLocation | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return text + (f" ({self.hint})" if self.hint else "")


@dataclass
class FlowResult:
    items: list = field(default_factory=list)  # glyph runs and dash rules, for the display list
    column_items: dict = field(default_factory=dict)  # the same, by column index (a story may span pages)
    lines: list[PlacedLine] = field(default_factory=list)
    overset_chars: int = 0  # source characters (spaces included) that did not fit
    overset_lines: int = 0  # about how many lines they would take at the last column's measure
    set_chars: int = 0  # source characters placed; set_chars + overset_chars is the whole story
    fallback_chars: int = 0  # characters set in a fallback font
    missing_chars: int = 0  # characters no font has (set as 〓)
    grid_lines_used: int = 0  # grid lines the set text takes (body lines, heading blocks and their space)
    widows_avoided: int = 0  # paragraphs whose last line was kept from standing alone at a column head
    orphans_avoided: int = 0  # paragraphs whose first line was kept from standing alone at a column foot
    warnings: list[Warning] = field(default_factory=list)


_SHAPED: dict[tuple, Paragraph] = {}
_BREAKS: dict[tuple, list[Break]] = {}  # keyed by the shaped paragraph's id: it lives as long as _SHAPED
CACHE_LIMIT = 100_000  # paragraphs: an edition has a few thousand; past this the caches start over


def _remember(cache: dict, key, value):
    if len(cache) >= CACHE_LIMIT:
        _SHAPED.clear()
        _BREAKS.clear()  # ids of dropped paragraphs could be reused
    cache[key] = value
    return value


class _Cursor:
    """Where the next line goes: a column and a free grid line in it (lines under a picture are
    not free: the text wraps around it)."""

    def __init__(self, columns: list[Column]):
        self.columns = columns
        self.index = 0
        self.line = columns[0].first_line if columns else 0
        self._skip_blocked()

    @property
    def column(self) -> Column | None:
        return self.columns[self.index] if self.index < len(self.columns) else None

    def _skip_blocked(self) -> None:
        while self.column is not None:
            column = self.column
            while self.line <= column.last_line and self.line in column.blocked:
                self.line += 1
            if self.line <= column.last_line:
                return
            self.index += 1
            if self.column is not None:
                self.line = self.column.first_line

    def lines_left(self) -> int:
        column = self.column
        if column is None:
            return 0
        return sum(1 for line in range(self.line, column.last_line + 1) if line not in column.blocked)

    def contiguous(self) -> int:
        """Free lines from here before the next picture or the column foot."""
        column = self.column
        count = 0
        while column is not None and column.free(self.line + count):
            count += 1
        return count

    def at_column_top(self) -> bool:
        column = self.column
        return column is not None and all(line in column.blocked for line in range(column.first_line, self.line))

    def advance(self, lines: int = 1) -> None:
        """Down `lines` lines in this column, and past any picture there (the column itself is only
        left by ensure_room or next_column, so callers keep their count of the lines set here)."""
        self.line += lines
        column = self.column
        while column is not None and self.line <= column.last_line and self.line in column.blocked:
            self.line += 1

    def next_column(self) -> None:
        self.index += 1
        if self.column:
            self.line = self.column.first_line
            self._skip_blocked()

    def ensure_room(self, lines: int = 1) -> bool:
        self._skip_blocked()
        while self.column and self.lines_left() < lines:
            self.next_column()
        return self.column is not None


class StoryFlow:
    def __init__(self, grid: PageGrid, fonts: FontSet, styles: dict[str, Style], swatches: dict[str, CMYK],
                 keep_lines: bool = True):
        self.keep_lines = keep_lines  # widow and orphan control
        # Shaping and breaking are pure functions of the copy, the style and the fonts: their results
        # are kept for the life of the process (_SHAPED, _BREAKS), so balancing's trial flows, and a
        # --watch rebuild after a one-story edit, redo only what changed.
        self._fonts_key = tuple(sorted((key, str(path)) for key, path in fonts.files.items()))
        self._story = ""  # for messages: which story and paragraph is being set
        self._paragraph = 0
        self.grid = grid
        self.fonts = fonts
        self.styles = styles
        self.swatches = swatches

    def flow(self, blocks: list[Block], columns: list[Column], story: str = "") -> FlowResult:
        result = FlowResult()
        cursor = _Cursor(columns)
        self._story = story
        for index, block in enumerate(blocks):
            self._paragraph = index + 1
            style = self.styles[STYLE_OF_BLOCK[block.kind]]
            if block.kind == "heading":
                placed = self._heading(block, style, cursor, result)
            else:
                placed = self._text_block(block, style, cursor, result)
            if not placed:
                result.overset_chars += sum(len(b.text) for b in blocks[index + 1:])
                result.overset_lines += sum(self._lines_needed(b) for b in blocks[index + 1:])
                break
        return result

    # --- body text ---------------------------------------------------------------------------

    def _shaped(self, block: Block, style: Style, phrase_breaks_only: bool = False) -> Paragraph:
        """The block shaped, from the process cache when the same copy was shaped before."""
        key = (block.runs, style, self._fonts_key, phrase_breaks_only)
        paragraph = _SHAPED.get(key)
        if paragraph is None:
            paragraph = _remember(_SHAPED, key, shape(block.runs, style, self.fonts,
                                                      phrase_breaks_only=phrase_breaks_only))
        return paragraph

    @staticmethod
    def _breaks(paragraph: Paragraph, start: int, width: float, style: Style) -> list[Break]:
        """Line ends for the rest of a paragraph at a column width, from the process cache."""
        key = (id(paragraph), start, width, style.breaker)
        breaks = _BREAKS.get(key)
        if breaks is None:
            indent = style.indent * style.size if start == 0 else 0.0
            breaks = _remember(_BREAKS, key, break_paragraph(paragraph, start, width - indent, width, style.breaker))
        return breaks

    def _shape(self, block: Block, style: Style, result: FlowResult, phrase_breaks_only: bool = False) -> Paragraph:
        paragraph = self._shaped(block, style, phrase_breaks_only)
        result.missing_chars += len(paragraph.missing)
        for missing in paragraph.missing:
            result.warnings.append(Warning(block.where, f"story '{self._story}', paragraph {self._paragraph}: no "
                                           f"font in the '{style.name}' chain has '{missing.char}' "
                                           f"({missing.code_point}); set as 〓",
                                           "add a font that has it to the style's font list"))
        return paragraph

    def _text_block(self, block: Block, style: Style, cursor: _Cursor, result: FlowResult) -> bool:
        # A byline is a list of names: break between names, never inside one (曹 / 婷).
        paragraph = self._shape(block, style, result, phrase_breaks_only=block.kind == "byline")
        result.fallback_chars += paragraph.fallbacks
        if style.space_before and not cursor.at_column_top():
            cursor.advance(style.space_before)
        start = 0
        count = len(paragraph.glyphs)
        breaks: list[Break] = []
        composed_width = None
        while start < count:
            if not cursor.ensure_room(1):
                result.overset_chars += count - start
                result.overset_lines += len(breaks) or self._count_lines(paragraph, start, style)
                return False
            column = cursor.column
            if column.width != composed_width:
                # The whole rest of the paragraph is broken at once (total fit) for this column's measure.
                breaks = self._breaks(paragraph, start, column.width, style)
                composed_width = column.width
                for brk in breaks:
                    if brk.forced:
                        result.warnings.append(Warning(
                            block.where, "a unit wider than the column had to be broken against the rules "
                            f"near '{paragraph.text[paragraph.glyphs[brk.end - 1].source:][:12]}'",
                            "shorten it or widen the column"))
            take = self._lines_for_column(len(breaks), cursor, first=start == 0, result=result)
            if take == 0:
                cursor.next_column()
                continue
            for brk in breaks[:take]:
                indent = style.indent * style.size if start == 0 else 0.0
                line = set_line(paragraph, start, brk.end, column.width - indent, indent=indent,
                                last=brk.end >= count, align=style.align)
                if line.stretch_per_gap > MAX_STRETCH_EM * style.size and not line.last:
                    result.warnings.append(Warning(
                        block.where, f"story '{self._story}', paragraph {self._paragraph}: a loose line "
                        f"({line.stretch_per_gap / style.size:.0%} between characters): '{shortened(line.text)}'",
                        "an unbreakable run (a URL, a long number) leaves too few gaps; edit the copy"))
                baseline = self.grid.baseline(cursor.line)
                self._emit(result, cursor.index,
                           line_items(line, column.x, baseline, self.fonts, self.swatches, block.kind))
                result.lines.append(PlacedLine(line, block.kind, cursor.index, cursor.line, column.x, baseline,
                                               column.page))
                result.set_chars += brk.end - start  # source characters consumed, spaces included
                result.grid_lines_used += 1
                cursor.advance(1)
                start = brk.end
            breaks = breaks[take:]
            if start < count:
                cursor.next_column()
        return True

    @staticmethod
    def _emit(result: FlowResult, column: int, items: list) -> None:
        result.items.extend(items)
        result.column_items.setdefault(column, []).extend(items)

    def _lines_for_column(self, remaining: int, cursor: _Cursor, first: bool, result: FlowResult) -> int:
        """How many of a paragraph's remaining lines go into this column (widow and orphan control).

        No single first line at a column foot (孤行 at the bottom), no single last line at the head of
        the next column: a line is moved on instead, leaving the foot one line short. Where there is no
        next column the lines are set anyway; what does not fit is overset, not hidden."""
        room = cursor.lines_left()
        if remaining <= room or not self.keep_lines or cursor.index + 1 >= len(cursor.columns):
            return min(room, remaining)
        if first and room == 1 and not cursor.at_column_top():
            result.orphans_avoided += 1
            return 0
        if remaining - room == 1 and remaining >= 3 and room >= 2:
            result.widows_avoided += 1
            return room - 1
        return room

    def _count_lines(self, paragraph: Paragraph, start: int, style: Style) -> int:
        return len(self._breaks(paragraph, start, self.grid.grid.column_width, style))

    def _lines_needed(self, block: Block) -> int:
        style = self.styles[STYLE_OF_BLOCK[block.kind]]
        return self._count_lines(self._shaped(block, style), 0, style)

    # --- headings ----------------------------------------------------------------------------

    def _heading_lines(self, block: Block, style: Style, measure: float, result: FlowResult) -> list[SetLine]:
        # Headings break between phrases (at the space in 厚植优势产业 提升发展新动能), never inside one;
        # only a phrase longer than the column falls back to breaking between characters.
        paragraph = self._shape(block, style, result, phrase_breaks_only=True)
        lines = set_paragraph(paragraph, measure, align=style.align)
        if any(line.natural_width > measure + 0.01 for line in lines):
            paragraph = shape(block.runs, style, self.fonts)
            lines = set_paragraph(paragraph, measure, align=style.align)
            result.warnings.append(Warning(block.where, f"heading '{shortened(block.text)}' has a phrase wider than the "
                                           "column and was broken inside it", "shorten the heading or add a space"))
        return lines

    def _heading(self, block: Block, style: Style, cursor: _Cursor, result: FlowResult) -> bool:
        pitch = self.grid.grid.pitch
        gap = self.grid.grid.line_gap
        while True:
            column = cursor.column
            if column is None:
                result.overset_chars += len(block.text)
                result.overset_lines += 1
                return False
            lines = self._heading_lines(block, style, column.width, result)
            line_advance = style.size * style.line_height
            text_height = len(lines) * line_advance
            body_lines = max(style.grid_lines, math.ceil((text_height + gap) / pitch))
            before = 0 if cursor.at_column_top() else style.space_before
            needed = before + body_lines + style.space_after + HEADING_KEEP_LINES
            fits = cursor.lines_left() >= needed or cursor.at_column_top() and cursor.lines_left() >= body_lines
            if fits and cursor.contiguous() >= before + body_lines:
                break
            if fits:  # room in the column, but a picture is in the way: set the heading below it
                cursor.advance(max(1, cursor.contiguous()))
                if cursor.column is not None and cursor.line <= cursor.column.last_line:
                    continue
            cursor.next_column()
        cursor.line += before
        block_top = self.grid.line_top(cursor.line)
        block_height = body_lines * pitch - gap
        top = block_top + (block_height - text_height) / 2
        face = self.fonts.face(style.fonts[0])
        for i, line in enumerate(lines):
            # Centre each line's em box in its share of the block.
            em_top = top + i * line_advance + (line_advance - style.size) / 2
            baseline = em_top + face.ascent * style.size
            self._emit(result, cursor.index, line_items(line, column.x, baseline, self.fonts, self.swatches, "heading"))
            result.lines.append(PlacedLine(line, "heading", cursor.index, 0, column.x, baseline, column.page))
        result.set_chars += len(block.text)
        result.grid_lines_used += before + body_lines + style.space_after
        cursor.advance(body_lines + style.space_after)
        return True
