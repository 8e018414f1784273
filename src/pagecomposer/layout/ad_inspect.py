"""What a delivered PDF ad holds that a PDF/X-1a page may not: read before the ad is placed.

One page of the file is looked at (the one the spec picks), with everything it draws: its content,
its resources and, through them, nested forms, patterns, shadings, soft masks, Type 3 glyphs and
annotation appearances, each object once. Found are live transparency, colour that is neither CMYK,
grey nor a spot with a CMYK alternate, every spot ink, fonts not embedded, the page's rotation and
its boxes. A file that cannot be read (damaged, encrypted, no such page, a broken box) raises
AdFileError with a sentence naming what is wrong; layout/pictures.py adds the spec's place.
"""

from __future__ import annotations

import io
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

PROCESS = ("Cyan", "Magenta", "Yellow", "Black")
BOX_NAMES = ("MediaBox", "CropBox", "TrimBox", "BleedBox", "ArtBox")
NORMAL_BLENDS = {"/Normal", "/Compatible"}
RGB_FAMILIES = {"/DeviceRGB": "DeviceRGB", "/RGB": "DeviceRGB", "/CalRGB": "CalRGB", "/Lab": "Lab"}
SHOW_TEXT = {"Tj", "TJ", "'", '"'}
BOX_TOLERANCE = 0.01  # pt: boxes written by rounding software may miss the MediaBox by a hair


ASK_AGAIN = "ask the advertiser for the file again, as PDF/X-1a"


class AdFileError(Exception):
    """The ad file cannot be placed as it is written; the message says why, naming the file."""

    def __init__(self, message: str, hint: str = ASK_AGAIN):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class AdFacts:
    """One page of an ad PDF as inspected. Boxes are (x0, y0, x1, y1) in the page's own space."""

    path: str
    page: int  # 1-based
    pages: int
    rotate: int  # 0, 90, 180 or 270: clockwise, as a viewer shows the page
    boxes: tuple[tuple[str, tuple[float, float, float, float]], ...]
    visible: tuple[float, float, float, float]  # TrimBox, else CropBox, else MediaBox; within the MediaBox
    transparency: tuple[str, ...] = ()  # "/ca 0.4 in ExtGState /GS1", …
    colour: tuple[str, ...] = ()  # "DeviceRGB (rg operator)", "Lab colour space /CS0", …
    spots: tuple[str, ...] = ()  # spot inks, as the file names them
    process: tuple[str, ...] = ()  # the process plates the ad inks, of PROCESS
    unembedded_fonts: tuple[str, ...] = ()
    # Calibrated CMYK or grey (ICCBased with 4 or 1 components, CalGray): printable, but PDF/X-1a
    # admits device colour only, so under X-1a these are converted like RGB (render/ads.py).
    calibrated: tuple[str, ...] = ()
    image_pixels: int = 0  # of the images the page draws: tells whether flattening made it one image

    @property
    def size(self) -> tuple[float, float]:
        """Width and height of the visible box as a viewer shows it (after /Rotate)."""
        x0, y0, x1, y1 = self.visible
        return (y1 - y0, x1 - x0) if self.rotate in (90, 270) else (x1 - x0, y1 - y0)

    @property
    def inks(self) -> tuple[str, ...]:
        return tuple(ink for ink in PROCESS if ink in self.process) + self.spots


