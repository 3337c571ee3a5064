"""What a month's reports will state (`hearings facts`): each fact in force on its last day,
in both languages, where it comes from, and what is not known; over many months, what is
missing."""

from __future__ import annotations

import json

from ...i18n import _, ngettext
from ..context import category_name
from ..reference import LANGUAGES, Period, Reference, Validity
from .dated import PACKAGE, Facts, Gap, MonthFacts, Row, describe_gap, snippet


def _origin(row: Row) -> str:
    where = _("the package") if row.origin == PACKAGE else row.origin
    place = where if row.origin == PACKAGE else f"{where}:{row.line}"
    source = " ".join(row.source.split())
    if row.validity == Validity():  # a clause or wording: in force with its edition
        return _("from {place}; source: {source}").format(place=place, source=source)
    return _("from {place}, {days}; source: {source}").format(
        place=place, days=row.validity, source=source)


def _both(value: dict) -> str:
    return " / ".join(" ".join(value[lang].split()) for lang in LANGUAGES)


def all_gaps(month: MonthFacts, ref: Reference) -> list[Gap]:
    """Every fact the month's reports may need and nobody has entered: the clauses of every
    category, whether or not the month has findings in it yet."""
    return month.gaps + month.clause_gaps(
        [c for c in ref.categories if c.validity.covers(month.day)])


def statement(period: Period, facts: Facts, ref: Reference) -> dict:
    """The month's facts as data: each with its texts, its origin and its source."""
    month = facts.for_month(period)

    def fact(row: Row | None, value: dict | None = None) -> dict:
        if row is None or row.value is None:
            return {"known": False, "why": " ".join(row.source.split()) if row else None}
        value = value if value is not None else {lang: row.value[lang] for lang in LANGUAGES}
        return {"known": True, "text": value, "origin": row.origin, "line": row.line,
                "valid_from": row.validity.valid_from and str(row.validity.valid_from),
                "valid_until": row.validity.valid_until and str(row.validity.valid_until),
                "source": " ".join(row.source.split())}

    rules = month.rules
    clauses = {}
    for category in ref.categories_in_force(period):
        row = rules.clauses.get(category.code) if rules else None
        clauses[category.code] = (None if rules is None else
                                  {"known": False} if row is None else
                                  {**fact(row, row.value or {lang: None for lang in LANGUAGES}),
                                   "none_cited": row.value is None, "known": True})
    regions = []
    for region in ref.regions_in_force(period):
        name = region.name(period)
        regions.append({"code": region.code, "table": {lang: name.forms[lang]["table"]
                                                       for lang in LANGUAGES},
                        "official": {lang: name.forms[lang]["official"] for lang in LANGUAGES},
                        "source": name.source or region.source})
    categories = [{"code": c.code, "group": c.group,
                   "header": {lang: c.header[lang] for lang in LANGUAGES},
                   "origin": c.origin or PACKAGE,
                   "valid_from": c.validity.valid_from and str(c.validity.valid_from),
                   "valid_until": c.validity.valid_until and str(c.validity.valid_until),
                   "source": c.source and " ".join(c.source.split())}
                  for c in ref.categories_in_force(period)]
    return {
        "period": str(period), "day": str(month.day),
        "ministry": fact(month.ministry),
        "rules": fact(rules.row, rules.citation) | {"edition": rules.code, "title": rules.title}
        if rules else fact(None),
        "clauses": clauses,
        "departments": fact(month.departments),
        "bodies": {code: fact(row) for code, row in month.bodies.items()},
        "regions": regions,
        "categories": categories,
        "unknown": [{"fact": describe_gap(gap, ref), "key": gap.key,
                     "categories": [c.code for c in gap.categories],
                     "snippet": snippet(gap, month, ref)} for gap in all_gaps(month, ref)],
        "file": facts.file,
    }


