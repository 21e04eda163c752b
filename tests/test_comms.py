"""Co-branded communications, read back as a communications officer would:
the Word release with python-docx, the HTML with a parser, the drafts as
the platforms count them."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest

from generator.comms.cobranding import parse_html
from generator.comms.social import count
from generator.config import load_config
from generator.generate import generate
from generator.records import load_record
from generator.translations import COMMS as COMMS_DOCUMENTS, in_language
from generator.word import read_text

from .conftest import BUNDLED_CONFIGS, BUNDLED_RECORDS, RECORD, REPO
from .conftest import cli_run as run

COMMS = """\
comms:
  languages: [en]
  announce_on: 2027-02-01
  speakers:
    - {org: lead, name: Jane Doe, title: Regional Director, quote: "We back what partners build."}
    - {org: partner, name: Awa Diallo, title: Director, quote: "Our members lead this work."}
  hashtags: ["#Test"]
  platforms: [x, linkedin, facebook, instagram]
"""
SOCIAL = "  social: {x: '@TPA_NE', linkedin: tpa-ne, facebook: TPANiger, instagram: tpa.ne}\n"
ABOUT = "  about: {en: Test Partner Association works with farmers in Niger.}\n"


def comms_record(**replace) -> str:
    text = RECORD.replace("  contact: {name: Ali Sani", SOCIAL + ABOUT + "  contact: {name: Ali Sani") + COMMS
    for old, new in replace.items():
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def bundled_comms(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("comms")
    config = load_config(BUNDLED_CONFIGS)
    for record in BUNDLED_RECORDS:
        generate(record, config, out, only="comms")
    return out


def bundled_cases():
    for path in BUNDLED_RECORDS:
        record = load_record(path).record
        for language in record.comms.languages:
            yield pytest.param(path, language, id=f"{record.id}-{language}")


@pytest.mark.parametrize("record_path, language", list(bundled_cases()))
def test_release_in_every_language_follows_the_co_branding_rules(bundled_comms, record_path, language):
    record = in_language(load_record(record_path), language, COMMS_DOCUMENTS).record  # its text in that language
    lead = load_config(BUNDLED_CONFIGS).organisation
    folder = bundled_comms / record.id / "comms"
    partner = record.partner

    document = docx.Document(folder / f"press-release.{language}.docx")
    visible = [p.text for p in document.paragraphs if p.text.strip()]
    draft_mark, headline, first = visible[0], visible[1], visible[2]
    assert lead.legal_name in draft_mark and partner.legal_name in draft_mark
    assert partner.legal_name in headline or partner.legal_name in first
    body = "\n".join(visible)
    for speaker in record.comms.speakers:
        assert speaker.quote in body and speaker.name in body
    assert lead.about[language] in body and partner.about in body
    # The media contacts (issue 9: the press contact is not the officer who signs requests for funds).
    office = lead.office(record.lead_office)
    lead_media, partner_media = office.press_contact or office.contact, partner.press_contact or partner.contact
    assert lead_media.email in body and partner_media.email in body

    with zipfile.ZipFile(folder / f"press-release.{language}.docx") as package:
        header = next(package.read(n).decode() for n in package.namelist() if n.startswith("word/header"))
    import re

    heights = [int(cy) for cy in re.findall(r'<wp:extent cx="\d+" cy="(\d+)"', header)]
    assert len(heights) == 2 and abs(heights[0] - heights[1]) <= 0.01 * max(heights)

    page = (folder / f"press-release.{language}.html").read_text(encoding="utf-8")
    html = parse_html(page)
    # alt text in the release's language, as a screen reader should say it there
    alt = {"en": "{} logo", "fr": "Logo\u00a0: {}", "es": "Logotipo: {}", "pt": "Logótipo: {}", "ar": "شعار {}"}[
        language.split("-")[0]]
    wanted = {alt.format(lead.legal_name), alt.format(partner.legal_name)}
    logos = [img for img in html.images if img.get("alt") in wanted]
    assert {img["alt"] for img in logos} == wanted
    assert len({img["height"] for img in logos}) == 1
    assert all(img["src"].startswith("data:image/") for img in logos)
    assert partner.legal_name in html.headline or partner.legal_name in html.paragraphs[0]
    assert ('dir="rtl"' in page) == (language == "ar")

    markdown = (folder / f"press-release.{language}.md").read_text(encoding="utf-8")
    assert 'src="logos/lead.png"' in markdown and (folder / "logos" / "lead.png").exists()


@pytest.mark.parametrize("record_path, language", list(bundled_cases()))
def test_social_drafts_tag_both_and_fit(bundled_comms, record_path, language):
    record = in_language(load_record(record_path), language, COMMS_DOCUMENTS).record
    lead = load_config(BUNDLED_CONFIGS).organisation
    folder = bundled_comms / record.id / "comms"
    drafts = json.loads((folder / f"social.{language}.json").read_text(encoding="utf-8"))
    assert list(drafts) == record.comms.platforms
    limits = {"x": 280, "linkedin": 3000, "facebook": 63206, "instagram": 2200}
    for platform, draft in drafts.items():
        handles = [getattr(org.social, platform) for org in (lead, record.partner)]
        for handle in handles:
            assert ("@" + handle.lstrip("@")) in draft["text"]
        for hashtag in record.comms.hashtags:
            assert hashtag in draft["text"]
        assert draft["limit"] == limits[platform] and draft["length"] <= draft["limit"]
        assert draft["length"] == count(platform, draft["text"])
        # each quote on its own line and the hashtags apart from the text before them, as a person would post it
        lines = draft["text"].splitlines()
        for speaker in record.comms.speakers:
            if platform != "x" and speaker.org == "partner":
                (line,) = [line for line in lines if speaker.quote in line]
                assert line[0] in "“«\"", (platform, draft["text"])
        assert not re.search(r"[^\s]#[^\W\d_]", draft["text"]), (platform, draft["text"])
    markdown = (folder / f"social.{language}.md").read_text(encoding="utf-8")
    for draft in drafts.values():
        assert f"{draft['length']} / {draft['limit']}" in markdown and draft["text"] in markdown


def test_posting_plan_and_credit_lines(bundled_comms):
    folder = bundled_comms / "PSH-2026-052" / "comms"
    rows = list(csv.reader(io.StringIO((folder / "posting-plan.en.csv").read_text())))
    assert rows[0][:5] == ["Date", "Platform", "Posts", "Then", "Draft"]
    assert [r[1] for r in rows[1:5]] == ["x", "linkedin", "facebook", "instagram"]
    assert all(date.fromisoformat(r[0]) >= date(2027, 1, 15) for r in rows[1:])
    assert {r[2] for r in rows[1:]} == {"HSI", "BCWN"} and all(r[2] != r[3] for r in rows[1:])
    assert "| 2027-01-15 | x | BCWN | HSI | social.en.md\\#x |" in (folder / "posting-plan.en.md").read_text()
    credit = (folder / "credit-line.en.txt").read_text()
    assert credit.count("Bangladesh Coastal Women's Network") == 2 and "USD 1,250,000.00" in credit


def test_french_release_uses_french_dates(bundled_comms):
    text = "\n".join(read_text((bundled_comms / "PSH-2026-014" / "comms" / "press-release.fr.docx").read_bytes()).body)
    assert "20 janvier 2027" in text and "Femmes Solidaires du Sahel" in text


def test_arabic_release_reads_right_to_left(bundled_comms):
    folder = bundled_comms / "PSH-2026-041" / "comms"
    page = (folder / "press-release.ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in page
    assert "مركز الأمل للدراسات والبحوث" in page
    with zipfile.ZipFile(folder / "press-release.ar.docx") as package:
        styles = package.read("word/styles.xml").decode()
        body = package.read("word/document.xml").decode()
    assert "<w:bidi/>" in styles and "<w:rtl/>" in body
    assert "مركز الأمل للدراسات والبحوث" in "\n".join(read_text((folder / "press-release.ar.docx").read_bytes()).body)


# --- X counting ------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ("hello", 5),
        ("see https://example.org/a/very/long/path/that/goes/on/and/on", 4 + 23),
        ("日本語", 6),  # CJK characters count 2
        ("👍", 2),
        ("👩‍👩‍👧", 2),  # one emoji sequence counts 2
        ("é", 1),
        ("مرحبا", 5),
    ],
)
def test_x_counts_the_way_x_does(text, expected):
    assert count("x", text) == expected


def test_other_platforms_count_characters():
    assert count("linkedin", "日本語 👍") == 5


# --- data is data -------------------------------------------------------------------

def test_script_and_braces_in_a_quote_are_text(write_record, configs, tmp_path):
    quote = "<script>alert(1)</script> {{ 7*7 }} & *not bold*"
    record = write_record(comms_record(**{'quote: "Our members lead this work."': f"quote: '{quote}'"}))
    outcome = generate(record, load_config(configs), tmp_path / "out", only="comms")
    folder = tmp_path / "out" / "T-001" / "comms"
    assert outcome.files
    page = (folder / "press-release.en.html").read_text()
    assert "<script>" not in page
    assert quote in "".join(parse_html(page).text)
    body = "\n".join(read_text((folder / "press-release.en.docx").read_bytes()).body)
    assert quote in body
    drafts = json.loads((folder / "social.en.json").read_text())
    assert quote in drafts["linkedin"]["text"]


# --- co-branding errors ------------------------------------------------------------

@pytest.mark.parametrize(
    "replace, message",
    [
        ({"    - {org: partner, name: Awa Diallo, title: Director, quote: \"Our members lead this work.\"}\n": ""},
         "co-branding rule 'a quote from a speaker of each organisation' failed: comms.speakers has no speaker with org: partner"),
        ({"  logo: logo.png\n": ""},
         "rule 'both logos at the same height' cannot be met: partner.logo is missing"),
        ({"instagram: tpa.ne}": "}"},
         "partner.social.instagram is missing"),
        ({"  about: {en: Test Partner Association works with farmers in Niger.}\n": ""},
         "co-branding rule ''About' text and a contact for both organisations' failed: partner.about.en is missing"),
        ({"title: Test partnership": "title: " + "A very long partnership title " * 8},
         "x draft is"),
    ],
)
def test_co_branding_errors_exit_1_and_write_nothing(write_record, configs, tmp_path, replace, message):
    record = write_record(comms_record(**replace))
    out = tmp_path / "out"
    result = run("--configs", configs, "comms", record, "--out", out)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_record_without_comms(write_record, configs, tmp_path):
    out = tmp_path / "out"
    only = run("--configs", configs, "comms", write_record(), "--out", out)
    assert only.exit_code == 1 and "comms is missing" in only.output
    both = run("--configs", configs, "generate", write_record(), "--out", out)
    assert both.exit_code == 0 and "T-001: no comms section: communications not generated" in both.output


# --- writing --------------------------------------------------------------------------

def test_deterministic_and_in_the_manifest(write_record, configs, tmp_path):
    record = write_record(comms_record())
    config = load_config(configs)
    first = generate(record, config, tmp_path / "a", only="comms")
    second = generate(record, config, tmp_path / "b", only="comms")
    assert [f.data for f in first.files] == [f.data for f in second.files]
    manifest = json.loads((tmp_path / "a" / "T-001" / "manifest.json").read_text())
    listed = {entry["path"]: entry["sha256"] for entry in manifest["outputs"]}
    docx_path = tmp_path / "a" / "T-001" / "comms" / "press-release.en.docx"
    assert listed["comms/press-release.en.docx"] == hashlib.sha256(docx_path.read_bytes()).hexdigest()
    assert "comms_templates/social.en.yaml" in {t["path"] for t in manifest["templates"]}


def test_contract_and_comms_share_the_manifest(write_record, configs, tmp_path):
    record = write_record(comms_record())
    out = tmp_path / "out"
    assert run("--configs", configs, "generate", record, "--out", out, "--only", "contract").exit_code == 0
    assert run("--configs", configs, "comms", record, "--out", out).exit_code == 0
    paths = {e["path"] for e in json.loads((out / "T-001" / "manifest.json").read_text())["outputs"]}
    assert "contract/T-001_small-grant.docx" in paths and "comms/social.en.json" in paths


def test_comms_dry_run_and_force(write_record, configs, tmp_path):
    record = write_record(comms_record())
    out = tmp_path / "out"
    dry = run("--configs", configs, "comms", record, "--out", out, "--dry-run")
    assert dry.exit_code == 0 and "would write" in dry.output and not out.exists()
    assert run("--configs", configs, "comms", record, "--out", out).exit_code == 0
    record.write_text(comms_record(**{"#Test": "#Changed"}))
    refused = run("--configs", configs, "comms", record, "--out", out)
    assert refused.exit_code == 2 and "rerun with --force" in refused.output
    assert run("--configs", configs, "comms", record, "--out", out, "--force").exit_code == 0
    assert "#Changed" in (out / "T-001" / "comms" / "social.en.md").read_text()


# --- the preview in a real browser -----------------------------------------------------

def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required under CI=true; .ci/run installs Debian's chromium")
    pytest.skip("Chromium is not installed; install Debian's chromium to run the preview test")


def test_preview_in_headless_chromium(bundled_comms, tmp_path):
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    preview = bundled_comms / "PSH-2026-014" / "comms" / "preview.html"
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        # A fresh profile each run; as root Chromium needs --no-sandbox, and this
        # machine's closed network needs background networking off.
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            viewport={"width": 1300, "height": 1000},
        )
        try:
            page = browser.new_page()
            page.goto(preview.as_uri())
            logos = page.locator("header.logos img.logo")
            assert logos.count() == 2
            boxes = [logos.nth(i).bounding_box() for i in range(2)]
            assert all(box and box["height"] > 10 and box["width"] > 10 for box in boxes)
            assert abs(boxes[0]["height"] - boxes[1]["height"]) <= 0.01 * boxes[0]["height"]
            assert all(logos.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(2))
            cards = page.locator(".card")
            assert cards.count() == 8  # four platforms, two languages
            for i in range(cards.count()):
                card = cards.nth(i)
                assert card.locator(".count").is_visible()
                assert " / " in card.locator(".count").inner_text()
            page.screenshot(path=str(artifacts / "preview-PSH-2026-014.png"), full_page=True)
        finally:
            browser.close()
    assert (artifacts / "preview-PSH-2026-014.png").stat().st_size > 10_000


def test_template_that_drops_the_lead_about_fails_the_rule(write_record, configs, tmp_path):
    template = configs.parent / "comms_templates" / "press-release.en.md"
    text = template.read_text()
    assert "{{ lead.about }}" in text
    template.write_text(text.replace("{{ lead.about }}", "See our website."))
    out = tmp_path / "out"
    result = run("--configs", configs, "comms", write_record(comms_record()), "--out", out)
    assert result.exit_code == 1
    assert "co-branding rule ''About' text and a contact for both organisations' failed" in result.output
    assert "'Horizons Solidarity International (HSI) is an inde'… is missing" in result.output
    assert not out.exists()


def test_social_template_printing_an_empty_value(write_record, configs, tmp_path):
    """{{ link }} without its {% if %} and a record with no link: one clear error, no traceback."""
    template = configs.parent / "comms_templates" / "social.en.yaml"
    template.write_text(template.read_text().replace("{% if link %} {{ link }}{% endif %}", " {{ link }}"))
    result = run("--configs", configs, "comms", write_record(comms_record()), "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert f"{template}: x: a template printed an empty value" in result.output
    assert not (tmp_path / "out").exists()


def test_each_language_uses_its_own_title(bundled_comms):
    folder = bundled_comms / "PSH-2026-014" / "comms"
    french = parse_html((folder / "press-release.fr.html").read_text(encoding="utf-8"))
    english = parse_html((folder / "press-release.en.html").read_text(encoding="utf-8"))
    assert "Groupes d'épargne de femmes pour la résilience climatique à Tillabéri" in french.headline
    assert "Women's savings groups for climate resilience in Tillabéri" in english.headline


def test_language_without_comms_templates(write_record, configs, tmp_path):
    record = write_record(comms_record(**{"languages: [en]": "languages: [en, it]",
                                          "about: {en: Test Partner": "about: {it: Associazione di prova., en: Test Partner"}))
    result = run("--configs", configs, "comms", record, "--out", tmp_path / "out")
    assert result.exit_code == 2
    # Since issue 9 the refusal names the record's line, before anything is rendered.
    assert f"{record}:" in result.output and "comms.languages[1]: no communications templates in language 'it'" \
        in result.output and "press-release.it.md" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
