"""What an ICC output profile says it is, and which registered printing condition that is.

A PDF/X OutputIntent names the printing condition twice: by an identifier (a name from the ICC
Characterization Data Registry, e.g. IFRA26, or "Custom") and, when a profile is embedded, by the
profile itself. The two must agree, or the plant proofs and plates to different targets. The
profile's own description (its 'desc' tag) is what tells us what it characterizes.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTRY = "http://www.color.org"

# Registered characterizations (ICC Characterization Data Registry, color.org/registry) and the
# words their usual profiles carry in their descriptions, e.g. ISOnewspaper26v4 and
# WAN-IFRAnewspaper26v5 for IFRA26, ISO Coated v2 (ECI) for FOGRA39, PSO Coated v3 for FOGRA51.
REGISTERED = {
    "IFRA26": ("IFRA26", "newspaper26", "ISOnewspaper26", "ISO 12647-3 coldset"),
    "IFRA30": ("IFRA30", "newspaper30"),
    "FOGRA39": ("FOGRA39", "ISO Coated v2", "Coated FOGRA39"),
    "FOGRA47": ("FOGRA47", "PSO Uncoated ISO12647"),
    "FOGRA51": ("FOGRA51", "PSO Coated v3"),
    "FOGRA52": ("FOGRA52", "PSO Uncoated v3"),
    "CGATS TR 001": ("CGATS TR 001", "SWOP"),
    "CGATS TR 006": ("CGATS TR 006", "GRACoL"),
    "JC200103": ("JC200103", "Japan Color 2001 Coated"),
}
REGISTERED_INFO = {
    "IFRA26": "ISO 12647-3 coldset offset on newsprint (IFRA26)",
    "IFRA30": "ISO 12647-3 coldset offset on improved newsprint (IFRA30)",
}


class ProfileError(ValueError):
    """The file is not a CMYK output profile (its message says what it is instead)."""


@dataclass(frozen=True)
class Profile:
    description: str
    registered_as: str | None  # the registered characterization it describes, if it names one


def characterization_of(text: str) -> str | None:
    """The registered condition a description or identifier names (by its usual words), if any."""
    folded = re.sub(r"[\s_-]", "", text).casefold()
    for name, words in REGISTERED.items():
        if any(re.sub(r"[\s_-]", "", word).casefold() in folded for word in words):
            return name
    return None


@lru_cache(maxsize=8)
def read_profile(path: Path) -> Profile:
    """The profile's description and what it characterizes; ProfileError unless it is a CMYK
    output ('prtr') profile, the only kind a PDF/X OutputIntent may embed for a CMYK press."""
    data = Path(path).read_bytes()
    if len(data) < 128 or data[36:40] != b"acsp":
        raise ProfileError("not an ICC profile")
    device_class, space = data[12:16], data[16:20]
    if space != b"CMYK" or device_class != b"prtr":
        raise ProfileError(f"an ICC profile of class '{device_class.decode('latin-1').strip()}' for "
                           f"'{space.decode('latin-1').strip()}', not a CMYK output (printer) profile")
    from PIL import ImageCms

    try:
        description = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile.profile_description or ""
    except (OSError, ImageCms.PyCMSError) as exc:
        raise ProfileError(f"an ICC profile that cannot be read ({exc})") from None
    description = description.strip() or Path(path).stem
    return Profile(description, characterization_of(description))
