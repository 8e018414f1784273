"""Preflight catches each defect a plant refuses, in our own page broken one way at a time.

Every test builds the example page, breaks it with pikepdf in one way, and asserts that the check
for that defect fails with a message naming the defect and the page.
"""

from __future__ import annotations

import io
import shutil

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from pagecomposer.pipeline import build
from pagecomposer.preflight import preflight
from tests.conftest import EXAMPLE

needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript renders the page")


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory):
    return build(EXAMPLE, tmp_path_factory.mktemp("good")).outputs[0]


def broken(good_pdf, tmp_path, edit, name="broken.pdf", **save):
    path = tmp_path / name
    with pikepdf.open(good_pdf) as pdf:
        edit(pdf)
        pdf.save(path, **save)
    return path


def failures(path, check, **options):
    report = preflight(path, **options)
    found = [f for f in report.findings if f.check == check and not f.ok and f.severity == "error"]
    assert found, f"{check} did not fail:\n{report.table()}"
    return found


def page_failure(path, check, *words, **options):
    """The check fails on page 1 with a message naming the defect."""
    found = [f for f in failures(path, check, **options) if f.page == 1]
    assert found, f"{check} failed, but not on p1: {failures(path, check, **options)}"
    message = " ".join(f.message for f in found)
    for word in words:
        assert word in message, message
    return message


def add_content(pdf, content: bytes) -> None:
    pdf.pages[0].contents_add(pdf.make_stream(content))


def resources(pdf):
    return pdf.pages[0].Resources


def the_ad_form(pdf):
    forms = [x for x in resources(pdf).XObject.values() if x.get(Name.Subtype) == Name.Form]
    assert forms, "the example page draws its ad as a form"
    return forms[0]


# --- document ---------------------------------------------------------------------------------

@pytest.mark.parametrize("revision, words", [(2, "RC4 40-bit"), (3, "RC4 128-bit")])
def test_rc4_encryption_is_caught(good_pdf, tmp_path, revision, words):
    path = broken(good_pdf, tmp_path, lambda pdf: None,
                  encryption=pikepdf.Encryption(owner="plant", user="", R=revision, aes=False, metadata=False))
    message = failures(path, "encryption")[0].message
    assert "encrypted" in message and words in message and "without security" in message


def test_user_password_is_a_clean_failure(good_pdf, tmp_path):
    path = broken(good_pdf, tmp_path, lambda pdf: None, encryption=pikepdf.Encryption(owner="o", user="secret", R=4))
    report = preflight(path)
    assert not report.passed
    assert "password" in failures(path, "encryption")[0].message


def test_javascript_open_action_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        pdf.Root.OpenAction = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('hi')")))
    message = failures(broken(good_pdf, tmp_path, edit), "actions")[0].message
    assert "JavaScript" in message and "OpenAction" in message


def test_document_javascript_and_additional_actions_are_caught(good_pdf, tmp_path):
    def edit(pdf):
        script = Dictionary(S=Name.JavaScript, JS=String("1"))
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), pdf.make_indirect(script)])))
        pdf.pages[0].obj.AA = Dictionary(O=pdf.make_indirect(script))
    path = broken(good_pdf, tmp_path, edit)
    messages = [f.message for f in failures(path, "actions")]
    assert any("Names /JavaScript" in m for m in messages)
    page_failure(path, "actions", "additional actions")


def test_embedded_files_are_caught(good_pdf, tmp_path):
    def edit(pdf):
        spec = pdf.make_indirect(Dictionary(Type=Name.Filespec, F=String("a.txt")))
        pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=Array([String("a.txt"), spec])))
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.FileAttachment, Rect=[0, 0, 5, 5], FS=spec, F=4))])
    path = broken(good_pdf, tmp_path, edit)
    assert any("EmbeddedFiles" in f.message for f in failures(path, "embedded-files"))
    page_failure(path, "embedded-files", "FileAttachment")


def test_optional_content_is_caught_under_x1a(good_pdf, tmp_path):
    def edit(pdf):
        layer = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("Layer")))
        pdf.Root.OCProperties = Dictionary(OCGs=Array([layer]), D=Dictionary(ON=Array([layer])))
        the_ad_form(pdf).OC = layer
        resources(pdf).Properties = Dictionary(L1=layer)
        add_content(pdf, b"/OC /L1 BDC 0 0 0 1 k 10 10 5 5 re f EMC")
    path = broken(good_pdf, tmp_path, edit)
    assert any("OCProperties" in f.message for f in failures(path, "optional-content"))
    page_failure(path, "optional-content", "/OC", "PDF/X-1a:2001")


