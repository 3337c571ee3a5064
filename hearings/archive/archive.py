"""A past month's Word report read by what it says: its period from the title, its summary
lines, its table column by column from the headers' words, the lists of regions in its
narrative, and its free paragraphs; every problem a finding at its place in the Word file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from babel.dates import format_date

from ..i18n import N_, _, language, translations
from ..month.context import NOT_ASSESSED
from ..month.reference import Period, read_reference, reference
from .word import Cell, Paragraph, WordFile, WordTable

LANGUAGES = ("ru", "kk")
ERROR, WARNING = "error", "warning"

KINDS: dict[str, tuple[str, str]] = {
    "not-a-report": (ERROR, N_(
        "no title of a month's report ({examples}) is among its first paragraphs")),
    "not-monthly": (ERROR, N_("it is a quarter's or a year's report, not a month's: {found}")),
    "table-missing": (ERROR, N_(
        "no table lists the regions of {period}: is it this report's table?")),
    "column-unknown": (ERROR, N_(
        "the column headed «{found}» is no column this report's table has; its figures are "
        "not imported")),
    "column-missing": (ERROR, N_(
        "the table has no column «{category}» (the {other} table has it)")),
    "region-unknown": (ERROR, N_(
        "«{found}» is no region of {period}; the row is not imported")),
    "region-name-other-period": (WARNING, N_(
        "«{found}» is the name of {region} in another period; in {period} it is «{expected}»")),
    "region-row-twice": (ERROR, N_("{region} has a row already (row {first}); this one is "
                                   "not imported")),
    "region-missing": (ERROR, N_("{region} has no row in the table")),
    "cell-not-a-figure": (ERROR, N_("«{found}» is not a figure")),
    "cells-empty": (WARNING, N_(
        "{count} empty cells read as 0: {cells}")),
    "row-total-mismatch": (ERROR, N_(
        "{region}: the total is {found}, the violations add up to {expected}")),
    "total-not-assessed": (ERROR, N_(
        "{region}: the total is a dash, but some counts were assessed; they add up to "
        "{expected}")),
    "totals-row-mismatch": (ERROR, N_(
        "the totals row states {found} under «{columns}», the rows add up to {expected}")),
    "totals-row-other-month": (ERROR, N_(
        "the totals row is labelled «{found}»: that is not {expected}")),
    "summary-mismatch": (ERROR, N_(
        "{figure}: the summary states {found}, the table adds up to {expected}")),
    "summary-missing": (WARNING, N_(
        "no summary line states {figure}; the monthly file takes the table's {expected}")),
    "languages-disagree": (ERROR, N_(
        "{region} › {column}: the {lang} table says {found}, the {other} one {expected} "
        "({other_place})")),
    "languages-summary-disagree": (ERROR, N_(
        "{figure}: the {lang} summary states {found}, the {other} one {expected}")),
    "narrative-count-mismatch": (ERROR, N_(
        "the text says {region} ({found}) under «{category}», the table {expected}")),
    "narrative-category-unknown": (WARNING, N_(
        "the list «{found}» belongs to no category the import can tell; its counts are not "
        "checked, and the paragraph goes to the free texts")),
    "mixed-script": (WARNING, N_(
        "the word '{word}' mixes Cyrillic and Latin letters (Latin: {latin})")),
    "appendix-not-imported": (WARNING, N_(
        "the table of {rows} rows after the report's table is not imported (an evidence "
        "register is entered as `evidence:` by hand)")),
    "texts-unpaired": (WARNING, N_(
        "the {lang} report has {found} free paragraphs, the {other} one {expected}: they are "
        "paired in order, and the unpaired ones left empty in the other language")),
    "file-unreadable": (ERROR, N_("the file cannot be read: {reason}")),
    "cell-span-outside-grid": (ERROR, N_(
        "the cell spans «{found}» columns, which is no whole number of columns within the "
        "table's grid of {expected}; the file is not imported")),
    "period-twice": (ERROR, N_(
        "a second {lang} report of {period} (the first: {first}); it is not imported")),
    "language-missing": (ERROR, N_(
        "no {lang} report of {period} is among the files; both are needed")),
    "month-exists": (ERROR, N_(
        "{found} exists already; it is left as it is (--force replaces it)")),
    "month-too-large": (ERROR, N_(
        "{found} would be {size}, larger than the {limit} a monthly file may be (validate "
        "would not read it); nothing was written")),
    "write-failed": (ERROR, N_("{found} cannot be written: {reason}; nothing was written")),
}


@dataclass(frozen=True)
class Place:
    """Where in a Word file: a paragraph, or a table's cell (rows and columns from 1)."""

    file: str
    table: int | None = None
    row: int | None = None
    column: int | None = None
    paragraph: int | None = None
    header: str | None = None   # the column's header, to name it

    def __str__(self) -> str:
        parts = [self.file]
        if self.paragraph:
            parts.append(_("paragraph {n}").format(n=self.paragraph))
        if self.table:
            parts.append(_("table {n}").format(n=self.table))
        if self.row:
            parts.append(_("row {n}").format(n=self.row))
        if self.column:
            column = _("column {n}").format(n=self.column)
            parts.append(f"{column} ({self.header})" if self.header else column)
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"file": self.file, "table": self.table, "row": self.row,
                "column": self.column, "paragraph": self.paragraph}


