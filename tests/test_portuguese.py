"""Portuguese agreements (issue #13, item 3): the bundled pt-MZ example and a
Brazilian (pt-BR) copy of it are generated and their agreements read back with
python-docx: Portuguese headings, the amount in figures and in words as ICU
writes it for that locale (European spelling outside Brazil, Brazilian in
pt-BR), dates written out in Portuguese, and the partner named with the
preposition contracted with its article ("refere-se à Associação…")."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import docx
import pytest

from .conftest import BUNDLED_CONFIGS, REPO, cli_run
from .test_amounts import expected, need_icu

EXAMPLE = BUNDLED_CONFIGS / "partnerships" / "psh-2026-060.yaml"
PARTNER = "Associação de Mulheres para o Desenvolvimento de Cabo Delgado"
HEADINGS = ["ACORDO DE SUBVENÇÃO", "Partes", "Considerandos e objeto", "Definições",
            "Montante da Subvenção e orçamento", "Calendário de adiantamentos", "Conta bancária", "Relatórios",
            "Partilha de riscos", "Disposições finais", "Anexo A – Avaliação conjunta de ambas as Partes",
            "Anexo B – Plano de ações iniciais", "Anexo C – Responsáveis autorizados"]
# A Brazilian copy of the example with an amount whose words differ between the two spellings
# (dezesseis / dezasseis): no indirect-cost line, two advances, no final payment.
BRAZIL_FUNDING = """funding:
  amount: 216016
  currency: USD
  budget:
    - {line: Pessoal de campo e coordenação, amount: 100000}
    - {line: Formação e acompanhamento dos grupos de poupança, amount: 80000}
    - {line: Kits de início de atividades geradoras de renda, amount: 36016}
  advances:
    - {amount: 120000, release: on_signature}
    - {amount: 96016, release: {liquidated_percent: 70, of_tranche: 1}}
"""


def _agreement_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _generate(record: Path, out: Path) -> str:
    result = cli_run("generate", record, "--out", out, "--only", "contract")
    assert result.exit_code == 0, result.output
    (agreement,) = (out / "PSH-2026-060" / "contract").glob("*.docx")
    return _agreement_text(agreement)


@pytest.fixture(scope="module")
def mozambique(tmp_path_factory) -> str:
    return _generate(EXAMPLE, tmp_path_factory.mktemp("pt-MZ"))


@pytest.fixture(scope="module")
def brazil(tmp_path_factory) -> str:
    """The example as a Brazilian record, in a private copy of the configuration."""
    root = tmp_path_factory.mktemp("pt-BR")
    shutil.copytree(BUNDLED_CONFIGS, root / "configs")
    for templates in ("contract_templates", "comms_templates"):
        shutil.copytree(REPO / templates, root / templates, ignore=shutil.ignore_patterns("source"))
    text = EXAMPLE.read_text(encoding="utf-8").replace("language: pt-MZ", "language: pt-BR")
    text, replaced = re.subn(r"^funding:\n(?:  .*\n)+", BRAZIL_FUNDING, text, flags=re.M)
    assert replaced == 1
    record = root / "configs" / "partnerships" / EXAMPLE.name
    record.write_text(text, encoding="utf-8")
    result = cli_run("--configs", root / "configs", "generate", record, "--out", root / "out", "--only", "contract")
    assert result.exit_code == 0, result.output
    (agreement,) = (root / "out" / "PSH-2026-060" / "contract").glob("*.docx")
    return _agreement_text(agreement)


def test_the_mozambican_agreement_is_in_portuguese(mozambique):
    lines = mozambique.splitlines()
    for heading in HEADINGS:
        assert any(line.strip().endswith(heading) for line in lines), heading
    assert "{{" not in mozambique and "{%" not in mozambique
    for english in ("Agreement", "Grant", "the Partner", "Lead Organisation", "Tranche 1:", "None recorded",
                    "On signature", "months"):
        assert english not in mozambique, english


def test_the_mozambican_amount_is_written_as_icu_writes_it_in_pt_mz(mozambique):
    need_icu()
    words = expected(145000, 0, "USD", "pt-MZ")
    assert words == "cento e quarenta e cinco mil dólares dos Estados Unidos"
    assert f"145\u00a0000,00\u00a0USD ({words})" in mozambique


def test_the_brazilian_amount_is_written_as_icu_writes_it_in_pt_br(brazil):
    need_icu()
    words = expected(216016, 0, "USD", "pt-BR")
    assert words == "duzentos e dezesseis mil e dezesseis dólares americanos"
    assert f"USD\u00a0216.016,00 ({words})" in brazil
    assert "dezasseis" not in brazil


def test_dates_are_written_out_in_portuguese(mozambique, brazil):
    for text in (mozambique, brazil):
        assert "de 1 de fevereiro de 2027 a 31 de julho de 2028" in text
        assert "18 meses" in text


def test_the_partner_is_named_with_the_contracted_article(mozambique, brazil):
    for text in (mozambique, brazil):
        assert f"a designação “Parceiro” refere-se à {PARTNER}" in text
        assert f"refere-se a a {PARTNER}" not in text and f"a {PARTNER}, entidade" not in text
    assert "titular da conta: " + PARTNER in mozambique
    assert "Quando tiver sido justificado pelo menos 70% da tranche 1" in mozambique


# Each tier's bundled example, rendered in Portuguese (Mozambique) with its free text falling back to the
# record's language; the titles as the Portuguese templates are meant to say them, written here by hand.
PT_TITLES = {"collaboration": ("psh-2026-030.yaml", "MEMORANDO DE ENTENDIMENTO"),
             "small-grant": ("psh-2026-021.yaml", "ACORDO DE PEQUENA SUBVENÇÃO"),
             "standard-grant": ("psh-2026-041.yaml", "ACORDO DE SUBVENÇÃO"),
             "complex-award": ("psh-2026-052.yaml", "ACORDO DE FINANCIAMENTO")}


@pytest.mark.parametrize("tier", sorted(PT_TITLES))
def test_every_tier_has_a_portuguese_agreement_word_accepts(tier, tmp_path):
    import subprocess
    import sys

    import yaml

    from generator.config import load_config
    from generator.generate import generate

    from .test_word_fidelity import CHECKER, needs_checker

    needs_checker()
    example, title = PT_TITLES[tier]
    (tmp_path / "logos").symlink_to(BUNDLED_CONFIGS / "partnerships" / "logos")
    data = yaml.safe_load((BUNDLED_CONFIGS / "partnerships" / example).read_text(encoding="utf-8"))
    data.update(language="pt-MZ", translations="fallback")
    path = tmp_path / f"{tier}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    outcome = generate(path, load_config(BUNDLED_CONFIGS), tmp_path / "out", only="contract")
    (agreement,) = [f.path for f in outcome.files if f.path.suffix == ".docx"]
    assert agreement.name.endswith(f"_{tier}.docx")
    assert docx.Document(agreement).paragraphs[0].text == title
    checked = subprocess.run([sys.executable, str(CHECKER), str(agreement)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
