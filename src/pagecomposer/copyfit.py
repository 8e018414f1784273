"""Copyfit (`pagecomposer fit`): for each story, the room its frames offer against what its copy
needs, and what would make it fit — the figures a desk asks for before cutting copy."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from pagecomposer.layout.page import PageResult


@dataclass(frozen=True)
class StoryFit:
    page: str
    article: str
    lines_available: int  # grid lines in its frames (pictures and jump lines taken out)
    lines_needed: int  # grid lines its copy takes at the current settings
    chars: int  # characters of copy, spaces included
    overset_chars: int
    chars_per_line: float  # how many characters a line holds on average, in this story

    @property
    def status(self) -> str:
        if self.overset_chars:
            return "overset"
        return "underset" if self.lines_available - self.lines_needed >= 2 else "fits"

    @property
    def advice(self) -> str:
        spare = self.lines_available - self.lines_needed
        if self.overset_chars:
            return (f"cut about {self.overset_chars} characters, or give the frames "
                    f"{self.lines_needed - self.lines_available} more lines")
        if spare >= 2:
            return (f"{spare} lines free: about {round(spare * self.chars_per_line)} more characters would fill "
                    f"them, or shorten the frames by {spare} lines")
        return "fits"

    def as_dict(self) -> dict:
        return {**asdict(self), "status": self.status, "advice": self.advice}


def copyfit(pages: list[PageResult]) -> list[StoryFit]:
    fits = []
    for page in pages:
        for story in page.stories:
            flow = story.flow
            body_lines = sum(1 for p in flow.lines if p.role in ("paragraph", "lead", "byline"))
            per_line = flow.set_chars / body_lines if body_lines else 0.0
            fits.append(StoryFit(
                page="/".join(story.pages) or page.display.id, article=story.article,
                lines_available=story.capacity_lines, lines_needed=flow.grid_lines_used + flow.overset_lines,
                chars=flow.set_chars + flow.overset_chars, overset_chars=flow.overset_chars,
                chars_per_line=round(per_line, 1)))
    return fits
