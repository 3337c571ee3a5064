"""Reference data: the regions and violation categories, in Russian and Kazakh side by side."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import marshal
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ..exceptions import ReferenceDataError
from ..files.cache import cached
from ..files.limits import TEXT_LIMIT, UnreadableFile, read_limited
from ..i18n import _
from .load import LoadError, decode, parse

REFERENCE_DIR = Path(__file__).parent.parent / "reference"
LANGUAGES = ("ru", "kk")  # of the documents
NAME_LANGUAGES = (*LANGUAGES, "en")  # of names in messages
# How a month and a day are written: for the schemas, the checks and the command line alike
MONTH_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])$"
DAY_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True)
class Period:
    """A report's month, written YYYY-MM."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        year, _, month = text.partition("-")
        if not (year.isascii() and year.isdecimal() and month.isascii() and month.isdecimal()):
            raise ValueError(f"not a month: {text!r}")
        period = cls(int(year), int(month))
        # a year of no calendar's dates (0000, 20200) is no month either: every month has days
        if not (1 <= period.month <= 12 and 1 <= period.year <= 9999) or str(period) != text:
            raise ValueError(f"not a month: {text!r}")
        return period

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@dataclass(frozen=True)
class Validity:
    """The days something is in force, both ends inclusive; None is open."""

    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return ((self.valid_from is None or self.valid_from <= day)
                and (self.valid_until is None or day <= self.valid_until))

    def __str__(self) -> str:
        if self.valid_from and self.valid_until:
            return _("in force {start} to {end}").format(start=self.valid_from,
                                                         end=self.valid_until)
        if self.valid_from:
            return _("in force from {start}").format(start=self.valid_from)
        if self.valid_until:
            return _("in force until {end}").format(end=self.valid_until)
        return _("always in force")


@dataclass(frozen=True)
class RegionName:
    """A region's names in one period: per language, the forms the report needs."""

    validity: Validity
    forms: dict[str, dict[str, str]]  # language -> form -> text
    source: str | None = None  # what says these names hold from and until when


@dataclass(frozen=True)
class Region:
    """A region: stable code, classifier codes, its names over time."""

    code: str
    kato: str
    iso: dict[str, str]
    validity: Validity
    names: tuple[RegionName, ...]
    source: str | None = None  # what says the region exists from and until when

    def name(self, period: Period) -> RegionName:
        """The names in force on the last day of the period (names are in date order)."""
        day = period.last_day
        for name in self.names:
            if name.validity.valid_until is None or day <= name.validity.valid_until:
                return name
        return self.names[-1]


@dataclass(frozen=True)
class Category:
    """A violation category: a column of the table and a paragraph of the narrative."""

    code: str
    group: str
    bounded_by: str | None
    header: dict[str, str]
    label: dict[str, str]                 # the category where it stands alone
    name: dict[str, str]                  # a noun phrase of its own
    sentence: dict[str, dict[str, str]]   # language -> one / many / many_sites
    consequence: dict[str, str] | None
    validity: Validity = Validity()       # the days a month's table has this column
    source: str | None = None             # what says it is in force from and until when
    origin: str | None = None             # a folder's file that brings or changes it

    def in_force(self, period: Period) -> bool:
        """A month has the column when the category is in force on the month's last day."""
        return self.validity.covers(period.last_day)


@dataclass(frozen=True)
class Group:
    """A group of categories: violations by announcements or by protocols."""

    code: str
    title: dict[str, str]
    by: dict[str, str]  # "по объявлениям": the group in "43 violations, 10 of them by ..."
    validity: Validity = Validity()
    source: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Reference:
    """All reference data, in its order."""

    regions: tuple[Region, ...]
    groups: tuple[Group, ...]
    categories: tuple[Category, ...]

    def region(self, code: str) -> Region | None:
        return next((r for r in self.regions if r.code == code), None)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def regions_in_force(self, period: Period) -> list[Region]:
        """The regions a report for this period lists, in row order."""
        return [r for r in self.regions if r.validity.covers(period.last_day)]

    def categories_in_force(self, period: Period) -> tuple[Category, ...]:
        """The columns of this period's table, group by group (a category is in force on the
        period's last day, as a region is)."""
        return tuple(c for c in self.categories if c.in_force(period))

    def groups_in_force(self, period: Period) -> tuple[Group, ...]:
        """The groups this period's table has: in force, with a category in force."""
        codes = {c.group for c in self.categories_in_force(period)}
        return tuple(g for g in self.groups
                     if g.code in codes and g.validity.covers(period.last_day))


