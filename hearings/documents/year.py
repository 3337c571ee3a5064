"""The report of a year or a quarter, from its valid monthly files: regions by month, the
totals by category and group, the months and regions with most findings, a chart of the
months, in both languages, with the same guarantees as a month's report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from babel.dates import get_month_names

from ..exceptions import HearingsError, ParityError
from ..files.reports import write_reports
from ..files.workspace import Workspace
from ..i18n import _
from ..month.model import Month, month_from
from ..month.reference import LANGUAGES, Period, Reference, document_settings
from ..month.validate import check_file
from .chart import ChartData
from .localize import counted, number, region_name, unbroken
from .parity import figure, read_grid
from .render import render
from .tables import categories_table, year_table

NOT_APPLICABLE = object()  # a region that did not exist in the month
_SPAN = re.compile(r"^(\d{4})(?:-Q([1-4]))?$")


class IncompleteError(HearingsError):
    """Raised when months of the period are missing or invalid and --partial is not given."""


@dataclass(frozen=True)
class Span:
    """A year (2021) or a quarter (2021-Q3): its name and its months."""

    name: str
    year: int
    quarter: int | None

    @classmethod
    def parse(cls, text: str) -> Span:
        found = _SPAN.match(text)
        if not found:
            raise ValueError(text)
        return cls(text, int(found.group(1)), int(found.group(2)) if found.group(2) else None)

    @property
    def periods(self) -> list[Period]:
        months = range(1, 13) if self.quarter is None else range(3 * self.quarter - 2,
                                                                  3 * self.quarter + 1)
        return [Period(self.year, month) for month in months]


def collect(span: Span, data_dir: Path, ref: Reference, month_facts=None
            ) -> tuple[list[Month], list[tuple]]:
    """The valid months of the span, and each month left out with its file and why."""
    months, left_out = [], []
    for period in span.periods:
        path = data_dir / f"{period}.yaml"
        if not path.exists():
            left_out.append((period, path, _("there is no such file")))
            continue
        report, context = check_file(path, month_facts=month_facts)
        if report.errors:
            left_out.append((period, path, _("it has errors")))
        else:
            months.append(month_from(context.data, ref))
    return months, left_out


def region_total(month: Month, code: str):
    """A region's violations in a month: the sum of its assessed cells, None when none was
    assessed, NOT_APPLICABLE when the region did not exist."""
    row = next((row for row in month.rows if row.region.code == code), None)
    if row is None:
        return NOT_APPLICABLE
    assessed = [count for count in row.counts.values() if count is not None]
    return sum(assessed) if assessed else None


def _sum(values) -> int:
    return sum(v for v in values if isinstance(v, int))


@dataclass(frozen=True)
class Aggregate:
    """The span's figures: a row per region (in reference order) with a cell per month."""

    span: Span
    months: tuple[Month, ...]
    regions: tuple  # Region, in reference order
    cells: tuple[tuple, ...]  # per region, per month: int, None or NOT_APPLICABLE
    reference: Reference

    @property
    def end(self) -> Period:
        return self.span.periods[-1]

    def month_totals(self) -> list[int]:
        return [month.totals.total for month in self.months]

    @property
    def categories(self) -> list:
        """The categories in force in any of the months, group by group (a month without
        one has no figure of it, never a 0)."""
        seen = {c.code for month in self.months for c in month.categories}
        return [c for c in self.reference.categories if c.code in seen]

    @property
    def groups(self) -> list:
        seen = {g.code for month in self.months for g in month.groups}
        return [g for g in self.reference.groups if g.code in seen]

    def category_totals(self) -> dict[str, int]:
        """Each category's violations over the months it is in force."""
        return {c.code: sum(month.totals.counts.get(c.code, 0) for month in self.months)
                for c in self.categories}


def aggregate(span: Span, months: list[Month], ref: Reference) -> Aggregate:
    present = {row.region.code for month in months for row in month.rows}
    present |= {region.code for region in ref.regions_in_force(span.periods[-1])}
    regions = tuple(region for region in ref.regions if region.code in present)
    return Aggregate(span, tuple(months), regions, tuple(
        tuple(region_total(month, region.code) for month in months) for region in regions),
        ref)


def _phrases(span: Span, lang: str, words: dict, quarters: list[str]) -> dict:
    """The period as the sentences need it: "за 2021 год", "за III квартал 2021 года";
    "2021 жылғы", "2021 жылғы III тоқсандағы"."""
    key = "year" if span.quarter is None else "quarter"
    quarter = quarters[span.quarter - 1] if span.quarter else None
    phrase = {"year": span.year, "quarter": quarter}
    period = words["period"][key].format(**phrase)
    return {"period": period,
            "plain": words.get("plain", words["period"])[key].format(**phrase)}


def _month_names(periods, lang: str, width: str = "wide") -> list[str]:
    """Babel's month names as a list in running text needs them: "август" (the stand-alone
    nominative), "тамыз" (CLDR's Kazakh stand-alone names are capitalised, its format names
    are not), or "авг." / "там."."""
    names = get_month_names(width, "stand-alone" if lang == "ru" else "format", locale=lang)
    return [names[period.month] for period in periods]


