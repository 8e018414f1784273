"""The PDF/X OutputIntent: which printing condition the file was made for.

Every PDF/X needs exactly one OutputIntent with /S /GTS_PDFX and an OutputConditionIdentifier
(ISO 15930-1, -4, -6, -7, output intent clauses; ISO 32000-1 14.11.5). If the identifier names a registered
characterization (ICC Characterization Data Registry, https://www.color.org/chardata/registry.xalter),
RegistryName must be http://www.color.org and X-1a/X-3 may omit the profile; otherwise the
DestOutputProfile must be embedded. PDF/X-4 always embeds it. An embedded profile must be an ICC
output (device class 'prtr') profile of a CMYK colour space (data colour space 'CMYK', N 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import pikepdf
from pikepdf import Name

from pagecomposer.icc import REGISTRY_URL, families_named_by, read_header, registered
from pagecomposer.preflight.identify import Rules


@dataclass(frozen=True)
class Profile:
    device_class: str
    colour_space: str
    components: int
    description: str


def read_profile(stream: pikepdf.Stream) -> Profile:
    header = read_header(stream.read_bytes())
    return Profile(header.device_class, header.colour_space, int(stream.get(Name.N, 0)), header.description)


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
                       "one of them; embed the matching profile or name the right condition")
    else:
        report.add("output-profile", True, f"{identifier}: own output condition (not in the ICC registry), "
                   f"characterized by the embedded CMYK output profile{named}")