def inspect_pdf(path: Path, page: int | None, data: bytes | None = None) -> AdFacts:
    """Inspect page `page` (1-based; None: the file must have exactly one) of the PDF at path (or of
    `data`, a prepared copy of it, named by path in messages)."""
    try:
        pdf = pikepdf.open(io.BytesIO(data) if data is not None else path)
    except pikepdf.PasswordError:
        raise AdFileError(f"the PDF {path.name} is encrypted with a password") from None
    except (pikepdf.PdfError, OSError, ValueError, RecursionError) as exc:
        raise AdFileError(f"the PDF {path.name} is damaged or not a PDF ({_short(exc)})") from None
    with pdf:
        if pdf.is_encrypted:  # opened without a password: only an owner password restricts it
            raise AdFileError(f"the PDF {path.name} is encrypted (an owner password restricts it)")
        try:
            with warnings.catch_warnings(record=True) as raised:  # pikepdf's own on a broken content stream
                warnings.simplefilter("always")
                facts = _inspect(pdf, path, page)
        except AdFileError:
            raise
        except (pikepdf.PdfError, KeyError, TypeError, ValueError, AttributeError, IndexError,
                RecursionError, NotImplementedError) as exc:  # what a broken object tree raises on reading
            raise AdFileError(f"the PDF {path.name} is damaged ({_short(exc)})") from None
        # What qpdf had to repair to read the file (a MediaBox it replaced by Letter, a content
        # stream cut short) would be placed as qpdf guessed it: a damaged file, refused.
        repaired = [str(w) for w in pdf.get_warnings()] + [str(w.message) for w in raised]
        if repaired:
            said = repaired[0].split(": ", 1)[-1] if str(path) in repaired[0] else repaired[0]
            raise AdFileError(f"the PDF {path.name} is damaged ({said[:160]})")
        return facts


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]


def _inspect(pdf: pikepdf.Pdf, path: Path, page: int | None) -> AdFacts:
    count = len(pdf.pages)
    if count == 0:
        raise AdFileError(f"the PDF {path.name} has no pages")
    if page is None:
        if count > 1:
            raise AdFileError(f"the PDF {path.name} has {count} pages; which one is the ad?",
                              f"say which page to place: page: N (1 to {count})")
        page = 1
    if page > count:
        raise AdFileError(f"the PDF {path.name} has {count} page(s); there is no page {page}",
                          f"page: N counts from 1 to {count}")
    obj = pdf.pages[page - 1].obj
    rotate = _rotation(obj, path)
    boxes, visible = _boxes(obj, path)
    walk = _Walk()
    walk.page(obj)
    return AdFacts(str(path), page, count, rotate, boxes, visible, tuple(walk.transparency), tuple(walk.colour),
                   tuple(walk.spots), tuple(p for p in PROCESS if p in walk.process), tuple(walk.unembedded),
                   tuple(walk.calibrated), walk.image_pixels)


def _inherited(obj: Dictionary, key: str):
    """A page attribute that may sit on an ancestor in the page tree (MediaBox, CropBox, Rotate)."""
    node, depth = obj, 0
    while isinstance(node, Dictionary) and depth < 64:
        if key in node:
            return node[key]
        node, depth = node.get("/Parent"), depth + 1
    return None


def _rotation(obj: Dictionary, path: Path) -> int:
    value = _inherited(obj, "/Rotate")
    if value is None:
        return 0
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise AdFileError(f"the PDF {path.name} has /Rotate {value!r}, not a number") from None
    if not number.is_integer() or int(number) % 90:
        raise AdFileError(f"the PDF {path.name} has /Rotate {number:g}; a page turns by multiples of 90 degrees")
    return int(number) % 360


def _box(value, name: str, path: Path) -> tuple[float, float, float, float]:
    """A box as written, checked: four numbers, lower-left corner first, not empty. A box written
    corner-first the other way round is refused rather than normalised: it is a broken export, and
    guessing which corner was meant would place the ad somewhere nobody checked."""
    if not isinstance(value, Array) or len(value) != 4:
        raise AdFileError(f"the PDF {path.name} has a broken /{name} (not four numbers: {_shown(value)})")
    try:
        x0, y0, x1, y1 = (float(v) for v in value)
    except (TypeError, ValueError):
        raise AdFileError(f"the PDF {path.name} has a broken /{name} (not four numbers: {_shown(value)})") from None
    if not all(math.isfinite(v) for v in (x0, y0, x1, y1)):
        raise AdFileError(f"the PDF {path.name} has a broken /{name} ({_shown(value)})")
    if x1 < x0 or y1 < y0:
        raise AdFileError(f"the PDF {path.name} has a reversed /{name} [{x0:g} {y0:g} {x1:g} {y1:g}] "
                          "(upper-right corner before lower-left)")
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise AdFileError(f"the PDF {path.name} has an empty /{name} [{x0:g} {y0:g} {x1:g} {y1:g}]")
    return x0, y0, x1, y1


