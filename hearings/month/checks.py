"""Checks JSON Schema cannot express: arithmetic, the period's regions, the facts, whether the
month can be signed; with the texts' (texts.py), the register's (evidence.py) and the
translations' (translated.py), CHECKS lists them all in the order findings are given."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from ..i18n import N_, _
from .context import (
    NOT_ASSESSED,
    Context,
    category_name,
    is_count,
    nearest,
    violations_of,
    well_typed,
)
from .evidence import check_evidence_counts, check_evidence_entries
from .facts.dated import describe_gap, snippet
from .findings import Finding
from .reference import DAY_PATTERN, MONTH_PATTERN
from .texts import (
    check_invisible,
    check_numerals,
    check_printable,
    check_scripts,
    check_texts_ended,
)
from .translated import check_translations

_MONTH_NAME = re.compile(MONTH_PATTERN)
_DAY = re.compile(DAY_PATTERN)



def _sum(values) -> int | None:
    """The sum of the assessed counts; None when any value is malformed (already reported)."""
    values = list(values)
    if not all(well_typed(v) for v in values):
        return None
    return sum(v for v in values if is_count(v))


def table_figures(context: Context) -> dict[tuple, int | None]:
    """What the table adds up to, keyed by the summary's path for each figure.

    A figure is None when a row it depends on is malformed: the schema reports that row,
    and a sum over the others would point at the wrong number.
    """
    rows = list(context.regions().values())
    rows_whole = all(isinstance(row, dict) for row in rows)
    counts_whole = rows_whole and all(isinstance(row.get("violations", {}), dict)
                                      for row in rows)

    def column(whole: bool, values) -> int | None:
        return _sum(values) if whole else None  # values is lazy: untouched when not whole

    figures = {
        ("summary", kind): column(rows_whole, (row[kind] for row in rows if kind in row))
        for kind in ("announcements", "protocols")
    }
    figures["summary", "violations"] = column(
        counts_whole, (v for row in rows for v in violations_of(row).values()))
    period = context.period
    groups = context.reference.groups_in_force(period) if period else context.reference.groups
    for group in groups:
        codes = {c.code for c in context.reference.categories if c.group == group.code}
        figures["summary", "violations_by_group", group.code] = column(
            counts_whole,
            (v for row in rows for code, v in violations_of(row).items() if code in codes))
    return figures


def check_file_name(context: Context) -> Iterator[Finding]:
    """A monthly file is named after its period: data/2020-08.yaml holds period 2020-08."""
    name = Path(context.document.file).stem
    if not _MONTH_NAME.match(name):
        yield context.finding("file-name-not-period", (), found=Path(context.document.file).name)
        return
    period = context.data.get("period")
    if isinstance(period, str) and _MONTH_NAME.match(period) and period != name:
        yield context.finding("period-mismatch", ("period",), expected=name, found=period)


# The years a report's month can be in: the Republic's (from 1991; the facts of a year before
# the ministry's are refused as unknown), and not so far ahead that it can only be a typing
# slip (a document's parts carry the month's date, which a DOCX, a zip, cannot after 2107).
YEARS = (1991, 2099)


def check_period_not_future(context: Context) -> Iterator[Finding]:
    """A month after the current one has no findings yet: its file is a mistyped period; the
    current one is not over; one outside the years of reports is an error."""
    period, today = context.period, dt.date.today()
    stated = context.data.get("period")
    if isinstance(stated, str) and _MONTH_NAME.match(stated):  # else the schema names it
        year = int(stated[:4])  # 0000 is a year of no calendar: no Period is made of it
    elif period is not None:
        year, stated = period.year, str(period)
    else:
        return
    if not YEARS[0] <= year <= YEARS[1]:
        yield context.finding("period-out-of-range", ("period",), found=stated,
                              params={"first": YEARS[0], "last": YEARS[1]})
    elif period is not None and period.first_day > today:
        yield context.finding("period-in-future", ("period",), found=str(period))
    elif period is not None and period.last_day >= today:  # its last day is not over either
        yield context.finding("period-not-over", ("period",), found=str(period),
                              params={"last": period.last_day.isoformat()})


def check_region_set(context: Context) -> Iterator[Finding]:
    """The rows are exactly the regions in force in the period (the keys make each unique)."""
    period = context.period
    if period is None or not isinstance(context.data.get("regions"), dict):
        return
    rows = context.regions()
    in_force = context.reference.regions_in_force(period)
    # a mistyped key (kostanai:) is one finding, the unknown key naming the right one
    mistyped = {match for key in rows if context.reference.region(key) is None
                for match in nearest(key, [r.code for r in in_force])}
    for region in in_force:
        if region.code not in rows and region.code not in mistyped:
            yield context.finding("region-missing", ("regions", region.code),
                                  mark=context.document.where(("regions",), key=True),
                                  params={"period": str(period)})
    for code in rows:
        region = context.reference.region(code)
        if region is not None and region not in in_force:
            yield context.finding("region-not-in-period", ("regions", code), key=True,
                                  params={"period": str(period),
                                          "validity": str(region.validity)})


def check_category_set(context: Context) -> Iterator[Finding]:
    """Each row counts exactly the categories in force on the month's last day, and the
    summary states exactly their groups; an observation or an evidence entry names one of
    them."""
    period, ref = context.period, context.reference
    if period is None:
        return
    in_force = {c.code for c in ref.categories_in_force(period)}

    def not_in_force(path: tuple, code: str, *, key: bool) -> Finding:
        category = ref.category(code)
        return context.finding("category-not-in-force", path, key=key,
                               category=category_name(ref, code), params={
                                   "period": str(period), "validity": str(category.validity)})

    for code, row in context.regions().items():
        counts = row.get("violations") if isinstance(row, dict) else None
        if not isinstance(counts, dict) or ref.region(code) is None:
            continue
        path = ("regions", code, "violations")
        for category in ref.categories_in_force(period):
            if category.code not in counts:
                yield context.finding("missing-key", (*path, category.code),
                                      mark=context.document.where(path),
                                      params={"key": category.code})
        for key in counts:
            if ref.category(key) is not None and key not in in_force:
                yield not_in_force((*path, key), key, key=True)
    by_group = context.data.get("summary", {})
    by_group = by_group.get("violations_by_group") if isinstance(by_group, dict) else None
    if isinstance(by_group, dict):
        path = ("summary", "violations_by_group")
        groups = [g.code for g in ref.groups_in_force(period)]
        for group in groups:
            if group not in by_group:
                yield context.finding("missing-key", (*path, group),
                                      mark=context.document.where(path), params={"key": group})
        for key in by_group:
            if key not in groups and any(g.code == key for g in ref.groups):
                yield context.finding("group-not-in-force", (*path, key), key=True,
                                      params={"group": key, "period": str(period)})
    for part, field in (("observations", "category"), ("evidence", "category")):
        entries = context.data.get(part)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            code = entry.get(field) if isinstance(entry, dict) else None
            if isinstance(code, str) and ref.category(code) is not None \
                    and code not in in_force:
                yield not_in_force((part, index, field), code, key=False)


def check_row_totals(context: Context) -> Iterator[Finding]:
    """Each row's total is the sum of its assessed counts."""
    for code, row in context.regions().items():
        if (not isinstance(row, dict) or not isinstance(row.get("violations"), dict)
                or context.reference.region(code) is None):
            continue
        counts = violations_of(row)
        expected = _sum(counts.values())
        total = row.get("total")
        if expected is None:
            continue
        if total == NOT_ASSESSED and any(is_count(v) for v in counts.values()):
            yield context.finding("total-not-assessed", ("regions", code, "total"),
                                  expected=expected, found=NOT_ASSESSED)
        elif is_count(total) and total != expected:
            yield context.finding("row-total-mismatch", ("regions", code, "total"),
                                  expected=expected, found=total)


