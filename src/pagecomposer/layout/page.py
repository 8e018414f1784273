"""One page spec -> its display list and what the report needs to say about it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from pagecomposer.display import PageDisplay
from pagecomposer.layout.blocks import ad_items, folio_items, headline_items, masthead_items, rule_items
from pagecomposer.layout.flow import FlowResult, StoryFlow, Warning
from pagecomposer.layout.grid import PageGrid
from pagecomposer.spec.model import (
    AdElement, FolioElement, HeadlineElement, ImageElement, IssueSpec, MastheadElement, PageSpec, RuleElement,
    StoryElement,
)
from pagecomposer.layout.pictures import image_items, picture
from pagecomposer.story.model import Story
from pagecomposer.text.fonts import FontSet


@dataclass
class StoryReport:
    article: str
    flow: FlowResult

    @property
    def overset(self) -> bool:
        return self.flow.overset_chars > 0


@dataclass
class PageResult:
    display: PageDisplay
    grid: PageGrid
    stories: list[StoryReport] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


def _flow_story(flow: StoryFlow, grid: PageGrid, blocks, element: StoryElement) -> FlowResult:
    def flow_through(frames) -> FlowResult:
        return flow.flow(blocks, [column for frame in frames for column in grid.frame_columns(frame)],
                         story=element.article)

    result = flow_through(element.frames)
    if not element.balance or result.overset_chars:
        return result
    # 齐栏: the shallowest last frame that still holds the whole story, so its columns end level
    # instead of the last one ending short. Text flows top to bottom, so fewer lines never fit more.
    *leading, last = element.frames
    low, high = last.lines[0], last.lines[1]
    best = result
    while low < high:
        bottom = (low + high) // 2
        trial = flow_through([*leading, replace(last, lines=(last.lines[0], bottom))])
        if trial.overset_chars:
            low = bottom + 1
        else:
            high, best = bottom, trial
    return best


def compose_page(page: PageSpec, stories: dict[str, Story], issue: IssueSpec) -> PageResult:
    layout = page.layout
    fonts = FontSet(layout.fonts)
    body_face = fonts.face(layout.styles["body"].fonts[0])
    grid = PageGrid(layout, body_face.ascent)
    display = PageDisplay(page.id, layout.trim_width, layout.trim_height, layout.bleed)
    result = PageResult(display, grid)
    flow = StoryFlow(grid, fonts, layout.styles, layout.swatches)
    for element in page.elements:
        if isinstance(element, AdElement) and element.file is not None:
            display.items.append(picture(element.file, grid.area_rect(element.area), (0.0, 0.0, 1.0, 1.0),
                                         element.fit, layout, element.area.where, f"ad '{element.name}'",
                                         result.warnings))
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
        elif isinstance(element, StoryElement):
            story = stories[element.article]
            flowed = _flow_story(flow, grid, story.body_blocks(with_byline=element.byline == "end"), element)
            display.items += flowed.items
            result.stories.append(StoryReport(element.article, flowed))
            result.warnings += flowed.warnings
            if flowed.overset_chars:
                result.warnings.append(Warning(
                    element.where, f"story '{element.article}' is overset: {flowed.overset_chars} characters "
                    f"(about {flowed.overset_lines} lines) did not fit its frames",
                    "cut the copy, enlarge a frame, or add a frame"))
    return result
