"""A folder's own categories (reference/categories.yaml beside data/): its JSON Schema, every
problem in it as a finding with its place, and the reference data it makes over the package's.

An entry whose code is one of the package's changes that category (a retirement is its
`valid_until`); an entry with a new code adds one, at the end of its group, or in the place
of the category it `replaces`, which is then in force until the day before it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from functools import cache

from ..i18n import N_, _, translations
from .conformance import check_schema, validator_for
from .context import Context, unreadable
from .facts.file import DEFS, day_of
from .findings import FileReport, Finding
from .load import Document, LoadError, load
from .reference import (
    LANGUAGES,
    Reference,
    category_of,
    group_of,
    in_group_order,
    read_reference,
    reference,
)
from .schema import annotate

# what a new category or group needs; a package's one changed by the folder needs none of it
NEEDED = {"categories": ("group", "header", "label", "name", "sentence"),
          "groups": ("ru", "kk", "by")}
BOUNDS = ("announcements", "protocols", "site")


def _texts(description: str, languages=LANGUAGES) -> dict:
    return {"description": description, "type": "object", "additionalProperties": False,
            "required": list(languages),
            "properties": {lang: {"$ref": "#/$defs/text"} for lang in languages}}


def categories_schema() -> dict:
    """The schema of a folder's categories file."""
    dated = {
        "code": {"$ref": "#/$defs/code"},
        "valid_from": {"$ref": "#/$defs/day", "description": N_(
            "The first day the category is in force (absent: since always); a month has its "
            "column when it is in force on the month's last day.")},
        "valid_until": {"$ref": "#/$defs/day", "description": N_(
            "The last day it is in force, inclusive (absent: still in force).")},
        "source": {"$ref": "#/$defs/text", "description": N_(
            "Where this is written: the act (its number and date), the page and the day it "
            "was read.")},
    }
    forms = {"type": "object", "additionalProperties": False, "required": ["one", "many"],
             "properties": {form: {"$ref": "#/$defs/text"}
                            for form in ("one", "many", "many_sites")}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": N_("The folder's own violation categories"),
        "description": N_(
            "Categories added, changed or retired from a date, over the package's: an entry "
            "with a package category's code changes it (valid_until retires it); one with a new "
            "code adds a column at the end of its group, or in the place of the category it "
            "replaces."),
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "groups": {
                "description": N_("Groups of categories added or changed (announcements, "
                                  "protocols are the package's)."),
                "type": "array",
                "items": {"type": "object", "additionalProperties": False,
                          "required": ["code", "source"], "properties": {
                              **dated, **{lang: {"$ref": "#/$defs/text"} for lang in LANGUAGES},
                              "by": _texts(N_("The group in \"43 violations, 10 of them by "
                                              "...\": по объявлениям."))}},
            },
            "categories": {
                "description": N_("Categories added, changed or retired."),
                "type": "array",
                "items": {"type": "object", "additionalProperties": False,
                          "required": ["code", "source"], "properties": {
                              **dated,
                              "replaces": {"$ref": "#/$defs/code", "description": N_(
                                  "A category this one replaces: it takes its column, and the "
                                  "replaced one is in force until the day before.")},
                              "group": {"$ref": "#/$defs/code", "description": N_(
                                  "The group the category counts with.")},
                              "bounded_by": {"enum": list(BOUNDS), "description": N_(
                                  "A count above this figure is suspicious: the region's "
                                  "announcements or protocols placed, or one per site; "
                                  "absent: no bound.")},
                              "header": _texts(N_("The column's header; en names it in "
                                                  "English messages."), (*LANGUAGES, "en")),
                              "label": _texts(N_("The category where it stands alone.")),
                              "name": _texts(N_("The category as a noun phrase of its own.")),
                              "sentence": {
                                  "description": N_("The narrative's sentence before the list "
                                                    "of regions: one finding, many, many "
                                                    "websites."),
                                  "type": "object", "additionalProperties": False,
                                  "required": list(LANGUAGES),
                                  "properties": {lang: forms for lang in LANGUAGES}},
                              "consequence": _texts(N_("What the violation causes, a sentence "
                                                       "after the list."))}},
            },
        },
        "$defs": DEFS,
    }


@cache
def _validator():
    return validator_for(categories_schema())


def categories_schema_text() -> str:
    """The categories file's schema for editors, its words in Russian and Kazakh."""
    schema = categories_schema()
    annotate(schema, translations("ru").gettext, translations("kk").gettext)
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _entries(data: dict, part: str) -> Iterator[tuple[tuple, dict]]:
    for index, entry in enumerate(data.get(part) or []):
        if isinstance(entry, dict) and isinstance(entry.get("code"), str):
            yield (part, index), entry


