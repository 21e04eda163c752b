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
from ..models import TierOverride
from ..parts import COMMS_DOCX, COMMS_HTML, COMMS_MD, COMMS_YAML
from ..word import ACCEPT_HINT, W, Template, check_package, read_text, revision_marks
from .sample import sample_config, sample_languages, sample_record
from .report import Report
from .variables import LEAF, merge, schema_of, unknown, used
DOCX_PARAGRAPH = re.compile(r"<w:p([ >])")
TAGS = re.compile(r"<[^>]+>")
PRINT_TAG = re.compile(r"\{\{.*?\}\}")
TAG_IN_TEXT = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
ENDNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"
UNRENDERED_PROPERTIES = ("keywords", "category", "content_status", "last_modified_by", "version")
BLOCK_TAGS = {"if", "for", "macro", "call", "filter", "set", "with", "block", "autoescape", "raw", "trans"}
# Run properties that do not change how text looks (Word splits runs on them).
NOT_FORMATTING = {f"{W}lang", f"{W}noProof", f"{W}rtl"}
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
        config = sample_config(self.config)
        for record in self._schema_records():
            schema = merge(schema, schema_of(contract_context(record, config, select_tier(record, config))))
        return schema

    def _comms_schema(self) -> dict:
        schema: Any = {"logo_row": LEAF, "lead_logo": LEAF, "partner_logo": LEAF, "tags": {"lead": LEAF, "partner": LEAF},
                       "donor_emblem": LEAF, "donor": {"name": LEAF, "statement": LEAF},  # added by comms, per donor
                       "photo_image": LEAF}
        for record in self._schema_records():
            for language in record.comms.languages if record.comms else []:
                schema = merge(schema, schema_of(comms_context(record, self.config, language)))
        return schema

    def _schema_records(self) -> list:
        """The records whose contexts make the schema: the sample with every
        optional part, and the bundled records."""
        return [sample_record(self.config, language) for language in sample_languages()] + [
            loaded.record for loaded in self.records]

    # 2 and 3: syntax, variables, filters
    def check_source(self, name: str, where: str, source: str, schema: dict, lines: Optional[list[str]] = None,
                     env=XML_ENV, first_line: Optional[int] = None) -> list[tuple]:
        """Parse and check one template text. ``first_line``: its line in a
        YAML file (the findings' ``line`` is then the file's line, for annotations)."""
        def at(line: Optional[int]) -> Optional[int]:
            return line if line is None or first_line is None else first_line + line - 1

        try:
            ast = env.parse(source)
        except RecursionError:
            self.report.add(name, where, "the template is too deeply nested to parse", "syntax")
            return []
        except TemplateSyntaxError as exc:
            line, message, focus = exc.lineno, exc.message, None
            opened = unclosed_block(env, source) if "Unexpected end of template" in (message or "") else None
            if opened:
                tag, line, words = opened
                message = f"'{{% {tag} %}}' is never closed ('{{% end{tag} %}}' missing)"
                # this very tag, not an earlier closed one of the same name on that XML line
                focus = r"\{%-?\s*" + r"\s*".join(map(re.escape, words)) + r"\s*-?%\}"
            self.report.add(name, self._place(where, line, lines, focus), f"Jinja syntax error: {message}", "syntax",
                            line=at(line))
            return []
        paths, filters = used(ast)
        for path, line in paths:  # the sample's and the records' contexts are the schema
            message = None if path[0] in env.globals else unknown(path, schema)
            if message:
                self.report.add(name, self._place(where, line, lines), message, "variables", line=at(line))
        for filter_name, line in filters:
            if filter_name not in env.filters:
                match = get_close_matches(filter_name, list(env.filters), n=1)
                hint = f"; did you mean {match[0]}?" if match else ""
                self.report.add(name, self._place(where, line, lines), f"unknown filter '{filter_name}'{hint}",
                                "variables", line=at(line))
        return [p for p, _ in paths]

    @staticmethod
    def _place(where: str, line: Optional[int], lines: Optional[list[str]], focus: Optional[str] = None) -> str:
        """``where line N (near “text”)``: the visible text of that line, around ``focus`` (a regex) if given."""
        if line is None or lines is None:
            return where
        place = f"{where} line {line}".strip()
        if lines and 0 < line <= len(lines):
            text = " ".join(TAGS.sub("", lines[line - 1]).split())
            found = re.search(focus, text) if focus else None
            if found and found.end() > 80:
                text = "…" + text[max(found.start() - 40, 0):found.end()]
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
        for mark in revision_marks(data):
            self.report.add(name, "", f"the template {mark}; {ACCEPT_HINT}", "revisions")
        parts = [("document", template.get_xml())]
        for kind, uri in (("header", template.HEADER_URI), ("footer", template.FOOTER_URI)):
            for _, part in template.get_headers_footers(uri):
                parts.append((f"{kind} {part.partname.rsplit('/', 1)[-1]}", template.get_part_xml(part)))
        for part in template.docx.part.package.iter_parts():
            if part.content_type == FOOTNOTES:  # docxtpl renders these as it does the body
                parts.append(("footnotes", part.blob.decode("utf-8")))
            elif part.content_type == ENDNOTES and TAG_IN_TEXT.search(" ".join(_texts(part.blob))):
                self.report.add(name, "endnotes", "a template tag in an endnote: docxtpl does not render "
                                "endnotes; move it to the text or a footnote", "syntax")
        paths = []
        for where, xml in parts:
            for paragraph in split_tags(xml):
                self.report.add(name, f"{where}: paragraph “{paragraph[:60]}”", "a tag is split across runs with "
                                "different formatting; the rendered value keeps only the formatting of its first "
                                "run: format the whole tag alike", "formatting", "warning")
            source = DOCX_PARAGRAPH.sub(r"\n<w:p\1", template.patch_xml(xml))
            paths += self.check_source(name, where, source, schema, source.splitlines())
        core = template.docx.core_properties
        for prop in Template.PROPERTIES:
            paths += self.check_source(name, f"document property '{prop}'", getattr(core, prop) or "", schema)
        for prop in UNRENDERED_PROPERTIES:
            if TAG_IN_TEXT.search(str(getattr(core, prop) or "")):
                self.report.add(name, f"document property '{prop}'", "a template tag in a property docxtpl does not "
                                f"render (it renders {', '.join(Template.PROPERTIES)})", "syntax")
        return data, paths

    def _has_errors(self, path: Path) -> bool:
        return any(f.file == str(path) and f.severity == "error" for f in self.report.findings)

    def check_contract(self, path: Path) -> None:
        data, _ = self.check_docx(path, self.contract_schema)
        if data is None:
            return
        # 5: a signature block for each party
        wanted = ("lead.signatory.name", "partner.signatory.name", SIGNATURE_LINE)
        if not any(all(any(w in cell for row in t for cell in row) for w in wanted) for t in read_text(data).tables):
            self.report.add(str(path), "document", "no signature block: a table with {{ lead.signatory.name }}, "
                            "{{ partner.signatory.name }} and signature lines (_____) is required", "content")
        # 6: render every bundled record that uses it (a mistake found above is
        # not reported again by the render); a template no record uses renders
        # the records of its tier as if they were in its language, and a tier
        # no record reaches a record derived from a bundled one.
        if self._has_errors(path):
            return
        tier, language = path.name.split(".")[:2]
        of_tier = [(loaded, choice, "") for loaded in self.records
                   if (choice := select_tier(loaded.record, self.config)).name == tier]
        if not of_tier and self.records:
            of_tier = self._derived(tier, path)
        users = [case for case in of_tier if case[0].record.language == language] or [
            # (its text stays in the record's language: the template is checked, not the translations)
            (replace(loaded, record=loaded.record.model_copy(update={"language": language, "translations": "fallback"})),
             choice, note)
            for loaded, choice, note in of_tier]
        for loaded, choice, note in users:
            try:
                render_contract(loaded, self.config, choice, template=path)
            except PartnerdocsError as exc:
                self.report.add(str(path), f"render with {loaded.path.name}{note}", exc.format_message(), "render")

    def _derived(self, tier: str, path: Path) -> list[tuple]:
        """A bundled record with the tier forced on it, of the kind the tier
        is for (with or without funding), so that no template goes unrendered."""
        try:
            wanted = self.config.tier(tier).when.financial
        except KeyError:
            return []  # the coverage check reports a template of an unknown tier
        for loaded in self.records:
            if wanted is None or loaded.record.financial == wanted:
                forced = TierOverride(name=tier, reason=f"validate: {loaded.path.name} rendered as {tier}")
                record = loaded.record.model_copy(update={"tier": forced})
                return [(replace(loaded, record=record), select_tier(record, self.config), f" (as tier {tier})")]
        self.report.add(str(path), "render", f"no bundled record exercises tier '{tier}' and none can be derived "
                        f"({'with' if wanted else 'without'} funding); add an example record of this tier",
                        "render", "warning")
        return []

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
                text = path.read_text(encoding="utf-8")
                pieces = yaml.safe_load(text)
                starts = _value_lines(text)
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                self.report.add(name, "", f"not valid YAML: {exc}", "opens")
                return
            if not isinstance(pieces, dict):
                self.report.add(name, "", "expected a mapping of named templates", "opens")
                return
            for key, source in pieces.items():
                paths = self.check_source(name, str(key), str(source), self.comms_schema, str(source).splitlines(),
                                          env=MARKDOWN, first_line=starts.get(str(key)))
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


