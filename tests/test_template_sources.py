"""The bundled Word templates are what their sources build (`make templates`):
a clause edited in a source and not rebuilt, or a .docx changed by hand and
not carried back to its source, fails here. The text parts are compared
(body, headers, footers, numbering), not the styles python-docx's own default
template brings, so a new python-docx does not fail it. Builds are byte-for-byte
reproducible (fixed zip entry times): `make templates` on unchanged sources
changes no file."""
from __future__ import annotations

import importlib.util
import re
import zipfile

import pytest

from .conftest import REPO

BUILDS = {"contract": REPO / "contract_templates" / "source" / "build.py",
          "comms": REPO / "comms_templates" / "source" / "build.py"}


TEXT_PARTS = re.compile(r"word/(document|header\d*|footer\d*|numbering)\.xml")


def _text_parts(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name) for name in package.namelist() if TEXT_PARTS.fullmatch(name)}


def _builder(kind: str, out):
    spec = importlib.util.spec_from_file_location(f"{kind}_build", BUILDS[kind])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.OUT = out  # build into a scratch folder, not over the bundled templates
    return module


CASES = [("contract", p) for p in sorted((REPO / "contract_templates" / "source").glob("*.*.yaml"))] + [
    ("comms", p) for p in sorted((REPO / "comms_templates").glob("press-release.*.md"))]


@pytest.mark.parametrize("kind, source", CASES, ids=[p.name for _, p in CASES])
def test_each_bundled_template_is_its_source_built(kind, source, tmp_path):
    built = _builder(kind, tmp_path).build(source)
    bundled = BUILDS[kind].parent.parent / built.name
    parts = _text_parts(built)
    assert "word/document.xml" in parts
    assert parts == _text_parts(bundled), f"{bundled.name} differs from {source.name}: run `make templates`"
