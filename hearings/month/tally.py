"""A month's counts derived from its register under the Rules of the month: each category a
rule over the register's dates and links, with the figures of the edition in force (facts:
`register`); a rule whose figures are not known derives nothing and says so, and the
analyst's `finding` column asserts what no rule derives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import _
from .context import period_of, well_typed
from .facts.dated import MonthFacts
from .findings import Finding
from .reference import Period, Reference
from .register import NOT_ASSESSED, Entry, Register, read_register, register_file, row_names


@dataclass
class Tally:
    """What a register says of a month: per region, each figure (None: not assessed) and
    the register's rows that make it, and the rules that could derive nothing."""

    period: Period
    figures: dict[str, dict[str, int | None]] = field(default_factory=dict)
    rows: dict[tuple[str, str], list[Entry]] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)  # the rules not known for the month


def appeared(entry: Entry, sighting: int | None) -> dt.date:
    """The day the publication really appeared: the stated day, or the day first seen when
    that is later than the stated day allows (or no day is stated)."""
    if entry.placed is None or sighting is None:
        return entry.placed or entry.seen
    return entry.seen if (entry.seen - entry.placed).days > sighting else entry.placed


def _figures(month: MonthFacts) -> tuple[dict, list[str]]:
    """The rules' figures under the edition in force, and the rules not known (they derive
    nothing)."""
    rows = month.rules.register if month.rules else {}
    figures, unknown = {}, []
    for name in ("notice", "sighting", "protocol"):
        row = rows.get(name)
        figures[name] = row.value if row is not None else None
        if figures[name] is None:
            unknown.append(name)
    return figures, unknown


class Calendar:
    """Kazakhstan's working days: Monday to Friday, less the holidays and the transferred days
    off of the `holidays` package's KZ calendar, plus its weekend days worked; the facts' own
    days (a transfer the package lacks) over it."""

    def __init__(self, own: dict[dt.date, bool]):
        self.own = own
        self._years: dict[int, object] = {}

    def working(self, day: dt.date) -> bool:
        if day in self.own:
            return not self.own[day]
        if day.year not in self._years:
            import holidays  # 40 ms, for the months whose rules count working days only

            self._years[day.year] = holidays.country_holidays("KZ", years=day.year)
        return self._years[day.year].is_working_day(day)

    def days(self, start: dt.date, end: dt.date, count: str) -> int:
        """The days after `start` up to `end`, both as the calendar rule counts them: all of
        them, or the working ones."""
        if count == "calendar":
            return (end - start).days
        return sum(self.working(start + dt.timedelta(days=n))
                   for n in range(1, (end - start).days + 1))


def tally(entries: list[Entry], month: MonthFacts, ref: Reference, period: Period,
          earlier: list[Entry] = ()) -> Tally:
    """Region by region, the announcements and protocols placed and each category's count;
    `earlier` are the rows of the earlier months' registers: an announcement whose protocol's
    deadline passes in this month without a protocol (in any register so far) is missing
    this month."""
    figures, unknown = _figures(month)
    calendar = Calendar(month.calendar)
    result = Tally(period, unknown=unknown)
    sighting = figures["sighting"]["days"] if figures["sighting"] else None
    notice = figures["notice"]
    codes = [c.code for c in ref.categories_in_force(period)]
    for region in ref.regions_in_force(period):
        result.figures[region.code] = {"announcements": 0, "protocols": 0,
                                       **dict.fromkeys(codes, 0)}

    def count(region: str, what: str, entry: Entry) -> None:
        if result.figures[region][what] is not None:
            result.figures[region][what] += 1
        result.rows.setdefault((region, what), []).append(entry)

    for entry in entries:
        region = entry.region
        day = appeared(entry, sighting)
        if entry.kind == "announcement" and period.first_day <= day <= period.last_day:
            count(region, "announcements", entry)
            if sighting is not None and entry.placed and day != entry.placed:
                count(region, "backdated", entry)
            if entry.form == "survey":
                if entry.survey_from is None or entry.survey_to is None:
                    count(region, "survey-period-missing", entry)
                elif sighting is not None and day > entry.survey_from:
                    count(region, "posted-after-survey-start", entry)
            elif entry.hearing is not None and notice is not None and calendar.days(
                    day, entry.hearing, notice["count"]) < notice["days"]:
                count(region, "less-than-20-days", entry)
        elif entry.kind == "protocol":
            count(region, "protocols", entry)
            if entry.placed is None:
                count(region, "placement-date-missing", entry)
            if entry.announcement is None:
                count(region, "protocol-without-announcement", entry)
        if entry.finding is not None:
            what, _colon, figure = entry.finding.partition(":")
            if what.strip() == NOT_ASSESSED:
                result.figures[region][figure.strip()] = None
                result.rows.setdefault((region, figure.strip()), []).append(entry)
            else:
                count(region, entry.finding, entry)
    if figures["protocol"] is not None:
        everything = [*earlier, *entries]
        answered = {e.announcement for e in everything if e.kind == "protocol"}
        for entry in everything:
            if entry.kind != "announcement" or entry.hearing is None or entry.url in answered:
                continue
            due = _due(entry.hearing, figures["protocol"], calendar)
            if period.first_day <= due <= period.last_day and entry.region in result.figures:
                count(entry.region, "protocol-missing", entry)
    return result


def _due(hearing: dt.date, rule: dict, calendar: Calendar) -> dt.date:
    """The protocol's last day: `days` calendar or working days after the hearing."""
    if rule["count"] == "calendar":
        return hearing + dt.timedelta(days=rule["days"])
    day, left = hearing, rule["days"]
    while left:
        day += dt.timedelta(days=1)
        left -= calendar.working(day)
    return day


