"""The command line through Click's CliRunner: exit codes, messages, help."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import __version__
from generator.cli import cli

from .conftest import BUNDLED_CONFIGS, BUNDLED_RECORDS, RECORD, line_of
from .conftest import cli_run as run


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"partnerdocs, version {__version__}"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"partnerdocs {command}" in result.output


def test_check_bundled_records():
    result = run("--configs", BUNDLED_CONFIGS, "check", *BUNDLED_RECORDS)
    assert result.exit_code == 0, result.output
    assert result.output.count(": ok (") == len(BUNDLED_RECORDS)


def test_check_invalid_record_exits_2_with_one_line_per_problem(write_record):
    text = RECORD.replace("currency: USD", "currency: EUX").replace("kind: implementing", "kind: x")
    record = write_record(text)
    result = run("--configs", BUNDLED_CONFIGS, "check", record)
    assert result.exit_code == 2
    assert f"{record}:{line_of(text, 'kind: x')}: kind: " in result.output
    assert f"{record}:{line_of(text, 'EUX')}: funding.currency: 'EUX' is not an ISO 4217 currency code" in result.output
    assert "Error: 1 of 1 record(s) invalid" in result.output
    assert "Traceback" not in result.output


def test_check_reports_good_and_bad_records_together(write_record):
    good = write_record(name="good.yaml")
    bad = write_record(RECORD.replace("end: 2027-12-31", "end: 2020-01-01"), name="bad.yaml")
    result = run("--configs", BUNDLED_CONFIGS, "check", good, bad)
    assert result.exit_code == 2
    assert f"{good}: ok (T-001, tier small-grant)" in result.output
    assert f"{bad}:{line_of(RECORD, 'end:')}: end: end 2020-01-01 is before start 2027-01-15" in result.output


def test_check_refuses_an_unknown_key_unless_allowed(write_record):
    """Unknown keys are errors by default (issue 9); --allow-unknown makes them
    warnings, which --strict turns back into errors."""
    record = write_record(RECORD + "fundng: {}\n")
    refused = run("--configs", BUNDLED_CONFIGS, "check", record)
    assert refused.exit_code == 2
    assert "fundng: unknown field; did you mean 'funding'?" in refused.output
    allowed = run("--configs", BUNDLED_CONFIGS, "check", "--allow-unknown", record)
    assert allowed.exit_code == 0
    assert "fundng: unknown field; did you mean 'funding'? (ignored) [warning]" in allowed.output
    strict = run("--configs", BUNDLED_CONFIGS, "check", "--allow-unknown", "--strict", record)
    assert strict.exit_code == 2


def test_tier_text_explains_the_choice(write_record):
    record = write_record(RECORD.replace("countries: [NE]", "countries: [NE, ML]"))
    result = run("--configs", BUNDLED_CONFIGS, "tier", record)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "T-001: standard-grant"
    assert "  not small-grant: at most 1 country fails (2 countries)" in lines
    assert "partial month counting as a whole one" in result.output


def test_tier_json():
    record = BUNDLED_CONFIGS / "partnerships" / "psh-2026-014.yaml"
    result = run("--configs", BUNDLED_CONFIGS, "tier", "--format", "json", record)
    data = json.loads(result.output)
    assert data["tier"] == "complex-award"
    assert data["overridden"] is True and data["reason"].startswith("override: Donor requires")


def test_configs_from_environment_variable(tmp_path, configs, write_record):
    tiers = configs / "tiers.yaml"
    tiers.write_text(tiers.read_text().replace("max_amount: 25000,", "max_amount: 10000,"))
    result = run("tier", write_record(), env={"PARTNERDOCS_CONFIGS": str(configs)})
    assert result.output.splitlines()[0] == "T-001: standard-grant"


def test_missing_configs_folder(tmp_path, write_record):
    result = run("--configs", tmp_path / "nowhere", "tier", write_record())
    assert result.exit_code == 2
    assert "configuration folder not found" in result.output


def test_invalid_configuration_is_reported_with_its_line(configs, write_record):
    tiers = configs / "tiers.yaml"
    text = tiers.read_text().replace("max_months: 12,", "max_months: twelve,")
    tiers.write_text(text)
    result = run("--configs", configs, "tier", write_record())
    assert result.exit_code == 2
    assert f"{tiers}:{line_of(text, 'twelve')}: tiers[1].when.max_months: " in result.output


def test_missing_record_file(tmp_path):
    result = run("--configs", BUNDLED_CONFIGS, "tier", tmp_path / "none.yaml")
    assert result.exit_code == 2 and "file not found" in result.output


def test_python_dash_m(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "generator", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and __version__ in done.stdout


def test_readme_shows_the_current_help():
    """The README's `partnerdocs --help` block is what the tool prints today."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["--help"], prog_name="partnerdocs", terminal_width=78)
    assert result.exit_code == 0
    assert result.output.strip() in readme
