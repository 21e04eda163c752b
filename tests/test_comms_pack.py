"""The comms pack as a communications team publishes it: approval and final
copies, read back from the files the CLI writes."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import docx

from generator.comms.cobranding import parse_html

from .conftest import BUNDLED_CONFIGS, cli_run, line_of, make_logo
from .test_comms import comms_record

APPROVALS = """\
  approvals:
    lead: {by: Jane Doe, date: 2027-01-25}
    partner: {by: Awa Diallo, date: 2027-01-27}
"""
MARK = "DRAFT for joint review"


def _docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _comms(configs: Path, record: Path, out: Path, *extra):
    return cli_run("--configs", configs, "comms", record, "--out", out, *extra)


def test_drafts_carry_the_joint_review_mark(configs, write_record, tmp_path):
    out = tmp_path / "out"
    assert _comms(configs, write_record(comms_record()), out).exit_code == 0
    folder = out / "T-001" / "comms"
    assert _docx_text(folder / "press-release.en.docx").startswith(MARK)
    assert (folder / "press-release.en.md").read_text(encoding="utf-8").lstrip().startswith(f"**{MARK}")
    assert not (folder / "final").exists()


def test_final_refuses_without_both_approvals_and_names_what_is_missing(configs, write_record, tmp_path):
    out = tmp_path / "out"
    record = write_record(comms_record())
    result = _comms(configs, record, out, "--final")
    assert result.exit_code == 1
    assert "comms.approvals.lead and comms.approvals.partner (by, date) are missing" in result.output
    assert not (out / "T-001").exists()

    only_lead = APPROVALS.split("    partner:")[0]
    result = _comms(configs, write_record(comms_record() + only_lead), out, "--final")
    assert result.exit_code == 1
    assert "comms.approvals.partner (by, date) is missing" in result.output
    assert "approvals.lead" not in result.output
    assert not (out / "T-001").exists()


def test_an_approval_needs_who_and_when(configs, write_record, tmp_path):
    record = write_record(comms_record() + "  approvals:\n    lead: {by: Jane Doe}\n")
    result = _comms(configs, record, tmp_path / "out", "--final")
    assert result.exit_code == 2
    assert "comms.approvals.lead.date" in result.output


def test_final_writes_unmarked_copies_and_records_the_approvals(configs, write_record, tmp_path):
    out = tmp_path / "out"
    record = write_record(comms_record() + APPROVALS)
    assert _comms(configs, record, out).exit_code == 0
    result = _comms(configs, record, out, "--final")
    assert result.exit_code == 0, result.output
    folder = out / "T-001" / "comms"
    final = folder / "final"
    text = _docx_text(final / "press-release.en.docx")
    assert "DRAFT" not in text and "joint review" not in text
    assert text.lstrip().startswith("Test Partner Association and")  # the headline comes first
    for name in ("press-release.en.md", "press-release.en.html", "social.en.md"):
        body = (final / name).read_text(encoding="utf-8")
        assert "DRAFT" not in body and "joint review" not in body, name
    # the drafts stay as they were, marked
    assert _docx_text(folder / "press-release.en.docx").startswith(MARK)
    manifest = json.loads((out / "T-001" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["approvals"] == {"lead": {"by": "Jane Doe", "date": "2027-01-25"},
                                     "partner": {"by": "Awa Diallo", "date": "2027-01-27"}}
    paths = {entry["path"] for entry in manifest["outputs"]}
    assert "comms/final/press-release.en.docx" in paths and "comms/press-release.en.docx" in paths


def test_the_bundled_example_with_approvals_makes_final_copies(tmp_path):
    record = BUNDLED_CONFIGS / "partnerships" / "psh-2026-030.yaml"
    result = cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", tmp_path, "--final")
    assert result.exit_code == 0, result.output
    finals = list(tmp_path.glob("*/comms/final/press-release.en.docx"))
    assert len(finals) == 1 and "DRAFT" not in _docx_text(finals[0])


# Item 2: the press release.

EMBARGO = '  embargo: {date: 2027-01-20, time: "09:00", timezone: Africa/Lagos}\n'


def _release(configs, write_record, tmp_path, text: str, language: str = "en") -> Path:
    out = tmp_path / "out"
    result = _comms(configs, write_record(text), out)
    assert result.exit_code == 0, result.output
    return out / "T-001" / "comms"


def test_the_embargo_has_a_time_and_a_time_zone_in_each_language(configs, write_record, tmp_path):
    text = "translations: fallback\n" + comms_record(**{"languages: [en]": "languages: [en, fr]"}).replace(
        "  about: {en: Test", "  about: {fr: Test Partner Association travaille au Niger., en: Test") + EMBARGO
    folder = _release(configs, write_record, tmp_path, text)
    line = "Embargoed until 09:00 WAT, 20 January 2027"
    assert line in _docx_text(folder / "press-release.en.docx")
    assert f"**{line}**" in (folder / "press-release.en.md").read_text(encoding="utf-8")
    assert line in "".join(parse_html((folder / "press-release.en.html").read_text(encoding="utf-8")).text)
    # CLDR has no French abbreviation for West Africa Time: its name, with the offset
    assert ("Sous embargo jusqu’au 20 janvier 2027 à 09:00 heure d’Afrique de l’Ouest (UTC+01:00)"
            in _docx_text(folder / "press-release.fr.docx"))


def test_without_an_embargo_there_is_no_embargo_line(configs, write_record, tmp_path):
    folder = _release(configs, write_record, tmp_path, comms_record())
    assert "Embargo" not in _docx_text(folder / "press-release.en.docx")


def test_a_bad_embargo_is_refused_with_its_place(configs, write_record, tmp_path):
    for embargo, field, expected in (
        ('  embargo: {date: 2027-01-20, time: "09:00", timezone: Africa/Lagoss}\n', "comms.embargo.timezone",
         "not an IANA time zone"),
        ('  embargo: {date: 2027-01-20, time: "9:00", timezone: Africa/Lagos}\n', "comms.embargo.time",
         'write it in quotes as "09:00"'),
        ("  embargo: {date: 2027-01-20, timezone: Africa/Lagos}\n", "comms.embargo.time", "missing"),
    ):
        text = comms_record() + embargo
        out = tmp_path / "out"
        result = _comms(configs, write_record(text), out)
        assert result.exit_code == 2, result.output
        assert f"record.yaml:{line_of(text, 'embargo:')}: {field}" in result.output
        assert expected in result.output
        assert "Traceback" not in result.output and not out.exists()


def test_notes_to_editors_hold_both_boilerplates_after_the_release(configs, write_record, tmp_path):
    folder = _release(configs, write_record, tmp_path, comms_record())
    document = docx.Document(str(folder / "press-release.en.docx"))
    texts = [p.text for p in document.paragraphs]
    notes = texts.index("Notes to editors")
    assert texts.index("– ENDS –") < notes
    after = "\n".join(texts[notes:])
    assert "About Test Partner Association" in after and "Test Partner Association works with farmers" in after
    assert "About Horizons Solidarity International" in after


def test_the_amount_is_published_only_when_the_record_allows_it(configs, write_record, tmp_path):
    folder = _release(configs, write_record, tmp_path, comms_record())
    shown = ("20,000", "20 000")
    everything = _docx_text(folder / "press-release.en.docx") + (folder / "social.en.md").read_text(
        encoding="utf-8") + (folder / "credit-line.en.txt").read_text(encoding="utf-8")
    assert not any(amount in everything for amount in shown)
    folder = _release(configs, write_record, tmp_path / "2", comms_record() + "  publish_amount: true\n")
    assert "USD\u00a020,000.00" in _docx_text(folder / "press-release.en.docx")


def test_the_donor_statement_and_emblem_stand_together(configs, write_record, tmp_path):
    folder = _release(configs, write_record, tmp_path, comms_record() + "donor: eu\n")
    document = docx.Document(str(folder / "press-release.en.docx"))
    [paragraph] = [p for p in document.paragraphs if "Funded by the European Union" in p.text]
    # the emblem is a picture in the statement's own paragraph: they cannot be parted
    assert paragraph._p.xpath(".//w:drawing")
    assert (folder / "logos" / "donor.png").read_bytes() == (configs / "logos" / "eu-emblem.png").read_bytes()
    page = parse_html((folder / "press-release.en.html").read_text(encoding="utf-8"))
    assert any(img.get("alt") == "European Union emblem" for img in page.images)
    markdown_text = (folder / "press-release.en.md").read_text(encoding="utf-8")
    assert '<img src="logos/donor.png" alt="European Union emblem"' in markdown_text


def test_a_record_without_a_donor_has_no_funding_statement(configs, write_record, tmp_path):
    folder = _release(configs, write_record, tmp_path, comms_record())
    assert "Funded by" not in _docx_text(folder / "press-release.en.docx")
    assert not (folder / "logos" / "donor.png").exists()


def test_an_unknown_donor_or_a_missing_statement_is_bad_input(configs, write_record, tmp_path):
    result = _comms(configs, write_record(comms_record() + "donor: usaidd\n"), tmp_path / "out")
    assert result.exit_code == 2
    assert "donor: 'usaidd' is not in" in result.output and "donors.yaml" in result.output and "eu" in result.output
    donors = configs / "donors.yaml"
    donors.write_text(donors.read_text(encoding="utf-8").replace("        en: Funded by the European Union\n", ""),
                      encoding="utf-8")
    result = _comms(configs, write_record(comms_record() + "donor: eu\n"), tmp_path / "out")
    assert result.exit_code == 2
    assert "donors.yaml" in result.output and "donors.eu.visibility.statement" in result.output
    assert "no funding statement in 'en'" in result.output
    assert not (tmp_path / "out").exists()


def bundled_comms_records() -> list[dict]:
    """The bundled records that have communications, as written."""
    import yaml

    records = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (BUNDLED_CONFIGS / "partnerships").glob("*.yaml")]
    return [r for r in records if r.get("comms")]


def comms_versions() -> int:
    """One release and one posting plan per comms language of each bundled record, as the records list them."""
    return sum(len(r["comms"]["languages"]) for r in bundled_comms_records())


def test_every_bundled_example_has_an_embargo_and_notes_to_editors(tmp_path):
    for record in sorted((BUNDLED_CONFIGS / "partnerships").glob("*.yaml")):
        result = cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", tmp_path)
        assert result.exit_code == 0, result.output
    releases = sorted(tmp_path.glob("*/comms/press-release.*.docx"))
    assert len(releases) == comms_versions()
    embargo = {r["id"]: r["comms"]["embargo"]["time"] for r in bundled_comms_records()}
    for release in releases:
        time = embargo[release.parent.parent.name]  # as the record states it
        assert time in _docx_text(release), release
        assert docx.Document(str(release)).paragraphs[1].text.count(time) == 1, release
    assert "Funded by the European Union" in _docx_text(tmp_path / "PSH-2026-014" / "comms" / "press-release.en.docx")


def test_each_bundled_release_gives_each_organisations_press_contact(tmp_path):
    import yaml

    for record in sorted((BUNDLED_CONFIGS / "partnerships").glob("*.yaml")):
        data = yaml.safe_load(record.read_text(encoding="utf-8"))
        assert cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", tmp_path).exit_code == 0
        text = _docx_text(tmp_path / data["id"] / "comms" / f"press-release.{data['comms']['languages'][0]}.docx")
        assert data["partner"]["press_contact"]["email"] in text, record
        assert data["partner"]["contact"]["email"] not in text, record


PHOTO = "  photo: {file: photo.jpg, caption: {en: Members of a savings group in Niamey}, credit: Awa Photographe}\n"


def test_the_photo_comes_with_its_caption_and_credit(configs, write_record, tmp_path):
    make_logo(tmp_path / "records" / "photo.jpg", size=(1200, 800), fmt="JPEG")
    folder = _release(configs, write_record, tmp_path, comms_record() + PHOTO)
    paragraphs = docx.Document(str(folder / "press-release.en.docx")).paragraphs
    [at] = [i for i, p in enumerate(paragraphs) if p._p.xpath(".//w:drawing")]
    assert paragraphs[at + 1].text == "Members of a savings group in Niamey (Photo: Awa Photographe)"
    assert (folder / "photo.jpg").read_bytes() == (tmp_path / "records" / "photo.jpg").read_bytes()
    page = parse_html((folder / "press-release.en.html").read_text(encoding="utf-8"))
    assert any(img.get("alt") == "Members of a savings group in Niamey" for img in page.images)


def test_a_photo_that_is_not_an_image_is_bad_input(configs, write_record, tmp_path):
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "photo.jpg").write_text("not a photo")
    text = comms_record() + PHOTO
    result = _comms(configs, write_record(text), tmp_path / "out")
    assert result.exit_code == 2
    assert f"record.yaml:{line_of(text, 'photo:')}: comms.photo.file" in result.output
    assert not (tmp_path / "out").exists()


# Item 4: the posting plan.

def _plan(folder: Path, language: str = "en") -> list[dict]:
    import csv
    import io

    table = list(csv.reader(io.StringIO((folder / f"posting-plan.{language}.csv").read_text(encoding="utf-8"))))
    return [dict(zip(table[0], row)) for row in table[1:]]


def _events(folder: Path, language: str = "en") -> list:
    import vobject

    calendar = vobject.readOne((folder / f"posting-plan.{language}.ics").read_text(encoding="utf-8"))
    return sorted(calendar.vevent_list, key=lambda e: e.uid.value)


def test_each_post_has_a_time_in_its_accounts_time_zone(configs, write_record, tmp_path):
    zones = "  time_zones: {lead: Europe/Paris, partner: Africa/Niamey}\n"
    folder = _release(configs, write_record, tmp_path, comms_record() + EMBARGO + zones)
    rows = _plan(folder)
    assert [(r["Platform"], r["Posts"], r["Time"]) for r in rows[:4]] == [
        ("x", "TPA", "09:00 Africa/Niamey"),  # the embargo lifts at 09:00 in Lagos, 09:00 in Niamey
        ("linkedin", "HSI", "11:00 Europe/Paris"),  # two hours later, 11:00 WAT being 11:00 in Paris in winter
        ("facebook", "TPA", "09:00 Africa/Niamey"),
        ("instagram", "HSI", "11:00 Europe/Paris")]
    assert [r["Date"] for r in rows[:4]] == ["2027-01-20", "2027-01-20", "2027-01-21", "2027-01-21"]
    events = {e.uid.value: e for e in _events(folder)}
    first = events["T-001-en-1@partnerdocs"].dtstart.value
    assert first == datetime(2027, 1, 20, 8, 0, tzinfo=timezone.utc)  # 09:00 WAT, read back by vobject
    assert str(first.tzinfo) in ("Africa/Niamey", "+01") or first.utcoffset() == timedelta(hours=1)
    second = events["T-001-en-2@partnerdocs"].dtstart.value
    assert second.utcoffset() == timedelta(hours=1) and second.hour == 11


def test_the_plan_names_the_account_and_language_and_each_platforms_own_action(configs, write_record, tmp_path):
    folder = _release(configs, write_record, tmp_path, comms_record())
    rows = {r["Platform"]: r for r in _plan(folder)[:4]}
    # a cell starting with @ gets a leading ' in the CSV, so that a spreadsheet shows it as text
    assert rows["x"]["Account"] == "'@TPA_NE" and rows["x"]["Language"] == "en"
    assert rows["x"]["Their action"] == "'@HSI_Intl: repost or quote"
    instagram = rows["instagram"]
    assert "repost" not in instagram["Their action"] and "reshare" not in instagram["Their action"]
    assert "collab-post" in instagram["Their action"] and "story" in instagram["Their action"]
    assert "invite @tpa.ne as collaborator" in instagram["Notes"]
    assert "tag TPA by hand" in rows["linkedin"]["Notes"]
    # no link: no "link in bio", in the plan or the draft
    assert "bio" not in instagram["Notes"]
    assert "bio" not in json.loads((folder / "social.en.json").read_text(encoding="utf-8"))["instagram"]["text"]


def test_link_in_bio_only_when_there_is_a_link(configs, write_record, tmp_path):
    folder = _release(configs, write_record, tmp_path, comms_record() + "  link: https://example.org/p\n")
    instagram = [r for r in _plan(folder) if r["Platform"] == "instagram"][0]
    assert "put the link in the bio" in instagram["Notes"]
    assert "Link in bio." in json.loads((folder / "social.en.json").read_text(encoding="utf-8"))["instagram"]["text"]


def test_follow_ups_come_from_the_milestones_and_the_end_date(configs, write_record, tmp_path):
    milestones = "milestones:\n  - {date: 2027-06-30, description: First savings groups registered}\n"
    folder = _release(configs, write_record, tmp_path, comms_record() + milestones)
    rows = _plan(folder)
    assert len(rows) == 6
    assert (rows[4]["Date"], rows[4]["Draft"]) == ("2027-06-30", "Follow-up: First savings groups registered")
    assert (rows[5]["Date"], rows[5]["Posts"]) == ("2027-12-31", "HSI")
    assert "Closing post" in rows[5]["Draft"]
    events = _events(folder)
    assert len(events) == 6
    assert {e.dtstart.value.date() for e in events} >= {date(2027, 6, 30), date(2027, 12, 31)}
    assert any("First savings groups registered" in e.summary.value for e in events)


def test_only_an_organisation_posting_in_a_language_posts_in_its_plan(configs, write_record, tmp_path):
    text = "translations: fallback\n" + comms_record(**{"languages: [en]": "languages: [en, fr]"}).replace(
        "  about: {en: Test", "  about: {fr: Test Partner Association travaille au Niger., en: Test")
    folder = _release(configs, write_record, tmp_path, text + "  post_languages: {lead: [en], partner: [fr, en]}\n")
    assert {r["Publie"] for r in _plan(folder, "fr")} == {"TPA"}
    assert {r["Posts"] for r in _plan(folder, "en")} == {"TPA", "HSI"}


def test_the_ics_plan_has_the_same_bytes_each_time(configs, write_record, tmp_path):
    record = write_record(comms_record() + EMBARGO)
    first, second = tmp_path / "a", tmp_path / "b"
    assert _comms(configs, record, first).exit_code == 0 and _comms(configs, record, second).exit_code == 0
    assert ((first / "T-001/comms/posting-plan.en.ics").read_bytes()
            == (second / "T-001/comms/posting-plan.en.ics").read_bytes())


def test_every_bundled_example_has_an_ics_plan_an_independent_reader_parses(tmp_path):
    for record in sorted((BUNDLED_CONFIGS / "partnerships").glob("*.yaml")):
        assert cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", tmp_path).exit_code == 0
    plans = sorted(tmp_path.glob("*/comms/posting-plan.*.ics"))
    assert len(plans) == comms_versions()
    for plan in plans:
        folder, language = plan.parent, plan.name.split(".")[1]
        events = _events(folder, language)
        assert len(events) == len(_plan(folder, language)) >= 2
        assert all(e.dtstart.value.tzinfo is not None for e in events)


# Item 5: the preview, in a real browser.

def test_the_preview_shows_the_images_the_posting_plan_and_the_credit_lines(tmp_path):
    from .test_comms import chromium_path

    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    record = BUNDLED_CONFIGS / "partnerships" / "psh-2026-014.yaml"
    assert cli_run("--configs", BUNDLED_CONFIGS, "comms", record, "--out", tmp_path / "out").exit_code == 0
    folder = tmp_path / "out" / "PSH-2026-014" / "comms"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            viewport={"width": 1300, "height": 1000})
        try:
            page = browser.new_page()
            page.goto((folder / "preview.html").as_uri())
            for language in ("fr", "en"):
                section = page.locator(f'section.language[lang="{language}"]')
                drafts = json.loads((folder / f"social.{language}.json").read_text(encoding="utf-8"))
                images = section.locator("img.social-image")
                assert images.count() == len(drafts) == 4
                for i in range(images.count()):
                    image = images.nth(i)
                    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "image not loaded"
                    platform = image.locator("xpath=..").get_attribute("data-platform")
                    assert image.get_attribute("alt") == drafts[platform]["alt"]
                    assert image.evaluate("img => [img.naturalWidth, img.naturalHeight]") == list(
                        {"x": (1200, 675), "linkedin": (1200, 627), "facebook": (1200, 630),
                         "instagram": (1080, 1350)}[platform])
                    assert image.is_visible()
                plan = section.locator("table.plan tr")
                assert plan.count() == len(_plan(folder, language)) + 1
                credits = (folder / f"credit-line.{language}.txt").read_text(encoding="utf-8").split("\n\n")
                shown = section.locator(".credits").inner_text()
                assert all(" ".join(c.split("\n")[-1].split()) in " ".join(shown.split()) for c in credits if c.strip())
                assert section.locator(".credits p").first.is_visible()
        finally:
            browser.close()


def test_a_changed_photo_is_not_taken_for_unchanged(configs, write_record, tmp_path):
    from PIL import Image

    photo = tmp_path / "records" / "photo.jpg"
    make_logo(photo, size=(1200, 800), fmt="JPEG")
    record = write_record(comms_record() + PHOTO)
    out = tmp_path / "out"
    assert _comms(configs, record, out).exit_code == 0
    Image.new("RGB", (1200, 800), (200, 30, 30)).save(photo, "JPEG")
    again = _comms(configs, record, out)
    # made again from the new photo: the changed files are named, not kept silently as "unchanged"
    assert "photo.jpg" in again.output and f"unchanged {out / 'T-001' / 'comms' / 'photo.jpg'}" not in again.output
