"""PDF conversion with LibreOffice in headless mode."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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
    for candidate in (os.environ.get("PARTNERDOCS_SOFFICE"), "soffice", "libreoffice"):
        if candidate and shutil.which(candidate):
            return shutil.which(candidate)
    raise ToolMissing(INSTALL_HINT)


@contextmanager
def _profile(work_dir: Path) -> Iterator[Path]:
    """A LibreOffice user profile of our own, never shared with a running
    office or with another conversion at the same moment. Profiles are kept
    in the user's cache, so later conversions skip the first-start set-up
    (about 0.4 s); where no cache can be locked, a temporary one is used."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "partnerdocs"
    try:
        import fcntl

        cache.mkdir(parents=True, exist_ok=True)
    except (ImportError, OSError):
        yield work_dir / "profile"
        return
    for slot in range(16):
        with open(cache / f"libreoffice-{slot}.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # another conversion is using this profile
            yield cache / f"libreoffice-{slot}"
            return
    yield work_dir / "profile"


def to_pdf(documents: dict[str, bytes], timeout: int = 300) -> dict[str, bytes]:
    """Convert .docx files (name -> bytes) to PDF with ONE LibreOffice start,
    in a profile of its own so it never collides with a running office."""
    soffice = find_soffice()
    with tempfile.TemporaryDirectory(prefix="partnerdocs-pdf-") as work, _profile(Path(work)) as profile:
        work_dir = Path(work)
        inputs = []
        for name, data in documents.items():
            path = work_dir / "in" / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            inputs.append(str(path))
        command = [
            soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
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
