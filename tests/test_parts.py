"""The registry of parts and the one options object: generate, batch,
--only, the manifest and validate all follow the registry."""
from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from generator.batch import read_batch, run_batch
from generator.config import load_config
from generator.generate import generate
from generator.parts import NAMES, PARTS, Options, classify

from .conftest import cli_run as run

# The parts a user can name today, written down here (not read from the registry).
EXPECTED = {"contract", "comms", "pack"}


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_only_choices_are_the_registered_parts(configs, write_record, tmp_path):
    assert set(NAMES) == EXPECTED
    result = run("--configs", configs, "generate", write_record(), "--out", tmp_path / "out", "--only", "nothing")
    assert result.exit_code == 2
    for name in EXPECTED:
        assert f"'{name}'" in result.output
    assert not (tmp_path / "out").exists()
    for command in ("generate", "batch"):
        help_text = run("--configs", configs, command, "--help").output
        assert all(name in help_text for name in EXPECTED)


def test_each_part_writes_its_folder_and_its_manifest_inputs(configs, write_record, tmp_path):
    record, out = write_record(), tmp_path / "out"
    assert run("--configs", configs, "generate", record, "--out", out, "--only", "contract").exit_code == 0
    folder = out / "T-001"
    assert {f.split("/")[0] for f in _files(folder)} == {"contract", "manifest.json"}
    assert set(json.loads((folder / "manifest.json").read_text())["inputs"]) == {"contract"}


def test_comms_part_adds_to_the_manifest(configs, tmp_path):
    record = sorted((configs / "partnerships").glob("*.yaml"))[0]
    out = tmp_path / "out"
    assert run("--configs", configs, "generate", record, "--out", out, "--only", "contract").exit_code == 0
    assert run("--configs", configs, "generate", record, "--out", out, "--only", "comms").exit_code == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    assert {f.split("/")[0] for f in _files(folder)} == {"contract", "comms", "manifest.json"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["inputs"]) == {"contract", "comms"}
    # A run of every part writes only the one not made yet; the next run writes nothing.
    every = run("--configs", configs, "generate", record, "--out", out)
    written = [line.split()[-1] for line in every.output.splitlines() if line.startswith("wrote")]
    assert every.exit_code == 0 and written and all("/pack/" in p or p.endswith("manifest.json") for p in written)
    again = run("--configs", configs, "generate", record, "--out", out)
    assert again.exit_code == 0 and "wrote" not in again.output and "replaced" not in again.output


def test_options_are_one_frozen_object(configs, write_record, tmp_path):
    options = Options(dry_run=True, only="contract")
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.force = True  # type: ignore[misc]
    outcome = generate(write_record(), load_config(configs), tmp_path / "out", options)
    assert [f.status for f in outcome.files] == ["new", "new"]
    assert not (tmp_path / "out").exists()  # dry run: nothing written


def test_batch_takes_the_same_options(configs, tmp_path):
    out = tmp_path / "out"
    items = read_batch(configs / "partnerships")
    result = run_batch(items, load_config(configs), out, Options(only="contract"), jobs=1)
    assert not result.failed
    for folder in (p for p in out.iterdir() if p.is_dir()):
        assert {f.split("/")[0] for f in _files(folder)} == {"contract", "manifest.json"}


def test_every_bundled_template_belongs_to_a_part(configs):
    config = load_config(configs)
    templates = [p for folder in (config.contract_templates, config.comms_templates)
                 for p in folder.glob("*.*") if p.is_file() and p.name != "README.md"]
    assert templates
    assert all(classify(p) is not None for p in templates)
    assert classify(Path("notes.txt")) is None
    assert classify(Path("press-release.en.docx")) != classify(Path("core.en.docx"))
    assert len({p.name for p in PARTS}) == len(PARTS)