def statement_text(period: Period, facts: Facts, ref: Reference) -> str:
    """The month's facts for people, in the messages' language (the texts in both)."""
    data = statement(period, facts, ref)
    month = facts.for_month(period)
    lines = [_("{period}: what its reports state, by the facts in force on {day}").format(
        period=period, day=month.day)]

    def show(label: str, row: Row | None, text: str | None = None) -> None:
        if row is None or row.value is None:
            why = f" ({' '.join(row.source.split())})" if row is not None else ""
            lines.append(f"  {label}: " + _("not known") + why)
            return
        lines.append(f"  {label}: {text or _both(row.value)}")
        lines.append(f"      {_origin(row)}")

    show(_("ministry"), month.ministry)
    if month.rules:
        show(_("Rules"), month.rules.row,
             f"{month.rules.title}: «{_both(month.rules.citation)}»")
        lines.append("  " + _("clauses of the Rules ({edition}):").format(
            edition=month.rules.title))
        said = None
        for category in ref.categories_in_force(period):
            row = month.rules.clauses.get(category.code)
            name = category_name(ref, category.code)
            if row is None:
                lines.append(f"    {name}: " + _("not known"))
                continue
            cited = _both(row.value) if row.value else _("none cited")
            lines.append(f"    {name}: {cited}")
            if _origin(row) != said:  # a row's source once, for the categories it gives
                said = _origin(row)
                lines.append(f"        {said}")
    else:
        show(_("Rules"), None)
    show(_("departments"), month.departments)
    for code, row in month.bodies.items():
        show(_("own body of {region}").format(
            region=ref.region(code).name(period).forms["ru"]["official"]), row)
    lines.append("  " + _("regions ({count}):").format(count=len(data["regions"])))
    for region in data["regions"]:
        source = f"  ({region['source']})" if region["source"] else ""
        lines.append(f"    {_both(region['table'])}{source}")
    lines.append("  " + _("categories ({count}), the table's columns:").format(
        count=len(data["categories"])))
    for category in data["categories"]:
        lines.append(f"    {_both(category['header'])}")
        if category["origin"] != PACKAGE:  # the folder's own: where from, and since when
            lines.append("      " + _("from {file}, {validity}; source: {source}").format(
                file=category["origin"], validity=ref.category(category["code"]).validity,
                source=category["source"] or "–"))
    lines.append(unknown_text(period, facts, ref) or _("every fact is known"))
    return "\n".join(lines)


def unknown_text(period: Period, facts: Facts, ref: Reference) -> str:
    """The month's facts nobody has entered, each with what to paste; "" when none."""
    month = facts.for_month(period)
    gaps = all_gaps(month, ref)
    if not gaps:
        return ""
    lines = [_("not known for {period}, to be added to {file} before the reports are signed:")
             .format(period=period, file=facts.file)]
    for gap in gaps:
        lines.append(f"  - {describe_gap(gap, ref)}")
        lines += ["      " + line for line in snippet(gap, month, ref).splitlines()]
    return "\n".join(lines)


def missing(periods: list[Period], facts: Facts, ref: Reference) -> list[tuple[Period, list]]:
    """For each month, the facts nobody has entered for it."""
    return [(period, all_gaps(facts.for_month(period), ref)) for period in periods]


def missing_text(periods: list[Period], facts: Facts, ref: Reference) -> str:
    rows = missing(periods, facts, ref)
    lines = []
    for period, gaps in rows:
        said = "; ".join(describe_gap(gap, ref) for gap in gaps) if gaps else _("every fact "
                                                                                 "is known")
        lines.append(f"{period}: {said}")
    complete = sum(1 for _period, gaps in rows if not gaps)
    if complete == len(rows):
        lines.append(ngettext("{count} month has every fact", "all {count} months have every fact",
                              complete).format(count=complete))
    else:
        lines.append(_("{complete} of {count} months have every fact; add what is missing to "
                       "{file} (`hearings facts MONTH` shows what to paste)").format(
                           complete=complete, count=len(rows), file=facts.file))
    return "\n".join(lines)


def as_json(periods: list[Period], facts: Facts, ref: Reference) -> str:
    return json.dumps({"file": facts.file, "months": [statement(period, facts, ref)
                                                      for period in periods]},
                      ensure_ascii=False, indent=2)
