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


WORK_PREFIX = "partnerdocs-pdf-"


@contextmanager
def _work_folder() -> Iterator[Path]:
    """A temporary folder for one conversion, locked while in use. A run
    killed mid-conversion cannot remove its folder (contract copies in it):
    the next conversion removes every such folder whose lock is free."""
    try:
        import fcntl
    except ImportError:
        fcntl = None
    if fcntl is not None:
        for stale in Path(tempfile.gettempdir()).glob(f"{WORK_PREFIX}*"):
            try:
                handle = os.open(stale, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
            except OSError:
                continue  # gone meanwhile, or not a folder of ours
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(stale, ignore_errors=True)
            except OSError:
                pass  # in use by a running conversion
            finally:
                os.close(handle)
    # Made under a name the clean-up above never matches, locked, then renamed:
    # a folder is never seen by another conversion before it is locked.
    making = Path(tempfile.mkdtemp(prefix=f".{WORK_PREFIX}"))
    work = making.with_name(making.name[1:])
    handle = os.open(making, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        os.rename(making, work)
        yield work
    finally:
        shutil.rmtree(work if work.exists() else making, ignore_errors=True)
        os.close(handle)


def to_pdf(documents: dict[str, bytes], timeout: int = 300) -> dict[str, bytes]:
    """Convert .docx files (name -> bytes) to PDF with ONE LibreOffice start,
    in a profile of its own so it never collides with a running office."""
    soffice = find_soffice()
    with _work_folder() as work_dir, _profile(work_dir) as profile:
        inputs = []
        for name, data in documents.items():
            path = work_dir / "in" / name
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(data)
            inputs.append(str(path))
        # LibreOffice's own temporary files go into the work folder too, removed with it.
        (work_dir / "tmp").mkdir()
        done = _convert(soffice, profile, inputs, work_dir, timeout)
        if not all((work_dir / "out" / (Path(name).stem + ".pdf")).exists() for name in documents) \
                and profile.parent != work_dir:
            # A kept profile left broken (e.g. by a killed office): start once more from a fresh one.
            shutil.rmtree(profile, ignore_errors=True) if profile.is_dir() else profile.unlink(missing_ok=True)
            done = _convert(soffice, profile, inputs, work_dir, timeout)
        results = {}
        for name in documents:
            pdf = work_dir / "out" / (Path(name).stem + ".pdf")
            if not pdf.exists():
                detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
                raise PartnerdocsError(f"LibreOffice could not convert {name} to PDF: {detail[0]}")
            results[name] = pdf.read_bytes()
        return results


def _convert(soffice: str, profile: Path, inputs: list[str], work_dir: Path, timeout: int):
    command = [
        soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
        "--convert-to", "pdf", "--outdir", str(work_dir / "out"), *inputs,
    ]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                              env=dict(os.environ, TMPDIR=str(work_dir / "tmp")))
    except subprocess.TimeoutExpired:
        raise PartnerdocsError(f"LibreOffice did not finish converting to PDF within {timeout} s") from None
