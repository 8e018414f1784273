"""Image and stream rules: colour space, bit depth, compression filters, soft masks, OPI, layers.

- Filters (ISO 32000-1 7.4): only the standard filters; Crypt never (every PDF/X part forbids
  encryption); JBIG2Decode (PDF 1.4) and JPXDecode (PDF 1.5) are not allowed by X-1a and X-3
  (ISO 15930-1/-3/-4/-6), X-4 (15930-7, PDF 1.6) allows them.
- 16 bits per component: PDF 1.5 (ISO 32000-1 8.9.5.1); X-1a and X-3 are PDF 1.3/1.4, 8 bits at most.
- SMask / SMaskInData: transparency, forbidden in X-1a and X-3 (ISO 15930-1/-4/-6).
- OPI: forbidden in PDF/X-1a (15930-1/-4) and later parts; OC (optional content, PDF 1.5): X-4 only.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

from pagecomposer.preflight.colour import colour_space_problems
from pagecomposer.preflight.identify import Rules

STANDARD_FILTERS = {"/ASCIIHexDecode", "/ASCII85Decode", "/LZWDecode", "/FlateDecode", "/RunLengthDecode",
                    "/CCITTFaxDecode", "/DCTDecode", "/JBIG2Decode", "/JPXDecode", "/Crypt"}
INLINE_ABBREVIATIONS = {"/AHx": "/ASCIIHexDecode", "/A85": "/ASCII85Decode", "/LZW": "/LZWDecode",
                        "/Fl": "/FlateDecode", "/RL": "/RunLengthDecode", "/CCF": "/CCITTFaxDecode",
                        "/DCT": "/DCTDecode"}


def filters_of(stream_dict) -> list[str]:
    value = stream_dict.get(Name.Filter) if stream_dict is not None else None
    if value is None:
        return []
    names = list(value) if isinstance(value, pikepdf.Array) else [value]
    return [INLINE_ABBREVIATIONS.get(str(n), str(n)) for n in names]


def filter_problems(stream_dict, where: str, rules: Rules) -> list[tuple[str, str]]:
    problems = []
    for name in filters_of(stream_dict):
        if name == "/Crypt":
            problems.append(("filters", f"{where} uses the Crypt filter (encryption): PDF/X forbids encrypted "
                             "content; save the file without security"))
        elif name not in STANDARD_FILTERS:
            problems.append(("filters", f"{where} uses the unknown filter {name}: a RIP cannot decode it; "
                             "re-save with standard compression (Flate, DCT)"))
        elif name in ("/JBIG2Decode", "/JPXDecode") and not rules.jbig2_jpx:
            kind = "JPEG 2000" if name == "/JPXDecode" else "JBIG2"
            problems.append(("filters", f"{where} is {kind}-compressed ({name[1:]}): {rules.label} does not "
                             "allow it; re-save the image as JPEG or Flate"))
    return problems


def image_problems(image, where: str, rules: Rules) -> list[tuple[str, str]]:
    """(check, message) for each rule an image (XObject dictionary or inline image) breaks."""
    problems = filter_problems(image, where, rules)
    if not bool(image.get(Name.ImageMask, False)):
        problems += colour_space_problems(image.get(Name.ColorSpace), f"{where}'s colour", rules, "image-colour")
    depth = int(image.get(Name.BitsPerComponent, 8)) if not isinstance(image.get(Name.BitsPerComponent),
                                                                       pikepdf.Name) else 8
    if depth > 8 and not rules.sixteen_bit:
        problems.append(("image-depth", f"{where} has {depth} bits per component: {rules.label} is PDF "
                         f"{rules.max_pdf}, which has at most 8; save the image at 8 bits"))
    smask = image.get(Name.SMask)
    soft_masked = (smask is not None and smask != Name("/None")) or int(image.get(Name.SMaskInData, 0) or 0) > 0
    if soft_masked and not rules.transparency:
        problems.append(("transparency", f"{where} has a soft mask (SMask): {rules.label} forbids "
                         "transparency; flatten the image"))
    if Name.OPI in image:
        problems.append(("opi", f"{where} carries OPI information: PDF/X forbids OPI (the plant will not "
                         "swap images); place the high-resolution image itself"))
    if Name.OC in image and not rules.optional_content:
        problems.append(("optional-content", f"{where} is in an optional-content layer (/OC): "
                         f"{rules.label} has no layers; flatten them"))
    return problems
