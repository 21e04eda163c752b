"""Template checks CI can trust: each problem with its file, its place and
what is wrong, before a broken template reaches a grants officer."""
from __future__ import annotations

import io
import multiprocessing
import os
import re
import zipfile
from dataclasses import asdict, dataclass, field
from difflib import get_close_matches
from functools import partial
from pathlib import Path
from typing import Any, Optional

import yaml
from jinja2 import TemplateSyntaxError, nodes
from lxml import etree

from .comms import HTML, render_comms
from .comms.press import MARKDOWN
from .config import Config, load_config
from .context import comms_context, contract_context
from .contracts import ENVIRONMENT as XML_ENV
from .contracts import SIGNATURE_LINE, render_contract
from .errors import InputError, PartnerdocsError
from .records import LoadedRecord, load_record
from .tiers import select_tier
from .word import Template, check_package, read_text

CONTRACT = "contract"
COMMS_DOCX, COMMS_MD, COMMS_YAML, COMMS_HTML = "comms-docx", "comms-markdown", "comms-yaml", "comms-html"
COMMS_KINDS = {"press-release.{}.md": COMMS_MD, "press-release.{}.docx": COMMS_DOCX,
               "social.{}.yaml": COMMS_YAML, "credit-line.{}.yaml": COMMS_YAML}
SHARED_HTML = ("press-release.html", "preview.html")
DOCX_PARAGRAPH = re.compile(r"<w:p([ >])")
TAGS = re.compile(r"<[^>]+>")


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


# -- what a template may use --------------------------------------------------------

LEAF = None