def describe_unknown(names: list[str]) -> str:
    """The rules that derive nothing this month, for messages."""
    words = {"notice": _("how many days before its hearing an announcement must appear"),
             "sighting": _("how late a first sighting may be before a stated date is "
                           "backdated"),
             "protocol": _("the protocol's deadline after the hearing")}
    return "; ".join(words[name] for name in dict.fromkeys(names))


def month_register(data_file: Path, period: Period, month_facts
                   ) -> tuple[Register | None, Tally | None]:
    """The register beside a monthly file, read, and what it derives (None while it or an
    earlier month's register has problems); (None, None) without a register."""
    path = register_file(data_file)
    if path is None:
        return None, None
    ref = month_facts.reference
    register = read_register(path, str(path), period, ref)
    if register.findings:
        return register, None
    month = month_facts.for_month(period)
    earlier = []
    # an earlier month's register matters only for its announcements' protocols, when the
    # month's edition knows their deadline
    others = sorted(data_file.parent.glob("*.register.*")) if _figures(month)[0]["protocol"] \
        else []
    for other in others:
        before = period_of(other.name.split(".")[0])
        if before is None or (before.year, before.month) >= (period.year, period.month) \
                or register_file(data_file.with_name(f"{before}.yaml")) != other:
            continue
        read = read_register(other, str(other), before, ref)
        if read.findings:
            register.earlier_invalid = {"other": other.name, "count": len(read.findings),
                                        "path": str(other)}
            return register, None
        earlier += read.entries
    return register, tally(register.entries, month, ref, period, earlier)


def derived_values(result: Tally, ref: Reference) -> dict[tuple, int | str]:
    """Every figure of the monthly file the register decides, by its path: each region's
    placed, counts and total, and the summary's."""
    values: dict[tuple, int | str] = {}
    groups = {g.code: 0 for g in ref.groups_in_force(result.period)}
    totals = {"announcements": 0, "protocols": 0, "violations": 0}
    codes = [c for c in ref.categories_in_force(result.period)]
    for region, figures in result.figures.items():
        for kind in ("announcements", "protocols"):
            values["regions", region, kind] = _shown(figures[kind])
            totals[kind] += figures[kind] or 0
        counts = [figures[c.code] for c in codes]
        for category in codes:
            values["regions", region, "violations", category.code] = _shown(
                figures[category.code])
            groups[category.group] += figures[category.code] or 0
        assessed = [n for n in counts if n is not None]
        values["regions", region, "total"] = sum(assessed) if assessed else NOT_ASSESSED
        totals["violations"] += sum(assessed)
    for kind, total in totals.items():
        values["summary", kind] = total
    for group, total in groups.items():
        values["summary", "violations_by_group", group] = total
    return values


def _shown(figure: int | None) -> int | str:
    return NOT_ASSESSED if figure is None else figure


def differences(data: dict, values: dict[tuple, int | str]) -> list[tuple[tuple, object,
                                                                          object]]:
    """Where the monthly file says otherwise than the register: (path, typed, derived)."""
    found = []
    for path, derived in values.items():
        typed = data
        for step in path:
            typed = typed.get(step) if isinstance(typed, dict) else None
        if typed != derived:
            found.append((path, typed, derived))
    return found


def check_register(context, data_file: Path) -> Iterator[Finding]:
    """With a register beside the file: each count the register derives otherwise, at its
    line, with the rows that make it; a register with problems, once."""
    period = context.period
    if period is None or context.facts is None:
        return
    register, result = month_register(data_file, period, context.facts)
    if register is None:
        return
    if result is None and register.earlier_invalid:
        yield context.finding("register-earlier-invalid", ("period",),
                              params=register.earlier_invalid)
        return
    if result is None:
        yield context.finding("register-invalid", ("period",), params={
            "register": Path(register.file).name, "count": len(register.findings)})
        return
    values = derived_values(result, context.reference)
    for path, typed, derived in differences(context.data, values):
        if path[0] != "regions" or path[-1] == "total" or not well_typed(typed):
            continue  # the totals and the summary follow, a malformed count is the schema's
        what = path[-1]
        rows = row_names(result.rows.get((path[1], what), []), register.file)
        placed = {"announcements": _("announcements placed"),
                  "protocols": _("protocols placed")}
        yield context.finding("register-mismatch", path, expected=derived, found=typed,
                              **({"category": placed[what]} if what in placed else {}),
                              params={"register": Path(register.file).name,
                                      "rows": rows or "–"})


def register_reports(data_file: Path, month_facts) -> list:
    """The problems of the register beside a monthly file (and of an earlier month's it
    needs), as reports of their own files; none when it has none."""
    period = period_of(data_file.stem)
    path = register_file(data_file) if period else None
    if path is None:
        return []
    register = read_register(path, str(path), period, month_facts.reference)
    return [register.report] if register.findings else []


def register_evidence(data_file: Path, month, month_facts) -> tuple | None:
    """The violations the register derives, each with its page, project and the day it was
    seen, in the table's order (region, then category), for the reports' appendix; None
    without a register (or one with problems: validate has refused the month then)."""
    from .model import Evidence

    _register, result = month_register(data_file, month.period, month_facts)
    if result is None:
        return None
    evidence = []
    for row in month.rows:
        for category in month.categories:
            for entry in result.rows.get((row.region.code, category.code), []):
                if row.counts.get(category.code) is not None:
                    evidence.append(Evidence(row.region, category, entry.url, entry.seen,
                                             entry.project or "–", None))
    return tuple(evidence)