def translations_now():
    return translations(language())


@dataclass(frozen=True)
class Note:
    """One finding of the import: its kind, where it stands and the figures involved."""

    code: str
    place: Place
    params: dict = field(default_factory=dict)
    region: str | None = None
    category: str | None = None
    expected: object = None
    found: object = None

    @property
    def severity(self) -> str:
        return KINDS[self.code][0]

    @property
    def message(self) -> str:
        catalog = translations_now()
        template = catalog.gettext(KINDS[self.code][1])
        values = {"region": self.region, "category": self.category, "expected": self.expected,
                  "found": self.found, **self.params}
        values = {k: catalog.gettext("nothing") if v is None else v for k, v in values.items()}
        prefix = self.region if self.region and "{region}" not in template else None
        return (f"{prefix}: " if prefix else "") + template.format(**values)

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                **self.place.as_dict(), "region": self.region, "category": self.category,
                "expected": self.expected, "found": self.found}


# --- words, normalized -------------------------------------------------------------------

_LATIN_LOOKALIKES = str.maketrans("AaBCcEeHKMOoPpTXxyIi", "АаВСсЕеНКМОоРрТХхуІі")
_WORD = re.compile(r"[^\W\d_]+")
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009]+")
_NOT_WORD = re.compile(r"[^\w№]+")


def _script(letter: str) -> str:
    if "a" <= letter.lower() <= "z":
        return "latin"
    return "cyrillic" if "\u0400" <= letter <= "\u04ff" else "other"


def mixed_words(text: str) -> list[tuple[str, str]]:
    """The words of text that mix Cyrillic and Latin letters, with their Latin letters."""
    found = []
    for word in _WORD.findall(text):
        scripts = {_script(ch) for ch in word}
        if {"latin", "cyrillic"} <= scripts:
            found.append((word, "".join(ch for ch in word if _script(ch) == "latin")))
    return found


def plain(text: str) -> str:
    """A text with its spaces (non-breaking ones too) as single spaces, trimmed."""
    return _SPACES.sub(" ", text).strip()


def norm(text: str) -> str:
    """A text as it is matched: lower case, ё as е, Latin look-alikes inside Cyrillic words
    read as Cyrillic, punctuation as spaces."""
    def fix(match: re.Match) -> str:
        word = match.group(0)
        scripts = {_script(ch) for ch in word}
        return word.translate(_LATIN_LOOKALIKES) if "cyrillic" in scripts else word
    text = _WORD.sub(fix, text).lower().replace("ё", "е")
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", text)).strip()


@cache
def _archive() -> dict:
    return read_reference("archive.yaml")


