"""Time the test suite as the README runs it (on every core, pytest-xdist) against the
baseline: the same tests in one process (-n 0), as the suite ran before. Both in one run,
one after the other, from the same checkout; the ratio is baseline / parallel.

Run: python benchmarks/suite.py [--only parallel] [pytest arguments...]
The slowest tests of the parallel run are listed (--durations), to show where time goes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(label: str, workers: str, extra: list[str]) -> float:
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", workers,
               *(["--durations=10"] if workers != "0" else []), *extra]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, check=False)
    seconds = time.perf_counter() - start
    tail = done.stdout.strip().splitlines()
    if done.returncode != 0:
        sys.exit(f"{label}: the tests failed\n" + "\n".join(tail[-30:]))
    slowest = [line for line in tail if line[:1].isdigit() and "s " in line[:10]]
    print(f"{label:<34} {seconds:7.1f} s   ({tail[-1].strip('= ')})")
    for line in slowest:
        print(f"    {line}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["parallel"], help="skip the one-process baseline")
    known, extra = parser.parse_known_args()
    print(f"{os.cpu_count()} cores; pytest {' '.join(extra) or '(every test)'}")
    parallel = _run("on every core (-n auto)", "auto", extra)
    if known.only:
        return
    baseline = _run("baseline: one process (-n 0)", "0", extra)
    print(f"ratio baseline / every core: {baseline / parallel:.2f}")


if __name__ == "__main__":
    main()
