#!/usr/bin/env python3
"""Regenerate fonts/ from the fonts Debian installs.

    apt-get install fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai
    python tools/build_fonts.py            # from the repository root

For every face in FACES this script:

1. opens the Simplified Chinese face of the source (.ttc collections hold
   JP/KR/SC/TC/HK faces; the SC one is found by its name table, because the
   index of a face inside a collection is not a stable interface);
2. (Noto only) points U+2014, U+00B7 and the curly quotes at full-width
   glyphs when the default glyph is not one em wide and the font itself offers
   a one-em alternate through GSUB 'fwid' (or zh-Hans 'locl' for the quotes).
   reportlab does no OpenType shaping, so the cmap is the only place where
   such a choice can be made for it;
3. keeps only the zh-Hans language system of GSUB/GPOS (see
   keep_only_zh_hans_layout) and subsets to a fixed character set
   (通用规范汉字表 8105 + GB 2312 + the punctuation and symbol ranges in
   extra_codepoints()), keeping the layout features in LAYOUT_FEATURES and
   dropping hinting;
4. converts CFF outlines to TrueType quadratic 'glyf' outlines (reportlab's
   TTFont reads only 'glyf' fonts), following fontTools' otf2ttf example;
5. renames the font so that nobody mistakes the subset for the original (and
   because the OFL forbids a Reserved Font Name on a modified version);
6. saves it with the source's own head.created/modified instead of "now",
   so the same inputs give byte-identical files.
"""

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

REPO = Path(__file__).resolve().parent.parent
TYGF_FILE = REPO / "tools" / "charsets" / "tygf-8105.txt"

# Where Debian puts the sources; both can be overridden on the command line.
DEFAULT_NOTO_DIR = Path("/usr/share/fonts/opentype/noto")
DEFAULT_LXGW_DIR = Path("/usr/share/fonts/truetype/lxgw-wenkai")

# OpenType features the composer may want later (CJK spacing, proportional
# and width alternates, kerning, localized forms). Everything else is dropped
# to keep the files small.
LAYOUT_FEATURES = ["halt", "vhal", "chws", "palt", "kern",
                   "fwid", "hwid", "pwid", "locl"]

# cu2qu tolerance in font units (1000/em): the otf2ttf default, invisible at
# print sizes.
CU2QU_MAX_ERR = 1.0

# Code points that should be one em wide in Chinese text, and the GSUB
# features allowed to supply such a glyph. The quotes may come from 'locl'
# too, because that is how zh-Hans text normally receives them.
FULLWIDTH_WANTED = {
    0x2018: ("fwid", "locl"), 0x2019: ("fwid", "locl"),
    0x201C: ("fwid", "locl"), 0x201D: ("fwid", "locl"),
    0x2014: ("fwid",), 0x2026: ("fwid",), 0x00B7: ("fwid",),
}


@dataclass(frozen=True)
class Face:
    out: str            # output file name in fonts/ (other code depends on it)
    source: str         # source file name
    source_dir: str     # "noto" or "lxgw": which --*-dir it lives in
    match_family: str   # name ID 16 (or 1) of the face to take from a .ttc
    family: str         # new typographic family (name ID 16)
    style: str          # new typographic subfamily (name ID 17)
    ps_name: str        # new PostScript name (name ID 6)
    fullwidth_remap: bool


FACES = [
    Face("NotoSerifSC-Regular.ttf", "NotoSerifCJK-Regular.ttc", "noto",
         "Noto Serif CJK SC", "Noto Serif SC PCsub", "Regular",
         "NotoSerifSC-Regular-PCsub", True),
    Face("NotoSerifSC-Bold.ttf", "NotoSerifCJK-Bold.ttc", "noto",
         "Noto Serif CJK SC", "Noto Serif SC PCsub", "Bold",
         "NotoSerifSC-Bold-PCsub", True),
    Face("NotoSerifSC-Black.ttf", "NotoSerifCJK-Black.ttc", "noto",
         "Noto Serif CJK SC", "Noto Serif SC PCsub", "Black",
         "NotoSerifSC-Black-PCsub", True),
    Face("NotoSansSC-Regular.ttf", "NotoSansCJK-Regular.ttc", "noto",
         "Noto Sans CJK SC", "Noto Sans SC PCsub", "Regular",
         "NotoSansSC-Regular-PCsub", True),
    Face("NotoSansSC-Bold.ttf", "NotoSansCJK-Bold.ttc", "noto",
         "Noto Sans CJK SC", "Noto Sans SC PCsub", "Bold",
         "NotoSansSC-Bold-PCsub", True),
    Face("NotoSansSC-Black.ttf", "NotoSansCJK-Black.ttc", "noto",
         "Noto Sans CJK SC", "Noto Sans SC PCsub", "Black",
         "NotoSansSC-Black-PCsub", True),
    # "LXGW" and "霞鹜" are Reserved Font Names (Debian's copyright file for
    # fonts-lxgw-wenkai): a modified version must not carry them in its font
    # name, so the subset is called "WenKai PCsub".
    Face("LXGWWenKai-Regular.ttf", "LXGWWenKai-Regular.ttf", "lxgw",
         "LXGW WenKai", "WenKai PCsub", "Regular",
         "WenKai-Regular-PCsub", False),
]