def unclosed_block(env, source: str) -> Optional[tuple[str, int, list[str]]]:
    """The innermost block tag never closed, its line and its words: Jinja
    reports the end of the template instead, far from the paragraph to fix."""
    stack: list[tuple[str, int, list[str]]] = []
    tag: Optional[list] = None
    try:
        for line, kind, value in env.lex(source):
            if kind == "block_begin":
                tag = []
            elif kind == "block_end" and tag:
                name, line_of = tag[0]
                if name.startswith("end") and stack and stack[-1][0] == name[3:]:
                    stack.pop()
                elif name in BLOCK_TAGS and not (name == "set" and "=" in [v for v, _ in tag]):
                    stack.append((name, line_of, [v for v, _ in tag]))
                tag = None
            elif tag is not None and kind != "whitespace":
                tag.append((value, line))
    except TemplateSyntaxError:
        return None
    return stack[-1] if stack else None


def _texts(xml) -> list[str]:
    root = etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml)
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]


def _formatting(run) -> bytes:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        return b""
    kept = [etree.tostring(child) for child in rpr if child.tag not in NOT_FORMATTING]
    return b"".join(sorted(kept))


def split_tags(xml: str) -> list[str]:
    """The text of each paragraph where a Jinja tag spans runs formatted
    differently: docxtpl joins the tag into its first run, so the value
    printed loses the formatting of the others, silently."""
    found = []
    root = etree.fromstring(xml.encode("utf-8"))
    for paragraph in root.iter(f"{W}p"):
        spans, text = [], ""
        for run in paragraph.iter(f"{W}r"):
            piece = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if piece:
                spans.append((len(text), len(text) + len(piece), _formatting(run)))
                text += piece
        for match in PRINT_TAG.finditer(text):  # only a printed value takes formatting
            looks = {fmt for start, end, fmt in spans if start < match.end() and end > match.start()}
            if len(looks) > 1:
                found.append(" ".join(text.split()))
                break
    return found


def _value_lines(text: str) -> dict[str, int]:
    """The file line where each top-level value's text starts (a block
    scalar, ``|`` or ``>``, starts on the line after its key)."""
    root = yaml.compose(text)
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {str(key.value): value.start_mark.line + (2 if value.style in ("|", ">") else 1)
            for key, value in root.value}
