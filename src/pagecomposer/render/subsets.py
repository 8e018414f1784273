"""Subset tags that name their subset.

ISO 32000-1 §9.6.4: an embedded subset's name begins with a six-letter tag that is unique to that
subset. reportlab tags every font's first subset AAAAAA (the second AAAAAB …), so one page carries
several different programs under the same name, and so does an edition combined from pages (and a
delivered ad made with reportlab brings its own AAAAAA). A merge or imposition step that trusts
the name then binds the wrong glyphs. Here each tag is derived from the font program's bytes: the
same subset always gets the same tag (builds stay byte-identical), different subsets get
different tags, within a file and across the pages of an edition.
"""

from __future__ import annotations

import hashlib
import re
import string

import pikepdf
from pikepdf import Name

TAGGED = re.compile(r"^([A-Z]{6})\+(.+)$")
FONT_FILES = (Name.FontFile, Name.FontFile2, Name.FontFile3)


def _tag(digest: bytes) -> str:
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(6):
        number, digit = divmod(number, 26)
        letters.append(string.ascii_uppercase[digit])
    return "".join(letters)


def _descriptor(font: pikepdf.Dictionary):
    if Name.DescendantFonts in font:
        font = font.DescendantFonts[0]
    return font.get(Name.FontDescriptor), font


def _program(descriptor) -> bytes | None:
    for key in FONT_FILES:
        if descriptor is not None and key in descriptor:
            return descriptor[key].read_bytes()
    return None


def retag_subsets(pdf: pikepdf.Pdf) -> dict[str, str]:
    """Give every embedded, tagged font subset in the file a tag derived from its program; returns
    {old name: new name} for the fonts renamed."""
    fonts = []
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get(Name.Type) == Name.Font and Name.BaseFont in obj \
                and obj.get(Name.Subtype) != Name.CIDFontType2 and obj.get(Name.Subtype) != Name.CIDFontType0:
            match = TAGGED.match(str(obj.BaseFont)[1:])
            descriptor, _ = _descriptor(obj)
            program = _program(descriptor)
            if match and program is not None:
                fonts.append((hashlib.sha256(match.group(2).encode() + b"\0" + program).digest(), obj, match.group(2)))
    taken: dict[str, bytes] = {}  # tag -> the program digest it stands for
    renamed = {}
    for digest, font, rest in sorted(fonts, key=lambda entry: entry[0]):
        seed = digest
        tag = _tag(seed)
        while taken.get(tag, digest) != digest:  # another subset has it (26^6 tags): derive again
            seed = hashlib.sha256(seed).digest()
            tag = _tag(seed)
        taken[tag] = digest
        old = str(font.BaseFont)[1:]
        new = f"{tag}+{rest}"
        renamed[old] = new
        _rename(font, old, new)
    return renamed


def _retagged(name, tag: str):
    match = TAGGED.match(str(name)[1:])
    return Name(f"/{tag}+{match.group(2)}") if match else name


def _rename(font: pikepdf.Dictionary, old: str, new: str) -> None:
    """The new tag on the font, its descendant (a Type 0 font's CIDFont) and its descriptor."""
    tag = new[:6]
    font.BaseFont = Name("/" + new)
    descriptor, descendant = _descriptor(font)
    if descendant is not font:
        descendant.BaseFont = _retagged(descendant.BaseFont, tag)
    if descriptor is not None and Name.FontName in descriptor:
        descriptor.FontName = _retagged(descriptor.FontName, tag)
    if Name.ToUnicode in font:
        # reportlab's ToUnicode CMap carries the subset's name as its CMapName and CIDSystemInfo.
        cmap = font.ToUnicode
        data = cmap.read_bytes()
        if old.encode() in data:
            cmap.write(data.replace(old.encode(), new.encode()))
