"""Word packages: refuse unsafe templates, save deterministically, read the
text back for checks."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from lxml import etree

from .environment import EmptyValue, environment
from .errors import CheckFailed, InputError

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 50 * 1024 * 1024
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class Template(DocxTemplate):
    """docxtpl's template, remembering its XML preprocessing. patch_xml (a
    dozen regular expressions over each part) gives the same result for the
    same part every time; a run that renders one template for many records
    does it once per part. The compiled Jinja is cached the same way by
    environment.CachingEnvironment."""

    _patched: dict[str, str] = {}
    cache_limit = 256

    def patch_xml(self, src_xml: str) -> str:
        patched = self._patched.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            if len(self._patched) >= self.cache_limit:
                self._patched.pop(next(iter(self._patched)))
            self._patched[src_xml] = patched
        return patched


@dataclass(frozen=True)
class Picture:
    """An image to place where a template prints its key: bytes and size in mm."""

    data: bytes
    width_mm: float
    height_mm: float


def render_docx(template: Path, data: bytes, context: dict, pictures: dict[str, Picture], properties: dict,
                check: str) -> bytes:
    """Render a Word template with the shared XML environment, place the
    pictures, set the document properties from data (never through Jinja)
    and return a deterministic package. A template error is bad input
    (InputError); an empty printed value fails ``check`` (CheckFailed)."""
    document = Template(io.BytesIO(data))
    context = dict(context)
    for key, picture in pictures.items():
        context[key] = InlineImage(document, io.BytesIO(picture.data), width=Mm(picture.width_mm),
                                   height=Mm(picture.height_mm))
    try:
        document.render(context, jinja_env=environment("xml"))
    except EmptyValue as exc:
        raise CheckFailed(f"{template}: {check} failed: {exc}") from None
    except TemplateError as exc:
        raise InputError(f"{template}: {describe(exc)}") from None
    core = document.docx.core_properties
    for name, value in properties.items():
        setattr(core, name, value)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def describe(exc: TemplateError) -> str:
    """A template error with its line in the part's XML source and the text around it."""
    where = f"line {exc.lineno} of the XML source: " if getattr(exc, "lineno", None) else ""
    around = " ".join(s.strip() for s in getattr(exc, "docx_context", []) if s.strip())
    text = f"{where}{getattr(exc, 'message', None) or exc}"
    return f"{text} (near: {around[:160]})" if around else text


def check_package(path: Path) -> bytes:
    """Read a .docx template and refuse it unless it is a sane zip: no absolute
    or '..' member paths, at most MAX_MEMBERS members and MAX_UNCOMPRESSED bytes."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: template not found") from None
    except OSError as exc:
        raise InputError(f"{path}: template cannot be read: {exc.strerror}") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if len(members) > MAX_MEMBERS:
                raise InputError(f"{path}: template refused: {len(members)} zip members (at most {MAX_MEMBERS})")
            total = 0
            for member in members:
                name = PurePosixPath(member.filename)
                if name.is_absolute() or ".." in name.parts or "\\" in member.filename or ":" in member.filename:
                    raise InputError(f"{path}: template refused: unsafe path in zip: {member.filename!r}")
                total += member.file_size
            if total > MAX_UNCOMPRESSED:
                raise InputError(f"{path}: template refused: {total:,} bytes uncompressed (at most {MAX_UNCOMPRESSED:,})")
            if "word/document.xml" not in package.namelist():
                raise InputError(f"{path}: not a Word document (no word/document.xml)")
    except zipfile.BadZipFile:
        raise InputError(f"{path}: not a Word document (not a zip file)") from None
    return data


def normalise_zip(data: bytes) -> bytes:
    """The same package with fixed entry times, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


@dataclass
class DocumentText:
    """What a reader sees in a .docx, part by part."""

    body: list[str]
    tables: list[list[list[str]]]
    headers: list[str]
    footers: list[str]
    footnotes: list[str]
    properties: dict[str, str]

    def everything(self) -> list[str]:
        cells = [cell for table in self.tables for row in table for cell in row]
        return self.body + cells + self.headers + self.footers + self.footnotes + list(self.properties.values())


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CORE = {"title": "{http://purl.org/dc/elements/1.1/}title", "subject": "{http://purl.org/dc/elements/1.1/}subject",
        "author": "{http://purl.org/dc/elements/1.1/}creator",
        "keywords": "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
        "comments": "{http://purl.org/dc/elements/1.1/}description"}


def read_text(data: bytes) -> DocumentText:
    """Text of the body, tables, headers, footers, footnotes and properties,
    read straight from the package's XML (every check of every output does this)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()

        def parse(name: str):
            return etree.fromstring(package.read(name))

        body = parse("word/document.xml").find(f"{W}body")
        parts = {kind: [parse(n) for n in sorted(names) if n.startswith(f"word/{kind}") and n.endswith(".xml")]
                 for kind in ("header", "footer", "footnotes")}
        core = parse("docProps/core.xml") if "docProps/core.xml" in names else None
    properties = {key: (core.findtext(tag) or "") if core is not None else "" for key, tag in CORE.items()}
    return DocumentText(
        body=[_paragraph_text(p) for p in body.iterfind(f"{W}p")],
        tables=[_table_text(t) for t in body.iterfind(f"{W}tbl")],
        headers=[_paragraph_text(p) for root in parts["header"] for p in root.iter(f"{W}p")],
        footers=[_paragraph_text(p) for root in parts["footer"] for p in root.iter(f"{W}p")],
        footnotes=[_paragraph_text(p) for root in parts["footnotes"] for p in root.iter(f"{W}p")],
        properties=properties,
    )


def _paragraph_text(paragraph) -> str:
    out = []
    for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        out.append(node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n")
    return "".join(out)


def _table_text(table) -> list[list[str]]:
    return [
        ["\n".join(_paragraph_text(p) for p in cell.iter(f"{W}p")) for cell in row.iterfind(f"{W}tc")]
        for row in table.iterfind(f"{W}tr")
    ]


def prune_styles(document) -> None:
    """Drop the styles a template never uses (python-docx's default template
    carries some 400 kB of them, and every render parses and zips them), the
    legacy stylesWithEffects part and the default template's thumbnail of an
    empty page. Used by the template builders."""
    part = document.part
    for rels, legacy in ((part.rels, "/stylesWithEffects"), (part.package.rels, "/thumbnail")):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.endswith(legacy):
                del rels[rel_id]
    styles = document.styles.element
    by_id = {s.get(f"{W}styleId"): s for s in styles.iterfind(f"{W}style")}
    wanted = {sid for sid, s in by_id.items() if s.get(f"{W}default") == "1"}
    xml_parts = [part.element] + [rel.target_part.element for rel in part.rels.values()
                                  if rel.reltype.endswith(("/header", "/footer")) and not rel.is_external]
    for root in xml_parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            wanted |= {el.get(f"{W}val") for el in root.iter(f"{W}{tag}")}
    for sid in list(wanted):  # follow basedOn / next / link chains
        stack = [sid]
        while stack:
            style = by_id.get(stack.pop())
            if style is None:
                continue
            for tag in ("basedOn", "next", "link"):
                ref = style.find(f"{W}{tag}")
                if ref is not None and ref.get(f"{W}val") not in wanted:
                    wanted.add(ref.get(f"{W}val"))
                    stack.append(ref.get(f"{W}val"))
    for sid, style in by_id.items():
        if sid not in wanted:
            styles.remove(style)
    latent = styles.find(f"{W}latentStyles")
    if latent is not None:
        styles.remove(latent)