@cache
def document_settings() -> dict:
    """Page setup, typography and fixed wording of the reports (reference/document.yaml),
    read once per process: the package's own file, read and never changed."""
    return read_reference("document.yaml")


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def validity(entry: dict) -> Validity:
    return Validity(_date(entry.get("valid_from")), _date(entry.get("valid_until")))


# what a reference file's data depends on besides its text: the code that reads YAML
_LOADER = Path(__file__).with_name("load.py")
_READ_BY = f"reference {hashlib.sha256(_LOADER.read_bytes()).hexdigest()} PyYAML {yaml.__version__}"


def read_reference(name: str) -> dict:
    """A file of reference/ as plain data; a malformed one is a ReferenceDataError. Kept in
    the cache folder by its text's digest, like a prepared template: five files read with
    every value's place cost 15 ms of a month's build of 300."""
    path = REFERENCE_DIR / name
    try:
        raw = read_limited(path, TEXT_LIMIT)
        return cached("reference", f"{_READ_BY}\0{name}\0{hashlib.sha256(raw).hexdigest()}",
                      lambda: parse(decode(raw), str(path)).data, marshal.dumps, _data)
    except UnreadableFile as err:
        raise ReferenceDataError(f"{path}: {err}") from err
    except LoadError as err:
        raise ReferenceDataError(
            f"{path}:{err.mark.line}:{err.mark.column}: {err.code} {err.params}") from err


def _data(payload: bytes) -> dict | None:
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


@cache
def reference() -> Reference:
    """Load the reference data once per process."""
    regions_file = read_reference("regions.yaml")
    categories_file = read_reference("categories.yaml")
    try:
        regions = tuple(
            Region(
                code=entry["code"],
                kato=entry["kato"],
                iso=entry["iso"],
                validity=validity(entry),
                names=tuple(RegionName(validity(name),
                                       {lang: name[lang] for lang in NAME_LANGUAGES},
                                       name.get("source"))
                            for name in entry["names"]),
                source=entry.get("source"),
            )
            for entry in regions_file["regions"])
        groups = tuple(group_of(g) for g in categories_file["groups"])
        categories = tuple(category_of(entry) for entry in categories_file["categories"])
    except (KeyError, TypeError, ValueError) as err:
        raise ReferenceDataError(f"reference data in {REFERENCE_DIR} is malformed: "
                                 f"{err!r}") from err
    return Reference(regions, groups, in_group_order(groups, categories))


def group_of(entry: dict, origin: str | None = None) -> Group:
    """A group as a categories file writes it."""
    return Group(entry["code"], {lang: entry[lang] for lang in LANGUAGES}, entry["by"],
                 validity(entry), entry.get("source"), origin)


def category_of(entry: dict, origin: str | None = None) -> Category:
    """A category as a categories file writes it."""
    return Category(code=entry["code"], group=entry["group"],
                    bounded_by=entry.get("bounded_by"), header=entry["header"],
                    label={**entry["label"], "en": entry["header"]["en"]},
                    name=entry["name"], sentence=entry["sentence"],
                    consequence=entry.get("consequence"), validity=validity(entry),
                    source=entry.get("source"), origin=origin)


def in_group_order(groups, categories) -> tuple[Category, ...]:
    """The categories group by group (a table's group header spans its columns), each group's
    in the order given."""
    order = {group.code: index for index, group in enumerate(groups)}
    return tuple(sorted(categories, key=lambda c: order.get(c.group, len(order))))
