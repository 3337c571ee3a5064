"""The register of publications a month's counts are derived from: data/<month>.register.csv
(or .xlsx) beside the monthly file, one row per publication seen, as Excel and LibreOffice
Calc save it; every problem a finding with the file, row and column, nothing guessed."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..files.limits import TEXT_LIMIT, UnreadableFile, read_limited, size_text, zip_contents
from ..i18n import _
from .findings import FileReport, Finding
from .reference import LANGUAGES, Period, Reference

# The columns, by their English names, with the Russian ones of the README's template
COLUMNS = {
    "region": "регион", "kind": "вид", "url": "адрес", "project": "проект",
    "placed": "дата размещения", "seen": "замечено", "form": "форма",
    "hearing": "дата слушаний", "survey_from": "опрос с", "survey_to": "опрос по",
    "announcement": "объявление", "finding": "нарушение", "note": "примечание",
}
REQUIRED = ("region", "kind", "url", "seen")
KINDS = ("announcement", "protocol", "site")
FORMS = ("hearing", "survey")
NOT_ASSESSED = "n/a"  # finding "n/a: <figure>": the region's figure could not be assessed
DAYS = ("placed", "seen", "hearing", "survey_from", "survey_to")
REACH = dt.timedelta(days=366)  # how far from its month a stated day may lie
# A register of a month is a few hundred rows: 50 kB as a workbook, 300 kB unpacked
UNPACKED_LIMIT = 64 * 1024 * 1024
PARTS_LIMIT = 200
ROW_LIMIT = 100_000
COLUMN_LIMIT = 64
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True)
class Entry:
    """One row of the register, typed."""

    row: int              # its row in the file, the header being row 1
    region: str           # a region's code
    kind: str
    url: str
    project: str
    placed: dt.date | None
    seen: dt.date
    form: str | None
    hearing: dt.date | None
    survey_from: dt.date | None
    survey_to: dt.date | None
    announcement: str | None
    finding: str | None
    note: str
    file: str = ""        # its register's file name


@dataclass
class Register:
    """A month's register: its rows, and what is wrong with it."""

    file: str
    period: Period
    entries: list[Entry] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    earlier_invalid: dict | None = None  # an earlier month's register with problems

    @property
    def report(self) -> FileReport:
        return FileReport(self.file, self.findings)


def row_names(entries: list[Entry], own: str) -> str:
    """The register rows that make a figure, for messages: a row of the month's own register
    by its number, one of an earlier month's with its file ("2020-07.register.csv:12")."""
    return ", ".join(str(e.row) if e.file == Path(own).name else f"{e.file}:{e.row}"
                     for e in entries)


def register_file(data_file: Path) -> Path | None:
    """The register beside a monthly file (its CSV before its workbook), or None."""
    for suffix in (".register.csv", ".register.xlsx"):
        path = data_file.with_name(data_file.stem + suffix)
        if path.exists() or path.is_symlink():
            return path
    return None


def _text_rows(raw: bytes) -> list[list[str]]:
    """A CSV's rows: UTF-8 with or without its mark, else Windows-1251; `,` or `;`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1251")  # every byte is a character of it: Excel's Cyrillic
    if "\x00" in text:
        raise ValueError(_("it holds NUL characters: it is no spreadsheet saved as text"))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _sheet_rows(raw: bytes) -> list[list[object]]:
    """A workbook's first sheet, as rows of values (dates as dates)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        names, size = zip_contents(raw)
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise ValueError(_("it is no workbook ({reason})").format(reason=err)) from err
    if len(names) > PARTS_LIMIT or size > UNPACKED_LIMIT:
        raise ValueError(_("it unpacks to {size} in {parts} parts, more than a register holds "
                           "({limit})").format(size=size_text(size), parts=len(names),
                                               limit=size_text(UNPACKED_LIMIT)))
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise ValueError(_("it is no workbook ({reason})").format(reason=err)) from err
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # its declared size is not trusted: each row as wide as its cells
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if number > ROW_LIMIT:
            raise ValueError(_("its first sheet has more than {limit} rows").format(
                limit=ROW_LIMIT))
        beyond = row[COLUMN_LIMIT:]
        if beyond.count(None) != len(beyond):
            raise ValueError(_("its row {row} has a value beyond column {limit}").format(
                row=number, limit=COLUMN_LIMIT))
        rows.append(list(row[:COLUMN_LIMIT]))
    book.close()
    return rows


