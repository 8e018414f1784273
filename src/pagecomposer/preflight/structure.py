"""Document-level checks: identification, PDF version, document info and XMP, encryption,
actions and JavaScript, embedded files, optional content, and stream filters the pages do not reach.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

from pagecomposer.preflight.identify import Identification, Rules
from pagecomposer.preflight.images import filter_problems

FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/ResetForm", "/SubmitForm", "/Sound",
                     "/Movie", "/Rendition", "/Hide", "/SetOCGState", "/Trans", "/GoTo3DView"}
X4_XMP_PROPERTIES = ("xmpMM:DocumentID", "xmpMM:VersionID", "xmpMM:RenditionClass", "dc:title",
                     "xmp:CreateDate", "xmp:ModifyDate", "xmp:CreatorTool", "pdf:Producer", "pdf:Trapped")
# (Info key, XMP property) pairs that must agree where both exist (ISO 15930-7, metadata clause)
INFO_XMP = (("/Title", "dc:title"), ("/Creator", "xmp:CreatorTool"), ("/Producer", "pdf:Producer"),
            ("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate"), ("/Trapped", "pdf:Trapped"),
            ("/GTS_PDFXVersion", "pdfxid:GTS_PDFXVersion"))


def describe_encryption(pdf: pikepdf.Pdf) -> str:
    try:
        info = pdf.encryption
        method = str(info.stream_method).split(".")[-1]
        if method in ("none", "unknown"):  # qpdf names no stream method for V 1-2: those are RC4 by definition
            method = {1: "RC4", 2: "RC4", 5: "AES-256"}.get(int(info.V), method)
        return f"{method} {info.bits}-bit, revision {info.R}"
    except Exception:  # noqa: BLE001 - the description is for the message only
        return "unknown method"


def check_encryption(pdf: pikepdf.Pdf, report) -> None:
    if pdf.is_encrypted:
        report.add("encryption", False, f"the file is encrypted ({describe_encryption(pdf)}): PDF/X forbids "
                   "encryption (the RIP may refuse it); save it again without security")
    else:
        report.add("encryption", True, "not encrypted")


def check_repairs(pdf: pikepdf.Pdf, report) -> None:
    warnings = [w for w in pdf.get_warnings() if w]
    if warnings:
        report.add("file-structure", False, f"the file is damaged and had to be repaired to be read "
                   f"({warnings[0][:160]}): export it again from the application that made it")


def check_identification(pdf: pikepdf.Pdf, report, found: Identification, required: bool) -> None:
    rules = found.rules
    if rules is None:
        if found.declared:
            report.add("pdfx-version", False, f"GTS_PDFXVersion {found.declared!r} ({found.source}) is not a "
                       "version this preflight knows (PDF/X-1a:2001, X-1a:2003, X-3:2002, X-3:2003, X-4)",
                       severity="error" if required else "warning")
        else:
            report.add("pdfx-version", False, "no GTS_PDFXVersion in the document info or XMP: not a PDF/X file "
                       "(build with --pdfx 1a)", severity="error" if required else "warning")
        return
    report.add("pdfx-version", True, f"GTS_PDFXVersion {found.declared} ({found.source}): {rules.label}, "
               f"{rules.standard}")
    if rules.key == "1a:2001":
        report.add("pdfx-conformance", found.conformance == "PDF/X-1a:2001",
                   f"GTS_PDFXConformance {found.conformance!r}" if found.conformance == "PDF/X-1a:2001" else
                   f"GTS_PDFXConformance is {found.conformance or 'missing'!r}: PDF/X-1:2001 files must say "
                   "'PDF/X-1a:2001' (X-1 without 'a' allows OPI and is not accepted)")
    version = pdf.pdf_version
    ok = _version_tuple(version) <= _version_tuple(rules.max_pdf)
    hint = "" if ok else (" (a PDF 1.4 file is PDF/X-1a:2003)" if rules.key == "1a:2001" and version == "1.4"
                          else "; save it down or declare a later PDF/X")
    report.add("pdf-version", ok, f"PDF {version} ({rules.label} is PDF {rules.max_pdf} at most){hint}")


def _version_tuple(version: str) -> tuple:
    try:
        return tuple(int(part) for part in str(version).split(".")[:2])
    except ValueError:
        return (9, 9)


def check_document_info(pdf: pikepdf.Pdf, report, rules: Rules) -> None:
    """Trapped, Title and dates in the document info (X-1a, X-3); X-4 keeps them in XMP."""
    report.add("document-id", Name.ID in pdf.trailer, "document ID present" if Name.ID in pdf.trailer
               else "no document ID in the trailer: save the file with an ID")
    if rules.xmp_required:
        return
    trapped = pdf.docinfo.get(Name.Trapped)
    report.add("trapped", trapped in (Name("/True"), Name("/False")), f"Trapped {trapped!s}"
               if trapped in (Name("/True"), Name("/False")) else
               f"Trapped is {trapped!s}: PDF/X needs /True or /False (not Unknown); say whether it is trapped")
    for key in (Name.Title, Name.CreationDate, Name.ModDate):
        report.add("info-" + str(key)[1:].lower(), key in pdf.docinfo, f"{str(key)[1:]} "
                   + ("present" if key in pdf.docinfo else "missing from the document info: add it"))


def check_xmp(pdf: pikepdf.Pdf, report, rules: Rules) -> None:
    """PDF/X-4 carries its identification and document metadata in XMP (ISO 15930-7)."""
    if not rules.xmp_required:
        return
    if not isinstance(pdf.Root.get(Name.Metadata), pikepdf.Stream):
        report.add("xmp", False, f"no XMP metadata: {rules.label} ({rules.standard}) identifies itself and "
                   "keeps its document metadata in XMP; write the XMP packet")
        return
    meta = pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False)
    values = {key: meta.get(key) for key in X4_XMP_PROPERTIES + ("pdfxid:GTS_PDFXVersion",)}
    missing = [key for key, value in values.items() if value in (None, "")]
    report.add("xmp", not missing, "XMP has the PDF/X-4 properties" if not missing else
               f"XMP lacks {', '.join(missing)}: {rules.label} requires them; write them in the XMP packet")
    trapped = values.get("pdf:Trapped")
    if trapped not in (None, ""):
        report.add("trapped", str(trapped) in ("True", "False"), f"pdf:Trapped {trapped}"
                   if str(trapped) in ("True", "False") else f"pdf:Trapped is {trapped!r}: PDF/X needs True or "
                   "False; say whether it is trapped")
    mismatches = []
    for info_key, xmp_key in INFO_XMP:
        if info_key not in pdf.docinfo or meta.get(xmp_key) in (None, ""):
            continue
        info_value, xmp_value = pdf.docinfo[info_key], meta.get(xmp_key)
        if not _same(info_key, info_value, xmp_value):
            mismatches.append(f"{info_key[1:]} {str(info_value)!r} vs {xmp_key} {str(xmp_value)!r}")
    report.add("xmp-info", not mismatches, "document info agrees with the XMP" if not mismatches else
               "document info and XMP disagree: " + "; ".join(mismatches) + " (make them the same)")


def _same(info_key: str, info_value, xmp_value) -> bool:
    if info_key in ("/CreationDate", "/ModDate"):
        from pikepdf.models.metadata import decode_pdf_date

        try:
            from datetime import datetime

            return decode_pdf_date(str(info_value)) == datetime.fromisoformat(str(xmp_value).replace("Z", "+00:00"))
        except ValueError:
            return False
    if info_key == "/Trapped":
        return str(info_value).lstrip("/") == str(xmp_value)
    return str(info_value) == str(xmp_value)


def _action_types(action, depth: int = 0) -> list[str]:
    """The action and the ones it chains with /Next."""
    if depth > 16 or not isinstance(action, pikepdf.Dictionary):
        return []
    found = [str(action.get(Name.S, ""))]
    following = action.get(Name.Next)
    for item in (following if isinstance(following, pikepdf.Array) else [following]):
        found += _action_types(item, depth + 1)
    return found


def check_actions(pdf: pikepdf.Pdf, report) -> None:
    """No JavaScript, no additional actions, no actions other than navigation (PDF/X: interactive
    content does not print and some RIPs refuse it)."""
    root = pdf.Root
    problems = []
    if Name.AA in root:
        problems.append("the document has additional actions (/AA)")
    forbidden = [s for s in _action_types(root.get(Name.OpenAction)) if s in FORBIDDEN_ACTIONS]
    if forbidden:
        problems.append(f"the document opens with a {forbidden[0][1:]} action (OpenAction)")
    names = root.get(Name.Names)
    if isinstance(names, pikepdf.Dictionary) and Name.JavaScript in names:
        problems.append("the document has JavaScript (Names /JavaScript)")
    for problem in problems:
        report.add("actions", False, f"{problem}: PDF/X forbids JavaScript and actions; remove them")
    for number, page in enumerate(pdf.pages, 1):
        if Name.AA in page.obj:
            report.add("actions", False, "the page has additional actions (/AA): PDF/X forbids them; remove them",
                       number)
        for index, annotation in enumerate(page.obj.get(Name.Annots, []) or [], 1):
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            kinds = [s for s in _action_types(annotation.get(Name.A)) if s in FORBIDDEN_ACTIONS]
            if kinds or Name.AA in annotation:
                what = f"a {kinds[0][1:]} action" if kinds else "additional actions (/AA)"
                report.add("actions", False, f"annotation {index} has {what}: PDF/X forbids JavaScript and "
                           "actions; remove it", number)
    if not report.failed("actions"):
        report.add("actions", True, "no JavaScript or actions")


def check_embedded_files(pdf: pikepdf.Pdf, report) -> None:
    names = pdf.Root.get(Name.Names)
    if isinstance(names, pikepdf.Dictionary) and Name.EmbeddedFiles in names:
        report.add("embedded-files", False, "the document has embedded files (Names /EmbeddedFiles): PDF/X "
                   "forbids file attachments; remove them")
    for number, page in enumerate(pdf.pages, 1):
        for index, annotation in enumerate(page.obj.get(Name.Annots, []) or [], 1):
            if isinstance(annotation, pikepdf.Dictionary) and annotation.get(Name.Subtype) == Name.FileAttachment:
                report.add("embedded-files", False, f"annotation {index} attaches a file (FileAttachment): "
                           "PDF/X forbids file attachments; remove it", number)


def check_optional_content(pdf: pikepdf.Pdf, report, rules: Rules) -> None:
    if Name.OCProperties in pdf.Root and not rules.optional_content:
        report.add("optional-content", False, f"the document has optional content (layers, /OCProperties): "
                   f"{rules.label} (PDF {rules.max_pdf}) has none; flatten the layers")


def check_other_streams(pdf: pikepdf.Pdf, report, rules: Rules, checked: set) -> None:
    """Filters of the streams the page walk did not reach (Crypt anywhere is forbidden)."""
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream) and obj.objgen not in checked:
            for check, message in filter_problems(obj, f"stream object {obj.objgen[0]}", rules):
                report.add(check, False, message)