def schema_of(value: Any) -> Any:
    """The shape of a context: dicts keep their keys, lists one merged element."""
    if isinstance(value, dict):
        return {k: schema_of(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        merged: Any = LEAF
        for item in value:
            merged = merge(merged, schema_of(item))
        return {"[]": merged}
    return LEAF


def merge(a: Any, b: Any) -> Any:
    if isinstance(a, dict) and isinstance(b, dict):
        return {k: merge(a.get(k), b.get(k)) if k in a and k in b else a.get(k, b.get(k)) for k in {**a, **b}}
    return a if isinstance(a, dict) else b


def _path(node: nodes.Node, scope: dict) -> Optional[tuple]:
    if isinstance(node, nodes.Name):
        if node.name in scope:
            return scope[node.name]
        return (node.name,)
    if isinstance(node, nodes.Getattr):
        base = _path(node.node, scope)
        return None if base is None else base + (node.attr,)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        base = _path(node.node, scope)
        return None if base is None else base + (node.arg.value,)
    return None


def used(ast: nodes.Template) -> tuple[list[tuple[tuple, int]], list[tuple[str, int]]]:
    """Variable paths (loop variables resolved to their list's element) and filters a template uses."""
    paths: list[tuple[tuple, int]] = []
    filters: list[tuple[str, int]] = []

    def walk(node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            walk(node.iter, scope)
            base = _path(node.iter, scope)
            inner = dict(scope, loop=None)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = None if base is None else base + ("[]",)
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                walk(child, inner)
            return
        if isinstance(node, nodes.Assign) and isinstance(node.target, nodes.Name):
            walk(node.node, scope)
            scope[node.target.name] = None  # a local name: not checked
            return
        if isinstance(node, nodes.Filter):
            filters.append((node.name, node.lineno))
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
            walk(node.node.node, scope)  # a method of a value: check the value only
            for child in [*node.args, *node.kwargs]:
                walk(child, scope)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)) and getattr(node, "ctx", "load") == "load":
            path = _path(node, scope)
            if path is not None:
                paths.append((path, node.lineno))
                return
        for child in node.iter_child_nodes():
            walk(child, scope)

    walk(ast, {})
    return paths, filters


def unknown(path: tuple, schema: dict) -> Optional[str]:
    """None when ``path`` exists in ``schema``; else the message, with the nearest known name."""
    node: Any = schema
    for depth, part in enumerate(path):
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        shown = ".".join(p for p in path if p != "[]")
        if not isinstance(node, dict):
            return f"unknown variable '{shown}'"
        match = get_close_matches(str(part), [k for k in node if k != "[]"], n=1)
        hint = ""
        if match:
            fixed = [p for p in path[:depth] if p != "[]"] + [match[0]] + [p for p in path[depth + 1:] if p != "[]"]
            hint = f"; did you mean {'.'.join(fixed)}?"
        return f"unknown variable '{shown}'{hint}"
    return None


# -- the checks ------------------------------------------------------------------------

class Validator:
    def __init__(self, config: Config, records: list[LoadedRecord], report: Report):
        self.config, self.records, self.report = config, records, report
        self.contract_schema = self._contract_schema()
        self.comms_schema = self._comms_schema()

    def _contract_schema(self) -> dict:
        schema: Any = {"lead_logo": LEAF, "partner_logo": LEAF}
        for loaded in self.records:
            context = contract_context(loaded.record, self.config, select_tier(loaded.record, self.config))
            schema = merge(schema, schema_of(context))
        return schema

    def _comms_schema(self) -> dict:
        schema: Any = {"logo_row": LEAF, "lead_logo": LEAF, "partner_logo": LEAF, "tags": {"lead": LEAF, "partner": LEAF}}
        for loaded in self.records:
            for language in loaded.record.comms.languages if loaded.record.comms else []:
                schema = merge(schema, schema_of(comms_context(loaded.record, self.config, language)))
        return schema

    # 2 and 3: syntax, variables, filters
    def check_source(self, name: str, where: str, source: str, schema: dict, lines: Optional[list[str]] = None,
                     env=XML_ENV) -> list[tuple]:
        try:
            ast = env.parse(source)
        except TemplateSyntaxError as exc:
            self.report.add(name, self._place(where, exc.lineno, lines), f"Jinja syntax error: {exc.message}",
                            "syntax", line=exc.lineno)
            return []
        paths, filters = used(ast)
        for path, line in paths:
            message = unknown(path, schema)
            if message:
                self.report.add(name, self._place(where, line, lines), message, "variables", line=line)
        for filter_name, line in filters:
            if filter_name not in env.filters:
                match = get_close_matches(filter_name, list(env.filters), n=1)
                hint = f"; did you mean {match[0]}?" if match else ""
                self.report.add(name, self._place(where, line, lines), f"unknown filter '{filter_name}'{hint}",
                                "variables", line=line)
        return [p for p, _ in paths]

    @staticmethod
    def _place(where: str, line: Optional[int], lines: Optional[list[str]]) -> str:
        if line is None:
            return where
        place = f"{where} line {line}".strip()
        if lines and 0 < line <= len(lines):
            text = " ".join(TAGS.sub("", lines[line - 1]).split())
            if text:
                place += f" (near “{text[:80]}”)"
        return place

    def check_docx(self, path: Path, schema: dict) -> tuple[Optional[bytes], list[tuple]]:
        """1: opens; 2 and 3: each part's Jinja after docxtpl's preprocessing.
        Returns the file's bytes (None if it does not open) and the paths it uses."""
        name = str(path)
        try:
            data = check_package(path)
            template = Template(io.BytesIO(data))
            template.init_docx()
        except InputError as exc:
            self.report.add(name, "", exc.format_message().removeprefix(f"{path}: "), "opens")
            return None, []
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            self.report.add(name, "", f"not a Word document that opens: {exc}", "opens")
            return None, []
        parts = [("document", template.get_xml())]
        for kind, uri in (("header", template.HEADER_URI), ("footer", template.FOOTER_URI)):
            for _, part in template.get_headers_footers(uri):
                parts.append((f"{kind} {part.partname.rsplit('/', 1)[-1]}", template.get_part_xml(part)))
        paths = []
        for where, xml in parts:
            source = DOCX_PARAGRAPH.sub(r"\n<w:p\1", template.patch_xml(xml))
            paths += self.check_source(name, where, source, schema, source.splitlines())
        return data, paths

    def check_contract(self, path: Path) -> None:
        data, _ = self.check_docx(path, self.contract_schema)
        if data is None:
            return
        # 5: a signature block for each party
        wanted = ("lead.signatory.name", "partner.signatory.name", SIGNATURE_LINE)
        if not any(all(any(w in cell for row in t for cell in row) for w in wanted) for t in read_text(data).tables):
            self.report.add(str(path), "document", "no signature block: a table with {{ lead.signatory.name }}, "
                            "{{ partner.signatory.name }} and signature lines (_____) is required", "content")
        # 6: render against every bundled record that uses it
        tier, language = path.name.split(".")[:2]
        for loaded in self.records:
            choice = select_tier(loaded.record, self.config)
            if choice.name == tier and loaded.record.language == language:
                try:
                    render_contract(loaded, self.config, choice, template=path)
                except PartnerdocsError as exc:
                    self.report.add(str(path), f"render with {loaded.path.name}", exc.format_message(), "render")

    def check_comms(self, path: Path, kind: str) -> None:
        name = str(path)
        used_paths: list[tuple] = []
        if kind == COMMS_DOCX:
            data, used_paths = self.check_docx(path, self.comms_schema)
            if data is None:
                return
            headers = "\n".join(read_text(data).headers)
            for logo in ("lead_logo", "partner_logo"):
                if logo not in headers:
                    self.report.add(name, "header", f"missing {{{{ {logo} }}}}: both logos belong in the header", "content")
        elif kind in (COMMS_MD, COMMS_HTML):
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                self.report.add(name, "", f"cannot be read: {exc}", "opens")
                return
            if kind == COMMS_HTML:
                return self._check_html(path, source)
            used_paths = self.check_source(name, "", source, self.comms_schema, source.splitlines(), env=MARKDOWN)
            if ("logo_row",) not in used_paths:
                self.report.add(name, "", "missing {{ logo_row }}: the release must show both logos", "content")
        elif kind == COMMS_YAML:
            try:
                pieces = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                self.report.add(name, "", f"not valid YAML: {exc}", "opens")
                return
            if not isinstance(pieces, dict):
                self.report.add(name, "", "expected a mapping of named templates", "opens")
                return
            for key, source in pieces.items():
                paths = self.check_source(name, str(key), str(source), self.comms_schema, str(source).splitlines(),
                                          env=MARKDOWN)
                if path.name.startswith("social."):
                    for org in ("lead", "partner"):
                        if ("tags", org) not in paths:
                            self.report.add(name, str(key), f"the draft does not tag the {org} ({{{{ tags.{org} }}}})",
                                            "content")
            return
        if kind in (COMMS_MD, COMMS_DOCX):
            if not any(p[:2] in (("partner", "legal_name"), ("partner", "short_name")) for p in used_paths):
                self.report.add(name, "", "the partner is never named ({{ partner.legal_name }})", "content")
            if not any(p[:2] == ("speakers", "partner") for p in used_paths):
                self.report.add(name, "", "no partner speaker ({% for speaker in speakers.partner %})", "content")

    def _check_html(self, path: Path, source: str) -> None:
        try:
            HTML.parse(source)
        except TemplateSyntaxError as exc:
            self.report.add(str(path), self._place("", exc.lineno, source.splitlines()),
                            f"Jinja syntax error: {exc.message}", "syntax", line=exc.lineno)

    def render_comms_folder(self, folder: Path, languages: set[str]) -> None:
        """6: every bundled record's communications with these templates."""
        for loaded in self.records:
            wanted = [lang for lang in (loaded.record.comms.languages if loaded.record.comms else []) if lang in languages]
            if not wanted:
                continue
            try:
                render_comms(loaded, self.config, templates=folder, languages=wanted)
            except PartnerdocsError as exc:
                self.report.add(str(folder), f"render with {loaded.path.name}", exc.format_message(), "render")


def classify(path: Path) -> Optional[str]:
    name = path.name
    if name in SHARED_HTML:
        return COMMS_HTML
    for pattern, kind in COMMS_KINDS.items():
        prefix, suffix = pattern.split("{}")
        if name.startswith(prefix) and name.endswith(suffix) and name.count(".") == pattern.count("."):
            return kind
    if name.endswith(".docx"):
        return CONTRACT
    return None


def _load_inputs(folder: Optional[Path], report: Report) -> tuple[Optional[Config], list[LoadedRecord]]:
    """7: every configuration file and bundled record loads and validates."""
    try:
        config = load_config(folder)
    except InputError as exc:
        for problem in exc.problems or []:
            report.add(problem.file, f"line {problem.line}: {problem.path}" if problem.line else problem.path,
                       problem.message, "configuration")
        if not exc.problems:
            report.add(str(folder or "configs"), "", exc.format_message(), "configuration")
        return None, []
    records = []
    for path in sorted((config.folder / "partnerships").glob("*.y*ml")):
        report.checked.append(str(path))
        report.records += 1
        try:
            loaded = load_record(path)
        except PartnerdocsError as exc:
            for problem in getattr(exc, "problems", None) or []:
                report.add(problem.file, f"line {problem.line}: {problem.path}", problem.message, "records",
                           line=problem.line)
            if not getattr(exc, "problems", None):
                report.add(str(path), "", exc.format_message(), "records")
            continue
        for warning in loaded.warnings:
            report.add(warning.file, f"line {warning.line}: {warning.path}", warning.message, "records", "warning",
                       line=warning.line)
        records.append(loaded)
    return config, records


def validate(paths: Optional[list[Path]] = None, configs: Optional[Path] = None) -> Report:
    """Check the given templates (default: every bundled one), the
    configuration and the bundled records."""
    report = Report()
    config, records = _load_inputs(configs, report)
    if config is None:
        return report
    if not paths:
        paths = sorted(p for folder in (config.contract_templates, config.comms_templates)
                       for p in folder.glob("*.*") if p.is_file() and p.name != "README.md")
        _coverage(config, report)
    contracts, comms = [], []
    for path in paths:
        kind = classify(path)
        report.checked.append(str(path))
        if kind is None:
            report.add(str(path), "", "not a template partnerdocs knows (.docx contract, press-release.<lang>.md/.docx, "
                       "social.<lang>.yaml, credit-line.<lang>.yaml, press-release.html, preview.html)", "opens")
        elif kind == CONTRACT:
            contracts.append(path)
        else:
            comms.append((path, kind))
    validator = Validator(config, records, report)
    jobs = [job for job, todo in ((partial(_check_contracts, validator, contracts), contracts),
                                  (partial(_check_comms, validator, comms), comms)) if todo]
    for findings in _run(jobs):
        report.findings += findings
    return report


def _check_contracts(validator: Validator, paths: list[Path]) -> None:
    for path in paths:
        validator.check_contract(path)


def _check_comms(validator: Validator, items: list[tuple[Path, str]]) -> None:
    folders: dict[Path, set[str]] = {}
    for path, kind in items:
        validator.check_comms(path, kind)
        language = path.name.split(".")[1] if kind != COMMS_HTML else None
        folders.setdefault(path.parent, set()).update(
            [language] if language else validator.config.policy.comms_languages)
    if not any(f.check in ("syntax", "opens") for f in validator.report.findings):
        for folder, languages in folders.items():
            validator.render_comms_folder(folder, languages)


_JOBS: list = []


def _job(index: int) -> list[Finding]:
    """Run one job with a report of its own and return what it found."""
    job = _JOBS[index]
    validator = job.args[0]
    validator.report = Report()
    job()
    return validator.report.findings


def _run(jobs: list) -> list[list[Finding]]:
    """Contract and comms checks are independent: on a machine with two cores
    and fork, each gets its own process (validating takes half the time)."""
    global _JOBS
    _JOBS = jobs
    try:
        if len(jobs) > 1 and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
                return pool.map(_job, range(len(jobs)))
        return [_job(i) for i in range(len(jobs))]
    finally:
        _JOBS = []


def _coverage(config: Config, report: Report) -> None:
    """4: a contract template for every tier in every declared language, every comms template in every comms language."""
    for tier in config.tiers.tiers:
        for language in config.policy.contract_languages:
            path = config.contract_templates / f"{tier.name}.{language}.docx"
            if not path.exists():
                report.add(str(path), "coverage", f"tier '{tier.name}' has no template in language '{language}' "
                           "(configs/policy.yaml: contract_languages)", "coverage")
    for pattern in COMMS_KINDS:
        for language in config.policy.comms_languages:
            path = config.comms_templates / pattern.format(language)
            if not path.exists():
                report.add(str(path), "coverage", f"missing in language '{language}' (configs/policy.yaml: comms_languages)",
                           "coverage")
    for name in SHARED_HTML:
        if not (config.comms_templates / name).exists():
            report.add(str(config.comms_templates / name), "coverage", "missing", "coverage")
    declared = set(config.policy.contract_languages)
    for path in config.contract_templates.glob("*.docx"):
        parts = path.name.split(".")
        if len(parts) == 3 and parts[1] not in declared:
            report.add(str(path), "coverage", f"language '{parts[1]}' is not in configs/policy.yaml: contract_languages",
                       "coverage", "warning")
        if len(parts) == 3 and parts[0] not in {t.name for t in config.tiers.tiers}:
            report.add(str(path), "coverage", f"no tier '{parts[0]}' in configs/tiers.yaml", "coverage", "warning")


# -- report formats --------------------------------------------------------------------------

def as_text(report: Report, strict: bool) -> str:
    lines = [f"{f} [{f.severity}]" if f.severity == "warning" else str(f) for f in report.findings]
    return "\n".join(lines + [report.summary(strict)])


def as_github(report: Report, strict: bool) -> str:
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = []
    for f in report.findings:
        level = "error" if f.severity == "error" or strict else "warning"
        where = f"file={escape(f.file)}" + (f",line={f.line}" if f.line and not f.file.endswith(".docx") else "")
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
