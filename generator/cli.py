"""The ``partnerdocs`` command line: parse options, call the library, print.
The library is imported inside each command, so that ``--help`` and
``--version`` start fast."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import __version__
from .errors import InputError, PartnerdocsError
from .parts import NAMES as PART_NAMES, PARTS, Options
from .workspace import CONFIGS_ENV_VAR, ENV_VAR as WORKSPACE_ENV_VAR, FILE as WORKSPACE_FILE

# What to do about an error on the command line, by the error's class: the
# library says what is wrong, only the CLI knows its options.
_ADVICE = {
    "OutputExists": "rerun with --force to replace it",
    "ConfigNotFound": f"give the configuration folder with --configs DIR (or ${CONFIGS_ENV_VAR}), "
                      "or make a workspace with: partnerdocs init DIR",
    "WorkspaceNotFound": "make a workspace with: partnerdocs init DIR (then work inside DIR), "
                         f"or name one with --workspace DIR (or ${WORKSPACE_ENV_VAR})",
    "MissingSheet": "write one with: partnerdocs batch --template-sheet FILE.xlsx",
}


_PART_HELP = "; ".join(f"{p.name}: {p.help}" for p in PARTS)


def _advised(message: str, kind: str) -> str:
    """``message`` with the CLI's advice for an error of class ``kind``."""
    advice = _ADVICE.get(kind)
    return f"{message}; {advice}" if advice else message


