"""Ink: total area coverage over a small square, and the plates each page uses.

One Ghostscript render per file, started before the content checks and read after them (the two
overlap in time): a CMYK composite at a third of the measuring square per pixel, overprint as on
press, spot inks shown through their alternates (`tiff32nc`, -dOverprint=/simulate). The process
plates a page inks are read from the composite, where a spot's alternate also shows as process
ink; when the plate count decides pass or fail (a plate limit, and spot inks that could push a
page over it), the render is a `tiffsep` one instead (the composite plus one grey image per
plate, 0 = full ink; about 15 % slower), and the process plates are read from the separations.

Total area coverage (TAC) is what a plant limits (ISO 12647-3: 240 % on coldset newsprint), and it
limits it over an area, not at a pixel: a stroke of 100 % K body text overprinting a 215 % red is
not a place where the ink does not dry. So the composite is rendered with pixels of a third of the
measuring square (`ink_area`, 1.5 mm by default) and the measure at a place is the total ink held
over the whole square there (the least total within the square: a grey erosion, Pillow's
MinFilter), the highest of which is compared with the limit. A real 300 % patch of 2 mm holds
300 % over a 1.5 mm square and fails; text strokes thinner than the square do not.
(An average over the square does not do: 9 pt Song body text over a 215 % red averages 250-285 %
over 1.5 mm, at any resolution.)

At a third of the square a pixel is wider than a stroke of a 12 pt heading, and Ghostscript paints
every pixel a stroke touches, so dense black type over a tint reads as a solid square. The coarse
render can only overstate what a square holds; where it says a square is over the limit, that
page alone is rendered again with pixels of a ninth of the square (FINE_STEPS), whose measure is
the verdict. Pages whose coarse measure is within the limit, most pages, cost one coarse render.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

DEFAULT_INK_AREA = 1.5  # mm
MIN_DPI, MAX_DPI = 50.0, 200.0
COARSE_STEPS, FINE_STEPS = 3, 9  # pixels across the square (odd: whole windows), coarse and confirming renders
PROCESS_PLATES = (("Cyan", "C"), ("Magenta", "M"), ("Yellow", "Y"), ("Black", "K"))


def render_dpi(ink_area: float, steps: int = COARSE_STEPS) -> float:
    """Pixels of 1/steps of the measuring square, within what a page render can afford."""
    return min(MAX_DPI * steps / COARSE_STEPS, max(MIN_DPI, steps * 25.4 / max(ink_area, 0.01)))


@dataclass
class PageInk:
    point_peak: float  # highest total ink at one pixel, percent
    area_peak: float | None  # highest total ink held over a whole square (measured only if needed)
    where: tuple[float, float] | None  # mm from the top left of the rendered (bleed) box, when over
    plates: list[str]  # process plates that carry ink: C M Y K


class InkRender:
    """A Ghostscript render running in the background; `result()` waits for it."""

    def __init__(self, path: Path, ink_area: float, separations: bool):
        self.path = path
        self.ink_area = ink_area
        self.separations = separations
        self.dpi = render_dpi(ink_area)
        self.folder = Path(tempfile.mkdtemp(prefix="pagecomposer-preflight-"))
        self.process = None
        self.error = ""
        gs = shutil.which("gs")
        if gs is None:
            self.error = "not measured: Ghostscript (gs) is not installed"
            return
        self.process = subprocess.Popen(
            [gs, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sCompression=none",
             *(["-sDEVICE=tiffsep"] if separations else ["-sDEVICE=tiff32nc", "-dOverprint=/simulate"]),
             "-dUseBleedBox",  # the printed product: marks in the slug are cut off
             f"-r{self.dpi:.2f}", f"-sOutputFile={self.folder / 'page-%03d.tif'}", str(path)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)

    def wait(self) -> tuple[int, str]:
        if self.process is None:
            return -1, self.error
        out, err = self.process.communicate()
        return self.process.returncode, (err or "").strip() or (out or "").strip()

    def pages(self) -> list[Path]:
        return sorted(p for p in self.folder.glob("page-*.tif") if "(" not in p.name)

    def measure(self, composite: Path, limit: float, has_spots: bool) -> PageInk:
        """The page's highest total ink. The area measure is needed only where a single point is
        over `limit` (the ink held over a square is never above its highest point), so the filter
        runs only then."""
        from PIL import Image

        with Image.open(composite) as image:
            image.load()
            point_peak, total = _highest_total(image)
            area_peak, where = None, None
            if point_peak > limit:
                area_peak, where = _held_over_square(total, self.ink_area, self.dpi)
                if area_peak > limit:  # perhaps only strokes the coarse pixels fattened: look closer
                    area_peak, where = self._confirm(composite)
                if area_peak <= limit:
                    where = None
            if self.separations and has_spots:  # the composite shows spots as process ink too
                plates = []
                for name, letter in PROCESS_PLATES:
                    separation = composite.with_name(f"{composite.stem}({name}).tif")
                    if separation.is_file():
                        with Image.open(separation) as plate:
                            if plate.getextrema()[0] < 255:  # 0 is full ink, 255 none
                                plates.append(letter)
            else:
                plates = [letter for (_, letter), (_, high) in zip(PROCESS_PLATES, image.getextrema()) if high > 0]
        return PageInk(point_peak, area_peak, where, plates)

    def _confirm(self, composite: Path) -> tuple[float, tuple[float, float] | None]:
        """The ink held over a square on this page, from a render at FINE_STEPS per square."""
        from PIL import Image

        number = int(composite.stem.rsplit("-", 1)[1])
        dpi = render_dpi(self.ink_area, FINE_STEPS)
        target = self.folder / f"fine-{number:03d}.tif"
        done = subprocess.run([shutil.which("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sCompression=none",
                               "-sDEVICE=tiff32nc", "-dOverprint=/simulate", "-dUseBleedBox",
                               f"-dFirstPage={number}", f"-dLastPage={number}", f"-r{dpi:.2f}",
                               f"-sOutputFile={target}", str(self.path)], capture_output=True, text=True)
        if done.returncode != 0 or not target.is_file():
            raise RuntimeError(f"Ghostscript could not render page {number} again: {done.stderr.strip()[:200]}")
        with Image.open(target) as image:
            image.load()
            _, total = _highest_total(image)
        return _held_over_square(total, self.ink_area, dpi)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()
        shutil.rmtree(self.folder, ignore_errors=True)


def _highest_total(image) -> tuple[float, object]:
    """Highest C+M+Y+K of a CMYK image, percent, and the total as an "I" image."""
    from PIL import ImageMath

    c, m, y, k = (band.convert("I") for band in image.split())
    total = ImageMath.lambda_eval(lambda a: a["c"] + a["m"] + a["y"] + a["k"], c=c, m=m, y=y, k=k)
    return total.getextrema()[1] / 255 * 100, total


def _held_over_square(total, ink_area: float, dpi: float) -> tuple[float, tuple[float, float] | None]:
    """The highest total ink held over a whole square of ink_area mm (grey erosion), and where."""
    from PIL import ImageFilter

    window = int(round(ink_area / 25.4 * dpi))  # pixels across the square
    window -= 1 - window % 2  # odd, as the filter needs; one less is the stricter side
    held = total.filter(ImageFilter.MinFilter(window)) if window > 1 else total
    peak = held.getextrema()[1] / 255 * 100
    return peak, _locate(held, peak, dpi)


def _locate(total, peak: float, dpi: float) -> tuple[float, float] | None:
    from PIL import ImageMath

    level = peak / 100 * 255 - 0.5
    box = ImageMath.lambda_eval(lambda a: (a["t"] >= level) * 255, t=total).convert("L").getbbox()
    return (box[0] / dpi * 25.4, box[1] / dpi * 25.4) if box else None
