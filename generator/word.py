"""Word packages: refuse unsafe templates, save deterministically, read the
text back for checks."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from lxml import etree

from .environment import EmptyValue, environment
from .errors import CheckFailed, InputError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
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
    # The part being rendered, so that an error names it (docxtpl's errors do not).
    rendering = "word/document.xml"
    PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # what docxtpl renders

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        self.rendering = str(part.partname).lstrip("/")
        return super().render_xml_part(src_xml, part, context, jinja_env)

    def render_properties(self, context, jinja_env=None) -> None:
        """docxtpl's render_properties, naming the property being rendered."""
        core = self.docx.core_properties
        for name in self.PROPERTIES:
            self.rendering = f"document property '{name}'"
            setattr(core, name, jinja_env.from_string(getattr(core, name)).render(context))

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


class PlacedPicture:
    """What a template sees of a picture: an inert value that prints as the
    drawing (built by docxtpl's InlineImage from our own bytes) and has no
    public attribute, so the sandbox offers no way to the document or to files."""

    __slots__ = ("_image",)

    def __init__(self, image: InlineImage):
        self._image = image

    def __html__(self) -> str:
        return self._image._insert_image()

    __str__ = __html__


def template_context(document: DocxTemplate, context: dict, pictures: dict[str, Picture]) -> dict:
    """The context a Word template is rendered with: the data, and each picture as a PlacedPicture."""
    placed = {key: PlacedPicture(InlineImage(document, io.BytesIO(picture.data), width=Mm(picture.width_mm),
                                             height=Mm(picture.height_mm)))
              for key, picture in pictures.items()}
    return {**context, **placed}


def render_docx(template: Path, data: bytes, context: dict, pictures: dict[str, Picture], properties: dict,
                check: str) -> bytes:
    """Render a Word template with the shared XML environment, place the
    pictures, set the document properties from data (never through Jinja)
    and return a deterministic package. A template error, or one over the
    environment's work limits, is bad input (InputError); a template with
    tracked changes, comments or hidden text, and an empty printed value,
    fail ``check`` (CheckFailed)."""
    marks = _template_marks(data)
    if marks:
        raise CheckFailed(f"{template}: {check} failed: the template {marks[0]}{_more(marks)}; " + ACCEPT_HINT)
    document = Template(io.BytesIO(data))
    try:
        document.render(template_context(document, context, pictures), jinja_env=environment("xml"))
    except EmptyValue as exc:
        raise CheckFailed(f"{template}: {check} failed: {exc}") from None
    except TemplateError as exc:
        raise InputError(f"{template}: {document.rendering}: {describe(exc)}") from None
    except (RecursionError, MemoryError):
        raise InputError(f"{template}: {document.rendering}: the template is too deeply nested or too large "
                         "to render") from None
    except (ValueError, TypeError, LookupError, ArithmeticError) as exc:  # raised by what a template calls
        raise InputError(f"{template}: {document.rendering}: the template failed: {exc}") from None
    renumber_drawings(document)
    core = document.docx.core_properties
    for name, value in properties.items():
        setattr(core, name, value)
    buffer = io.BytesIO()
    document.save(buffer)
    result = normalise_zip(buffer.getvalue())
    marks = revision_marks(result)
    if marks:
        raise CheckFailed(f"{template}: {check} failed: the document {marks[0]}{_more(marks)}")
    return result


def renumber_drawings(document: DocxTemplate) -> None:
    """Give every drawing (wp:docPr) of the package its own id. docxtpl
    renumbers the body only, so the two header logos share id 1: Word then
    offers to "repair" the file and may drop a picture."""
    parts = sorted((part for part in document.docx.part.package.iter_parts() if hasattr(part, "_element")),
                   key=lambda part: (part is not document.docx.part, str(part.partname)))
    number = 0
    for part in parts:
        for drawing in part._element.iter(f"{WP}docPr"):
            number += 1
            drawing.set("id", str(number))


# What Word keeps of an editor's work that a partner must never receive.
REVISIONS = {"ins": "a tracked insertion", "del": "a tracked deletion", "moveFrom": "a tracked move",
             "moveTo": "a tracked move", "rPrChange": "a tracked formatting change",
             "pPrChange": "a tracked formatting change", "sectPrChange": "a tracked formatting change",
             "tblPrChange": "a tracked formatting change", "trPrChange": "a tracked formatting change",
             "tcPrChange": "a tracked formatting change", "numberingChange": "a tracked numbering change",
             "cellIns": "a tracked cell insertion", "cellDel": "a tracked cell deletion",
             "commentReference": "a comment", "commentRangeStart": "a comment", "vanish": "hidden text (w:vanish)"}
