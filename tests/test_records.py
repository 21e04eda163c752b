"""Validation of partnership records: every problem reported at once, each
with the file, line and field path."""
from __future__ import annotations

import pytest

from generator.errors import InputError
from generator.records import load_record

from .conftest import BUNDLED_RECORDS, RECORD, line_of, make_logo


def problems_of(path, strict=False) -> list[str]:
    with pytest.raises(InputError) as info:
        load_record(path, strict=strict)
    assert info.value.exit_code == 2
    return [str(p) for p in info.value.problems] or [info.value.message]


@pytest.mark.parametrize("path", BUNDLED_RECORDS, ids=lambda p: p.name)
def test_bundled_records_are_valid_without_warnings(path):
    """Every bundled example loads with no problem and no warning."""
    loaded = load_record(path, strict=True)
    assert loaded.warnings == []


def test_minimal_record_loads(write_record):
    loaded = load_record(write_record())
    assert loaded.record.partner.legal_name == "Test Partner Association"
    assert loaded.record.duration_months == 12


@pytest.mark.parametrize(
    "old, new, fragment, path, expected",
    [
        ("  legal_name: Test Partner Association\n", "", "partner:", "partner.legal_name", "required field is missing"),
        ("type: civil_society", "type: charity", "type: charity", "partner.type", "'civil_society'"),
        ("kind: implementing", "kind: lobbying", "kind: lobbying", "kind", "'advocacy'"),
        ("currency: USD", "currency: EUX", "currency: EUX", "funding.currency", "not an ISO 4217 currency code"),
        ("end: 2027-12-31", "end: 2026-12-31", "end: 2026-12-31", "end", "before start 2027-01-15"),
        ("amount: 20000\n", "amount: -5\n", "amount: -5", "funding.amount", "must be greater than zero"),
        ("amount: 20000\n", "amount: 0\n", "amount: 0", "funding.amount", "must be greater than zero"),
        ("{line: Training, amount: 8000}", "{line: Training, amount: 7000}", "budget:", "funding.budget",
         "budget lines add up to 19,000.00 but funding.amount is 20,000.00"),
        ("{amount: 10000, release: on_signature}", "{amount: 15000, release: on_signature}", "advances:",
         "funding.advances", "advances add up to 25,000.00, more than funding.amount 20,000.00"),
        ("of_tranche: 1}", "of_tranche: 3}", "advances:", "funding.advances",
         "tranche 2 is released on tranche 3, which does not come before it"),
        ("logo: logo.png", "logo: missing.png", "logo: missing.png", "partner.logo", "does not exist"),
        ("id: T-001", "id: ../../etc/passwd", "id: ../", "id", "use letters, digits, '-' and '_' only"),
        ("country: NE", "country: XZ", "country: XZ", "partner.country", "not an ISO 3166-1 alpha-2 country code"),
        ("language: en", "language: klingon", "language: klingon", "language", "not a known language code"),
        ("email: ali@example.org", "email: ali-at-example", "email: ali-at", "partner.contact.email", "expected an email address"),
        ("start: 2027-01-15", "start: 15/01/2027", "start: 15/01", "start", "expected a date written as YYYY-MM-DD"),
    ],
)
def test_each_validation_names_file_line_and_field(write_record, old, new, fragment, path, expected):
    text = RECORD.replace(old, new, 1)
    assert text != RECORD
    record = write_record(text)
    problems = problems_of(record)
    wanted = f"{record}:{line_of(text, fragment)}: {path}: "
    assert any(p.startswith(wanted) and expected in p for p in problems), problems


def test_override_without_reason_is_refused(write_record):
    text = RECORD + "tier: {name: complex-award}\n"
    record = write_record(text)
    assert f"{record}:{line_of(text, 'tier:')}: tier.reason: required field is missing" in problems_of(record)


