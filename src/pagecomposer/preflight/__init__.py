"""`pagecomposer preflight`: what a newspaper plant checks before it makes plates, checked by us.

There is no open-source PDF/X validator, so each rule is written out here, in small modules:

- identify.py   which PDF/X the file declares, and that version's rules
- structure.py  document: version, info/XMP, encryption, actions, embedded files, layers, filters
- intent.py     the OutputIntent and its ICC profile, the registered characterizations
- boxes.py      page boxes and annotations on the printed area
- resources.py  the resource tree of each page (colour spaces, graphics states, images, forms,
                patterns, fonts, annotation appearances), each object looked at once
- content.py    content streams: white overprint, RGB operators, PostScript, glyphs shown, images placed
- fonts.py      fonts embedded and subset, glyphs present in the embedded programs (fontTools)
- ink.py        total ink over an area and the plates used, from a Ghostscript separation render

Every check adds findings (report.py) with the page and what to do. Any input gives a report,
never a traceback: a check that fails on a malformed object becomes a FAILED finding naming it.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from pagecomposer.preflight import boxes, fonts, intent, structure
from pagecomposer.preflight.content import ContentScanner, scan_page_content
from pagecomposer.preflight.identify import NOT_PDFX, identify
from pagecomposer.preflight.ink import DEFAULT_INK_AREA, InkRender
from pagecomposer.preflight.report import Finding, Report
from pagecomposer.preflight.resources import ResourceWalker

__all__ = ["preflight", "Finding", "Report", "DEFAULT_INK_LIMIT", "DEFAULT_MIN_PPI", "DEFAULT_INK_AREA"]

DEFAULT_INK_LIMIT = 240.0
DEFAULT_MIN_PPI = 200.0


def _guarded(report: Report, check: str, run, *args, page: int | None = None):
    """Run one check; a malformed object it trips over is a finding, not a traceback."""
    try:
        return run(*args)
    except Exception as exc:  # noqa: BLE001 - any input file must give a report
        report.add(check, False, f"could not be checked, the file is malformed here "
                   f"({type(exc).__name__}: {str(exc)[:160]}); export the file again", page)
        return None


def preflight(path: Path, ink_limit: float = DEFAULT_INK_LIMIT, min_ppi: float = DEFAULT_MIN_PPI,
              require_pdfx: bool = True, ink_area: float = DEFAULT_INK_AREA, plates: int | None = None) -> Report:
    """Check one PDF as a plant would. `ink_area`: side in mm of the square total ink is averaged
    over; `plates`: most printing plates a page may use (None: no limit)."""
    report = Report(str(path), None)
    render = None
    try:
        try:
            pdf = pikepdf.open(path)
        except pikepdf.PasswordError:
            report.add("encryption", False, "the file needs a password to open: PDF/X forbids encryption; "
                       "ask for it without security")
            return report
        except (pikepdf.PdfError, OSError, ValueError) as exc:
            report.add("open", False, f"cannot read the PDF ({str(exc)[:160]}): it is damaged or not a PDF; "
                       "export it again")
            return report
        with pdf:
            rules, inventories = _check_document(pdf, report, require_pdfx)
            spots = [_spot_inks(inventory) for inventory in inventories]
            # Exact separations only where the plate count can decide: a limit below 4 + the spots.
            separations = plates is not None and any(4 + len(s) > plates for s in spots)
            render = InkRender(Path(path), ink_area, separations)  # renders while the pages are checked
            _check_pages(pdf, report, rules, inventories, min_ppi)
        _guarded(report, "ink-coverage", _check_ink, render, report, ink_limit, ink_area, plates, spots)
        return report
    except Exception as exc:  # noqa: BLE001 - last resort: never a traceback for any file
        report.add("preflight", False, f"preflight stopped on this file ({type(exc).__name__}: "
                   f"{str(exc)[:160]}); export it again")
        return report
    finally:
        if render is not None:
            render.close()


def _check_document(pdf: pikepdf.Pdf, report: Report, require_pdfx: bool) -> tuple:
    """Document-level checks and the resource walk of every page; returns the version's rules
    and each page's inventory (None where the walk failed)."""
    found = _guarded(report, "pdfx-version", identify, pdf)
    rules = found.rules if found is not None and found.rules is not None else NOT_PDFX
    report.pdfx = rules.key or None
    _guarded(report, "file-structure", structure.check_repairs, pdf, report)
    _guarded(report, "encryption", structure.check_encryption, pdf, report)
    if found is not None:
        _guarded(report, "pdfx-version", structure.check_identification, pdf, report, found, require_pdfx)
    if report.pdfx:
        _guarded(report, "output-intent", intent.check_output_intent, pdf, report, rules)
        _guarded(report, "document-info", structure.check_document_info, pdf, report, rules)
        _guarded(report, "xmp", structure.check_xmp, pdf, report, rules)
    _guarded(report, "actions", structure.check_actions, pdf, report)
    _guarded(report, "embedded-files", structure.check_embedded_files, pdf, report)
    _guarded(report, "optional-content", structure.check_optional_content, pdf, report, rules)
    walker = ResourceWalker(rules)
    inventories = [_guarded(report, "resources", walker.page, page, page=number)
                   for number, page in enumerate(pdf.pages, 1)]
    return rules, inventories


