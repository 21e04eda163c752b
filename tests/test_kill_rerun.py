"""Issue 11: a batch killed at any moment (kill -9 of its whole process
group, LibreOffice included), then run again, leaves no temporary file
anywhere: not in the output folder, not in the temporary directory."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import BUNDLED_RECORDS, REPO
from .test_contracts import needs_soffice


def start_batch(configs: Path, records: Path, out: Path, env: dict, *extra: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "generator", "--configs", str(configs), "batch", str(records), "--out", str(out),
               "--jobs", "2", *extra]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def wait_for(condition, process: subprocess.Popen, seconds: float = 240) -> bool:
    """Poll until ``condition()`` holds or the process ends (a bound, not a timed assertion)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and process.poll() is None:
        if condition():
            return True
        time.sleep(0.02)
    return False


def kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def leftovers(out: Path, temp: Path) -> list[Path]:
    in_out = [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    return in_out + sorted(temp.iterdir())


def manifests_match(out: Path) -> None:
    for manifest in out.glob("*/manifest.json"):
        for entry in json.loads(manifest.read_text())["outputs"]:
            data = (manifest.parent / entry["path"]).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["path"]


@pytest.fixture
def setup(configs, tmp_path):
    records = tmp_path / "records"
    shutil.copytree(BUNDLED_RECORDS[0].parent, records)
    temp = tmp_path / "temp"
    temp.mkdir()
    env = dict(os.environ, TMPDIR=str(temp), XDG_CACHE_HOME=str(tmp_path / "cache"))
    return configs, records, tmp_path / "out", temp, env


def test_batch_killed_while_writing_then_rerun(setup):
    configs, records, out, temp, env = setup
    for files_written in (1, 10, 40):  # kill later each time
        process = start_batch(configs, records, out, env)
        wait_for(lambda: sum(1 for _ in out.rglob("*")) >= files_written, process)
        kill(process)
    done = subprocess.run([sys.executable, "-m", "generator", "--configs", str(configs), "batch", str(records),
                           "--out", str(out), "--jobs", "2"], cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert leftovers(out, temp) == []
    manifests_match(out)


def test_batch_with_pdf_killed_while_libreoffice_converts_then_rerun(setup):
    needs_soffice()
    configs, records, out, temp, env = setup
    process = start_batch(configs, records, out, env, "--pdf", "--only", "contract")
    converting = wait_for(lambda: any(temp.glob("partnerdocs-pdf-*/in/*.docx")), process)
    kill(process)
    assert converting, "the batch ended before LibreOffice started"
    assert any(temp.glob("partnerdocs-pdf-*"))  # what the kill left behind
    done = subprocess.run([sys.executable, "-m", "generator", "--configs", str(configs), "batch", str(records),
                           "--out", str(out), "--jobs", "2", "--pdf", "--only", "contract"],
                          cwd=REPO, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert leftovers(out, temp) == []
    # one PDF beside each agreement (two for a bilingual one)
    assert sorted(p.with_suffix("") for p in out.glob("*/contract/*.pdf")) == sorted(
        p.with_suffix("") for p in out.glob("*/contract/*.docx"))
    assert len({p.parent.parent for p in out.glob("*/contract/*.pdf")}) == len(BUNDLED_RECORDS)
    manifests_match(out)
