"""Every table fits the text width whatever the margins, the fonts and the number of
categories or months: its columns follow from the page (documents/geometry.py), and a table
that cannot fit is refused with its name, never printed past the margin."""

from __future__ import annotations

import copy
import itertools
import re

import pytest

from hearings.documents.geometry import TABLES, column_widths, table_width, text_width
from hearings.documents.tables import appendix_table, categories_table, monthly_table, year_table
from hearings.exceptions import RenderError
from hearings.month.reference import Period, document_settings, reference

TWIPS_PER_MM = 1440 / 25.4
# The margins a folder may reasonably set (left 15 to 35 mm, right 10 to 25 mm) and the
# categories and months a table may have: every combination is tried.
MARGINS = list(itertools.product((15, 20, 25, 30, 35), (10, 15, 20, 25)))
CATEGORIES = range(1, 25)
MONTHS = (1, 3, 12)


def _settings(left: float, right: float, font: float = 9) -> dict:
    settings = copy.deepcopy(document_settings())
    settings["page"]["margin_mm"].update(left=left, right=right)
    for table in TABLES:
        settings["tables"][table]["font_pt"] = font
    return settings


def _grid_mm(xml: str) -> list[float]:
    return [int(w) / TWIPS_PER_MM for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', xml)]


def _monthly(categories: int) -> dict:
    figures = ["1", "1", *["0"] * categories, "0"]
    return {"labels": {"number": "№", "region": "Регион", "placed": "Размещено",
                       "violations": "Нарушения", "total": "Всего"},
            "categories": [f"Категория {n}" for n in range(categories)],
            "placed": ["Объявления", "Протоколы"],
            "groups": [("Все", categories)],
            "rows": [["1", "обл. Абай", *figures]], "totals": ["Итого", *figures]}


def _year(months: int) -> dict:
    figures = [*["0"] * months, "0"]
    return {"labels": {"number": "№", "region": "Регион", "total": "Всего"},
            "months": [f"М{n}" for n in range(months)],
            "rows": [["1", "обл. Абай", *figures]], "totals": ["Итого", *figures]}


def _fits(settings: dict, build) -> bool:
    """Whether the table was made inside the text width, its shared columns at least as wide
    as its minimum; False when it was refused, naming itself."""
    try:
        xml = build()
    except RenderError as err:
        assert "table does not fit the text width" in str(err)
        return False
    widths = _grid_mm(xml)
    assert sum(widths) <= text_width(settings) + 0.01
    assert abs(sum(widths) - table_width(settings)) < 0.1
    return True


@pytest.mark.parametrize(("left", "right"), MARGINS)
def test_the_months_table_fits_for_each_count_of_categories(left, right) -> None:
    settings = _settings(left, right)
    least = settings["tables"]["monthly"]["min_mm"]
    for count in CATEGORIES:
        fits = _fits(settings, lambda count=count: monthly_table(_monthly(count), settings))
        fixed = sum(c["mm"] for c in settings["tables"]["monthly"]["columns"].values()
                    if "mm" in c)
        placed = settings["tables"]["monthly"]["columns"]["placed"]["min_mm"]
        left = table_width(settings) - fixed
        if left / (2 + count) < placed:  # the placed columns keep their own minimum
            left -= 2 * placed
        else:
            left *= count / (2 + count)
        # refused exactly when a category's column would be narrower than its minimum
        assert fits == (left / count >= least), count


@pytest.mark.parametrize(("left", "right"), MARGINS)
def test_the_year_categories_and_appendix_tables_fit(left, right) -> None:
    settings = _settings(left, right)
    for months in MONTHS:
        assert _fits(settings, lambda months=months: year_table(_year(months), settings))
    spec = {"groups": [("Все", "3", [("Категория", "3")])], "total": ("Итого", "3")}
    assert _fits(settings, lambda: categories_table(spec, settings))
    entry = ["1", "обл. Абай", "Категория", "Проект", "https://example.kz/page", "01.08.2020",
             None]
    assert _fits(settings, lambda: appendix_table(
        {"columns": ["№", "Регион", "Категория", "Проект", "Страница", "Дата"],
         "rows": [entry]}, settings))


def test_the_package_s_settings_give_the_widths_the_reports_were_drawn_with() -> None:
    """170 mm of text, 3 mm inset: the month's table of each category keeps its 12 mm columns
    with as many categories as the reference data has today."""
    settings = document_settings()
    assert text_width(settings) == 170
    categories = len(reference().categories_in_force(Period.parse("2020-08")))
    widths = column_widths(settings, "monthly", {"placed": 2, "category": categories})
    assert widths[:2] == [8, 28] and widths[-1] == 11
    assert all(abs(w - 120 / (2 + categories)) < 1e-9 for w in widths[2:-1])
    assert sum(column_widths(settings, "year", {"month": 12})) == pytest.approx(167)


def test_a_table_too_wide_for_its_page_is_refused_with_its_name() -> None:
    settings = _settings(35, 25)
    with pytest.raises(RenderError, match="the monthly table does not fit the text width of "
                                          "150 mm"):
        monthly_table(_monthly(40), settings)