def _shown(value) -> str:
    try:
        return str(value)[:80]
    except Exception:  # noqa: BLE001 - only for the message
        return "?"


def _boxes(obj: Dictionary, path: Path):
    found: dict[str, tuple[float, float, float, float]] = {}
    for name in BOX_NAMES:
        value = _inherited(obj, f"/{name}") if name in ("MediaBox", "CropBox") else obj.get(f"/{name}")
        if value is not None:
            found[name] = _box(value, name, path)
    if "MediaBox" not in found:
        raise AdFileError(f"the PDF {path.name} has no /MediaBox")
    media = found["MediaBox"]
    if "TrimBox" in found:
        trim = found["TrimBox"]
        if (trim[0] < media[0] - BOX_TOLERANCE or trim[1] < media[1] - BOX_TOLERANCE
                or trim[2] > media[2] + BOX_TOLERANCE or trim[3] > media[3] + BOX_TOLERANCE):
            raise AdFileError(f"the PDF {path.name} has a /TrimBox [{' '.join(f'{v:g}' for v in trim)}] outside "
                              f"its /MediaBox [{' '.join(f'{v:g}' for v in media)}]")
    chosen = found.get("TrimBox") or found.get("CropBox") or media
    visible = (max(chosen[0], media[0]), max(chosen[1], media[1]), min(chosen[2], media[2]), min(chosen[3], media[3]))
    if visible[2] - visible[0] < 1 or visible[3] - visible[1] < 1:
        raise AdFileError(f"the PDF {path.name}'s CropBox lies outside its MediaBox: nothing would show")
    return tuple(found.items()), visible


