"""Time `build` for one month against bare docxtpl rendering the same two templates, and
building twelve generated months, in one run.

Run: python benchmarks/build.py [--repeat N]
The baseline renders templates/ru and templates/kk with docxtpl's defaults and the same words,
without the table (building the table is work of ours, measured on our side only), and saves
to memory: what is left is the pipeline's own work (validation, model, table, settings,
parity, fixed package, safe writes).
"""

from __future__ import annotations

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml
from docxtpl import DocxTemplate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hearings.documents.localize import document_context  # noqa: E402
from hearings.documents.report import build  # noqa: E402
from hearings.files.workspace import PACKAGED_TEMPLATES as TEMPLATES  # noqa: E402
from hearings.files.workspace import Workspace  # noqa: E402
from hearings.month.facts.dated import facts  # noqa: E402
from hearings.month.load import load  # noqa: E402
from hearings.month.model import month_from  # noqa: E402
from hearings.month.reference import LANGUAGES, document_settings, reference  # noqa: E402

SIGNED = ROOT / "tests" / "signed" / "2020-08.yaml"


def _median_s(run, repeat: int) -> float:
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bare_docxtpl() -> None:
    """Both templates rendered by docxtpl with the same words and no table, nothing else."""
    ref, settings = reference(), document_settings()
    month = month_from(load(SIGNED).data, ref)
    for lang in LANGUAGES:
        template = DocxTemplate(TEMPLATES / lang / "report.docx")
        context = document_context(month, ref, facts().for_month(month.period), settings, lang)
        context["table"] = ""
        template.render(context)
        template.save(io.BytesIO())


def generated_months(folder: Path) -> list[Path]:
    """Twelve months of 2021 with random counts that add up, from the August file, in
    folder/data (each compared with the month before)."""
    (folder / "data").mkdir(exist_ok=True)
    base = load(SIGNED).data
    rng = random.Random(2021)
    categories = [c for c in reference().categories]
    files = []
    for month in range(1, 13):
        data = yaml.safe_load(yaml.safe_dump(base, allow_unicode=True))
        data["period"] = f"2021-{month:02d}"
        data["observations"] = [o for o in data["observations"] if "category" not in o]
        totals = {"announcements": 0, "protocols": 0}
        groups = {"announcements": 0, "protocols": 0}
        for row in data["regions"].values():
            row["announcements"] = rng.randint(0, 30)
            row["protocols"] = rng.randint(0, 30)
            for category in categories:
                row["violations"][category.code] = rng.choice([0, 0, 0, 1, 2, 3])
                groups[category.group] += row["violations"][category.code]
            row["total"] = sum(row["violations"].values())
            totals["announcements"] += row["announcements"]
            totals["protocols"] += row["protocols"]
        data["summary"] = {**totals, "violations": sum(groups.values()),
                           "violations_by_group": groups}
        path = folder / "data" / f"2021-{month:02d}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        counter = iter(range(10**6))

        def one_month() -> None:  # a fresh folder each time: a full build, not "unchanged"
            build(SIGNED, work / f"out-{next(counter)}")

        ours = _median_s(one_month, repeat)
        bare = _median_s(bare_docxtpl, repeat)
        months = generated_months(work)
        start = time.perf_counter()
        for path in months:
            outcome = build(path, work / "year", workspace=Workspace(work))
            assert not outcome.report.errors, outcome.report.findings[:3]
        year = time.perf_counter() - start
    print(f"one month, both languages, median of {repeat} runs")
    print(f"  hearings build                         {ours * 1000:7.0f} ms")
    print(f"  bare docxtpl, same two templates       {bare * 1000:7.0f} ms   "
          f"build / bare = {ours / bare:4.2f}")
    print(f"twelve generated months (2021)           {year:7.2f} s    "
          f"{year / 12 * 1000:.0f} ms a month, {year / 12 / ours:4.2f} x one August build")


if __name__ == "__main__":
    main()
