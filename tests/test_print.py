"""Print-ready output: PDF/X-4, overprinting black, spot colours, printer's marks, ink limits."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from pagecomposer.pipeline import build
from pagecomposer.render.marks import SLUG
from tests.conftest import EXAMPLE
from tests.test_spec_errors import _layout_copy, _line_of, assert_clean_failure, run_build

GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def test_pdfx4_needs_and_embeds_the_press_profile(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(EXAMPLE), "-o", str(tmp_path / "a"),
                             "--pdfx", "4"], capture_output=True, text=True)
    assert result.returncode == 2 and "PDF/X-4 needs the output ICC profile" in result.stderr
    if not GS_CMYK.is_file():
        pytest.skip("needs a CMYK ICC profile (Ghostscript's default_cmyk.icc)")
    issue = _layout_copy(tmp_path, lambda t: t + "print:\n  icc_profile: press.icc\n")
    shutil.copy(GS_CMYK, tmp_path / "layouts" / "press.icc")
    built = build(issue, tmp_path / "b", pdfx="4", preflight=True)
    assert built.preflight[0].passed, built.preflight[0].table()
    with pikepdf.open(built.outputs[0]) as pdf:
        assert pdf.pdf_version == "1.6"
        intent = pdf.Root.OutputIntents[0]
        assert intent.DestOutputProfile.read_bytes() == GS_CMYK.read_bytes()
        with pdf.open_metadata() as meta:
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"


def test_black_text_overprints_and_nothing_else_does(tmp_path):
    path = build(EXAMPLE, tmp_path).outputs[0]
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        states = page.Resources.ExtGState
        state = None
        overprinting_fills = set()
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "gs" and Pdf_op(states[operands[0]]) is not None:
                state = Pdf_op(states[operands[0]])
            elif op == "k":
                colour = tuple(float(v) for v in operands)
                overprinting_fills.add((colour, state))
    assert ((0.0, 0.0, 0.0, 1.0), True) in overprinting_fills  # body text: 100 % K, overprint on
    assert not any(state for colour, state in overprinting_fills if colour != (0.0, 0.0, 0.0, 1.0))


def Pdf_op(state):
    return bool(state.op) if "/op" in state else None


def test_spot_colour_is_a_separation(tmp_path):
    path = build(EXAMPLE, tmp_path).outputs[0]
    with pikepdf.open(path) as pdf:
        spaces = pdf.pages[0].Resources.ColorSpace
        separations = {str(s[1]): s for s in spaces.values() if s[0] == "/Separation"}
        assert "/Masthead-Red" in separations
        assert separations["/Masthead-Red"][2] == "/DeviceCMYK"  # its alternate, for proofs


def test_marks_sit_in_a_slug_outside_the_bleed(tmp_path):
    path = build(EXAMPLE, tmp_path, marks=("crop", "registration", "colorbar", "info"), preflight=True)
    report = path.preflight[0]
    assert report.passed, report.table()
    with pikepdf.open(path.outputs[0]) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.TrimBox]
        bleed = [float(v) for v in page.BleedBox]
        three_mm = 3 * 72 / 25.4
        assert trim[2] - trim[0] == pytest.approx(390 * 72 / 25.4) and trim[3] - trim[1] == pytest.approx(550 * 72 / 25.4)
        assert bleed[0] == pytest.approx(trim[0] - three_mm, abs=0.01) and media[0] == 0
        assert bleed[0] == pytest.approx(SLUG, abs=0.01)
        assert any(s[0] == "/Separation" and s[1] == "/All" for s in page.Resources.ColorSpace.values())
    display = path.pages[0].display
    from pagecomposer.display import Rule
    marks = [i for i in display.items if isinstance(i, Rule) and i.color.spot == "All"]
    assert len(marks) >= 8
    for rule in marks:  # every mark lies outside the bleed
        outside_x = max(rule.x1, rule.x2) < -display.bleed or min(rule.x1, rule.x2) > display.trim_width + display.bleed
        outside_y = max(rule.y1, rule.y2) < -display.bleed or min(rule.y1, rule.y2) > display.trim_height + display.bleed
        assert outside_x or outside_y, rule


def test_unknown_mark_is_an_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(EXAMPLE), "-o", str(tmp_path),
                             "--marks", "crop,colourbar"], capture_output=True, text=True)
    assert result.returncode == 2 and "unknown mark 'colourbar'" in result.stderr


def test_swatch_over_the_ink_limit_is_an_error(tmp_path):
    issue = _layout_copy(tmp_path, lambda t: t.replace("rich-black: [40, 30, 30, 100]", "rich-black: [80, 70, 70, 100]"))
    line = _line_of(tmp_path / "layouts" / "broadsheet.yaml", "rich-black: [80")
    result = run_build(issue, tmp_path / "out")
    assert_clean_failure(result, tmp_path / "out", f"broadsheet.yaml:{line}:", "320% total ink", "limit is 240%")
