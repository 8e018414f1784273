"""Photos and ad files: placement, resolution, colour, captions, and PDF ads kept as vectors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pagecomposer.pipeline import build
from pagecomposer.layout.grid import Rect
from pagecomposer.layout.pictures import SourceInfo, placement
from pagecomposer.preflight import preflight
from tests.conftest import EXAMPLE, ROOT

GS_CMYK = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")


def test_fit_keeps_all_of_the_picture_inside_the_frame():
    frame = Rect(0, 0, 200, 100)
    placed = placement(frame, SourceInfo("raster", 400, 400), (0, 0, 1, 1), "fit")
    assert (placed.width, placed.height) == (100, 100) and placed.x == 50 and placed.y == 0


def test_fill_covers_the_frame_and_is_cut_at_its_edges():
    frame = Rect(0, 0, 200, 100)
    placed = placement(frame, SourceInfo("raster", 400, 400), (0, 0, 1, 1), "fill")
    assert (placed.width, placed.height) == (200, 200) and placed.y == -50


def test_crop_takes_the_visible_part_only():
    frame = Rect(0, 0, 100, 100)
    placed = placement(frame, SourceInfo("raster", 400, 200), (0.25, 0, 0.75, 1), "fill")  # a 200x200 centre
    assert (placed.width, placed.height) == (100, 100)


def _photo_issue(tmp_path: Path, image: Path, extra: str = "", layout_print: str = "") -> Path:
    (tmp_path / "articles").mkdir(exist_ok=True)
    shutil.copy(ROOT / "articles" / "lianghui-chanye.md", tmp_path / "articles")
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
      - type: image
        file: {image.name}
        columns: 1-4
        lines: 1-40
        caption: 图为改造后的小区一角。本报记者 林晓岚 摄
{extra}
""", encoding="utf-8")
    return issue


def test_photo_is_placed_in_cmyk_with_its_caption_on_the_grid(tmp_path):
    photo = tmp_path / "photo.jpg"
    Image.new("CMYK", (2400, 1800), (10, 60, 200, 0)).save(photo, quality=92)
    result = build(_photo_issue(tmp_path, photo), tmp_path / "out")
    assert result.warnings == []
    page = result.pages[0]
    caption = page.display.runs("caption")
    assert caption and abs(caption[-1].baseline - page.grid.baseline(40)) < 0.01  # last caption line on line 40
    with pikepdf.open(result.outputs[0]) as pdf:
        images = [x for x in pdf.pages[0].Resources.XObject.values() if x.get("/Subtype") == "/Image"]
        assert len(images) == 1 and images[0].ColorSpace == "/DeviceCMYK" and images[0].Width == 2400
    report = preflight(result.outputs[0])
    resolution = [f for f in report.findings if f.check == "image-resolution"]
    assert resolution and resolution[0].ok


def test_low_resolution_photo_is_reported(tmp_path):
    photo = tmp_path / "small.jpg"
    Image.new("CMYK", (300, 240), (0, 0, 0, 80)).save(photo)
    result = build(_photo_issue(tmp_path, photo), tmp_path / "out")
    assert any("ppi at its printed size" in str(w) for w in result.warnings)


def test_rgb_photo_is_refused_with_a_clear_message(tmp_path):
    photo = tmp_path / "rgb.png"
    Image.new("RGB", (1800, 1400), (200, 30, 30)).save(photo)
    issue = _photo_issue(tmp_path, photo)
    result = subprocess.run([sys.executable, "-m", "pagecomposer", "build", str(issue), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "is RGB" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "P1.pdf").exists()


@pytest.mark.skipif(not GS_CMYK.is_file(), reason="needs a CMYK ICC profile (Ghostscript's default_cmyk.icc)")
def test_rgb_photo_is_converted_through_the_press_profile(tmp_path):
    photo = tmp_path / "rgb.png"
    Image.new("RGB", (2400, 1800), (200, 30, 30)).save(photo)
    profile = tmp_path / "layouts" / "press.icc"
    issue = _photo_issue(tmp_path, photo, layout_print="print:\n  rgb_images: convert\n  icc_profile: press.icc\n")
    shutil.copy(GS_CMYK, profile)
    result = build(issue, tmp_path / "out", preflight=True)
    assert result.preflight[0].passed, result.preflight[0].table()
    with pikepdf.open(result.outputs[0]) as pdf:
        image = next(x for x in pdf.pages[0].Resources.XObject.values() if x.get("/Subtype") == "/Image")
        assert image.ColorSpace == "/DeviceCMYK"


def test_pdf_ad_is_placed_as_vectors(tmp_path):
    result = build(EXAMPLE, tmp_path)
    with pikepdf.open(result.outputs[0]) as pdf:
        xobjects = pdf.pages[0].Resources.XObject
        forms = [x for x in xobjects.values() if x.get("/Subtype") == "/Form"]
        assert len(forms) == 1
        ad = forms[0]
        assert not any(x.get("/Subtype") == "/Image" for x in ad.get("/Resources", {}).get("/XObject", {}).values())
        operators = {str(op) for _, op in pikepdf.parse_content_stream(ad)}
        assert "re" in operators and "Tj" in operators  # rectangles and text: vectors
        assert operators & {"f", "f*", "B", "S"}  # painted as paths
        assert "/Font" in ad.Resources
    images = [x for x in xobjects.values() if x.get("/Subtype") == "/Image"]
    assert images == []  # nothing on the page was rasterised
