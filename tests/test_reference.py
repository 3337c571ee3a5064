"""The reference data: complete in both languages, consistent over time, in the source's order."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from hearings.reference import LANGUAGES, Period, reference

REF = reference()
FORMS = ("official", "table", "list", "locative", "genitive")
CYRILLIC_TEXT = re.compile(r"^[\u0400-\u04FF0-9 .,«»()\-]+$")


@pytest.mark.parametrize("region", REF.regions, ids=[r.code for r in REF.regions])
def test_every_region_has_every_form_in_both_languages(region) -> None:
    assert re.fullmatch(r"[0-9]{9}", region.kato)
    for name in region.names:
        for lang in LANGUAGES:
            assert set(name.forms[lang]) == set(FORMS)
            for form in FORMS:
                assert CYRILLIC_TEXT.match(name.forms[lang][form]), (lang, form)
    for lang in LANGUAGES:
        assert CYRILLIC_TEXT.match(region.department[lang])


@pytest.mark.parametrize("region", REF.regions, ids=[r.code for r in REF.regions])
def test_names_follow_each_other_without_gaps(region) -> None:
    names = region.names
    assert names[0].validity.valid_from is None and names[-1].validity.valid_until is None
    for before, after in itertools.pairwise(names):
        assert after.validity.valid_from == before.validity.valid_until + dt.timedelta(days=1)


def test_codes_are_unique() -> None:
    assert len({r.code for r in REF.regions}) == len(REF.regions)
    assert len({r.kato for r in REF.regions}) == len(REF.regions)
    assert len({c.code for c in REF.categories}) == len(REF.categories)


@pytest.mark.parametrize("category", REF.categories, ids=[c.code for c in REF.categories])
def test_every_category_speaks_both_languages(category) -> None:
    assert category.group in {g.code for g in REF.groups}
    assert category.bounded_by in (None, "announcements", "protocols", "site")
    for part in (category.header, category.narrative, category.clause or {}):
        assert set(part) <= set(LANGUAGES)
        assert all(CYRILLIC_TEXT.match(part[lang]) for lang in part)
    assert set(category.header) == set(category.narrative) == set(LANGUAGES)


def test_the_grouping_is_the_one_the_august_summary_implies() -> None:
    groups = {c.code: c.group for c in REF.categories}
    assert [c for c, g in groups.items() if g == "announcements"] == [
        "less-than-20-days", "posted-after-survey-start", "survey-period-missing",
        "backdated", "rubric-mismatch"]


def _table(period: str, lang: str = "ru") -> list[str]:
    p = Period.parse(period)
    return [r.name(p).forms[lang]["table"] for r in REF.regions_in_force(p)]


def test_august_2020_rows_are_the_source_rows_in_the_source_order() -> None:
    assert _table("2020-08") == [
        "г. Нур-Султан", "г. Алматы", "Акмолинская", "Актюбинская", "Алматинская",
        "Атырауская", "ВКО", "ЗКО", "Жамбылская", "Карагандинская", "Костанайская",
        "Кызылординская", "Мангистауская", "Павлодарская", "СКО", "Туркестанская",
        "г. Шымкент"]
    assert _table("2020-08", "kk")[0] == "Нұр-Сұлтан қ."


@pytest.mark.parametrize(("period", "count", "capital"), [
    ("2018-05", 16, "г. Астана"),      # before Turkestan oblast and the city of Shymkent
    ("2018-06", 17, "г. Астана"),      # in force on the month's last day
    ("2019-03", 17, "г. Нур-Султан"),
    ("2022-05", 17, "г. Нур-Султан"),
    ("2022-06", 20, "г. Нур-Султан"),  # Abai, Zhetisu, Ulytau from 8 June 2022
    ("2022-07", 20, "г. Нур-Султан"),
    ("2022-09", 20, "г. Астана"),      # renamed back, in force 19 September 2022
    ("2022-10", 20, "г. Астана"),
])
def test_the_period_decides_the_regions_and_their_names(period, count, capital) -> None:
    table = _table(period)
    assert len(table) == count
    assert table[0] == capital


@pytest.mark.parametrize("text", ["2020-13", "2020-8", "20-08", "2020-00", "x"])
def test_a_period_is_a_real_month(text: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(text)
