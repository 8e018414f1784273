"""Page specs -> display lists, and what the report needs to say about them.

Each page's fixed elements (ads, headlines, pictures, rules, folio, masthead) are placed first.
Then each story is flowed through its frames: a story whose frames lie on several pages (转版) is
flowed once through all of them, in page order, with its jump lines written in — 下转第X版 at the
foot of the last column on one page, 上接第X版 at the head of the first on the next — and each line
taking a grid line of its own. Pictures inside a story's frame take the grid lines they cover out
of its columns, so the text wraps around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pagecomposer.display import Box, Keepout, PageDisplay, Picture
from pagecomposer.errors import SpecError
from pagecomposer.layout.blocks import (
    ad_items, folio_items, headline_items, masthead_items, quote_items, rule_items,
)
from pagecomposer.layout.display_text import set_display_line
from pagecomposer.layout.flow import FlowResult, StoryFlow, Warning
from pagecomposer.layout.grid import Column, PageGrid, Rect
from pagecomposer.layout.pictures import image_items, picture
from pagecomposer.layout.runs import line_items
from pagecomposer.spec.model import (
    AdElement, FolioElement, HeadlineElement, ImageElement, IssueSpec, MastheadElement, PageSpec, QuoteElement,
    RuleElement, StoryElement,
)
from pagecomposer.story.model import Story
from pagecomposer.text.fonts import FontSet


@dataclass
class StoryReport:
    article: str
    flow: FlowResult
    pages: tuple[str, ...] = ()  # the pages it runs over (more than one: it jumps)
    capacity_lines: int = 0  # grid lines its frames offer (less pictures and jump lines)

    @property
    def overset(self) -> bool:
        return self.flow.overset_chars > 0


@dataclass
class PageResult:
    display: PageDisplay
    grid: PageGrid
    stories: list[StoryReport] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    spec: PageSpec | None = None


@dataclass(frozen=True)
class _Part:
    """The frames of one story on one page."""

    page: PageResult
    element: StoryElement


def _wrap_columns(columns: list[Column], obstacles: list[Rect], grid: PageGrid) -> list[Column]:
    """Take out of each column the grid lines a picture covers, with a line's gap of clearance."""
    gap = grid.grid.line_gap
    wrapped = []
    for column in columns:
        blocked = set(column.blocked)
        for rect in obstacles:
            if rect.x >= column.x + column.width or rect.right <= column.x:
                continue
            for line in range(column.first_line, column.last_line + 1):
                if grid.line_top(line) <= rect.bottom + gap and grid.line_bottom(line) >= rect.y - gap:
                    blocked.add(line)
        wrapped.append(replace(column, blocked=frozenset(blocked)))
    return wrapped


def _obstacles(display: PageDisplay) -> list[Rect]:
    """Pictures (with their captions) and pull quotes on the page: what story text must wrap around."""
    rects = [Rect(*item.frame) for item in display.items if isinstance(item, Picture)]
    return rects + [Rect(i.x, i.y, i.width, i.height) for i in display.items if isinstance(i, Keepout)]


def _story_box(element: StoryElement, columns: list[Column], grid: PageGrid, layout) -> Box:
    """框: a rule around the story's columns as flowed (a balanced story's box is as deep as its
    text), in the gutter and margin around them."""
    pad = grid.grid.gutter / 2
    left = min(c.x for c in columns) - pad
    right = max(c.x + c.width for c in columns) + pad
    top = grid.line_top(min(c.first_line for c in columns)) - pad
    bottom = grid.line_bottom(max(c.last_line for c in columns)) + pad
    return Box(left, top, right - left, bottom - top, stroke=layout.swatches[element.box], stroke_width=0.75)


def _place_fixed(page: PageSpec, result: PageResult, stories: dict[str, Story], issue: IssueSpec,
                 fonts: FontSet) -> None:
    layout, grid, display = page.layout, result.grid, result.display
    for element in page.elements:
        if isinstance(element, AdElement) and element.file is not None:
            display.items.append(picture(element.file, grid.area_rect(element.area), (0.0, 0.0, 1.0, 1.0),
                                         element.fit, layout, element.area.where, f"ad '{element.name}'",
                                         result.warnings, element.page))
        elif isinstance(element, AdElement):
            display.items += ad_items(element, grid, layout, fonts, result.warnings)
        elif isinstance(element, ImageElement):
            display.items += image_items(element, grid, layout, fonts, result.warnings)
        elif isinstance(element, HeadlineElement):
            display.items += headline_items(element, stories[element.article], grid, layout, fonts, result.warnings)
        elif isinstance(element, RuleElement):
            display.items += rule_items(element, grid, layout)
        elif isinstance(element, FolioElement):
            display.items += folio_items(element, page, issue, grid, layout, fonts, result.warnings)
        elif isinstance(element, MastheadElement):
            display.items += masthead_items(element, issue, len(issue.pages), grid, layout, fonts, result.warnings)
        elif isinstance(element, QuoteElement):
            display.items += quote_items(element, grid, layout, fonts)


def _columns(parts: list[_Part], jumps: bool) -> list[Column]:
    """All the story's text columns in reading order, each knowing its page; with jumps, the last
    line of a page's part and the first line of the next page's part are kept for the jump lines."""
    columns: list[Column] = []
    for index, part in enumerate(parts):
        grid = part.page.grid
        page_columns = [column for frame in part.element.frames for column in grid.frame_columns(frame)]
        page_columns = [replace(c, page=part.page.display.id) for c in page_columns]
        page_columns = _wrap_columns(page_columns, _obstacles(part.page.display), grid)
        if jumps and index > 0:
            page_columns[0] = replace(page_columns[0], first_line=page_columns[0].first_line + 1)
        if jumps and index < len(parts) - 1:
            page_columns[-1] = replace(page_columns[-1], last_line=page_columns[-1].last_line - 1)
        columns += page_columns
    return columns