@cache
def month_words(lang: str) -> dict[int, tuple[str, ...]]:
    """The forms of each month's name the archive writes: Russian nominative and genitive,
    Kazakh its one form (endings attached to it are matched by its beginning)."""
    import datetime as dt
    patterns = ("LLLL", "MMMM") if lang == "ru" else ("MMMM",)
    return {m: tuple(norm(format_date(dt.date(2020, m, 1), p, locale=lang)) for p in patterns)
            for m in range(1, 13)}


def month_of(word: str, lang: str) -> int | None:
    word = norm(word)
    for month, forms in month_words(lang).items():
        if word in forms or (lang == "kk" and any(word.startswith(f) for f in forms)):
            return month
    return None


def _pattern(template: str) -> re.Pattern:
    text = norm(template.replace("{month}", "MONTHX").replace("{year}", "YEARX")
                .replace("{n}", "NUMBERX")).replace("$", "")
    text = (re.escape(text).replace("monthx", r"(?P<month>[^\W\d_]+)")
            .replace("yearx", r"(?P<year>\d{4})")
            .replace("numberx", r"(?<!\d)(?P<n>\d{1,3}(?: \d{3})+|\d+)"))
    return re.compile(text + ("$" if template.endswith("$") else ""))


@cache
def _patterns(section: str, lang: str) -> tuple[re.Pattern, ...]:
    return tuple(_pattern(t) for t in _archive()[section][lang])


def period_of_title(text: str) -> tuple[str, Period | str] | None:
    """("ru", 2020-08) for a monthly title, (lang, "not-monthly") for a quarter's or year's
    title, None for a paragraph that is no title."""
    normalized = norm(text)
    for lang in LANGUAGES:
        for pattern in _patterns("title", lang):
            for match in pattern.finditer(normalized):
                month = month_of(match.group("month"), lang)
                if month:
                    return lang, Period(int(match.group("year")), month)
    for lang in LANGUAGES:
        if any(p.search(normalized + " ") for p in _patterns("not_monthly", lang)) \
                and re.search(r"\d{4}", normalized):
            return lang, "not-monthly"
    return None


@cache
def _set(name: str) -> frozenset[str]:
    return frozenset(norm(t) for t in _archive()["table"][name])


@cache
def category_headers() -> dict[str, str]:
    """Every header a category's column goes by, normalized, to its code."""
    found = {}
    for category in reference().categories:
        for lang in LANGUAGES:
            found[norm(category.header[lang])] = category.code
        for text in _archive()["headers"].get(category.code, []):
            found[norm(text)] = category.code
    return found


@cache
def _region_names(period: Period) -> tuple[dict[str, set[str]], dict[str, set[str]], dict]:
    """Region names to codes: (names in force in the period, names of other periods), both
    normalized, and each code's table name in the period by language. A name without its
    "обл." or "қ." counts where it leaves one region: "Алматы" is the oblast's table name,
    so "Алматы қ." stripped is no name of the city."""
    current: dict[str, set[str]] = {}
    other: dict[str, set[str]] = {}
    stripped: dict[str, set[str]] = {}
    shown = {}
    kinds = re.compile(r"\b(обл|область|облысы|г|гг|город|қ|қаласы)\b")
    for region in reference().regions:
        in_force = region.validity.covers(period.last_day)
        for name in region.names:
            here = in_force and name is region.name(period)
            for lang in LANGUAGES:
                for form in name.forms[lang].values():
                    (current if here else other).setdefault(norm(form), set()).add(region.code)
                    if here:
                        short = _SPACES.sub(" ", kinds.sub(" ", norm(form))).strip()
                        stripped.setdefault(short, set()).add(region.code)
        if in_force:
            shown[region.code] = {lang: region.name(period).forms[lang]["table"]
                                  for lang in LANGUAGES}
            for alias in _archive()["regions"].get(region.code, []):
                current.setdefault(norm(alias), set()).add(region.code)
    for short, codes in stripped.items():
        if short and short not in current and len(codes) == 1:
            current[short] = codes
    return current, other, shown


