"""Template checks CI can trust: each problem with its file, its place and
what is wrong, before a broken template reaches a grants officer."""
from __future__ import annotations

import multiprocessing
import os
from functools import partial
from pathlib import Path
from typing import Optional

from ..config import Config, load_config
from ..errors import InputError, PartnerdocsError
from ..records import LoadedRecord, load_record
from ..parts import CONTRACT_KIND as CONTRACT, COMMS_HTML, COMMS_KINDS, SHARED_HTML, classify
from .checks import Validator
from .report import Finding, Report, as_github, as_junit, as_text

__all__ = ["Finding", "Report", "as_github", "as_junit", "as_text", "validate"]


def _load_inputs(folder: Optional[Path], report: Report) -> tuple[Optional[Config], list[LoadedRecord]]:
    """7: every configuration file and bundled record loads and validates."""
    try:
        config = load_config(folder)
    except InputError as exc:
        for problem in exc.problems or []:
            report.add(problem.file, f"line {problem.line}: {problem.path}" if problem.line else problem.path,
                       problem.message, "configuration", line=problem.line)
        if not exc.problems:
            report.add(str(folder or "configs"), "", exc.format_message(), "configuration")
        return None, []
    records = []
    for path in sorted(config.records.glob("*.y*ml")):
        report.checked.append(str(path))
        report.records += 1
        try:
            loaded = load_record(path)
        except PartnerdocsError as exc:
            for problem in getattr(exc, "problems", None) or []:
                report.add(problem.file, f"line {problem.line}: {problem.path}", problem.message, "records",
                           line=problem.line)
            if not getattr(exc, "problems", None):
                report.add(str(path), "", exc.format_message(), "records")
            continue
        for warning in loaded.warnings:
            report.add(warning.file, f"line {warning.line}: {warning.path}", warning.message, "records", "warning",
                       line=warning.line)
        _translations(loaded, report)
        records.append(loaded)
    return config, records


def _translations(loaded: LoadedRecord, report: Report) -> None:
    """7: the text each language's documents need (the agreement's versions, the comms
    languages): an error where it is missing, a warning where the record's own
    language stands in for it (translations: fallback)."""
    from ..translations import coverage, language_name, missing_message

    record = loaded.record
    for covered in coverage(record):
        for loc in covered.missing:
            if record.translations == "fallback":
                message = (f"no {language_name(covered.language)} ({covered.language}) text: the "
                           f"{language_name(record.language)} text is used (translations: fallback)")
            else:
                message = missing_message(record, covered.language, covered.documents)
            problem = loaded.source.problem(loc, message)
            report.add(problem.file, f"line {problem.line}: {problem.path}", problem.message, "translations",
                       "warning" if record.translations == "fallback" else "error", line=problem.line)


def validate(paths: Optional[list[Path]] = None, configs: Optional[Path] = None) -> Report:
    """Check the given templates (default: every bundled one), the
    configuration and the bundled records."""
    report = Report()
    config, records = _load_inputs(configs, report)
    if config is None:
        return report
    if not paths:
        paths = sorted(p for folder in (config.contract_templates, config.comms_templates)
                       for p in folder.glob("*.*") if p.is_file() and p.name != "README.md")
        _coverage(config, report)
    contracts, comms = [], []
    for path in paths:
        kind = classify(path)
        report.checked.append(str(path))
        if kind is None:
            report.add(str(path), "", "not a template partnerdocs knows (.docx contract, press-release.<lang>.md/.docx, "
                       "social.<lang>.yaml, credit-line.<lang>.yaml, press-release.html, preview.html)", "opens")
        elif kind == CONTRACT:
            contracts.append(path)
        else:
            comms.append((path, kind))
    validator = Validator(config, records, report)
    # The comms checks first (the longest job), then one job per contract template.
    jobs = ([partial(_check_comms, validator, comms)] if comms else []) + [
        partial(_check_contracts, validator, [path]) for path in contracts]
    for findings in _run(jobs):
        report.findings += findings
    return report


def _check_contracts(validator: Validator, paths: list[Path]) -> None:
    for path in paths:
        validator.check_contract(path)


def _check_comms(validator: Validator, items: list[tuple[Path, str]]) -> None:
    folders: dict[Path, set[str]] = {}
    for path, kind in items:
        validator.check_comms(path, kind)
        language = path.name.split(".")[1] if kind != COMMS_HTML else None
        folders.setdefault(path.parent, set()).update(
            [language] if language else validator.config.policy.comms_languages)
    if not any(f.severity == "error" for f in validator.report.findings):  # each mistake reported once
        for folder, languages in folders.items():
            validator.render_comms_folder(folder, languages)


_JOBS: list = []


def _job(index: int) -> list[Finding]:
    """Run one job with a report of its own and return what it found."""
    job = _JOBS[index]
    validator = job.args[0]
    validator.report = Report()
    job()
    return validator.report.findings


def _run(jobs: list) -> list[list[Finding]]:
    """The jobs are independent: with several cores and fork, they are spread
    over one process per core, in order (the findings keep their order)."""
    global _JOBS
    _JOBS = jobs
    try:
        if len(jobs) > 1 and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(min(len(jobs), os.cpu_count() or 1)) as pool:
                return pool.map(_job, range(len(jobs)), chunksize=1)
        return [_job(i) for i in range(len(jobs))]
    finally:
        _JOBS = []


def _coverage(config: Config, report: Report) -> None:
    """4: a contract template for every tier in every declared language, every comms template in every comms language."""
    for tier in config.tiers.tiers:
        for language in config.policy.contract_languages:
            path = config.contract_templates / f"{tier.name}.{language}.docx"
            if not path.exists():
                report.add(str(path), "coverage", f"tier '{tier.name}' has no template in language '{language}' "
                           "(configs/policy.yaml: contract_languages)", "coverage")
    for pattern in COMMS_KINDS:
        for language in config.policy.comms_languages:
            path = config.comms_templates / pattern.format(language)
            if not path.exists():
                report.add(str(path), "coverage", f"missing in language '{language}' (configs/policy.yaml: comms_languages)",
                           "coverage")
    for name in SHARED_HTML:
        if not (config.comms_templates / name).exists():
            report.add(str(config.comms_templates / name), "coverage", "missing", "coverage")
    from ..pack import DUE_DILIGENCE, load_due_diligence  # the start-up pack's checklist, by tier and language

    for tier in config.tiers.tiers:
        for language in config.policy.contract_languages:
            try:
                load_due_diligence(config.folder, tier.name, language)
            except InputError as exc:
                path = str(config.folder / DUE_DILIGENCE)
                report.add(path, "coverage", exc.format_message().removeprefix(f"{path}: "), "coverage")
                break
    declared = set(config.policy.contract_languages)
    for path in config.contract_templates.glob("*.docx"):
        parts = path.name.split(".")
        if len(parts) == 3 and parts[1] not in declared:
            report.add(str(path), "coverage", f"language '{parts[1]}' is not in configs/policy.yaml: contract_languages",
                       "coverage", "warning")
        if len(parts) == 3 and parts[0] not in {t.name for t in config.tiers.tiers}:
            report.add(str(path), "coverage", f"no tier '{parts[0]}' in configs/tiers.yaml", "coverage", "warning")
