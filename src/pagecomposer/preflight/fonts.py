"""Fonts: embedded, not Type 3, subset-tagged, and every glyph code shown present in the program.

PDF/X (15930-1, -4, -6, -7, each in its fonts clause) requires every font used to be embedded;
a code whose glyph is not in the embedded program prints as .notdef (a blank or a box) on the
plate. Glyph presence is read from the embedded program with fontTools, parsed once per font
object:
- simple fonts: the code must be within FirstChar..LastChar; TrueType (FontFile2): the code
  through the (3,0)/(1,0) cmap for symbolic fonts, or its glyph name (Encoding/Differences) /
  Unicode through (3,1) for non-symbolic ones; CFF (FontFile3 /Type1C): the glyph name in the
  charset;
- Type 0 with Identity-H/V: each 2-byte code is a CID; CIDFontType2 maps it through CIDToGIDMap
  (Identity or a stream) to a glyph id that must exist and not be 0; CIDFontType0 (CFF) needs the
  CID in the charset;
- a code whose glyph exists but is empty and whose PDF width is 0 is a glyph the subsetter
  dropped ("zero width, not in the font").
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Name

SUBSET_TAG = re.compile(r"^/?[A-Z]{6}\+")


@dataclass
class FontProgram:
    """A font's embedded program (parsed by fontTools) and the PDF facts the glyph rules read, worked
    out once per font object; `answers` caches the verdict per code."""
    kind: str  # "truetype" | "cff" | "type1" | "none"
    ttfont: object = None
    cff: object = None
    simple: bool = True
    first: int = 0
    last: int = 255
    widths: dict = field(default_factory=dict)  # code -> PDF width
    default_width: float | None = None
    glyph_order: list = field(default_factory=list)
    glyph_set: frozenset = frozenset()
    cmaps: dict | None = None  # (platform, encoding) -> {code: glyph name}, read on first use
    symbolic: bool = False
    has_encoding: bool = False
    answers: dict = field(default_factory=dict)  # code -> reason it is missing, or ""


def font_name(name: str, font) -> str:
    return str(font.get(Name.BaseFont, name))


def descriptor_of(font):
    if font.get(Name.Subtype) == Name.Type0:
        descendants = font.get(Name.DescendantFonts) or []
        if len(descendants) and isinstance(descendants[0], pikepdf.Dictionary):
            return descendants[0].get(Name.FontDescriptor)
        return None
    return font.get(Name.FontDescriptor)


def is_embedded(font) -> bool:
    descriptor = descriptor_of(font)
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        isinstance(descriptor.get(key), pikepdf.Stream) for key in (Name.FontFile, Name.FontFile2, Name.FontFile3))


class GlyphChecker:
    """Missing glyph codes per font, with the parse of each program cached per font object."""

    def __init__(self):
        self._programs: dict = {}

    def program(self, font) -> FontProgram:
        key = font.objgen if font.objgen != (0, 0) else id(font)
        if key not in self._programs:
            self._programs[key] = _load(font)
        return self._programs[key]

    def missing(self, font, shown: set[bytes]) -> dict[int, str]:
        """Codes shown with the font whose glyph is absent, with the reason."""
        if font.get(Name.Subtype) == Name.Type3 or not is_embedded(font):
            return {}  # reported as type3-font / font-embedded
        codes = _codes(font, shown)
        if codes is None:
            return {}  # a CMap we do not decode (not Identity): not checked
        program = self.program(font)
        missing = {}
        for code in codes:
            answer = program.answers.get(code)
            if answer is None:
                answer = program.answers[code] = _why_missing(font, program, code)
            if answer:
                missing[code] = answer
        return missing


def _codes(font, shown: set[bytes]) -> set[int] | None:
    if font.get(Name.Subtype) != Name.Type0:
        return {byte for string in shown for byte in string}
    encoding = font.get(Name.Encoding)
    if encoding not in (Name("/Identity-H"), Name("/Identity-V")):
        return None
    return {(s[i] << 8) | s[i + 1] for s in shown for i in range(0, len(s) - 1, 2)}


def _load(font) -> FontProgram:
    program = _load_program(font)
    program.simple = font.get(Name.Subtype) != Name.Type0
    if program.simple:
        program.first, program.last = int(font.get(Name.FirstChar, 0)), int(font.get(Name.LastChar, 255))
        widths = font.get(Name.Widths)
        if isinstance(widths, pikepdf.Array):
            program.widths = {program.first + i: float(w) for i, w in enumerate(widths)}
        descriptor = font.get(Name.FontDescriptor)
        if isinstance(descriptor, pikepdf.Dictionary):
            program.default_width = float(descriptor.get(Name.MissingWidth, 0))
    else:
        descendant = font.DescendantFonts[0]
        program.widths = _cid_widths(descendant.get(Name.W))
        program.default_width = float(descendant.get(Name.DW, 1000))
    if program.ttfont is not None:
        program.glyph_order = program.ttfont.getGlyphOrder()
        program.glyph_set = frozenset(program.glyph_order)
    return program


def _load_program(font) -> FontProgram:
    from fontTools.ttLib import TTFont

    descriptor = descriptor_of(font)
    if not isinstance(descriptor, pikepdf.Dictionary):
        return FontProgram("none")
    if isinstance(descriptor.get(Name.FontFile2), pikepdf.Stream):
        return FontProgram("truetype", TTFont(io.BytesIO(descriptor.FontFile2.read_bytes()), lazy=True))
    program = descriptor.get(Name.FontFile3)
    if isinstance(program, pikepdf.Stream):
        data = program.read_bytes()
        if program.get(Name.Subtype) == Name.OpenType:
            ttfont = TTFont(io.BytesIO(data), lazy=True)
            if "CFF " in ttfont:
                return FontProgram("cff", ttfont, ttfont["CFF "].cff)
            return FontProgram("truetype", ttfont)
        from fontTools.cffLib import CFFFontSet

        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), TTFont())
        return FontProgram("cff", None, cff)
    return FontProgram("type1")  # FontFile (Type 1): only the FirstChar..LastChar range is checked


def _cid_widths(array) -> dict:
    """The CIDFont /W array: [first [w1 w2 ...]] runs and [first last w] ranges."""
    widths: dict = {}
    if not isinstance(array, pikepdf.Array):
        return widths
    items, index = list(array), 0
    while index < len(items) - 1:
        first = int(items[index])
        if isinstance(items[index + 1], pikepdf.Array):
            widths.update({first + i: float(w) for i, w in enumerate(items[index + 1])})
            index += 2
        elif index + 2 < len(items):
            last = int(items[index + 1])
            if last - first < 65536:
                widths.update({cid: float(items[index + 2]) for cid in range(first, last + 1)})
            index += 3
        else:
            break
    return widths


def _why_missing(font, program: FontProgram, code: int) -> str:
    if program.simple and not program.first <= code <= program.last:
        return f"outside FirstChar..LastChar {program.first}..{program.last}"
    glyph = _glyph_of(font, program, code, program.simple)
    if glyph is None:
        return ""  # a kind of program we do not look into
    if glyph == "":
        return "not in the embedded font"
    width = program.widths.get(code, program.default_width)
    if program.kind == "truetype" and width == 0 and _empty_truetype_glyph(program.ttfont, glyph):
        return "zero width, not in the font"
    return ""


def _glyph_of(font, program: FontProgram, code: int, simple: bool) -> str | None:
    """The glyph name the code selects, "" if none, None if the program is not inspected."""
    if program.kind == "truetype":
        order = program.glyph_order
        if simple:
            gid_name = _truetype_simple_glyph(font, program, code)
        else:
            gid = _cid_to_gid(font.DescendantFonts[0], code)
            gid_name = order[gid] if gid is not None and 0 < gid < len(order) else ""
        return gid_name if gid_name and gid_name != order[0] else ""
    if program.kind == "cff":
        top = program.cff[program.cff.fontNames[0]]
        charset = set(top.charset)
        if hasattr(top, "ROS"):  # CID-keyed: glyphs are named cidNNNNN
            return f"cid{code:05d}" if f"cid{code:05d}" in charset or (code == 0) else ""
        name = _encoded_name(font, code) or _builtin_cff_name(top, code)
        return name if name and name in charset and name != ".notdef" else ""
    return None


def _truetype_simple_glyph(font, program: FontProgram, code: int) -> str:
    """PDF 32000-1 9.6.6.4: a symbolic TrueType font maps codes through (3,0) (0xF000 + code) or
    (1,0); a non-symbolic one maps the code's glyph name, or its Unicode through (3,1)."""
    if program.cmaps is None:
        cmap = program.ttfont["cmap"]
        program.cmaps = {(t.platformID, t.platEncID): t.cmap for t in cmap.tables}
        descriptor = font.get(Name.FontDescriptor)
        program.symbolic = isinstance(descriptor, pikepdf.Dictionary) and bool(int(descriptor.get(Name.Flags, 0)) & 4)
        program.has_encoding = Name.Encoding in font
    cmaps = program.cmaps
    name = _encoded_name(font, code) if program.has_encoding else ""
    if not program.symbolic and name:
        if name in program.glyph_set:
            return name
        from fontTools.agl import toUnicode

        text = toUnicode(name)
        if (3, 1) in cmaps and len(text) == 1 and ord(text) in cmaps[(3, 1)]:
            return cmaps[(3, 1)][ord(text)]
    for table, value in (((3, 0), 0xF000 + code), ((3, 0), code), ((1, 0), code), ((3, 1), code)):
        if table in cmaps and value in cmaps[table]:
            return cmaps[table][value]
    return ""


