"""A deliberately small Markdown reader for newspaper copy.

Newsroom copy uses a handful of constructs: front matter, `##` section headings, paragraphs and
`**bold**`. Anything else (a list, a quote, a `#` title in the body) is reported rather than
guessed at, because a silently misread construct is a line of text the desk never sees.
"""

from __future__ import annotations

import re
from pathlib import Path

from pagecomposer.errors import SourceLocation, SpecError
from pagecomposer.spec import reader as r
from pagecomposer.spec.yamlnodes import load_yaml_text
from pagecomposer.story.model import Block, Run, Story
from pagecomposer.textcheck import unprintable_character

FRONT_MATTER_KEYS = ["kicker", "title", "subtitle", "byline", "lead_paragraphs", "section", "date"]
# A newspaper article is a few thousand characters and a paragraph a few hundred; far larger input
# is a mistake (a wrong file, a pasted book) and is refused before it can take minutes.
MAX_ARTICLE_CHARS = 2_000_000
MAX_PARAGRAPH_CHARS = 20_000
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_UNSUPPORTED = [(re.compile(r"^##\s*$"), "an empty '##' heading", "write the heading's text after '## ', or delete the line"),
                (re.compile(r"^#(?!#)\s"), "a '# title' in the body", "put the title in the front matter"),
                (re.compile(r"^#{3,}\s"), "a heading deeper than '##'", "use '##' for section headings"),
                (re.compile(r"^\s*([-*+]|\d+\.)\s"), "a list", "write list items as paragraphs"),
                (re.compile(r"^\s*>"), "a block quote", "block quotes are not supported yet")]


def _is_cjk_boundary(left: str, right: str) -> bool:
    return ord(left) > 0x2E7F or ord(right) > 0x2E7F


def _join_lines(lines: list[str]) -> str:
    """Soft line breaks inside a paragraph: nothing between Chinese text, a space between Latin words."""
    text = ""
    for line in lines:
        line = line.strip()
        if text and line and not _is_cjk_boundary(text[-1], line[0]):
            text += " "
        text += line
    return text


def _runs(text: str, where: SourceLocation) -> tuple[Run, ...]:
    if "***" in text:  # bold italic or a rule in full Markdown; neither exists on this desk
        raise SpecError("'***' is not supported in articles (bold is **like this**; there is no italic or rule)",
                        where, "use '**' around bold text, or delete the stars")
    runs: list[Run] = []
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            runs.append(Run(text[position:match.start()]))
        runs.append(Run(match.group(1), bold=True))
        position = match.end()
    if position < len(text):
        runs.append(Run(text[position:]))
    leftover = "".join(run.text for run in runs if not run.bold)
    if "**" in leftover:
        raise SpecError("unmatched '**' (bold is written **like this**)", where, "close or remove the '**'")
    return tuple(runs)


def _split_front_matter(text: str, path: str) -> tuple[str, str, int]:
    """Returns (front matter, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SpecError("article has no front matter", SourceLocation(path, 1, 1),
                        "start the file with a '---' line, the title and byline, and another '---' line")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2
    raise SpecError("front matter is not closed", SourceLocation(path, 1, 1), "add a '---' line after it")


def _refuse_unprintable(line: str, path: str, number: int) -> None:
    bad = unprintable_character(line)
    if bad is not None:
        column = next(i for i, char in enumerate(line, 1) if unprintable_character(char))
        raise SpecError(f"the line holds {bad}", SourceLocation(path, number, column),
                        "delete it (pasted by accident?)")


def parse_article(text: str, path: str, name: str) -> Story:
    if len(text) > MAX_ARTICLE_CHARS:
        raise SpecError(f"article of {len(text):,} characters is too large (at most {MAX_ARTICLE_CHARS:,})",
                        SourceLocation(path), "is this the right file?")
    text = text.removeprefix("\ufeff")  # a byte order mark some editors save: not content
    front_text, body, body_line = _split_front_matter(text.replace("\r\n", "\n"), path)
    # Parse the front matter in place, padded so YAML's line numbers are the file's line numbers.
    front = load_yaml_text("\n" + front_text, path)
    meta = r.MapReader(front, "article front matter", FRONT_MATTER_KEYS, required=["title"])
    lead_count = meta.get("lead_paragraphs", r.integer(0, 20), 0)
    meta.get("date", r.date, "")  # informational, but a date that does not exist is a typo to report

    blocks: list[Block] = []
    pending: list[str] = []
    pending_start = 0

    def flush() -> None:
        if pending:
            where = SourceLocation(path, pending_start)
            if sum(len(line) for line in pending) > MAX_PARAGRAPH_CHARS:
                raise SpecError(f"a paragraph of over {MAX_PARAGRAPH_CHARS:,} characters", where,
                                "split it with blank lines")
            kind = "lead" if sum(b.kind in ("lead", "paragraph") for b in blocks) < lead_count else "paragraph"
            blocks.append(Block(kind, _runs(_join_lines(pending), where), where))
            pending.clear()

    for offset, line in enumerate(body.split("\n")):
        number = body_line + offset
        _refuse_unprintable(line, path, number)
        if not line.strip():
            flush()
            continue
        for pattern, what, hint in _UNSUPPORTED:
            if pattern.match(line):
                raise SpecError(f"{what} is not supported in articles", SourceLocation(path, number, 1), hint)
        if line.startswith("## "):
            flush()
            where = SourceLocation(path, number, 1)
            blocks.append(Block("heading", _runs(line[3:].strip(), where), where))
            continue
        if not pending:
            pending_start = number
        pending.append(line)
    flush()

    if not any(b.kind in ("lead", "paragraph") for b in blocks):
        raise SpecError("article has no body text", SourceLocation(path, body_line), "write paragraphs after the front matter")
    return Story(name=name, path=path, kicker=meta.get("kicker", r.text, ""), title=meta.get("title", r.text),
                 subtitle=meta.get("subtitle", r.text, ""), byline=meta.get("byline", r.text, ""),
                 blocks=tuple(blocks))


def load_article(path: Path, name: str, shown_as: str) -> Story:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_CHARS * 4:  # refused before it is read: UTF-8 takes at most 4 bytes a character
            raise SpecError(f"article file of {size:,} bytes is too large (at most {MAX_ARTICLE_CHARS:,} characters)",
                            SourceLocation(shown_as), "is this the right file?")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"article file not found: {shown_as}") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"article is not UTF-8 text (byte {exc.start})", SourceLocation(shown_as),
                        "save the file as UTF-8") from None
    return parse_article(text, shown_as, name)
