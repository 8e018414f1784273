"""The PDF/X OutputIntent: which printing condition the file was made for.

Every PDF/X needs exactly one OutputIntent with /S /GTS_PDFX and an OutputConditionIdentifier
(ISO 15930-1, -4, -6, -7, output intent clauses; ISO 32000-1 14.11.5). If the identifier names a registered
characterization (ICC Characterization Data Registry, https://www.color.org/chardata/registry.xalter),
RegistryName must be http://www.color.org and X-1a/X-3 may omit the profile; otherwise the
DestOutputProfile must be embedded. PDF/X-4 always embeds it. An embedded profile must be an ICC
output (device class 'prtr') profile of a CMYK colour space (data colour space 'CMYK', N 4).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pikepdf
from pikepdf import Name

from pagecomposer.preflight.identify import Rules

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
    return BY_IDENTIFIER.get(_normalised(identifier))


def families_named_by(description: str) -> set[str]:
    text = description.lower()
    return {c.family for c in REGISTRY if re.search(c.profile_names, text)}


@dataclass(frozen=True)
class Profile:
    device_class: str
    colour_space: str
    components: int
    description: str


def read_profile(stream: pikepdf.Stream) -> Profile:
    data = stream.read_bytes()
    if len(data) < 128 or data[36:40] != b"acsp":
        raise ValueError("not an ICC profile (no 'acsp' signature)")
    description = ""
    try:
        from PIL import ImageCms

        description = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile.profile_description or ""
    except Exception:  # noqa: BLE001 - the header is what the rules need; the name is for messages
        description = ""
    return Profile(data[12:16].decode("latin-1"), data[16:20].decode("latin-1").strip(),
                   int(stream.get(Name.N, 0)), description.strip())


def check_output_intent(pdf: pikepdf.Pdf, report, rules: Rules) -> None:
    intents = [i for i in (pdf.Root.get(Name.OutputIntents) or [])
               if isinstance(i, pikepdf.Dictionary) and i.get(Name.S) == Name.GTS_PDFX]
    report.add("output-intent", len(intents) == 1,
               f"{len(intents)} GTS_PDFX OutputIntent(s)" + (
                   f": {intents[0].get(Name.OutputConditionIdentifier)!s}" if len(intents) == 1 else
                   "; PDF/X needs exactly one, naming the printing condition (e.g. IFRA26)"))
    if not intents:
        return
    intent = intents[0]
    identifier = str(intent.get(Name.OutputConditionIdentifier, "")).strip()
    if not identifier:
        report.add("output-intent", False, "the GTS_PDFX OutputIntent has no OutputConditionIdentifier: name "
                   "the printing condition (e.g. IFRA26)")
    known = registered(identifier) if identifier else None
    registry = str(intent.get(Name.RegistryName, "")).strip().rstrip("/")
    if known is not None:
        ok = registry.lower() in (REGISTRY_URL, "https://www.color.org")
        report.add("output-registry", ok, f"{identifier} is registered ({known.description}), RegistryName {registry}"
                   if ok else f"{identifier} is a registered characterization but RegistryName is "
                   f"{registry or 'missing'}: set it to {REGISTRY_URL}")
    stream = intent.get(Name.DestOutputProfile)
    if not isinstance(stream, pikepdf.Stream):
        if rules.profile_required:
            report.add("output-profile", False, f"{rules.label} needs the output ICC profile embedded in the "
                       "OutputIntent (DestOutputProfile); embed the press profile")
        elif known is None:
            report.add("output-profile", False, f"output condition {identifier!r} is not in the ICC "
                       "Characterization Data Registry, so the OutputIntent must embed its ICC profile "
                       "(DestOutputProfile); embed it or name a registered condition such as IFRA26")
        else:
            report.add("output-profile", True, f"{identifier}: registered characterization, no profile needed")
        return
    try:
        profile = read_profile(stream)
    except (ValueError, pikepdf.PdfError) as exc:
        report.add("output-profile", False, f"the OutputIntent's DestOutputProfile cannot be read ({exc}); "
                   "embed a CMYK output ICC profile")
        return
    problems = []
    if profile.device_class != "prtr":
        problems.append(f"device class '{profile.device_class}', not an output ('prtr') profile")
    if profile.colour_space != "CMYK" or profile.components not in (4, 0):
        problems.append(f"colour space '{profile.colour_space}' (N {profile.components}), not CMYK")
    named = f" {profile.description!r}" if profile.description else ""
    if problems:
        report.add("output-profile", False, f"the embedded output profile{named} has " + "; ".join(problems)
                   + ": embed the CMYK press profile")
        return
    if known is not None:
        report.add("output-profile", True, f"{identifier}: registered characterization, with the embedded CMYK "
                   f"output profile{named}")
        others = families_named_by(profile.description)
        if others and known.family not in others:
            report.add("output-profile-match", False, f"the OutputIntent names {identifier} ({known.description}) "
                       f"but its embedded profile{named} is for another condition: the plant separates for "
                       "one of them; embed the matching profile or name the right condition", None, "warning")
    else:
        report.add("output-profile", True, f"{identifier}: own output condition (not in the ICC registry), "
                   f"characterized by the embedded CMYK output profile{named}")