def _spot_inks(inventory) -> list[str]:
    return sorted(ink for ink in (inventory.inks if inventory else ()) if ink not in ("C", "M", "Y", "K"))


def _check_pages(pdf: pikepdf.Pdf, report: Report, rules, inventories: list, min_ppi: float) -> None:
    scanner, glyphs = ContentScanner(rules), fonts.GlyphChecker()
    checked_streams: set = set()
    font_seen: set = set()
    for number, (page, inventory) in enumerate(zip(pdf.pages, inventories), 1):
        trim = _guarded(report, "boxes", boxes.check_boxes, page, number, report, page=number)
        _guarded(report, "annotations", boxes.check_annotations, page, number, trim, report, page=number)
        if inventory is None:
            continue
        checked_streams |= inventory.streams
        for check, message in inventory.findings:
            report.add(check, False, message, number)
        _guarded(report, "font-embedded", fonts.check_fonts, inventory.fonts, report, number, font_seen,
                 page=number)
        content = _guarded(report, "content", scan_page_content, scanner, page, inventory.extra_content,
                           page=number)
        if content is not None:
            for check, message in content.findings:
                report.add(check, False, message, number)
            _guarded(report, "glyphs", fonts.check_glyphs, glyphs, content.text, report, number, page=number)
            _check_resolution(content.placements, report, number, min_ppi)
    _guarded(report, "filters", structure.check_other_streams, pdf, report, rules, checked_streams)


def _check_resolution(placements: list, report: Report, number: int, min_ppi: float) -> None:
    reported: set = set()
    for image, name, width_pt, height_pt in placements:
        pixels_w, pixels_h = int(image.get("/Width", 0)), int(image.get("/Height", 0))
        if width_pt <= 0 or height_pt <= 0 or pixels_w <= 1:
            continue
        ppi = min(pixels_w / (width_pt / 72), pixels_h / (height_pt / 72))
        line = (f"image {name} {pixels_w}x{pixels_h} px at {width_pt / 72 * 25.4:.0f}x{height_pt / 72 * 25.4:.0f} mm"
                f" = {ppi:.0f} ppi" + ("" if ppi >= min_ppi - 0.5 else f", under {min_ppi:.0f} ppi: use a larger "
                                       "original or print it smaller"))
        if line not in reported:
            reported.add(line)
            report.add("image-resolution", ppi >= min_ppi - 0.5, line, number)


def _check_ink(render: InkRender, report: Report, ink_limit: float, ink_area: float, plates: int | None,
               page_spots: list) -> None:
    status, message = render.wait()
    if status == -1:
        report.add("ink-coverage", False, message, None, "warning")
        return
    if status != 0:
        report.add("ink-coverage", False, f"Ghostscript could not render the file: {message[:200]}")
        return
    if message:
        report.add("ghostscript", False, f"Ghostscript warned: {message[:200]}", None, "warning")
    for number, composite in enumerate(render.pages(), 1):
        spots = page_spots[number - 1] if number <= len(page_spots) else []
        ink = render.measure(composite, ink_limit + 1.0, bool(spots))
        area = f"over a {ink_area:g} mm square"
        if ink.area_peak is None:  # no single point over the limit, so no area over it either
            ok, text = True, f"highest total ink {ink.point_peak:.0f}% (limit {ink_limit:.0f}% {area})"
        else:
            ok = ink.area_peak <= ink_limit + 1.0
            text = (f"highest total ink {ink.area_peak:.0f}% {area} (limit {ink_limit:.0f}%; "
                    f"{ink.point_peak:.0f}% at a single point)")
            if not ok:
                where = f" at {ink.where[0]:.0f}/{ink.where[1]:.0f} mm from the top left" if ink.where else ""
                text += f"{where}: reduce the colour there (GCR/UCR, lighter tints)"
        report.add("ink-coverage", ok, text, number)
        names = ink.plates + spots
        report.add("inks", True, "inks: " + (" ".join(names) if names else "none"), number)
        if plates is not None and len(names) > plates:
            report.add("plates", False, f"the page uses {len(names)} plates ({' '.join(names)}), the press has "
                       f"{plates} for it: convert the extra spot inks to process", number)
