"""Time `build --all --pdf` of many months from the command line against one LibreOffice start
converting the same DOCX, in one run, alternating the two.

Run: python benchmarks/many_pdf.py [--months 11] [--repeat 3] [--jobs 2]
The baseline is the least any build with PDFs can cost: one plain `soffice --convert-to pdf`
of all the months' DOCX (already built), with a fresh profile, as a single LibreOffice start.
The build side starts from the YAML with an empty reports folder each time: validation, both
DOCX of every month, a LibreOffice run per worker's share (PDF/A-2b, tagged), then per PDF the
archival work, on `--jobs` workers.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pdf import seconds  # noqa: E402
from tests.months import month_data, write_month  # noqa: E402  (the tests' month maker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=11)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    soffice = shutil.which("soffice") or sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        for index in range(options.months):
            period = f"{2020 + index // 12}-{index % 12 + 1:02d}"
            write_month(work / "data", month_data(period, {("akmola", "backdated"): 1,
                                                           ("almaty-city", "backdated"): 2}))
        subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "--all", "--reports",
                        str(work / "docx")], cwd=work, check=True, capture_output=True)
        docx = sorted((work / "docx").glob("*/*.docx"))
        timings = {"build --all --pdf": [], "one soffice --convert-to pdf": []}
        for run in range(options.repeat + 1):  # the first round warms the caches
            build = seconds([sys.executable, str(ROOT / "build.py"), "build", "--all", "--pdf",
                              "--jobs", str(options.jobs), "--reports",
                              str(work / f"reports-{run}")], work)
            plain = seconds([soffice, "--headless", "--norestore",
                              f"-env:UserInstallation={(work / f'profile-{run}').as_uri()}",
                              "--convert-to", "pdf", "--outdir", str(work / f"plain-{run}"),
                              *map(str, docx)], work)
            if run:
                timings["build --all --pdf"].append(build)
                timings["one soffice --convert-to pdf"].append(plain)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"{options.months} months, {len(docx)} DOCX, {options.jobs} workers")
    for name, value in medians.items():
        print(f"{name:30} {value:6.2f} s  (median of {options.repeat})")
    ratio = medians["build --all --pdf"] / medians["one soffice --convert-to pdf"]
    print(f"{'ratio':30} {ratio:6.2f}")


if __name__ == "__main__":
    main()