def _encoded_name(font, code: int) -> str:
    """The glyph name /Encoding gives the code (Differences over a base encoding)."""
    encoding = font.get(Name.Encoding)
    base = encoding if isinstance(encoding, pikepdf.Name) else None
    if isinstance(encoding, pikepdf.Dictionary):
        differences, current = encoding.get(Name.Differences), None
        for item in (differences if isinstance(differences, pikepdf.Array) else []):
            if isinstance(item, pikepdf.Name):
                if current == code:
                    return str(item)[1:]
                current = None if current is None else current + 1
            else:
                current = int(item)
        base = encoding.get(Name.BaseEncoding)
    codec = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}.get(str(base))
    if codec and code >= 32:
        from fontTools.agl import UV2AGL

        try:
            char = bytes([code]).decode(codec)
        except UnicodeDecodeError:
            return ""
        return UV2AGL.get(ord(char), "")
    return ""


def _builtin_cff_name(top, code: int) -> str:
    encoding = getattr(top, "Encoding", None)
    if isinstance(encoding, list) and 0 <= code < len(encoding):
        return encoding[code]
    if encoding == "StandardEncoding" or encoding is None:
        from fontTools.encodings.StandardEncoding import StandardEncoding

        return StandardEncoding[code] if 0 <= code < 256 else ""
    return ""


