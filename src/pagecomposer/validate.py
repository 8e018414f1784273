"""The files an issue delivers checked to be what they claim, before anything is composed or
written: every font parses (its glyph table too), every photo decodes in full, every ad file is
inspected, each refused as a page would refuse it. `load_issue` runs this, so `check`, `fit`,
`preview` and `--watch` agree on what is wrong; `build` runs it on the pages it is about to
compose (a page it keeps was made from the same bytes, checked then: its digest hashes them)."""

from __future__ import annotations

from pathlib import Path

from pagecomposer.spec.model import AdElement, ImageElement, IssueSpec


def check_delivered_files(issue: IssueSpec, only: set[str] | None = None) -> tuple[set[Path], set[Path]]:
    """The fonts and the picture files the issue's pages (or the pages named in `only`) use, each
    checked; raises the first problem."""
    pages = [page for page in issue.pages if only is None or page.id in only]
    return check_fonts(pages), check_pictures(pages)


def check_fonts(pages) -> set[Path]:
    from pagecomposer.text.fonts import load_face

    fonts = {path for page in pages for path in page.layout.fonts.values()}
    for path in sorted(fonts):
        load_face(path)  # parsed and its glyph table checked (cached per file, see fontcache)
    return fonts


def check_pictures(pages) -> set[Path]:
    pictures = set()
    for page in pages:
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
