"""Issue 11: the output folder as it really is on a shared drive: other runs
at the same time, files and links where folders should be, a full or
read-only disk, the umask, leftovers of killed runs, damaged outputs."""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import batch as batch_module
from generator.batch import BatchResult, write_report
from generator.cli import cli

from .conftest import REPO
from .test_comms import comms_record
from .test_contracts import needs_soffice


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    return result


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def manifest_matches(folder: Path) -> bool:
    manifest = json.loads((folder / "manifest.json").read_text())
    return all(hashlib.sha256((folder / e["path"]).read_bytes()).hexdigest() == e["sha256"]
               for e in manifest["outputs"])


def run_process(configs: Path, *args, umask: int | None = None, file_size: int | None = None):
    """The CLI in a process of its own, for what a process owns: its umask, its file-size limit."""
    def limits():
        if umask is not None:
            os.umask(umask)
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))

    env = dict(os.environ, PARTNERDOCS_CONFIGS=str(configs))
    return subprocess.run([sys.executable, "-m", "generator", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=REPO, preexec_fn=limits, timeout=300)


# --- 6. concurrent runs ----------------------------------------------------------------------------------

def test_second_run_of_the_same_id_refuses_while_the_first_writes(write_record, configs, tmp_path):
    record = write_record()
    folder = tmp_path / "out" / "T-001"
    folder.mkdir(parents=True)
    handle = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # what a running generate holds
        result = run("--configs", configs, "generate", record, "--out", tmp_path / "out")
        assert result.exit_code == 1
        assert f"{folder}: another partnerdocs run is writing this partnership" in result.output
        assert files_under(folder) == []
    finally:
        os.close(handle)
    result = run("--configs", configs, "generate", record, "--out", tmp_path / "out")
    assert result.exit_code == 0 and manifest_matches(folder)


def test_two_batch_reports_in_the_same_instant_keep_both(tmp_path, monkeypatch):
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2027, 1, 5, 9, 30, 12, 345678)

    monkeypatch.setattr(batch_module, "datetime", Frozen)
    first = write_report(BatchResult([], 1.0, 1), Path("a.xlsx"), tmp_path, None)
    second = write_report(BatchResult([], 2.0, 2), Path("b.xlsx"), tmp_path, None)
    assert first != second
    assert json.loads(first.read_text())["input"] == "a.xlsx"
    assert json.loads(second.read_text())["input"] == "b.xlsx"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, second.name])


# --- 7. file-system states ---------------------------------------------------------------------------------

def test_partnership_folder_that_is_a_file(write_record, configs, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "T-001").write_text("notes")
    result = run("--configs", configs, "generate", write_record(), "--out", tmp_path / "out")
    assert result.exit_code == 2 and "out/T-001: exists and is not a folder" in result.output
    assert (tmp_path / "out" / "T-001").read_text() == "notes"


def test_output_path_that_is_a_folder(write_record, configs, tmp_path):
    target = tmp_path / "out" / "T-001" / "contract" / "T-001_small-grant.docx"
    target.mkdir(parents=True)
    result = run("--configs", configs, "generate", write_record(), "--out", tmp_path / "out")
    assert result.exit_code == 2 and f"{target}: is a folder where partnerdocs writes a file" in result.output
    assert files_under(tmp_path / "out") == []


@pytest.mark.parametrize("link", ["contract", "comms/logos"])
def test_links_inside_out_are_never_written_through(write_record, configs, tmp_path, link):
    outside = tmp_path / "outside"
    outside.mkdir()
    path = tmp_path / "out" / "T-001" / link
    path.parent.mkdir(parents=True)
    path.symlink_to(outside, target_is_directory=True)
    result = run("--configs", configs, "generate", write_record(comms_record()), "--out", tmp_path / "out")
    assert result.exit_code == 2 and f"{path}: is a symbolic link" in result.output
    assert list(outside.iterdir()) == []


