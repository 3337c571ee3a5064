"""Open data: the figures of every valid month as tidy tables, CSV (UTF-8, RFC 4180) and
XLSX, with a Frictionless data package that describes them; the same bytes for the same
months."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import ReportExistsError, WriteError
from ..i18n import N_, _
from ..month.facts.dated import facts
from ..month.findings import FileReport
from ..month.model import Month, month_from
from ..month.reference import Reference
from ..month.validate import check_file
from .limits import UnreadableFile, read_limited
from .lock import folder_lock
from .plan import UNCHANGED
from .plan import status as file_status
from .write import replace_folder, write_entry

PACKAGE = "datapackage.json"
WORKBOOK = "hearings.xlsx"
_NAMES = {"type": "string", "constraints": {"required": True}}


def _fields(ref: Reference) -> dict[str, list[dict]]:
    """The Table Schema fields of each table: types, constraints, and what they mean."""
    regions = [region.code for region in ref.regions]
    place = [
        {"name": "period", "type": "yearmonth", "title": "Month of the report",
         "constraints": {"required": True}},
        {"name": "region", "type": "string", "title": "Region code (stable across renames)",
         "constraints": {"required": True, "enum": regions}},
        {"name": "kato", "type": "string", "title": "KATO code of the region",
         "constraints": {"required": True, "pattern": "[0-9]{9}"}},
        {"name": "region_ru", "title": "Region, official name in Russian in that month",
         **_NAMES},
        {"name": "region_kk", "title": "Region, official name in Kazakh in that month",
         **_NAMES},
    ]
    measure = [
        {"name": "count", "type": "integer", "title": "Count; empty when not assessed",
         "constraints": {"minimum": 0}},
        {"name": "not_assessed", "type": "boolean",
         "title": "The figure could not be assessed (a dash in the report)",
         "constraints": {"required": True}},
    ]
    groups = [group.code for group in ref.groups]
    return {
        "violations": [
            *place,
            {"name": "group", "type": "string", "title": "Violations by announcements or by "
             "protocols", "constraints": {"required": True, "enum": groups}},
            {"name": "category", "type": "string", "title": "Violation category",
             "constraints": {"required": True,
                             "enum": [category.code for category in ref.categories]}},
            {"name": "category_ru", "title": "Category, named in Russian",
             **_NAMES},
            {"name": "category_kk", "title": "Category, named in Kazakh",
             **_NAMES},
            *measure],
        # each category with the days it is in force: a month outside them has no row of it
        "categories": [
            {"name": "category", "type": "string", "title": "Violation category",
             "constraints": {"required": True, "unique": True}},
            {"name": "group", "type": "string", "title": "Violations by announcements or by "
             "protocols", "constraints": {"required": True, "enum": groups}},
            {"name": "category_ru", "title": "Category, named in Russian", **_NAMES},
            {"name": "category_kk", "title": "Category, named in Kazakh", **_NAMES},
            {"name": "valid_from", "type": "date", "title": "First day in force; empty: "
             "since the first month"},
            {"name": "valid_until", "type": "date", "title": "Last day in force; empty: "
             "still in force"},
        ],
        "placed": [
            *place,
            {"name": "document", "type": "string", "title": "Announcements or protocols "
             "placed on the region's website", "constraints": {"required": True,
                                                               "enum": groups}},
            *measure],
    }


KEYS = {"violations": ["period", "region", "category"],
        "categories": ["category"],
        "placed": ["period", "region", "document"]}
# a violation's category is one the categories table lists
FOREIGN = {"violations": [{"fields": ["category"],
                           "reference": {"resource": "categories", "fields": ["category"]}}]}


def _categories(ref: Reference, months: list[Month]) -> list[list]:
    """The categories of the exported months, each with its days in force."""
    used = {c.code for month in months for c in month.categories}
    return [[c.code, c.group, c.label["ru"], c.label["kk"],
             str(c.validity.valid_from or ""), str(c.validity.valid_until or "")]
            for c in ref.categories if c.code in used]


def _rows(month: Month, ref: Reference) -> dict[str, list[list]]:
    """The month's rows of each table, in the report's order."""
    violations, placed = [], []
    for row in month.rows:
        names = row.region.name(month.period).forms
        where = [str(month.period), row.region.code, row.region.kato,
                 names["ru"]["official"], names["kk"]["official"]]
        for category in month.categories:  # those in force: another's is no row, never a 0
            count = row.counts[category.code]
            violations.append([*where, category.group, category.code, category.label["ru"],
                               category.label["kk"], *_measure(count)])
        for document, count in (("announcements", row.announcements),
                                ("protocols", row.protocols)):
            placed.append([*where, document, *_measure(count)])
    return {"violations": violations, "placed": placed}


def _measure(count: int | None) -> list:
    return ["", True] if count is None else [count, False]


def _csv(header: list[str], rows: list[list]) -> bytes:
    """RFC 4180: CRLF line ends, quotes where needed; booleans as true/false."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([str(v).lower() if isinstance(v, bool) else v for v in row]
                     for row in rows)
    return text.getvalue().encode("utf-8")