def match_region(text: str, period: Period) -> tuple[str | None, bool]:
    """The region a name stands for (None: no region of the period, or more than one), and
    whether the name is the one in force in the period."""
    current, other, _shown = _region_names(period)
    key = norm(text)
    codes = current.get(key, set())
    if len(codes) == 1:
        return next(iter(codes)), True
    in_force = {r.code for r in reference().regions_in_force(period)}
    codes = other.get(key, set()) & in_force
    if len(codes) == 1:
        return next(iter(codes)), False
    return None, False


def find_region(text: str, period: Period) -> str | None:
    """The region a longer text names (the longest run of its words that is a name):
    "на сайте Управления зеленой экономики г. Алматы" names almaty-city."""
    words = norm(text).split()
    current, _other, _shown = _region_names(period)
    for size in range(min(len(words), 5), 0, -1):
        for start in range(len(words) - size, -1, -1):
            codes = current.get(" ".join(words[start:start + size]), set())
            if len(codes) == 1:
                return next(iter(codes))
    return None


# --- a report read ---------------------------------------------------------------------------

@dataclass
class Column:
    column: int                   # grid column, from 1
    kind: str                     # number, region, placed, category, total, unknown
    key: str | None = None        # announcements / protocols, or the category's code
    header: str = ""


@dataclass
class Report:
    """One Word file read: what it states, where, and what is wrong with it alone."""

    word: WordFile
    lang: str
    period: Period
    notes: list[Note] = field(default_factory=list)
    table: WordTable | None = None
    columns: dict[int, Column] = field(default_factory=dict)
    rows: dict[str, dict] = field(default_factory=dict)            # code -> figures
    row_of: dict[str, int] = field(default_factory=dict)           # code -> table row
    summary: dict[tuple, int] = field(default_factory=dict)        # path -> figure
    summary_at: dict[tuple, int] = field(default_factory=dict)     # path -> paragraph
    narrative: list[Paragraph] = field(default_factory=list)
    listed: list[tuple[Paragraph, str, str, int]] = field(default_factory=list)
    texts: list[tuple[Paragraph, str | None, bool]] = field(default_factory=list)
    own: list[Paragraph] = field(default_factory=list)
    before: list[Paragraph] = field(default_factory=list)  # title, preamble, summary
    signatory: dict | None = None
    date: str | None = None
    executor: dict | None = None

    def place(self, **where) -> Place:
        return Place(self.word.file, **where)

    def cell_place(self, code: str, key: tuple) -> Place:
        """The cell of a region's figure at a monthly file's key: ("violations", category),
        ("total",), ("announcements",) or ("protocols",)."""
        kind, which = {"violations": ("category", key[-1]), "total": ("total", None),
                       "announcements": ("placed", "announcements"),
                       "protocols": ("placed", "protocols")}.get(key[0], (None, None))
        column = self.column_of(kind, which)
        return self.place(table=self.table.number if self.table else None,
                          row=self.row_of.get(code), column=column and column.column,
                          header=column and column.header)

    def column_of(self, kind: str, key: str | None) -> Column | None:
        return next((c for c in self.columns.values() if c.kind == kind and c.key == key), None)

    def note(self, code: str, place: Place, **params) -> None:
        self.notes.append(Note(code, place, **params))


def _figure(text: str) -> int | str | None:
    """A cell's figure: an int, "n/a" for a dash, None for what is no figure ("" is 0)."""
    compact = _SPACES.sub("", text)
    if compact in {t.replace(" ", "") for t in _archive()["table"]["not_assessed"]}:
        return NOT_ASSESSED
    if compact.isdigit() and compact.isascii():
        return int(compact)
    return None


def _header_paths(table: WordTable, header_rows: int, width: int) -> dict[int, list[str]]:
    paths = {}
    for column in range(1, width + 1):
        path: list[str] = []
        for row in range(1, header_rows + 1):
            cell = table.cell_at(row, column)
            text = plain(cell.text) if cell else ""
            if text and (not path or path[-1] != text):
                path.append(text)
        paths[column] = path
    return paths