def _day(value: object) -> dt.date | str | None:
    """A day from `2020-08-25`, `25.08.2020` or a workbook's date; None when empty; the
    text itself when it is no day."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    dotted = _DOTTED.match(text)
    try:
        if dotted:
            return dt.date(int(dotted[3]), int(dotted[2]), int(dotted[1]))
        return dt.date.fromisoformat(text)
    except ValueError:
        return text


def _norm(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def region_names(ref: Reference, period: Period) -> dict[str, str]:
    """Every way a region in force in the period is written (its code, each name form in
    either language), normalized, to its code."""
    names = {}
    for region in ref.regions_in_force(period):
        names[region.code] = region.code
        for lang in LANGUAGES:
            for form in region.name(period).forms[lang].values():
                names[_norm(form)] = region.code
    return names


def read_register(path: Path, shown: str, period: Period, ref: Reference) -> Register:
    """The register at `path` (named `shown` in messages) for `period`."""
    register = Register(shown, period)
    header: dict[str, int] = {}
    top = 1  # the header's row: the first that is not empty

    def wrong(row: int, column: int, code: str, **params) -> None:
        """A finding at its row and column, its path the column's name (a row's cell)."""
        named = [key for key, index in header.items() if index == column - 1 and row > top]
        register.findings.append(Finding(code, shown, row, column, path=tuple(named[:1]),
                                         params=params))

    try:
        raw = read_limited(path, TEXT_LIMIT)
        rows = _sheet_rows(raw) if path.suffix == ".xlsx" else _text_rows(raw)
    except UnreadableFile as err:
        wrong(1, 1, "register-unreadable", reason=str(err))
        return register
    except (ValueError, csv.Error) as err:
        wrong(1, 1, "register-unreadable", reason=str(err))
        return register
    rows = [(number, row) for number, row in enumerate(rows, 1)
            if any(str(v).strip() for v in row if v is not None)]  # numbered as the file
    if not rows:
        wrong(1, 1, "register-unreadable", reason=_("it has no header row"))
        return register
    top = rows[0][0]
    names = {_norm(name): key for key, russian in COLUMNS.items()
             for name in (key, russian)}
    for index, title in enumerate(rows[0][1]):
        key = names.get(_norm(str(title or "")))
        if key is None and str(title or "").strip():
            close = difflib.get_close_matches(_norm(str(title)), list(names), n=1)
            wrong(top, index + 1, "register-column-unknown", key=str(title),
                  hint=_("did you mean '{key}'?").format(key=close[0]) if close else
                  _("expected one of: {keys}").format(keys=", ".join(COLUMNS)))
        elif key is not None:
            header[key] = index
    for key in REQUIRED:
        if key not in header:
            wrong(top, 1, "register-column-missing", key=key)
    if register.findings:
        return register
    regions = region_names(ref, period)
    reach = (period.first_day - REACH, period.last_day + REACH)
    seen_urls: dict[str, int] = {}
    for number, values in rows[1:]:
        if values and str(values[0] or "").lstrip().startswith("#"):
            continue  # a comment: an example row, a note to oneself
        def cell(key: str, values=values) -> object:
            index = header.get(key)
            return values[index] if index is not None and index < len(values) else None

        def text(key: str) -> str:
            value = cell(key)
            return "" if value is None else str(value).strip()

        def column(key: str) -> int:
            return header.get(key, 0) + 1

        before = len(register.findings)
        region = regions.get(_norm(text("region")))
        if region is None:
            close = difflib.get_close_matches(_norm(text("region")), list(regions), n=1)
            wrong(number, column("region"), "register-region-unknown", found=text("region"),
                  hint=_("the closest is '{name}'").format(name=close[0]) if close else "")
        kind = text("kind").lower()
        if kind not in KINDS:
            wrong(number, column("kind"), "register-value-unknown", key="kind",
                  found=text("kind"), expected=", ".join(KINDS))
        form = text("form").lower() or None
        if form is not None and form not in FORMS:
            wrong(number, column("form"), "register-value-unknown", key="form",
                  found=text("form"), expected=", ".join(FORMS))
        days = {}
        for key in DAYS:
            day = _day(cell(key))
            if isinstance(day, str):
                wrong(number, column(key), "register-date-invalid", key=key, found=day)
                day = None
            elif day is not None and key == "seen" and not (
                    period.first_day <= day <= period.last_day):
                wrong(number, column(key), "register-date-outside", key=key, found=str(day),
                      start=str(period.first_day), end=str(period.last_day))
            elif day is not None and not reach[0] <= day <= reach[1]:
                wrong(number, column(key), "register-date-outside", key=key, found=str(day),
                      start=str(reach[0]), end=str(reach[1]))
                day = None
            days[key] = day
        if days["seen"] is None and not any(f.line == number and f.params.get("key") == "seen"
                                            for f in register.findings[before:]):
            wrong(number, column("seen"), "register-value-missing", key="seen")
        url = text("url")
        if not re.match(r"^https?://\S+$", url):
            wrong(number, column("url"), "register-url-invalid", found=url)
        elif url in seen_urls:
            wrong(number, column("url"), "register-url-twice", found=url,
                  line=seen_urls[url])
        else:
            seen_urls[url] = number
        if kind == "protocol" and days["placed"] and days["hearing"] \
                and days["placed"] < days["hearing"]:
            wrong(number, column("placed"), "register-protocol-before-hearing",
                  found=str(days["placed"]), expected=str(days["hearing"]))
        if days["survey_from"] and days["survey_to"] and days["survey_to"] < days["survey_from"]:
            wrong(number, column("survey_to"), "register-survey-reversed",
                  found=str(days["survey_to"]), expected=str(days["survey_from"]))
        finding = text("finding") or None
        if finding is not None and not _known_finding(finding, ref, period):
            wrong(number, column("finding"), "register-value-unknown", key="finding",
                  found=finding, expected=_("a category in force in {period}, or n/a: and "
                                            "a figure").format(period=period))
        if len(register.findings) == before:
            register.entries.append(Entry(
                number, region, kind, url, text("project"), days["placed"], days["seen"],
                form, days["hearing"], days["survey_from"], days["survey_to"],
                text("announcement") or None, finding, text("note"), Path(shown).name))
    return register


def _known_finding(finding: str, ref: Reference, period: Period) -> bool:
    """A category in force in the month, or `n/a: <figure>` (announcements, protocols or a
    category)."""
    codes = {c.code for c in ref.categories_in_force(period)}
    what, _colon, figure = finding.partition(":")
    if what.strip() == NOT_ASSESSED:
        return figure.strip() in codes | {"announcements", "protocols"}
    return finding in codes
