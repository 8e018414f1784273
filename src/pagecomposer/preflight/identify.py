"""Which PDF/X a file declares, and the rules of that version.

A version is named by the document information (GTS_PDFXVersion, and GTS_PDFXConformance for
X-1a:2001) or, for PDF/X-4, by the XMP packet (pdfxid:GTS_PDFXVersion, ISO 15930-7).
Each recognised version has its own rules (Rules), and every check asks them instead of
comparing version strings.
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Name


@dataclass(frozen=True)
class Rules:
    key: str  # Report.pdfx
    label: str  # as the file names it, e.g. "PDF/X-1a:2001"
    standard: str  # the ISO part and edition, cited in messages
    max_pdf: str  # highest PDF header version the standard is built on
    transparency: bool  # soft masks, constant alpha, blend modes, transparency groups
    calibrated_colour: bool  # ICCBased, CalRGB, CalGray, Lab in content
    jbig2_jpx: bool  # JBIG2Decode / JPXDecode streams (PDF 1.4 / 1.5 features; X-4 only)
    sixteen_bit: bool  # 16 bits per component images (PDF 1.5; X-4 only)
    optional_content: bool  # OCProperties, /OC (PDF 1.5; X-4 only)
    xmp_required: bool  # X-4 identifies itself in XMP and needs its metadata there
    profile_required: bool  # DestOutputProfile even for a registered characterization


X1A_2001 = Rules("1a:2001", "PDF/X-1a:2001", "ISO 15930-1:2001", "1.3", False, False, False, False, False,
                 False, False)
X1A_2003 = Rules("1a:2003", "PDF/X-1a:2003", "ISO 15930-4:2003", "1.4", False, False, False, False, False,
                 False, False)
X3_2002 = Rules("3:2002", "PDF/X-3:2002", "ISO 15930-3:2002", "1.3", False, True, False, False, False,
                False, False)
X3_2003 = Rules("3:2003", "PDF/X-3:2003", "ISO 15930-6:2003", "1.4", False, True, False, False, False,
                False, False)
X4 = Rules("4", "PDF/X-4", "ISO 15930-7", "1.6", True, True, True, True, True, True, True)
# A file that is not PDF/X (checked with --no-require-pdfx, e.g. an ad before conversion): the
# press rules that hold whatever the version (CMYK output, no encryption...), nothing version-bound.
NOT_PDFX = Rules("", "not PDF/X", "ISO 32000-1", "2.0", True, True, True, True, True, False, False)

BY_VERSION_KEY = {"PDF/X-1a:2003": X1A_2003, "PDF/X-3:2002": X3_2002, "PDF/X-3:2003": X3_2003,
                  "PDF/X-4": X4}


@dataclass(frozen=True)
class Identification:
    rules: Rules | None  # None: declares no PDF/X, or one we do not know
    declared: str  # the version string as found ("" if none)
    source: str  # "document info" | "XMP" | ""
    conformance: str  # GTS_PDFXConformance ("" if absent)


def xmp_value(pdf: pikepdf.Pdf, key: str) -> str | None:
    """One XMP property as text, None when the file has no XMP or not that property."""
    if Name.Metadata not in pdf.Root:
        return None
    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    value = meta.get(key)
    return None if value is None else str(value)


def identify(pdf: pikepdf.Pdf) -> Identification:
    info_version = str(pdf.docinfo.get(Name.GTS_PDFXVersion, "")).strip()
    conformance = str(pdf.docinfo.get(Name.GTS_PDFXConformance, "")).strip()
    declared, source = info_version, "document info" if info_version else ""
    if not declared:
        try:
            declared = (xmp_value(pdf, "pdfxid:GTS_PDFXVersion") or "").strip()
        except Exception:  # noqa: BLE001 - unreadable XMP is reported by the XMP check
            declared = ""
        source = "XMP" if declared else ""
    if declared == "PDF/X-1:2001":
        # X-1a:2001 is GTS_PDFXVersion "PDF/X-1:2001" plus GTS_PDFXConformance "PDF/X-1a:2001"
        # (ISO 15930-1); the conformance check reports a missing or other value.
        return Identification(X1A_2001, declared, source, conformance)
    return Identification(BY_VERSION_KEY.get(declared), declared, source, conformance)