def _classify(path: list[str]) -> tuple[str, str | None]:
    if not path:
        return "unknown", None
    leaf = norm(path[-1])
    above = {norm(p) for p in path[:-1]}
    if leaf in _set("number") or "№" in leaf:
        return "number", None
    if leaf in _set("region"):
        return "region", None
    if leaf in category_headers():
        return "category", category_headers()[leaf]
    if leaf in _set("total"):
        return "total", None
    for kind in ("announcements", "protocols"):
        if leaf in _set(kind) and above & _set("placed"):
            return "placed", kind
    return "unknown", None


def _is_totals_label(text: str, lang: str) -> bool:
    words = norm(text).split()
    if not words:
        return False
    return (any(norm(text).startswith(w) for w in _set("totals_row"))
            or any(norm(text).endswith(" " + w) for w in _set("totals_row"))
            or month_of(words[0], lang) is not None)


def _row_region(cells: list[Cell], period: Period) -> tuple[Cell, str | None, bool] | None:
    """The cell naming a region, among a row's first cells."""
    for cell in cells[:4]:
        if _figure(cell.text) is not None or not plain(cell.text):
            continue
        code, current = match_region(cell.text, period)
        return cell, code, current
    return None


def _main_table(word: WordFile, period: Period) -> WordTable | None:
    best, score = None, 0
    for table in word.tables:
        found = sum(1 for cells in table.rows
                    if (hit := _row_region(cells, period)) is not None and hit[1])
        if found > score:
            best, score = table, found
    return best if score >= 3 else None


def read_table(report: Report) -> None:
    table = _main_table(report.word, report.period)
    if table is None:
        report.note("table-missing", report.place(), params={"period": str(report.period)})
        return
    report.table = table
    width = max((c.column + c.span - 1 for cells in table.rows for c in cells), default=0)
    first_data = next((i for i, cells in enumerate(table.rows, 1)
                       if (hit := _row_region(cells, report.period)) and hit[1]), 1)
    paths = _header_paths(table, first_data - 1, width)
    for column, path in paths.items():
        kind, key = _classify(path)
        report.columns[column] = Column(column, kind, key,
                                        path[-1] if kind != "unknown" else " / ".join(path))
    # the region column, where no header names it: the one whose cells name regions
    if not any(c.kind == "region" for c in report.columns.values()):
        hit = _row_region(table.rows[first_data - 1], report.period)
        if hit:
            report.columns[hit[0].column] = Column(hit[0].column, "region", None,
                                                   report.columns[hit[0].column].header)
    body = [cells for cells in table.rows[first_data - 1:]]
    has_figures = {c: any(_figure(cell.text) is not None and plain(cell.text)
                          for cells in body for cell in cells if c in cell.columns)
                   for c in report.columns}
    for column in report.columns.values():
        if column.kind == "unknown" and has_figures[column.column] and column.header:
            report.note("column-unknown", report.place(table=table.number, column=column.column),
                        found=column.header)
    _read_rows(report, table, first_data)