def test_crypt_and_unknown_filters_are_caught(good_pdf, tmp_path):
    def edit(pdf):
        add_content(pdf, b"")
        pdf.pages[0].obj.Contents[-1].Filter = Name("/MyOwnDecode")
        unused = pdf.make_indirect(pdf.make_stream(b"x"))
        unused.Filter = Name("/Qrypt")  # qpdf drops a real Crypt filter on save: renamed below
        pdf.Root.Unused = unused
    path = broken(good_pdf, tmp_path, edit, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    path.write_bytes(path.read_bytes().replace(b"/Qrypt", b"/Crypt"))  # same length: offsets hold
    page_failure(path, "filters", "unknown filter /MyOwnDecode")
    assert any("Crypt filter" in f.message for f in failures(path, "filters"))


@needs_gs
def test_truncated_and_garbage_files_fail_cleanly(good_pdf, tmp_path):
    data = good_pdf.read_bytes()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(data[: len(data) // 2])
    garbage = tmp_path / "garbage.pdf"
    garbage.write_bytes(b"%PDF-1.3\n" + bytes(range(256)) * 50)
    for path in (truncated, garbage):
        report = preflight(path)  # must not raise
        assert not report.passed
        assert all(f.message for f in report.findings)


def test_a_malformed_object_is_a_finding_not_a_traceback(good_pdf, tmp_path):
    def edit(pdf):
        font = next(iter(resources(pdf).Font.values()))
        font.FirstChar = String("zero")  # a string where a number belongs
        font.Widths = Name("/Nonsense")
    report = preflight(broken(good_pdf, tmp_path, edit))
    assert not report.passed
    assert any("malformed" in f.message for f in report.findings if not f.ok)


# --- page boxes and annotations ---------------------------------------------------------------

def test_artbox_with_trimbox_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        pdf.pages[0].obj.ArtBox = Array([20, 20, 500, 500])
    page_failure(broken(good_pdf, tmp_path, edit), "artbox", "ArtBox", "TrimBox")


@pytest.mark.parametrize("box, value, words", [
    ("/TrimBox", [500, 500, 400, 400], "reversed or empty"),
    ("/BleedBox", [-20, -20, 2000, 2000], "BleedBox"),
])
def test_boxes_out_of_order_are_caught(good_pdf, tmp_path, box, value, words):
    def edit(pdf):
        pdf.pages[0].obj[box] = Array(value)
    page_failure(broken(good_pdf, tmp_path, edit), "boxes", words)


@pytest.mark.parametrize("subtype, flags, words", [("/Square", 4, "printable"), ("/Link", 0, "Link")])
def test_annotation_inside_the_trim_is_caught(good_pdf, tmp_path, subtype, flags, words):
    def edit(pdf):
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name(subtype), Rect=[100, 100, 200, 200], F=flags))])
    page_failure(broken(good_pdf, tmp_path, edit), "annotations", words, "TrimBox")


def test_hidden_annotation_and_printer_marks_are_allowed(good_pdf, tmp_path):
    def edit(pdf):
        pdf.pages[0].obj.Annots = Array([
            pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.Text, Rect=[100, 100, 120, 120], F=2)),
            pdf.make_indirect(Dictionary(Type=Name.Annot, Subtype=Name.PrinterMark, Rect=[0, 0, 8, 8], F=4))])
    report = preflight(broken(good_pdf, tmp_path, edit))
    assert not report.failed("annotations"), report.table()


# --- transparency and graphics state ----------------------------------------------------------

def test_constant_alpha_in_a_form_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        the_ad_form(pdf).Resources.ExtGState = Dictionary(GSa=Dictionary(ca=0.4))
    page_failure(broken(good_pdf, tmp_path, edit), "transparency", "ca 0.4", "GSa")


def test_blend_mode_and_soft_mask_are_caught(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).ExtGState.GSb = Dictionary(BM=Name.Multiply)
        group = pdf.make_stream(b"0 0 0 1 k 0 0 10 10 re f", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 10, 10])
        resources(pdf).ExtGState.GSs = Dictionary(SMask=Dictionary(S=Name.Luminosity, G=group))
    path = broken(good_pdf, tmp_path, edit)
    page_failure(path, "transparency", "Multiply", "soft mask")


def test_transparency_group_on_a_form_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        the_ad_form(pdf).Group = Dictionary(S=Name.Transparency, CS=Name.DeviceCMYK)
    page_failure(broken(good_pdf, tmp_path, edit), "transparency", "transparency group")


