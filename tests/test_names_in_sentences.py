"""Names in sentences (issue 13, item 5): each organisation says, per language,
which article its name takes; the templates get the phrases grammar needs
("À propos de l’Université…", "du Réseau…", "d’ESSA", "del Instituto", "the
Nordic Resilience Fund", "an academic…"). Every comms and contract template
that exists is rendered with names of each kind and read back."""
from __future__ import annotations

import json
import re

import docx
import pytest

from generator.grammar import phrases

from .conftest import BUNDLED_CONFIGS, REPO, cli_run

LANGUAGES_COMMS = sorted(p.name.split(".")[1] for p in (REPO / "comms_templates").glob("press-release.*.md"))
LANGUAGES_CONTRACT = sorted({p.name.split(".")[1] for p in (REPO / "contract_templates").glob("*.docx")})
BASE = (BUNDLED_CONFIGS / "partnerships" / "psh-2026-014.yaml").read_text(encoding="utf-8")

# Each kind of name: legal name, short name, grammar (YAML), type; and the phrases each
# language's documents must contain (written here by hand) and must not.
KINDS = {
    "vowel-initial, with article": (
        "Université Cheikh Anta Diop", "UCAD", "{fr: {article: \"l'\"}, es: {article: la}, en: {article: the}}",
        "academic",
        {"fr": ["En partenariat avec l’Université Cheikh Anta Diop", "À propos de l’Université Cheikh Anta Diop",
                "L’Université Cheikh Anta Diop et HSI lancent"],
         "en": ["In partnership with the Université Cheikh Anta Diop", "About the Université Cheikh Anta Diop",
                "an academic or research institution"],
         "es": ["Acerca de la Université Cheikh Anta Diop", "La Université Cheikh Anta Diop y HSI lanzan"]},
        ["de Université", "de le Université", "a academic", "avec Université"]),
    "masculine, with article": (
        "Réseau des Femmes Rurales", "REFER", "{fr: {article: le}, es: {article: el}}", "network",
        {"fr": ["À propos du Réseau des Femmes Rurales", "En partenariat avec le Réseau des Femmes Rurales"],
         "es": ["Acerca del Réseau des Femmes Rurales", "labor conjunta del Réseau des Femmes Rurales"],
         "en": ["About Réseau des Femmes Rurales", "a network of organisations"]},
        ["de le Réseau", "de el Réseau", "à le Réseau", "de Réseau"]),
    "plural": (
        "Amis de la Terre Niger", "ATN", "{fr: {article: les}, es: {article: los}}", "civil_society",
        {"fr": ["À propos des Amis de la Terre Niger", "Les Amis de la Terre Niger et HSI lancent"],
         "es": ["Acerca de los Amis de la Terre Niger"], "en": ["a civil-society organisation"]},
        ["de les Amis", "à les Amis", "de Amis"]),
    "acronym, bare": (
        "ESSA", "ESSA", "{}", "academic",
        {"fr": ["À propos d’ESSA", "En partenariat avec ESSA (ESSA)"],
         "en": ["ESSA (ESSA), an academic or research institution", "About ESSA"],
         "es": ["Acerca de ESSA"]},
        ["de ESSA", "a academic"]),
    "h-initial, mute": (
        "Habitat Solidaire Niger", "HSN", "{fr: {elision: true}}", "civil_society",
        {"fr": ["À propos d’Habitat Solidaire Niger"]}, ["de Habitat"]),
    "h-initial, aspirate": (
        "Handicap Niger", "HN", "{fr: {elision: false}}", "civil_society",
        {"fr": ["À propos de Handicap Niger"]}, ["d’Handicap"]),
}


def _record(legal: str, short: str, grammar: str, kind: str, language: str, comms: list[str]) -> str:
    text = BASE.replace("legal_name: Femmes Solidaires du Sahel", f"legal_name: {legal}")
    text = text.replace("short_name: FSS\n", f"short_name: {short}\n  grammar: {grammar}\n")
    text = text.replace("type: women_led", f"type: {kind}").replace("language: fr", f"language: {language}")
    text = re.sub(r"agreement_languages: .*\n|prevailing: .*\n", "", text)  # one version: the names are read
    text = text.replace("languages: [fr, en]", f"languages: [{', '.join(comms)}]")
    abouts = "".join(f"    {lang}: About text {lang}.\n" for lang in comms)
    text = re.sub(r"  about:\n(    .*\n|      .*\n)+", "  about:\n" + abouts, text)
    # The record's other texts are in fr and en only; this test reads the names, not the translations.
    return text + "translations: fallback\n"


