"""Facts that change with time (ministry, Rules, their clauses and wording, departments):
dated rows from the package and from the folder's own file, the folder's first, one lookup
by day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ...exceptions import ReferenceDataError
from ...i18n import N_
from ..findings import FileReport
from ..reference import LANGUAGES, REFERENCE_DIR, Period, Reference, Validity, reference, validity
from .file import NONE, read_facts_file

PACKAGED_FACTS = REFERENCE_DIR / "facts.yaml"
PACKAGE = "package"  # where a row comes from, when not from the folder's own file

# What each fact is called in findings.
MINISTRY, RULES, DEPARTMENTS, CLAUSE = (
    N_("the issuing ministry"), N_("the Rules of public hearings in force"),
    N_("the departments whose websites are monitored"),
    N_("the clauses of the Rules ({edition}) that these categories break: {categories}"))


@dataclass(frozen=True)
class Row:
    """One row of a fact: its value over its days (None where it is explicitly unknown),
    where it comes from and what it says its source is."""

    validity: Validity
    value: dict | None
    origin: str   # PACKAGE, or the folder's file as messages name it
    line: int
    source: str   # the row's source, or why it is unknown


@dataclass(frozen=True)
class Edition:
    """An edition of the Rules: how it is cited, and the clause each category breaks."""

    code: str
    title: str  # short and language-neutral, for messages: "№ 286"
    citation: dict[str, str]
    row: Row
    clauses: dict[str, Row]   # category -> its clause (value {ru, kk}, or None: none cited)
    wording: dict[str, Row]   # category -> its sentences under this edition, where they differ
    register: dict[str, Row] = field(default_factory=dict)  # rule -> its figures (register)


@dataclass(frozen=True)
class Gap:
    """A fact a month needs that the reference data does not know."""

    fact: str                   # one of the names above, in English (translated where shown)
    left_out: bool              # the reports are built without it (a warning), or not at all
    key: str                    # what to add: ministry, rules, departments, clauses
    categories: tuple = ()      # for clauses: the categories whose clause is not entered
    edition: Edition | None = None


@dataclass
class MonthFacts:
    """The facts in force on a month's last day; None where not known, with a Gap."""

    day: dt.date
    ministry: Row | None
    rules: Edition | None
    departments: Row | None
    bodies: dict[str, Row]  # region code -> its own body, where it differs
    file: str               # where a missing fact is added: the folder's facts file
    gaps: list[Gap] = field(default_factory=list)
    modeline: str | None = None  # the first line the file gets, while there is none
    calendar: dict = field(default_factory=dict)  # day -> off: the facts' own days

    def text(self, row: Row | None, lang: str) -> str | None:
        return row.value[lang] if row is not None and row.value is not None else None

    def clause(self, category) -> dict[str, str] | None:
        """The clause a category's paragraph cites, or None (none cited, or not known)."""
        row = self.rules.clauses.get(category.code) if self.rules else None
        return row.value if row is not None else None

    def sentence(self, category) -> dict[str, dict[str, str]]:
        """The category's sentences under the edition in force (its own where they differ)."""
        row = self.rules.wording.get(category.code) if self.rules else None
        return row.value if row is not None else category.sentence

    def clause_gaps(self, categories) -> list[Gap]:
        """One gap for the categories whose clause under the edition in force is not entered."""
        missing = tuple(c for c in categories if self.rules and c.code not in self.rules.clauses)
        return [Gap(CLAUSE, True, "clauses", missing, self.rules)] if missing else []


def in_force(rows: tuple[Row, ...], day: dt.date) -> Row | None:
    """The row in force on day (the folder's rows come first); None when no row covers it."""
    return next((row for row in rows if row.validity.covers(day)), None)


def _dated(entries: list, origin: str, lines: dict, path: tuple) -> tuple[Row, ...]:
    rows = []
    for index, entry in enumerate(entries or []):
        known = "unknown" not in entry
        rows.append(Row(validity(entry), entry if known else None, origin,
                        lines.get((*path, index), 0),
                        entry.get("source") if known else entry["unknown"]))
    return tuple(rows)