def _cell(value, words: dict, year_words: dict) -> str:
    return year_words["not_applicable"] if value is NOT_APPLICABLE else number(value, words)


def _counted(count: int, forms: dict, lang: str, words: dict) -> str:
    return f"{number(count, words)} {counted(count, forms, lang)}"


def _top(ranked: list[tuple[int, int]], most: int) -> list[tuple[int, int]]:
    """The first `most` of the ranked and every one tied with the last of them (a cut among
    equals would be arbitrary), when they are a choice among more; else none."""
    if len(ranked) <= most:
        return []
    chosen = [item for item in ranked if item[0] >= ranked[most - 1][0]]
    return chosen if len(chosen) < len(ranked) else []


def document_words(data: Aggregate, ref: Reference, lang: str, words: dict,
                   left_out: list, month_facts, settings: dict) -> dict:
    """Everything the year template needs, as text."""
    year_words, layout = words["year"], settings["year"]
    phrases = _phrases(data.span, lang, year_words, layout["quarters"])
    months = data.months
    names = _month_names([m.period for m in months], lang)
    totals = [m.totals for m in months]
    announcements = _sum(t.announcements for t in totals)
    protocols = _sum(t.protocols for t in totals)
    violations = _sum(data.month_totals())
    forms = {**words["words"], **year_words["words"]}
    summary = [year_words["placed"].format(
        period=phrases["period"],
        announcements=_counted(announcements, forms["announcements"], lang, words),
        protocols=_counted(protocols, forms["protocols"], lang, words))]
    if violations:
        by_group = [(g, _sum(m.group_total(g.code) for m in months)) for g in data.groups]
        summary.append(year_words["violations"].format(
            violations=_counted(violations, forms["violations"], lang, words),
            groups=year_words["group_separator"].join(
                year_words["group"].format(count=number(n, words), by=g.by[lang])
                for g, n in by_group)))
    else:
        summary.append(year_words["none"].format(period=phrases["period"]))
    listed = ", ".join(names)
    if left_out:
        missing = _month_names([period for period, _, _ in left_out], lang)
        summary.append(year_words["partial"].format(months=listed, missing=", ".join(missing)))
    else:
        summary.append(year_words["covers"].format(months=listed))
    narrative = []
    most = layout["top"]
    months_ranked = sorted(((total, index) for index, total in enumerate(data.month_totals())
                            if total), key=lambda item: (-item[0], item[1]))
    top_months = _top(months_ranked, most["months"]["year" if data.span.quarter is None
                                                   else "quarter"])
    if len(top_months) == 1:
        [(total, index)] = top_months
        narrative.append(year_words["top_month"].format(month=names[index],
                                                        count=number(total, words)))
    elif top_months:
        narrative.append(year_words["top_months"].format(months=", ".join(
            f"{names[index]} ({number(total, words)})" for total, index in top_months)))
    regions_ranked = sorted(((_sum(cells), index) for index, cells in enumerate(data.cells)
                             if _sum(cells)), key=lambda item: (-item[0], item[1]))
    top_regions = _top(regions_ranked, most["regions"])
    forms = [{form: unbroken(name) for form, name in
              data.regions[index].name(_last_named(data, index)).forms[lang].items()}
             for _total, index in top_regions]
    if len(top_regions) == 1:
        narrative.append(year_words["top_region"].format(
            region=forms[0]["locative"], count=number(top_regions[0][0], words)))
    elif top_regions:
        narrative.append(year_words["top_regions"].format(regions=", ".join(
            f"{form['list']} ({number(total, words)})"
            for form, (total, _index) in zip(forms, top_regions, strict=True))))
    applies = any(cell is NOT_APPLICABLE for cells in data.cells for cell in cells)
    last = months[-1]
    return {
        "title": year_words["title"].format(**phrases),
        "summary": summary,
        "table_title": year_words["table_title"].format(**phrases),
        # the keys of "×" and "–", under the table that uses them
        "table_note": " ".join(note for note, used in (
            (year_words["not_applicable_note"], applies),
            (words["dash_note"], any(cell is None for cells in data.cells for cell in cells)))
            if used),
        "categories_title": year_words["categories_title"].format(**phrases),
        "narrative": narrative,
        "chart": {"shown": violations > 0,
                  "caption": year_words["chart_caption"].format(**phrases), "note": ""},
        "ministry": month_facts.text(month_facts.ministry, lang),
        "signatory": last.signatory and {key: last.signatory[key][lang]
                                         for key in ("position", "name")},
        "executor": last.executor and words["executor"].format(
            name=last.executor["name"][lang], phone=last.executor["phone"]),
    }


def _last_named(data: Aggregate, index: int) -> Period:
    """The period whose name a region goes by: the span's end, or its last month before."""
    region = data.regions[index]
    if region.code in {r.code for r in data.reference.regions_in_force(data.end)}:
        return data.end
    return max((m.period for m, cell in zip(data.months, data.cells[index], strict=True)
                if cell is not NOT_APPLICABLE), key=lambda p: (p.year, p.month))


