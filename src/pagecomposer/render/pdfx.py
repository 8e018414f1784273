"""PDF/X for the newspaper plant, added to reportlab's output with pikepdf.

- PDF/X-1a:2001 (the default): CMYK and spot colour only, fonts embedded, no transparency (the
  composer draws none), PDF 1.3; the OutputIntent names a registered characterization
  (IFRA26 = ISO 12647-3 coldset on newsprint, in the ICC Characterization Data Registry), with
  the layout's ICC profile embedded when it names one.
- PDF/X-4: the same page content, PDF 1.6, XMP metadata with pdfxid:GTS_PDFXVersion; X-4 needs
  the output profile itself embedded, so the layout must name one.
Every key that PDF/X asks for in the document information (Title, CreationDate, ModDate,
Trapped, GTS_PDFXVersion) is set, and the document ID is derived from the content, so the same
input still gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from pagecomposer.errors import PagecomposerError

PDFX_VERSIONS = ("1a", "4", "none")
REGISTRY = "http://www.color.org"


@dataclass(frozen=True)
class OutputIntent:
    condition: str  # registered characterization name, e.g. IFRA26
    info: str  # human-readable description
    profile: Path | None  # CMYK output ICC profile, if the layout names one


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str  # the paper
    date: str  # PDF date string, D:YYYYMMDDHHmmSS+00'00'
    xmp_date: str  # the same as ISO 8601


def pdf_dates(issue_date: str) -> tuple[str, str]:
    """Creation date from the issue date (deterministic, and meaningful: the edition's date)."""
    digits = issue_date.replace("-", "")
    if not (len(digits) == 8 and digits.isdigit()):
        digits = "20000101"
    return f"D:{digits}000000+00'00'", f"{digits[:4]}-{digits[4:6]}-{digits[6:]}T00:00:00+00:00"


def apply_pdfx(path: Path, version: str, intent: OutputIntent, info: DocumentInfo) -> None:
    """Rewrite the PDF at path in place as PDF/X (version '1a' or '4')."""
    if version == "none":
        return
    if version == "4" and intent.profile is None:
        raise PagecomposerError("PDF/X-4 needs the output ICC profile embedded, and the layout names none",
                                None, "add print: {icc_profile: ISOnewspaper26v4.icc} to the layout, "
                                "or build with --pdfx 1a")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        _set_output_intent(pdf, intent)
        docinfo = pdf.docinfo
        docinfo[Name.Title] = String(info.title)
        docinfo[Name.Author] = String(info.author)
        docinfo[Name.Subject] = String(info.title)
        docinfo[Name.CreationDate] = String(info.date)
        docinfo[Name.ModDate] = String(info.date)
        docinfo[Name.Trapped] = Name("/False")
        if version == "1a":
            docinfo[Name.GTS_PDFXVersion] = String("PDF/X-1:2001")
            docinfo[Name.GTS_PDFXConformance] = String("PDF/X-1a:2001")
        else:
            docinfo[Name.GTS_PDFXVersion] = String("PDF/X-4")
            with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
                meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
                meta["dc:title"] = info.title
                meta["xmp:CreateDate"] = info.xmp_date
                meta["xmp:ModifyDate"] = info.xmp_date
                meta["xmp:MetadataDate"] = info.xmp_date
                meta["pdf:Trapped"] = "False"
        pdf.save(path, deterministic_id=True, force_version="1.3" if version == "1a" else "1.6",
                 compress_streams=True)


def _set_output_intent(pdf: pikepdf.Pdf, intent: OutputIntent) -> None:
    entry = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX,
                       OutputConditionIdentifier=String(intent.condition), OutputCondition=String(intent.info),
                       RegistryName=String(REGISTRY), Info=String(intent.info))
    if intent.profile is not None:
        entry[Name.DestOutputProfile] = pdf.make_stream(intent.profile.read_bytes(), N=4)
    pdf.Root[Name.OutputIntents] = Array([pdf.make_indirect(entry)])
