"""A translator's round trip (issue #13 item 2): `translate export` writes
XLIFF 2.0 that an independent reader (translate-toolkit) opens; translated by
script with that reader and `translate import`ed, the record changes only in
the translated fields and the documents in that language carry the
translations; a file of another record, a stale source text or an unknown
field is refused with nothing written."""
from __future__ import annotations

import difflib
import shutil
from pathlib import Path

from translate.storage.xliff2 import Xliff2File

from tests.conftest import cli_run, line_of

EXAMPLES = Path(__file__).resolve().parent.parent / "configs" / "partnerships"
# The English the record's own maps carry is taken out, for the translator to give back.
TAKEN_OUT = ['        en: "When a woman saves, the whole village stands up better to drought."\n',
             "  press_contact: {name: Idrissa Sani, title: {fr: Chargé de communication, en: Communications Officer},"]
PUT_BACK = "  press_contact: {name: Idrissa Sani, title: Chargé de communication,"


def _record(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES / "logos", tmp_path / "logos")
    text = (EXAMPLES / "psh-2026-014.yaml").read_text(encoding="utf-8")
    assert all(fragment in text for fragment in TAKEN_OUT)
    text = text.replace(TAKEN_OUT[0], "").replace(TAKEN_OUT[1], PUT_BACK)
    path = tmp_path / "psh-2026-014.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _export(record: Path, tmp_path: Path) -> Path:
    out = tmp_path / "to-translate.en.xlf"
    result = cli_run("translate", "export", record, "--to", "en", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def _translate(xlf: Path, done: Path, translations: dict[str, str]) -> None:
    """What a CAT tool does: fill the empty targets (by unit id), keep the rest."""
    store = Xliff2File.parsefile(str(xlf))
    for unit in store.units:
        if unit.getid() in translations:
            unit.target = translations[unit.getid()]
    done.write_bytes(bytes(store))


TRANSLATIONS = {"comms.speakers.1.quote": "When a woman saves, the whole village weathers drought better.",
                "partner.press_contact.title": "Press Officer"}


def test_export_lists_what_the_english_documents_need_with_context(tmp_path):
    record = _record(tmp_path)
    store = Xliff2File.parsefile(str(_export(record, tmp_path)))
    assert store.getsourcelanguage() == "fr" and store.gettargetlanguage() == "en"
    units = {unit.getid(): unit for unit in store.units}
    text = record.read_text(encoding="utf-8")
    # Every text the English press release and social drafts show; the agreement is French only.
    assert set(units) == {"title", "partner.press_contact.title", "partner.about", "comms.speakers.0.title",
                          "comms.speakers.0.quote", "comms.speakers.1.title", "comms.speakers.1.quote",
                          "comms.hashtags.0", "comms.hashtags.1"}
    quote = units["comms.speakers.1.quote"]
    assert quote.source == "Quand une femme épargne, c'est tout le village qui résiste mieux à la sécheresse."
    assert not quote.target  # to translate
    assert units["comms.speakers.0.title"].source == "Directrice régionale"
    assert units["comms.speakers.0.title"].target == "Regional Director"  # the record's own translation
    raw = (tmp_path / "to-translate.en.xlf").read_text(encoding="utf-8")
    title_line = line_of(text, "  press_contact:")
    assert f"partner.press_contact.title (psh-2026-014.yaml:{title_line})" in raw
    assert '<unit id="partner.press_contact.title" name="partner.press_contact.title">' in raw
    assert '<note category="used-in">press release</note>' in raw


def test_translated_and_imported_the_record_changes_only_there_and_the_documents_use_it(tmp_path):
    record = _record(tmp_path)
    before = record.read_text(encoding="utf-8")
    done = tmp_path / "done.en.xlf"
    _translate(_export(record, tmp_path), done, TRANSLATIONS)
    # Before the import the English documents cannot be made: the two texts are missing.
    assert cli_run("generate", record, "--out", tmp_path / "o0").exit_code == 2
    result = cli_run("translate", "import", done, record)
    assert result.exit_code == 0, result.output
    after = record.read_text(encoding="utf-8")
    removed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith("- ")]
    added = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line.startswith("+ ")]
    # The plain title became a map in its flow mapping, on its line; the quote's map gained its English.
    assert removed == ["- " + PUT_BACK.rstrip() + " email: comms@fss.example.org, phone: \"+227 20 00 00 00\"}"]
    assert added == ["+   press_contact: {name: Idrissa Sani, title: {fr: Chargé de communication, en: Press Officer}, "
                     "email: comms@fss.example.org, phone: \"+227 20 00 00 00\"}",
                     f"+         en: {TRANSLATIONS['comms.speakers.1.quote']}"]
    assert "# the language the quote was said in" in after and "# configs/donors.yaml" in after  # comments kept
    out = tmp_path / "out"
    made = cli_run("generate", record, "--out", out)
    assert made.exit_code == 0, made.output
    release = (out / "PSH-2026-014" / "comms" / "press-release.en.md").read_text(encoding="utf-8")
    assert TRANSLATIONS["comms.speakers.1.quote"] in release
    social = (out / "PSH-2026-014" / "comms" / "social.en.md").read_text(encoding="utf-8")
    assert TRANSLATIONS["comms.speakers.1.quote"] in social
    # Imported again: nothing left to change, the file stays as it is.
    assert cli_run("translate", "import", done, record).exit_code == 0
    assert record.read_text(encoding="utf-8") == after


