"""Batch speed and memory on synthetic partnerships, against plain docxtpl.

    .venv/bin/python bench/batch.py [--records 1000] [--pdf-records 50] [--cold 5]

Measured in one run, on the same machine:
- `partnerdocs batch --only contract` with --jobs 1 and --jobs 2 (a fresh
  process each, so reading the records and starting up are included):
  documents per second, and peak memory of the largest process;
- a plain loop of docxtpl load-render-save over the same templates with the
  same data (contexts built beforehand, so this loop does less than batch);
- with --pdf on a smaller set: seconds per PDF, against a cold
  `soffice --convert-to pdf` per file (fresh profile each time).
"""
from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from contracts import plain_docxtpl  # bench/contracts.py: the same plain loop, measured the same way

from generator.config import load_config
from generator.context import contract_context
from generator.contracts import template_path
from generator.pdf import find_soffice
from generator.records import load_record
from generator.tiers import select_tier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "configs" / "partnerships"


def synthesise(folder: Path, count: int) -> None:
    """``count`` records cycling through the bundled examples (every tier),
    each with its own id and amounts scaled so records differ."""
    folder.mkdir(parents=True)
    shutil.copytree(EXAMPLES / "logos", folder / "logos")
    examples = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))]
    for i in range(count):
        record = yaml.safe_load(yaml.safe_dump(examples[i % len(examples)], allow_unicode=True))
        record["id"] = f"SYN-{i:05d}"
        record["title"] = f"{record['title']} ({i})"
        (folder / f"syn-{i:05d}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                                                 encoding="utf-8")


def run_batch(folder: Path, out: Path, jobs: int, *extra: str) -> tuple[float, int]:
    """Wall seconds and the largest child's peak memory (KB) of one batch run."""
    command = [sys.executable, "-m", "generator", "--configs", str(ROOT / "configs"), "batch", str(folder),
               "--out", str(out), "--jobs", str(jobs), "--only", "contract", *extra]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"batch failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def plain_loop(folder: Path, out: Path) -> float:
    config = load_config(ROOT / "configs")
    jobs = []
    for path in sorted(folder.glob("*.yaml")):
        loaded = load_record(path)
        choice = select_tier(loaded.record, config)
        jobs.append((template_path(config, choice.name, loaded.record.language),
                     contract_context(loaded.record, config, choice),
                     [config.organisation_logo, loaded.path.parent / loaded.record.partner.logo]))
    out.mkdir(parents=True)
    start = time.perf_counter()
    for n, (template, context, logos) in enumerate(jobs):
        plain_docxtpl(template, context, logos, out / f"{n}.docx")
    return time.perf_counter() - start


def cold_soffice(docx_files: list[Path], work: Path) -> float:
    """Seconds per file with one cold LibreOffice start per file."""
    soffice = find_soffice()
    start = time.perf_counter()
    for n, path in enumerate(docx_files):
        profile = work / f"profile-{n}"
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(work / "cold"), str(path)], capture_output=True, check=True)
    return (time.perf_counter() - start) / len(docx_files)


def report_speed(work: Path, n: int) -> None:
    synthesise(work / "records", n)
    one_s, one_kb = run_batch(work / "records", work / "out1", 1)
    two_s, two_kb = run_batch(work / "records", work / "out2", 2)
    plain_s = plain_loop(work / "records", work / "plain")
    print(f"{n} synthetic partnerships across all tiers, contracts only")
    print(f"  batch --jobs 1: {one_s:6.1f} s  {n / one_s:6.1f} docs/s  {one_s / n * 1000:5.1f} ms/doc")
    print(f"  batch --jobs 2: {two_s:6.1f} s  {n / two_s:6.1f} docs/s  speed-up {one_s / two_s:.2f}x (target >= 1.7)")
    print(f"  plain docxtpl : {plain_s:6.1f} s  {n / plain_s:6.1f} docs/s  {plain_s / n * 1000:5.1f} ms/doc")
    print(f"  batch --jobs 1 per document / plain docxtpl: {one_s / plain_s:.2f} (target <= 0.85)")
    print(f"  peak memory of the largest process: {max(one_kb, two_kb) / 1024:.0f} MB (target < 300)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000, help="0 skips the speed and memory part")
    parser.add_argument("--pdf-records", type=int, default=50)
    parser.add_argument("--cold", type=int, default=5, help="files converted with a cold start each")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="partnerdocs-bench-") as tmp:
        work = Path(tmp)
        if args.records:
            report_speed(work, args.records)

        if args.pdf_records:
            try:
                find_soffice()
            except Exception as exc:  # noqa: BLE001 - report and skip the PDF part
                print(f"PDF part skipped: {exc}")
                return
            pdf_in = work / "pdf-records"
            synthesise(pdf_in, args.pdf_records)
            base_s, _ = run_batch(pdf_in, work / "pdf-out", 2)
            pdf_s, _ = run_batch(pdf_in, work / "pdf-out", 2, "--pdf")  # documents unchanged: only the PDFs
            per_pdf = pdf_s / args.pdf_records
            docx_files = sorted((work / "pdf-out").glob("*/contract/*.docx"))[: args.cold]
            cold = cold_soffice(docx_files, work)
            print(f"{args.pdf_records} partnerships with --pdf --jobs 2: {pdf_s:.1f} s, {per_pdf:.2f} s per PDF "
                  f"(documents already made in {base_s:.1f} s)")
            print(f"  cold soffice --convert-to pdf per file ({len(docx_files)} files): {cold:.2f} s per PDF; "
                  f"batch is {cold / per_pdf:.1f}x faster (target >= 8)")


if __name__ == "__main__":
    main()
