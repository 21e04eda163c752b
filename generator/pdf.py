"""PDF conversion with LibreOffice in headless mode."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import PartnerdocsError

INSTALL_HINT = (
    "LibreOffice is needed for --pdf but 'soffice' was not found; install it "
    "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui; macOS: brew install --cask libreoffice) "
    "or set $PARTNERDOCS_SOFFICE to its path"
)


class ToolMissing(PartnerdocsError):
    """Raised when an external tool (LibreOffice) is not installed. Exit code 2."""

    exit_code = 2


def find_soffice() -> str:
    import os

    for candidate in (os.environ.get("PARTNERDOCS_SOFFICE"), "soffice", "libreoffice"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    raise ToolMissing(INSTALL_HINT)


def to_pdf(documents: dict[str, bytes], timeout: int = 300) -> dict[str, bytes]:
    """Convert .docx files (name -> bytes) to PDF with ONE LibreOffice start,
    in a private user profile so it never collides with a running office."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="partnerdocs-pdf-") as work:
        work_dir = Path(work)
        inputs = []
        for name, data in documents.items():
            path = work_dir / "in" / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            inputs.append(str(path))
        command = [
            soffice, f"-env:UserInstallation=file://{work_dir / 'profile'}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(work_dir / "out"), *inputs,
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PartnerdocsError(f"LibreOffice did not finish converting to PDF within {timeout} s") from None
        results = {}
        for name in documents:
            pdf = work_dir / "out" / (Path(name).stem + ".pdf")
            if not pdf.exists():
                detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
                raise PartnerdocsError(f"LibreOffice could not convert {name} to PDF: {detail[0]}")
            results[name] = pdf.read_bytes()
        return results
