"""A facts file (the package's, or a folder's own reference/facts.yaml): its JSON Schema, and
every problem in it as a finding with its place, as for a monthly file."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache

from ...i18n import N_, _, translations
from ..conformance import check_schema, validator_for
from ..context import Context, unreadable
from ..findings import FileReport, Finding
from ..load import Document, LoadError, load
from ..reference import DAY_PATTERN, LANGUAGES, Reference, reference
from ..schema import annotate

NONE = "none"  # a category for which the report cites no clause of the Rules
DATED = ("ministry", "rules")  # facts that are one list of dated rows
_TEXT = {"title": N_("a non-empty text"), "type": "string", "pattern": "\\S"}


def _texts(description: str) -> dict:
    return {"description": description, "type": "object", "additionalProperties": False,
            "required": list(LANGUAGES),
            "properties": {lang: {"$ref": "#/$defs/text"} for lang in LANGUAGES}}


# What a reference file's schema refers to: a text, a day, a code (the categories' file too)
DEFS = {
    "text": _TEXT,
    "day": {"title": N_("a date written YYYY-MM-DD"), "type": "string", "pattern": DAY_PATTERN},
    "code": {"title": N_("a code of small letters, digits and hyphens"), "type": "string",
             "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
}


def _days(description: str) -> dict:
    """A number of days, and whether calendar or working days are counted."""
    return {"description": description, "type": "object", "additionalProperties": False,
            "properties": {"days": {"type": "integer", "minimum": 0, "maximum": 366},
                           "count": {"enum": ["calendar", "working"]}}}


def facts_schema(ref: Reference, categories: tuple[str, ...] | None = None) -> dict:
    """The schema of a facts file; category and region codes come from the reference data.
    Which keys a row needs (a source and both texts, or only `unknown`) is checked apart, so
    that a missing one is named as such."""
    categories = list(categories or (category.code for category in ref.categories))
    row = {
        "valid_from": {"$ref": "#/$defs/day", "description": N_(
            "The first day the row is in force (absent: since always).")},
        "valid_until": {"$ref": "#/$defs/day", "description": N_(
            "The last day the row is in force, inclusive (absent: still in force).")},
        "source": {"$ref": "#/$defs/text", "description": N_(
            "Where this is written: the act (its number and date), the page and the day it "
            "was read.")},
        "unknown": {"$ref": "#/$defs/text", "description": N_(
            "Instead of a source and texts: why this is not known for these days; the reports "
            "borrow nothing from the rows around it.")},
    }
    edition = {"$ref": "#/$defs/code", "description": N_(
        "The edition's code, as the rules rows name it (order-135-p, order-286, "
        "order-286-2024, or one of the folder's own).")}
    forms = {"type": "object", "additionalProperties": False, "required": ["one", "many"],
             "properties": {form: {"$ref": "#/$defs/text"}
                            for form in ("one", "many", "many_sites")}}

    def by_edition(description: str, per_category: dict) -> dict:
        """Rows under an edition of the Rules, each with its source, by category code."""
        return {"description": description, "type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["edition", "source"],
            "properties": {"edition": edition, "source": row["source"],
                           **{code: per_category for code in categories}}}}

    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": N_("Facts that change with time"),
        "description": N_(
            "The facts a month's reports state (the ministry, the Rules and their clauses, the "
            "departments), as dated rows, each with its source. A folder's own "
            "reference/facts.yaml adds rows to the package's and takes precedence over them."),
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "ministry": {
                "description": N_("The issuing ministry, as the introduction names it."),
                "type": "array",
                "items": {"type": "object", "additionalProperties": False, "properties": {
                    **row, **{lang: {"$ref": "#/$defs/text"} for lang in LANGUAGES}}},
            },
            "rules": {
                "description": N_("The editions of the Rules of public hearings, each with how "
                                  "the introduction cites it (\"согласно ...\")."),
                "type": "array",
                "items": {"type": "object", "additionalProperties": False, "properties": {
                    **row, "edition": edition,
                    "title": {"$ref": "#/$defs/text", "description": N_(
                        "A short title for messages: № 286.")},
                    **{lang: {"$ref": "#/$defs/text"} for lang in LANGUAGES}}},
            },
            "clauses": by_edition(N_(
                "Under an edition, the clause each category breaks, as its paragraph cites it; "
                "none where no clause is cited."),
                {"anyOf": [_texts(N_("The clause, in both languages.")), {"const": NONE}]}),
            "wording": by_edition(N_(
                "Under an edition, a category's sentences where they differ from the package's: "
                "one finding, many, many websites."),
                {"type": "object", "additionalProperties": False, "required": list(LANGUAGES),
                 "properties": {lang: forms for lang in LANGUAGES}}),
            "calendar": {
                "description": N_(
                    "Days the calendar of the holidays package does not know: a day off "
                    "(a transferred day off, a holiday) or a working day (a weekend day worked), "
                    "each with its source; the register's rules in working days count by them."),
                "type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["day", "off", "source"],
                    "properties": {"day": {"$ref": "#/$defs/day"},
                                   "off": {"type": "boolean", "description": N_(
                                       "true: a day off; false: a working day.")},
                                   "source": row["source"]}}},
            "register": {
                "description": N_(
                    "Under an edition, the figures the register's rules count with; a rule not "
                    "given is not known under it, and derives nothing."),
                "type": "array", "items": {
                    "type": "object", "additionalProperties": False,
                    "required": ["edition", "source"],
                    "properties": {
                        "edition": edition, "source": row["source"],
                        "notice": {**_days(N_(
                            "How many days before its hearing an announcement must appear.")),
                            "required": ["days", "count"]},
                        "protocol": {**_days(N_(
                            "How many days after the hearing its protocol must appear.")),
                            "required": ["days", "count"]},
                        "sighting": {**_days(N_(
                            "How many days after the placement date an announcement states "
                            "its first sighting may be, before the date counts as backdated.")),
                            "required": ["days"]}}}},
            "departments": {
                "description": N_("The bodies whose websites are monitored: usual, each "
                                  "region's department; under a region's code, its own body."),
                "type": "object",
                "additionalProperties": False,
                "properties": {key: {"type": "array", "items": {
                    "type": "object", "additionalProperties": False, "properties": {
                        **row, **{lang: {"$ref": "#/$defs/text"} for lang in LANGUAGES}}}}
                    for key in ("usual", *(region.code for region in ref.regions))},
            },
        },
        "$defs": DEFS,
    }


@cache
def _validator(categories: tuple[str, ...] | None = None):
    """The facts files' validator, for the package's categories or a folder's (by code)."""
    return validator_for(facts_schema(reference(), categories))