def test_outputs_honour_the_umask(write_record, configs, tmp_path):
    done = run_process(configs, "generate", write_record(comms_record()), "--out", tmp_path / "out", umask=0o002)
    assert done.returncode == 0, done.stderr
    modes = {oct(p.stat().st_mode & 0o777) for p in files_under(tmp_path / "out")}
    assert modes == {oct(0o664)}


def test_a_write_that_fails_keeps_nothing_of_the_run(write_record, configs, tmp_path):
    """Writes past 20 KB fail (RLIMIT_FSIZE) as on a full disk: no file of the run, no temporary file."""
    out = tmp_path / "out"
    done = run_process(configs, "generate", write_record(comms_record()), "--out", out, file_size=20_000)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "cannot be written: File too large; nothing of this run was kept" in done.stderr
    assert files_under(out) == []
    done = run_process(configs, "generate", write_record(comms_record()), "--out", out)
    assert done.returncode == 0 and manifest_matches(out / "T-001")


@pytest.fixture
def small_disk(tmp_path):
    """A 96 KB tmpfs, where the system lets this user mount one."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if not shutil.which("mount") or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(mount)],
                                                   capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root); the RLIMIT_FSIZE test covers failed writes")
    yield mount
    subprocess.run(["umount", str(mount)], check=True)


def test_full_disk_keeps_nothing_and_read_only_disk_is_a_clean_error(write_record, configs, small_disk):
    out = small_disk / "out"
    result = run("--configs", configs, "generate", write_record(comms_record()), "--out", out)
    assert result.exit_code == 1 and "No space left on device; nothing of this run was kept" in result.output
    assert files_under(out) == []
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run("--configs", configs, "generate", write_record(comms_record()), "--out", out)
    assert result.exit_code == 1 and "Read-only file system" in result.output


def test_leftover_temporary_files_are_removed(write_record, configs, tmp_path):
    folder = tmp_path / "out" / "T-001"
    leftovers = [folder / "contract" / ".T-001_small-grant.docx.k1ll3d.tmp", folder / ".manifest.json.x.tmp"]
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half")
    result = run("--configs", configs, "generate", write_record(), "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert not any(p.exists() for p in leftovers)
    assert not list(folder.rglob("*.tmp"))


# --- 8. what is kept is verified ------------------------------------------------------------------------------

def test_truncated_pdf_is_remade_and_a_deleted_docx_is_restored(write_record, configs, tmp_path):
    needs_soffice()
    record, out = write_record(), tmp_path / "out"
    folder = out / "T-001"
    assert run("--configs", configs, "generate", record, "--out", out, "--pdf", "--only", "contract").exit_code == 0
    pdf = folder / "contract" / "T-001_small-grant.pdf"
    whole = pdf.read_bytes()
    pdf.write_bytes(whole[: len(whole) // 2])
    result = run("--configs", configs, "generate", record, "--out", out, "--pdf", "--only", "contract")
    assert result.exit_code == 0, result.output
    assert f"unchanged {pdf}" not in result.output
    assert pdf.read_bytes().rstrip().endswith(b"%%EOF") and manifest_matches(folder)

    docx = pdf.with_suffix(".docx")
    docx.unlink()
    made = pdf.read_bytes()
    result = run("--configs", configs, "generate", record, "--out", out, "--pdf", "--only", "contract")
    assert result.exit_code == 0, result.output
    assert docx.exists() and pdf.read_bytes() == made and manifest_matches(folder)


def test_batch_remakes_a_truncated_pdf(write_record, configs, tmp_path):
    needs_soffice()
    record, out = write_record(), tmp_path / "out"
    folder = out / "T-001"
    args = ("--configs", configs, "batch", record.parent, "--out", out, "--pdf", "--only", "contract")
    assert run(*args).exit_code == 0
    pdf = folder / "contract" / "T-001_small-grant.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])
    result = run(*args)
    assert result.exit_code == 0 and "1 written" in result.output
    assert pdf.read_bytes().rstrip().endswith(b"%%EOF") and manifest_matches(folder)