def _docx_text(path) -> str:
    document = docx.Document(path)
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_phrases_follow_the_tables():
    assert phrases("Université X", "l'", "fr")["de"] == "de l’Université X"
    assert phrases("Réseau X", "le", "fr")["a"] == "au Réseau X"
    assert phrases("Amis X", "les", "fr")["de"] == "des Amis X"
    assert phrases("Instituto X", "el", "es")["a"] == "al Instituto X"
    assert phrases("AMAR", "a", "pt")["em"] == "na AMAR"
    assert phrases("AMAR", "a", "pt")["por"] == "pela AMAR"
    assert phrases("Oxfam", None, "fr")["de"] == "d’Oxfam"
    assert phrases("Nordic Resilience Fund", "the", "en")["The"] == "The Nordic Resilience Fund"


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_template_names_the_partner_as_grammar_needs(kind, configs, tmp_path):
    legal, short, grammar, partner_type, expected, forbidden = KINDS[kind]
    texts: dict[str, str] = {}
    for language in LANGUAGES_CONTRACT:
        record = configs / "partnerships" / f"names-{language}.yaml"
        record.write_text(_record(legal, short, grammar, partner_type, language, LANGUAGES_COMMS), encoding="utf-8")
        out = tmp_path / f"out-{language}"
        result = cli_run("--configs", configs, "generate", record, "--out", out, *(["--only", "contract"] if language != "en" else []))
        assert result.exit_code == 0, result.output
        folder = out / "PSH-2026-014"
        texts[language] = texts.get(language, "") + _docx_text(next((folder / "contract").glob("*.docx")))
        if language == "en":
            for lang in LANGUAGES_COMMS:
                comms = folder / "comms"
                texts[lang] = texts.get(lang, "") + "\n".join([
                    (comms / f"press-release.{lang}.md").read_text(encoding="utf-8"),
                    (comms / f"credit-line.{lang}.txt").read_text(encoding="utf-8"),
                    json.dumps(json.loads((comms / f"social.{lang}.json").read_text(encoding="utf-8")), ensure_ascii=False),
                    _docx_text(comms / f"press-release.{lang}.docx")])
    for language, phrases_ in expected.items():
        for phrase in phrases_:
            assert phrase in texts[language], (language, phrase)
    for language, text in texts.items():
        assert "{{" not in text
        for phrase in forbidden if language in ("en", "fr") else []:  # the wrong forms are French and English
            assert phrase not in text, (language, phrase)


def test_the_donor_takes_its_article(configs, tmp_path):
    """'financed in whole or in part by the Nordic Resilience Fund' (configs/donors.yaml: en article the)."""
    record = configs / "partnerships" / "psh-2026-052.yaml"
    result = cli_run("--configs", configs, "generate", record, "--out", tmp_path / "out", "--only", "contract")
    assert result.exit_code == 0, result.output
    text = _docx_text(next((tmp_path / "out" / "PSH-2026-052" / "contract").glob("*.docx")))
    assert "by the Nordic Resilience Fund" in text
    assert "by Nordic Resilience Fund" not in text


def test_an_article_that_does_not_fit_is_refused_with_its_place(configs):
    record = configs / "partnerships" / "bad.yaml"
    record.write_text(_record("Université X", "UX", "{fr: {article: la}}", "academic", "fr", ["fr"]), encoding="utf-8")
    result = cli_run("--configs", configs, "check", record)
    assert result.exit_code == 2
    assert "partner.grammar" in result.output and "write l’" in result.output
    assert "Traceback" not in result.output


def test_a_bare_h_name_in_french_needs_to_say_whether_it_elides(configs, tmp_path):
    record = configs / "partnerships" / "h.yaml"
    record.write_text(_record("Handicap Niger", "HN", "{}", "civil_society", "fr", ["fr"]), encoding="utf-8")
    result = cli_run("--configs", configs, "generate", record, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "partner.grammar.fr.elision" in result.output
    assert not (tmp_path / "out" / "PSH-2026-014" / "contract").exists()
