"""The reference data: complete in both languages, consistent over time, in the source's order."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from hearings.month.facts.dated import DEPARTMENTS, MINISTRY, facts, in_force
from hearings.month.reference import LANGUAGES, Period, read_reference, reference

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
        # English names, for English messages: the official name and the table's
        assert set(name.forms["en"]) == {"official", "table"}
        assert all(text.isascii() for text in name.forms["en"].values())


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
    texts = [{lang: category.header[lang] for lang in LANGUAGES}, category.name,
             category.consequence or {}]
    texts += [{lang: forms[form]} for lang, forms in category.sentence.items() for form in forms]
    for part in texts:
        assert set(part) <= set(LANGUAGES)
        assert all(CYRILLIC_TEXT.match(part[lang].rstrip(".")) for lang in part), part
    assert set(category.name) == set(category.sentence) == set(LANGUAGES)
    assert set(category.header) == {*LANGUAGES, "en"} and category.header["en"].isascii()
    for lang in LANGUAGES:
        assert set(category.sentence[lang]) in ({"one", "many"}, {"one", "many", "many_sites"})


def _dated(entries):
    """Every mapping in reference data that carries a date."""
    stack = [entries]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "valid_from" in value or "valid_until" in value:
                yield value
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


@pytest.mark.parametrize("name", ["regions.yaml", "facts.yaml"])
def test_every_date_names_its_source(name) -> None:
    dated = list(_dated(read_reference(name)))
    assert dated
    for entry in dated:
        assert entry.get("source") or entry.get("unknown"), entry


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


# --- facts that change with time: one lookup by the month's last day, never the nearest row

MEGNR = "Министерство экологии, геологии и природных ресурсов Республики Казахстан"
MENR = "Министерство экологии и природных ресурсов Республики Казахстан"


@pytest.mark.parametrize(("period", "ministry", "rules", "departments"), [
    ("2019-02", None, "order-135-p", False),      # before the ministry the data knows
    ("2019-06", MEGNR, "order-135-p", False),     # formed 17 June 2019
    ("2020-08", MEGNR, "order-135-p", True),
    ("2021-07", MEGNR, "order-135-p", False),
    ("2021-08", MEGNR, "order-286", False),       # in force from 17 August 2021 at the earliest
    ("2022-12", MEGNR, "order-286", False),
    ("2023-01", MENR, "order-286", False),        # renamed 3 January 2023, in force on signing
    ("2024-02", MENR, "order-286", False),
    ("2024-03", MENR, "order-286-2024", False),   # restated, in force 23 March 2024
    ("2026-11", MENR, "order-286-2024", False),
])
def test_each_month_gets_the_facts_of_its_last_day(period, ministry, rules, departments) -> None:
    month = facts().for_month(Period.parse(period))
    assert month.text(month.ministry, "ru") == ministry
    assert month.rules.code == rules
    assert (month.departments is not None) == departments
    assert {gap.fact for gap in month.gaps} == (
        ({MINISTRY} if ministry is None else set()) | (set() if departments else {DEPARTMENTS}))


def test_the_ministry_changes_on_the_days_its_sources_give() -> None:
    rows = facts().ministry
    assert in_force(rows, dt.date(2019, 6, 16)).value is None  # explicitly unknown before
    assert in_force(rows, dt.date(2019, 6, 17)).value["ru"] == MEGNR
    assert in_force(rows, dt.date(2023, 1, 2)).value["ru"] == MEGNR
    assert in_force(rows, dt.date(2023, 1, 3)).value["ru"] == MENR
    assert "3 января 2023 года" in in_force(rows, dt.date(2023, 1, 3)).source


def test_clauses_are_known_under_the_2007_rules_only() -> None:
    categories = REF.categories_in_force(Period.parse("2020-08"))
    old = facts().for_month(Period.parse("2020-08"))
    assert old.clause(categories[0]) == {"ru": "нарушение п. 12 Правил",
                                         "kk": "Қағидалардың 12-тармағын бұзу"}
    assert old.clause(categories[1]) is None and not old.clause_gaps(categories)
    new = facts().for_month(Period.parse("2021-09"))
    assert all(new.clause(category) is None for category in categories)
    [gap] = new.clause_gaps(categories)
    assert gap.left_out and gap.categories == categories and gap.edition.title == "№ 286"


def test_a_region_s_own_body_applies_only_while_it_is_known() -> None:
    assert set(facts().for_month(Period.parse("2020-08")).bodies) == {"almaty-city"}
    assert facts().for_month(Period.parse("2021-08")).bodies == {}


def test_every_packaged_fact_row_names_its_source() -> None:
    package = facts()
    rows = [*package.ministry, *package.rules,
            *(row for rows in package.departments.values() for row in rows),
            *(row for clauses in package.clauses.values() for row in clauses.values())]
    assert rows and all(row.source and row.source.strip() for row in rows)