def _check(context: Context, package: Reference) -> Iterator[Finding]:
    """What the schema cannot say: a new entry has every text, its days are in order, a code
    is given once, its group exists, a replaced category exists and has ended by then."""
    data = context.data
    known = {"groups": {g.code for g in package.groups},
             "categories": {c.code for c in package.categories}}
    given: dict[str, dict[str, tuple]] = {"groups": {}, "categories": {}}
    for part in ("groups", "categories"):
        for path, entry in _entries(data, part):
            code = entry["code"]
            if code in given[part]:
                yield context.finding("categories-code-twice", (*path, "code"), params={
                    "code": code, "line": context.document.where(given[part][code]).line})
                continue
            given[part][code] = path
            if code not in known[part]:
                for key in NEEDED[part]:
                    if key not in entry:
                        yield context.finding("missing-key", (*path, key),
                                              mark=context.document.where(path),
                                              params={"key": key})
            days = {key: day_of(entry.get(key)) for key in ("valid_from", "valid_until")}
            for key, day in days.items():
                if isinstance(entry.get(key), str) and day is None:
                    yield context.finding("invalid-value", (*path, key),
                                          expected=_("a date written YYYY-MM-DD"),
                                          found=repr(entry[key]))
            if days["valid_from"] and days["valid_until"] \
                    and days["valid_until"] < days["valid_from"]:
                yield context.finding("facts-dates-reversed", (*path, "valid_until"), params={
                    "start": days["valid_from"], "end": days["valid_until"]})
    groups = known["groups"] | set(given["groups"])
    for path, entry in _entries(data, "categories"):
        group = entry.get("group")
        if isinstance(group, str) and group not in groups:
            yield context.finding("categories-group-unknown", (*path, "group"), params={
                "group": group, "groups": ", ".join(sorted(groups))})
        replaced = entry.get("replaces")
        if not isinstance(replaced, str):
            continue
        if replaced not in known["categories"] | set(given["categories"]) - {entry["code"]}:
            yield context.finding("categories-replaced-unknown", (*path, "replaces"), params={
                "code": replaced})
            continue
        start = day_of(entry.get("valid_from"))
        if start is None:
            yield context.finding("missing-key", (*path, "valid_from"),
                                  mark=context.document.where(path), params={"key": "valid_from"})
            continue
        own = given["categories"].get(replaced)
        end = day_of(data["categories"][own[1]].get("valid_until")) if own else None
        if end is not None and end >= start:
            yield context.finding("categories-overlap", (*path, "valid_from"), params={
                "code": replaced, "line": context.document.where((*own, "valid_until")).line,
                "end": end, "start": start})


def check_categories_document(document: Document, package: Reference) -> FileReport:
    file = document.file
    if not isinstance(document.data, dict):
        mark = document.where(())
        return FileReport(file, [Finding("not-a-mapping", file, mark.line, mark.column,
                                         found=type(document.data).__name__)])
    context = Context(document, package)
    findings = list(check_schema(context, _validator()))
    findings += _check(context, package)
    return FileReport(file, findings)


def over_package(data: dict, shown: str, package: Reference) -> Reference:
    """The package's reference data with a checked categories file's entries over it."""
    packaged = read_reference("categories.yaml")
    own = {part: {entry["code"]: entry for entry in data.get(part) or []}
           for part in ("groups", "categories")}
    groups = [group_of({**entry, **own["groups"].get(entry["code"], {})},
                       shown if entry["code"] in own["groups"] else None)
              for entry in packaged["groups"]]
    groups += [group_of(entry, shown) for code, entry in own["groups"].items()
               if code not in {g.code for g in groups}]
    mine = own["categories"]
    entries = [({**entry, **mine.get(entry["code"], {})}, entry["code"] in mine)
               for entry in packaged["categories"]]
    for code, entry in mine.items():  # a new one at its group's end, or in the replaced place
        if code not in {e["code"] for e in packaged["categories"]}:
            at = next((i + 1 for i, (e, _c) in enumerate(entries)
                       if e["code"] == entry.get("replaces")), len(entries))
            entries.insert(at, (entry, True))
    replacing = {entry["replaces"]: entry for entry in mine.values() if "replaces" in entry}
    for index, (entry, _changed) in enumerate(entries):  # the replaced end the day before
        by = replacing.get(entry["code"])
        if by is not None and "valid_until" not in mine.get(entry["code"], {}):
            end = dt.date.fromisoformat(by["valid_from"]) - dt.timedelta(days=1)
            entries[index] = ({**entry, "valid_until": end.isoformat()}, True)
    categories = [category_of(entry, shown if changed else None) for entry, changed in entries]
    return replace(package, groups=tuple(groups),
                   categories=in_group_order(groups, categories))


_FOLDER: dict[tuple, tuple] = {}


def folder_reference(path, shown: str) -> tuple[Reference, FileReport]:
    """The folder's categories over the package's, and the file's report; with errors, the
    package's alone (the commands refuse to go on). Read once while the file is unchanged."""
    try:
        stat = path.stat()
        key = (str(path), shown, stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key is not None and key in _FOLDER:
        return _FOLDER[key]
    package = reference()
    try:
        document = load(path, shown)
    except LoadError as err:
        result = package, unreadable(err, shown)
    else:
        report = check_categories_document(document, package)
        result = (package if report.errors else over_package(document.data, shown, package),
                  report)
    if key is not None:
        _FOLDER[key] = result
    return result