def _number(value, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


@dataclass
class _Walk:
    """Everything a page draws, each object visited once; findings in the order they are met."""

    transparency: list[str] = field(default_factory=list)
    colour: list[str] = field(default_factory=list)
    spots: list[str] = field(default_factory=list)
    process: set[str] = field(default_factory=set)
    unembedded: list[str] = field(default_factory=list)
    calibrated: list[str] = field(default_factory=list)
    image_pixels: int = 0
    seen: set = field(default_factory=set)

    def _first_visit(self, obj) -> bool:
        if not getattr(obj, "is_indirect", False):
            return True  # a direct object sits in one place only: no cycle through it
        key = obj.objgen
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def _note(self, found: list, text: str) -> None:
        if text not in found:
            found.append(text)

    def page(self, obj: Dictionary) -> None:
        self._group(obj, "the page")
        resources = _inherited(obj, "/Resources")
        self.resources(resources)
        self.content(pikepdf.Page(obj), resources)
        for annot in obj.get("/Annots") or []:
            appearances = annot.get("/AP") if isinstance(annot, Dictionary) else None
            for kind in ("/N", "/R", "/D"):
                value = appearances.get(kind) if isinstance(appearances, Dictionary) else None
                states = [value] if isinstance(value, Stream) else list(value.values()) if isinstance(value, Dictionary) else []
                for state in states:
                    if isinstance(state, Stream):
                        self.form(state, "an annotation's appearance")

    def _group(self, obj, what: str) -> None:
        group = obj.get("/Group")
        if isinstance(group, Dictionary) and group.get("/S") == "/Transparency":
            self._note(self.transparency, f"a transparency group on {what}")
            if "/CS" in group:
                self.colour_space(group.CS, f"the transparency group of {what}")

    def resources(self, resources) -> None:
        if not isinstance(resources, Dictionary) or not self._first_visit(resources):
            return
        for name, state in (resources.get("/ExtGState") or {}).items():
            self.ext_gstate(state, name)
        for name, space in (resources.get("/ColorSpace") or {}).items():
            self.colour_space(space, f"colour space {name}")
        for name, pattern in (resources.get("/Pattern") or {}).items():
            self.pattern(pattern, name)
        for name, shading in (resources.get("/Shading") or {}).items():
            self.shading(shading, name)
        for name, xobject in (resources.get("/XObject") or {}).items():
            self.xobject(xobject, name, resources)
        # Fonts are looked at where a Tf selects them: one only listed in the resources prints nothing.

    def ext_gstate(self, state, name: str) -> None:
        if not isinstance(state, Dictionary) or not self._first_visit(state):
            return
        for key in ("/ca", "/CA"):
            if key in state and _number(state[key], 1.0) < 1:
                self._note(self.transparency, f"{key} {_number(state[key], 1.0):g} in ExtGState {name}")
        blend = state.get("/BM")
        first = blend[0] if isinstance(blend, Array) and len(blend) else blend
        if first is not None and str(first) not in NORMAL_BLENDS:
            self._note(self.transparency, f"blend mode {first} in ExtGState {name}")
        mask = state.get("/SMask")
        if mask is not None and str(mask) != "/None":
            self._note(self.transparency, f"a soft mask in ExtGState {name}")
            if isinstance(mask, Dictionary) and isinstance(mask.get("/G"), Stream):
                self.form(mask.G, f"the soft mask of ExtGState {name}")

    def colour_space(self, space, what: str) -> None:
        if isinstance(space, Name):
            self._device(str(space), what)
            return
        if not isinstance(space, Array) or not len(space) or not self._first_visit(space):
            return
        family = str(space[0])
        if family in RGB_FAMILIES:
            self._note(self.colour, f"{RGB_FAMILIES[family]} ({what})")
        elif family == "/ICCBased":
            components = int(_number(space[1].get("/N"), 0)) if isinstance(space[1], Stream) else 0
            if components == 3:
                self._note(self.colour, f"ICC-based RGB ({what})")
            elif components == 4:
                self.process.update(PROCESS)
                self._note(self.calibrated, f"ICC-based CMYK ({what})")
            elif components == 1:
                self.process.add("Black")
                self._note(self.calibrated, f"ICC-based grey ({what})")
        elif family == "/CalGray":
            self.process.add("Black")
            self._note(self.calibrated, f"CalGray ({what})")
        elif family == "/Indexed" and len(space) > 1:
            self.colour_space(space[1], f"the base of indexed {what}")
        elif family == "/Pattern" and len(space) > 1:
            self.colour_space(space[1], what)
        elif family == "/Separation" and len(space) > 2:
            self._colorant(str(space[1])[1:], space[2], what)
        elif family == "/DeviceN" and len(space) > 2:
            names = [str(n)[1:] for n in space[1]] if isinstance(space[1], Array) else []
            for colorant in names:
                self._colorant(colorant, space[2], what)
            attributes = space[4] if len(space) > 4 else None
            if isinstance(attributes, Dictionary):
                for colorant, separation in (attributes.get("/Colorants") or {}).items():
                    self.colour_space(separation, f"colorant {colorant} of {what}")

    def _device(self, name: str, what: str) -> None:
        if name in RGB_FAMILIES:
            self._note(self.colour, f"{RGB_FAMILIES[name]} ({what})")
        elif name in ("/DeviceCMYK", "/CMYK"):
            self.process.update(PROCESS)
        elif name in ("/DeviceGray", "/G"):
            self.process.add("Black")

    def _colorant(self, name: str, alternate, what: str) -> None:
        if name in PROCESS:
            self.process.add(name)
        elif name not in ("All", "None"):
            if name not in self.spots:
                self.spots.append(name)
            probe = _Walk()  # the alternate's own findings, so the message can name the spot
            probe.colour_space(alternate, what)
            if probe.colour:
                self._note(self.colour, f"spot ink {name} with a {probe.colour[0].split(' (')[0]} alternate ({what})")

    def pattern(self, pattern, name: str) -> None:
        if not isinstance(pattern, Dictionary) or not self._first_visit(pattern):
            return
        if "/ExtGState" in pattern:
            self.ext_gstate(pattern.ExtGState, f"of pattern {name}")
        if int(_number(pattern.get("/PatternType"), 0)) == 1 and isinstance(pattern, Stream):
            self.resources(pattern.get("/Resources"))
            self.content(pattern, pattern.get("/Resources"))
        elif "/Shading" in pattern:
            self.shading(pattern.Shading, f"of pattern {name}")

    def shading(self, shading, name: str) -> None:
        if not isinstance(shading, Dictionary) or not self._first_visit(shading):
            return
        if "/ColorSpace" in shading:
            self.colour_space(shading.ColorSpace, f"shading {name}")

    def xobject(self, xobject, name: str, outer=None) -> None:
        if not isinstance(xobject, Stream):
            return
        if xobject.get("/Subtype") == "/Form":
            self.form(xobject, f"form {name}", outer)
        elif xobject.get("/Subtype") == "/Image" and self._first_visit(xobject):
            self.image(xobject, f"image {name}")

    def image(self, image, what: str) -> None:
        self.image_pixels += int(_number(image.get("/Width"), 0)) * int(_number(image.get("/Height"), 0))
        if image.get("/ImageMask") is True:
            return
        if "/SMask" in image:
            self._note(self.transparency, f"a soft mask on {what}")
        if _number(image.get("/SMaskInData"), 0) > 0:
            self._note(self.transparency, f"an alpha channel in {what} (SMaskInData)")
        if "/ColorSpace" in image:
            self.colour_space(image.ColorSpace, what)
        elif image.get("/Filter") == "/JPXDecode":
            self._note(self.colour, f"JPEG 2000 colour of unknown space ({what})")

    def form(self, form, what: str, outer=None) -> None:
        if not self._first_visit(form):
            return
        self._group(form, what)
        resources = form.get("/Resources", outer)  # an old form without its own uses its page's
        self.resources(resources)
        self.content(form, resources)

    def font(self, font, name: str) -> None:
        if not isinstance(font, Dictionary) or not self._first_visit(font):
            return
        subtype = font.get("/Subtype")
        if subtype == "/Type3":  # glyphs drawn by the file's own procedures: always "embedded"
            resources = font.get("/Resources")
            self.resources(resources)
            for glyph in (font.get("/CharProcs") or {}).values():
                if isinstance(glyph, Stream) and self._first_visit(glyph):
                    self.content(glyph, resources)
            return
        described = font
        if subtype == "/Type0":
            descendants = font.get("/DescendantFonts")
            described = descendants[0] if isinstance(descendants, Array) and len(descendants) else None
        descriptor = described.get("/FontDescriptor") if isinstance(described, Dictionary) else None
        if not isinstance(descriptor, Dictionary) or not any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                                          "/FontFile3")):
            base = str(font.get("/BaseFont", name))[1:] if font.get("/BaseFont") is not None else str(name)[1:]
            self._note(self.unembedded, base)

    def content(self, stream, resources) -> None:
        """Colour set by operators rather than resources: rg/RG, k/K, g/G, device names after cs/CS,
        inline images; and the fonts text is shown in."""
        font = None
        for operands, operator in pikepdf.parse_content_stream(stream):
            op = str(operator)
            if op in ("rg", "RG"):
                self._note(self.colour, f"DeviceRGB ({op} operator)")
            elif op in ("k", "K"):
                for ink, value in zip(PROCESS, operands):
                    if _number(value, 0) > 0:
                        self.process.add(ink)
            elif op in ("g", "G"):
                if operands and _number(operands[0], 1) < 1:
                    self.process.add("Black")
            elif op in ("cs", "CS") and operands and isinstance(operands[0], Name):
                self._device(str(operands[0]), f"{op} operator")
            elif op == "INLINE IMAGE" and operands:
                self._inline_image(operands[0], resources)
            elif op == "Tf" and operands and isinstance(resources, Dictionary):
                fonts = resources.get("/Font")
                font = (fonts[operands[0]], str(operands[0])) if isinstance(fonts, Dictionary) and operands[0] in fonts else None
            elif op in SHOW_TEXT and font is not None:  # a font selected but never shown prints nothing
                self.font(*font)

    def _inline_image(self, image, resources) -> None:
        try:
            space = image.obj.get("/CS", image.obj.get("/ColorSpace"))
        except (AttributeError, pikepdf.PdfError):
            return
        if isinstance(space, Name) and isinstance(resources, Dictionary) and space in (resources.get("/ColorSpace") or {}):
            return  # a named space of the resources, checked there
        if space is not None:
            self.colour_space(space, "an inline image")
