"""What a build tells the desk and prepress scripts: per-story quality figures, as text and as JSON."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pagecomposer import atomic

if TYPE_CHECKING:
    from pagecomposer.layout.flow import FlowResult

BODY_ROLES = ("paragraph", "lead")


@dataclass(frozen=True)
class StoryQuality:
    page: str
    article: str
    lines: int  # every line the story set, headings included
    justified_lines: int  # non-final body lines: the ones spacing is judged on
    mean_stretch: float  # inter-character stretch as a share of the type size, over justified lines
    worst_stretch: float
    worst_squeeze: float  # tightest inter-character squeeze (紧排), share of the type size
    compressed_pairs: int  # adjacent punctuation set at 1.5 em
    narrowed: int  # pairs set below 1.5 em because the alternative was a loose line
    shrunk_lines: int  # lines fitted by compressing punctuation (挤进)
    hangs: int  # lines ending in a hanging mark
    short_last_lines: int  # paragraph-final lines of one or two characters (孤字)
    widows_avoided: int
    orphans_avoided: int
    fallback_chars: int  # characters set in a fallback font
    missing_chars: int  # characters no font had (set as 〓)
    overset_chars: int
    overset_lines: int

    def summary(self) -> str:
        overset = "none" if not self.overset_chars else f"{self.overset_chars} chars ({self.overset_lines} lines)"
        return (f"{self.page}/{self.article}: {self.lines} lines; stretch mean {self.mean_stretch:.1%} "
                f"worst {self.worst_stretch:.1%}, squeeze worst {self.worst_squeeze:.1%}; {self.compressed_pairs} compressed pairs ({self.narrowed} narrowed), {self.shrunk_lines} "
                f"compressed lines, {self.hangs} hangs, {self.short_last_lines} short last lines; widows/orphans "
                f"avoided {self.widows_avoided}/{self.orphans_avoided}; fallback chars {self.fallback_chars}, "
                f"missing {self.missing_chars}; overset {overset}")


def story_quality(page: str, article: str, flow: FlowResult) -> StoryQuality:
    from pagecomposer.text.linebreak import is_short_line

    body = [p.line for p in flow.lines if p.role in BODY_ROLES]
    justified = [line for line in body if not line.last]
    stretches = [line.stretch_per_gap / line.glyphs[0].size for line in justified if line.glyphs]
    return StoryQuality(
        page=page, article=article, lines=len(flow.lines), justified_lines=len(justified),
        mean_stretch=statistics.mean(stretches) if stretches else 0.0,
        worst_stretch=max(stretches, default=0.0),
        worst_squeeze=max((line.squeeze_per_gap / line.glyphs[0].size for line in justified if line.glyphs),
                          default=0.0),
        compressed_pairs=sum(p.line.compressed_pairs for p in flow.lines),
        narrowed=sum(p.line.narrowed for p in flow.lines),
        shrunk_lines=sum(1 for line in justified if line.shrunk > 0),
        hangs=sum(1 for p in flow.lines if p.line.hung),
        # A one-line paragraph is not a 孤字; a last line that is not the first one may be.
        short_last_lines=sum(1 for line in body if line.last and line.start > 0 and is_short_line(line.glyphs)),
        widows_avoided=flow.widows_avoided, orphans_avoided=flow.orphans_avoided,
        fallback_chars=flow.fallback_chars, missing_chars=flow.missing_chars,
        overset_chars=flow.overset_chars, overset_lines=flow.overset_lines)


def write_json(path: Path, summary: dict, stories: list[StoryQuality], warnings: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {**summary, "stories": [asdict(story) for story in stories], "warnings": warnings}
    atomic.write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
