"""Time a one-month build from the command line against the bare import floor, and a
generated archive of months built by one command, with the peak memory of its processes, in
one run.

Run: python benchmarks/many.py [--repeat N] [--months N] [--skip-calls]
- floor: `python -c "import docxtpl, babel, jsonschema, yaml, click"`, nothing else;
- one month: `python build.py build data/2020-08.yaml` into an empty folder;
- archive: N generated valid months (from 2019-07, the regions in force in each, random
  counts that add up) built by `build --all` on every core, and the same months as N separate
  command-line calls; then the peak memory of any one process of `build --all` for a quarter
  of the months and for all of them.
Both sides run with Python's bytecode cache written, as an installed tool has it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hearings.month.load import load  # noqa: E402
from hearings.month.reference import Period, reference  # noqa: E402

SIGNED = ROOT / "tests" / "signed" / "2020-08.yaml"
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def generated_archive(folder: Path, count: int) -> None:
    """`count` valid months from 2019-07 in folder, each with the regions in force."""
    ref, rng = reference(), random.Random(120)
    people = {key: value for key, value in load(SIGNED).data.items()
              if key in ("signatory", "executor", "closing")}
    period = Period.parse("2019-07")
    folder.mkdir(parents=True, exist_ok=True)
    for _ in range(count):
        regions, groups = {}, {group.code: 0 for group in ref.groups}
        for region in ref.regions_in_force(period):
            violations = {c.code: rng.choice([0, 0, 0, 1, 2, 3]) for c in ref.categories}
            for category in ref.categories:
                groups[category.group] += violations[category.code]
            regions[region.code] = {"announcements": rng.randint(3, 30),
                                    "protocols": rng.randint(3, 30), "violations": violations,
                                    "total": sum(violations.values())}
        data = {"period": str(period), "summary": {
            "announcements": sum(r["announcements"] for r in regions.values()),
            "protocols": sum(r["protocols"] for r in regions.values()),
            "violations": sum(groups.values()), "violations_by_group": groups},
            "regions": regions, "observations": [], **people}
        (folder / f"{period}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        period = period.next()


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _peak_rss_mb(command: list[str]) -> float:
    """The peak resident memory of the largest process the command ran (itself or a worker),
    measured in a child of its own so that no earlier run counts."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
             "stdout=subprocess.DEVNULL); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    done = subprocess.run([sys.executable, "-c", probe, *command], cwd=ROOT, env=ENV,
                          check=True, capture_output=True, text=True)
    return int(done.stdout) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--skip-calls", action="store_true",
                        help="leave out the N separate command-line calls (slow)")
    args = parser.parse_args()
    python, cli = sys.executable, str(ROOT / "build.py")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        counter = iter(range(10**6))
        floor = [python, "-c", "import docxtpl, babel, jsonschema, yaml, click"]

        def one_month() -> list[str]:
            return [python, cli, "build", str(SIGNED), "--reports",
                    str(work / f"one-{next(counter)}")]

        _seconds(floor), _seconds(one_month())  # bytecode written, disk cache warm
        floors, months = [], []
        for _ in range(args.repeat):  # alternating, so that both see the same machine
            floors.append(_seconds(floor))
            months.append(_seconds(one_month()))
        floor_s, month_s = statistics.median(floors), statistics.median(months)
        print(f"import floor (docxtpl, babel, jsonschema, yaml, click)  {floor_s * 1000:6.0f} ms")
        print(f"one month from the command line                         {month_s * 1000:6.0f} ms"
              f"   {month_s / floor_s:4.2f} x the floor   (medians of {args.repeat})")

        data = work / "archive" / "data"
        generated_archive(data, args.months)
        every = [python, cli, "build", "--all", "--data", str(data)]
        archive_s = _seconds([*every, "--reports", str(work / "archive" / "reports")])
        print(f"{args.months} months, build --all on {len(os.sched_getaffinity(0))} cores"
              f"             {archive_s:6.1f} s    {archive_s / args.months * 1000:.0f} ms a month")
        if not args.skip_calls:
            start = time.perf_counter()
            for path in sorted(data.glob("*.yaml")):
                _seconds([python, cli, "build", str(path), "--data", str(data), "--reports",
                          str(work / "archive" / "calls")])
            calls_s = time.perf_counter() - start
            print(f"{args.months} months as {args.months} command-line calls"
                  f"                 {calls_s:6.1f} s    {calls_s / archive_s:4.1f} x build --all")
        quarter = work / "quarter" / "data"
        quarter.mkdir(parents=True)
        for path in sorted(data.glob("*.yaml"))[:args.months // 4]:
            (quarter / path.name).write_bytes(path.read_bytes())
        small = _peak_rss_mb([python, cli, "build", "--all", "--data", str(quarter),
                              "--reports", str(work / "quarter" / "reports")])
        large = _peak_rss_mb([*every, "--reports", str(work / "archive" / "again")])
        print(f"peak memory of one process, build --all: {args.months // 4} months "
              f"{small:5.0f} MB, {args.months} months {large:5.0f} MB")


if __name__ == "__main__":
    main()
