"""What validate found, and the formats it reports it in: text, JSON,
GitHub workflow annotations and JUnit XML."""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from lxml import etree


@dataclass(frozen=True)
class Finding:
    """One problem: ``file: where: message``."""

    file: str
    where: str
    message: str
    check: str
    severity: str = "error"
    line: Optional[int] = None

    def __str__(self) -> str:
        return f"{self.file}: {self.where}: {self.message}" if self.where else f"{self.file}: {self.message}"


@dataclass
class Report:
    checked: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    records: int = 0

    def add(self, *args, **kwargs) -> None:
        self.findings.append(Finding(*args, **kwargs))

    def failures(self, strict: bool) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error" or strict]

    def as_dict(self, strict: bool) -> dict:
        return {"checked": self.checked, "problems": [asdict(f) for f in self.findings],
                "summary": self.summary(strict), "passed": not self.failures(strict)}

    def summary(self, strict: bool) -> str:
        errors = sum(f.severity == "error" for f in self.findings)
        warnings = len(self.findings) - errors
        verdict = "FAILED" if self.failures(strict) else "passed"
        templates = len(self.checked) - self.records
        return (f"{templates} template(s) and {self.records} record(s) checked: "
                f"{errors} error(s), {warnings} warning(s): {verdict}")


def as_text(report: Report, strict: bool) -> str:
    lines = [f"{f} [{f.severity}]" if f.severity == "warning" else str(f) for f in report.findings]
    return "\n".join(lines + [report.summary(strict)])


def repository_path(name: str) -> str:
    """A file's path from the repository root (GITHUB_WORKSPACE on GitHub, else
    the nearest folder holding .git), which is where GitHub puts annotations;
    unchanged when the file is outside any repository."""
    path = Path(name).resolve()
    roots = [Path(os.environ["GITHUB_WORKSPACE"]).resolve()] if os.environ.get("GITHUB_WORKSPACE") else [
        folder for folder in path.parents if (folder / ".git").exists()][:1]
    for root in roots:
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return name


def as_github(report: Report, strict: bool) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def escape_property(text: str) -> str:
        return escape(text).replace(":", "%3A").replace(",", "%2C")

    lines = []
    for f in report.findings:
        level = "error" if f.severity == "error" or strict else "warning"
        # A .docx is a zip: its lines are those of the XML inside, not of the file GitHub shows.
        where = f"file={escape_property(repository_path(f.file))}" + (
            f",line={f.line}" if f.line and not f.file.endswith(".docx") else "")
        lines.append(f"::{level} {where}::{escape((f.where + ': ' if f.where else '') + f.message)}")
    return "\n".join(lines + [report.summary(strict)])


def as_junit(report: Report, strict: bool) -> bytes:
    """One test case per checked file, failing with its problems."""
    suite = etree.Element("testsuite", name="partnerdocs validate", tests=str(len(report.checked)))
    failures = 0
    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.file, []).append(f)
    for name in list(dict.fromkeys(report.checked + list(by_file))):
        case = etree.SubElement(suite, "testcase", classname="partnerdocs.validate", name=name)
        problems = [f for f in by_file.get(name, []) if f.severity == "error" or strict]
        if problems:
            failures += 1
            failure = etree.SubElement(case, "failure", message=str(problems[0]), type=problems[0].check)
            failure.text = "\n".join(str(f) for f in problems)
    suite.set("failures", str(failures))
    suite.set("tests", str(len(suite)))
    return etree.tostring(suite, xml_declaration=True, encoding="utf-8", pretty_print=True)
