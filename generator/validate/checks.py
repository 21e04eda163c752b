"""The checks of one template: it opens, its Jinja parses and uses only
known names, it carries what its kind must carry, and it renders the bundled
records that use it into documents that pass their checks."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Optional

import yaml
from jinja2 import TemplateSyntaxError
from lxml import etree

from ..comms import HTML, render_comms
from ..comms.press import MARKDOWN
from ..config import Config
from ..context import comms_context, contract_context
from ..environment import environment
from ..contracts import SIGNATURE_LINE, render_contract
from ..errors import InputError, PartnerdocsError
from ..records import LoadedRecord
from ..tiers import select_tier
from ..word import Template, check_package, read_text
from .report import Report
from .variables import LEAF, merge, schema_of, unknown, used

CONTRACT = "contract"
COMMS_DOCX, COMMS_MD, COMMS_YAML, COMMS_HTML = "comms-docx", "comms-markdown", "comms-yaml", "comms-html"
COMMS_KINDS = {"press-release.{}.md": COMMS_MD, "press-release.{}.docx": COMMS_DOCX,
               "social.{}.yaml": COMMS_YAML, "credit-line.{}.yaml": COMMS_YAML}
SHARED_HTML = ("press-release.html", "preview.html")
DOCX_PARAGRAPH = re.compile(r"<w:p([ >])")
TAGS = re.compile(r"<[^>]+>")
XML_ENV = environment("xml")


class Validator:
    """Checks templates against the configuration and the bundled records, adding findings to a report."""

    def __init__(self, config: Config, records: list[LoadedRecord], report: Report):
        self.config, self.records, self.report = config, records, report
        if not records:
            report.add(str(config.records), "", "no example records: template variables and "
                       "rendering cannot be checked; add at least one record per tier", "records", "warning")
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
        for path, line in paths if self.records else []:  # the records' contexts are the schema
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
        # 6: render every bundled record that uses it; a template no record
        # uses renders the records of its tier as if they were in its language.
        tier, language = path.name.split(".")[:2]
        of_tier = [(loaded, choice) for loaded in self.records
                   if (choice := select_tier(loaded.record, self.config)).name == tier]
        users = [pair for pair in of_tier if pair[0].record.language == language] or [
            (replace(loaded, record=loaded.record.model_copy(update={"language": language})), choice)
            for loaded, choice in of_tier]
        for loaded, choice in users:
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
