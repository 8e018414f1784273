"""Printer's marks in the slug, outside the bleed: crop marks, registration targets, a colour bar and
a line of job information, all in registration colour (the /All separation: every plate).

reportlab's own `cropMarks` scales the page into a larger sheet and draws plain black marks; these
are drawn at true size, the MediaBox grows by the slug, the TrimBox stays the trim and the
BleedBox the trim plus bleed.
"""

from __future__ import annotations

from pathlib import Path

from pagecomposer.display import Box, Circle, GlyphRun, Ink, PageDisplay, Rule
from pagecomposer.options import parse_kinds
from pagecomposer.text.fonts import load_face
from pagecomposer.units import PT_PER_MM

MARK_KINDS = ("crop", "registration", "colorbar", "info")
SLUG = 12 * PT_PER_MM  # room outside the bleed for the marks
MARK_LENGTH = 6 * PT_PER_MM
MARK_WEIGHT = 0.25
REGISTRATION = Ink(1, 1, 1, 1, spot="All")
COLOR_BAR = [Ink(1, 0, 0, 0), Ink(0, 1, 0, 0), Ink(0, 0, 1, 0), Ink(0, 0, 0, 1), Ink(0.5, 0, 0, 0),
             Ink(0, 0.5, 0, 0), Ink(0, 0, 0.5, 0), Ink(0, 0, 0, 0.5), Ink(1, 1, 0, 0), Ink(0, 1, 1, 0),
             Ink(1, 0, 1, 0), Ink(0.4, 0.3, 0.3, 1)]


def parse_marks(text: str) -> tuple[str, ...]:
    return parse_kinds(text, MARK_KINDS, "mark")


def add_marks(page: PageDisplay, kinds: tuple[str, ...], info: str, font_path: str) -> None:
    """Give the page a slug and draw the marks asked for in it (coordinates: trim top-left, y down)."""
    if not kinds:
        return
    page.slug = SLUG
    w, h, bleed = page.trim_width, page.trim_height, page.bleed
    items = page.items
    if "crop" in kinds:
        for x, y, sx, sy in ((0, 0, -1, -1), (w, 0, 1, -1), (0, h, -1, 1), (w, h, 1, 1)):
            start = bleed + 1  # begin just outside the bleed, so no mark prints on the page
            items.append(Rule(x + sx * start, y, x + sx * (start + MARK_LENGTH), y, REGISTRATION, MARK_WEIGHT))
            items.append(Rule(x, y + sy * start, x, y + sy * (start + MARK_LENGTH), REGISTRATION, MARK_WEIGHT))
    if "registration" in kinds:
        middle_out = bleed + SLUG / 2
        for cx, cy in ((w / 2, -middle_out), (w / 2, h + middle_out), (-middle_out, h / 2), (w + middle_out, h / 2)):
            radius = 2.2 * PT_PER_MM
            items.append(Circle(cx, cy, radius, REGISTRATION, MARK_WEIGHT))
            items.append(Rule(cx - radius * 1.6, cy, cx + radius * 1.6, cy, REGISTRATION, MARK_WEIGHT))
            items.append(Rule(cx, cy - radius * 1.6, cx, cy + radius * 1.6, REGISTRATION, MARK_WEIGHT))
    if "colorbar" in kinds:
        size = 5 * PT_PER_MM
        top = h + bleed + (SLUG - size) / 2
        left = w / 2 + 25 * PT_PER_MM
        spots: dict[str, Ink] = {}  # a solid for every spot ink the page prints, as first met
        for ink in page.colours():
            if ink.spot and ink.spot != REGISTRATION.spot:
                spots.setdefault(ink.spot, ink)
        for index, ink in enumerate(COLOR_BAR + list(spots.values())):
            items.append(Box(left + index * size, top, size, size, fill=ink))
    if "info" in kinds:
        size = 6.0
        baseline = -bleed - SLUG / 2 + size / 3
        face = load_face(Path(font_path))
        text = "".join(ch for ch in info if face.has(ch))
        xs, x = [], 12 * PT_PER_MM  # clear of the crop mark at the corner
        for ch in text:
            xs.append(x)
            x += face.advance(ch) * size
        items.append(GlyphRun(font_path, size, REGISTRATION, baseline, tuple(xs), text, "marks"))
