"""Finding and Report: what preflight found, one line a finding, as a table or as JSON.

Both round-trip through JSON (pipeline._preflight_with_record keeps findings in the build record):
`Report(path, pdfx, findings)` and `Finding(**finding_as_dict)`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Finding:
    check: str
    ok: bool
    message: str
    page: int | None = None  # 1-based
    severity: str = "error"  # error | warning | info


@dataclass
class Report:
    path: str
    pdfx: str | None  # "1a:2001", "1a:2003", "3:2002", "3:2003", "4", or None (not PDF/X)
    findings: list[Finding] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not any(not f.ok and f.severity == "error" for f in self.findings)

    def add(self, check: str, ok: bool, message: str, page: int | None = None, severity: str = "error") -> None:
        self.findings.append(Finding(check, ok, message, page, severity if not ok else "info"))

    def failed(self, check: str) -> list[Finding]:
        return [f for f in self.findings if f.check == check and not f.ok]

    def as_dict(self) -> dict:
        return {"file": self.path, "pdfx": self.pdfx, "passed": self.passed,
                "findings": [asdict(f) for f in self.findings]}

    def table(self) -> str:
        rows = [(f.check, "ok" if f.ok else f.severity.upper(), f"p{f.page}" if f.page else "", f.message)
                for f in self.findings]
        widths = [max(len(r[i]) for r in rows + [("check", "result", "page", "")]) for i in range(3)]
        lines = [f"{self.path}: {'PASSED' if self.passed else 'FAILED'}"
                 + (f" (PDF/X-{self.pdfx})" if self.pdfx else " (not PDF/X)")]
        for row in rows:
            lines.append("  " + "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
        return "\n".join(lines)
