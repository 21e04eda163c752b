"""Many partnerships in, every document out: a workbook, CSV files or a
folder of YAML records, rendered in parallel by the very function behind
``partnerdocs generate``. One bad record never stops the others."""
from __future__ import annotations

import json
import multiprocessing
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator, Optional

from .config import Config
from .errors import InputError, PartnerdocsError
from .generate import generate_loaded
from .output import Planned, add_to_manifest, intact, locked, read_manifest, write_atomic, write_new
from .parts import Options
from .pdf import to_pdf
from .records import LoadedRecord, load_record
from .sheets import SheetRecord, read_sheets


@dataclass
class RecordResult:
    """What became of one partnership."""

    id: str
    source: str
    tier: str = ""
    status: str = ""  # written | unchanged | failed
    written: list[str] = field(default_factory=list)
    error: str = ""
    error_kind: str = ""  # the error's class, for the CLI's advice on it


@dataclass
class BatchResult:
    results: list[RecordResult]
    seconds: float
    jobs: int

    @property
    def failed(self) -> list[RecordResult]:
        return [r for r in self.results if r.status == "failed"]

    def as_dict(self, source: Path) -> dict:
        counts = {s: sum(r.status == s for r in self.results) for s in ("written", "unchanged", "failed")}
        return {"input": str(source), "jobs": self.jobs, "seconds": round(self.seconds, 3),
                "totals": {"partnerships": len(self.results), **counts},
                "partnerships": [asdict(r) for r in self.results]}


def read_batch(source: Path, strict: bool = False, allow_unknown: bool = False) -> list[SheetRecord]:
    """The partnerships of a workbook, a CSV file or a folder of YAML records."""
    if source.is_dir():
        # Read later, one by one, while the first records are already rendering.
        out = [SheetRecord(str(path), path=path) for path in sorted(source.glob("*.y*ml"))]
        if not out:
            raise InputError(f"{source}: no .yaml records in this folder")
        return out
    if not source.exists():
        raise InputError(f"{source}: file not found")
    if source.suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
        raise InputError(f"{source}: expected an .xlsx workbook, a .csv file or a folder of YAML records")
    return read_sheets(source, strict, allow_unknown)


# The worker's settings, set once per process (fork or spawn alike).
_SETTINGS: dict = {}


def _init(config: Config, out: Path, options: Options) -> None:
    _SETTINGS.update(config=config, out=out, options=options)


def _render(loaded: LoadedRecord) -> RecordResult:
    result = RecordResult(loaded.record.id, loaded.label)
    try:
        outcome = generate_loaded(loaded, _SETTINGS["config"], _SETTINGS["out"], _SETTINGS["options"])
    except PartnerdocsError as exc:
        result.status, result.error, result.error_kind = "failed", exc.format_message(), type(exc).__name__
        return result
    except Exception as exc:  # a bug must not cost the other records their documents
        result.status, result.error = "failed", f"{loaded.label}: internal error, please report it: {exc!r}"
        return result
    result.tier = outcome.tier
    result.written = [str(f.path) for f in outcome.written if f.path.name != "manifest.json"]
    result.status = "written" if result.written else "unchanged"
    return result


def run_batch(items: list[SheetRecord], config: Config, out: Path, options: Optional[Options] = None, *,
              jobs: int = 0, progress: Callable[[Iterator], Iterator] = lambda it: it, **flags) -> BatchResult:
    """Render every readable record on ``jobs`` processes (0: one per core).
    ``flags`` are the fields of Options, for callers of the library."""
    options = options or Options(**flags)
    started = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    results: list[RecordResult] = []
    todo = _readable(items, results, options.strict, options.allow_unknown)
    pdf, options = options.pdf, replace(options, pdf=False)  # PDFs are made at the end, many per LibreOffice
    if jobs == 1 or len(items) < 2:
        _init(config, out, options)
        done = list(progress(map(_render, todo)))
    else:
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        # imap reads `todo` in its own thread: records are read while others render.
        with context.Pool(min(jobs, len(items)), initializer=_init, initargs=(config, out, options)) as pool:
            done = list(progress(pool.imap(_render, todo, chunksize=max(1, min(16, len(items) // (jobs * 8))))))
    if pdf and not options.dry_run and options.wants("contract"):
        _convert_pdfs(done, out, jobs, options.force)
    order = {item.label: i for i, item in enumerate(items)}
    results = sorted(done + results, key=lambda r: order.get(r.source, len(order)))
    return BatchResult(results, time.perf_counter() - started, jobs)


def _readable(items: list[SheetRecord], failures: list[RecordResult], strict: bool,
              allow_unknown: bool = False) -> Iterator[LoadedRecord]:
    """The valid records, read as they are needed; the others, and a second
    record with an id already seen, are added to ``failures``."""
    seen: dict[str, str] = {}
    for item in items:
        if item.path is not None and item.loaded is None and item.error is None:
            try:
                item.loaded = load_record(item.path, strict, allow_unknown)
            except InputError as exc:
                item.error = exc.format_message()
            except Exception as exc:  # a bug must not cost the other records their documents
                item.error = f"{item.label}: internal error, please report it: {exc!r}"
        if item.loaded is None:
            failures.append(RecordResult(item.id, item.label, status="failed", error=item.error or ""))
            continue
        record_id = item.loaded.record.id
        if record_id in seen:
            failures.append(RecordResult(record_id, item.label, status="failed",
                                         error=f"{item.label}: id {record_id} already used by {seen[record_id]}"))
            continue
        seen[record_id] = item.label
        yield item.loaded


def _convert_pdfs(results: list[RecordResult], out: Path, jobs: int, force: bool) -> None:
    """Every contract whose PDF is missing or older than its .docx, converted
    by one LibreOffice per job (each with its own profile), many files per start."""
    wanted: dict[str, tuple[RecordResult, Path]] = {}
    for result in results:
        if result.status == "failed":
            continue
        folder = out / result.id
        manifest = read_manifest(folder)
        for docx in (folder / "contract").glob("*.docx"):
            pdf = docx.with_suffix(".pdf")
            if force or str(docx) in result.written or intact(folder, manifest, pdf) is None:
                wanted[docx.name] = (result, docx)
    if not wanted:
        return
    names = sorted(wanted)
    chunks = [names[i::jobs] for i in range(min(jobs, len(names)))]
    with ThreadPoolExecutor(len(chunks)) as pool:
        converted = pool.map(lambda chunk: to_pdf({n: wanted[n][1].read_bytes() for n in chunk}), chunks)
        pdfs = {name: data for batch in converted for name, data in batch.items()}
    for name, data in pdfs.items():
        result, docx = wanted[name]
        pdf = docx.with_suffix(".pdf")
        try:
            with locked(out / result.id):
                write_atomic(pdf, data)
                add_to_manifest(out / result.id, [Planned(pdf, data)])
        except PartnerdocsError as exc:
            result.status, result.error = "failed", exc.format_message()
            continue
        result.written.append(str(pdf))
        result.status = "written"


def write_report(result: BatchResult, source: Path, out: Path, report: Optional[Path]) -> Path:
    """``out/batch-<timestamp>.json`` (or ``report``): the run, record by record.
    Two batches ending at the same moment never share a name."""
    data = (json.dumps(result.as_dict(source), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    if report:
        write_atomic(report, data)
        return report
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for number in range(1000):
        path = out / f"batch-{stamp}{f'-{number}' if number else ''}.json"
        if write_new(path, data):
            return path
    raise PartnerdocsError(f"{out}: no free name for the batch report")
