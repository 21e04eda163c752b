"""Each bundled example, in each language its documents are made in (issue #13
item 4): the agreement (in the record's language) and the press release and
social drafts (in each comms language) hold that language's text of every
translatable field the record gives, and no other language's text of them.

The texts are read from the record file itself with PyYAML (not through the
model), and the documents with python-docx and as plain files."""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml

from tests.conftest import BUNDLED_RECORDS, cli_run

# Where each translatable field is shown, by the document it is in; the field
# paths are the record's (README, "Translated text"), written here by hand.
AGREEMENT_FIELDS = ["title", "funding.budget[].line", "assessment.*.strengths[]", "assessment.*.weaknesses[]",
                    "assessment.*.weaknesses[].weakness", "assessment.*.weaknesses[].action",
                    "assessment.*.risks[].risk", "assessment.*.risks[].mitigation", "milestones[].description",
                    "partner.signatory.title", "partner.contact.title", "partner.funds_officer.title",
                    "sub_partners[].role"]
RELEASE_FIELDS = ["title", "partner.about", "comms.speakers[].title", "comms.speakers[].quote"]
SOCIAL_FIELDS = ["comms.hashtags[]", "milestones[].description"]
# What a tier's agreement does not print (so its text need not be there; no
# other language's text may be there either): the small grant names only the
# signatories, the memorandum has no risk table, the standard grant names a
# milestone only where a tranche is paid on it.
UNPRINTED = {"small-grant": {"partner.contact.title"},
             "collaboration": {"assessment.*.risks[].risk", "assessment.*.risks[].mitigation"},
             "standard-grant": {"milestones[].description"}}


def _values(data, path: str):
    """The values at a path such as 'assessment.*.risks[].risk' ('*': any key, '[]': every item)."""
    found = [data]
    for part in path.replace("[]", ".[]").split("."):
        step = []
        for value in found:
            if part == "[]" and isinstance(value, list):
                step += value
            elif part == "*" and isinstance(value, dict):
                step += list(value.values())
            elif isinstance(value, dict) and part in value:
                step.append(value[part])
        found = step
    return [v for v in found if isinstance(v, (str, dict))]


def _texts(data: dict, paths: list[str], language: str) -> tuple[list[str], list[str]]:
    """(the texts in ``language``, the texts in other languages) of the fields at ``paths``.
    A plain string is in the record's language; a weakness written as a mapping is not a text."""
    own, other = [], []
    for path in paths:
        for value in _values(data, path):
            if isinstance(value, dict) and not set(value) <= {data["language"], *data["comms"]["languages"], "en", "fr",
                                                                  "es", "pt", "ar"}:
                continue  # a mapping of fields (a weakness with its action), not a map by language
            by_language = value if isinstance(value, dict) else {data["language"]: value}
            # pt-MZ text is Portuguese: a regional variant is the same language, not another one
            same = [code for code in by_language if code.split("-")[0] == language.split("-")[0]]
            mine = by_language.get(language, by_language[same[0]] if len(same) == 1 else None)
            if mine is not None:
                own.append(mine)
            other += [text for code, text in by_language.items() if code not in same and text != mine]
    return own, other


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))

    def cells(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from (p.text for p in cell.paragraphs)
                    yield from cells(cell.tables)

    parts = [p.text for p in document.paragraphs] + list(cells(document.tables))
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs] + [p.text for p in section.footer.paragraphs]
    return " ".join(" ".join(parts).split())


def _flat(text: str) -> str:
    return " ".join(text.split())


CASES = []
for path in BUNDLED_RECORDS:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    for language in record.get("agreement_languages", [record["language"]]):  # each version of a bilingual one
        CASES.append(pytest.param(path, language, "agreement", id=f"{path.stem}-agreement-{language}"))
    for language in record.get("comms", {}).get("languages", []):
        CASES.append(pytest.param(path, language, "comms", id=f"{path.stem}-comms-{language}"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    made = {}

    def generate(path: Path) -> Path:
        if path not in made:
            out = tmp_path_factory.mktemp(path.stem)
            result = cli_run("generate", path, "--out", out)
            assert result.exit_code == 0, result.output
            made[path] = next(p for p in out.iterdir() if p.is_dir())
        return made[path]

    return generate


@pytest.mark.parametrize("path,language,documents", CASES)
def test_each_document_holds_its_languages_text_only(generated, path, language, documents):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    folder = generated(path)
    if documents == "agreement":
        versions = sorted((folder / "contract").glob("*.docx"))
        agreement = next(p for p in versions if len(versions) == 1 or p.name.endswith(f".{language}.docx"))
        tier = agreement.stem.split("_", 1)[1]
        shown = {"agreement": _docx_text(agreement)}
        fields = {"agreement": [f for f in AGREEMENT_FIELDS if f not in UNPRINTED.get(tier, set())]}
    else:
        comms = folder / "comms"
        release = _flat((comms / f"press-release.{language}.md").read_text(encoding="utf-8"))
        release_docx = _docx_text(comms / f"press-release.{language}.docx")
        social = _flat((comms / f"social.{language}.md").read_text(encoding="utf-8")
                       + (comms / f"posting-plan.{language}.csv").read_text(encoding="utf-8"))
        shown = {"press release": release, "press release (Word)": release_docx, "social": social}
        fields = {"press release": RELEASE_FIELDS, "press release (Word)": RELEASE_FIELDS, "social": SOCIAL_FIELDS}
    for document, text in shown.items():
        own, other = _texts(data, fields[document], language)
        assert own, f"{document}: no {language} text found to check"
        for expected in own:
            assert _flat(expected) in text, f"{path.name}: the {language} {document} lacks {expected!r}"
        everything = _texts(data, AGREEMENT_FIELDS + RELEASE_FIELDS + SOCIAL_FIELDS, language)
        for foreign in everything[1]:
            if any(_flat(foreign) in _flat(mine) for mine in everything[0]):
                continue  # 'Director' inside this language's 'Regional Director'
            assert _flat(foreign) not in text, f"{path.name}: the {language} {document} holds {foreign!r}"
