"""`pagecomposer preflight`: what a newspaper plant checks before it makes plates, checked by us.

There is no open-source PDF/X validator, so each rule is written out here, one function a check,
each returning findings with the page and what to do. It reads any PDF, not only ours.

Checks: PDF/X identification and OutputIntent; page boxes; fonts embedded, subset, no Type 3;
colour spaces (no RGB or Lab under X-1a); no transparency under X-1a; effective resolution of
every placed image; total ink coverage, measured on a CMYK rendering by Ghostscript.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Name

DEFAULT_INK_LIMIT = 240.0
DEFAULT_MIN_PPI = 200.0
COVERAGE_DPI = 50  # fine enough to catch any filled area; a hairline of 300 % is not a plate problem
RGB_SPACES = {"/DeviceRGB", "/CalRGB", "/Lab"}
SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")


@dataclass
class Finding:
    check: str
    ok: bool
    message: str
    page: int | None = None  # 1-based
    severity: str = "error"  # error | warning | info


@dataclass
class Report:
    path: str
    pdfx: str | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(not f.ok and f.severity == "error" for f in self.findings)

    def add(self, check: str, ok: bool, message: str, page: int | None = None, severity: str = "error") -> None:
        self.findings.append(Finding(check, ok, message, page, severity if not ok else "info"))

    def as_dict(self) -> dict:
        return {"file": self.path, "pdfx": self.pdfx, "passed": self.passed,
                "findings": [asdict(f) for f in self.findings]}

    def table(self) -> str:
        rows = [(f.check, "ok" if f.ok else f.severity.upper(), f"p{f.page}" if f.page else "", f.message)
                for f in self.findings]
        widths = [max(len(r[i]) for r in rows + [("check", "result", "page", "")]) for i in range(3)]
        lines = [f"{self.path}: {'PASSED' if self.passed else 'FAILED'}"
                 + (f" (PDF/X-{self.pdfx})" if self.pdfx else " (not PDF/X)")]
        for row in rows:
            lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
        return "\n".join(lines)


# --- PDF/X identification ---------------------------------------------------------------------

def _pdfx_version(pdf: pikepdf.Pdf) -> str | None:
    version = str(pdf.docinfo.get(Name.GTS_PDFXVersion, ""))
    if version.startswith("PDF/X-1"):
        return "1a"
    if version.startswith("PDF/X-4"):
        return "4"
    return None


def check_pdfx(pdf: pikepdf.Pdf, report: Report, required: bool) -> None:
    version = report.pdfx
    report.add("pdfx-version", version is not None,
               f"GTS_PDFXVersion {pdf.docinfo.get(Name.GTS_PDFXVersion)!s}" if version else
               "no GTS_PDFXVersion in the document info: not a PDF/X file (build with --pdfx 1a)",
               severity="error" if required else "warning")
    if version is None:
        return
    if version == "1a":
        conformance = str(pdf.docinfo.get(Name.GTS_PDFXConformance, ""))
        report.add("pdfx-conformance", conformance == "PDF/X-1a:2001", f"GTS_PDFXConformance {conformance!r}")
        report.add("pdf-version", pdf.pdf_version <= "1.4", f"PDF {pdf.pdf_version} (X-1a:2001 is PDF 1.3)")
    intents = [i for i in pdf.Root.get(Name.OutputIntents, []) if i.get(Name.S) == Name.GTS_PDFX]
    report.add("output-intent", len(intents) == 1,
               f"{len(intents)} GTS_PDFX OutputIntent(s)" + (
                   f": {intents[0].get(Name.OutputConditionIdentifier)!s}" if intents else ""))
    if intents:
        intent = intents[0]
        has_profile = Name.DestOutputProfile in intent
        registered = str(intent.get(Name.RegistryName, "")).startswith("http://www.color.org")
        if version == "4":
            report.add("output-profile", has_profile, "X-4 OutputIntent embeds its ICC profile" if has_profile
                       else "X-4 needs the output ICC profile embedded in the OutputIntent")
        else:
            report.add("output-profile", has_profile or registered,
                       "registered characterization" + (" with embedded profile" if has_profile else ""))
    trapped = pdf.docinfo.get(Name.Trapped)
    report.add("trapped", trapped in (Name("/True"), Name("/False")), f"Trapped {trapped!s}")
    report.add("document-id", Name.ID in pdf.trailer, "document ID present" if Name.ID in pdf.trailer
               else "no document ID in the trailer")
    for key in (Name.Title, Name.CreationDate, Name.ModDate):
        report.add("info-" + str(key)[1:].lower(), key in pdf.docinfo, f"{str(key)[1:]} "
                   + ("present" if key in pdf.docinfo else "missing from the document info"))


# --- boxes ------------------------------------------------------------------------------------

def _box(page: pikepdf.Page, name: str) -> list[float] | None:
    value = page.obj.get(Name(name))
    return [float(v) for v in value] if value is not None else None


def _inside(inner: list[float], outer: list[float], tolerance: float = 0.01) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def check_boxes(pdf: pikepdf.Pdf, report: Report) -> None:
    for number, page in enumerate(pdf.pages, 1):
        media = [float(v) for v in page.mediabox]
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        if trim is None:
            report.add("trimbox", False, "no TrimBox: the plant cannot tell where the page is cut", number)
            continue
        ok = _inside(trim, media) and (bleed is None or (_inside(trim, bleed) and _inside(bleed, media)))
        report.add("boxes", ok, f"TrimBox {_fmt(trim)} within BleedBox {_fmt(bleed)} within MediaBox {_fmt(media)}"
                   if ok else f"boxes inconsistent: TrimBox {_fmt(trim)}, BleedBox {_fmt(bleed)}, MediaBox {_fmt(media)}",
                   number)


def _fmt(box) -> str:
    return "-" if box is None else "[" + " ".join(f"{v:.1f}" for v in box) + "]"


# --- walking resources ------------------------------------------------------------------------

def _xobjects(resources) -> dict:
    return dict(resources.get(Name.XObject, {})) if resources is not None else {}


def _fonts_of(resources, seen: set) -> list[tuple[str, pikepdf.Dictionary]]:
    """Every font used by a resource dictionary and the forms it draws, each once."""
    found = []
    if resources is None:
        return found
    for name, font in dict(resources.get(Name.Font, {})).items():
        if font.objgen not in seen or font.objgen == (0, 0):
            seen.add(font.objgen)
            found.append((name, font))
    for xobject in _xobjects(resources).values():
        if xobject.get(Name.Subtype) == Name.Form and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            found += _fonts_of(xobject.get(Name.Resources), seen)
    return found


def check_fonts(pdf: pikepdf.Pdf, report: Report) -> None:
    seen: set = set()
    for number, page in enumerate(pdf.pages, 1):
        fonts = _fonts_of(page.obj.get(Name.Resources), seen)
        for name, font in fonts:
            base = str(font.get(Name.BaseFont, name))
            subtype = font.get(Name.Subtype)
            if subtype == Name.Type3:
                report.add("type3-font", False, f"{base} is a Type 3 font (bitmap or unhinted procedures); "
                           "set the text in an outline font", number)
                continue
            descriptor = font.get(Name.FontDescriptor)
            if descriptor is None and Name.DescendantFonts in font:
                descriptor = font.DescendantFonts[0].get(Name.FontDescriptor)
            embedded = descriptor is not None and any(k in descriptor for k in (Name.FontFile, Name.FontFile2,
                                                                               Name.FontFile3))
            report.add("font-embedded", embedded, f"{base} " + ("embedded" if embedded else
                       "is NOT embedded: the plant's RIP will substitute it"), number)
            if embedded and not SUBSET_TAG.match(base):
                report.add("font-subset", False, f"{base} is embedded whole, not subset", number, "warning")


# --- colour, transparency, images -------------------------------------------------------------

def _space_name(space) -> str:
    if isinstance(space, pikepdf.Array) and len(space):
        head = str(space[0])
        if head == "/ICCBased":
            return "/ICCBased-RGB" if int(space[1].get(Name.N, 0)) == 3 else "/ICCBased"
        return head
    return str(space)


def _walk_content(pdf, page: pikepdf.Page, number: int, report: Report, on_image) -> None:
    """Follow a page's content (and its forms) with the current transformation matrix, reporting
    RGB colour operators and calling on_image(xobject, width_pt, height_pt) for every image drawn."""

    def walk(stream_owner, resources, ctm, depth: int) -> None:
        if depth > 8:
            return
        stack = []
        matrix = ctm
        color_spaces = dict(resources.get(Name.ColorSpace, {})) if resources is not None else {}
        for operands, operator in pikepdf.parse_content_stream(stream_owner):
            op = str(operator)
            if op == "q":
                stack.append(matrix)
            elif op == "Q":
                matrix = stack.pop() if stack else ctm
            elif op == "cm":
                matrix = pikepdf.Matrix(*[float(v) for v in operands]) @ matrix
            elif op in ("rg", "RG"):
                report.add("colour-space", False, f"DeviceRGB colour operator '{op}' in the page content", number)
            elif op in ("cs", "CS") and operands:
                name = operands[0]
                space = color_spaces.get(name, name)
                if _space_name(space) in RGB_SPACES | {"/ICCBased-RGB"}:
                    report.add("colour-space", False, f"{_space_name(space)} colour space set by '{op}'", number)
            elif op == "Do" and operands:
                xobject = _xobjects(resources).get(str(operands[0]))
                if xobject is None:
                    continue
                if xobject.get(Name.Subtype) == Name.Image:
                    width = math.hypot(matrix.a, matrix.b)
                    height = math.hypot(matrix.c, matrix.d)
                    on_image(xobject, width, height)
                elif xobject.get(Name.Subtype) == Name.Form:
                    form_matrix = pikepdf.Matrix(*[float(v) for v in xobject.get(Name.Matrix, [1, 0, 0, 1, 0, 0])])
                    walk(xobject, xobject.get(Name.Resources, resources), form_matrix @ matrix, depth + 1)

    walk(page, page.obj.get(Name.Resources), pikepdf.Matrix(), 0)


def check_colour_and_images(pdf: pikepdf.Pdf, report: Report, min_ppi: float) -> None:
    x1a = report.pdfx == "1a"
    for number, page in enumerate(pdf.pages, 1):
        images = []

        def on_image(xobject, width_pt, height_pt, images=images):
            images.append((xobject, width_pt, height_pt))

        _walk_content(pdf, page, number, report, on_image)
        for xobject, width_pt, height_pt in images:
            space = _space_name(xobject.get(Name.ColorSpace))
            pixels_w, pixels_h = int(xobject.get(Name.Width, 0)), int(xobject.get(Name.Height, 0))
            if space in RGB_SPACES or space == "/ICCBased-RGB":
                report.add("image-colour", False, f"a {pixels_w}x{pixels_h} image is {space[1:]}: convert it to "
                           "CMYK for the press", number)
            if x1a and Name.SMask in xobject:
                report.add("transparency", False, "an image has a soft mask (transparency), not allowed in X-1a",
                           number)
            if width_pt > 0 and height_pt > 0 and pixels_w > 1:
                ppi = min(pixels_w / (width_pt / 72), pixels_h / (height_pt / 72))
                report.add("image-resolution", ppi >= min_ppi - 0.5,
                           f"image {pixels_w}x{pixels_h} px at {width_pt / 72 * 25.4:.0f}x{height_pt / 72 * 25.4:.0f} mm"
                           f" = {ppi:.0f} ppi" + ("" if ppi >= min_ppi - 0.5 else f", under {min_ppi:.0f} ppi"),
                           number)
        if x1a:
            for name, state in dict(page.obj.get(Name.Resources, {}).get(Name.ExtGState, {})).items():
                transparent = (Name.SMask in state and state.SMask != Name("/None")) or \
                    float(state.get(Name.CA, 1)) < 1 or float(state.get(Name.ca, 1)) < 1 or \
                    state.get(Name.BM, Name.Normal) not in (Name.Normal, Name.Compatible)
                if transparent:
                    report.add("transparency", False, f"graphics state {name} uses transparency", number)


# --- ink coverage -----------------------------------------------------------------------------

def check_ink(path: Path, report: Report, ink_limit: float) -> None:
    """Total area coverage of every pixel, from a CMYK rendering by Ghostscript (overprint simulated)."""
    gs = shutil.which("gs")
    if gs is None:
        report.add("ink-coverage", False, "not measured: Ghostscript (gs) is not installed", None, "warning")
        return
    from PIL import Image, ImageMath

    with tempfile.TemporaryDirectory() as folder:
        pattern = str(Path(folder) / "page-%03d.tif")
        result = subprocess.run([gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc",
                                 "-dUseBleedBox",  # the printed product: marks in the slug are cut off
                                 f"-r{COVERAGE_DPI}", "-dOverprint=/simulate", f"-sOutputFile={pattern}", str(path)],
                                capture_output=True, text=True)
        if result.returncode != 0:
            report.add("ink-coverage", False, f"Ghostscript could not render the file: {result.stderr.strip()[:200]}")
            return
        if result.stderr.strip():
            report.add("ghostscript", False, f"Ghostscript warned: {result.stderr.strip()[:200]}", None, "warning")
        for number, tif in enumerate(sorted(Path(folder).glob("page-*.tif")), 1):
            with Image.open(tif) as image:
                c, m, y, k = (band.convert("I") for band in image.split())
                total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
                peak = total.getextrema()[1] / 255 * 100
            report.add("ink-coverage", peak <= ink_limit + 1.0,
                       f"highest total ink {peak:.0f}% (limit {ink_limit:.0f}%)", number)


# --- entry point ------------------------------------------------------------------------------

def preflight(path: Path, ink_limit: float = DEFAULT_INK_LIMIT, min_ppi: float = DEFAULT_MIN_PPI,
              require_pdfx: bool = True) -> Report:
    try:
        pdf = pikepdf.open(path)
    except (pikepdf.PdfError, OSError) as exc:
        report = Report(str(path), None)
        report.add("open", False, f"cannot read the PDF: {exc}")
        return report
    with pdf:
        report = Report(str(path), _pdfx_version(pdf))
        check_pdfx(pdf, report, require_pdfx)
        check_boxes(pdf, report)
        check_fonts(pdf, report)
        check_colour_and_images(pdf, report, min_ppi)
    check_ink(path, report, ink_limit)
    return report
