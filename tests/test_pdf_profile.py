"""A LibreOffice profile kept in the cache and left broken (by a killed
office, a full disk) does not make every later --pdf run fail."""
from __future__ import annotations

import io

from pypdf import PdfReader

from generator.pdf import to_pdf

from .conftest import REPO
from .test_contracts import needs_soffice


def test_a_broken_cached_profile_is_replaced(tmp_path, monkeypatch):
    needs_soffice()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    cache = tmp_path / "cache" / "partnerdocs"
    cache.mkdir(parents=True)
    (cache / "libreoffice-0").write_text("not a profile folder")  # the slot the first conversion takes
    document = (REPO / "contract_templates" / "collaboration.en.docx").read_bytes()
    pdf = to_pdf({"memo.docx": document})["memo.docx"]
    assert "MEMORANDUM" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text().upper()
    assert (cache / "libreoffice-0").is_dir()  # a working profile now stands in its place
