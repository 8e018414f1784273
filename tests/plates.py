"""Reading a page's plates back as the plant does: Ghostscript's tiffsep device writes one greyscale
TIFF per separation (process and spot), 255 = no ink, 0 = solid."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

PROCESS = ("Cyan", "Magenta", "Yellow", "Black")


@dataclass
class Plates:
    dpi: float
    origin: float  # pt from the MediaBox edge to the trim edge (the display list's origin)
    images: dict[str, Image.Image]  # separation name -> its plate (L mode)

    def at(self, x: float, y: float) -> dict[str, float]:
        """Ink in percent on every plate at a point of the display list (pt from the trim's top left)."""
        px = round((x + self.origin) * self.dpi / 72)
        py = round((y + self.origin) * self.dpi / 72)
        return {name: (255 - image.getpixel((px, py))) / 255 * 100 for name, image in self.images.items()}

    def inked(self) -> set[str]:
        """The separations that carry any ink at all."""
        return {name for name, image in self.images.items() if image.getextrema()[0] < 255}


def separate(pdf: Path, origin: float, dpi: float = 36) -> Plates:
    """Every plate of the (single-page) PDF, rendered at dpi with overprint as the press does it."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "page.tif"
        subprocess.run([shutil.which("gs"), "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiffsep",
                        f"-r{dpi}", f"-sOutputFile={target}", str(pdf)], check=True, capture_output=True)
        images = {}
        for tif in Path(folder).glob("page(*).tif"):
            name = re.fullmatch(r"page\((.*)\)\.tif", tif.name).group(1)
            with Image.open(tif) as image:
                images[name] = image.convert("L").copy()
    return Plates(dpi, origin, images)