def test_transparency_in_a_pattern_and_an_annotation_appearance_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        cell = pdf.make_stream(b"0 0 0 1 k 0 0 5 5 re f", PatternType=1, PaintType=1, TilingType=1,
                               BBox=[0, 0, 5, 5], XStep=5, YStep=5,
                               Resources=Dictionary(ExtGState=Dictionary(GSp=Dictionary(CA=0.5))))
        resources(pdf).Pattern = Dictionary(P1=cell)
        appearance = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, 5, 5],
                                     Group=Dictionary(S=Name.Transparency))
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Square, Rect=[0, 0, 5, 5], F=2, AP=Dictionary(N=appearance)))])
    path = broken(good_pdf, tmp_path, edit)
    page_failure(path, "transparency", "CA 0.5", "appearance of annotation 1")


def test_soft_masked_image_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        mask = pdf.make_stream(b"\x80" * 4, Type=Name.XObject, Subtype=Name.Image, Width=2, Height=2,
                               ColorSpace=Name.DeviceGray, BitsPerComponent=8)
        resources(pdf).XObject.Im9 = pdf.make_stream(b"\x00" * 16, Type=Name.XObject, Subtype=Name.Image,
                                                     Width=2, Height=2, ColorSpace=Name.DeviceCMYK,
                                                     BitsPerComponent=8, SMask=mask)
    page_failure(broken(good_pdf, tmp_path, edit), "transparency", "Im9", "soft mask")


def test_transfer_function_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        curve = pdf.make_stream(b"{ 0.9 mul }", FunctionType=4, Domain=[0, 1], Range=[0, 1])
        resources(pdf).ExtGState.GSt = Dictionary(TR=curve)
        resources(pdf).ExtGState.GSu = Dictionary(TR2=Name.Identity)
    message = page_failure(broken(good_pdf, tmp_path, edit), "transfer-function", "GSt", "TR2")
    assert "/Default" in message


def test_halftone_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).ExtGState.GSh = Dictionary(HT=Dictionary(HalftoneType=6, Width=2, Height=2))
    page_failure(broken(good_pdf, tmp_path, edit), "halftone", "GSh", "type 6")


def test_white_overprint_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).ExtGState.GSw = Dictionary(op=True, OP=True, OPM=1)
        add_content(pdf, b"q /GSw gs 0 0 0 0 k 100 100 50 50 re f Q")
    page_failure(broken(good_pdf, tmp_path, edit), "white-overprint", "0/0/0/0", "overprint", "fill")


def test_white_spot_overprint_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).ExtGState.GSw = Dictionary(OP=True)
        add_content(pdf, b"q /GSw gs /Masthead-Red CS 0 SCN 4 w 100 100 m 300 100 l S Q")
    page_failure(broken(good_pdf, tmp_path, edit), "white-overprint", "Masthead-Red at tint 0", "stroke")


def test_white_knockout_and_black_overprint_are_fine(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).ExtGState.GSk = Dictionary(op=True, OPM=1)
        add_content(pdf, b"0 0 0 0 k 100 100 50 50 re f q /GSk gs 0 0 0 1 k 100 100 50 50 re f Q")
    report = preflight(broken(good_pdf, tmp_path, edit))
    assert not report.failed("white-overprint"), report.table()


def test_postscript_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).XObject.PS1 = pdf.make_stream(b"showpage", Type=Name.XObject, Subtype=Name.PS)
        add_content(pdf, b"PS")
    path = broken(good_pdf, tmp_path, edit)
    page_failure(path, "postscript", "PostScript XObject /PS1", "PS operator")


def test_postscript_form_and_opi_are_caught(good_pdf, tmp_path):
    def edit(pdf):
        form = the_ad_form(pdf)
        form.Subtype2 = Name.PS
        form.OPI = Dictionary(**{"/2.0": Dictionary(Type=Name.OPI, Version=2.0, F=String("hires.tif"))})
    path = broken(good_pdf, tmp_path, edit)
    page_failure(path, "postscript", "Subtype2 /PS")
    page_failure(path, "opi", "OPI")


# --- colour and images ------------------------------------------------------------------------

def test_spot_with_rgb_alternate_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        tint = pdf.make_stream(b"{ pop 1 0 0 }", FunctionType=4, Domain=[0, 1], Range=[0, 1, 0, 1, 0, 1])
        resources(pdf).ColorSpace.CSr = Array([Name.Separation, Name("/Ad-Red"), Name.DeviceRGB, tint])
    page_failure(broken(good_pdf, tmp_path, edit), "spot-alternate", "Ad-Red", "DeviceRGB alternate")


def _image(pdf, data: bytes, **keys):
    return pdf.make_stream(data, Type=Name.XObject, Subtype=Name.Image, **keys)


