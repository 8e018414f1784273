"""Colour as specified: every swatch reaches the separations with the values the layout gives it,
read back from Ghostscript's tiffsep plates, as the plant's RIP would make them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pagecomposer import resources
from pagecomposer.display import Box, GlyphRun
from pagecomposer.pipeline import build
from pagecomposer.render.marks import COLOR_BAR
from pagecomposer.spec.load import load_layout
from tests.conftest import ROOT
from tests.plates import PROCESS, separate

pytestmark = pytest.mark.skipif(shutil.which("gs") is None, reason="the plates are made by Ghostscript")

SHIPPED = sorted(path.stem for path in resources.layouts_dir().glob("*.yaml"))
TOLERANCE = 1.0  # percent: an 8-bit plate holds steps of 0.4 %
CELL_LINES = 8


def _swatch_page(folder: Path, layout_name: str, swatches: list[str], text_on: dict[str, str] | None = None) -> Path:
    """An issue of one page: an ad per swatch, filled with it, in a grid of cells."""
    layout = load_layout(_layout_path(folder, layout_name))
    columns = layout.grid.columns
    elements = []
    for index, name in enumerate(swatches):
        column = index % columns + 1
        first = (index // columns) * (CELL_LINES + 1) + 1
        assert first + CELL_LINES - 1 <= layout.grid.lines_per_column, "too many swatches for one page"
        element = f"      - {{type: ad, name: s{index}, columns: {column}, lines: {first}-{first + CELL_LINES - 1}, background: {name}"
        if text_on and name in text_on:
            element += f", text: [{{text: 墨色叠印, style: ad-text, color: {text_on[name]}}}]"
        elements.append(element + "}")
    issue = folder / "issue.yaml"
    issue.write_text("paper: 测试\ndate: 2021-03-05\npages:\n  - id: S1\n    layout: " + layout_name
                     + "\n    elements:\n" + "\n".join(elements) + "\n", encoding="utf-8")
    return issue


def _layout_path(folder: Path, name: str) -> Path:
    own = folder / "layouts" / f"{name}.yaml"
    return own if own.is_file() else resources.layouts_dir() / f"{name}.yaml"


def _centre(box: Box) -> tuple[float, float]:
    return box.x + box.width / 2, box.y + box.height / 2


def _filled_boxes(page, ink) -> list[Box]:
    return [item for item in page.display.items if isinstance(item, Box) and item.fill == ink and item.width > 20]


def _expected(ink) -> dict[str, float]:
    if ink.spot:
        return {**{plate: 0.0 for plate in PROCESS}, ink.spot: 100.0}
    return dict(zip(PROCESS, (ink.c * 100, ink.m * 100, ink.y * 100, ink.k * 100)))


def _assert_plates(got: dict[str, float], expected: dict[str, float], what: str) -> None:
    for plate, value in got.items():
        want = expected.get(plate, 0.0)
        assert abs(value - want) <= TOLERANCE, f"{what}: {plate} plate has {value:.1f} %, the swatch says {want:.0f} %"


@pytest.mark.parametrize("layout_name", SHIPPED)
def test_every_shipped_swatch_reaches_its_plates(tmp_path, layout_name):
    layout = load_layout(resources.layouts_dir() / f"{layout_name}.yaml")
    names = sorted(layout.swatches)
    issue = _swatch_page(tmp_path, layout_name, names)
    built = build(issue, tmp_path / "out")
    page = built.pages[0]
    plates = separate(built.outputs[0], page.display.origin)
    spots = {ink.spot for ink in layout.swatches.values() if ink.spot}
    assert set(plates.images) == set(PROCESS) | spots  # no plate that no swatch asked for
    for name in names:
        ink = layout.swatches[name]
        boxes = _filled_boxes(page, ink)
        assert boxes, name
        _assert_plates(plates.at(*_centre(boxes[0])), _expected(ink), f"{layout_name} swatch {name}")


NEUTRALS = """
  neutral-50: [50, 50, 50, 50]
  neutral-30: [30, 30, 30, 0]
  cmy-grey: [20, 20, 20, 20]
  near-black: [60, 50, 50, 80]
  k-tint: [0, 0, 0, 30]
  spot-gold: {cmyk: [0, 20, 60, 20], spot: Gold-871}
