"""validate checks templates against the sample partnership's context as well
as the records': it must have every key any record's context can have."""
from __future__ import annotations

from generator.config import load_config
from generator.context import comms_context, contract_context
from generator.records import load_record
from generator.tiers import select_tier
from generator.validate.sample import sample_config, sample_languages, sample_record
from generator.validate.variables import schema_of

from .conftest import BUNDLED_CONFIGS, BUNDLED_RECORDS, cli_run


def paths(schema, prefix=()) -> set[tuple]:
    """Every key path of a context's shape."""
    if not isinstance(schema, dict):
        return set()
    found = set()
    for key, value in schema.items():
        found |= {prefix + (key,)} | paths(value, prefix + (key,))
    return found


def test_the_sample_context_has_every_key_of_every_bundled_record():
    config = load_config(BUNDLED_CONFIGS)
    with_donor = sample_config(config)
    sample_contract, sample_comms = set(), set()
    for language in sample_languages():  # names' preposition forms differ by language (generator/grammar.py)
        sample = sample_record(config, language)
        sample_contract |= paths(schema_of(contract_context(sample, with_donor, select_tier(sample, with_donor))))
        sample_comms |= paths(schema_of(comms_context(sample, config, language)))
    for path in BUNDLED_RECORDS:
        record = load_record(path).record
        assert paths(schema_of(contract_context(record, config, select_tier(record, config)))) <= sample_contract, path
        for language in record.comms.languages if record.comms else []:
            assert paths(schema_of(comms_context(record, config, language))) <= sample_comms, (path, language)


def test_templates_validate_with_a_record_that_uses_no_optional_part(configs, write_record):
    """A workspace whose only record has no final payment, indirect costs or sub-partners."""
    for path in (configs / "partnerships").glob("*.yaml"):
        path.unlink()
    record = write_record()
    (configs / "partnerships" / "t-001.yaml").write_text(record.read_text(encoding="utf-8"), encoding="utf-8")
    (configs / "partnerships" / "logo.png").write_bytes((record.parent / "logo.png").read_bytes())
    result = cli_run("--configs", configs, "validate", str(configs.parent / "contract_templates" / "complex-award.en.docx"))
    assert "unknown variable" not in result.output, result.output