@dataclass(frozen=True)
class Facts:
    """Every dated fact, as rows: the folder's before the package's."""

    ministry: tuple[Row, ...]
    rules: tuple[Row, ...]
    departments: dict[str, tuple[Row, ...]]  # "usual", then region codes
    clauses: dict[str, dict[str, Row]]        # edition -> category -> row
    wording: dict[str, dict[str, Row]]
    file: str = "reference/facts.yaml"        # the folder's file, where missing facts go
    report: FileReport | None = None          # the folder's file as checked, when it has one
    modeline: str | None = None               # the first line of that file, while it has none
    # the regions and categories: the package's, or with the folder's own categories
    reference: Reference = field(default_factory=reference)
    categories_report: FileReport | None = None  # the folder's categories file, as checked
    register: dict[str, dict[str, Row]] = field(default_factory=dict)  # edition -> rule -> row
    calendar: dict[dt.date, bool] = field(default_factory=dict)  # day -> off, beyond `holidays`

    @property
    def reports(self) -> list[FileReport]:
        """The folder's own reference files as checked (facts, categories)."""
        return [r for r in (self.categories_report, self.report) if r is not None]

    @classmethod
    def of(cls, data: dict, origin: str, lines: dict) -> Facts:
        def by_edition(fact: str) -> dict[str, dict[str, Row]]:
            found: dict[str, dict[str, Row]] = {}
            for index, entry in enumerate(data.get(fact) or []):
                for code, value in entry.items():
                    if code in ("edition", "source"):
                        continue
                    found.setdefault(entry["edition"], {})[code] = Row(
                        Validity(), None if value == NONE else value, origin,
                        lines.get((fact, index, code), 0), entry["source"])
            return found

        return cls(_dated(data.get("ministry"), origin, lines, ("ministry",)),
                   _dated(data.get("rules"), origin, lines, ("rules",)),
                   {key: _dated(rows, origin, lines, ("departments", key))
                    for key, rows in (data.get("departments") or {}).items()},
                   by_edition("clauses"), by_edition("wording"), register=by_edition("register"),
                   calendar={dt.date.fromisoformat(row["day"]): row["off"]
                             for row in data.get("calendar") or []})

    def over(self, package: Facts, file: str, report: FileReport) -> Facts:
        """These facts (a folder's) taking precedence over the package's, fact by fact and
        day by day."""
        def merged(own: dict, theirs: dict) -> dict:
            keys = list(theirs) + [key for key in own if key not in theirs]
            return {key: {**theirs.get(key, {}), **own.get(key, {})} for key in keys}

        departments = {key: self.departments.get(key, ()) + package.departments.get(key, ())
                       for key in [*package.departments,
                                   *(k for k in self.departments if k not in package.departments)]}
        return Facts(self.ministry + package.ministry, self.rules + package.rules, departments,
                     merged(self.clauses, package.clauses), merged(self.wording, package.wording),
                     file, report, reference=self.reference,
                     register=merged(self.register, package.register),
                     calendar={**package.calendar, **self.calendar})

    @property
    def editions(self) -> set[str]:
        return {row.value["edition"] for row in self.rules if row.value}

    def for_month(self, period: Period) -> MonthFacts:
        """What a report for this month states, and what it cannot."""
        day = period.last_day
        gaps = []

        def look_up(rows, name, left_out, key):
            row = in_force(rows, day)
            if row is None or row.value is None:
                gaps.append(Gap(name, left_out, key))
                return None
            return row

        ministry = look_up(self.ministry, MINISTRY, False, "ministry")
        rules = look_up(self.rules, RULES, False, "rules")
        departments = look_up(self.departments.get("usual", ()), DEPARTMENTS, True,
                              "departments")
        bodies = {}
        for code, rows in self.departments.items():
            row = in_force(rows, day) if code != "usual" else None
            if row is not None and row.value is not None:
                bodies[code] = row
        edition = rules and Edition(
            rules.value["edition"], rules.value["title"],
            {lang: rules.value[lang] for lang in LANGUAGES}, rules,
            self.clauses.get(rules.value["edition"], {}),
            self.wording.get(rules.value["edition"], {}),
            self.register.get(rules.value["edition"], {}))
        return MonthFacts(day, ministry, edition, departments, bodies, self.file, gaps,
                          self.modeline, self.calendar)


def _lines(document) -> dict:
    """The line of each key and value of a facts file, by path."""
    return {path: mark.line for marks in (document.values, document.keys)
            for path, mark in marks.items()}