# --------------------------------------------------------------------------
# Character set
# --------------------------------------------------------------------------

def tygf_8105():
    """The 8105 characters of 通用规范汉字表, in table order."""
    chars = [line.rstrip("\n") for line in
             TYGF_FILE.read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    if len(chars) != 8105 or len(set(chars)) != 8105:
        sys.exit(f"{TYGF_FILE}: expected 8105 distinct characters")
    return [ord(c) for c in chars]


def gb2312():
    """Every character of GB 2312, by decoding each two-byte code.

    Rows 0xA1-0xF7, cells 0xA1-0xFE; codes that the codec rejects are the
    unassigned ones.
    """
    cps = []
    for row in range(0xA1, 0xF8):
        for cell in range(0xA1, 0xFF):
            try:
                cps.append(ord(bytes((row, cell)).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return cps


def extra_codepoints():
    """Latin, punctuation and symbols a Chinese newspaper page uses."""
    ranges = [
        (0x0020, 0x007E),  # printable ASCII
        (0x00A0, 0x00FF),  # Latin-1 supplement
        (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
        (0x2030, 0x203B),  # per mille, primes, reference mark ※
        (0x2103, 0x2103),  # ℃
        (0x2116, 0x2116),  # №
        (0x2160, 0x216B),  # Roman numerals Ⅰ-Ⅻ
        (0x2460, 0x2473),  # circled numbers ①-⑳
        (0x3000, 0x303F),  # CJK symbols and punctuation
        (0xFF01, 0xFF5E),  # full-width ASCII forms
        (0xFFE0, 0xFFE6),  # full-width signs ￠￡￥…
    ]
    return [cp for lo, hi in ranges for cp in range(lo, hi + 1)]


def wanted_codepoints():
    """The fixed set, ordered and without duplicates."""
    seen = {}
    for cp in tygf_8105() + gb2312() + extra_codepoints():
        seen.setdefault(cp, None)
    return list(seen)


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

def family_name(font):
    name = font["name"]
    return name.getDebugName(16) or name.getDebugName(1)


def open_face(path, match_family):
    """Open `path`; for a collection, the face whose family is match_family.

    recalcTimestamp=False: otherwise fontTools writes "now" into
    head.modified on save and the output is no longer reproducible.
    """
    if path.suffix.lower() in (".ttc", ".otc"):
        collection = TTCollection(str(path), lazy=True)
        matches = [i for i, f in enumerate(collection.fonts)
                   if family_name(f) == match_family]
        collection.close()
        if len(matches) != 1:
            sys.exit(f"{path}: {len(matches)} faces named {match_family!r}")
        return TTFont(str(path), fontNumber=matches[0],
                      recalcTimestamp=False, lazy=False)
    font = TTFont(str(path), recalcTimestamp=False, lazy=False)
    if family_name(font) != match_family:
        sys.exit(f"{path}: family is {family_name(font)!r}, "
                 f"expected {match_family!r}")
    return font


# --------------------------------------------------------------------------
# Full-width remapping (Noto)
# --------------------------------------------------------------------------

def _single_substitutions(gsub, tags):
    """glyph -> alternate from the single-substitution lookups of `tags`,
    as seen by Han text in zh-Hans (script 'hani', language 'ZHS ');
    falls back to the script's default language system."""
    table = gsub.table
    langsys = None
    for rec in table.ScriptList.ScriptRecord:
        if rec.ScriptTag != "hani":
            continue
        for lrec in rec.Script.LangSysRecord:
            if lrec.LangSysTag == "ZHS ":
                langsys = lrec.LangSys
        langsys = langsys or rec.Script.DefaultLangSys
    if langsys is None:
        return {}
    result = {}
    for fi in langsys.FeatureIndex:
        frec = table.FeatureList.FeatureRecord[fi]
        if frec.FeatureTag not in tags:
            continue
        for li in frec.Feature.LookupListIndex:
            for st in table.LookupList.Lookup[li].SubTable:
                if st.LookupType == 7:      # extension wrapper
                    st = st.ExtSubTable
                if getattr(st, "LookupType", None) == 1:
                    for g, alt in st.mapping.items():
                        result.setdefault(g, alt)
    return result


def remap_fullwidth(font):
    """Point FULLWIDTH_WANTED code points at one-em glyphs where needed.

    Returns a list of human-readable findings for the build log.
    """
    upm = font["head"].unitsPerEm
    hmtx = font["hmtx"]
    cmap = font.getBestCmap()
    findings = []
    for cp, tags in FULLWIDTH_WANTED.items():
        glyph = cmap.get(cp)
        if glyph is None:
            findings.append(f"U+{cp:04X} not in font")
            continue
        width = hmtx[glyph][0]
        if width == upm:
            findings.append(f"U+{cp:04X} default {width}: kept")
            continue
        alt = _single_substitutions(font["GSUB"], tags).get(glyph)
        if alt is None or hmtx[alt][0] != upm:
            findings.append(f"U+{cp:04X} default {width}, "
                            f"no {upm} alternate: kept")
            continue
        for table in font["cmap"].tables:
            if table.isUnicode() and cp in table.cmap:
                table.cmap[cp] = alt
        findings.append(f"U+{cp:04X} default {width} -> {alt} ({upm})")
    return findings


# --------------------------------------------------------------------------
# Subsetting, conversion, naming
# --------------------------------------------------------------------------

def keep_only_zh_hans_layout(font):
    """Drop the JAN/KOR/ZHT/ZHH language systems from GSUB and GPOS.

    Noto CJK's 'locl' for those languages maps Simplified Chinese code
    points to Japanese, Korean and Traditional glyph forms; keeping them
    would pull in ~6,500 glyphs per face (about 40% of the file) that a
    zh-Hans page never shows. Each script keeps its default language system
    and 'ZHS '.
    """
    for tag in ("GSUB", "GPOS"):
        if tag not in font:
            continue
        for rec in font[tag].table.ScriptList.ScriptRecord:
            script = rec.Script
            script.LangSysRecord = [r for r in script.LangSysRecord
                                    if r.LangSysTag == "ZHS "]
            script.LangSysCount = len(script.LangSysRecord)


def subset_font(font, codepoints):
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.hinting = False            # no hints: cu2qu output is unhinted
    options.desubroutinize = True      # outlines are redrawn anyway
    options.notdef_outline = True
    options.name_IDs = ["*"]           # names are rewritten in rename()
    options.name_languages = ["*"]
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)


def cff_to_glyf(font):
    """Replace CFF with TrueType outlines (fontTools Snippets/otf2ttf.py)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        tt_pen = TTGlyphPen(glyph_set)
        # reverse_direction: CFF contours run counter-clockwise, TrueType
        # ones clockwise.
        glyph_set[name].draw(Cu2QuPen(tt_pen, CU2QU_MAX_ERR,
                                      reverse_direction=True))
        glyphs[name] = tt_pen.glyph()

    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:          # VORG is defined for CFF fonts only
        del font["VORG"]
    glyf.compile(font)

    # Left side bearings must match the new outlines' xMin.
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    maxp.maxTwilightPoints = 0
    maxp.maxStorage = 0
    maxp.maxFunctionDefs = 0
    maxp.maxInstructionDefs = 0
    maxp.maxStackElements = 0
    maxp.maxSizeOfInstructions = 0
    maxp.maxComponentElements = max(
        (len(getattr(g, "components", ())) for g in glyf.glyphs.values()),
        default=0)
    maxp.compile(font)

    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font.sfntVersion = "\0\1\0\0"


def rename(font, face, source_desc, n_chars):
    """Give the subset its own names; keep copyright, licence and credits."""
    name = font["name"]
    old_version = name.getDebugName(5) or ""
    # Drop every family/style/ID record, in all languages: the localized
    # ones (e.g. 霞鹜文楷) would otherwise keep the original name alive.
    for name_id in (1, 2, 3, 4, 6, 10, 16, 17, 18, 21, 22, 25):
        name.removeNames(nameID=name_id)

    ribbi = face.style in ("Regular", "Bold")
    legacy_family = face.family if ribbi else f"{face.family} {face.style}"
    legacy_style = face.style if ribbi else "Regular"
    full = (face.family if face.style == "Regular"
            else f"{face.family} {face.style}")
    records = {
        1: legacy_family,
        2: legacy_style,
        3: f"{face.ps_name};{old_version}",
        4: full,
        5: f"{old_version}; pagecomposer subset",
        6: face.ps_name,
        10: (f"Subset of {source_desc} made by pagecomposer "
             f"tools/build_fonts.py: {n_chars} characters "
             "(通用规范汉字表 8105 + GB 2312 + Latin-1 and CJK "
             "punctuation), "
             "TrueType outlines, no hinting."),
    }
    if not ribbi:
        records[16] = face.family
        records[17] = face.style
    for name_id, text in records.items():
        name.removeNames(nameID=name_id)
        # Windows Unicode, English (US): the records every reader (reportlab,
        # fontconfig, PDF viewers) looks at. No Macintosh copies: Mac Roman
        # cannot hold the CJK text of the description.
        name.setName(text, name_id, 3, 1, 0x409)


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

def build_face(face, source_path, out_path, codepoints, tygf):
    start = time.monotonic()
    font = open_face(source_path, face.match_family)
    source_desc = (f"{font['name'].getDebugName(4)} "
                   f"({font['name'].getDebugName(5)})")
    # Keep the source's dates: the output then depends only on the inputs.
    created, modified = font["head"].created, font["head"].modified

    cmap = font.getBestCmap()
    present = [cp for cp in codepoints if cp in cmap]
    missing_tygf = [cp for cp in tygf if cp not in cmap]
    tygf_set = set(tygf)
    missing_other = [cp for cp in codepoints
                     if cp not in cmap and cp not in tygf_set]

    findings = remap_fullwidth(font) if face.fullwidth_remap else []
    keep_only_zh_hans_layout(font)
    subset_font(font, present)
    converted = "CFF " in font
    if converted:
        cff_to_glyf(font)
    rename(font, face, source_desc, len(present))
    font["head"].created, font["head"].modified = created, modified

    out_path.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(out_path))
    seconds = time.monotonic() - start
    print(f"{face.out}: {len(font.getGlyphOrder())} glyphs, "
          f"{len(present)} chars, {out_path.stat().st_size:,} bytes, "
          f"{seconds:.1f} s"
          f"{' (CFF -> TrueType)' if converted else ''}")
    print(f"  通用规范汉字表 missing: {len(missing_tygf)}"
          + (": " + "".join(map(chr, missing_tygf)) if missing_tygf else ""))
    if missing_other:
        print(f"  other requested code points missing: {len(missing_other)}: "
              + " ".join(f"U+{cp:04X}" for cp in missing_other))
    for line in findings:
        print(f"  {line}")
    return seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--noto-dir", type=Path, default=DEFAULT_NOTO_DIR,
                        help="directory holding NotoSerifCJK-*.ttc and "
                             "NotoSansCJK-*.ttc (default: %(default)s)")
    parser.add_argument("--lxgw-dir", type=Path, default=DEFAULT_LXGW_DIR,
                        help="directory holding LXGWWenKai-Regular.ttf "
                             "(default: %(default)s)")
    parser.add_argument("--source-dir", type=Path, metavar="DIR",
                        help="look for every source file in DIR (overrides "
                             "both --noto-dir and --lxgw-dir)")
    parser.add_argument("--out", type=Path, default=REPO / "fonts",
                        help="output directory (default: fonts/ of the repo)")
    parser.add_argument("--only", action="append", metavar="FILE",
                        help="build only this output file (repeatable)")
    args = parser.parse_args(argv)

    source_dirs = {"noto": args.source_dir or args.noto_dir,
                   "lxgw": args.source_dir or args.lxgw_dir}
    tygf = tygf_8105()
    codepoints = wanted_codepoints()
    faces = [f for f in FACES if not args.only or f.out in args.only]
    total = 0.0
    for face in faces:
        source = source_dirs[face.source_dir] / face.source
        if not source.exists():
            sys.exit(f"missing source {source}: apt-get install "
                     "fonts-noto-cjk fonts-noto-cjk-extra fonts-lxgw-wenkai")
        total += build_face(face, source, args.out / face.out,
                            codepoints, tygf)
    size = sum((args.out / f.out).stat().st_size for f in faces)
    print(f"total: {len(faces)} faces, {size:,} bytes, {total:.1f} s")


if __name__ == "__main__":
    main()
