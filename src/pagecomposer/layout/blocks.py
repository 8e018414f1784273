"""Page elements other than flowing text: text ads, the headline block, rules."""

from __future__ import annotations

from datetime import date

from pagecomposer.display import Box, Keepout, Rule
from pagecomposer.story.model import Run
from pagecomposer.text.justify import set_paragraph
from pagecomposer.text.shaping import shape
from pagecomposer.errors import SourceLocation
from pagecomposer.layout.display_text import DisplayLine, set_display_line
from pagecomposer.layout.flow import Warning
from pagecomposer.layout.grid import PageGrid, Rect
from pagecomposer.layout.runs import line_items
from pagecomposer.spec.model import (
    AdElement, FolioElement, HeadlineElement, IssueSpec, Layout, MastheadElement, PageSpec, QuoteElement,
    RuleElement,
)
from pagecomposer.story.model import Story
from pagecomposer.text.fonts import FontSet
from pagecomposer.textcheck import shortened

AD_PADDING_EM = 1.0  # inner margin of a text ad, in em of the body size


def _stack(lines: list[DisplayLine], gaps: list[float], rect: Rect, fonts: FontSet, layout: Layout,
           roles: list[str], colors: list[str | None], boxes: list[str | None] | None = None):
    """Stack display lines vertically centred in rect; returns display items."""
    heights = [dl.size * dl.style.line_height for dl in lines]
    total = sum(heights) + sum(gaps)
    y = rect.y + (rect.height - total) / 2
    items: list = []
    for i, dl in enumerate(lines):
        face = fonts.face(dl.style.fonts[0])
        em_top = y + (heights[i] - dl.size) / 2
        baseline = em_top + face.ascent * dl.size
        box = boxes[i] if boxes else None
        if box:
            pad = 0.3 * dl.size
            x0 = rect.x + dl.line.xs[0] * dl.condense - pad
            items.append(Box(x0, em_top - pad, dl.width + 2 * pad, dl.size + 2 * pad, fill=layout.swatches[box]))
        items.extend(line_items(dl.line, rect.x, baseline, fonts, layout.swatches, roles[i], colors[i], dl.condense))
        y += heights[i] + (gaps[i] if i < len(gaps) else 0)
    return items


def _warn_line(dl: DisplayLine, what: str, where: SourceLocation | None, warnings: list[Warning]) -> None:
    for missing in dl.missing:
        warnings.append(Warning(where, f"{what}: no font has '{missing.char}' ({missing.code_point}); set as 〓"))
    if dl.overflow:
        warnings.append(Warning(where, f"{what} '{shortened(dl.line.text)}' is too wide for its area even condensed to "
                                f"{dl.condense:.0%} and at {dl.scale:.0%} size", "shorten it or widen the element"))
    elif dl.scale < 1 or dl.condense < 1:
        warnings.append(Warning(where, f"{what} '{shortened(dl.line.text)}' was fitted: condensed to {dl.condense:.0%}, "
                                f"{dl.scale:.0%} size"))


def ad_items(ad: AdElement, grid: PageGrid, layout: Layout, fonts: FontSet, warnings: list[Warning]) -> list:
    rect = grid.area_rect(ad.area)
    items: list = [Box(rect.x, rect.y, rect.width, rect.height,
                       fill=layout.swatches[ad.background] if ad.background else None,
                       stroke=layout.swatches[ad.border] if ad.border else None, stroke_width=ad.border_width)]
    pad = AD_PADDING_EM * layout.grid.body_size
    inner = Rect(rect.x + pad, rect.y + pad, rect.width - 2 * pad, rect.height - 2 * pad)
    lines = [set_display_line(t.text, layout.styles[t.style], fonts, inner.width) for t in ad.text]
    for dl in lines:
        _warn_line(dl, f"ad '{ad.name}'", ad.area.where, warnings)
    gaps = [0.0] * max(0, len(lines) - 1)
    items += _stack(lines, gaps, inner, fonts, layout, ["ad"] * len(lines), [t.color for t in ad.text])
    return items


def split_title(title: str, parts: int) -> list[str]:
    """A two-part headline (应势而动以产兴城 奋楫扬帆以业聚人) on one line keeps an em space between its
    parts; on two lines it breaks at that space."""
    phrases = title.split()
    if parts == 1 or len(phrases) < 2:
        return ["\u3000".join(phrases)]
    half = (len(phrases) + 1) // 2
    return ["\u3000".join(phrases[:half]), "\u3000".join(phrases[half:])]


def headline_items(element: HeadlineElement, story: Story, grid: PageGrid, layout: Layout, fonts: FontSet,
                   warnings: list[Warning]) -> list:
    rect = grid.area_rect(element.area)
    styles = layout.styles
    lines: list[DisplayLine] = []
    roles: list[str] = []
    colors: list[str | None] = []
    boxes: list[str | None] = []
    if story.kicker:
        lines.append(set_display_line(story.kicker, styles["kicker"], fonts, rect.width, element.align))
        roles.append("kicker")
        colors.append("paper" if element.kicker_box else None)
        boxes.append(element.kicker_box)
    for part in split_title(story.title, element.headline_lines):
        lines.append(set_display_line(part, styles[element.style], fonts, rect.width, element.align))
        roles.append("headline")
        colors.append(None)
        boxes.append(None)
    if story.subtitle:
        lines.append(set_display_line(story.subtitle, styles["subtitle"], fonts, rect.width, element.align))
        roles.append("subtitle")
        colors.append(None)
        boxes.append(None)
    for dl, role in zip(lines, roles):
        _warn_line(dl, role, element.area.where, warnings)
    # Space between kicker, headline and subtitle: under one body em, so the block reads as one unit.
    gaps = [layout.grid.body_size * 0.8] * max(0, len(lines) - 1)
    items = _stack(lines, gaps, rect, fonts, layout, roles, colors, boxes)
    if element.rule_below:
        y = rect.bottom
        items.append(Rule(rect.x, y, rect.right, y, layout.swatches[element.rule_below], 1.0))
    return items


