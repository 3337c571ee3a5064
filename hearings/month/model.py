"""A valid monthly file as typed values: the rows in reference order, the texts, the people."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .context import NOT_ASSESSED
from .reference import Category, Group, Period, Reference, Region


def _count(value: int | str) -> int | None:
    """A count, or None where it could not be assessed."""
    return None if value == NOT_ASSESSED else value


def _add(values) -> int:
    return sum(v for v in values if v is not None)


@dataclass(frozen=True)
class Row:
    """One region's row of the table; None is a figure that could not be assessed."""

    region: Region
    announcements: int | None
    protocols: int | None
    counts: dict[str, int | None]  # by category code: the month's categories, in order
    total: int | None


@dataclass(frozen=True)
class Observation:
    """Free text, placed after its category's paragraph when it has one."""

    category: str | None
    text: dict[str, str]


@dataclass(frozen=True)
class Evidence:
    """One entry of the evidence register: a violation, where and when it was seen."""

    region: Region
    category: Category
    url: str
    seen: dt.date
    project: str
    remark: dict[str, str] | None


@dataclass(frozen=True)
class Month:
    """Everything one issue of the report says, before it is put into words."""

    period: Period
    categories: tuple[Category, ...]  # in force in the period: the table's columns
    groups: tuple[Group, ...]         # the groups those categories belong to
    rows: tuple[Row, ...]
    observations: tuple[Observation, ...]
    closing: tuple[dict[str, str], ...]
    signatory: dict | None
    executor: dict | None
    evidence: tuple[Evidence, ...] | None = None  # None: the file keeps no register
    date: dt.date | None = None  # the document's date, when the file gives it

    @property
    def totals(self) -> Row:
        """The totals row: each column's sum over the regions."""
        return Row(
            region=None,
            announcements=_add(r.announcements for r in self.rows),
            protocols=_add(r.protocols for r in self.rows),
            counts={c.code: _add(r.counts[c.code] for r in self.rows)
                    for c in self.categories},
            total=_add(r.total for r in self.rows),
        )

    def group_columns(self, group: str) -> list[int]:
        """The positions of a group's categories among the month's columns."""
        return [i for i, category in enumerate(self.categories) if category.group == group]

    def group_codes(self, group: str) -> list[str]:
        """The codes of a group's categories among the month's columns."""
        return [c.code for c in self.categories if c.group == group]

    def group_total(self, group: str) -> int:
        """Violations of one group (by announcements or by protocols), all regions."""
        totals = self.totals.counts
        return sum(totals[code] for code in self.group_codes(group))

    def findings(self, category: Category) -> list[tuple[Region, int]]:
        """The regions with violations of a category and their counts, in row order."""
        return [(r.region, r.counts[category.code]) for r in self.rows
                if r.counts.get(category.code)]


def month_from(data: dict, reference: Reference) -> Month:
    """The typed month of a file that has passed validation."""
    period = Period.parse(data["period"])
    categories = reference.categories_in_force(period)
    rows = tuple(
        Row(region=region,
            announcements=_count(data["regions"][region.code]["announcements"]),
            protocols=_count(data["regions"][region.code]["protocols"]),
            counts={c.code: _count(data["regions"][region.code]["violations"][c.code])
                    for c in categories},
            total=_count(data["regions"][region.code]["total"]))
        for region in reference.regions_in_force(period))
    return Month(
        period=period,
        categories=categories,
        groups=reference.groups_in_force(period),
        rows=rows,
        observations=tuple(Observation(o.get("category"), {k: o[k] for k in ("ru", "kk")})
                           for o in data["observations"]),
        closing=tuple(data["closing"]),
        signatory=data.get("signatory"),
        executor=data.get("executor"),
        date=dt.date.fromisoformat(data["date"]) if "date" in data else None,
        evidence=None if "evidence" not in data else tuple(
            Evidence(reference.region(e["region"]), reference.category(e["category"]),
                     e["url"], dt.date.fromisoformat(e["seen"]), e["project"],
                     e.get("remark"))
            for e in data["evidence"]),
    )