def _read_rows(report: Report, table: WordTable, first_data: int) -> None:
    empty: list[str] = []
    totals: list[Cell] | None = None
    figures_columns = [c for c in report.columns.values()
                       if c.kind in ("placed", "category", "total")]
    for row_number, cells in enumerate(table.rows[first_data - 1:], first_data):
        hit = _row_region(cells, report.period)
        label = next((plain(c.text) for c in cells if plain(c.text)), "")
        if hit is None or hit[1] is None:  # no region's row: the totals row, or named
            if label and _is_totals_label(label, report.lang):
                totals = cells
                _check_totals_label(report, table, row_number, label)
            elif hit is not None or (label and _figure(label) is None):
                report.note("region-unknown", report.place(table=table.number, row=row_number),
                            found=plain(hit[0].text) if hit else label,
                            params={"period": str(report.period)})
            continue
        cell, code, current = hit
        region_name = _region_names(report.period)[2][code][report.lang]
        for word, latin in mixed_words(cell.text):
            report.note("mixed-script", report.place(table=table.number, row=row_number,
                                                     column=cell.column),
                        params={"word": word, "latin": latin})
        if not current:
            report.note("region-name-other-period",
                        report.place(table=table.number, row=row_number, column=cell.column),
                        region=region_name, found=plain(cell.text), expected=region_name,
                        params={"period": str(report.period)})
        if code in report.rows:
            report.note("region-row-twice", report.place(table=table.number, row=row_number),
                        region=region_name, params={"first": report.row_of[code]})
            continue
        row: dict = {"violations": {}}
        for column in figures_columns:
            found = next((c for c in cells if column.column in c.columns), None)
            text = plain(found.text) if found else ""
            value = _figure(text) if text else 0
            if not text:
                empty.append(f"{row_number}/{column.column}")
            if value is None:
                report.note("cell-not-a-figure", report.place(
                    table=table.number, row=row_number, column=column.column,
                    header=column.header), region=region_name, found=text)
                continue
            if column.kind == "placed":
                row[column.key] = value
            elif column.kind == "category":
                row["violations"][column.key] = value
            else:
                row["total"] = value
        report.rows[code] = row
        report.row_of[code] = row_number
    if empty:
        report.note("cells-empty", report.place(table=table.number),
                    params={"count": len(empty), "cells": _cells_list(empty)})
    if totals is not None:
        _check_totals_row(report, table, totals)
    for region in reference().regions_in_force(report.period):
        if region.code not in report.rows:
            report.note("region-missing", report.place(table=table.number),
                        region=region.name(report.period).forms[report.lang]["table"])


def _cells_list(cells: list[str]) -> str:
    shown = ", ".join(_("row {row} column {column}").format(
        row=c.split("/")[0], column=c.split("/")[1]) for c in cells[:6])
    return shown + (" …" if len(cells) > 6 else "")


def _check_totals_label(report: Report, table: WordTable, row: int, label: str) -> None:
    for word in norm(label).split():
        month = month_of(word, report.lang)
        if month and month != report.period.month:
            expected = format_date(report.period.first_day, "LLLL" if report.lang == "ru"
                                   else "MMMM", locale=report.lang)
            report.note("totals-row-other-month", report.place(table=table.number, row=row),
                        found=label, expected=expected)
            return


def column_sum(report: Report, column: Column) -> int:
    total = 0
    for row in report.rows.values():
        value = (row.get(column.key) if column.kind == "placed"
                 else row["violations"].get(column.key) if column.kind == "category"
                 else row.get("total"))
        if isinstance(value, int):
            total += value
    return total


def _check_totals_row(report: Report, table: WordTable, cells: list[Cell]) -> None:
    for cell in cells:
        covered = [report.columns[c] for c in cell.columns if c in report.columns
                   and report.columns[c].kind in ("placed", "category", "total")]
        if not covered:
            continue
        text = plain(cell.text)
        value = _figure(text) if text else 0
        if value is None or value == NOT_ASSESSED:
            continue
        expected = sum(column_sum(report, c) for c in covered)
        if value != expected:
            report.note("totals-row-mismatch", report.place(
                table=table.number, row=cell.row, column=cell.column),
                found=value, expected=expected,
                params={"columns": ", ".join(c.header.split(" / ")[-1] for c in covered)})


# --- the paragraphs -------------------------------------------------------------------------

_ITEM = re.compile(r"(?P<name>[^,;:()]+?)\s*\(\s*(?P<n>\d+)\s*\)")
_EXECUTOR = re.compile(r"^\s*(?P<word>[^\W\d_]+)\s*\.?\s*:\s*(?P<name>.+?),\s*тел\.?\s*"
                       r"(?P<phone>.+?)\s*$")
NONE_AFTER = 1 << 30
OWN_STYLES = ("Report Title", "Summary Item", "Summary Total", "Summary Total One")


