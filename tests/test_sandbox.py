"""Nothing a template holds can reach files or the document object, or make
the machine work without bound: every object of every context handed to a
template (contracts and comms) walked through the sandbox, and templates
that try end in one clean error naming the template."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2 import Undefined
from markupsafe import Markup

from generator import environment as environment_module
from generator.cli import cli
from generator.config import load_config
from generator.environment import environment
from generator.generate import generate
from generator.word import PlacedPicture

from .conftest import BUNDLED_CONFIGS, BUNDLED_RECORDS

SANDBOX = environment("xml")
LEAVES = (str, Markup, int, float, bool, type(None), Decimal, date, datetime)


def cli_run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def contexts(tmp_path_factory) -> list[dict]:
    """Every context a template of any kind was rendered with while every bundled record was generated."""
    seen: list[dict] = []
    original = environment_module.BoundedTemplate.render

    def recording(self, *args, **kwargs):
        seen.append(dict(*args, **kwargs))
        return original(self, *args, **kwargs)

    patch = pytest.MonkeyPatch()
    patch.setattr(environment_module.BoundedTemplate, "render", recording)
    try:
        out = tmp_path_factory.mktemp("out")
        config = load_config(BUNDLED_CONFIGS)
        for record in BUNDLED_RECORDS:
            generate(record, config, out)
    finally:
        patch.undo()
    return seen


def reachable(value, path: str, found: list[str], types: set) -> None:
    """Walk ``value`` as a template can, through the sandbox: items of
    containers and public attributes. A callable is allowed only as a method
    of plain data (str.upper, dict.items, the sandbox's own str.format ...)."""
    types.add(type(value))
    plain = isinstance(value, (dict, list, tuple, *LEAVES))
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, (list, tuple)) else ()
    for key, item in items:
        reachable(item, f"{path}[{key!r}]", found, types)
    for name in dir(value):
        if name.startswith("_"):
            continue
        attribute = SANDBOX.getattr(value, name)
        if isinstance(attribute, Undefined):
            continue
        if callable(attribute):
            method = getattr(attribute, "__wrapped__", attribute)
            owner = getattr(method, "__self__", None)
            defined_by = getattr(method, "__qualname__", "").split(".")[0]  # str.maketrans has no __self__
            if not (plain and (owner is value or (isinstance(owner, type) and isinstance(value, owner))
                               or defined_by in {c.__name__ for c in type(value).__mro__})):
                found.append(f"{path}.{name} is callable: {attribute!r}")
        elif not plain:
            found.append(f"{path}.{name} = {type(attribute).__name__}")
            reachable(attribute, f"{path}.{name}", found, types)


def test_contexts_of_both_kinds_were_captured(contexts):
    assert any("agreement" in c for c in contexts), "no contract context"
    assert any("logo_row" in c for c in contexts), "no press-release context"
    assert any("tags" in c for c in contexts), "no social-draft context"
    assert sum(isinstance(c.get("lead_logo"), PlacedPicture) for c in contexts) >= 12  # contracts and .docx releases


def test_no_callable_attribute_in_any_context_reaches_files_or_the_document(contexts):
    found: list[str] = []
    types: set = set()
    for context in contexts:
        reachable(context, "context", found, types)
    assert not found, "\n".join(sorted(set(found))[:20])
    assert types <= {dict, list, tuple, *LEAVES, PlacedPicture}, types


def test_a_picture_shows_a_template_nothing():
    picture = PlacedPicture(None)
    assert [n for n in dir(picture) if not n.startswith("_")] == []
    for name in ("tpl", "_image", "__html__", "__class__"):
        assert isinstance(SANDBOX.getattr(picture, name), Undefined)


def add_paragraph(path: Path, text: str) -> None:
    import docx

    document = docx.Document(path)
    document.add_paragraph(text)
    document.save(path)