def table_spec(data: Aggregate, lang: str, words: dict, quarters: list[str]) -> dict:
    year_words = words["year"]
    phrases = _phrases(data.span, lang, year_words, quarters)
    return {
        "labels": words["table"],
        "months": _month_names([m.period for m in data.months], lang, "abbreviated"),
        "rows": [[str(i), region_name(region, _last_named(data, i - 1), lang, "table"),
                  *(_cell(v, words, year_words) for v in cells),
                  number(_sum(cells), words)]
                 for i, (region, cells) in enumerate(zip(data.regions, data.cells,
                                                         strict=True), 1)],
        "totals": [year_words["totals_row"].format(**phrases),
                   *(number(t, words) for t in data.month_totals()),
                   number(_sum(data.month_totals()), words)],
    }


def _category_name(data: Aggregate, category, lang: str, words: dict) -> str:
    """A category's name in the year's table; one not in force in every month says from or
    until which day it is (its figure is of the months it is in force)."""
    name = category.name[lang]
    if all(category in month.categories for month in data.months):
        return name
    days = category.validity
    first, last = data.months[0].period.first_day, data.months[-1].period.last_day
    for key, day in (("category_from", days.valid_from), ("category_until", days.valid_until)):
        if day is not None and first <= day <= last:
            name = words["year"][key].format(name=name, day=day.strftime("%d.%m.%Y"))
    return name


def categories_spec(data: Aggregate, ref: Reference, lang: str, words: dict) -> dict:
    totals = data.category_totals()
    categories = data.categories
    return {
        "groups": [(group.title[lang], number(sum(totals[c.code] for c in categories
                                                  if c.group == group.code), words),
                    [(_category_name(data, c, lang, words), number(totals[c.code], words))
                     for c in categories if c.group == group.code])
                   for group in data.groups],
        "total": (words["year"]["categories_total"], number(sum(totals.values()), words)),
    }


def chart_of_months(data: Aggregate, ref: Reference, lang: str) -> ChartData:
    names = _month_names([m.period for m in data.months], lang)
    return ChartData(tuple(names), tuple(
        (group.title[lang], tuple(month.group_total(group.code) for month in data.months))
        for group in data.groups), ())


def check_year_parity(documents: dict[str, bytes], data: Aggregate) -> None:
    """Read both documents back: each cell of the regions-by-month table equal to the sum of
    that month's cells of the region, each row's total and the totals row equal to the sums,
    the same figures in both languages."""
    expected = []
    for cells in data.cells:
        figures = [None if v is NOT_APPLICABLE else v for v in cells]
        expected.append([*figures, _sum(cells)])
    expected.append([*data.month_totals(), _sum(data.month_totals())])
    for lang, document in documents.items():
        shown = [[figure(text) for text in row[2:]] for row in read_grid(document)[1:]]
        if shown != expected:
            first = next(i for i, (a, b) in enumerate(zip(shown, expected, strict=False))
                         if a != b)
            raise ParityError(f"the {lang} year table, row {first + 1}: {shown[first]}, the "
                              f"months add up to {expected[first]}")


def build_year(span: Span, data_dir: Path, reports_dir: Path, *, partial: bool = False,
               force: bool = False, pdf: bool = False, keep: int = 3,
               workspace: Workspace | None = None) -> YearOutcome:
    """reports/<span>/<span>-<lang>.docx (and .pdf) from the span's valid monthly files; with
    months missing or invalid, IncompleteError unless `partial`."""
    workspace = workspace or Workspace.here()
    settings = document_settings()
    folder_facts = workspace.checked_facts()
    ref = folder_facts.reference
    months, left_out = collect(span, data_dir, ref, folder_facts)
    if left_out and not partial:
        raise IncompleteError(_(
            "{span} is not complete: {months}; nothing was written (build with --partial for "
            "a report of the months there are, which says which they are)").format(
                span=span.name, months="; ".join(f"{p} ({path}: {why})"
                                                 for p, path, why in left_out)))
    if not months:
        raise IncompleteError(_("{span}: no valid month, nothing was written").format(
            span=span.name))
    data = aggregate(span, months, ref)
    month_facts = folder_facts.for_month(months[-1].period)
    day = span.periods[-1].last_day
    documents = {}
    for lang in LANGUAGES:
        words = settings["languages"][lang]
        context = document_words(data, ref, lang, words, left_out, month_facts, settings)
        context["categories_table"] = categories_table(
            categories_spec(data, ref, lang, words), settings)
        table = year_table(table_spec(data, lang, words, settings["year"]["quarters"]), settings)
        documents[lang] = render(context, table,
                                 settings, lang, day, workspace.template(lang, "year"),
                                 chart_of_months(data, ref, lang))
    check_year_parity(documents, data)
    files, notes = write_reports(reports_dir / span.name, span.name, documents, force=force,
                                 pdf=pdf, keep=keep, families=settings["font"]["pdf_families"])
    return YearOutcome(files, left_out, [m.period for m in months], notes)


@dataclass
class YearOutcome:
    """What a year's build did: each file, the months left out (with --partial), those in."""

    files: list[tuple[Path, str]]
    left_out: list[tuple[Period, Path, str]]
    covered: list[Period]
    notes: list[str]
