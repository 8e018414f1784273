"""Delivered PDF ads: inspected when the page is laid out, refused or made printable (Ghostscript)
as the layout says, placed upright from the page the spec names, and their inks counted.

The broken ads are made here: a clean CMYK ad drawn with reportlab, then edited with pikepdf.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pikepdf import Array, Dictionary, Name

from pagecomposer.errors import SpecError
from pagecomposer.pipeline import build
from pagecomposer.render import ads
from tests.conftest import ROOT
from tests.test_spec_errors import assert_clean_failure, run_build

GS = shutil.which("gs")
needs_gs = pytest.mark.skipif(GS is None, reason="needs Ghostscript")
GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")
ZENSUN = ROOT / "examples" / "lianghui" / "ads" / "zensun.pdf"
AD_W, AD_H = 600.0, 250.0


# --- ads --------------------------------------------------------------------------------------

def clean_ad(path: Path) -> Path:
    """A CMYK ad with an embedded font: a cyan field, a black square at its top-left corner (to see
    which way up it lands) and a line of text."""
    from reportlab.lib.colors import CMYKColor
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("AdSans", str(ROOT / "fonts" / "NotoSansSC-Regular.ttf")))
    c = canvas.Canvas(str(path), pagesize=(AD_W, AD_H), invariant=1)
    c.setFillColor(CMYKColor(0.6, 0, 0, 0))
    c.rect(0, 0, AD_W, AD_H, stroke=0, fill=1)
    c.setFillColor(CMYKColor(0, 0, 0, 1))
    c.rect(0, AD_H - 80, 80, 80, stroke=0, fill=1)
    c.setFillColor(CMYKColor(0, 0.9, 0.8, 0))
    c.setFont("AdSans", 40)
    c.drawString(120, 100, "广告 Clean Ad")
    c.showPage()
    c.save()
    return path


def edited(source: Path, target: Path, edit) -> Path:
    with pikepdf.open(source) as pdf:
        edit(pdf, pdf.pages[0])
        pdf.save(target)
    return target


def add_form(pdf, page, content: bytes, resources: Dictionary, **extra) -> None:
    """Draw `content` through a form XObject of its own (transparency nested one level down)."""
    form = pdf.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=[0, 0, AD_W, AD_H],
                           Resources=resources, **extra)
    page.add_resource(form, Name.XObject, Name("/Fm9"))
    page.contents_add(pdf.make_stream(b"q /Fm9 Do Q\n"))


def with_alpha(pdf, page):  # a magenta veil at 40 % opacity over the left half, inside a form
    add_form(pdf, page, b"/GS1 gs 0 1 0 0 k 0 0 300 250 re f\n",
             Dictionary(ExtGState=Dictionary(GS1=Dictionary(Type=Name.ExtGState, ca=0.4))))


def with_multiply(pdf, page):
    add_form(pdf, page, b"/GS1 gs 0 0 1 0 k 200 50 200 150 re f\n",
             Dictionary(ExtGState=Dictionary(GS1=Dictionary(Type=Name.ExtGState, BM=Name.Multiply))))


def with_group(pdf, page):
    page.obj.Group = Dictionary(Type=Name.Group, S=Name.Transparency, CS=Name.DeviceCMYK)


def with_rgb(pdf, page):
    page.contents_add(pdf.make_stream(b"q 0 0.6 1 rg 420 20 160 80 re f Q\n"))


def with_pantone(pdf, page):
    tint = pdf.make_stream(b"{dup 0 mul exch dup 0.6 mul exch dup 1 mul exch 0.1 mul}", FunctionType=4,
                           Domain=[0, 1], Range=[0, 1, 0, 1, 0, 1, 0, 1])
    space = Array([Name.Separation, Name("/PANTONE 485 C"), Name.DeviceCMYK, tint])
    page.add_resource(space, Name.ColorSpace, Name("/CS9"))
    page.contents_add(pdf.make_stream(b"q /CS9 cs 1 scn 420 130 160 60 re f Q\n"))


def with_helvetica(pdf, page):
    font = Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    page.add_resource(font, Name.Font, Name("/FH"))
    page.contents_add(pdf.make_stream(b"BT /FH 20 Tf 120 40 Td (Helvetica) Tj ET\n"))


def with_second_page(pdf, page):  # page 2: all yellow, nothing else
    pdf.add_blank_page(page_size=(AD_W, AD_H))
    second = pdf.pages[1]
    second.contents_add(pdf.make_stream(b"0 0 1 0 k 0 0 600 250 re f\n"))


def turned(source: Path, target: Path, rotate: int) -> Path:
    """The same ad drawn turned the other way, with /Rotate so a viewer shows it upright again."""
    with pikepdf.open(source) as pdf:
        page = pdf.pages[0]
        drawn = page.as_form_xobject()  # its data is read from the page when saved: copy it now
        form = pdf.make_stream(drawn.read_bytes(), Type=Name.XObject, Subtype=Name.Form, BBox=drawn.BBox,
                               Resources=page.Resources)
        turn = {90: (0, 1, -1, 0, AD_H, 0), 180: (-1, 0, 0, -1, AD_W, AD_H), 270: (0, -1, 1, 0, 0, AD_W)}[rotate % 360]
        size = (AD_H, AD_W) if rotate % 180 else (AD_W, AD_H)
        page.obj.MediaBox = Array([0, 0, *size])
        if "/TrimBox" in page.obj:
            del page.obj["/TrimBox"]
        page.obj.Resources = Dictionary(XObject=Dictionary(Ad=form))
        page.obj.Contents = pdf.make_stream(("q %g %g %g %g %g %g cm /Ad Do Q\n" % turn).encode())
        page.obj.Rotate = rotate
        pdf.save(target)
    return target


# --- issues -----------------------------------------------------------------------------------

def ad_issue(tmp_path: Path, ad: Path, layout_print: str = "", extra: str = "") -> Path:
    """A one-page issue whose only element is the ad, on the broadsheet layout (with print settings
    added to a copy of it)."""
    (tmp_path / "ads").mkdir(parents=True, exist_ok=True)
    if ad.parent != tmp_path / "ads":
        shutil.copy(ad, tmp_path / "ads" / ad.name)
    if layout_print:
        (tmp_path / "layouts").mkdir(exist_ok=True)
        layout = (ROOT / "layouts" / "broadsheet.yaml").read_text(encoding="utf-8") + layout_print
        (tmp_path / "layouts" / "broadsheet.yaml").write_text(layout, encoding="utf-8")
        shutil.copytree(ROOT / "fonts", tmp_path / "fonts", dirs_exist_ok=True)
    issue = tmp_path / "issue.yaml"
    issue.write_text(f"""paper: 测试报