def read_summary(report: Report, paragraphs: list[Paragraph]) -> None:
    by = {group: [norm(t) for t in texts] for group, texts in _archive()["summary"]["by"].items()}
    for group in reference().groups:
        by[group.code].append(norm(group.by[report.lang]))
    lists = {name: _patterns_of(report.lang, name)
             for name in ("announcements", "protocols", "violations")}
    for paragraph in paragraphs:
        text = norm(paragraph.text)
        if not text:
            continue
        found_group = None
        for group, phrases in by.items():
            for phrase in phrases:
                if match := re.search(r"(?<!\d)(\d{1,3}(?: \d{3})+|\d+) " + re.escape(phrase),
                                      text):
                    found_group = group
                    _state(report, ("summary", "violations_by_group", group),
                           int(match.group(1).replace(" ", "")), paragraph)
                    break
            if found_group:
                break
        if found_group:
            continue
        if _says(text, report.lang, "none"):
            named = [g.code for g in reference().groups if any(p in text for p in by[g.code])]
            if not named:  # "Нарушений не выявлено.": none at all
                _state(report, ("summary", "violations"), 0, paragraph)
            for group in named or [g.code for g in reference().groups]:
                _state(report, ("summary", "violations_by_group", group), 0, paragraph)
            continue
        if _says(text, report.lang, "single"):
            _state(report, ("summary", "violations"), 1, paragraph)
            for group in reference().groups:
                hit = any(p in text for p in by[group.code])
                _state(report, ("summary", "violations_by_group", group.code), int(hit),
                       paragraph)
            continue
        for name, patterns in lists.items():
            for pattern in patterns:
                if match := pattern.search(text):
                    _state(report, ("summary", name), int(match.group("n").replace(" ", "")),
                           paragraph)
                    break


def _says(text: str, lang: str, what: str) -> bool:
    """Whether a normalized summary line says "none found" or "a single one found"."""
    return any(norm(phrase) in text for phrase in _archive()["summary"][lang][what])


def _patterns_of(lang: str, name: str) -> tuple[re.Pattern, ...]:
    return tuple(_pattern(t) for t in _archive()["summary"][lang][name])


def _state(report: Report, path: tuple, value: int, paragraph: Paragraph) -> None:
    if path not in report.summary:
        report.summary[path] = value
        report.summary_at[path] = paragraph.number


@cache
def _category_phrases(lang: str) -> list[tuple[str, str]]:
    """(phrase, code), the report's own sentences first, then what hands typed."""
    phrases = []
    for category in reference().categories:
        for text in category.sentence[lang].values():
            phrases.append((norm(text), category.code))
    for category in reference().categories:
        for text in _archive()["narrative"].get(category.code, {}).get(lang, []):
            phrases.append((norm(text), category.code))
    return phrases


def _category_in(text: str, lang: str) -> str | None:
    normalized = norm(text)
    best, end = None, -1
    for phrase, code in _category_phrases(lang):
        at = normalized.rfind(phrase)
        if at >= 0 and at + len(phrase) > end:
            best, end = code, at + len(phrase)
    return best


def narrative_items(text: str, period: Period, lang: str
                    ) -> list[tuple[str | None, str | None, int, str]] | None:
    """The lists of a paragraph of the narrative: (category, region, count, as written)
    each; None when the paragraph lists no region with a count."""
    items, start, category = [], 0, None
    for match in _ITEM.finditer(text):
        region = find_region(match.group("name"), period)
        if region is None:
            continue
        segment = text[start:match.start()]
        category = _category_in(segment, lang) or category
        items.append((category, region, int(match.group("n")), plain(match.group(0))))
        start = match.end()
    return items or None


