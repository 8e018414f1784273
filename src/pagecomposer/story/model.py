"""What an article is once parsed: blocks of inline runs, each remembering its source line."""

from __future__ import annotations

from dataclasses import dataclass, field

from pagecomposer.errors import SourceLocation


@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Block:
    kind: str  # lead | paragraph | heading | byline
    runs: tuple[Run, ...]
    where: SourceLocation

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Story:
    name: str
    path: str
    kicker: str = ""
    title: str = ""
    subtitle: str = ""
    byline: str = ""
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    def body_blocks(self, with_byline: bool) -> list[Block]:
        """The blocks that flow through the story's frames, in reading order."""
        blocks = list(self.blocks)
        if with_byline and self.byline:
            blocks.append(Block("byline", (Run(self.byline),), SourceLocation(self.path)))
        return blocks
