"""Display list -> PDF with reportlab. Only draws: every position was decided by layout.

- Fonts are embedded as TrueType subsets (reportlab subsets TTFs itself); the canvas's initial font
  is one of ours, so no unembedded Helvetica is ever referenced.
- Colours are CMYK or spot only, written exactly as the swatch gives them (see _cmyk_only); 100 % K
  text overprints, so a black letter never leaves a white halo on a tint.
- invariant=1: no timestamp or random ID, so the same input gives the same bytes.
- MediaBox = trim + bleed on every side; TrimBox and BleedBox are set on every page.
"""

from __future__ import annotations

from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace
from reportlab.lib.colors import CMYKColor, CMYKColorSep
from reportlab.pdfgen.canvas import Canvas

from reportlab.lib.utils import ImageReader

from pagecomposer import fontcache
from pagecomposer.atomic import replacing
from pagecomposer.resources import fonts_dir
from pagecomposer.display import Box, Circle, GlyphRun, Ink, PageDisplay, Picture, Rule
from pagecomposer.render.pictures import load_raster
from pagecomposer.text.fonts import load_face

# Consecutive glyphs whose spacing differs by less than this share one Tc (character spacing) run.
SAME_SPACING_PT = 0.0005

_registered: dict[str, str] = {}


def register_font(path: str) -> str:
    """Register a font file with reportlab once; returns its reportlab name."""
    if path not in _registered:
        name = "pc-" + Path(path).stem
        pdfmetrics.registerFont(_embeddable_font(name, Path(path)))
        _registered[path] = name
    return _registered[path]


# reportlab's parse of a face, less the two things that are not plain data: the file's bytes (read
# again, they are needed for subsetting) and a scaling lambda (made again from unitsPerEm).
_NOT_CACHED = ("_ttf_data", "_pdfScale")


def _parsed_face(path: Path) -> dict:
    face = TTFontFace(str(path))
    state = {key: value for key, value in face.__dict__.items() if key not in _NOT_CACHED}
    names = [key for key, value in state.items() if isinstance(value, TTFNameBytes)]
    return {"state": {key: (bytes(value) if key in names else value) for key, value in state.items()},
            "names": names}


def _embeddable_font(name: str, path: Path) -> TTFont:
    """reportlab's TTFont for `path`, from the parse cached in the user's cache folder (see
    fontcache): the same object TTFont(name, path) makes, without parsing the file again."""
    cached = fontcache.cached("reportlab", path, f"reportlab {reportlab.Version}", lambda: _parsed_face(path))
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(cached["state"])
    for key in cached["names"]:
        setattr(face, key, TTFNameBytes(cached["state"][key]))
    face._ttf_data = path.read_bytes()
    scale = 1000 / face.unitsPerEm
    face._pdfScale = (lambda x: x) if face.unitsPerEm == 1000 else (lambda x: x * scale)
    # What TTFont.__init__ sets besides the face (tests/test_fontcache.py compares the two objects).
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = False  # every glyph is placed by the composer; reportlab must not reshape
    return font


def _cmyk_only(color):
    """The canvas's colour check. reportlab's own 'sep_cmyk' mode takes any colour whose C = M = Y
    for a grey and rewrites it as K only (rich black 40/30/30/100 became 0/0/0/100 and knocked out);
    ours passes CMYK and spot colours through untouched and refuses anything else."""
    if isinstance(color, CMYKColor):  # CMYKColorSep (a spot) is one too
        return color
    raise ValueError(f"only CMYK or spot colours reach the plate, not {color!r}")


def _color(ink: Ink):
    if ink.spot:
        return CMYKColorSep(ink.c, ink.m, ink.y, ink.k, spotName=ink.spot)
    return CMYKColor(ink.c, ink.m, ink.y, ink.k)