STORY_PARTS = ("word/document.xml", "word/header", "word/footer", "word/footnotes", "word/endnotes",
               "word/styles.xml", "word/numbering.xml")
W_DECLARED = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
MARK_TAGS = re.compile(rb"<w:(?:" + "|".join(REVISIONS).encode() + rb")[\s/>]")
ACCEPT_HINT = ("accept all changes, delete all comments and hidden text in Word, turn Track Changes off, "
               "and save the template again (contract_templates/README.md)")


def _more(marks: list[str]) -> str:
    return f" (and {len(marks) - 1} more)" if len(marks) > 1 else ""


@lru_cache(maxsize=64)
def _template_marks(data: bytes) -> tuple[str, ...]:
    """revision_marks of a template, once per version (a batch renders each template many times)."""
    return tuple(revision_marks(data))


def revision_marks(data: bytes) -> list[str]:
    """Each tracked change, comment and hidden text of a package, with its
    part and paragraph, and revision tracking switched on in its settings:
    what Word would show a reader that the checks of the text never saw."""
    found: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        comments = [name for name in package.namelist() if name.startswith("word/comments") and name.endswith(".xml")]
        for name in package.namelist():
            if name.endswith(".xml") and name.startswith(STORY_PARTS):
                xml = package.read(name)
                if W_DECLARED in xml and not MARK_TAGS.search(xml):
                    continue  # the usual case, without parsing the part
                root = etree.fromstring(xml)
                seen = set()
                for element in root.iter(*(f"{W}{tag}" for tag in REVISIONS)):
                    what = REVISIONS[etree.QName(element).localname]
                    if what == "hidden text (w:vanish)" and element.get(f"{W}val") in ("0", "false", "off"):
                        continue
                    place = _paragraph_of(element)
                    if (what, place) not in seen:
                        seen.add((what, place))
                        found.append(f"has {what} in {name}{place}")
            elif name == "word/settings.xml":
                tracking = etree.fromstring(package.read(name)).find(f"{W}trackRevisions")
                if tracking is not None and tracking.get(f"{W}val") not in ("0", "false", "off"):
                    found.append("has revision tracking switched on (word/settings.xml: w:trackRevisions)")
    if comments and not any(mark.startswith("has a comment ") for mark in found):
        found.append(f"has comments ({', '.join(comments)})")  # comments no paragraph points to
    return found


def _paragraph_of(element) -> str:
    """Where an element sits, for a person: the style it belongs to, or its paragraph's text."""
    style = next((a for a in element.iterancestors(f"{W}style")), None)
    if style is not None:
        return f", style '{style.get(f'{W}styleId')}'"
    paragraph = element if element.tag == f"{W}p" else next(element.iterancestors(f"{W}p"), None)
    if paragraph is None:
        return ""
    text = " ".join("".join(t.text or "" for t in paragraph.iter(f"{W}t", f"{W}delText")).split())
    return f", paragraph “{text[:60]}”" if text else ", an empty paragraph"


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
    """What a reader sees in a .docx, part by part (footnotes: foot- and endnotes)."""

    body: list[str]
    tables: list[list[list[str]]]
    headers: list[str]
    footers: list[str]
    footnotes: list[str]
    properties: dict[str, str]

    def everything(self) -> list[str]:
        cells = [cell for table in self.tables for row in table for cell in row]
        return self.body + cells + self.headers + self.footers + self.footnotes + list(self.properties.values())


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
                 for kind in ("header", "footer", "footnotes", "endnotes")}
        core = parse("docProps/core.xml") if "docProps/core.xml" in names else None
    properties = {key: (core.findtext(tag) or "") if core is not None else "" for key, tag in CORE.items()}
    return DocumentText(
        body=[_paragraph_text(p) for p in body.iterfind(f"{W}p")],
        tables=[_table_text(t) for t in body.iterfind(f"{W}tbl")],
        headers=[_paragraph_text(p) for root in parts["header"] for p in root.iter(f"{W}p")],
        footers=[_paragraph_text(p) for root in parts["footer"] for p in root.iter(f"{W}p")],
        footnotes=[_paragraph_text(p) for root in parts["footnotes"] + parts["endnotes"] for p in root.iter(f"{W}p")],
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
    numbering = next((rel.target_part.element for rel in part.rels.values() if rel.reltype.endswith("/numbering")), None)
    if numbering is not None:  # a list level tied to a style that is gone names nothing
        for ref in list(numbering.iter(f"{W}pStyle")):
            if ref.get(f"{W}val") not in wanted:
                ref.getparent().remove(ref)
    latent = styles.find(f"{W}latentStyles")
    if latent is not None:
        styles.remove(latent)
