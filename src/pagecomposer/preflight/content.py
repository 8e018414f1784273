"""Content-stream checks: what is painted, with which graphics state.

Each content stream is parsed once (pikepdf.parse_content_stream; cached per object) and
interpreted with the little graphics state the checks read: the CTM (for image resolution), the
fill and stroke colour and the overprint parameters (white overprint), the font (glyph codes
shown) and the colour operators. A form drawn many times is interpreted once per distinct
overprint/colour state it is entered with; its images are then placed by matrix arithmetic only.

Findings here (check names):
- white-overprint: a 0/0/0/0 DeviceCMYK fill/stroke with overprint on and OPM 1, or a
  Separation/DeviceN at tint 0 with overprint on: nothing is painted on any plate, so the object
  vanishes instead of knocking out (ISO 32000-1 8.6.7, 11.7.4.5 overprint rules).
- colour-space: DeviceRGB set by rg/RG or cs /DeviceRGB (the output intent is CMYK; X-1a allows
  only CMYK, gray and spot colour; X-3/X-4 need device-independent colour for RGB).
- postscript: the PS operator (PostScript is forbidden in every PDF/X part).
- optional-content: BDC /OC marked content where the version has no optional content.
- image-colour / image-depth / filters: inline images, by the rules for image XObjects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pikepdf
from pikepdf import Matrix, Name

from pagecomposer.preflight.identify import Rules
from pagecomposer.preflight.images import image_problems

# Operators as bytes: bytes(instruction.operator) is several times cheaper than str() in pikepdf.
FILL_OPS = {b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*"}
STROKE_OPS = {b"S", b"s", b"B", b"B*", b"b", b"b*"}
PAINT_OPS = FILL_OPS | STROKE_OPS
TEXT_SHOW_OPS = {b"Tj", b"TJ", b"'", b'"'}
# The operators the checks read; qpdf drops the others while parsing (text positioning, path
# construction, line style are half of a page's instructions). An inline image comes as "ID" with
# its dictionary as operands.
READ_OPS = ("q Q cm gs k K g G rg RG cs CS sc scn SC SCN f F f* B B* b b* S s Tr Tf Tj TJ ' \" Do PS BDC ID")
INLINE_KEYS = {"/W": "/Width", "/H": "/Height", "/CS": "/ColorSpace", "/BPC": "/BitsPerComponent",
               "/F": "/Filter", "/DP": "/DecodeParms", "/IM": "/ImageMask", "/D": "/Decode", "/I": "/Interpolate"}
INLINE_SPACES = {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK", "/I": "/Indexed"}
TEXT_FILLS = {0, 2, 4, 6}  # text render modes that fill
TEXT_STROKES = {1, 2, 5, 6}
MAX_FORM_DEPTH = 16


@dataclass(frozen=True)
class Paint:
    """What a colour setting means for overprint: is it paper white, and of which kind."""
    white: str | None = None  # None | "cmyk" (0/0/0/0 DeviceCMYK) | "spot" (Separation/DeviceN tint 0)
    space: object = None  # the colour space object in effect (for sc/scn)


@dataclass
class GraphicsState:
    ctm: Matrix
    fill: Paint = Paint()
    stroke: Paint = Paint()
    fill_overprint: bool = False  # op
    stroke_overprint: bool = False  # OP
    overprint_mode: int = 0  # OPM
    font: object = None
    render_mode: int = 0

    def copy(self) -> "GraphicsState":
        return GraphicsState(self.ctm, self.fill, self.stroke, self.fill_overprint, self.stroke_overprint,
                             self.overprint_mode, self.font, self.render_mode)

    def entry_key(self) -> tuple:
        """The part of the state a form inherits that can change what it finds."""
        return (self.fill.white, self.stroke.white, self.fill_overprint, self.stroke_overprint,
                self.overprint_mode)


@dataclass
class StreamScan:
    """One interpretation of one content stream, matrices relative to the stream's own start."""
    findings: list = field(default_factory=list)  # (check, message)
    images: list = field(default_factory=list)  # (image xobject, name, matrix)
    forms: list = field(default_factory=list)  # (form xobject, matrix, entry GraphicsState, resources)
    text: dict = field(default_factory=dict)  # font key -> (font dict, set of shown byte strings)