_FIGURES = {
    ("summary", "announcements"): N_("Announcements placed"),
    ("summary", "protocols"): N_("Protocols placed"),
    ("summary", "violations"): N_("Violations in total"),
    ("summary", "violations_by_group", "announcements"): N_("Violations by announcements"),
    ("summary", "violations_by_group", "protocols"): N_("Violations by protocols"),
}


def check_summary(context: Context) -> Iterator[Finding]:
    """Each figure the summary states is what the table adds up to, group by group."""
    summary = context.data.get("summary")
    if not isinstance(summary, dict):
        return
    for path, expected in table_figures(context).items():
        stated = summary
        for step in path[1:]:
            stated = stated.get(step) if isinstance(stated, dict) else None
        if expected is None or not is_count(stated) or stated == expected:
            continue
        figure = _(_FIGURES[path]) if path in _FIGURES else path[-1]
        yield context.finding("summary-mismatch", path, expected=expected, found=stated,
                              params={"figure": figure})


_BOUNDS = {"announcements": N_("the announcements placed"),
           "protocols": N_("the protocols placed")}


def check_bounds(context: Context) -> Iterator[Finding]:
    """A count above what was placed, or found where nothing could be assessed, is suspicious."""
    for code, row in context.regions().items():
        counts = violations_of(row)
        for category in context.reference.categories:
            count = counts.get(category.code)
            if not category.bounded_by or not is_count(count) or count == 0:
                continue
            path = ("regions", code, "violations", category.code)
            if category.bounded_by == "site":
                bound, phrase = 1, _("one per website")
            else:
                bound, phrase = row.get(category.bounded_by), _(_BOUNDS[category.bounded_by])
            if bound == NOT_ASSESSED:
                yield context.finding("count-without-placed", path, found=count,
                                      params={"bound": phrase})
            elif is_count(bound) and count > bound:
                yield context.finding("count-exceeds-placed", path, expected=bound,
                                      found=count, params={"bound": phrase})


