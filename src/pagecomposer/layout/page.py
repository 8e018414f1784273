"""One page spec -> its display list and what the report needs to say about it."""

from __future__ import annotations

from dataclasses import dataclass, field

from pagecomposer.display import PageDisplay
from pagecomposer.layout.blocks import ad_items, folio_items, headline_items, rule_items
from pagecomposer.layout.flow import FlowResult, StoryFlow, Warning
from pagecomposer.layout.grid import PageGrid
from pagecomposer.spec.model import (
    AdElement, FolioElement, HeadlineElement, IssueSpec, PageSpec, RuleElement, StoryElement,
)
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


def compose_page(page: PageSpec, stories: dict[str, Story], issue: IssueSpec) -> PageResult:
    layout = page.layout
    fonts = FontSet(layout.fonts)
    body_face = fonts.face(layout.styles["body"].fonts[0])
    grid = PageGrid(layout, body_face.ascent)
    display = PageDisplay(page.id, layout.trim_width, layout.trim_height, layout.bleed)
    result = PageResult(display, grid)
    flow = StoryFlow(grid, fonts, layout.styles, layout.swatches)
    for element in page.elements:
        if isinstance(element, AdElement):
            display.items += ad_items(element, grid, layout, fonts, result.warnings)
        elif isinstance(element, HeadlineElement):
            display.items += headline_items(element, stories[element.article], grid, layout, fonts, result.warnings)
        elif isinstance(element, RuleElement):
            display.items += rule_items(element, grid, layout)
        elif isinstance(element, FolioElement):
            display.items += folio_items(element, page.id, issue.paper, issue.date, grid, layout, fonts,
                                         result.warnings)
        elif isinstance(element, StoryElement):
            story = stories[element.article]
            columns = [column for frame in element.frames for column in grid.frame_columns(frame)]
            flowed = flow.flow(story.body_blocks(with_byline=element.byline == "end"), columns)
            display.items += flowed.items
            result.stories.append(StoryReport(element.article, flowed))
            result.warnings += flowed.warnings
            if flowed.overset_chars:
                result.warnings.append(Warning(
                    element.where, f"story '{element.article}' is overset: {flowed.overset_chars} characters "
                    f"(about {flowed.overset_lines} lines) did not fit its frames",
                    "cut the copy, enlarge a frame, or add a frame"))
    return result