class _PageCanvas:
    def __init__(self, canvas: Canvas, page: PageDisplay):
        self.canvas = canvas
        self.page = page
        self.origin = page.origin
        self.overprint = False  # the fill overprint now in the graphics state

    def x(self, x: float) -> float:
        return self.origin + x

    def y(self, y: float) -> float:
        return self.origin + self.page.trim_height - y

    def draw(self) -> None:
        for item in self.page.items:
            if isinstance(item, Box):
                self._box(item)
            elif isinstance(item, Rule):
                self._rule(item)
            elif isinstance(item, GlyphRun):
                self._glyphs(item)
            elif isinstance(item, Circle):
                self.canvas.setStrokeColor(_color(item.color))
                self.canvas.setLineWidth(item.width)
                self.canvas.circle(self.x(item.x), self.y(item.y), item.radius, stroke=1, fill=0)
            elif isinstance(item, Picture) and item.kind == "raster":
                self._raster(item)  # PDF pictures are placed afterwards (render/pictures.py)

    def _raster(self, pic: Picture) -> None:
        c = self.canvas
        image = load_raster(pic.path, pic.crop, pic.convert_rgb)
        c.saveState()
        fx, fy, fw, fh = pic.frame
        path = c.beginPath()
        path.rect(self.x(fx), self.y(fy + fh), fw, fh)
        c.clipPath(path, stroke=0, fill=0)
        px, py, pw, ph = pic.placed
        c.drawImage(ImageReader(image), self.x(px), self.y(py + ph), pw, ph)
        c.restoreState()

    def _set_overprint(self, target, wanted: bool) -> None:
        """Fill overprint lives in the graphics state and outlasts a text object: set it every time it changes."""
        if wanted != self.overprint:
            target.setFillOverprint(wanted)
            target.setOverprintMask(1 if wanted else 0)
            self.overprint = wanted

    def _box(self, box: Box) -> None:
        c = self.canvas
        self._set_overprint(c, False)
        if box.fill:
            c.setFillColor(_color(box.fill))
        if box.stroke:
            c.setStrokeColor(_color(box.stroke))
            c.setLineWidth(box.stroke_width)
        c.rect(self.x(box.x), self.y(box.y + box.height), box.width, box.height,
               fill=1 if box.fill else 0, stroke=1 if box.stroke else 0)

    def _rule(self, rule: Rule) -> None:
        c = self.canvas
        c.setStrokeColor(_color(rule.color))
        c.setLineWidth(rule.width)
        c.line(self.x(rule.x1), self.y(rule.y1), self.x(rule.x2), self.y(rule.y2))

    def _glyphs(self, run: GlyphRun) -> None:
        face = load_face(Path(run.font_path))
        advances = [face.advance(ch) * run.size * run.hscale for ch in run.text]
        text = self.canvas.beginText()
        text.setFont(register_font(run.font_path), run.size)
        if run.hscale != 1.0:
            text.setHorizScale(run.hscale * 100)
        text.setFillColor(_color(run.color))
        self._set_overprint(text, run.color.is_plain_black)
        y = self.y(run.baseline)
        # Group glyphs whose gap to the next is the same into one Tj with that Tc, so a justified
        # line costs a few operators instead of one per character.
        start = 0
        count = len(run.text)
        while start < count:
            end = start + 1
            spacing = run.xs[end] - run.xs[start] - advances[start] if end < count else 0.0
            while end < count - 1 and abs(run.xs[end + 1] - run.xs[end] - advances[end] - spacing) < SAME_SPACING_PT:
                end += 1
            # run.text[start:end + 1] shares `spacing` between glyphs; the gap after the last one is not used.
            end = min(end + 1, count)
            text.setTextOrigin(self.x(run.xs[start]), y)
            text.setCharSpace(spacing / run.hscale)  # PDF scales Tc by the horizontal scale too
            text.textOut(run.text[start:end])
            start = end
        self.canvas.drawText(text)


def write_pdf(pages: list[PageDisplay], path: Path, finish=None) -> None:
    """Write pages to path atomically: a failed build never leaves a half-written PDF behind.
    `finish(temp_path)` may rewrite the file (PDF/X keys) before it takes its place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # reportlab needs an initial font; one of ours, so no unembedded Helvetica is referenced. A page
    # with no text at all (a full-page ad) references no font, so any shipped one will do.
    first_font = next((r.font_path for p in pages for r in p.items if isinstance(r, GlyphRun)), None)
    initial = register_font(first_font or str(fonts_dir() / "NotoSansSC-Regular.ttf"))
    with replacing(path) as temp:
        canvas = Canvas(str(temp), invariant=1, pageCompression=1, enforceColorSpace=_cmyk_only,
                        initialFontName=initial, initialFontSize=9)
        canvas.setCreator("pagecomposer")
        canvas.setProducer("pagecomposer (reportlab)")
        for page in pages:
            origin = page.origin
            width = page.trim_width + 2 * origin
            height = page.trim_height + 2 * origin
            canvas.setPageSize((width, height))
            canvas.setTrimBox([origin, origin, origin + page.trim_width, origin + page.trim_height])
            canvas.setBleedBox([page.slug, page.slug, width - page.slug, height - page.slug])
            _PageCanvas(canvas, page).draw()
            canvas.showPage()
        canvas.save()
        if finish is not None:
            finish(temp)