def _key(obj) -> tuple:
    objgen = obj.objgen
    return objgen if objgen != (0, 0) else ("direct", id(obj))


def _white_paint(space, components: list[float]) -> Paint:
    kind = _space_kind(space)
    if components and all(abs(c) < 1e-6 for c in components):
        if kind == "/DeviceCMYK":
            return Paint("cmyk", space)
        if kind in ("/Separation", "/DeviceN") and not _is_none_separation(space):
            return Paint("spot", space)
    return Paint(None, space)


def _space_kind(space) -> str:
    if isinstance(space, pikepdf.Array) and len(space):
        return str(space[0])
    return str(space) if space is not None else ""


def _is_none_separation(space) -> bool:
    return isinstance(space, pikepdf.Array) and len(space) > 1 and str(space[1]) == "/None"


class ContentScanner:
    """Interprets content streams for one file; caches parses and interpretations per object."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self._parsed: dict = {}
        self._scans: dict = {}

    def instructions(self, owner, key) -> list:
        """(operator bytes, instruction) for each instruction of the stream, parsed once."""
        if key not in self._parsed:
            self._parsed[key] = _parse(owner)
        return self._parsed[key]

    def scan_form(self, form: pikepdf.Stream, resources, entry: GraphicsState) -> StreamScan:
        own = form.get(Name.Resources)
        resources = own if own is not None else resources
        key = (_key(form), _key(resources) if resources is not None else None, entry.entry_key())
        if key not in self._scans:
            start = entry.copy()
            start.ctm = Matrix()
            self._scans[key] = self._interpret(self.instructions(form, _key(form)), resources, start)
        return self._scans[key]

    def scan_page(self, page: pikepdf.Page) -> StreamScan:
        contents = page.obj.get(Name.Contents)
        if contents is None:
            return StreamScan()
        return self._interpret(_parse(page.obj), page.obj.get(Name.Resources),
                               GraphicsState(Matrix()))

    def _interpret(self, instructions, resources, state: GraphicsState) -> StreamScan:
        scan = StreamScan()
        seen_findings: set = set()

        def find(check: str, message: str) -> None:
            if (check, message) not in seen_findings:
                seen_findings.add((check, message))
                scan.findings.append((check, message))

        res = resources if resources is not None else pikepdf.Dictionary()
        spaces = res.get(Name.ColorSpace, pikepdf.Dictionary())
        states = res.get(Name.ExtGState, pikepdf.Dictionary())
        fonts = res.get(Name.Font, pikepdf.Dictionary())
        xobjects = res.get(Name.XObject, pikepdf.Dictionary())
        stack: list[GraphicsState] = []
        font = state.font
        shown = scan.text.setdefault(_key(font), (font, set()))[1] if font is not None else None
        text_fills, text_strokes = state.render_mode in TEXT_FILLS, state.render_mode in TEXT_STROKES

        def resolve_space(operand):
            name = str(operand)
            if name in ("/DeviceCMYK", "/DeviceRGB", "/DeviceGray", "/Pattern"):
                return Name(name)
            return spaces.get(name, Name(name))

        def check_white(paint_fill: bool, paint_stroke: bool, what: str) -> None:
            for painted, paint, overprint, label in ((paint_fill, state.fill, state.fill_overprint, "fill"),
                                                    (paint_stroke, state.stroke, state.stroke_overprint, "stroke")):
                if not (painted and overprint and paint.white):
                    continue
                if paint.white == "cmyk" and state.overprint_mode != 1:
                    continue  # OPM 0: all four process plates are painted, the white knocks out
                colour = "0/0/0/0 CMYK" if paint.white == "cmyk" else f"{_spot_name(paint.space)} at tint 0"
                find("white-overprint", f"white ({colour}) {what} {label} is set to overprint: it vanishes "
                     "on the plate instead of knocking out; turn overprint off for white objects")

        font_by_name: dict = {}  # Tf operand -> (font dict or None, key): fonts are looked up once
        for op, instruction in instructions:
            if op in TEXT_SHOW_OPS:
                if (text_fills and state.fill_overprint and state.fill.white) or (
                        text_strokes and state.stroke_overprint and state.stroke.white):
                    check_white(text_fills, text_strokes, "text")
                if font is not None:
                    last = instruction.operands[-1] if len(instruction.operands) else None
                    if isinstance(last, pikepdf.Array):
                        shown.update(bytes(item) for item in last if isinstance(item, pikepdf.String))
                    elif isinstance(last, pikepdf.String):
                        shown.add(bytes(last))
                continue
            operands = instruction.operands
            if op == b"Tf" and len(operands):
                name = str(operands[0])
                if name not in font_by_name:
                    found = fonts.get(name)
                    font_by_name[name] = found if isinstance(found, pikepdf.Dictionary) else None
                font = state.font = font_by_name[name]
                shown = scan.text.setdefault(_key(font), (font, set()))[1] if font is not None else None
            elif op in PAINT_OPS:
                if state.fill.white or state.stroke.white:
                    check_white(op in FILL_OPS, op in STROKE_OPS, "path")
            elif op == b"q":
                stack.append(state.copy())
            elif op == b"Q":
                if stack:
                    state = stack.pop()
                    font = state.font
                    shown = scan.text.setdefault(_key(font), (font, set()))[1] if font is not None else None
                    text_fills, text_strokes = state.render_mode in TEXT_FILLS, state.render_mode in TEXT_STROKES
            elif op == b"cm" and len(operands) == 6:
                state.ctm = Matrix(*[float(v) for v in operands]) @ state.ctm
            elif op == b"gs" and len(operands):
                gstate = states.get(str(operands[0]))
                if isinstance(gstate, pikepdf.Dictionary):
                    if Name.OP in gstate:
                        state.stroke_overprint = bool(gstate.OP)
                        state.fill_overprint = bool(gstate.get(Name.op, gstate.OP))
                    if Name.op in gstate:
                        state.fill_overprint = bool(gstate.op)
                    if Name.OPM in gstate:
                        state.overprint_mode = int(gstate.OPM)
            elif op in (b"k", b"K"):
                paint = _white_paint(Name.DeviceCMYK, [float(v) for v in operands])
                if op == b"k":
                    state.fill = paint
                else:
                    state.stroke = paint
            elif op in (b"g", b"G", b"rg", b"RG"):
                if op in (b"rg", b"RG"):
                    find("colour-space", f"DeviceRGB colour set by '{op.decode()}' in the content: the press "
                         "prints CMYK; convert the colour to CMYK")
                paint = Paint(None, Name.DeviceGray if op in (b"g", b"G") else Name.DeviceRGB)
                if op in (b"g", b"rg"):
                    state.fill = paint
                else:
                    state.stroke = paint
            elif op in (b"cs", b"CS") and len(operands):
                space = resolve_space(operands[0])
                if str(operands[0]) == "/DeviceRGB":
                    find("colour-space", f"DeviceRGB colour space set by '{op.decode()}' in the content: "
                         "convert to CMYK")
                paint = Paint(None, space)  # the initial colour is black / tint 1, never white
                if op == b"cs":
                    state.fill = paint
                else:
                    state.stroke = paint
            elif op in (b"sc", b"scn", b"SC", b"SCN"):
                numbers = [float(v) for v in operands if not isinstance(v, pikepdf.Name) and _is_number(v)]
                if op in (b"sc", b"scn"):
                    state.fill = _white_paint(state.fill.space, numbers)
                else:
                    state.stroke = _white_paint(state.stroke.space, numbers)
            elif op == b"Tr" and len(operands):
                state.render_mode = int(operands[0])
                text_fills, text_strokes = state.render_mode in TEXT_FILLS, state.render_mode in TEXT_STROKES
            elif op == b"Do" and len(operands):
                xobject = xobjects.get(str(operands[0]))
                if not isinstance(xobject, pikepdf.Stream):
                    continue
                subtype = xobject.get(Name.Subtype)
                if subtype == Name.Image:
                    scan.images.append((xobject, str(operands[0]), state.ctm))
                elif subtype == Name.Form:
                    form_matrix = Matrix(*[float(v) for v in xobject.get(Name.Matrix, [1, 0, 0, 1, 0, 0])])
                    scan.forms.append((xobject, form_matrix @ state.ctm, state.copy(), res))
            elif op == b"ID":
                for check, message in image_problems(_inline_image_dict(operands), "an inline image", self.rules):
                    find(check, message)
            elif op == b"PS":
                find("postscript", "PostScript passthrough (PS operator) in the content: PDF/X forbids "
                     "PostScript; remove it")
            elif op == b"BDC" and len(operands) and str(operands[0]) == "/OC" and not self.rules.optional_content:
                find("optional-content", f"optional content (BDC /OC) in the content: {self.rules.label} "
                     "has no optional content (layers); flatten the layers")
        return scan


def _parse(owner) -> list:
    return [(bytes(instruction.operator), instruction)
            for instruction in pikepdf.parse_content_stream(owner, READ_OPS)]


def _inline_image_dict(operands) -> pikepdf.Dictionary:
    """BI ... ID's key/value operands as an image dictionary with the abbreviations spelt out."""
    items = list(operands)
    image = pikepdf.Dictionary()
    for key, value in zip(items[0::2], items[1::2]):
        key = INLINE_KEYS.get(str(key), str(key))
        if key == "/ColorSpace" and isinstance(value, pikepdf.Name):
            value = Name(INLINE_SPACES.get(str(value), str(value)))
        image[key] = value
    return image


