"""Each PDF/X version is recognised and checked by its own rules; valid files of each pass."""

from __future__ import annotations

import glob
import io
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from pikepdf import Array, Dictionary, Name, String

from pagecomposer.preflight import preflight
from tests.test_preflight_defects import broken, failures, good_pdf, page_failure, resources  # noqa: F401

GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
needs_profile = pytest.mark.skipif(not GS_CMYK.is_file(), reason="needs Ghostscript's default_cmyk.icc")
needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript renders the page")


def errors(report) -> set[str]:
    return {f.check for f in report.findings if not f.ok and f.severity == "error"}


def relabel(pdf, version: str, conformance: str | None = None) -> None:
    pdf.docinfo[Name.GTS_PDFXVersion] = String(version)
    if conformance is None:
        del pdf.docinfo[Name.GTS_PDFXConformance]
    else:
        pdf.docinfo[Name.GTS_PDFXConformance] = String(conformance)


def embed_profile(pdf, identifier: str = "IFRA26", registry: str | None = "http://www.color.org") -> None:
    intent = pdf.Root.OutputIntents[0]
    intent.OutputConditionIdentifier = String(identifier)
    if registry is None:
        del intent["/RegistryName"]
    intent.DestOutputProfile = pdf.make_stream(GS_CMYK.read_bytes(), N=4)


def as_x4(pdf, xmp: bool = True) -> None:
    relabel(pdf, "PDF/X-4")
    embed_profile(pdf, "CGATS TR 001")  # the condition the embedded profile (Artifex SWOP) is for
    if xmp:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            with warnings.catch_warnings():  # Trapped and GTS_PDFXVersion are set in XMP below
                warnings.simplefilter("ignore")
                meta.load_from_docinfo(pdf.docinfo)
            meta["xmp:CreateDate"] = meta["xmp:ModifyDate"] = "2021-03-05T00:00:00+00:00"  # the Info dates
            meta["dc:title"] = str(pdf.docinfo.Title)
            meta["pdf:Trapped"] = "False"
            meta["pdfxid:GTS_PDFXVersion"] = "PDF/X-4"
            meta["xmpMM:DocumentID"] = "uuid:1b2c3d4e-0000-0000-0000-000000000001"
            meta["xmpMM:VersionID"] = "1"
            meta["xmpMM:RenditionClass"] = "default"
            meta["xmp:CreatorTool"] = str(pdf.docinfo.Creator)
            meta["pdf:Producer"] = str(pdf.docinfo.Producer)


@needs_gs
def test_x1a_2003_at_pdf_14_passes(good_pdf, tmp_path):
    path = broken(good_pdf, tmp_path, lambda pdf: relabel(pdf, "PDF/X-1a:2003", "PDF/X-1a:2003"), force_version="1.4")
    report = preflight(path)
    assert report.passed, report.table()
    assert report.pdfx == "1a:2003"


def test_x1a_2001_at_pdf_14_fails_the_version_only(good_pdf, tmp_path):
    path = broken(good_pdf, tmp_path, lambda pdf: None, force_version="1.4")
    message = failures(path, "pdf-version")[0].message
    assert "1.4" in message and "X-1a:2003" in message


def test_x1_2001_without_the_a_conformance_fails(good_pdf, tmp_path):
    path = broken(good_pdf, tmp_path, lambda pdf: relabel(pdf, "PDF/X-1:2001", "PDF/X-1:2001"))
    assert "PDF/X-1a:2001" in failures(path, "pdfx-conformance")[0].message


def test_unknown_version_is_named(good_pdf, tmp_path):
    path = broken(good_pdf, tmp_path, lambda pdf: relabel(pdf, "PDF/X-9:2031"))
    assert "PDF/X-9:2031" in failures(path, "pdfx-version")[0].message


