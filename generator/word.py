"""Word packages: refuse unsafe templates, save deterministically, read the
text back for checks."""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import docx
from lxml import etree

from .errors import InputError

MAX_MEMBERS = 2000
MAX_UNCOMPRESSED = 50 * 1024 * 1024
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


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


def read_text(data: bytes) -> DocumentText:
    """Text of the body, tables, headers, footers, footnotes and properties."""
    document = docx.Document(io.BytesIO(data))
    tables = [_table_text(t) for t in document.tables]
    headers, footers = [], []
    for section in document.sections:
        for part, sink in ((section.header, headers), (section.footer, footers)):
            sink += [p.text for p in part.paragraphs]
            for table in part.tables:
                sink += [cell for row in _table_text(table) for cell in row]
    footnotes = []
    for part in document.part.package.parts:
        if part.content_type.endswith("wordprocessingml.footnotes+xml"):
            root = etree.fromstring(part.blob)
            footnotes += ["".join(t.text or "" for t in root.iter("{*}t"))]
    props = document.core_properties
    properties = {k: getattr(props, k) or "" for k in ("title", "subject", "author", "keywords", "comments")}
    return DocumentText([p.text for p in document.paragraphs], tables, headers, footers, footnotes, properties)


def _table_text(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            text = "\n".join(p.text for p in cell.paragraphs)
            for inner in cell.tables:
                text += "\n" + "\n".join(" | ".join(r) for r in _table_text(inner))
            cells.append(text)
        rows.append(cells)
    return rows
