"""Colour spaces: which a version allows, and the inks (plates) they put on the press.

- DeviceRGB: the output intent is CMYK; no PDF/X allows device RGB on a CMYK condition
  (ISO 15930-1, -4, -6, -7, colour clauses).
- CalGray, CalRGB, Lab, ICCBased: device-independent colour, allowed by X-3 and X-4, not by X-1a
  (15930-1 / -4: DeviceCMYK, DeviceGray, Separation, DeviceN, Indexed and Pattern of those).
- Separation and DeviceN: the alternate (how proofs and composite devices show the ink) must be
  DeviceCMYK under X-1a, CMYK or ICC-based CMYK under X-3 and X-4.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Name

from pagecomposer.preflight.identify import Rules

PROCESS_INKS = {"Cyan": "C", "Magenta": "M", "Yellow": "Y", "Black": "K"}
NOT_INKS = {"All", "None"}  # /All paints every plate (registration marks), /None none
CALIBRATED = {"/CalGray", "/CalRGB", "/Lab", "/ICCBased"}


def family(space) -> str:
    if isinstance(space, pikepdf.Array) and len(space):
        return str(space[0])
    return str(space) if space is not None else ""


def components_of_icc(space) -> int:
    try:
        return int(space[1].get(Name.N, 0))
    except (AttributeError, IndexError, TypeError, ValueError):
        return 0


def describe(space) -> str:
    kind = family(space)
    if kind == "/ICCBased":
        return {1: "ICC-based gray", 3: "ICC-based RGB", 4: "ICC-based CMYK"}.get(components_of_icc(space),
                                                                               "ICC-based")
    if kind == "/Separation" and len(space) > 1:
        return f"Separation {str(space[1])[1:]}"
    if kind == "/DeviceN" and len(space) > 1:
        return "DeviceN " + "+".join(str(n)[1:] for n in space[1])
    return kind[1:] if kind.startswith("/") else kind or "no colour space"


def colour_space_problems(space, where: str, rules: Rules, check: str = "colour-space",
                          depth: int = 0) -> list[tuple[str, str]]:
    """(check, message) for each rule the colour space breaks; `where` names what uses it."""
    if space is None or depth > 4:
        return []
    kind = family(space)
    problems: list[tuple[str, str]] = []
    if kind in ("/DeviceRGB", "/RGB"):
        problems.append((check, f"{where} is DeviceRGB: the press prints CMYK; convert it to CMYK"))
    elif kind in CALIBRATED:
        if not rules.calibrated_colour:
            problems.append((check, f"{where} is {describe(space)}: {rules.label} allows only CMYK, gray and "
                             "spot colour; convert it to CMYK"))
    elif kind == "/Indexed" and len(space) > 1:
        problems += colour_space_problems(space[1], where + " (Indexed base)", rules, check, depth + 1)
    elif kind == "/Pattern" and isinstance(space, pikepdf.Array) and len(space) > 1:
        problems += colour_space_problems(space[1], where + " (pattern base)", rules, check, depth + 1)
    elif kind in ("/Separation", "/DeviceN") and len(space) > 2:
        alternate = space[2]
        cmyk = family(alternate) == "/DeviceCMYK" or (
            rules.calibrated_colour and family(alternate) == "/ICCBased" and components_of_icc(alternate) == 4)
        if not cmyk:
            allowed = "DeviceCMYK" if not rules.calibrated_colour else "DeviceCMYK or ICC-based CMYK"
            problems.append(("spot-alternate", f"{where}: {describe(space)} has a {describe(alternate)} "
                             f"alternate; {rules.label} needs {allowed} so proofs show the ink right"))
        if kind == "/DeviceN" and len(space) > 4 and isinstance(space[4], pikepdf.Dictionary):
            for colorant, separation in dict(space[4].get(Name.Colorants, {})).items():
                problems += colour_space_problems(separation, f"{where} (colorant {colorant[1:]})", rules,
                                                  check, depth + 1)
    return problems


def inks_of(space, depth: int = 0) -> set[str]:
    """Ink names a colour space paints with: spot names, or process letters C M Y K."""
    kind = family(space)
    inks: set[str] = set()
    if depth > 4:
        return inks
    if kind == "/Separation" and len(space) > 1:
        inks.add(_ink(str(space[1])[1:]))
    elif kind == "/DeviceN" and len(space) > 1 and isinstance(space[1], pikepdf.Array):
        inks.update(_ink(str(name)[1:]) for name in space[1])
        if len(space) > 4 and isinstance(space[4], pikepdf.Dictionary):
            for separation in dict(space[4].get(Name.Colorants, {})).values():
                inks |= inks_of(separation, depth + 1)
    elif kind in ("/Indexed", "/Pattern") and isinstance(space, pikepdf.Array) and len(space) > 1:
        inks |= inks_of(space[1], depth + 1)
    inks.discard("")
    return inks


def _ink(name: str) -> str:
    if name in NOT_INKS:
        return ""
    return PROCESS_INKS.get(name, name)