@needs_gs
@needs_profile
def test_ghostscript_made_x3_passes(good_pdf, tmp_path):
    definitions = glob.glob("/usr/share/ghostscript/*/lib/PDFX_def.ps")
    if not definitions:
        pytest.skip("Ghostscript's PDFX_def.ps is not installed")
    text = Path(definitions[0]).read_text(encoding="latin-1")
    (tmp_path / "PDFX_def.ps").write_text(text.replace("(ISO Coated sb.icc)", f"({GS_CMYK})"), encoding="latin-1")
    made = tmp_path / "gs-x3.pdf"
    result = subprocess.run(["gs", "-q", "-dPDFX", "-dNOPAUSE", "-dBATCH", "-dNOSAFER", "-sDEVICE=pdfwrite",
                             "-sColorConversionStrategy=CMYK", "-sProcessColorModel=DeviceCMYK",
                             f"-sOutputFile={made}", str(tmp_path / "PDFX_def.ps"), str(good_pdf)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    report = preflight(made)
    assert report.passed, report.table()
    assert report.pdfx in ("3:2002", "3:2003")
    version = next(f for f in report.findings if f.check == "pdfx-version")
    assert version.ok and "PDF/X-3" in version.message


@needs_gs
def test_x3_2003_allows_calibrated_colour_but_not_transparency(good_pdf, tmp_path):
    def edit(pdf):
        relabel(pdf, "PDF/X-3:2003")
        lab = Array([Name.Lab, Dictionary(WhitePoint=[0.9505, 1, 1.089])])
        resources(pdf).XObject.ImL = pdf.make_stream(b"\x80" * 12, Type=Name.XObject, Subtype=Name.Image, Width=2,
                                                     Height=2, ColorSpace=lab, BitsPerComponent=8)
        resources(pdf).ExtGState.GSa = Dictionary(ca=0.5)
    report = preflight(broken(good_pdf, tmp_path, edit, force_version="1.4"))
    assert report.pdfx == "3:2003"
    assert "image-colour" not in errors(report) and "transparency" in errors(report), report.table()


@needs_gs
@needs_profile
def test_unregistered_condition_with_embedded_profile_passes_without_saying_registered(good_pdf, tmp_path):
    path = broken(good_pdf, tmp_path, lambda pdf: embed_profile(pdf, "Zhengzhou Daily coldset 2021", None))
    report = preflight(path)
    assert report.passed, report.table()
    profile = next(f for f in report.findings if f.check == "output-profile")
    assert profile.ok and "registered characterization" not in profile.message
    assert "Artifex CMYK SWOP Profile" in profile.message


def test_unregistered_condition_without_profile_fails(good_pdf, tmp_path):
    def edit(pdf):
        pdf.Root.OutputIntents[0].OutputConditionIdentifier = String("Our own press")
    message = failures(broken(good_pdf, tmp_path, edit), "output-profile")[0].message
    assert "not in the ICC" in message and "DestOutputProfile" in message


def test_registered_condition_needs_the_registry_name(good_pdf, tmp_path):
    def edit(pdf):
        del pdf.Root.OutputIntents[0]["/RegistryName"]
    assert "http://www.color.org" in failures(broken(good_pdf, tmp_path, edit), "output-registry")[0].message


@needs_profile
def test_profile_naming_another_condition_is_an_error(good_pdf, tmp_path):
    report = preflight(broken(good_pdf, tmp_path, lambda pdf: embed_profile(pdf, "IFRA26")))
    match = [f for f in report.findings if f.check == "output-profile-match"]
    assert match and not match[0].ok and match[0].severity == "error" and not report.passed
    assert "IFRA26" in match[0].message and "SWOP" in match[0].message


@pytest.mark.parametrize("profile, words", [("/usr/share/color/icc/ghostscript/srgb.icc", "'mntr'")])
def test_rgb_display_profile_as_output_profile_fails(good_pdf, tmp_path, profile, words):
    if not Path(profile).is_file():
        pytest.skip("needs Ghostscript's ICC profiles")

    def edit(pdf):
        pdf.Root.OutputIntents[0].DestOutputProfile = pdf.make_stream(Path(profile).read_bytes(), N=3)
    message = failures(broken(good_pdf, tmp_path, edit), "output-profile")[0].message
    assert words in message and "not CMYK" in message


def test_two_output_intents_fail(good_pdf, tmp_path):
    def edit(pdf):
        pdf.Root.OutputIntents.append(pdf.Root.OutputIntents[0])
    assert "2 GTS_PDFX" in failures(broken(good_pdf, tmp_path, edit), "output-intent")[0].message


@needs_profile
def test_x4_without_xmp_fails(good_pdf, tmp_path):
    path = broken(good_pdf, tmp_path, lambda pdf: as_x4(pdf, xmp=False), force_version="1.6")
    report = preflight(path)
    assert report.pdfx == "4"
    message = failures(path, "xmp")[0].message
    assert "no XMP" in message and "PDF/X-4" in message


@needs_profile
def test_x4_xmp_must_carry_its_properties_and_agree_with_the_info(good_pdf, tmp_path):
    def edit(pdf):
        as_x4(pdf)
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
            del meta["xmpMM:VersionID"]
            meta["dc:title"] = "another title"
    path = broken(good_pdf, tmp_path, edit, force_version="1.6")
    assert "xmpMM:VersionID" in failures(path, "xmp")[0].message
    assert "dc:title" in failures(path, "xmp-info")[0].message


@needs_gs
@needs_profile
def test_valid_x4_passes_with_transparency_jpx_and_16_bit(good_pdf, tmp_path):
    from PIL import Image

    jpeg2000 = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 200, 200, 0)).save(jpeg2000, format="JPEG2000")

    def edit(pdf):
        as_x4(pdf)
        resources(pdf).ExtGState.GSa = Dictionary(ca=0.5, BM=Name.Multiply)
        resources(pdf).XObject.ImJ = pdf.make_stream(jpeg2000.getvalue(), Type=Name.XObject, Subtype=Name.Image,
                                                     Width=8, Height=8, Filter=Name.JPXDecode)
        resources(pdf).XObject.Im16 = pdf.make_stream(b"\x00" * 32, Type=Name.XObject, Subtype=Name.Image, Width=2,
                                                      Height=2, ColorSpace=Name.DeviceCMYK, BitsPerComponent=16)
    report = preflight(broken(good_pdf, tmp_path, edit, force_version="1.6"))
    assert report.pdfx == "4"
    assert report.passed, report.table()