def test_sixteen_bit_image_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).XObject.Im16 = _image(pdf, b"\x00" * 32, Width=2, Height=2, ColorSpace=Name.DeviceCMYK,
                                             BitsPerComponent=16)
        add_content(pdf, b"q 72 0 0 72 100 100 cm /Im16 Do Q")
    page_failure(broken(good_pdf, tmp_path, edit), "image-depth", "Im16", "16 bits")


def test_jpx_image_is_caught(good_pdf, tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(buffer, format="JPEG2000")

    def edit(pdf):
        resources(pdf).XObject.ImJ = _image(pdf, buffer.getvalue(), Width=8, Height=8, BitsPerComponent=8,
                                            Filter=Name.JPXDecode)
    page_failure(broken(good_pdf, tmp_path, edit), "filters", "ImJ", "JPEG 2000")


def test_lab_and_rgb_images_and_rgb_operators_are_caught(good_pdf, tmp_path):
    def edit(pdf):
        lab = Array([Name.Lab, Dictionary(WhitePoint=[0.9505, 1, 1.089])])
        resources(pdf).XObject.ImL = _image(pdf, b"\x80" * 12, Width=2, Height=2, ColorSpace=lab, BitsPerComponent=8)
        add_content(pdf, b"1 0 0 rg 10 10 5 5 re f BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI")
    path = broken(good_pdf, tmp_path, edit)
    page_failure(path, "image-colour", "ImL", "Lab")
    page_failure(path, "image-colour", "inline image", "DeviceRGB")
    page_failure(path, "colour-space", "'rg'")


def test_unembedded_font_is_caught_on_our_page(good_pdf, tmp_path):
    def edit(pdf):
        resources(pdf).Font.FH = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
        add_content(pdf, b"BT /FH 12 Tf 100 100 Td (x) Tj ET")
    page_failure(broken(good_pdf, tmp_path, edit), "font-embedded", "Helvetica", "NOT embedded")


# --- glyphs -----------------------------------------------------------------------------------

def _font_and_codes(pdf):
    """A simple TrueType font of the page, and the codes outside its subset's cmap."""
    from fontTools.ttLib import TTFont

    for name, font in resources(pdf).Font.items():
        program = font.get(Name.FontDescriptor, {}).get(Name.FontFile2)
        if font.get(Name.Subtype) == Name.TrueType and program is not None:
            cmap = TTFont(io.BytesIO(program.read_bytes())).getBestCmap() or {}
            for table in TTFont(io.BytesIO(program.read_bytes()))["cmap"].tables:
                cmap = {**table.cmap, **cmap}
            absent = [code for code in range(int(font.FirstChar), int(font.LastChar) + 1) if code not in cmap
                      and (0xF000 + code) not in cmap]
            if absent:
                return name, font, absent
    pytest.fail("no subset TrueType font with unused codes on the example page")


def test_glyph_code_outside_the_subset_is_caught(good_pdf, tmp_path):
    def edit(pdf):
        name, font, absent = _font_and_codes(pdf)
        last = int(font.LastChar)
        codes = bytes([absent[-1]]) + (bytes([last + 1]) if last < 255 else b"")
        add_content(pdf, b"BT " + name.encode() + b" 12 Tf 100 100 Td <" + codes.hex().encode() + b"> Tj ET")
    message = page_failure(broken(good_pdf, tmp_path, edit), "glyphs", ".notdef", "not in the embedded font")
    assert "outside FirstChar..LastChar" in message


def test_cid_font_glyph_missing_is_caught(good_pdf, tmp_path):
    """A Type 0 / CIDFontType2 font (Identity-H, CIDToGIDMap Identity) made from a subset program."""
    def edit(pdf):
        _, simple, _ = _font_and_codes(pdf)
        from fontTools.ttLib import TTFont

        glyphs = TTFont(io.BytesIO(simple.FontDescriptor.FontFile2.read_bytes()))["maxp"].numGlyphs
        descendant = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/ABCDEF+Test"),
            CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
            FontDescriptor=simple.FontDescriptor, CIDToGIDMap=Name.Identity, DW=1000))
        resources(pdf).Font.FC = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/ABCDEF+Test"), Encoding=Name("/Identity-H"),
            DescendantFonts=Array([descendant])))
        code = glyphs + 5  # a glyph id past the end of the embedded program
        add_content(pdf, b"BT /FC 12 Tf 100 100 Td <" + f"0001{code:04x}".encode() + b"> Tj ET")
    message = page_failure(broken(good_pdf, tmp_path, edit), "glyphs", "ABCDEF+Test", "1 glyph code")
    assert "not in the embedded font" in message
