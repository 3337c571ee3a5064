"""Checks JSON Schema cannot express: arithmetic, the period's regions, and typing slips."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from ..i18n import N_, _
from .context import NOT_ASSESSED, Context, category_name, is_count, nearest, path_names
from .facts import describe_gap, snippet
from .findings import Finding
from .reference import DAY_PATTERN, MONTH_PATTERN
from .translated import check_translations

_MONTH_NAME = re.compile(MONTH_PATTERN)
_WORD = re.compile(r"[^\W\d_]+")
_DAY = re.compile(DAY_PATTERN)
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}"
                   r"[a-z0-9])?)*\.?$", re.IGNORECASE)


def _well_typed(value: object) -> bool:
    return is_count(value) or value == NOT_ASSESSED


def _violations(row: object) -> dict:
    violations = row.get("violations") if isinstance(row, dict) else None
    return violations if isinstance(violations, dict) else {}


def _sum(values) -> int | None:
    """The sum of the assessed counts; None when any value is malformed (already reported)."""
    values = list(values)
    if not all(_well_typed(v) for v in values):
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
        counts_whole, (v for row in rows for v in _violations(row).values()))
    for group in context.reference.groups:
        codes = {c.code for c in context.reference.categories if c.group == group.code}
        figures["summary", "violations_by_group", group.code] = column(
            counts_whole,
            (v for row in rows for code, v in _violations(row).items() if code in codes))
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


_SENTENCE_ENDS = (".", "!", "?", "»", ")", "…", '"')
_FREE_TEXTS = ("observations", "closing")


def check_texts_ended(context: Context) -> Iterator[Finding]:
    """A free text that does not end as a sentence does was most likely cut short (a file
    cut at 85 % of its length is still valid YAML, its closing text ending mid-word)."""
    for key in _FREE_TEXTS:
        items = context.data.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            for lang in ("ru", "kk"):
                text = item.get(lang) if isinstance(item, dict) else None
                if isinstance(text, str) and text.strip() and \
                        not text.rstrip().endswith(_SENTENCE_ENDS):
                    yield context.finding("text-unfinished", (key, index, lang),
                                          found=text.rstrip()[-30:])


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


def check_row_totals(context: Context) -> Iterator[Finding]:
    """Each row's total is the sum of its assessed counts."""
    for code, row in context.regions().items():
        if (not isinstance(row, dict) or not isinstance(row.get("violations"), dict)
                or context.reference.region(code) is None):
            continue
        counts = _violations(row)
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
        counts = _violations(row)
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


@cache
def _script(letter: str) -> str:
    return unicodedata.name(letter, "").split(" ", 1)[0]


def _strings(data: object) -> Iterator[tuple[tuple, str]]:
    """Every text value with its path, depth first, without recursion."""
    stack = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


def check_scripts(context: Context) -> Iterator[Finding]:
    """A word that mixes Cyrillic and Latin letters: a Latin C typed inside "Сұлтан"."""
    for path, text in _strings(context.data):
        for word in _WORD.findall(text):
            scripts = {_script(letter) for letter in word}
            if {"CYRILLIC", "LATIN"} <= scripts:
                latin = "".join(dict.fromkeys(ch for ch in word if _script(ch) == "LATIN"))
                yield context.finding("mixed-script", path, mark=context.text_mark(path, word),
                                      params={"word": word, "latin": latin})


def category_totals(context: Context) -> dict[str, int | None]:
    """Each category's findings over all regions; None where a count is malformed."""
    rows = [_violations(row) for row in context.regions().values()]
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


_NUMERAL_FORMS = {
    "binary": N_("a binary number"), "hexadecimal": N_("a hexadecimal number"),
    "octal": N_("an octal number (it starts with 0)"),
    "sexagesimal": N_("a sexagesimal number (minutes:seconds)"),
    "underscores": N_("a number with underscores"), "plus-sign": N_("a number with a plus sign"),
}


def check_numerals(context: Context) -> Iterator[Finding]:
    """A number in another base or form than plain decimal digits: YAML would read 015 as 13,
    so it is reported, never converted."""
    for path, (form, value) in context.document.numerals.items():
        found = _text_at(context, path)
        digits = str(found).lstrip("0")
        # 014 may be fourteen with a zero before it as well as octal twelve: both are said
        readings = (_("{value} or {plain}, whichever is meant").format(value=value, plain=digits)
                    if form == "octal" and digits.isdecimal() and digits != str(value)
                    else _("{value}, if that is what is meant").format(value=value))
        yield context.finding("number-not-decimal", path, found=found,
                              params={"form": _(_NUMERAL_FORMS[form]), "value": value,
                                      "readings": readings})


def _text_at(context: Context, path: tuple) -> object:
    value = context.data
    for step in path:
        value = value[step]
    return value


# Characters that cannot be seen but change a text: format characters (Unicode category Cf:
# zero-width spaces and joiners, bidirectional overrides and isolates, a stray byte-order
# mark) and line and paragraph separators. The soft hyphen (Cf) is allowed: Word puts it in
# as an optional hyphen, and it shows only as a hyphen at a line's end. No-break spaces are
# ordinary spaces (Zs) and allowed.
_INVISIBLE = {"Cf", "Zl", "Zp"}
_ALLOWED = {"\u00ad"}