def editor_facts_schema(ref: Reference) -> dict:
    """The facts file's schema for editors, its words in Russian and Kazakh."""
    schema = facts_schema(ref)
    annotate(schema, translations("ru").gettext, translations("kk").gettext)
    return schema


def facts_schema_text(ref: Reference) -> str:
    return json.dumps(editor_facts_schema(ref), ensure_ascii=False, indent=2) + "\n"


def day_of(value: object) -> dt.date | None:
    """The day a text names, or None (not a text, or no day of the calendar)."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _rows(data: dict) -> Iterator[tuple[str, tuple, dict]]:
    """Every dated row with the fact it belongs to and its path."""
    for fact in DATED:
        for index, row in enumerate(data.get(fact) or []):
            if isinstance(row, dict):
                yield fact, (fact, index), row
    departments = data.get("departments")
    if isinstance(departments, dict):
        for key, rows in departments.items():
            for index, row in enumerate(rows if isinstance(rows, list) else []):
                if isinstance(row, dict):
                    yield f"departments: {key}", ("departments", key, index), row


def _check_rows(context: Context) -> Iterator[Finding]:
    """Each row: a source and both texts, or only why it is unknown; its days in order, a real
    date each; no two rows of one fact in force on one day."""
    spans: dict[str, list] = {}
    for fact, path, row in _rows(context.data):
        needed = ("edition", "title", "source", *LANGUAGES) if fact == "rules" else (
            "source", *LANGUAGES)
        if "unknown" in row:
            for key in needed:
                if key in row:
                    yield context.finding("unknown-key", (*path, key), key=True, params={
                        "key": key, "hint": _("a row that is `unknown` has no source and no "
                                              "texts")})
        else:
            for key in needed:
                if key not in row:
                    yield context.finding("missing-key", (*path, key),
                                          mark=context.document.where(path),
                                          params={"key": key})
        days = {}
        for key in ("valid_from", "valid_until"):
            if isinstance(row.get(key), str):
                days[key] = day_of(row[key])
                if days[key] is None:
                    yield context.finding("invalid-value", (*path, key),
                                          expected=_("a date written YYYY-MM-DD"),
                                          found=repr(row[key]))
        start, end = days.get("valid_from"), days.get("valid_until")
        if start and end and end < start:
            yield context.finding("facts-dates-reversed", (*path, "valid_until"),
                                  params={"start": start, "end": end})
            continue
        if None in (days.get(k, dt.date.min) for k in ("valid_from", "valid_until")):
            continue  # a date that is not one: reported above
        for other_path, other_start, other_end in spans.get(fact, []):
            if (start or dt.date.min) <= (other_end or dt.date.max) \
                    and (other_start or dt.date.min) <= (end or dt.date.max):
                line = context.document.where(other_path).line
                yield context.finding("facts-overlap", path, params={
                    "fact": fact, "line": line, "start": start or "…", "end": end or "…"})
                break
        spans.setdefault(fact, []).append((path, start, end))


def _check_editions(context: Context, known: set[str]) -> Iterator[Finding]:
    """Clauses and wording are entered under an edition some rules row names (the folder's or
    the package's); a category is given once per edition in one file."""
    rules = context.data.get("rules")
    editions = set(known) | {row.get("edition") for row in rules or [] if isinstance(row, dict)}
    for fact in ("clauses", "wording", "register"):
        given: dict[tuple, tuple] = {}
        for index, row in enumerate(context.data.get(fact) or []):
            if not isinstance(row, dict) or not isinstance(row.get("edition"), str):
                continue
            edition = row["edition"]
            if edition not in editions:
                yield context.finding("facts-edition-unknown", (fact, index, "edition"),
                                      params={"edition": edition,
                                              "editions": ", ".join(sorted(e for e in editions
                                                                           if e))})
            for code in row:
                if code in ("edition", "source"):
                    continue
                if (edition, code) in given:
                    yield context.finding("facts-overlap", (fact, index, code), key=True,
                                          params={"fact": f"{fact}: {edition}: {code}",
                                                  "line": context.document.where(
                                                      given[edition, code], key=True).line,
                                                  "start": "…", "end": "…"})
                given.setdefault((edition, code), (fact, index, code))


def _check_calendar(context: Context) -> Iterator[Finding]:
    """Each day of the calendar is a day of the calendar, given once."""
    given: dict[str, int] = {}
    for index, row in enumerate(context.data.get("calendar") or []):
        day = row.get("day") if isinstance(row, dict) else None
        if not isinstance(day, str):
            continue
        if day_of(day) is None:
            yield context.finding("invalid-value", ("calendar", index, "day"),
                                  expected=_("a date written YYYY-MM-DD"), found=repr(day))
        elif day in given:
            yield context.finding("facts-overlap", ("calendar", index), params={
                "fact": "calendar", "line": context.document.where(
                    ("calendar", given[day])).line, "start": day, "end": day})
        given.setdefault(day, index)


def _check_placeholders(context: Context) -> Iterator[Finding]:
    """A text still holding the "..." of a snippet would be printed as it is."""
    stack = [((), context.data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str) and ("..." in value or "…" in value):
            yield context.finding("placeholder-text", path, found=value[:60])
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))


