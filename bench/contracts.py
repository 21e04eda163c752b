"""Contract rendering speed, per tier, against docxtpl's own render-and-save
of the same template with the same data, measured in the same run.

    .venv/bin/python bench/contracts.py [--repeat 20]

partnerdocs' figure includes everything `generate` does per document except
writing it: loading the record, choosing the tier, building the context, the
template safety check, rendering, setting properties, fixing the zip for
determinism and the ready-to-sign check.
"""
from __future__ import annotations

import argparse
import io
import statistics
import time
from pathlib import Path

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import Environment

from generator.config import load_config
from generator.context import contract_context
from generator.contracts import place_logo, render_contract, template_path
from generator.records import load_record
from generator.tiers import select_tier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "collaboration": "psh-2026-030.yaml",
    "small-grant": "psh-2026-021.yaml",
    "standard-grant": "psh-2026-041.yaml",
    "complex-award": "psh-2026-052.yaml",
}


def plain_docxtpl(template: Path, context: dict, logos: list[Path], target=None) -> None:
    """docxtpl alone: load the template, render the context, save (to ``target`` or memory)."""
    document = DocxTemplate(template)
    context = dict(context)
    for key, path in zip(("lead_logo", "partner_logo"), logos):
        picture = place_logo(path)  # the same images, at the same size
        context[key] = InlineImage(document, io.BytesIO(picture.data), width=Mm(picture.width_mm),
                                   height=Mm(picture.height_mm))
    document.render(context, jinja_env=Environment(autoescape=True))
    document.save(target or io.BytesIO())


def timed(function, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    config = load_config(ROOT / "configs")
    print(f"{'tier':16} {'partnerdocs':>14} {'docxtpl only':>14} {'docs/s':>8} {'cost':>7}")
    for tier, name in EXAMPLES.items():
        record_path = ROOT / "configs" / "partnerships" / name

        def ours():
            loaded = load_record(record_path)
            render_contract(loaded, config, select_tier(loaded.record, config))

        loaded = load_record(record_path)
        choice = select_tier(loaded.record, config)
        context = contract_context(loaded.record, config, choice)
        template = template_path(config, choice.name, loaded.record.language)
        logos = [config.organisation_logo, loaded.logo_path("bench")]
        ours()  # warm up: imports, Babel data, the compiled-template cache
        plain_docxtpl(template, context, logos)
        ours_s = timed(ours, args.repeat)
        plain_s = timed(lambda: plain_docxtpl(template, context, logos), args.repeat)
        print(f"{tier:16} {ours_s * 1000:11.1f} ms {plain_s * 1000:11.1f} ms {1 / ours_s:8.1f} {ours_s / plain_s:6.2f}x")


if __name__ == "__main__":
    main()