class _Group(click.Group):
    """The one exception boundary: the library's errors become Click's
    ``Error: ...`` with the error's exit code, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PartnerdocsError as exc:
            error = click.ClickException(_advised(exc.format_message(), type(exc).__name__))
            error.exit_code = exc.exit_code
            raise error from None


def _workspace(ctx: click.Context):
    """The workspace the global options name or the current folder is in (found once)."""
    from .workspace import find_workspace

    options = ctx.find_root().obj
    if "found" not in options:
        options["found"] = find_workspace(options["workspace"], options["configs"])
    return options["found"]


def _config(ctx: click.Context, strict: bool = False):
    from .config import load_config

    return load_config(_workspace(ctx), strict=strict)


RECORDS = click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))
STRICT = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
ALLOW_UNKNOWN = click.option(
    "--allow-unknown", is_flag=True,
    help="Ignore record fields (and workbook columns) partnerdocs does not know, with a warning; "
         "by default they are errors. Configuration keys are always checked.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="partnerdocs")
@click.option(
    "--workspace",
    type=click.Path(path_type=Path),
    metavar="DIR",
    envvar=WORKSPACE_ENV_VAR,
    default=None,
    help=f"Workspace: a folder with a {WORKSPACE_FILE} (default: the nearest one here or above; "
         f"or ${WORKSPACE_ENV_VAR}).",
)
@click.option(
    "--configs",
    type=click.Path(file_okay=False, path_type=Path),
    envvar=CONFIGS_ENV_VAR,
    default=None,
    metavar="DIR",
    help=f"Configuration folder (default: the workspace's, else ./configs; or ${CONFIGS_ENV_VAR}).",
)
@click.pass_context
def cli(ctx: click.Context, workspace: Path | None, configs: Path | None) -> None:
    """Partnership agreements and co-branded communications from partnership records.

    Exit codes: 0 fine; 1 a produced document or a template failed a check;
    2 bad input (invalid record or configuration, missing file) or bad usage.

    Example:

        partnerdocs check configs/partnerships/*.yaml
    """
    ctx.obj = {"configs": configs, "workspace": workspace}


@cli.command()
@RECORDS
@STRICT
@ALLOW_UNKNOWN
@click.pass_context
def check(ctx: click.Context, records: tuple[Path, ...], strict: bool, allow_unknown: bool) -> None:
    """Validate partnership records and report every problem at once.

    Reports everything `generate` would refuse, before rendering: invalid or
    unknown fields, a currency without exchange rate, an unknown lead office,
    a contract or comms language without templates. Each problem is printed
    as FILE:LINE: FIELD.PATH: WHAT IS WRONG. Exit 2 if any record is invalid.

    Example:

        partnerdocs check configs/partnerships/psh-2026-014.yaml
    """
    from .preflight import preflight
    from .records import load_record
    from .translations import coverage

    config = _config(ctx, strict)
    failed = 0
    for path in records:
        try:
            loaded = load_record(path, strict=strict, allow_unknown=allow_unknown)
            choice, problems = preflight(loaded, config)
            if problems:
                raise InputError("", problems)
        except InputError as exc:
            failed += 1
            click.echo(exc.format_message(), err=True)
            _unknown_hint(exc, allow_unknown)
            continue
        for warning in loaded.warnings:
            click.echo(f"{warning} [warning]", err=True)
        click.echo(f"{path}: ok ({loaded.record.id}, tier {choice.name})")
        for covered in coverage(loaded.record):
            click.echo(f"  {covered}")
            for loc in covered.missing:  # only with translations: fallback (else an error above)
                note = f"no {covered.language} text; translations: fallback uses the {loaded.record.language} text"
                click.echo(f"{loaded.source.problem(loc, note)} [warning]", err=True)
    if failed:
        raise InputError(f"{failed} of {len(records)} record(s) invalid")


@cli.command()
@click.argument("record", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def tier(ctx: click.Context, record: Path, fmt: str) -> None:
    """Say which contract tier applies to a record, and why.

    Shows the rule that matched and, for each tier before it, the condition
    that failed. Duration runs from start to the day after end, a partial
    month counting as a whole one.

    Example:

        partnerdocs tier configs/partnerships/psh-2026-021.yaml --format json
    """
    from .preflight import preflight
    from .records import load_record
    from .tiers import DURATION_RULE

    config = _config(ctx)
    loaded = load_record(record)
    choice, problems = preflight(loaded, config)
    if choice is None:  # e.g. no exchange rate: say where, as `check` does
        raise InputError("", problems)
    if fmt == "json":
        click.echo(json.dumps(choice.as_dict(), indent=2, ensure_ascii=False, default=str))
        return
    facts = choice.facts
    click.echo(f"{loaded.record.id}: {choice.name}")
    if facts["amount"] is not None:
        click.echo(f"  amount: {facts['reference_currency']} {facts['amount']:,.2f} (rates of {facts['rates_date']})")
    click.echo(f"  duration: {facts['months']} months ({DURATION_RULE})")
    for name, failed in choice.rejected:
        click.echo(f"  not {name}: {failed.condition} fails ({failed.detail})")
    click.echo(f"  {choice.name}: {choice.reason}")


def _unknown_hint(exc: PartnerdocsError, allow_unknown: bool) -> None:
    """After a record's unknown fields: how to keep fields of one's own (a typo is fixed instead)."""
    if not allow_unknown and any(p.message.startswith("unknown field") for p in getattr(exc, "problems", [])):
        click.echo("hint: fix the spelling; to keep extra fields of your own, pass --allow-unknown", err=True)


def _output_options(function):
    for option in reversed([
        click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Output folder; each partnership gets OUT/<id>/ (default: the workspace's, else ./out)."),
        click.option("--force", is_flag=True, help="Replace existing outputs whose content would change."),
        click.option("--dry-run", is_flag=True, help="Say what would be written; write nothing."),
        STRICT,
        ALLOW_UNKNOWN,
    ]):
        function = option(function)
    return function


def _generate_all(ctx: click.Context, records: tuple[Path, ...], out: Path, options) -> None:
    """Generate each record; one failing record does not stop the others."""
    from .generate import generate as generate_record

    config = _config(ctx, options.strict)
    out = out or _workspace(ctx).out
    worst = 0
    for path in records:
        try:
            outcome = generate_record(path, config, out, options)
        except PartnerdocsError as exc:
            worst = max(worst, exc.exit_code)
            message = _advised(exc.format_message(), type(exc).__name__)
            click.echo(f"Error: {message}" if message.startswith(str(path)) else f"Error: {path}: {message}", err=True)
            _unknown_hint(exc, options.allow_unknown)
            continue
        for item in outcome.files:
            verb = {"new": "wrote", "changed": "replaced", "unchanged": "unchanged"}[item.status]
            if options.dry_run and verb != "unchanged":
                verb = "would write" if verb == "wrote" else "would replace"
            click.echo(f"{verb} {item.path}")
        for note in outcome.notes:
            click.echo(f"{outcome.record_id}: {note}")
        click.echo(f"{outcome.record_id}: tier {outcome.tier}")
    if worst:
        ctx.exit(worst)


@cli.command()
@RECORDS
@_output_options
@click.option("--pdf", is_flag=True, help="Also convert the contract to PDF with LibreOffice.")
@click.option("--only", type=click.Choice(PART_NAMES), default=None,
              help=f"Produce only this part: {_PART_HELP} (default: every part).")
@click.pass_context
def generate(ctx: click.Context, records: tuple[Path, ...], out: Path, force: bool, dry_run: bool, strict: bool,
             allow_unknown: bool, pdf: bool, only: str | None) -> None:
    """Generate each record's contract and communications.

    Writes OUT/<id>/contract/<id>_<tier>.docx (and .pdf with --pdf),
    OUT/<id>/comms/ (see `partnerdocs comms --help`), the start-up pack in
    OUT/<id>/pack/ (calendar, financial-report workbook, due-diligence
    checklist, key facts) and OUT/<id>/manifest.json.
    Unchanged inputs change nothing; an output whose content would change is
    kept unless --force. A record that fails a check writes nothing; the
    others go on.

    Example:

        partnerdocs generate configs/partnerships/psh-2026-014.yaml --out out/
    """
    _generate_all(ctx, records, out, Options(force=force, dry_run=dry_run, pdf=pdf, only=only, strict=strict,
                                             allow_unknown=allow_unknown))


@cli.command()
@RECORDS
@_output_options
@click.option("--final", is_flag=True,
              help="Write unmarked copies to OUT/<id>/comms/final/; needs comms.approvals.lead and .partner.")
@click.pass_context
def comms(ctx: click.Context, records: tuple[Path, ...], out: Path, force: bool, dry_run: bool,
          strict: bool, allow_unknown: bool, final: bool) -> None:
    """Generate each record's co-branded communications.

    For every language in comms.languages, writes to OUT/<id>/comms/: the
    press release (.docx, .md, .html), social drafts (social.<lang>.md and
    .json), an image per draft (images/<platform>.<lang>.png), the posting
    plan (.csv, .md and .ics) and credit lines (.txt), plus
    preview.html for joint review. Co-branding rules are checked on every
    output (exit 1, nothing written, when one fails). Drafts carry the
    "DRAFT for joint review" mark; --final writes the same files unmarked to
    OUT/<id>/comms/final/ once comms.approvals holds both organisations'
    approval (by, date), recorded in the manifest; without them, exit 1.

    Example:

        partnerdocs comms configs/partnerships/psh-2026-014.yaml
    """
    _generate_all(ctx, records, out, Options(force=force, dry_run=dry_run, only="comms", strict=strict,
                                             allow_unknown=allow_unknown, final=final))


@cli.command()
@click.argument("source", required=False, type=click.Path(path_type=Path))
@_output_options
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default="one per core",
              help="Parallel processes.")
@click.option("--pdf", is_flag=True, help="Also convert contracts to PDF (one LibreOffice per job, many files each).")
@click.option("--only", type=click.Choice(PART_NAMES), default=None,
              help=f"Produce only this part: {_PART_HELP} (default: every part).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the run's JSON summary (default: OUT/batch-<timestamp>.json).")
@click.option("--template-sheet", type=click.Path(dir_okay=False, path_type=Path),
              help="Write an empty workbook with the expected sheets and columns, and stop.")
@click.pass_context
def batch(ctx: click.Context, source: Path | None, out: Path, force: bool, dry_run: bool, strict: bool,
          allow_unknown: bool, jobs: int,
          pdf: bool, only: str | None, report_path: Path | None, template_sheet: Path | None) -> None:
    """Generate every partnership of a workbook, a CSV file or a folder of records.

    SOURCE is an .xlsx workbook (a 'partnerships' sheet, one row per
    partnership, and 'budget', 'advances', 'speakers', 'assessment' sheets
    keyed by id), a .csv file (with budget.csv, advances.csv ... beside it)
    or a folder of YAML records. Records are rendered in parallel; one bad
    record never stops the others. Nothing is rebuilt when inputs, templates
    and configuration are unchanged (--force rebuilds). Ends with a table of
    every partnership and its outcome, and a JSON report; exit 1 if any failed.

    Example:

        partnerdocs batch partnerships.xlsx --jobs 2
        partnerdocs batch --template-sheet partnerships.xlsx
    """
    from .batch import read_batch, run_batch, write_report
    from .sheets import write_template_sheet

    if template_sheet is not None:
        if template_sheet.exists() and not force:
            raise InputError(f"{template_sheet}: exists; use --force to replace it")
        write_template_sheet(template_sheet)
        click.echo(f"wrote {template_sheet}: fill the 'partnerships' sheet, then run: partnerdocs batch {template_sheet}")
        return
    if source is None:
        raise click.UsageError("give a workbook, a CSV file or a folder of records (or --template-sheet FILE)")
    config = _config(ctx, strict)
    out = out or _workspace(ctx).out
    items = read_batch(source, strict, allow_unknown)

    def progress(iterator):
        with click.progressbar(iterator, length=sum(1 for i in items if not i.error), label="Generating",
                               file=sys.stderr) as bar:
            yield from bar

    options = Options(force=force, dry_run=dry_run, pdf=pdf, only=only, strict=strict, allow_unknown=allow_unknown)
    result = run_batch(items, config, out, options, jobs=jobs, progress=progress)
    width = max([len(r.id) for r in result.results] + [12])
    click.echo(f"{'partnership':{width}}  {'tier':15} outcome")
    for r in result.results:
        detail = f"{len(r.written)} file(s) written" if r.status == "written" else r.status
        click.echo(f"{r.id or '-':{width}}  {r.tier or '-':15} {detail}")
    for r in result.failed:
        click.echo(f"Error: {_advised(r.error, r.error_kind)}", err=True)
    counts = result.as_dict(source)["totals"]
    click.echo(f"{counts['partnerships']} partnership(s): {counts['written']} written, {counts['unchanged']} unchanged, "
               f"{counts['failed']} failed in {result.seconds:.1f} s with {result.jobs} job(s)")
    if not dry_run:
        click.echo(f"report: {write_report(result, source, out, report_path)}")
    if result.failed:
        ctx.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as failures.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit"]), default="text",
              show_default=True, help="github: workflow annotations; junit: an XML report written to --report.")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Where --format junit writes its XML report.")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], strict: bool, fmt: str, report_path: Path | None) -> None:
    """Check templates, the configuration and the bundled records.

    Checks every template under contract_templates/ and comms_templates/ (or
    the PATHS given): the file opens; its Jinja (after docxtpl's own
    preprocessing) parses; every variable and filter exists; every tier and
    language has its templates; signature blocks, logos, the partner's name
    and a partner speaker are there; and each template renders every bundled
    record that uses it into a document that passes the ready-to-sign and
    co-branding checks. Prints one line per problem, FILE: WHERE: WHAT.
    Exit 0 when all pass, 1 when any check fails, 2 on bad usage.

    Example:

        partnerdocs validate --strict --format github
    """
    from .output import write_atomic
    from .validate import as_github, as_junit, as_text
    from .validate import validate as run_validate

    if fmt == "junit" and report_path is None:
        raise click.UsageError("--format junit needs --report PATH for the XML report")
    report = run_validate(list(paths) or None, _workspace(ctx))
    if fmt == "json":
        click.echo(json.dumps(report.as_dict(strict), indent=2, ensure_ascii=False))
    elif fmt == "github":
        click.echo(as_github(report, strict))
    else:
        click.echo(as_text(report, strict))
        if fmt == "junit":
            write_atomic(report_path, as_junit(report, strict))
            click.echo(f"JUnit report written to {report_path}")
    if report.failures(strict):
        ctx.exit(1)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace files of the workspace that exist with other content.")
def init(folder: Path, force: bool) -> None:
    """Make a workspace with the bundled configuration and templates.

    Writes FOLDER/partnerdocs.toml (naming the folders below), copies of the
    bundled configuration (configs/), contract and comms templates, an
    example record in records/, a .gitignore for the output folder out/, a
    GitHub Actions workflow that runs `partnerdocs validate --strict --format
    github` on pull requests, and a .pre-commit-config.yaml with the
    partnerdocs-validate hook. Refuses (exit 2, nothing written) to replace a
    file with other content unless --force.

    Example:

        partnerdocs init partnerships && cd partnerships && partnerdocs validate --strict
    """
    from .scaffold import init_workspace

    for item in init_workspace(folder, force=force):
        click.echo(f"{'unchanged' if item.status == 'unchanged' else 'wrote'} {item.path}")
    click.echo(f"workspace ready in {folder}: edit configs/organisation.yaml, replace <owner> in "
               ".github/workflows/partnerdocs.yml and .pre-commit-config.yaml with where you get partnerdocs, "
               "then run: partnerdocs validate --strict")


@cli.command()
@click.argument("record", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--language", default="en", show_default=True, help="Language of the agreement (and the comms).")
@click.option("--financial/--non-financial", default=True, show_default=True,
              help="With funding (budget, advances, two-way assessment) or without.")
@click.option("--force", is_flag=True, help="Replace RECORD if it exists with other content.")
def new(record: Path, language: str, financial: bool, force: bool) -> None:
    """Write a commented skeleton of a partnership record to fill in.

    Every field of the record, with a comment on what it holds; the values to
    fill in are placeholders that `partnerdocs check` refuses, naming each,
    until they are replaced; optional fields are commented out.

    Example:

        partnerdocs new records/psh-2027-001.yaml --language fr --non-financial
    """
    from .scaffold import new_record

    item = new_record(record, language=language, financial=financial, force=force)
    click.echo(f"{'unchanged' if item.status == 'unchanged' else 'wrote'} {record}: replace each 'FILL IN', "
               f"then run: partnerdocs check {record}")


@cli.group()
def translate() -> None:
    """A translator's round trip: the record's text out as XLIFF 2.0, translations back in.

    Example:

        partnerdocs translate export configs/partnerships/psh-2026-014.yaml --to en --out psh-014.en.xlf
        partnerdocs translate import psh-014.en.xlf configs/partnerships/psh-2026-014.yaml
    """


@translate.command("export")
@click.argument("record", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "language", required=True, help="The language to translate into (one the record's documents "
                                                      "are made in: language or comms.languages).")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The XLIFF file to write (default: RECORD's name with .<language>.xlf).")
def translate_export(record: Path, language: str, out: Path | None) -> None:
    """Write every text the documents in a language need, as XLIFF 2.0.

    Each unit is one field: its path (funding.budget[0].line) as name, the
    record's text as source, the translation the record already has as target,
    and notes with its file:line and the documents that show it.
    """
    from .records import load_record
    from .xliff import export_xliff, units

    loaded = load_record(record)
    data = export_xliff(loaded, language)
    out = out or record.with_name(f"{record.stem}.{language}.xlf")
    out.write_bytes(data)
    count = len(units(loaded, language))
    click.echo(f"{out}: {count} text(s) to translate into {language} for {loaded.record.id}")


@translate.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("record", type=click.Path(dir_okay=False, path_type=Path))
def translate_import(file: Path, record: Path) -> None:
    """Write an XLIFF file's translations into the record (YAML), keeping the rest as it is.

    A plain text becomes a map by language ({fr: ..., en: ...}). Refused, with
    nothing written: a file for another record, a unit whose source text
    changed since the export, a field the record has no text at.
    """
    from .record_edit import import_translations
    from .records import load_record
    from .xliff import read_xliff

    translated = read_xliff(file)
    written = import_translations(load_record(record), translated, str(file))
    click.echo(f"{record}: {len(written)} {translated.language} translation(s) written from {file}")


def main() -> None:
    cli(prog_name="partnerdocs")


if __name__ == "__main__":  # python -m generator.cli, as python -m generator
    main()