def category_totals(context: Context) -> dict[str, int | None]:
    """Each category's findings over all regions; None where a count is malformed."""
    rows = [violations_of(row) for row in context.regions().values()]
    return {category.code: _sum(row.get(category.code, 0) for row in rows)
            for category in context.reference.categories}


def check_observations(context: Context) -> Iterator[Finding]:
    """An observation placed after a category's paragraph needs findings in that category:
    without them it would follow another category's paragraph and read as about that one."""
    observations = context.data.get("observations")
    if not isinstance(observations, list):
        return
    totals = category_totals(context)
    for index, observation in enumerate(observations):
        code = observation.get("category") if isinstance(observation, dict) else None
        if isinstance(code, str) and totals.get(code) == 0:
            yield context.finding("observation-without-findings",
                                  ("observations", index, "category"),
                                  category=category_name(context.reference, code))


def check_facts(context: Context) -> Iterator[Finding]:
    """The facts the month's reports state (ministry, Rules, departments, clauses) are known
    for its last day; one the reference data lacks is never borrowed from another period.
    Each gap names the folder's facts file, with what to add there."""
    period = context.period
    if period is None or context.facts is None:
        return
    month = context.facts.for_month(period)
    totals = category_totals(context)
    with_findings = [c for c in context.reference.categories if totals.get(c.code)]
    for gap in month.gaps + month.clause_gaps(with_findings):
        yield context.finding(
            "fact-left-out" if gap.left_out else "fact-unknown", ("period",),
            params={"fact": describe_gap(gap, context.reference), "day": month.day,
                    "period": str(period), "file": month.file},
            hint=snippet(gap, month, context.reference))


def check_ready_to_sign(context: Context) -> Iterator[Finding]:
    """A report can be signed when its file names the signatory and the executor, and has
    been filled in: one notion for `validate --strict` and `build --strict` alike."""
    for key, missing, part in (("signatory", N_("signatory"), N_("signature block")),
                               ("executor", N_("executor"), N_("executor's line"))):
        if key not in context.data:
            yield context.finding("not-ready-to-sign", (key,),
                                  params={"key": key, "missing": _(missing), "part": _(part)})
    rows = [row for row in context.regions().values() if isinstance(row, dict)]
    counts = [row.get(kind) for row in rows for kind in ("announcements", "protocols")]
    counts += [v for row in rows for v in violations_of(row).values()]
    if rows and all(count == 0 for count in counts) and not context.data.get("closing"):
        yield context.finding("month-untouched", ("regions",), key=True)


def ministry_words(name: str, lang: str) -> str:
    """What a position says of a ministry: its name less "Министерство" (ru) or "министрлігі"
    (kk), in lower case ("вице-министр экологии, геологии и природных ресурсов ...")."""
    words = " ".join(name.split()).lower()
    if lang == "ru":
        return words.removeprefix("министерство ")
    return words.removesuffix(" министрлігі")


def check_signatory_ministry(context: Context) -> Iterator[Finding]:
    """A signatory's position that names a ministry other than the one in force on the
    month's last day (a position carried over across the renaming of January 2023)."""
    period, signatory = context.period, context.data.get("signatory")
    if period is None or context.facts is None or not isinstance(signatory, dict):
        return
    position = signatory.get("position")
    in_force = context.facts.for_month(period).ministry
    if not isinstance(position, dict) or in_force is None or in_force.value is None:
        return
    for lang in ("ru", "kk"):
        text = position.get(lang)
        if not isinstance(text, str):
            continue
        said = " ".join(text.split()).lower()
        current = in_force.value[lang]
        named = [row.value[lang] for row in context.facts.ministry
                 if row.value and row.value[lang] != current
                 and ministry_words(row.value[lang], lang) in said]
        if named and ministry_words(current, lang) not in said:
            yield context.finding("signatory-ministry-former", ("signatory", "position", lang),
                                  found=named[0], expected=current,
                                  params={"period": str(period)})


def check_document_date(context: Context) -> Iterator[Finding]:
    """The document's date, when given, is a day, and not before its month is over."""
    date, period = context.data.get("date"), context.period
    if not (isinstance(date, str) and _DAY.match(date)) or period is None:
        return
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        yield context.finding("invalid-value", ("date",), expected=_("a date written "
                                                                      "YYYY-MM-DD"),
                              found=repr(date))
        return
    if day < period.last_day:
        yield context.finding("document-date-too-early", ("date",), found=date,
                              params={"end": str(period.last_day)})


CHECKS = (check_file_name, check_period_not_future, check_texts_ended, check_region_set,
          check_category_set, check_row_totals,
          check_summary, check_bounds, check_scripts, check_evidence_entries,
          check_evidence_counts, check_observations, check_facts, check_numerals,
          check_invisible, check_printable, check_ready_to_sign, check_signatory_ministry,
          check_document_date,
          check_translations)
