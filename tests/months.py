"""Valid monthly files made to order: any period, any findings, rows and summary that add up."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from hearings.month.load import load
from hearings.month.reference import Period, reference

from .conftest import ROOT

PEOPLE = {key: value for key, value in load(ROOT / "tests" / "signed" / "2020-08.yaml").data.items()
          if key in ("signatory", "executor")}
CLOSING = [{"ru": "Работа в данном направлении продолжается.",
            "kk": "Бұл бағыттағы жұмыстар жалғасуда."}]
NA = "n/a"


def month_data(period: str, findings: dict[tuple[str, str], int] | None = None, *,
               placed: tuple[int, int] | dict[str, tuple[int, int]] = (10, 8),
               not_assessed: tuple[str, ...] = (), observations: list | None = None,
               ref=None) -> dict:
    """A month with every region in force at `placed` announcements and protocols (or as
    given per region, others at 0), the findings given as {(region, category): count}, the
    regions in `not_assessed` as n/a (their findings assessed), and the summary and totals
    that follow from them; the categories those in force in the period (of `ref`, a folder's
    own, or the package's)."""
    ref = ref or reference()
    categories = ref.categories_in_force(Period.parse(period))
    findings = findings or {}
    regions = {}
    for region in ref.regions_in_force(Period.parse(period)):
        dash = region.code in not_assessed
        violations = {c.code: findings.get((region.code, c.code), NA if dash else 0)
                      for c in categories}
        counts = [v for v in violations.values() if v != NA]
        own = placed.get(region.code, (0, 0)) if isinstance(placed, dict) else placed
        regions[region.code] = {
            "announcements": NA if dash else own[0], "protocols": NA if dash else own[1],
            "violations": violations, "total": sum(counts) if counts else NA}
    unknown = set(findings) - {(r, c) for r, row in regions.items() for c in row["violations"]}
    assert not unknown, f"not a region in force or a category: {unknown}"
    rows = regions.values()
    groups = {g.code: sum(row["violations"][c.code] for row in rows for c in categories
                          if c.group == g.code and row["violations"][c.code] != NA)
              for g in ref.groups_in_force(Period.parse(period))}
    return {
        "period": period,
        "summary": {
            "announcements": sum(r["announcements"] for r in rows if r["announcements"] != NA),
            "protocols": sum(r["protocols"] for r in rows if r["protocols"] != NA),
            "violations": sum(groups.values()), "violations_by_group": groups},
        "regions": regions,
        "observations": observations or [],
        # copies: a test that changes its month's signatory changes no other test's
        "closing": copy.deepcopy(CLOSING),
        **copy.deepcopy(PEOPLE),
    }


def write_month(folder: Path, data: dict) -> Path:
    """data/<period>.yaml in folder, as an analyst's file would read."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{data['period']}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100),
                    encoding="utf-8")
    return path