@needs_profile
def test_x4_without_a_profile_fails_and_still_forbids_device_rgb(good_pdf, tmp_path):
    def edit(pdf):
        as_x4(pdf)
        del pdf.Root.OutputIntents[0]["/DestOutputProfile"]
        pdf.pages[0].contents_add(pdf.make_stream(b"1 0 0 rg 10 10 5 5 re f"))
    path = broken(good_pdf, tmp_path, edit, force_version="1.6")
    assert "PDF/X-4 needs the output ICC profile" in failures(path, "output-profile")[0].message
    page_failure(path, "colour-space", "DeviceRGB")


@needs_profile
def test_spot_alternate_icc_cmyk_is_x4_only(good_pdf, tmp_path):
    def spot(pdf):
        icc = Array([Name.ICCBased, pdf.make_stream(GS_CMYK.read_bytes(), N=4)])
        tint = pdf.make_stream(b"{ 0 0 0 }", FunctionType=4, Domain=[0, 1], Range=[0, 1] * 4)
        resources(pdf).ColorSpace.CSi = Array([Name.Separation, Name("/Ad-Blue"), icc, tint])
    x1a = broken(good_pdf, tmp_path, spot, name="x1a.pdf")
    page_failure(x1a, "spot-alternate", "Ad-Blue", "ICC-based CMYK alternate")
    x4 = broken(good_pdf, tmp_path, lambda pdf: (as_x4(pdf), spot(pdf)), name="x4.pdf", force_version="1.6")
    assert not preflight(x4).failed("spot-alternate")