def _flow_story(flow: StoryFlow, blocks, parts: list[_Part]) -> tuple[FlowResult, list[Column]]:
    element = parts[0].element
    jumps = len(parts) > 1

    def flow_through(part_list: list[_Part]) -> tuple[FlowResult, list[Column]]:
        columns = _columns(part_list, jumps)
        return flow.flow(blocks, columns, story=element.article), columns

    result, columns = flow_through(parts)
    last = parts[-1].element
    if not last.balance or result.overset_chars:
        return result, columns
    # 齐栏: the shallowest last frame that still holds the whole story, so its columns end level
    # instead of the last one ending short. Text flows top to bottom, so fewer lines never fit more.
    *leading, final = last.frames
    low, high = final.lines[0], final.lines[1]
    best = (result, columns)
    while low < high:
        bottom = (low + high) // 2
        shorter = replace(last, frames=(*leading, replace(final, lines=(final.lines[0], bottom))))
        trial = flow_through([*parts[:-1], replace(parts[-1], element=shorter)])
        if trial[0].overset_chars:
            low = bottom + 1
        else:
            high, best = bottom, trial
    return best


def _jump_lines(parts: list[_Part], columns: list[Column], result: FlowResult, fonts: FontSet, layout) -> None:
    """下转第X版 / 上接第X版 where the story actually goes on to the next page."""
    style = layout.styles["jump"]
    used_pages = {columns[index].page for index in result.column_items}
    for before, after in zip(parts, parts[1:]):
        if after.page.display.id not in used_pages:
            continue
        last = [c for c in columns if c.page == before.page.display.id][-1]
        first = [c for c in columns if c.page == after.page.display.id][0]
        for column, text, align, line, part in (
                (last, f"（下转第{after.page.spec.number}版）", "right", last.last_line + 1, before),
                (first, f"（上接第{before.page.spec.number}版）", "left", first.first_line - 1, after)):
            display_line = set_display_line(text, style, fonts, column.width, align)
            grid = part.page.grid
            part.page.display.items += line_items(display_line.line, column.x, grid.baseline(line), fonts,
                                                  layout.swatches, "jump", condense=display_line.condense)


def compose_issue_pages(issue: IssueSpec, stories: dict[str, Story],
                        only: set[str] | None = None) -> list[PageResult]:
    """The display lists of the issue's pages, or of the pages `only` names. Those must include every
    page a story on them jumps to or from (incremental.page_groups gives such sets)."""
    pages: list[PageResult] = []
    fonts_by_layout: dict[int, FontSet] = {}
    for page in issue.pages:
        if only is not None and page.id not in only:
            continue
        layout = page.layout
        fonts = fonts_by_layout.setdefault(id(layout), FontSet(layout.fonts))
        grid = PageGrid(layout, fonts.face(layout.styles["body"].fonts[0]).ascent)
        result = PageResult(PageDisplay(page.id, layout.trim_width, layout.trim_height, layout.bleed), grid,
                            spec=page)
        _place_fixed(page, result, stories, issue, fonts)
        pages.append(result)

    # Each article's story parts, in page order: one part is an ordinary story, several a jump.
    parts_by_article: dict[str, list[_Part]] = {}
    for result in pages:
        for element in result.spec.elements:
            if isinstance(element, StoryElement):
                parts_by_article.setdefault(element.article, []).append(_Part(result, element))
    for article, parts in parts_by_article.items():
        layouts = {id(part.page.spec.layout) for part in parts}
        if len(layouts) > 1:
            raise SpecError(f"story '{article}' jumps between pages of different layouts", parts[1].element.where,
                            "continue it on a page of the same layout")
        layout = parts[0].page.spec.layout
        fonts = fonts_by_layout[id(layout)]
        first_page = parts[0].page
        flow = StoryFlow(first_page.grid, fonts, layout.styles, layout.swatches)
        blocks = stories[article].body_blocks(with_byline=parts[-1].element.byline == "end")
        flowed, columns = _flow_story(flow, blocks, parts)
        for index, items in flowed.column_items.items():
            page = next(p.page for p in parts if p.page.display.id == columns[index].page)
            page.display.items += items
        if len(parts) > 1:
            _jump_lines(parts, columns, flowed, fonts, layout)
        for part in parts:
            if part.element.box:
                own = [c for c in columns if c.page == part.page.display.id]
                part.page.display.items.append(_story_box(part.element, own, part.page.grid, layout))
        capacity = sum(sum(1 for line in range(c.first_line, c.last_line + 1) if line not in c.blocked)
                       for c in _columns(parts, len(parts) > 1))  # the frames as given, before balancing
        report = StoryReport(article, flowed, tuple(p.page.display.id for p in parts), capacity)
        first_page.stories.append(report)
        first_page.warnings += flowed.warnings
        if flowed.overset_chars:
            parts[-1].page.warnings.append(Warning(
                parts[-1].element.where, f"story '{article}' is overset: {flowed.overset_chars} characters "
                f"(about {flowed.overset_lines} lines) did not fit its frames",
                "cut the copy, enlarge a frame, or add a frame"))
    return pages