def rule_items(rule: RuleElement, grid: PageGrid, layout: Layout) -> list:
    rect = grid.area_rect(rule.area)
    y = {"top": rect.y, "middle": rect.y + rect.height / 2, "bottom": rect.bottom}[rule.position]
    return [Rule(rect.x, y, rect.right, y, layout.swatches[rule.color], rule.width)]



WEEKDAYS = "一二三四五六日"


def chinese_date(iso: str) -> str:
    """2021-03-05 -> 2021年3月5日 星期五 (anything else is shown as given)."""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.year}年{day.month}月{day.day}日 星期{WEEKDAYS[day.weekday()]}"


def folio_items(folio: FolioElement, page: PageSpec, issue: IssueSpec, grid: PageGrid, layout: Layout,
                fonts: FontSet, warnings: list[Warning]) -> list:
    """The 版头 in the top margin, over a thick-and-thin rule (文武线): page id and section on the
    page's outer side (left on an even page, right on an odd one), paper, date and credits on the
    inner side, so facing pages mirror each other."""
    left = layout.type_area_left
    width = layout.grid.type_area_width
    rule_y = layout.type_area_top - layout.grid.body_size * 1.5
    color = layout.swatches[folio.color]
    even = page.number % 2 == 0
    section = folio.section or page.section
    label_text = f"{page.id}\u3000{section}" if even else f"{section}\u3000{page.id}"
    label = set_display_line(label_text, layout.styles["folio-section"], fonts, width, "left" if even else "right")
    credits = folio.credits or page.credits
    details = "\u3000".join(part for part in (issue.paper, chinese_date(issue.date), f"第{page.number}版", credits)
                            if part)
    room = width - label.width
    info = set_display_line(details, layout.styles["folio"], fonts, room, "right" if even else "left")
    for dl in (label, info):
        _warn_line(dl, "folio", folio.where, warnings)
    baseline = rule_y - layout.grid.body_size * 0.8
    items: list = []
    items += line_items(label.line, left, baseline, fonts, layout.swatches, "folio", folio.color, label.condense)
    items += line_items(info.line, left + (label.width if even else 0.0), baseline, fonts,
                        layout.swatches, "folio", condense=info.condense)
    items.append(Rule(left, rule_y, left + width, rule_y, color, 1.5))
    items.append(Rule(left, rule_y + 2.5, left + width, rule_y + 2.5, color, 0.4))
    return items


def masthead_items(masthead: MastheadElement, issue: IssueSpec, page_count: int, grid: PageGrid, layout: Layout,
                   fonts: FontSet, warnings: list[Warning]) -> list:
    """The 报头: the paper's name large on the left; date, issue number, page count and weather
    stacked at the right of its area."""
    rect = grid.area_rect(masthead.area)
    name_style = layout.styles["masthead"]
    name = set_display_line(issue.paper or "报名", name_style, fonts, rect.width * 0.62, "left")
    _warn_line(name, "masthead", masthead.where, warnings)
    info_style = layout.styles["masthead-info"]
    facts = [chinese_date(issue.date), f"第{issue.issue_number}期" if issue.issue_number else "",
             f"今日{page_count}版", issue.weather]
    info_lines = [set_display_line(text, info_style, fonts, rect.width * 0.36, "left") for text in facts if text]
    name_rect = Rect(rect.x, rect.y, rect.width * 0.62, rect.height)
    info_rect = Rect(rect.x + rect.width * 0.64, rect.y, rect.width * 0.36, rect.height)
    items = _stack([name], [], name_rect, fonts, layout, ["masthead"], [masthead.color])
    items += _stack(info_lines, [0.0] * (len(info_lines) - 1), info_rect, fonts, layout,
                    ["masthead"] * len(info_lines), [None] * len(info_lines))
    return items


def quote_items(quote: QuoteElement, grid: PageGrid, layout: Layout, fonts: FontSet) -> list:
    """引语: the quote between two rules, centred in its area; the area is kept clear of story text."""
    rect = grid.area_rect(quote.area)
    style = layout.styles["pullquote"]
    color = layout.swatches[quote.color]
    lines = set_paragraph(shape([Run(quote.text)], style, fonts), rect.width, align="center")
    advance = style.size * style.line_height
    top = rect.y + (rect.height - advance * len(lines)) / 2
    face = fonts.face(style.fonts[0])
    items: list = [Keepout(rect.x, rect.y, rect.width, rect.height),
                   Rule(rect.x, rect.y, rect.right, rect.y, color, 1.5),
                   Rule(rect.x, rect.bottom, rect.right, rect.bottom, color, 1.5)]
    for index, line in enumerate(lines):
        em_top = top + index * advance + (advance - style.size) / 2
        items += line_items(line, rect.x, em_top + face.ascent * style.size, fonts, layout.swatches, "quote")
    return items
