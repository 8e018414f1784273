"""What an ICC output profile says it is, and which registered printing condition that is.

A PDF/X OutputIntent names the printing condition twice: by an identifier (a name from the ICC
Characterization Data Registry, e.g. IFRA26, or "Custom") and, when a profile is embedded, by the
profile itself. The two must agree, or the plant proofs and plates to different targets. The
profile's own description (its 'desc' tag) is what tells us what it characterizes. The writer
(spec/load.py, render/pdfx.py) and preflight (preflight/intent.py) read the same table.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTRY_URL = "http://www.color.org"


@dataclass(frozen=True)
class Characterization:
    identifier: str  # as registered
    description: str
    family: str  # characterizations that are the same printing condition share a family
    profile_names: str  # regex matching descriptions of ICC profiles made for it


# From the ICC Characterization Data Registry (color.org/chardata/registry), the conditions a
# newspaper or commercial plant names: offset (ISO 12647-2), newsprint coldset (ISO 12647-3),
# US (CGATS) and Japanese conditions.
REGISTRY = [
    Characterization("FOGRA27", "ISO 12647-2:2004 offset, paper types 1/2 (ISO Coated)", "FOGRA27",
                     r"iso\s*coated(?!\s*v2)|fogra\s*27"),
    Characterization("FOGRA28", "ISO 12647-2:2004 heatset web, paper type 3 (ISO Web Coated)", "FOGRA28",
                     r"iso\s*web\s*coated|fogra\s*28"),
    Characterization("FOGRA29", "ISO 12647-2:2004 offset, paper type 4 (ISO Uncoated)", "FOGRA29",
                     r"iso\s*uncoated(?!\s*yellowish)|fogra\s*29"),
    Characterization("FOGRA30", "ISO 12647-2:2004 offset, paper type 5 (ISO Uncoated Yellowish)", "FOGRA30",
                     r"uncoated\s*yellowish|fogra\s*30"),
    Characterization("FOGRA39", "ISO 12647-2:2004/Amd 1 offset, paper types 1/2 (ISO Coated v2)", "FOGRA39",
                     r"coated\s*v2|fogra\s*39"),
    Characterization("FOGRA40", "ISO 12647-2:2004/Amd 1 web offset, SC paper", "FOGRA40",
                     r"\bsc\s*paper|fogra\s*40"),
    Characterization("FOGRA45", "ISO 12647-2:2004/Amd 1 web offset, LWC improved", "FOGRA45",
                     r"lwc\s*improved|fogra\s*45"),
    Characterization("FOGRA46", "ISO 12647-2:2004/Amd 1 web offset, LWC standard", "FOGRA46",
                     r"lwc\s*standard|fogra\s*46"),
    Characterization("FOGRA47", "ISO 12647-2:2004/Amd 1 offset, uncoated white (PSO Uncoated)", "FOGRA47",
                     r"pso\s*uncoated\s*iso|fogra\s*47"),
    Characterization("FOGRA51", "ISO 12647-2:2013 offset, PS1 premium coated (PSO Coated v3)", "FOGRA51",
                     r"pso\s*coated\s*v3|fogra\s*51"),
    Characterization("FOGRA52", "ISO 12647-2:2013 offset, PS5 wood-free uncoated (PSO Uncoated v3)", "FOGRA52",
                     r"pso\s*uncoated\s*v3|fogra\s*52"),
    Characterization("IFRA26", "ISO 12647-3:2004 coldset offset on standard newsprint", "IFRA26",
                     r"news\s*paper\s*26|ifra\s*26"),
    Characterization("IFRA30", "ISO 12647-3:2004 coldset offset on improved newsprint", "IFRA30",
                     r"news\s*paper\s*30|ifra\s*30"),
    Characterization("CGATS TR 001", "SWOP: US publication web offset, grade 5", "SWOP",
                     r"swop|tr\s*0*01\b"),
    Characterization("CGATS TR 002", "SNAP: US coldset newsprint", "SNAP", r"\bsnap\b|tr\s*0*02\b"),
    Characterization("CGATS TR 003", "US web offset, grade 5 paper", "SWOP", r"tr\s*0*03\b"),
    Characterization("CGATS TR 005", "US sheetfed offset, grade 1 paper", "TR005", r"tr\s*0*05\b"),
    Characterization("CGATS TR 006", "GRACoL 2006 coated #1 (sheetfed offset)", "GRACOL",
                     r"gracol|tr\s*0*06\b"),
    Characterization("SWOP2006_Coated3", "SWOP 2006 coated #3", "SWOP", r"swop"),
    Characterization("SWOP2006_Coated5", "SWOP 2006 coated #5", "SWOP", r"swop"),
    Characterization("GRACoL2006_Coated1", "GRACoL 2006 coated #1", "GRACOL", r"gracol"),
    Characterization("CGATS21-2-CRPC5", "CGATS 21-2 CRPC5 (SWOP 2013)", "SWOP", r"swop|crpc\s*5"),
    Characterization("CGATS21-2-CRPC6", "CGATS 21-2 CRPC6 (GRACoL 2013)", "GRACOL", r"gracol|crpc\s*6"),
    Characterization("JC200103", "Japan Color 2001 Coated", "JC2001C", r"japan\s*color\s*2001\s*coated"),
    Characterization("JC200104", "Japan Color 2001 Uncoated", "JC2001U", r"japan\s*color\s*2001\s*uncoated"),
    Characterization("JCN2002", "Japan Color 2002 Newspaper", "JCN2002", r"japan\s*color\s*2002\s*newspaper"),
    Characterization("JCW2003", "Japan Web Coated (Ad)", "JCW2003", r"japan\s*web\s*coated"),
    Characterization("JC2011", "Japan Color 2011 Coated", "JC2011", r"japan\s*color\s*2011"),
]


def _normalised(identifier: str) -> str:
    return re.sub(r"[\s_\-]", "", identifier).upper()


BY_IDENTIFIER = {_normalised(c.identifier): c for c in REGISTRY}


def registered(identifier: str) -> Characterization | None:
    """The registered characterization an OutputConditionIdentifier names, if it is one."""
    return BY_IDENTIFIER.get(_normalised(identifier))


def families_named_by(description: str) -> set[str]:
    """The printing conditions a profile's description names (by the words its profiles carry)."""
    text = description.lower()
    return {c.family for c in REGISTRY if re.search(c.profile_names, text)}


