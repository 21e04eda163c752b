"""`partnerdocs init DIR` makes a workspace that works as it is; `partnerdocs
new` writes a record skeleton that `check` refuses until it is filled in."""
from __future__ import annotations

import re

import yaml
from docx import Document

from .conftest import BUNDLED_CONFIGS, BUNDLED_RECORDS, line_of, make_logo
from .conftest import cli_run as run


def test_init_makes_a_workspace_that_validates_and_generates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("init", "ws").exit_code == 0
    ws = tmp_path / "ws"
    assert (ws / "configs" / "organisation.yaml").read_bytes() == (BUNDLED_CONFIGS / "organisation.yaml").read_bytes()
    assert (ws / "contract_templates" / "small-grant.fr.docx").is_file()
    assert (ws / "comms_templates" / "press-release.en.md").is_file()
    assert not (ws / "contract_templates" / "source").exists()
    # every bundled example, so that validate renders each tier's templates with a record of that tier
    assert sorted(p.name for p in (ws / "records").glob("*.yaml")) == sorted(p.name for p in BUNDLED_RECORDS)
    assert (ws / ".gitignore").read_text().splitlines() == ["/out/"]
    workflow = yaml.safe_load((ws / ".github" / "workflows" / "partnerdocs.yml").read_text())
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    assert {"run": "partnerdocs validate --strict --format github"} in workflow["jobs"]["validate"]["steps"]
    hooks = yaml.safe_load((ws / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert hooks == [{"id": "partnerdocs-validate"}]

    monkeypatch.chdir(ws)
    validated = run("validate", "--strict")
    assert validated.exit_code == 0, validated.output
    generated = run("generate", "records/psh-2026-052.yaml", "--only", "contract")
    assert generated.exit_code == 0, generated.output
    contract = next((ws / "out" / "PSH-2026-052" / "contract").glob("*.docx"))
    text = "\n".join(p.text for p in Document(contract).paragraphs)
    partner = yaml.safe_load((ws / "records" / "psh-2026-052.yaml").read_text())["partner"]["legal_name"]
    assert partner in text


def test_init_refuses_to_overwrite_without_force(tmp_path):
    ws = tmp_path / "ws"
    run("init", ws)
    tiers = ws / "configs" / "tiers.yaml"
    tiers.write_text("# our own tiers\n" + tiers.read_text())
    mine = tiers.read_bytes()

    refused = run("init", ws)
    assert refused.exit_code == 2
    assert f"{tiers}: exists with different content; rerun with --force to replace it" in refused.output
    assert tiers.read_bytes() == mine

    again = run("init", ws, "--force")
    assert again.exit_code == 0
    assert tiers.read_bytes() == (BUNDLED_CONFIGS / "tiers.yaml").read_bytes()
    unchanged = run("init", ws)  # same content: nothing to refuse
    assert unchanged.exit_code == 0 and f"unchanged {tiers}" in unchanged.output


# Values a grants officer would type, by field name (any other text field gets "Some text").
VALUES = {"id": "NEW-1", "kind": "implementing", "country": "NE", "countries": "NE", "currency": "USD",
          "amount": "20000", "email": "ali@example.org", "logo": "logo.png", "type": "civil_society",
          "start": "2027-01-15", "end": "2027-12-31", "announce_on": "2027-01-20", "org": "partner",
          "rating": "low", "release": "on_signature"}
PLACEHOLDER = re.compile(r'"FILL IN[^"]*"')


def fill_in(text: str) -> str:
    """Replace each placeholder by a value for its field, as a person would."""
    lines = []
    for line in text.splitlines():
        key = line.split(":")[0].strip(" -#")
        lines.append(PLACEHOLDER.sub(f'"{VALUES.get(key, "Some text")}"', line) if not line.lstrip().startswith("#")
                     else line)
    return "\n".join(lines) + "\n"


def test_new_skeleton_is_refused_naming_each_placeholder(tmp_path):
    path = tmp_path / "r.yaml"
    assert run("new", path).exit_code == 0
    text = path.read_text(encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 2
    assert f"{path}:{line_of(text, 'legal_name:')}: partner.legal_name: placeholder 'FILL IN' not replaced" \
        in result.output
    start = next(n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("start:"))  # not award_start
    assert f"{path}:{start}: start: placeholder 'FILL IN: YYYY-MM-DD' not replaced" in result.output
    assert f"{path}:{line_of(text, '    - line:')}: funding.budget[0].line: placeholder" in result.output
    # one line per placeholder, not a type error beside it
    assert sum(": start: " in line for line in result.output.splitlines()) == 1
    to_fill = [line for line in text.splitlines() if '"FILL IN' in line and not line.lstrip().startswith("#")]
    assert len([line for line in result.output.splitlines() if "placeholder" in line]) == len(to_fill)


def test_filled_in_financial_skeleton_checks(tmp_path):
    path = tmp_path / "r.yaml"
    run("new", path, "--language", "fr")
    make_logo(tmp_path / "logo.png")
    path.write_text(fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    result = run("--configs", BUNDLED_CONFIGS, "check", "--strict", path)
    assert result.exit_code == 0, result.output
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert record["language"] == "fr" and record["comms"]["languages"] == ["fr"]
    assert "tier small-grant" in result.output


def test_filled_in_non_financial_skeleton_is_a_collaboration(tmp_path):
    path = tmp_path / "r.yaml"
    run("new", path, "--non-financial")
    make_logo(tmp_path / "logo.png")
    path.write_text(fill_in(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert "funding" not in yaml.safe_load(path.read_text(encoding="utf-8"))
    result = run("--configs", BUNDLED_CONFIGS, "check", path)
    assert result.exit_code == 0, result.output
    assert "tier collaboration" in result.output


def test_skeleton_comments_come_from_the_model(tmp_path):
    from generator.models import Funding, Record

    path = tmp_path / "r.yaml"
    run("new", path)
    text = path.read_text(encoding="utf-8")
    assert f"# {Record.model_fields['id'].description}" in text
    assert f"# {Funding.model_fields['indirect_rate'].description} (optional)" in text
    for name in Record.model_fields:  # every field of the record is there, written or commented out
        assert re.search(rf"^(# )?{name}:", text, re.M), name


def test_new_refuses_to_overwrite_and_checks_the_language(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("id: MINE\n")
    refused = run("new", path)
    assert refused.exit_code == 2 and "rerun with --force" in refused.output
    assert path.read_text() == "id: MINE\n"
    bad = run("new", tmp_path / "x.yaml", "--language", "xx-nowhere")
    assert bad.exit_code == 2 and "language: 'xx-nowhere' is not a known language code" in bad.output
    assert not (tmp_path / "x.yaml").exists()
