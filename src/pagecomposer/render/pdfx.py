"""The last step of every page file: names, IDs and the PDF/X keys, added to reportlab's output with pikepdf.

- PDF/X-1a:2001 (the default): CMYK and spot colour only, fonts embedded, no transparency (the
  composer draws none; delivered ads are flattened before placing), PDF 1.3; the OutputIntent
  names the printing condition (IFRA26 = ISO 12647-3 coldset on newsprint, registered in the ICC
  Characterization Data Registry), with the layout's ICC profile embedded when it names one.
- PDF/X-4 (ISO 15930-7): the same page content, PDF 1.6, and an XMP packet with what the standard
  asks for: pdfxid:GTS_PDFXVersion, the xmpMM document, instance and version IDs and rendition
  class, title, creator, dates, Trapped, creator tool and producer, the same values as the Info.
- In every mode: font subsets are tagged after their content (render/subsets.py), and the trailer
  ID is made from the file's content, so it differs per page and per issue yet the same input
  still gives the same bytes.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from pagecomposer import __version__
from pagecomposer.atomic import replacing
from pagecomposer.errors import PagecomposerError
from pagecomposer.icc import REGISTRY_URL, registered
from pagecomposer.render.subsets import retag_subsets

PDFX_VERSIONS = ("1a", "4", "none")
CREATOR = f"pagecomposer {__version__}"
PRODUCER = f"pagecomposer {__version__} (reportlab, pikepdf)"
# uuid5 namespace for the XMP IDs: they are derived, not random, so builds stay byte-identical.
ID_NAMESPACE = uuid.UUID("6b1d3c52-8a0f-4f7e-9c43-2f1e5a7d0b19")


@dataclass(frozen=True)
class OutputIntent:
    condition: str  # OutputConditionIdentifier: a registered characterization (IFRA26) or "Custom"
    info: str  # human-readable description (the profile's own, when one is embedded)
    profile: Path | None  # CMYK output ICC profile, if the layout names one

    @property
    def registered(self) -> bool:
        return registered(self.condition) is not None


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    author: str  # the paper
    date: str  # PDF date string, D:YYYYMMDDHHmmSS+00'00'
    xmp_date: str  # the same as ISO 8601
    document: str = ""  # what stays the same across versions of this page (paper, date, page id)


def pdf_dates(issue_date: str) -> tuple[str, str]:
    """Creation date from the issue date (deterministic, and meaningful: the edition's date)."""
    digits = issue_date.replace("-", "")
    if not (len(digits) == 8 and digits.isdigit()):
        digits = "20000101"
    return f"D:{digits}000000+00'00'", f"{digits[:4]}-{digits[4:6]}-{digits[6:]}T00:00:00+00:00"


def apply_pdfx(path: Path, version: str, intent: OutputIntent, info: DocumentInfo) -> None:
    """Rewrite the PDF at path in place: subset tags, trailer ID and, for '1a' or '4', PDF/X."""
    if version == "4" and intent.profile is None:
        raise PagecomposerError("PDF/X-4 needs the output ICC profile embedded, and the layout names none",
                                None, "add print: {icc_profile: ISOnewspaper26v4.icc} to the layout, "
                                "or build with --pdfx 1a")
    # Saved to a temporary of our own and renamed over path (not pikepdf's in-place save, whose
    # temporary a full disk or a kill would leave behind under a name no sweep knows).
    with replacing(path) as rewritten, pikepdf.open(path) as pdf:
        retag_subsets(pdf)
        docinfo = pdf.docinfo
        docinfo[Name.Title] = String(info.title)
        docinfo[Name.Author] = String(info.author)
        docinfo[Name.Subject] = String(info.title)
        docinfo[Name.Creator] = String(CREATOR)
        docinfo[Name.Producer] = String(PRODUCER)
        docinfo[Name.CreationDate] = String(info.date)
        docinfo[Name.ModDate] = String(info.date)
        force = None
        if version != "none":
            _set_output_intent(pdf, intent)
            docinfo[Name.Trapped] = Name("/False")
        if version == "1a":
            docinfo[Name.GTS_PDFXVersion] = String("PDF/X-1:2001")
            docinfo[Name.GTS_PDFXConformance] = String("PDF/X-1a:2001")
            force = "1.3"
        elif version == "4":
            docinfo[Name.GTS_PDFXVersion] = String("PDF/X-4")
            write_xmp(pdf, info)
            force = "1.6"
        # qpdf keeps an existing /ID[0] (reportlab's invariant mode writes the same one into every
        # file); without one it derives both halves from the content written.
        if Name.ID in pdf.trailer:
            del pdf.trailer[Name.ID]
        save_pdf(pdf, rewritten, deterministic_id=True, force_version=force, compress_streams=True)


def save_pdf(pdf: pikepdf.Pdf, path: Path, **options) -> None:
    """pdf.save into path, a failed write raising an ordinary OSError. Given a path, pikepdf writes
    through a temporary of its own that a full disk leaves behind; given a stream whose write
    fails, qpdf's error escapes a destructor and aborts the process (SIGABRT). So the stream here
    never fails: it keeps the first error, and it is raised once pikepdf is done."""
    with open(path, "wb") as file:
        stream = _FirstErrorKept(file)
        pdf.save(stream, **options)
        if stream.error is not None:
            raise stream.error
        file.flush()


class _FirstErrorKept:
    """A writable stream over `file` that swallows write errors, keeping the first (see save_pdf).
    Not a plain file object on purpose: pikepdf would write to such a file's descriptor in C++."""

    def __init__(self, file):
        self.file = file
        self.error: OSError | None = None

    def write(self, data) -> int:
        if self.error is None:
            try:
                self.file.write(data)
            except OSError as exc:
                self.error = exc
        return len(data)

    def seek(self, offset: int, whence: int = 0) -> int:  # pikepdf asks a stream to be seekable
        return self.file.seek(offset, whence)

    def tell(self) -> int:
        return self.file.tell()

    def flush(self) -> None:
        if self.error is None:
            try:
                self.file.flush()
            except OSError as exc:
                self.error = exc


def _content_digest(pdf: pikepdf.Pdf) -> str:
    """A digest of what the pages draw (content streams and the streams they use), for the XMP
    instance ID: a changed page is a new instance of the same document."""
    digest = hashlib.sha256()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.get(Name.Type) != Name.Metadata:
            digest.update(obj.read_raw_bytes())
    return digest.hexdigest()


def write_xmp(pdf: pikepdf.Pdf, info: DocumentInfo) -> None:
    """The PDF/X-4 XMP packet, consistent with the document info."""
    document = uuid.uuid5(ID_NAMESPACE, info.document or info.title)
    instance = uuid.uuid5(document, _content_digest(pdf))
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
        meta["dc:title"] = info.title
        meta["dc:creator"] = [info.author]
        meta["dc:format"] = "application/pdf"
        meta["xmp:CreateDate"] = info.xmp_date
        meta["xmp:ModifyDate"] = info.xmp_date
        meta["xmp:MetadataDate"] = info.xmp_date
        meta["xmp:CreatorTool"] = CREATOR
        meta["pdf:Producer"] = PRODUCER
        meta["pdf:Trapped"] = "False"
        meta["xmpMM:DocumentID"] = f"uuid:{document}"
        meta["xmpMM:InstanceID"] = f"uuid:{instance}"
        meta["xmpMM:VersionID"] = "1"
        meta["xmpMM:RenditionClass"] = "default"


def xmp_date_of(pdf_date: str) -> str:
    """D:YYYYMMDDHHmmSS+00'00' as ISO 8601 (the dates we write are whole days in UTC)."""
    digits = pdf_date[2:10] if pdf_date.startswith("D:") else "20000101"
    return pdf_dates(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")[1]


def _set_output_intent(pdf: pikepdf.Pdf, intent: OutputIntent) -> None:
    entry = Dictionary(Type=Name.OutputIntent, S=Name.GTS_PDFX,
                       OutputConditionIdentifier=String(intent.condition), OutputCondition=String(intent.info),
                       Info=String(intent.info))
    if intent.registered:
        entry[Name.RegistryName] = String(REGISTRY_URL)
    if intent.profile is not None:
        entry[Name.DestOutputProfile] = pdf.make_stream(intent.profile.read_bytes(), N=4)
    pdf.Root[Name.OutputIntents] = Array([pdf.make_indirect(entry)])