def test_a_template_cannot_write_a_file_through_a_logo(configs, tmp_path):
    target = tmp_path / "escaped.docx"
    template = configs.parent / "contract_templates" / "standard-grant.en.docx"
    add_paragraph(template, "{{ lead_logo.tpl.save('%s') }}{{ lead_logo.tpl.replace_zipname('x', '/etc/passwd') }}"
                  % target)
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", configs / "partnerships" / "psh-2026-041.yaml", "--out", out)
    assert result.exit_code == 2, result.output
    assert f"{template}: word/document.xml: " in result.output and "tpl" in result.output
    assert not target.exists() and not out.exists()
    result = cli_run("--configs", configs, "validate", "--strict", template)
    assert result.exit_code == 1 and "lead_logo.tpl" in result.output
    assert not target.exists()


PAYLOADS = {
    "range": ("{% for i in range(200000) %}{% endfor %}", "range() of 200,000 items is over the limit"),
    "power": ("{{ 10**5000 }}", "10**5000 is over the limit"),
    "repetition": ("{{ 'a'*10**10 }}", "is over the limit of 1,000,000"),
    "recursive macro": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", "calls nested over"),
    "nested loops": ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
                     "the template does too much work"),
    "doubling": ("{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
                 "is over the limit of 1,000,000"),
    "division by zero": ("{{ 1 / 0 }}", "arithmetic refused: 1 / 0: division by zero"),
    "failing method": ("{{ 'a'.encode('no-such-codec') }}", "the template failed: unknown encoding: no-such-codec"),
    "deep nesting": ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "too deeply nested"),
    "wide format": ("{{ '%0999999999d' % 1 }}{{ '{:>999999999}'.format(1) }}", "width or precision over the limit"),
}


@pytest.mark.parametrize("kind", sorted(PAYLOADS))
def test_template_work_is_bounded_with_a_clean_error_naming_the_template(configs, tmp_path, kind):
    payload, message = PAYLOADS[kind]
    template = configs.parent / "contract_templates" / "standard-grant.en.docx"
    add_paragraph(template, payload)
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", configs / "partnerships" / "psh-2026-041.yaml", "--out", out)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: ") and f"{template}: word/document.xml: " in result.output
    assert message in result.output
    assert not out.exists()


def test_comms_template_work_is_bounded_too(configs, tmp_path):
    release = configs.parent / "comms_templates" / "press-release.en.md"
    release.write_text(release.read_text(encoding="utf-8") + "\n{{ range(200000) | list }}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = cli_run("--configs", configs, "generate", configs / "partnerships" / "psh-2026-041.yaml", "--out", out,
                     "--only", "comms")
    assert result.exit_code == 2, result.output
    assert f"{release}: " in result.output and "range() of 200,000 items is over the limit" in result.output
    assert not out.exists()


def test_ordinary_template_features_still_work():
    source = ("{% for row in rows %}{{ loop.index }}/{{ loop.length }} {{ row }}{% if loop.last %}.{% endif %}"
              "{% else %}none{% endfor %} {{ 'x' ~ 2 * 3 }} {{ '%05.1f' % 2.5 }} {{ '{:>4}'.format(7) }}"
              "{% macro item(n) %}[{{ n }}]{% endmacro %}{% for n in range(3) %}{{ item(n) }}{% endfor %}")
    assert SANDBOX.from_string(source).render(rows=["a", "b"]) == "1/2 a2/2 b. x6 002.5    7[0][1][2]"


@pytest.mark.parametrize("kind", ["recursive macro", "range"])
def test_validate_reports_unbounded_work_found_by_rendering(configs, kind):
    payload, message = PAYLOADS[kind]
    template = configs.parent / "contract_templates" / "standard-grant.en.docx"
    add_paragraph(template, payload)
    result = cli_run("--configs", configs, "validate", "--strict", template)
    assert result.exit_code == 1, result.output
    (line,) = [l for l in result.output.splitlines() if l.startswith(f"{template}:")]
    assert line.startswith(f"{template}: render with psh-2026-041.yaml: ") and message in line