def characterization_for(description: str) -> Characterization | None:
    """The first registered characterization (in the table's order) a description names."""
    text = description.lower()
    return next((c for c in REGISTRY if re.search(c.profile_names, text)), None)


@dataclass(frozen=True)
class ProfileHeader:
    device_class: str  # 'prtr' for an output profile
    colour_space: str  # 'CMYK', 'RGB', …
    description: str  # the 'desc' tag; '' when it cannot be read


def read_header(data: bytes) -> ProfileHeader:
    """ValueError unless data is an ICC profile."""
    if len(data) < 128 or data[36:40] != b"acsp":
        raise ValueError("not an ICC profile (no 'acsp' signature)")
    description = ""
    try:
        from PIL import ImageCms

        description = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile.profile_description or ""
    except Exception:  # noqa: BLE001 - the header is what the rules need; the name is for messages
        description = ""
    return ProfileHeader(data[12:16].decode("latin-1"), data[16:20].decode("latin-1").strip(), description.strip())


class ProfileError(ValueError):
    """The file is not a CMYK output profile (its message says what it is instead)."""


@dataclass(frozen=True)
class Profile:
    description: str
    registered_as: Characterization | None  # the registered characterization it describes, if it names one


@lru_cache(maxsize=8)
def read_profile(path: Path) -> Profile:
    """A layout's press profile: its description and what it characterizes; ProfileError unless it
    is a CMYK output ('prtr') profile, the only kind a PDF/X OutputIntent may embed for a CMYK press."""
    try:
        header = read_header(Path(path).read_bytes())
    except ValueError as exc:
        raise ProfileError(str(exc)) from None
    if header.colour_space != "CMYK" or header.device_class != "prtr":
        raise ProfileError(f"an ICC profile of class '{header.device_class.strip()}' for "
                           f"'{header.colour_space}', not a CMYK output (printer) profile")
    description = header.description or Path(path).stem
    return Profile(description, characterization_for(description))