date: 2026-03-18
pages:
  - id: P1
    layout: broadsheet
    elements:
      - type: ad
        name: 测试广告
        columns: 1-8
        lines: 60-103
        file: ads/{ad.name}
{extra}""", encoding="utf-8")
    return issue


AD_LINE = 7  # the line of `- type: ad` in ad_issue's file


def plates(pdf: Path, out: Path, dpi: int = 18) -> dict[str, Image.Image]:
    """Ghostscript's separations of page 1: plate name -> 8-bit image (0 = full ink)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep", f"-r{dpi}",
                    f"-sOutputFile={out / 'p.tif'}", str(pdf)], check=True, capture_output=True)
    found = {}
    for path in out.glob("p(*).tif"):
        found[path.name[2:-5]] = Image.open(path).convert("L")
    return found


def coverage(image: Image.Image, box=None) -> float:
    """Mean ink of a separation (or of a part of it), 0..1."""
    part = image.crop(box) if box else image
    data = part.tobytes()
    return 1 - sum(data) / (255 * len(data))


def every_dictionary(pdf):
    """Every dictionary in the file, indirect or nested directly inside another object."""
    todo = list(pdf.objects)
    while todo:
        obj = todo.pop()
        if isinstance(obj, (Dictionary, pikepdf.Stream)):
            yield obj
            todo += [obj[k] for k in obj.keys()
                     if isinstance(obj[k], (Dictionary, Array)) and not obj[k].is_indirect]
        elif isinstance(obj, Array):
            todo += [v for v in obj if isinstance(v, (Dictionary, Array)) and not v.is_indirect]


