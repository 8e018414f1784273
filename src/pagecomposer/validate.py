"""The files an issue delivers checked to be what they claim, before anything is composed or
written: every font parses (its glyph table too), every photo decodes in full, every ad file is
inspected, each refused as a page would refuse it. `load_issue` runs this, so `check`, `build`,
`fit`, `preview` and `--watch` agree on what is wrong."""

from __future__ import annotations

from pathlib import Path

from pagecomposer.spec.model import AdElement, ImageElement, IssueSpec


def check_delivered_files(issue: IssueSpec) -> tuple[set[Path], set[Path]]:
    """The fonts and the picture files the issue uses, each checked; raises the first problem."""
    return check_fonts(issue), check_pictures(issue)


def check_fonts(issue: IssueSpec) -> set[Path]:
    from pagecomposer.text.fonts import load_face

    fonts = {path for page in issue.pages for path in page.layout.fonts.values()}
    for path in sorted(fonts):
        load_face(path)  # parsed and its glyph table checked (cached per file, see fontcache)
    return fonts


def check_pictures(issue: IssueSpec) -> set[Path]:
    pictures = set()
    for page in issue.pages:
        for element in page.elements:
            if isinstance(element, ImageElement):
                what, where = "image", element.where
            elif isinstance(element, AdElement) and element.file is not None:
                what, where = f"ad '{element.name}'", element.area.where
            else:
                continue
            from pagecomposer.layout.pictures import check_placed_file  # Pillow/pikepdf: only with pictures

            check_placed_file(element.file, element.page, page.layout, where, what)
            pictures.add(element.file)
    return pictures