def _cid_to_gid(descendant, cid: int) -> int | None:
    mapping = descendant.get(Name.CIDToGIDMap, Name.Identity)
    if isinstance(mapping, pikepdf.Stream):
        data = mapping.read_bytes()
        return (data[2 * cid] << 8) | data[2 * cid + 1] if 2 * cid + 1 < len(data) else None
    return cid


def _empty_truetype_glyph(ttfont, glyph: str) -> bool:
    if "glyf" not in ttfont:
        return False
    return ttfont["glyf"][glyph].numberOfContours == 0


def check_fonts(fonts: list, report, page_number: int, checked: set) -> None:
    """Embedded, not Type 3, subset-tagged: each font object once per page."""
    for name, font in fonts:
        key = (page_number, font.objgen if font.objgen != (0, 0) else id(font))
        if key in checked:
            continue
        checked.add(key)
        base = font_name(name, font)
        if font.get(Name.Subtype) == Name.Type3:
            report.add("type3-font", False, f"{base} is a Type 3 font (bitmap or unhinted procedures); "
                       "set the text in an outline font", page_number)
            continue
        embedded = is_embedded(font)
        report.add("font-embedded", embedded, f"{base} " + ("embedded" if embedded else
                   "is NOT embedded: the plant's RIP will substitute it; embed the font"), page_number)
        if embedded and not SUBSET_TAG.match(base):
            report.add("font-subset", False, f"{base} is embedded whole, not subset", page_number, "warning")


def check_glyphs(checker: GlyphChecker, text: dict, report, page_number: int) -> None:
    """Codes shown on the page (collected by content.py) that the embedded programs lack."""
    for font, shown in text.values():
        missing = checker.missing(font, shown)
        if missing:
            sample = ", ".join(f"{code} ({reason})" for code, reason in sorted(missing.items())[:6])
            more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
            report.add("glyphs", False, f"{font_name('', font)}: {len(missing)} glyph code(s) shown that the "
                       f"embedded font lacks, printed as .notdef: {sample}{more}; re-embed the font with "
                       "these glyphs", page_number)