def check_invisible(context: Context) -> Iterator[Finding]:
    """A text holding a character nobody sees in the signed document."""
    for path, text in _strings(context.data):
        for character in dict.fromkeys(text):
            if unicodedata.category(character) in _INVISIBLE and character not in _ALLOWED:
                yield context.finding(
                    "invisible-character", path, mark=context.text_mark(path, character),
                    params={"character": f"U+{ord(character):04X}",
                            "name": unicodedata.name(character, "")})


_NO_NAME = {"Cc": N_("a control character"), "Co": N_("a private-use character"),
            "Cs": N_("half of a surrogate pair"), "Cn": N_("an unassigned code point")}


@cache
def _printable() -> tuple[tuple[int, int], ...]:
    """The code point ranges the reports' font draws (reference/characters.yaml)."""
    from .reference import read_reference

    return tuple((int(str(start), 0), int(str(end), 0))
                 for start, end in read_reference("characters.yaml")["ranges"])


@cache
def _can_print(character: str) -> bool:
    point = ord(character)
    return character in "\n\t" or any(start <= point <= end for start, end in _printable())


def check_printable(context: Context) -> Iterator[Finding]:
    """A character the reports' font has no glyph for (an emoji, a control character written
    as an escape, a private-use code point) would stop the PDF without a place, or print as a
    box: it is named here, where it stands. Invisible ones are check_invisible's."""
    for path, text in _strings(context.data):
        for character in dict.fromkeys(text):
            if _can_print(character) or (unicodedata.category(character) in _INVISIBLE
                                         and character not in _ALLOWED):
                continue
            name = unicodedata.name(character, "") or _(_NO_NAME.get(
                unicodedata.category(character), _NO_NAME["Cn"]))
            yield context.finding("character-not-printable", path,
                                  mark=context.text_mark(path, character),
                                  params={"character": f"U+{ord(character):04X}",
                                          "name": name})


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
    counts += [v for row in rows for v in _violations(row).values()]
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


def _register(context: Context) -> list[tuple[int, dict]]:
    evidence = context.data.get("evidence")
    if not isinstance(evidence, list):
        return []
    return [(i, e) for i, e in enumerate(evidence) if isinstance(e, dict)]


def _well_formed_url(text: str) -> bool:
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return False
    host = parts.hostname or ""
    return (parts.scheme in ("http", "https") and port_ok and not any(c.isspace() for c in text)
            and bool(_HOST.match(host)) and ("." in host or host == "localhost"))


def check_evidence_entries(context: Context) -> Iterator[Finding]:
    """Each entry of the register: a well-formed web address, a day of the report's month."""
    period = context.period
    for index, entry in _register(context):
        url = entry.get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")) \
                and not _well_formed_url(url):
            yield context.finding("evidence-url-invalid", ("evidence", index, "url"),
                                  found=url)
        seen = entry.get("seen")
        if not (isinstance(seen, str) and _DAY.match(seen)) or period is None:
            continue
        try:
            day = dt.date.fromisoformat(seen)
        except ValueError:
            day = None
        if day is None or not period.first_day <= day <= period.last_day:
            yield context.finding("evidence-date-outside-month", ("evidence", index, "seen"),
                                  found=seen, params={"period": str(period)})


def check_evidence_counts(context: Context) -> Iterator[Finding]:
    """With a register, every count of the table equals the number of its entries."""
    evidence = context.data.get("evidence")
    if not isinstance(evidence, list):
        return
    known = [(e.get("region"), e.get("category")) for e in evidence if isinstance(e, dict)]
    if len(known) != len(evidence) or not all(
            isinstance(r, str) and isinstance(c, str) and context.reference.region(r)
            and context.reference.category(c) for r, c in known):
        return  # a malformed entry is the schema's to report; counting the rest would mislead
    listed = Counter(known)
    first_entry = {}
    for index, entry in _register(context):
        first_entry.setdefault((entry.get("region"), entry.get("category")), index)
    for code, row in context.regions().items():
        counts = _violations(row)
        for category in context.reference.categories:
            stated = counts.get(category.code, 0)
            entries = listed.pop((code, category.code), 0)
            if _well_typed(stated) and (0 if stated == NOT_ASSESSED else stated) != entries:
                # from the register's side: it should list what the table counts
                yield context.finding("evidence-mismatch",
                                      ("regions", code, "violations", category.code),
                                      expected=stated, found=entries)
    # entries for a region the table has no row for
    for (code, category), entries in listed.items():
        path = ("evidence", first_entry[code, category], "region")
        yield context.finding("evidence-mismatch", path, expected=0, found=entries,
                              **path_names(context.reference,
                                           ("regions", code, "violations", category),
                                           context.period))


CHECKS = (check_file_name, check_period_not_future, check_texts_ended, check_region_set,
          check_row_totals,
          check_summary, check_bounds, check_scripts, check_evidence_entries,
          check_evidence_counts, check_observations, check_facts, check_numerals,
          check_invisible, check_printable, check_ready_to_sign, check_signatory_ministry,
          check_document_date,
          check_translations)