def read_paragraphs(report: Report) -> None:
    paragraphs = report.word.paragraphs
    table_at = report.table.after if report.table else len(paragraphs)
    title = next((p.number for p in paragraphs if period_of_title(p.text)), 1)
    read_summary(report, [p for p in paragraphs[title:table_at]])
    report.before = [p for p in paragraphs[:table_at] if plain(p.text)]
    own_styles = any(p.style in OWN_STYLES for p in paragraphs)
    after = [p for p in paragraphs[table_at:] if plain(p.text)]
    prefixes = tuple(_archive()["own"][report.lang])
    executor_words = {norm(w) for w in _archive()["executor"][report.lang]}
    category = None
    for paragraph in after:
        text = plain(paragraph.text)
        for word, latin in mixed_words(text):
            report.note("mixed-script", report.place(paragraph=paragraph.number),
                        params={"word": word, "latin": latin})
        executor = _EXECUTOR.match(text)
        if executor and norm(executor.group("word")) in executor_words:
            report.executor = {"name": executor.group("name"), "phone": executor.group("phone")}
            continue
        if text.startswith(prefixes) or paragraph.style == "Executor":
            report.own.append(paragraph)
            continue
        items = narrative_items(text, report.period, report.lang)
        if items and all(item[0] for item in items):
            report.narrative.append(paragraph)
            for item_category, region, count, _written in items:
                report.listed.append((paragraph, item_category, region, count))
            category = items[-1][0]
            continue
        if items:
            report.note("narrative-category-unknown", report.place(paragraph=paragraph.number),
                        found=items[0][3])
        closing = paragraph.style == "Closing"
        report.texts.append((paragraph, category if own_styles and not closing else None,
                             closing))
    if own_styles:  # observations after the last list stand after all of them
        report.texts = [(p, c if _next_list(report, p.number) < NONE_AFTER else None, closing)
                        for p, c, closing in report.texts]
    _signature(report)


def _next_list(report: Report, number: int) -> int:
    """The number of the next list paragraph after `number` (a very large one if none)."""
    return next((p.number for p in report.narrative if p.number > number), NONE_AFTER)


def _signature(report: Report) -> None:
    """The signature block this tool's templates print: a table of one row, the position
    in its first cell and the name (and the date) in its last."""
    if report.table is None:
        return
    for table in report.word.tables:
        if table.number <= report.table.number or len(table.rows) != 1:
            continue
        cells = [c for c in table.rows[0] if not c.continued]
        if len(cells) != 2:
            continue
        position, name = plain(cells[0].text), cells[1].text.split("\n")
        if position and plain(name[0]):
            report.signatory = {"position": position, "name": plain(name[0])}
            dated = [plain(n) for n in name[1:] if re.fullmatch(r"\d\d\.\d\d\.\d{4}", plain(n))]
            report.date = dated[0] if dated else None
            return
    for table in report.word.tables:
        if table.number > report.table.number and len(table.rows) > 1:
            report.note("appendix-not-imported", report.place(table=table.number),
                        params={"rows": len(table.rows)})


def read_report(word: WordFile, lang: str, period: Period) -> Report:
    report = Report(word, lang, period)
    title = next((p for p in word.paragraphs if period_of_title(p.text)), None)
    if title is not None:
        for text_word, latin in mixed_words(title.text):
            report.note("mixed-script", report.place(paragraph=title.number),
                        params={"word": text_word, "latin": latin})
    read_table(report)
    read_paragraphs(report)
    _check_rows(report)
    _check_narrative(report)
    return report


def _check_rows(report: Report) -> None:
    for code, row in report.rows.items():
        counts = list(row["violations"].values())
        total = row.get("total")
        expected = sum(v for v in counts if isinstance(v, int))
        if total == NOT_ASSESSED and any(isinstance(v, int) for v in counts):
            report.note("total-not-assessed", report.cell_place(code, ("total",)),
                        region=_region_names(report.period)[2][code][report.lang],
                        expected=expected)
            continue
        if not isinstance(total, int):
            continue
        if total != expected:
            report.note("row-total-mismatch", report.cell_place(code, ("total",)),
                        region=_region_names(report.period)[2][code][report.lang],
                        found=total, expected=expected)


def _check_narrative(report: Report) -> None:
    names = _region_names(report.period)[2]
    for paragraph, category, region, count in report.listed:
        row = report.rows.get(region)
        if row is None or category not in row["violations"]:
            continue
        value = row["violations"][category]
        if value != count:
            header = reference().category(category).header[report.lang]
            report.note("narrative-count-mismatch", report.place(paragraph=paragraph.number),
                        region=names[region][report.lang], category=header,
                        found=count, expected=value)