def _is_number(value) -> bool:
    try:
        float(value)
        return True
    except (TypeError, ValueError):
        return False


def _spot_name(space) -> str:
    if isinstance(space, pikepdf.Array) and len(space) > 1:
        name = space[1]
        if isinstance(name, pikepdf.Array):
            return "DeviceN " + "+".join(str(n)[1:] for n in name)
        return str(name)[1:]
    return "spot colour"


@dataclass
class PageContent:
    """Everything the content of one page (and the forms it draws) shows."""
    findings: list = field(default_factory=list)
    placements: list = field(default_factory=list)  # (image xobject, name, width_pt, height_pt)
    text: dict = field(default_factory=dict)  # font key -> (font dict, set of byte strings)


def scan_page_content(scanner: ContentScanner, page: pikepdf.Page, extra_roots=()) -> PageContent:
    """The page's content and the forms it draws, then extra content roots (annotation
    appearances, tiling patterns...) interpreted from a default graphics state."""
    result = PageContent()
    seen: set = set()

    def merge(scan: StreamScan, ctm: Matrix, depth: int, path: tuple) -> None:
        for finding in scan.findings:
            if finding not in seen:
                seen.add(finding)
                result.findings.append(finding)
        for key, (font, shown) in scan.text.items():
            result.text.setdefault(key, (font, set()))[1].update(shown)
        for image, name, matrix in scan.images:
            placed = matrix @ ctm
            result.placements.append((image, name, (placed.a ** 2 + placed.b ** 2) ** 0.5,
                                      (placed.c ** 2 + placed.d ** 2) ** 0.5))
        if depth >= MAX_FORM_DEPTH:
            return
        for form, matrix, entry, resources in scan.forms:
            key = _key(form)
            if key in path:  # a form that draws itself
                continue
            merge(scanner.scan_form(form, resources, entry), matrix @ ctm, depth + 1, path + (key,))

    merge(scanner.scan_page(page), Matrix(), 0, ())
    for stream, resources in extra_roots:
        merge(scanner.scan_form(stream, resources, GraphicsState(Matrix())), Matrix(), 1, (_key(stream),))
    return result