def check_facts_document(document: Document, known_editions: set[str] = frozenset(),
                         ref: Reference | None = None) -> FileReport:
    """Every problem of a facts file; `known_editions` are the package's (a folder's clauses
    may be entered under them); `ref` has the folder's own categories, where it has some."""
    file = document.file
    if not isinstance(document.data, dict):
        mark = document.where(())
        return FileReport(file, [Finding("not-a-mapping", file, mark.line, mark.column,
                                         found=type(document.data).__name__)])
    ref = ref or reference()
    context = Context(document, ref)
    codes = tuple(c.code for c in ref.categories)
    findings = list(check_schema(context, _validator(
        None if codes == tuple(c.code for c in reference().categories) else codes)))
    findings += _check_rows(context)
    findings += _check_editions(context, set(known_editions))
    findings += _check_calendar(context)
    findings += _check_placeholders(context)
    return FileReport(file, findings)


def read_facts_file(path, file: str, known_editions: set[str] = frozenset(),
                    ref: Reference | None = None) -> tuple[FileReport, Document | None]:
    """A facts file read and checked: its findings, and the file when it has no errors."""
    try:
        document = load(path, file)
    except LoadError as err:
        return unreadable(err, file), None
    report = check_facts_document(document, known_editions, ref)
    return report, (None if report.errors else document)
