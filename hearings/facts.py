"""Facts that change with time (ministry, Rules, departments): dated rows, one lookup by day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from .exceptions import ReferenceDataError
from .i18n import N_
from .reference import (
    LANGUAGES,
    REFERENCE_DIR,
    Period,
    Validity,
    read_reference,
    reference,
    validity,
)

FACTS_FILE = REFERENCE_DIR / "facts.yaml"
NONE = "none"  # a category for which the report cites no clause of the Rules

# What each fact is called in findings.
MINISTRY, RULES, DEPARTMENTS, CLAUSE = (
    N_("the issuing ministry"), N_("the Rules of public hearings in force"),
    N_("the departments whose websites are monitored"),
    N_("the clauses of the Rules ({edition}) that these categories break: {categories}"))


@dataclass(frozen=True)
class Row:
    """One row of a fact: its value over its days, or None where it is explicitly unknown."""

    validity: Validity
    value: dict | None  # the row as the file has it (its source stays in the file)


@dataclass(frozen=True)
class Edition:
    """An edition of the Rules: how it is cited, and the clause each category breaks."""

    code: str
    title: str  # short and language-neutral, for messages: "№ 286"
    citation: dict[str, str]
    clauses: dict[str, dict[str, str] | str]  # category -> {ru, kk} or NONE


@dataclass(frozen=True)
class Gap:
    """A fact a month needs that the reference data does not know."""

    fact: str                   # one of the names above, in English (translated where shown)
    left_out: bool              # the reports are built without it (a warning), or not at all
    categories: tuple = ()       # for clauses: the categories whose clause is not entered
    edition: str | None = None   # for clauses: the edition's title


@dataclass
class MonthFacts:
    """The facts in force on a month's last day; None where not known, with a Gap."""

    day: dt.date
    ministry: dict[str, str] | None
    rules: Edition | None
    departments: dict[str, str] | None
    bodies: dict[str, dict[str, str]]  # region code -> its own body, where it differs
    gaps: list[Gap] = field(default_factory=list)

    def clause(self, category) -> dict[str, str] | None:
        """The clause a category's paragraph cites, or None (none cited, or not known)."""
        if self.rules is None:
            return None
        clause = self.rules.clauses.get(category.code)
        return None if clause in (None, NONE) else clause

    def clause_gaps(self, categories) -> list[Gap]:
        """One gap for the categories whose clause under the edition in force is not entered."""
        missing = tuple(c for c in categories if self.rules and c.code not in self.rules.clauses)
        return [Gap(CLAUSE, True, missing, self.rules.title)] if missing else []


_DATES = ("valid_from", "valid_until")


def _texts(value: object, where: str) -> dict[str, str]:
    """A text in both languages, nothing else (a comma in a flow mapping splits it)."""
    if not (isinstance(value, dict) and set(value) == set(LANGUAGES)
            and all(isinstance(value[lang], str) and value[lang] for lang in LANGUAGES)):
        raise ReferenceDataError(f"{FACTS_FILE}: {where}: expected a text in ru and kk, "
                                 f"found {value!r}")
    return value


def _rows(entries: list[dict], where: str, extra: tuple[str, ...] = ()) -> tuple[Row, ...]:
    """The rows of one fact, checked: dates in order, never overlapping, each with its
    source (or the reason it is unknown), and texts in both languages."""
    rows = []
    for index, entry in enumerate(entries):
        place = f"{where}[{index}]"
        known = "unknown" not in entry
        allowed = {*_DATES, "source", *LANGUAGES, *extra} if known else {*_DATES, "unknown"}
        if set(entry) - allowed or (known and not {"source", *LANGUAGES, *extra} <= set(entry)):
            raise ReferenceDataError(f"{FACTS_FILE}: {place}: expected the keys "
                                     f"{sorted(allowed)}, found {sorted(entry)}")
        row = Row(validity(entry), entry if known else None)
        if known:
            _texts({lang: entry[lang] for lang in LANGUAGES}, place)
        if rows and not (rows[-1].validity.valid_until and row.validity.valid_from
                         and rows[-1].validity.valid_until < row.validity.valid_from):
            raise ReferenceDataError(f"{FACTS_FILE}: {place} must start after the row "
                                     "before it ends")
        rows.append(row)
    return tuple(rows)


def _editions(rows: tuple[Row, ...], categories: set[str]) -> tuple[Row, ...]:
    for row in rows:
        if row.value is None:
            continue
        clauses = row.value["clauses"]
        if not isinstance(clauses, dict) or set(clauses) - categories:
            raise ReferenceDataError(f"{FACTS_FILE}: rules {row.value['edition']}: clauses "
                                     f"must be keyed by category codes, found {clauses!r}")
        for code, clause in clauses.items():
            if clause != NONE:
                _texts(clause, f"rules {row.value['edition']}: clauses: {code}")
    return rows


def in_force(rows: tuple[Row, ...], day: dt.date) -> Row | None:
    """The row in force on day; None when no row covers it."""
    return next((row for row in rows if row.validity.covers(day)), None)


@dataclass(frozen=True)
class Facts:
    """Every dated fact, as rows."""

    ministry: tuple[Row, ...]
    rules: tuple[Row, ...]
    departments: dict[str, tuple[Row, ...]]  # "usual", then region codes

    def for_month(self, period: Period) -> MonthFacts:
        """What a report for this month states, and what it cannot."""
        day = period.last_day
        gaps = []

        def look_up(rows, name, left_out):
            row = in_force(rows, day)
            if row is None or row.value is None:
                gaps.append(Gap(name, left_out))
                return None
            return row.value

        ministry = look_up(self.ministry, MINISTRY, left_out=False)
        rules = look_up(self.rules, RULES, left_out=False)
        departments = look_up(self.departments["usual"], DEPARTMENTS, left_out=True)
        bodies = {}
        for code, rows in self.departments.items():
            row = in_force(rows, day) if code != "usual" else None
            if row is not None and row.value is not None:
                bodies[code] = {lang: row.value[lang] for lang in LANGUAGES}
        edition = rules and Edition(rules["edition"], rules["title"],
                                    {lang: rules[lang] for lang in LANGUAGES}, rules["clauses"])
        return MonthFacts(day, ministry and {lang: ministry[lang] for lang in LANGUAGES},
                          edition, departments and {lang: departments[lang] for lang in LANGUAGES},
                          bodies, gaps)


@cache
def facts() -> Facts:
    """Load the dated facts once per process."""
    data = read_reference(FACTS_FILE.name)
    categories = {category.code for category in reference().categories}
    try:
        return Facts(
            _rows(data["ministry"], "ministry"),
            _editions(_rows(data["rules"], "rules", ("edition", "title", "clauses")),
                      categories),
            {key: _rows(rows, f"departments: {key}")
             for key, rows in data["departments"].items()})
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise ReferenceDataError(f"{FACTS_FILE} is malformed: {err!r}") from err