@cache
def packaged_facts() -> Facts:
    """The package's facts, read and checked once per process; a fault in them is the
    package's (ReferenceDataError), never the user's."""
    report, document = read_facts_file(PACKAGED_FACTS, "facts.yaml")
    if document is None:
        raise ReferenceDataError("the packaged facts.yaml is malformed:\n" + "\n".join(
            f"{f.file}:{f.line}:{f.column}: [{f.code}] {f.message}" for f in report.findings))
    return Facts.of(document.data, PACKAGE, _lines(document))


def facts(file: str = "reference/facts.yaml", modeline: str | None = None) -> Facts:
    """The package's facts alone (what a folder without a file of its own states); a missing
    fact is to be added to `file`, a new file that starts with `modeline`."""
    package = packaged_facts()
    if (file, modeline) == (package.file, package.modeline):
        return package
    return replace(package, file=file, modeline=modeline)


_FOLDER: dict[tuple, Facts] = {}


def folder_facts(path: Path, shown: str, ref: Reference | None = None) -> Facts:
    """The folder's own facts over the package's; the file is read and checked once per
    process while it is unchanged. When it has errors, the package's facts alone, with the
    file's report (the commands refuse to go on: see Facts.report)."""
    try:
        stat = path.stat()
        key = (str(path), shown, stat.st_mtime_ns, stat.st_size, id(ref))
    except OSError:
        key = None
    if key is not None and key in _FOLDER:
        return _FOLDER[key]
    package = packaged_facts()
    ref = ref or package.reference
    report, document = read_facts_file(path, shown, package.editions, ref)
    if document is None:
        result = replace(package, file=shown, report=report, reference=ref)
    else:
        result = replace(Facts.of(document.data, shown, _lines(document)),
                         reference=ref).over(package, shown, report)
    if key is not None:
        _FOLDER[key] = result
    return result


def describe_gap(gap: Gap, ref) -> str:
    """The missing fact in the messages' language: "the departments whose ...", "the clauses
    of the Rules (№ 286) that these categories break: ..."."""
    from ...i18n import _
    from ..context import category_name

    names = "; ".join(category_name(ref, category.code) for category in gap.categories)
    return _(gap.fact).format(edition=gap.edition.title if gap.edition else "",
                              categories=names)


def snippet(gap: Gap, month: MonthFacts, ref) -> str:
    """What to paste into the folder's facts file for the gap, the days of the month filled
    in and every text left as "..." (validation refuses a "..." left in place)."""
    from ...i18n import _

    first = month.day.replace(day=1)
    days = [f"valid_from: {first}", f"valid_until: {month.day}"]
    source = "source: ...  # " + _("the act or page that says so, and the day it was read")
    if month.modeline:
        head = "# " + _("a new file {file}, beside data/ (its first line lets the editor "
                        "check it, once `hearings schema` has written the schema):").format(
                            file=month.file) + "\n" + month.modeline
    else:
        head = "# " + _("in {file} (under the key of the same name, where the file has it "
                        "already):").format(file=month.file)
    if gap.key == "clauses":
        lines = [head, "clauses:", f"  - edition: {gap.edition.code}", f"    {source}"]
        for category in gap.categories:
            lines += [f"    {category.code}:  # {category.label['ru']} / "
                      f"{category.label['kk']}",
                      "      ru: нарушение п. ... Правил",
                      "      kk: Қағидалардың ...-тармағын бұзу"]
        lines.append("    # " + _("or `none` for a category the report cites no clause for"))
        return "\n".join(lines)
    if gap.key == "departments":
        return "\n".join([head, "departments:", "  usual:", f"    - {days[0]}",
                          f"      {days[1]}", f"      {source}",
                          "      ru: ...  # " + _("as in \"территориальных ... местных "
                                                  "исполнительных органов\""),
                          "      kk: ...  # " + _("as in \"... аумақтық ... ресми "
                                                  "интернет-ресурстарында\"")])
    if gap.key == "rules":
        return "\n".join([head, "rules:", "  - edition: ...  # " + _("a code of your own, "
                                                                     "such as order-123"),
                          "    title: № ...", f"    {days[0]}", f"    {days[1]}",
                          f"    {source}",
                          "    ru: ...  # " + _("as in \"согласно ... (далее – Правила)\""),
                          "    kk: ..."])
    return "\n".join([head, "ministry:", f"  - {days[0]}", f"    {days[1]}", f"    {source}",
                      "    ru: ...", "    kk: ..."])
