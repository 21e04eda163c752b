"""Wall time of `partnerdocs --help` and `partnerdocs --version` (target: under
150 ms each), a fresh process each time through the installed console script,
beside a bare `python -c pass` for what the interpreter alone costs here.

    .venv/bin/python bench/startup.py [--repeat 20] [--partnerdocs PATH]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_MS = 150


def wall_ms(command: list[str], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        samples.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--partnerdocs", type=Path, default=Path(sys.executable).parent / "partnerdocs",
                        help="the console script to time (default: the one beside this Python)")
    args = parser.parse_args()
    runs = {"python -c pass": [sys.executable, "-c", "pass"],
            "partnerdocs --version": [str(args.partnerdocs), "--version"],
            "partnerdocs --help": [str(args.partnerdocs), "--help"]}
    print(f"{'command':24} {'min':>7} {'median':>7}  ({args.repeat} runs, ms wall)")
    for name, command in runs.items():
        samples = wall_ms(command, args.repeat)
        verdict = "" if name.startswith("python") else (
            "  under target" if statistics.median(samples) < TARGET_MS else f"  OVER the {TARGET_MS} ms target")
        print(f"{name:24} {min(samples):7.0f} {statistics.median(samples):7.0f}{verdict}")


if __name__ == "__main__":
    main()
