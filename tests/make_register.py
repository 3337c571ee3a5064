"""Write tests/register/2020-08.register.csv: a register of publications from which `hearings tally`
derives exactly the figures of data/2020-08.yaml, under the 2007 Rules (20 calendar days'
notice; a first sighting more than a day after the stated date is backdating). Every row is
made to order, not taken from the monitoring: the source report gives counts, not its
notes, so it stays with the tests, never in data/ where its example addresses would reach a
signed report's appendix. The two backdated announcements are the report's own (Akmola,
placed "11 August", seen on the 25th and the 27th). Run: python -m tests.make_register"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from pathlib import Path

import yaml

from hearings.month.reference import Period, reference

ROOT = Path(__file__).resolve().parent.parent
MONTH = Period.parse("2020-08")
HEADER = ["region", "kind", "url", "project", "placed", "seen", "form", "hearing",
          "survey_from", "survey_to", "announcement", "finding", "note"]
ANNOUNCED = {"less-than-20-days", "backdated", "posted-after-survey-start",
             "survey-period-missing"}


def _day(n: int) -> dt.date:
    """A day of August 2020, the n-th counted round the month (1 to 31)."""
    return MONTH.first_day + dt.timedelta(days=(n - 1) % 31)


def rows_of(code: str, row: dict, name: str) -> list[list[str]]:
    """One region's rows: announcements and protocols placed, each violation a row that the
    rules find (or, where no rule of the 2007 Rules is known, a row that asserts it)."""
    site = f"https://{code}.example.kz/hearings/2020-08"
    counts = row["violations"]
    rows = []

    def add(kind: str, n: int, *, placed="", seen=None, form="", hearing="", survey=("", ""),
            announcement="", finding="", note="") -> None:
        seen = seen or placed or _day(n)
        rows.append([name, kind, f"{site}/{kind}-{len(rows) + 1}",
                     f"Проект {len(rows) + 1}" if kind != "site" else "",
                     str(placed), str(seen), form, str(hearing), str(survey[0]),
                     str(survey[1]), announcement, finding, note])

    if row["announcements"] == "n/a":  # the site had no texts: its figures not assessed
        figures = ["announcements", "protocols",
                   *(c for c, v in counts.items() if v == "n/a")]
        for figure in figures:
            add("site", 1, seen=_day(31), finding=f"n/a: {figure}",
                note="на сайте нет текстов объявлений")
    else:
        special = sum(counts.get(c, 0) for c in ANNOUNCED)
        n = 0
        for _each in range(counts.get("less-than-20-days", 0)):
            n += 1
            add("announcement", n, placed=_day(n), form="hearing",
                hearing=_day(n) + dt.timedelta(days=15))
        for seen in (25, 27)[:counts.get("backdated", 0)]:  # the report's own example
            n += 1
            add("announcement", n, placed=_day(11), seen=_day(seen), form="hearing",
                hearing=_day(seen) + dt.timedelta(days=30))
        for _each in range(counts.get("posted-after-survey-start", 0)):
            n += 1
            add("announcement", n, placed=_day(n + 3), form="survey",
                survey=(_day(n), _day(n) + dt.timedelta(days=20)))
        for _each in range(counts.get("survey-period-missing", 0)):
            n += 1
            add("announcement", n, placed=_day(n), form="survey")
        for _each in range(row["announcements"] - special):
            n += 1
            add("announcement", n, placed=_day(n), form="hearing",
                hearing=_day(n) + dt.timedelta(days=30))
        missing_date = counts.get("placement-date-missing", 0)
        without = counts.get("protocol-without-announcement", 0)
        for k in range(row["protocols"]):
            earlier = f"https://{code}.example.kz/hearings/2020-07/announcement-{k + 1}"
            add("protocol", k + 1, placed="" if k < missing_date else _day(k + 1),
                seen=_day(k + 1),
                announcement="" if missing_date <= k < missing_date + without else earlier)
    for _each in range(counts.get("rubric-mismatch", 0) if counts.get("rubric-mismatch")
                       != "n/a" else 0):
        add("site", 1, seen=_day(3), finding="rubric-mismatch",
            note="раздел «Общественные слушания» не по утвержденной форме")
    missing = counts.get("protocol-missing", 0)
    for k in range(missing if missing != "n/a" else 0):
        add("site", 1, seen=_day(31), finding="protocol-missing",
            note=f"протокол слушаний по объявлению за июль ({k + 1}) не размещен в срок")
    return rows


def register_text(data_file: Path) -> str:
    data = yaml.safe_load(data_file.read_text(encoding="utf-8"))
    ref = reference()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for code, row in data["regions"].items():
        name = ref.region(code).name(MONTH).forms["ru"]["table"]
        writer.writerows(rows_of(code, row, name))
    return out.getvalue()


if __name__ == "__main__":
    target = ROOT / "tests" / "register" / "2020-08.register.csv"
    target.write_text(register_text(ROOT / "data" / "2020-08.yaml"), encoding="utf-8",
                      newline="")
    sys.stdout.write(f"{target}\n")
