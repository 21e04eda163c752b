"""Workspace discovery: partnerdocs.toml in the current folder or a parent,
--workspace and $PARTNERDOCS_WORKSPACE, --configs, folders relative to the file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document


from .conftest import BUNDLED_CONFIGS, REPO, RECORD, make_logo
from .conftest import cli_run as run

TOML = """\
# a workspace laid out differently from the repository
[folders]
configs = "settings"
contract_templates = "templates/contracts"
comms_templates = "templates/comms"
records = "examples"
out = "build/documents"
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace whose folders are not where the repository keeps them, with one record."""
    root = tmp_path / "ws"
    shutil.copytree(BUNDLED_CONFIGS, root / "settings", ignore=shutil.ignore_patterns("partnerships"))
    shutil.copytree(REPO / "contract_templates", root / "templates" / "contracts", ignore=shutil.ignore_patterns("source"))
    shutil.copytree(REPO / "comms_templates", root / "templates" / "comms", ignore=shutil.ignore_patterns("source"))
    (root / "examples").mkdir()
    make_logo(root / "examples" / "logo.png")
    (root / "examples" / "t-001.yaml").write_text(RECORD, encoding="utf-8")
    # a complete record too: validate learns the templates' variables from the records
    shutil.copy(BUNDLED_CONFIGS / "partnerships" / "psh-2026-052.yaml", root / "examples")
    shutil.copytree(BUNDLED_CONFIGS / "partnerships" / "logos", root / "examples" / "logos")
    (root / "partnerdocs.toml").write_text(TOML, encoding="utf-8")
    return root


def test_found_from_a_subfolder_and_output_goes_to_its_out_folder(workspace, monkeypatch):
    monkeypatch.chdir(workspace / "examples")
    result = run("generate", "t-001.yaml", "--only", "contract")
    assert result.exit_code == 0, result.output
    contract = workspace / "build" / "documents" / "T-001" / "contract" / "T-001_small-grant.docx"
    text = "\n".join(p.text for p in Document(contract).paragraphs)
    assert "Test Partner Association" in text
    assert not (workspace / "examples" / "out").exists()


def test_workspace_option_and_environment_variable(workspace, tmp_path, monkeypatch):
    record = workspace / "examples" / "t-001.yaml"
    monkeypatch.chdir(tmp_path)  # outside the workspace
    by_option = run("--workspace", workspace, "tier", record)
    by_env = run("tier", record, env={"PARTNERDOCS_WORKSPACE": str(workspace)})
    for result in (by_option, by_env):
        assert result.exit_code == 0, result.output
        assert result.output.splitlines()[0] == "T-001: small-grant"


def test_workspace_option_reads_its_configuration_not_the_current_folders(workspace, tmp_path, monkeypatch):
    tiers = workspace / "settings" / "tiers.yaml"
    tiers.write_text(tiers.read_text().replace("max_amount: 25000,", "max_amount: 10000,"))
    monkeypatch.chdir(REPO)  # a folder with a configs/ of its own
    result = run("--workspace", workspace, "tier", workspace / "examples" / "t-001.yaml")
    assert result.output.splitlines()[0] == "T-001: standard-grant"


def test_configs_option_replaces_only_the_configuration(workspace, tmp_path, monkeypatch):
    """--configs elsewhere, with no templates beside it: the workspace's templates are used."""
    other = tmp_path / "elsewhere" / "my-configs"
    shutil.copytree(workspace / "settings", other)
    tiers = other / "tiers.yaml"
    tiers.write_text(tiers.read_text().replace("max_amount: 25000,", "max_amount: 10000,"))
    monkeypatch.chdir(workspace)
    result = run("--configs", other, "generate", "examples/t-001.yaml", "--only", "contract")
    assert result.exit_code == 0, result.output
    assert (workspace / "build" / "documents" / "T-001" / "contract" / "T-001_standard-grant.docx").is_file()


def test_validate_uses_the_workspace_folders(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    result = run("validate", "templates/contracts/small-grant.en.docx")
    assert result.exit_code == 0, result.output
    assert "1 template(s) and 2 record(s) checked" in result.output


def test_without_workspace_or_configs_one_error_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("tier", "record.yaml")
    assert result.exit_code == 2
    assert result.output.count("Error:") == 1 and "Traceback" not in result.output
    assert "no partnerdocs.toml in" in result.output
    assert "make a workspace with: partnerdocs init DIR" in result.output


def test_missing_configuration_folder_names_it_and_the_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("--configs", tmp_path / "nowhere", "tier", "record.yaml")
    assert result.exit_code == 2
    assert f"{tmp_path / 'nowhere'}: configuration folder not found; give the configuration folder with " \
           "--configs DIR" in result.output


def test_missing_folder_named_by_the_workspace_file(workspace, monkeypatch):
    (workspace / "settings").rename(workspace / "moved")
    monkeypatch.chdir(workspace)
    result = run("tier", "examples/t-001.yaml")
    assert result.exit_code == 2
    assert "settings: configuration folder not found (folders.configs in partnerdocs.toml)" in result.output


def test_workspace_option_without_a_workspace_file(tmp_path):
    result = run("--workspace", tmp_path, "tier", "record.yaml")
    assert result.exit_code == 2 and f"{tmp_path}: no partnerdocs.toml in this folder" in result.output


def test_unknown_folder_in_the_workspace_file_is_an_error_with_its_line(workspace, monkeypatch):
    text = TOML.replace('records = "examples"', 'recrods = "examples"')
    (workspace / "partnerdocs.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(workspace)
    result = run("tier", "examples/t-001.yaml")
    line = text.splitlines().index('recrods = "examples"') + 1
    assert result.exit_code == 2
    assert f"partnerdocs.toml:{line}: folders.recrods: unknown folder; did you mean 'records'?" in result.output


def test_invalid_toml_is_an_error(workspace, monkeypatch):
    (workspace / "partnerdocs.toml").write_text("[folders\n", encoding="utf-8")
    monkeypatch.chdir(workspace)
    result = run("tier", "examples/t-001.yaml")
    assert result.exit_code == 2 and "partnerdocs.toml: not valid TOML" in result.output


def test_the_repository_itself_works_without_a_workspace_file(monkeypatch):
    """A checkout: ./configs with the template folders beside it (the README's quick start)."""
    monkeypatch.chdir(REPO)
    result = run("check", "configs/partnerships/psh-2026-014.yaml")
    assert result.exit_code == 0, result.output