"""


def _layout_with(tmp_path: Path, extra: str) -> None:
    (tmp_path / "layouts").mkdir()
    text = (ROOT / "layouts" / "broadsheet.yaml").read_text(encoding="utf-8")
    text = text.replace("swatches:\n", "swatches:" + extra, 1)
    (tmp_path / "layouts" / "broadsheet.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts", ignore=shutil.ignore_patterns("*.txt", "*.md"))


def test_neutral_rich_black_and_spot_swatches_keep_every_plate(tmp_path):
    _layout_with(tmp_path, NEUTRALS)
    names = ["neutral-50", "neutral-30", "cmy-grey", "near-black", "k-tint", "spot-gold", "rich-black", "masthead-red"]
    issue = _swatch_page(tmp_path, "broadsheet", names)
    built = build(issue, tmp_path / "out", preflight=True)
    assert built.preflight[0].passed, built.preflight[0].table()
    page = built.pages[0]
    layout = load_layout(tmp_path / "layouts" / "broadsheet.yaml")
    plates = separate(built.outputs[0], page.display.origin)
    assert set(plates.images) == set(PROCESS) | {"Gold-871", "Masthead-Red"}
    for name in names:
        ink = layout.swatches[name]
        _assert_plates(plates.at(*_centre(_filled_boxes(page, ink)[0])), _expected(ink), name)


def test_black_text_overprints_a_tint_and_rich_black_knocks_nothing_out(tmp_path):
    issue = _swatch_page(tmp_path, "broadsheet", ["news-red", "tint"], text_on={"news-red": "black", "tint": "black"})
    built = build(issue, tmp_path / "out")
    page = built.pages[0]
    plates = separate(built.outputs[0], page.display.origin, dpi=150)
    layout = load_layout(resources.layouts_dir() / "broadsheet.yaml")
    for name in ("news-red", "tint"):
        tint = layout.swatches[name]
        box = _filled_boxes(page, tint)[0]
        runs = [run for run in page.display.runs() if box.x <= run.xs[0] <= box.x + box.width
                and box.y <= run.baseline <= box.y + box.height]
        assert runs and all(run.color.is_plain_black for run in runs)
        # Under every solid black pixel of the text, the tint is still there: the black overprints.
        x0, x1 = runs[0].xs[0], runs[0].xs[-1] + runs[0].size
        y0, y1 = runs[0].baseline - runs[0].size, runs[0].baseline
        solid = 0
        steps = 60
        for i in range(steps):
            for j in range(steps // 3):
                values = plates.at(x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * j / (steps // 3))
                if values["Black"] > 99:
                    solid += 1
                    _assert_plates(values, {**_expected(tint), "Black": 100.0}, f"black text on {name}")
        assert solid > 20  # the glyphs were really hit


def test_colour_bar_patches_reach_their_plates(tmp_path):
    issue = _swatch_page(tmp_path, "broadsheet", ["paper", "masthead-red"])
    built = build(issue, tmp_path / "out", marks=("colorbar",))
    page = built.pages[0]
    plates = separate(built.outputs[0], page.display.origin)
    patches = [item for item in page.display.items if isinstance(item, Box) and item.y > page.display.trim_height]
    assert [box.fill for box in patches] == COLOR_BAR + [load_layout(resources.layouts_dir() / "broadsheet.yaml")
                                                         .swatches["masthead-red"]]  # the page's spot plate
    for box in patches:
        _assert_plates(plates.at(*_centre(box)), _expected(box.fill), f"colour bar patch {box.fill}")


def test_coloured_type_knocks_out_in_its_own_swatch(tmp_path):
    """Gold type on a red ad: where a glyph is, the plates carry gold exactly (it knocks out the red)."""
    issue = _swatch_page(tmp_path, "broadsheet", ["bank-red"], text_on={"bank-red": "gold"})
    built = build(issue, tmp_path / "out")
    page = built.pages[0]
    swatches = load_layout(resources.layouts_dir() / "broadsheet.yaml").swatches
    runs = [run for run in page.display.runs() if run.role == "ad"]
    assert runs and all(run.color == swatches["gold"] for run in runs)
    plates = separate(built.outputs[0], page.display.origin, dpi=150)
    box = _filled_boxes(page, swatches["bank-red"])[0]
    in_glyph = 0
    for i in range(80):
        for j in range(160):
            values = plates.at(box.x + box.width * i / 80, box.y + box.height * j / 160)
            if values["Magenta"] < 50:  # red has 100 % M, gold 25 %: this pixel is type
                in_glyph += 1
                _assert_plates(values, _expected(swatches["gold"]), "gold type")
    assert in_glyph > 20


def _bbox(item) -> tuple[float, float, float, float] | None:
    from pagecomposer.display import Circle, Picture, Rule

    if isinstance(item, GlyphRun):
        return item.xs[0] - 1, item.baseline - item.size * 1.2, item.xs[-1] + item.size * 1.2, item.baseline + item.size * 0.4
    if isinstance(item, Box):
        return item.x - item.stroke_width, item.y - item.stroke_width, item.x + item.width + item.stroke_width, item.y + item.height + item.stroke_width
    if isinstance(item, Rule):
        pad = item.width + 1
        return min(item.x1, item.x2) - pad, min(item.y1, item.y2) - pad, max(item.x1, item.x2) + pad, max(item.y1, item.y2) + pad
    if isinstance(item, Circle):
        return item.x - item.radius - 1, item.y - item.radius - 1, item.x + item.radius + 1, item.y + item.radius + 1
    if isinstance(item, Picture):
        x, y, w, h = item.frame
        return x, y, x + w, y + h
    return None


def _clear_points(items, index: int, box: Box, pixel: float):
    """Points inside a filled box that nothing drawn after it covers (within a pixel of margin)."""
    later = [b for b in (_bbox(item) for item in items[index + 1:]) if b]
    for i in range(1, 8):
        for j in range(1, 8):
            x, y = box.x + box.width * i / 8, box.y + box.height * j / 8
            if not any(x0 - pixel <= x <= x1 + pixel and y0 - pixel <= y <= y1 + pixel for x0, y0, x1, y1 in later):
                yield x, y


@pytest.mark.parametrize("example", ["lianghui", "features", "edition"])
def test_example_pages_plates_carry_their_swatches_and_nothing_else(tmp_path, example):
    built = build(ROOT / "examples" / example / "issue.yaml", tmp_path / "out")
    for page, output in zip(built.pages, built.outputs):
        items = page.display.items
        plates = separate(output, page.display.origin)
        inks = {getattr(item, attr) for item in items for attr in ("fill", "stroke", "color") if getattr(item, attr, None)}
        spots = {ink.spot for ink in inks if ink.spot}
        # No plate beyond the process four and the spots our swatches name (the example ads are CMYK).
        assert set(plates.images) == set(PROCESS) | spots, (page.display.id, set(plates.images))
        checked = 0
        for index, item in enumerate(items):
            if isinstance(item, Box) and item.fill and item.width > 10 and item.height > 10:
                for x, y in _clear_points(items, index, item, 72 / plates.dpi * 1.5):
                    _assert_plates(plates.at(x, y), _expected(item.fill), f"{page.display.id} box {item.fill}")
                    checked += 1
        assert checked or not any(isinstance(item, Box) and item.fill for item in items)


@pytest.mark.parametrize("name", ["All", "None", "Cyan", "black"])
def test_a_spot_swatch_may_not_take_a_plate_name_of_its_own(tmp_path, name):
    from tests.test_spec_errors import assert_clean_failure, run_build

    _layout_with(tmp_path, f"\n  odd: {{cmyk: [0, 50, 100, 0], spot: {name}}}\n")
    issue = tmp_path / "issue.yaml"
    issue.write_text("pages:\n  - id: S1\n    layout: broadsheet\n    elements:\n"
                     "      - {type: ad, name: a, columns: 1, lines: 1-8, background: odd}\n", encoding="utf-8")
    line = next(n for n, text in enumerate((tmp_path / "layouts" / "broadsheet.yaml").read_text(encoding="utf-8")
                                           .splitlines(), 1) if "odd:" in text)
    assert_clean_failure(run_build(issue, tmp_path / "out"), tmp_path / "out", f"broadsheet.yaml:{line}:",
                         f"'{name}' names", "not a spot ink")
