"""Preflight passes the pages we write and catches PDFs broken on purpose, one fault each."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pikepdf
import pytest
from PIL import Image
from reportlab.lib.colors import CMYKColor
from reportlab.pdfgen.canvas import Canvas

from pagecomposer.pipeline import build
from pagecomposer.preflight import preflight
from tests.conftest import EXAMPLE

needs_gs = pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript measures ink coverage")


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory):
    return build(EXAMPLE, tmp_path_factory.mktemp("good")).outputs[0]


def failed_checks(path, **options) -> set[str]:
    report = preflight(path, **options)
    return {f.check for f in report.findings if not f.ok and f.severity == "error"}


def _canvas(path, draw) -> None:
    """A small PDF/X-looking page (boxes, fonts embedded) that `draw` breaks in one way."""
    canvas = Canvas(str(path), pagesize=(300, 300), invariant=1)
    canvas.setTrimBox([10, 10, 290, 290])
    canvas.setBleedBox([0, 0, 300, 300])
    draw(canvas)
    canvas.showPage()
    canvas.save()


def _image(path, mode: str, size: int):
    color = (200, 30, 30) if mode == "RGB" else (0, 80, 80, 0)
    Image.new(mode, (size, size), color).save(path, format="PNG" if mode == "RGB" else "TIFF")
    return str(path)


@needs_gs
def test_example_page_passes(good_pdf):
    report = preflight(good_pdf)
    assert report.passed, report.table()
    assert report.pdfx == "1a:2001" and report.pdfx.startswith("1a")  # X-1a, and which edition
    checks = {f.check for f in report.findings}
    assert {"output-intent", "boxes", "font-embedded", "ink-coverage", "trapped", "document-id", "inks"} <= checks


def test_rgb_image_is_caught(tmp_path):
    image = _image(tmp_path / "rgb.png", "RGB", 600)
    pdf = tmp_path / "rgb.pdf"
    _canvas(pdf, lambda c: c.drawImage(image, 20, 20, width=72, height=72))
    assert "image-colour" in failed_checks(pdf, require_pdfx=False)


def test_unembedded_font_is_caught(tmp_path):
    pdf = tmp_path / "font.pdf"

    def draw(canvas):
        canvas.setFont("Helvetica", 12)
        canvas.setFillColor(CMYKColor(0, 0, 0, 1))
        canvas.drawString(30, 30, "not embedded")

    _canvas(pdf, draw)
    assert "font-embedded" in failed_checks(pdf, require_pdfx=False)


def test_missing_trimbox_is_caught(good_pdf, tmp_path):
    broken = tmp_path / "notrim.pdf"
    with pikepdf.open(good_pdf) as pdf:
        del pdf.pages[0].obj["/TrimBox"]
        pdf.save(broken)
    assert "trimbox" in failed_checks(broken)


def test_low_resolution_image_is_caught(tmp_path):
    image = _image(tmp_path / "cmyk.tif", "CMYK", 72)
    pdf = tmp_path / "lowres.pdf"
    _canvas(pdf, lambda c: c.drawImage(image, 20, 20, width=72, height=72))  # 72 px over one inch
    report = preflight(pdf, require_pdfx=False)
    resolution = [f for f in report.findings if f.check == "image-resolution"]
    assert resolution and not resolution[0].ok and "72 ppi" in resolution[0].message


@needs_gs
def test_ink_over_the_limit_is_caught(tmp_path):
    pdf = tmp_path / "ink.pdf"

    def draw(canvas):
        canvas.setFillColor(CMYKColor(1, 1, 1, 1))  # 400 %
        canvas.rect(50, 50, 150, 150, fill=1, stroke=0)

    _canvas(pdf, draw)
    report = preflight(pdf, require_pdfx=False)
    ink = [f for f in report.findings if f.check == "ink-coverage"]
    assert ink and not ink[0].ok and "400%" in ink[0].message


def test_type3_font_is_caught(good_pdf, tmp_path):
    broken = tmp_path / "type3.pdf"
    with pikepdf.open(good_pdf) as pdf:
        glyph = pdf.make_stream(b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f")
        font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FontBBox=[0, 0, 1000, 1000],
            FontMatrix=[0.001, 0, 0, 0.001, 0, 0], CharProcs=pikepdf.Dictionary(a=glyph),
            Encoding=pikepdf.Dictionary(Type=pikepdf.Name.Encoding, Differences=[97, pikepdf.Name.a]),
            FirstChar=97, LastChar=97, Widths=[1000]))
        page = pdf.pages[0]
        page.Resources.Font[pikepdf.Name.T3] = font
        page.contents_add(pdf.make_stream(b"BT /T3 12 Tf 100 100 Td (a) Tj ET"))
        pdf.save(broken)
    assert "type3-font" in failed_checks(broken)


def test_preflight_command_exit_status_and_json(good_pdf, tmp_path):
    broken = tmp_path / "notrim.pdf"
    with pikepdf.open(good_pdf) as pdf:
        del pdf.pages[0].obj["/TrimBox"]
        pdf.save(broken)
    ok = subprocess.run([sys.executable, "-m", "pagecomposer", "preflight", str(good_pdf), "--json"],
                        capture_output=True, text=True)
    bad = subprocess.run([sys.executable, "-m", "pagecomposer", "preflight", str(broken)],
                         capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout
    assert '"passed": true' in ok.stdout
    assert bad.returncode == 1 and "FAILED" in bad.stdout and "trimbox" in bad.stdout


def test_two_builds_are_byte_identical(tmp_path):
    first = build(EXAMPLE, tmp_path / "a").outputs[0].read_bytes()
    second = build(EXAMPLE, tmp_path / "b").outputs[0].read_bytes()
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


@pytest.mark.skipif(not all(shutil.which(t) for t in ("qpdf", "pdffonts", "gs")), reason="needs qpdf, poppler, gs")
def test_plant_tools_accept_the_page(good_pdf):
    check = subprocess.run(["qpdf", "--check", str(good_pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout
    fonts = subprocess.run(["pdffonts", str(good_pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # the "emb" column
    render = subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-sDEVICE=nullpage", str(good_pdf)],
                            capture_output=True, text=True)
    assert render.returncode == 0 and render.stdout.strip() == "" and render.stderr.strip() == ""


@pytest.mark.parametrize("kind", ["password", "garbage", "truncated"])
def test_unreadable_files_fail_cleanly_on_the_command_line(good_pdf, tmp_path, kind):
    path = tmp_path / f"{kind}.pdf"
    if kind == "password":
        with pikepdf.open(good_pdf) as pdf:
            pdf.save(path, encryption=pikepdf.Encryption(owner="owner", user="reader", R=4))
    elif kind == "garbage":
        path.write_bytes(b"%PDF-1.4\n" + b"\x00garbage" * 500)
    else:
        path.write_bytes(good_pdf.read_bytes()[:4000])
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "preflight", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 1 and "FAILED" in result.stdout, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    if kind == "password":
        assert "password" in result.stdout and "encryption" in result.stdout
