"""Edit a real template's XML in place, as Word would write it: tracked
changes, comments, hidden text, footnotes and endnotes (python-docx writes
none of these)."""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Callable

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORD_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def edit(path: Path, changes: dict[str, Callable]) -> None:
    """Rewrite ``path``: each part named in ``changes`` is parsed, passed to
    its function (which edits the tree, or returns bytes for a new part)."""
    with zipfile.ZipFile(path) as package:
        parts = {info.filename: package.read(info.filename) for info in package.infolist()}
    for name, change in changes.items():
        if name in parts:
            root = etree.fromstring(parts[name])
            change(root)
            parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        else:
            parts[name] = change(None)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)


def paragraph_with(root, text: str):
    """The first body paragraph whose text contains ``text``."""
    return next(p for p in root.iter(f"{W}p") if text in "".join(t.text or "" for t in p.iter(f"{W}t")))


def w(tag: str, **attributes) -> etree._Element:
    element = etree.Element(f"{W}{tag}", nsmap={"w": W_NS})
    for key, value in attributes.items():
        element.set(f"{W}{key}", value)
    return element


def run(text: str, deleted: bool = False) -> etree._Element:
    r = w("r")
    t = etree.SubElement(r, f"{W}{'delText' if deleted else 't'}")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def add_part(changes: dict, name: str, content_type: str, reltype: str, xml: bytes, rel_id: str) -> None:
    """Add a part related from the document (a comments, footnotes or endnotes part)."""
    changes[name] = lambda _: xml

    def relate(root):
        rel = etree.SubElement(root, f"{{{REL_NS}}}Relationship")
        rel.set("Id", rel_id)
        rel.set("Type", f"{OFFICE_REL}/{reltype}")
        rel.set("Target", name.removeprefix("word/"))

    def declare(root):
        override = etree.SubElement(root, f"{{{TYPES_NS}}}Override")
        override.set("PartName", f"/{name}")
        override.set("ContentType", content_type)

    changes["word/_rels/document.xml.rels"] = relate
    changes["[Content_Types].xml"] = declare


def notes_xml(kind: str, text: str) -> bytes:
    """A footnotes or endnotes part as Word writes it: the two separators and one note."""
    tag = kind[:-1]  # footnote / endnote
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:{kind} xmlns:w="{W_NS}">'
            f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
            f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
            f'<w:{tag} w:id="1"><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:{tag}>'
            f'</w:{kind}>').encode("utf-8")


def add_note(path: Path, kind: str, text: str, anchor: str) -> None:
    """A footnote or endnote holding ``text``, referenced from the paragraph containing ``anchor``."""
    changes: dict = {}
    add_part(changes, f"word/{kind}.xml", f"{WORD_TYPE}.{kind}+xml", kind, notes_xml(kind, text), "rIdNote1")

    def reference(root):
        paragraph = paragraph_with(root, anchor)
        r = w("r")
        r.append(w(f"{kind[:-1]}Reference", id="1"))
        paragraph.append(r)

    changes["word/document.xml"] = reference
    edit(path, changes)
