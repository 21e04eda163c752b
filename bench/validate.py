"""Time `partnerdocs validate` on the full bundled template set, as CI runs it
(a fresh process each time, imports included).

    .venv/bin/python bench/validate.py [--repeat 5]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    command = [sys.executable, "-m", "generator", "validate", "--strict"]
    samples = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"validate failed:\n{done.stdout}{done.stderr}")
    print(done.stdout.strip().splitlines()[-1])
    print(f"validate --strict, whole bundled set: median {statistics.median(samples):.2f} s, "
          f"min {min(samples):.2f} s, max {max(samples):.2f} s over {args.repeat} runs (target: under 2 s)")


if __name__ == "__main__":
    main()
