"""The report's table read column by column from its headers' words, region by region, and
its totals row checked against its rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.dates import format_date

from ..i18n import _
from ..month.context import NOT_ASSESSED
from ..month.reference import Period, reference
from .word import Cell, WordFile, WordTable
from .words import (
    SPACES,
    archive_words,
    category_headers,
    header_words,
    match_region,
    mixed_words,
    month_of,
    norm,
    plain,
    region_names,
)

if TYPE_CHECKING:
    from .report import Report

@dataclass
class Column:
    column: int                   # grid column, from 1
    kind: str                     # number, region, placed, category, total, unknown
    key: str | None = None        # announcements / protocols, or the category's code
    header: str = ""


def figure(text: str) -> int | str | None:
    """A cell's figure: an int, "n/a" for a dash, None for what is no figure ("" is 0)."""
    compact = SPACES.sub("", text)
    if compact in {t.replace(" ", "") for t in archive_words()["table"]["not_assessed"]}:
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
    if leaf in header_words("number") or "№" in leaf:
        return "number", None
    if leaf in header_words("region"):
        return "region", None
    if leaf in category_headers():
        return "category", category_headers()[leaf]
    if leaf in header_words("total"):
        return "total", None
    for kind in ("announcements", "protocols"):
        if leaf in header_words(kind) and above & header_words("placed"):
            return "placed", kind
    return "unknown", None


def _is_totals_label(text: str, lang: str) -> bool:
    words = norm(text).split()
    if not words:
        return False
    return (any(norm(text).startswith(w) for w in header_words("totals_row"))
            or any(norm(text).endswith(" " + w) for w in header_words("totals_row"))
            or month_of(words[0], lang) is not None)


def _row_region(cells: list[Cell], period: Period) -> tuple[Cell, str | None, bool] | None:
    """The cell naming a region, among a row's first cells."""
    for cell in cells[:4]:
        if figure(cell.text) is not None or not plain(cell.text):
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
    has_figures = {c: any(figure(cell.text) is not None and plain(cell.text)
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
            elif hit is not None or (label and figure(label) is None):
                report.note("region-unknown", report.place(table=table.number, row=row_number),
                            found=plain(hit[0].text) if hit else label,
                            params={"period": str(report.period)})
            continue
        cell, code, current = hit
        region_name = region_names(report.period)[2][code][report.lang]
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
            value = figure(text) if text else 0
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
        value = figure(text) if text else 0
        if value is None or value == NOT_ASSESSED:
            continue
        expected = sum(column_sum(report, c) for c in covered)
        if value != expected:
            report.note("totals-row-mismatch", report.place(
                table=table.number, row=cell.row, column=cell.column),
                found=value, expected=expected,
                params={"columns": ", ".join(c.header.split(" / ")[-1] for c in covered)})


def table_sums(report: Report) -> dict[tuple, int]:
    sums = {}
    for kind in ("announcements", "protocols"):
        column = report.column_of("placed", kind)
        if column:
            sums["summary", kind] = column_sum(report, column)
    groups = {g.code: 0 for g in reference().groups}
    for category in reference().categories:
        column = report.column_of("category", category.code)
        if column:
            groups[category.group] += column_sum(report, column)
    if any(c.kind == "category" for c in report.columns.values()):
        sums["summary", "violations"] = sum(groups.values())
        for group, value in groups.items():
            sums["summary", "violations_by_group", group] = value
    return sums
