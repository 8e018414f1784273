"""Page geometry: TrimBox (or ArtBox), box nesting, and annotations on the printed page.

- Every page needs a TrimBox or an ArtBox, not both (15930-1/-4/-6/-7, page boxes clause: "TrimBox
  or ArtBox, but not both"); we need the TrimBox (where the page is cut).
- TrimBox within BleedBox within MediaBox, each a real rectangle (not reversed, not empty).
- Annotations: none may lie on the printed area (inside the TrimBox) unless hidden or not printing,
  except TrapNet and PrinterMark (15930: annotations clause); a Link inside the trim is reported as
  well (it does not print, but it is interactive content on a print page).
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

ALLOWED_ON_PAGE = {"/TrapNet", "/PrinterMark"}
FLAG_HIDDEN, FLAG_PRINT, FLAG_NOVIEW = 2, 4, 32


def _rect(value) -> list[float] | None:
    if not isinstance(value, pikepdf.Array) or len(value) != 4:
        return None
    return [float(v) for v in value]


def _inside(inner: list[float], outer: list[float], tolerance: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def _overlaps(a: list[float], b: list[float]) -> bool:
    a = [min(a[0], a[2]), min(a[1], a[3]), max(a[0], a[2]), max(a[1], a[3])]
    return a[0] < b[2] and a[2] > b[0] and a[1] < b[3] and a[3] > b[1]


def fmt(box) -> str:
    return "-" if box is None else "[" + " ".join(f"{v:.1f}" for v in box) + "]"


def check_boxes(page: pikepdf.Page, number: int, report) -> list[float] | None:
    """The page's boxes; returns the TrimBox (None if it has none)."""
    obj = page.obj
    media = _rect(obj.get(Name.MediaBox)) or _rect(page.mediabox)
    trim, bleed, art = _rect(obj.get(Name.TrimBox)), _rect(obj.get(Name.BleedBox)), _rect(obj.get(Name.ArtBox))
    if trim is not None and art is not None:
        report.add("artbox", False, f"the page has both a TrimBox {fmt(trim)} and an ArtBox {fmt(art)}: PDF/X "
                   "allows one of them; remove the ArtBox", number)
    if trim is None:
        report.add("trimbox", False, "no TrimBox: the plant cannot tell where the page is cut"
                   + (" (it has only an ArtBox)" if art else "") + "; set the TrimBox", number)
        return None
    problems = []
    for label, box in (("MediaBox", media), ("BleedBox", bleed), ("TrimBox", trim)):
        if box is not None and (box[2] - box[0] <= 0 or box[3] - box[1] <= 0):
            problems.append(f"{label} {fmt(box)} is reversed or empty")
    if media is not None and not _inside(trim, media):
        problems.append(f"TrimBox {fmt(trim)} is not within the MediaBox {fmt(media)}")
    if bleed is not None and not _inside(trim, bleed):
        problems.append(f"TrimBox {fmt(trim)} is not within the BleedBox {fmt(bleed)}")
    if bleed is not None and media is not None and not _inside(bleed, media):
        problems.append(f"BleedBox {fmt(bleed)} is not within the MediaBox {fmt(media)}")
    report.add("boxes", not problems, f"TrimBox {fmt(trim)} within BleedBox {fmt(bleed)} within MediaBox {fmt(media)}"
               if not problems else "boxes inconsistent: " + "; ".join(problems) + ": fix the page geometry", number)
    return trim


def check_annotations(page: pikepdf.Page, number: int, trim: list[float] | None, report) -> None:
    area = trim or _rect(page.obj.get(Name.MediaBox))
    for index, annotation in enumerate(page.obj.get(Name.Annots, []) or [], 1):
        if not isinstance(annotation, pikepdf.Dictionary):
            continue
        subtype = str(annotation.get(Name.Subtype, "/Unknown"))
        rect = _rect(annotation.get(Name.Rect))
        if subtype in ALLOWED_ON_PAGE or rect is None or area is None or not _overlaps(rect, area):
            continue
        flags = int(annotation.get(Name.F, 0))
        printing = bool(flags & FLAG_PRINT) and not flags & FLAG_HIDDEN
        if subtype == "/Link" or printing:
            why = "a Link (interactive content)" if subtype == "/Link" and not printing else "printable"
            report.add("annotations", False, f"annotation {index} ({subtype[1:]}, {why}) at {fmt(rect)} lies inside "
                       "the TrimBox: PDF/X forbids annotations on the printed page; remove it or move it "
                       "outside the trim", number)