def _xlsx(tables: dict[str, tuple[list[str], list[list]]], day: dt.date) -> bytes:
    """A workbook with a sheet per table; dated `day`, so that it is the same bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, (header, rows) in tables.items():
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append([None if value == "" else value for value in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _stamped(buffer.getvalue(), day)


_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _stamped(data: bytes, day: dt.date) -> bytes:
    """openpyxl's package with the workbook's dates and every entry's time set to `day`."""
    moment = f"{day.isoformat()}T00:00:00Z"
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = _DATES.sub(rb"\g<1>" + moment.encode() + rb"\g<2>", content)
            write_entry(target, entry.filename, content, day)
    return output.getvalue()


def _descriptor(ref: Reference, months: list[Month]) -> bytes:
    fields = _fields(ref)
    first, last = months[0].period, months[-1].period
    package = {
        "name": "kz-public-hearings-monitoring",
        "title": "Public hearings on regional websites: monitoring by the Ministry of "
                 "Ecology of Kazakhstan",
        "description": f"Announcements and protocols of public hearings placed on the "
                       f"websites of the regional executive bodies, and the violations found, "
                       f"by month, region and category: {len(months)} months from {first} "
                       f"to {last} (listed in `months`: only months filled in and valid, "
                       f"whose reports could be signed). The same figures as the monthly "
                       f"reports in Russian and Kazakh; a figure that could not be assessed "
                       f"is empty, with not_assessed true. The same tables are in "
                       f"{WORKBOOK}.",
        "months": [str(month.period) for month in months],
        "resources": [{
            "name": name, "path": f"{name}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields[name], "primaryKey": KEYS[name],
                       **({"foreignKeys": FOREIGN[name]} if name in FOREIGN else {}),
                       "missingValues": [""]},
        } for name in ("violations", "categories", "placed")],
    }
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# Warnings that say no signer could sign the month yet: its figures are not the month's
UNSIGNABLE = {
    "month-untouched": N_("it is as `new` wrote it, nothing filled in (month-untouched)"),
    "period-not-over": N_("its month is not over (period-not-over)"),
}


def _left_out_because(report: FileReport) -> str | None:
    """Why a month's figures are not published, or None: errors, or a warning that says it
    could not be signed yet."""
    if report.errors:
        return _("it has errors")
    codes = [finding.code for finding in report.warnings if finding.code in UNSIGNABLE]
    return "; ".join(_(UNSIGNABLE[code]) for code in codes) or None


@dataclass
class Export:
    """What an export did: the months left out (invalid), each file and what happened."""

    reports: list[FileReport] = field(default_factory=list)
    left_out: list[tuple[Path, str]] = field(default_factory=list)  # the file, and why
    files: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def exported_months(folder: Path) -> list[str]:
    """The months an export in the folder holds, by its placed.csv (none when it has none)."""
    try:
        text = read_limited(folder / "placed.csv", 64 * 1024 * 1024).decode("utf-8")
    except (UnreadableFile, UnicodeDecodeError):
        return []
    rows = csv.reader(io.StringIO(text))
    next(rows, None)
    return sorted({row[0] for row in rows if row})


def export(data_files: list[Path], folder: Path, force: bool = False, month_facts=None
           ) -> Export:
    """The open-data files of every valid month among `data_files` in `folder`, replaced
    together; the invalid months are left out and named. Nothing is written when no month
    is valid, nor when the folder's export holds months this one would drop, unless force."""
    month_facts = month_facts or facts()
    ref, outcome, months, seen = month_facts.reference, Export(), [], {}
    for path in data_files:
        report, context = check_file(path, month_facts=month_facts)
        outcome.reports.append(report)
        if reason := _left_out_because(report):
            outcome.left_out.append((path, reason))
        elif context.period in seen:
            outcome.left_out.append((path, _("{other} is the same month").format(
                other=seen[context.period])))
        else:
            seen[context.period] = path
            months.append(month_from(context.data, ref))
    if not months:
        return outcome
    months.sort(key=lambda month: (month.period.year, month.period.month))
    fields = _fields(ref)
    tables = {name: ([f["name"] for f in fields[name]], []) for name in fields}
    for month in months:
        for name, rows in _rows(month, ref).items():
            tables[name][1].extend(rows)
    tables["categories"][1].extend(_categories(ref, months))
    files = {f"{name}.csv": _csv(*table) for name, table in tables.items()}
    files[WORKBOOK] = _xlsx(tables, months[-1].period.last_day)
    files[PACKAGE] = _descriptor(ref, months)
    try:
        with folder_lock(folder):
            _refuse_dropping(folder, [str(month.period) for month in months], force)
            said, changed = {}, {}
            for name, content in files.items():
                said[name] = status = file_status(folder / name, content)
                if status != UNCHANGED:
                    changed[name] = content
            notes = replace_folder(folder, {}, changed) if changed else []
    except OSError as err:
        raise WriteError(_("{folder} cannot be written: {reason}; what was there is as it "
                           "was").format(folder=folder, reason=err.strerror or err)) from err
    outcome.files = [(folder / name, _(status)) for name, status in said.items()]
    outcome.notes = notes
    return outcome


def _refuse_dropping(folder: Path, months: list[str], force: bool) -> None:
    dropped = sorted(set(exported_months(folder)) - set(months))
    if dropped and not force:
        raise ReportExistsError(_(
            "{folder} holds the open data of {count} months, and this export would drop "
            "{dropped} of them ({months}); nothing was written: export every month, give "
            "--out another folder, or --force to replace it").format(
                folder=folder, count=len(exported_months(folder)), dropped=len(dropped),
                months=", ".join(dropped)))