def test_a_stale_source_text_is_refused_and_nothing_written(tmp_path):
    record = _record(tmp_path)
    done = tmp_path / "done.en.xlf"
    _translate(_export(record, tmp_path), done, TRANSLATIONS)
    edited = record.read_text(encoding="utf-8").replace("c'est tout le village", "c'est tout le hameau")
    record.write_text(edited, encoding="utf-8")
    result = cli_run("translate", "import", done, record)
    assert result.exit_code == 2, result.output
    lines = edited.splitlines()
    speaker = next(n for n, l in enumerate(lines, 1) if l.strip() == "name: Aïssata Moussa")
    quote = next(n for n, l in enumerate(lines, 1) if n > speaker and l.strip() == "quote:")
    assert f"{record}:{quote}: comms.speakers[1].quote: the source text changed since the export" in result.output
    assert "Traceback" not in result.output
    assert record.read_text(encoding="utf-8") == edited
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_a_file_for_another_record_or_an_unknown_field_is_refused(tmp_path):
    record = _record(tmp_path)
    xlf = _export(record, tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(record.read_text(encoding="utf-8").replace("id: PSH-2026-014", "id: PSH-2026-099"),
                     encoding="utf-8")
    before = other.read_text(encoding="utf-8")
    result = cli_run("translate", "import", xlf, other)
    assert result.exit_code == 2
    assert f"{xlf}: the file is for record 'PSH-2026-014', not 'PSH-2026-099'" in result.output
    assert other.read_text(encoding="utf-8") == before

    raw = xlf.read_text(encoding="utf-8").replace('name="comms.speakers[1].quote"', 'name="comms.speakers[7].quote"')
    wrong = tmp_path / "wrong.xlf"
    wrong.write_text(raw, encoding="utf-8")
    store = Xliff2File.parsefile(str(wrong))
    next(u for u in store.units if u.getid() == "comms.speakers.1.quote").target = "Anything"
    wrong.write_bytes(bytes(store))
    before = record.read_text(encoding="utf-8")
    result = cli_run("translate", "import", wrong, record)
    assert result.exit_code == 2
    assert f"{wrong}: comms.speakers[7].quote: the record has no translatable text there" in result.output
    assert record.read_text(encoding="utf-8") == before


def test_export_to_a_language_the_record_makes_nothing_in_is_refused(tmp_path):
    record = _record(tmp_path)
    result = cli_run("translate", "export", record, "--to", "es", "--out", tmp_path / "x.xlf")
    assert result.exit_code == 2
    assert "no document of this record is made in 'es'" in result.output
    assert not (tmp_path / "x.xlf").exists()
