"""The whole edition as one PDF, in page order, from the page PDFs already written and checked."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from pagecomposer.atomic import replacing
from pagecomposer.render.pdfx import DocumentInfo, save_pdf, write_xmp, xmp_date_of
from pagecomposer.render.subsets import retag_subsets


def combine(pages: list[Path], target: Path, title: str) -> None:
    """Concatenate page PDFs into target (atomically); the first page's PDF/X keys stand for the whole."""
    with replacing(target) as temp, pikepdf.open(pages[0]) as first:
        combined = pikepdf.new()
        for key in ("/OutputIntents", "/Metadata"):
            if key in first.Root:
                value = first.Root[key]
                if not value.is_indirect:
                    value = first.make_indirect(value)
                combined.Root[key] = combined.copy_foreign(value)
        for path in pages:
            with pikepdf.open(path) as source:
                combined.pages.extend(source.pages)
        info = combined.docinfo
        for key, value in first.docinfo.items():
            info[key] = value  # strings and names: direct values, nothing to copy across
        info["/Title"] = title
        info["/Subject"] = title
        # Subsets with the same tag on two pages are the same program (the tag is its digest);
        # retagging the whole file also settles the (1 in 26^6) chance of two tags meeting.
        retag_subsets(combined)
        if "/Metadata" in combined.Root:  # the packet describes the edition, not its first page
            date = str(info.get("/CreationDate", ""))
            write_xmp(combined, DocumentInfo(title, str(info.get("/Author", "")), date, xmp_date_of(date), title))
        save_pdf(combined, temp, deterministic_id=True, min_version=first.pdf_version, force_version=first.pdf_version)
