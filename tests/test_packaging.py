"""What an installation gets: the sdist and the wheel `python -m build` makes
(every subpackage, the bundled defaults, one version), the pre-commit hook and
the Action other repositories use, and a start that imports no library.
(.ci/wheel-smoke.sh installs the wheel in a fresh venv and runs it.)"""
from __future__ import annotations

import email
import importlib.util
import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.bundle import EXAMPLE_RECORD, sources

from .conftest import REPO

CI = os.environ.get("CI") == "true"


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """The sdist and the wheel, built once (the wheel from the sdist, as `python -m build` does)."""
    if importlib.util.find_spec("build") is None:
        if CI:
            pytest.fail("the `build` package is missing (it is in the dev extra)")
        pytest.skip("the `build` package is not installed (pip install -e '.[dev]')")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_wheel_has_every_subpackage_the_bundled_defaults_and_one_version(dist):
    (wheel,) = dist.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (REPO / "generator").rglob("__init__.py"):
        assert init.relative_to(REPO).as_posix() in names
    archive = zipfile.ZipFile(wheel)
    for name, source in sources(REPO).items():
        assert archive.read(f"generator/bundled/{name}") == source.read_bytes(), name
    assert f"generator/bundled/records/{EXAMPLE_RECORD}" in names
    assert not [n for n in names if "/source/" in n or "partnerships/" in n]
    metadata = email.message_from_bytes(archive.read(f"partnerdocs-{__version__}.dist-info/METADATA"))
    assert metadata["Version"] == __version__
    entry_points = archive.read(f"partnerdocs-{__version__}.dist-info/entry_points.txt").decode()
    assert "partnerdocs = generator.cli:main" in entry_points


def test_sdist_carries_the_folders_the_wheel_is_built_from(dist):
    (sdist,) = dist.glob("*.tar.gz")
    top = f"partnerdocs-{__version__}/"
    names = {n.removeprefix(top) for n in tarfile.open(sdist).getnames()}
    for path in ("setup.py", "pyproject.toml", "generator/bundle.py", "configs/organisation.yaml",
                 "contract_templates/small-grant.en.docx", "comms_templates/preview.html",
                 f"configs/partnerships/{EXAMPLE_RECORD}"):
        assert path in names, path


def test_pre_commit_hook_runs_validate_on_workspace_files():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "partnerdocs-validate"
    assert hook["entry"] == "partnerdocs validate --strict" and hook["language"] == "python"
    files = re.compile(hook["files"])
    for path in ("partnerdocs.toml", "configs/tiers.yaml", "contract_templates/small-grant.en.docx",
                 "comms_templates/social.fr.yaml", "records/psh-2026-052.yaml", "records/logos/x.png",
                 "partners/ws/records/a.yaml"):
        assert files.search(path), path
    for path in ("README.md", "src/records.py", "docs/configs.md"):
        assert not files.search(path), path


def test_action_is_composite_and_uses_only_its_inputs():
    action = yaml.safe_load((REPO / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    text = (REPO / "action.yml").read_text()
    used = set(re.findall(r"\$\{\{\s*inputs\.([\w-]+)\s*}}", text))
    assert used and used <= set(action["inputs"])
    runs = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "validate $strict --format github" in runs and "$GITHUB_ACTION_PATH" in runs


def test_help_and_version_import_no_library():
    """--help and --version start without pydantic, Babel, docxtpl ... (bench/startup.py times them)."""
    script = ("import sys\nfrom generator.cli import cli\n"
              "for args in (['--help'], ['--version']):\n"
              "    try:\n        cli(args, prog_name='partnerdocs')\n    except SystemExit:\n        pass\n"
              "heavy = ('pydantic', 'babel', 'docxtpl', 'docx', 'jinja2', 'openpyxl', 'yaml', 'lxml', 'PIL')\n"
              "print(sorted(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"