def objects_with_transparency(pdf_path: Path) -> list[str]:
    """Every object of the file (not only what a walk reaches) that carries live transparency."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        for obj in every_dictionary(pdf):
            if obj.get("/S") == "/Transparency":
                found.append("group")
            for key in ("/ca", "/CA"):
                if key in obj and float(obj[key]) < 1:
                    found.append(key)
            if "/BM" in obj and str(obj.BM) not in ("/Normal", "/Compatible"):
                found.append("BM")
            if "/SMask" in obj and str(obj.SMask) != "/None":
                found.append("SMask")
    return found


def content_operators(pdf_path: Path) -> set[str]:
    """Operators of the page and of every form it draws, however deep."""
    ops: set[str] = set()
    with pikepdf.open(pdf_path) as pdf:
        todo, seen = [pdf.pages[0].obj], set()
        while todo:
            obj = todo.pop()
            for operands, op in pikepdf.parse_content_stream(obj if isinstance(obj, pikepdf.Stream)
                                                             else pikepdf.Page(obj)):
                ops.add(str(op))
            for xobject in (obj.get("/Resources") or {}).get("/XObject", {}).values():
                if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
                    seen.add(xobject.objgen)
                    todo.append(xobject)
    return ops


def device_spaces(pdf_path: Path) -> set[str]:
    names = set()
    with pikepdf.open(pdf_path) as pdf:
        for obj in every_dictionary(pdf):
            for key in ("/ColorSpace", "/CS"):
                space = obj.get(key)
                if isinstance(space, Name):
                    names.add(str(space))
                elif isinstance(space, Array) and len(space):
                    names.add(str(space[0]))
                elif isinstance(space, Dictionary):
                    names.update(str(v[0]) if isinstance(v, Array) else str(v) for v in space.values())
    return names


@pytest.fixture
def clean(tmp_path) -> Path:
    return clean_ad(tmp_path / "clean.pdf")


# --- transparency -----------------------------------------------------------------------------

@needs_gs
def test_transparency_is_flattened_and_prints_as_the_original_would(tmp_path, clean):
    ad = edited(clean, tmp_path / "alpha.pdf", with_alpha)
    result = build(ad_issue(tmp_path / "issue", ad), tmp_path / "out", preflight=True)
    warning = next(w for w in result.warnings if "flattened" in w)
    assert "alpha.pdf" in warning and "/ca 0.4 in ExtGState /GS1" in warning and "720 dpi" in warning
    assert f"issue.yaml:{AD_LINE}:" in warning
    output = result.outputs[0]
    assert objects_with_transparency(output) == []
    # Plate by plate, the placed ad inks as a transparency-aware rendering of the original does.
    original = plates(ad, tmp_path / "sep-original")
    placed = plates(output, tmp_path / "sep-placed")
    pic = next(i for i in result.pages[0].display.items if getattr(i, "kind", "") == "pdf")
    scale = 18 / 72
    origin = result.pages[0].display.origin
    x, y, w, h = pic.placed
    box = tuple(round(v * scale) for v in (origin + x, origin + y, origin + x + w, origin + y + h))
    inner = (box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1)  # away from edge pixels
    ob = (1, 1, original["Cyan"].width - 1, original["Cyan"].height - 1)
    for plate in ("Cyan", "Magenta", "Yellow", "Black"):
        assert abs(coverage(placed[plate], inner) - coverage(original[plate], ob)) < 0.03, plate
    assert coverage(original["Magenta"], ob) > 0.15  # the veil is there to compare
    assert result.preflight[0].passed, result.preflight[0].table()


def test_transparency_refused_when_the_layout_says_so(tmp_path, clean):
    ad = edited(clean, tmp_path / "multiply.pdf", with_multiply)
    issue = ad_issue(tmp_path / "issue", ad, "print:\n  ad_transparency: refuse\n")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{AD_LINE}:", "multiply.pdf",
                         "blend mode /Multiply in ExtGState /GS1", "ad_transparency: flatten")


@pytest.mark.skipif(not GS_CMYK.is_file(), reason="needs a CMYK ICC profile (Ghostscript's default_cmyk.icc)")
def test_a_transparency_group_counts_and_pdfx4_keeps_it_live(tmp_path, clean):
    ad = edited(clean, tmp_path / "group.pdf", with_group)
    issue = ad_issue(tmp_path / "issue", ad, "print:\n  ad_transparency: refuse\n  icc_profile: press.icc\n")
    shutil.copy(GS_CMYK, tmp_path / "issue" / "layouts" / "press.icc")  # PDF/X-4 embeds the press profile
    assert_clean_failure(run_build(issue, tmp_path / "out"), tmp_path / "out", "a transparency group on the page")
    result = build(issue, tmp_path / "out4", pdfx="4")
    assert not any("flattened" in w for w in result.warnings)
    assert "group" in objects_with_transparency(result.outputs[0])


# --- colour -----------------------------------------------------------------------------------

@needs_gs
def test_rgb_is_converted_to_cmyk(tmp_path, clean):
    ad = edited(clean, tmp_path / "rgb.pdf", with_rgb)
    result = build(ad_issue(tmp_path / "issue", ad), tmp_path / "out", preflight=True)
    assert any("DeviceRGB (rg operator) converted to device CMYK by Ghostscript" in w and "rgb.pdf" in w
               for w in result.warnings)
    output = result.outputs[0]
    assert not content_operators(output) & {"rg", "RG"}
    assert not device_spaces(output) & {"/DeviceRGB", "/CalRGB", "/Lab"}
    assert "Tj" in content_operators(output) or "TJ" in content_operators(output)  # still text, not pixels
    assert result.preflight[0].passed, result.preflight[0].table()


def with_icc_cmyk(pdf, page):  # a fill in ICC-based CMYK: printable, but not admitted by PDF/X-1a
    profile = pdf.make_stream(GS_CMYK.read_bytes(), N=4)
    page.add_resource(Array([Name.ICCBased, profile]), Name.ColorSpace, Name("/CSicc"))
    page.contents_add(pdf.make_stream(b"q /CSicc cs 0 0.5 1 0 scn 420 20 160 80 re f Q\n"))


@needs_gs
def test_icc_based_cmyk_is_made_device_cmyk_under_x1a_only(tmp_path, clean):
    if not GS_CMYK.is_file():
        pytest.skip("needs Ghostscript's CMYK profile")
    ad = edited(clean, tmp_path / "icc.pdf", with_icc_cmyk)
    result = build(ad_issue(tmp_path / "issue", ad), tmp_path / "out", preflight=True)
    assert any("ICC-based CMYK" in w and "icc.pdf" in w and "converted to device CMYK" in w for w in result.warnings)
    assert "/ICCBased" not in device_spaces(result.outputs[0])
    assert result.preflight[0].passed, result.preflight[0].table()
    refused = run_build(ad_issue(tmp_path / "refuse", ad, "print:\n  ad_colour: refuse\n"), tmp_path / "out-r")
    assert_clean_failure(refused, tmp_path / "out-r", f"issue.yaml:{AD_LINE}:", "icc.pdf", "ICC-based CMYK")


def test_rgb_refused_when_the_layout_says_so(tmp_path, clean):
    ad = edited(clean, tmp_path / "rgb.pdf", with_rgb)
    issue = ad_issue(tmp_path / "issue", ad, "print:\n  ad_colour: refuse\n")
    assert_clean_failure(run_build(issue, tmp_path / "out"), tmp_path / "out", f"issue.yaml:{AD_LINE}:",
                         "rgb.pdf", "DeviceRGB", "PDF/X-1a")


# --- spot inks and plates ---------------------------------------------------------------------

@needs_gs
def test_spot_ink_mapped_to_process_leaves_no_plate_of_its_own(tmp_path, clean):
    ad = edited(clean, tmp_path / "pantone.pdf", with_pantone)
    result = build(ad_issue(tmp_path / "issue", ad), tmp_path / "out")
    assert any("spot ink PANTONE 485 C mapped to process" in w for w in result.warnings)
    separations = plates(result.outputs[0], tmp_path / "sep")
    assert set(separations) == {"Cyan", "Magenta", "Yellow", "Black"}
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["inks"] == {"P1": ["Cyan", "Magenta", "Yellow", "Black"]}


@needs_gs
def test_spot_ink_kept_is_a_plate_and_in_the_report(tmp_path, clean):
    ad = edited(clean, tmp_path / "pantone.pdf", with_pantone)
    result = build(ad_issue(tmp_path / "issue", ad, "print:\n  spot_inks: keep\n"), tmp_path / "out")
    assert not any("PANTONE" in w for w in result.warnings)  # kept as delivered: nothing was done to it
    separations = plates(result.outputs[0], tmp_path / "sep")
    assert "PANTONE 485 C" in separations and coverage(separations["PANTONE 485 C"]) > 0
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["inks"]["P1"] == ["Cyan", "Magenta", "Yellow", "Black", "PANTONE 485 C"]
    # the inks survive a rebuild that reuses the page
    again = build(tmp_path / "issue" / "issue.yaml", tmp_path / "out")
    assert again.reused == ["P1"] and again.outcomes[0].inks == report["inks"]["P1"]


def test_spot_ink_refused_when_the_layout_says_so(tmp_path, clean):
    ad = edited(clean, tmp_path / "pantone.pdf", with_pantone)
    issue = ad_issue(tmp_path / "issue", ad, "print:\n  spot_inks: refuse\n")
    assert_clean_failure(run_build(issue, tmp_path / "out"), tmp_path / "out", "pantone.pdf",
                         "spot ink PANTONE 485 C")


def test_more_inks_than_plates_is_an_error_naming_the_page(tmp_path):
    ad = edited(ZENSUN, tmp_path / "two-spots.pdf", with_pantone)  # ZENSUN Gold and PANTONE 485 C
    issue = ad_issue(tmp_path / "issue", ad, "print:\n  spot_inks: keep\n  plates: 5\n")
    assert_clean_failure(run_build(issue, tmp_path / "out"), tmp_path / "out", "page P1 needs 6 plates",
                         "ZENSUN Gold", "PANTONE 485 C", "has 5")


# --- fonts, pages, rotation, boxes ------------------------------------------------------------

def test_a_font_not_embedded_is_refused(tmp_path, clean):
    ad = edited(clean, tmp_path / "helvetica.pdf", with_helvetica)
    assert_clean_failure(run_build(ad_issue(tmp_path / "issue", ad), tmp_path / "out"), tmp_path / "out",
                         f"issue.yaml:{AD_LINE}:", "helvetica.pdf", "font Helvetica is not embedded")


def test_a_multi_page_ad_needs_page_and_places_that_page(tmp_path, clean):
    ad = edited(clean, tmp_path / "two.pdf", with_second_page)
    assert_clean_failure(run_build(ad_issue(tmp_path / "a", ad), tmp_path / "out"), tmp_path / "out",
                         "two.pdf has 2 pages", "page: N")
    assert_clean_failure(run_build(ad_issue(tmp_path / "b", ad, extra="        page: 3\n"), tmp_path / "out"),
                         tmp_path / "out", "there is no page 3")
    first = build(ad_issue(tmp_path / "c", ad, extra="        page: 1\n"), tmp_path / "out1")
    second = build(ad_issue(tmp_path / "d", ad, extra="        page: 2\n"), tmp_path / "out2")
    if GS:
        assert coverage(plates(second.outputs[0], tmp_path / "s2")["Yellow"]) > 0.1
        assert coverage(plates(first.outputs[0], tmp_path / "s1")["Yellow"]) < 0.05
    assert first.outcomes[0].inks != second.outcomes[0].inks  # page 2 is yellow only


@needs_gs
@pytest.mark.parametrize("rotate", [90, 180, 270, -90])
def test_a_rotated_ad_lands_upright(tmp_path, clean, rotate):
    upright = build(ad_issue(tmp_path / "a", clean), tmp_path / "out-a")
    ad = turned(clean, tmp_path / f"turned{rotate % 360}.pdf", rotate)
    result = build(ad_issue(tmp_path / "b", ad), tmp_path / "out-b")
    expected = plates(upright.outputs[0], tmp_path / "sa")["Black"]
    got = plates(result.outputs[0], tmp_path / "sb")["Black"]
    assert got.size == expected.size
    differing = sum(1 for a, b in zip(got.tobytes(), expected.tobytes()) if abs(a - b) > 64)
    assert differing < 0.002 * got.width * got.height  # the black square and the text where they were
    assert coverage(got) > 0.01


def test_a_rotation_not_by_quarter_turns_is_an_error(tmp_path, clean):
    ad = edited(clean, tmp_path / "tilted.pdf", lambda pdf, page: page.obj.__setitem__("/Rotate", 45))
    assert_clean_failure(run_build(ad_issue(tmp_path / "issue", ad), tmp_path / "out"), tmp_path / "out",
                         "tilted.pdf has /Rotate 45")


@pytest.mark.parametrize("box, message", [
    ([600, 250, 0, 0], "reversed /TrimBox"),
    ([0, 0, 0, 250], "empty /TrimBox"),
    ([0, 0, 700, 250], "outside its /MediaBox"),
    ([0, 0, 600], "broken /TrimBox"),
    (["a", 0, 600, 250], "broken /TrimBox"),
])
def test_a_broken_trimbox_is_an_error_naming_it(tmp_path, clean, box, message):
    ad = edited(clean, tmp_path / "box.pdf", lambda pdf, page: page.obj.__setitem__("/TrimBox", Array(box)))
    assert_clean_failure(run_build(ad_issue(tmp_path / "issue", ad), tmp_path / "out"), tmp_path / "out",
                         f"issue.yaml:{AD_LINE}:", "box.pdf", message)


def test_the_trimbox_is_what_is_placed(tmp_path, clean):
    ad = edited(clean, tmp_path / "trim.pdf", lambda pdf, page: page.obj.__setitem__("/TrimBox",
                                                                                  Array([100, 50, 400, 200])))
    result = build(ad_issue(tmp_path / "issue", ad), tmp_path / "out")
    pic = next(i for i in result.pages[0].display.items if getattr(i, "kind", "") == "pdf")
    assert pic.box == (100, 50, 400, 200)
    assert abs(pic.placed[2] / pic.placed[3] - 300 / 150) < 1e-6


# --- files that cannot be read ----------------------------------------------------------------

def _encrypted(clean: Path, target: Path, user: str) -> Path:
    with pikepdf.open(clean) as pdf:
        pdf.save(target, encryption=pikepdf.Encryption(owner="owner-secret", user=user))
    return target


def _written(target: Path, data: bytes) -> Path:
    target.write_bytes(data)
    return target


def _broken_tree(clean: Path, target: Path) -> Path:
    with pikepdf.open(clean) as pdf:
        pdf.Root.Pages.Kids = Array([5])
        pdf.save(target)
    return target


def _rewritten(clean: Path, pattern: bytes, new: bytes) -> bytes:
    """The file's bytes, uncompressed, with what pattern matches first replaced (offsets left
    wrong: qpdf repairs them)."""
    with pikepdf.open(clean) as pdf:
        buffer = io.BytesIO()
        pdf.save(buffer, qdf=True, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    data, count = re.subn(pattern, new, buffer.getvalue(), count=1)
    assert count == 1, pattern
    return data


def _cut_content(clean: Path) -> bytes:
    with pikepdf.open(clean) as pdf:
        page = pdf.pages[0]
        page.Contents = pdf.make_stream(b"q 0 0 1 0 k 0 0 100 100 re f Q BT (never closed")
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("name, make, message", [
    ("owner.pdf", lambda c, t: _encrypted(c, t, ""), "encrypted"),
    ("user.pdf", lambda c, t: _encrypted(c, t, "user-secret"), "encrypted with a password"),
    ("truncated.pdf", lambda c, t: _written(t, c.read_bytes()[:700]), "PDF truncated.pdf"),
    ("empty.pdf", lambda c, t: _written(t, b""), "PDF empty.pdf"),
    ("garbage.pdf", lambda c, t: _written(t, b"%PDF-1.4\n" + bytes(range(256)) * 16), "PDF garbage.pdf"),
    ("tree.pdf", _broken_tree, "PDF tree.pdf"),
    # qpdf would read these by guessing (a Letter MediaBox; the content up to where it breaks)
    ("media.pdf", lambda c, t: _written(t, _rewritten(c, rb"/MediaBox \[[^\]]*\]", b"/MediaBox [ 0 0 999 ]")),
     "media.pdf is damaged"),
    ("content.pdf", lambda c, t: _written(t, _cut_content(c)), "content.pdf is damaged"),
])
def test_unreadable_ads_are_clean_errors(tmp_path, clean, name, make, message):
    ad = make(clean, tmp_path / name)
    result = run_build(ad_issue(tmp_path / "issue", ad), tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"issue.yaml:{AD_LINE}:", message)


# --- Ghostscript: determinism, cache, absence -------------------------------------------------

@needs_gs
def test_prepared_ads_are_deterministic_and_cached(tmp_path, clean, monkeypatch):
    ad = edited(clean, tmp_path / "rgb.pdf", with_rgb)
    issue = ad_issue(tmp_path / "issue", ad)
    monkeypatch.setenv("PAGECOMPOSER_WORKERS", "1")  # in this process, so the Ghostscript runs can be counted
    monkeypatch.setenv("PAGECOMPOSER_CACHE", str(tmp_path / "cache"))
    runs = []
    real_run = subprocess.run

    def counting(command, *args, **kwargs):
        if any(str(part) == "-sDEVICE=pdfwrite" for part in command):
            runs.append(command)
        return real_run(command, *args, **kwargs)

    monkeypatch.setattr(ads.subprocess, "run", counting)
    ads._prepared.cache_clear()
    first = build(issue, tmp_path / "out1", reuse=False).outputs[0].read_bytes()
    assert len(runs) == 1 and list((tmp_path / "cache" / "ads").glob("*.pdf"))
    ads._prepared.cache_clear()
    second = build(issue, tmp_path / "out2", reuse=False).outputs[0].read_bytes()
    assert len(runs) == 1  # from the cache
    monkeypatch.setenv("PAGECOMPOSER_CACHE", "")  # no cache: Ghostscript again, the same page
    ads._prepared.cache_clear()
    third = build(issue, tmp_path / "out3", reuse=False).outputs[0].read_bytes()
    assert len(runs) == 2
    assert first == second == third


def test_without_ghostscript_an_ad_that_needs_fixing_is_a_clean_error(tmp_path, clean, monkeypatch):
    ad = edited(clean, tmp_path / "rgb.pdf", with_rgb)
    monkeypatch.setenv("PAGECOMPOSER_WORKERS", "1")
    monkeypatch.setattr(ads, "ghostscript", lambda: None)
    ads._prepared.cache_clear()
    with pytest.raises(SpecError, match="needs Ghostscript") as caught:
        build(ad_issue(tmp_path / "issue", ad), tmp_path / "out")
    assert "install Ghostscript" in caught.value.hint and "ad_colour: refuse" in caught.value.hint
    # a clean ad needs nothing
    assert build(ad_issue(tmp_path / "clean", clean), tmp_path / "out-clean").warnings == []


def test_report_lists_every_ink_of_a_page(tmp_path, clean):
    result = build(ad_issue(tmp_path / "issue", clean), tmp_path / "out")
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["inks"] == {"P1": ["Cyan", "Magenta", "Yellow", "Black"]}
    assert result.warnings == []


def test_cli_exit_status_for_a_refused_ad_is_2_not_70(tmp_path, clean):
    ad = edited(clean, tmp_path / "helvetica.pdf", with_helvetica)
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "--debug", "build",
                             str(ad_issue(tmp_path / "issue", ad)), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr


@pytest.mark.parametrize("make, message", [(with_second_page, "two.pdf has 2 pages"),
                                           (with_helvetica, "font Helvetica is not embedded")])
def test_check_refuses_an_ad_as_build_does(tmp_path, clean, make, message):
    ad = edited(clean, tmp_path / "two.pdf", make)
    issue = ad_issue(tmp_path / "issue", ad)
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "check", str(issue)], capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"issue.yaml:{AD_LINE}:" in result.stderr and message in result.stderr, result.stderr


def test_an_unused_font_the_ad_lists_does_not_reach_the_page(tmp_path, clean):
    """reportlab (and other tools) list a Helvetica on every page that shows no text in it."""
    with pikepdf.open(clean) as pdf:
        assert "/Helvetica" in {str(f.get("/BaseFont")) for f in pdf.pages[0].Resources.Font.values()}
    result = build(ad_issue(tmp_path / "issue", clean), tmp_path / "out", preflight=True)
    assert result.preflight[0].passed, result.preflight[0].table()
    with pikepdf.open(result.outputs[0]) as pdf:
        fonts = {str(o.get("/BaseFont")) for o in pdf.objects if isinstance(o, Dictionary) and o.get("/Type") == "/Font"}
    assert "/Helvetica" not in fonts and any("NotoSansSC" in f for f in fonts)  # the ad's own text font stays


@needs_gs
def test_a_group_with_nothing_to_composite_is_said_to_stay_vectors(tmp_path, clean):
    ad = edited(clean, tmp_path / "group.pdf", with_group)
    result = build(ad_issue(tmp_path / "issue", ad), tmp_path / "out", preflight=True)
    warning = next(w for w in result.warnings if "group.pdf" in w)
    assert "stays vectors and text" in warning and "720 dpi" not in warning
    assert "Tj" in content_operators(result.outputs[0]) or "TJ" in content_operators(result.outputs[0])
    assert objects_with_transparency(result.outputs[0]) == []
    assert result.preflight[0].passed, result.preflight[0].table()