def test_logo_that_is_not_an_image(write_record, tmp_path):
    record = write_record()
    (record.parent / "logo.png").write_text("not an image")
    problems = problems_of(record)
    assert "cannot be read as a PNG or JPEG image" in problems[0]
    assert problems[0].startswith(f"{record}:{line_of(RECORD, 'logo:')}: partner.logo: ")


def test_logo_in_another_format_is_refused(write_record):
    record = write_record(RECORD.replace("logo.png", "logo.gif"))
    make_logo(record.parent / "logo.gif", fmt="GIF")
    assert "is GIF; expected a PNG or JPEG image" in problems_of(record)[0]


def test_huge_logo_is_refused_before_decoding(write_record):
    record = write_record()
    # A 20000 x 20000 PNG compresses to a few hundred kB: a decompression bomb.
    from PIL import Image

    Image.new("1", (20000, 20000)).save(record.parent / "logo.png")
    problem = problems_of(record)[0]
    assert "over the limit of 25,000,000 pixels" in problem and "400000000 pixels" in problem


def test_every_problem_is_reported_at_once(write_record):
    text = RECORD.replace("currency: USD", "currency: EUX").replace("kind: implementing", "kind: x").replace(
        "end: 2027-12-31", "end: 2020-01-01"
    )
    problems = problems_of(write_record(text))
    assert [p.split(": ")[1] for p in problems] == ["kind", "funding.currency", "end"]


def test_unknown_key_is_an_error_or_with_allow_unknown_a_warning(write_record):
    """Unknown keys are errors by default (issue 9: `fundng:` made a grant a
    memorandum); allow_unknown keeps them as warnings, errors again under strict."""
    text = RECORD + "fundng: {amount: 5}\n"
    record = write_record(text)
    place = f"{record}:{line_of(text, 'fundng')}: fundng: unknown field; did you mean 'funding'?"
    assert problems_of(record) == [place]
    loaded = load_record(record, allow_unknown=True)
    assert [str(w) for w in loaded.warnings] == [f"{place} (ignored)"]
    assert [str(p) for p in _problems(record, strict=True, allow_unknown=True)] == [str(loaded.warnings[0])]


def _problems(record, **options):
    with pytest.raises(InputError) as info:
        load_record(record, **options)
    return info.value.problems


def test_nested_unknown_key_is_found(write_record):
    text = RECORD.replace("  short_name: TPA", "  short_name: TPA\n  adress: somewhere")
    problems = _problems(write_record(text))
    assert [p.path for p in problems] == ["partner.adress"]
    assert "did you mean 'address'?" in problems[0].message


def test_control_character_is_an_input_error_naming_the_field(write_record):
    text = RECORD.replace("short_name: TPA", 'short_name: "TP\\u0007A"')
    problems = problems_of(write_record(text))
    assert "partner.short_name: contains the control character U+0007" in problems[0]


def test_country_no_stays_a_country_code(write_record):
    """YAML 1.1 reads NO as false; a Norwegian partner must not turn into a boolean."""
    loaded = load_record(write_record(RECORD.replace("country: NE", "country: NO")))
    assert loaded.record.partner.country == "NO"


def test_duplicate_key_is_an_error(write_record):
    text = RECORD.replace("kind: implementing", "kind: implementing\nkind: advocacy")
    problems = problems_of(write_record(text))
    assert problems[0].endswith(f":{line_of(text, 'kind: advocacy')}: kind: key appears twice; keep one")


def test_unparsable_yaml_names_the_line(write_record):
    text = RECORD.replace("title: Test partnership", "title: [unclosed")
    problems = problems_of(write_record(text))
    assert "not valid YAML" in problems[0]


def test_missing_file(tmp_path):
    assert problems_of(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: file not found"]


def test_funded_record_needs_the_assessment(write_record):
    text = RECORD[: RECORD.index("assessment:")]
    assert "assessment: a funded partnership needs the two-way assessment" in problems_of(write_record(text))[0]
