"""Time `build --pdf` from the command line against LibreOffice's own plain PDF conversion of
the same two DOCX, in one run, alternating the two.

Run: python benchmarks/pdf.py [--repeat N]
The baseline is what --pdf did before it made archival files: one `soffice --convert-to pdf`
of both DOCX (already built), with a fresh profile as the build uses. The build side starts
from the YAML with an empty reports folder each time: validation, both DOCX, one LibreOffice
run with PDF/A-2b and tags, then per PDF the repairs, fixed metadata and ID, the glyph check
and the PDF/A validation of the written bytes.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "2020-08.yaml"


def seconds(command: list[str], cwd: Path = ROOT) -> float:
    """The wall time of a command run to its end (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    soffice = shutil.which("soffice") or sys.exit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        subprocess.run([sys.executable, "build.py", "build", str(DATA), "--reports",
                        str(work / "docx")], cwd=ROOT, check=True, capture_output=True)
        docx = sorted((work / "docx" / "2020-08").glob("*.docx"))
        timings = {"build --pdf": [], "soffice --convert-to pdf": []}
        for run in range(repeat + 1):  # the first round warms the disk cache, not counted
            build = seconds([sys.executable, "build.py", "build", str(DATA), "--pdf",
                              "--reports", str(work / f"reports-{run}")])
            plain = seconds([soffice, "--headless", "--norestore",
                              f"-env:UserInstallation={(work / f'profile-{run}').as_uri()}",
                              "--convert-to", "pdf", "--outdir", str(work / f"plain-{run}"),
                              *map(str, docx)])
            if run:
                timings["build --pdf"].append(build)
                timings["soffice --convert-to pdf"].append(plain)
    medians = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in medians.items():
        print(f"{name:26} {value * 1000:7.0f} ms  (median of {repeat})")
    print(f"{'ratio':26} {medians['build --pdf'] / medians['soffice --convert-to pdf']:7.2f}")


if __name__ == "__main__":
    main()
