"""A month put into one language's words: month phrases, numbers, names and the narrative."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import babel

from ..files.cache import keep, read_cached
from ..month.facts.dated import MonthFacts
from ..month.model import Month, Row
from ..month.reference import Period, Reference, Region

# A region's name stays on one line in the documents: no-break spaces, and U+2011 for a
# hyphen that joins, which the build writes as Word's no-break hyphen (render._typeset).
NO_BREAK_SPACE = "\u00a0"
NO_BREAK_HYPHEN = "\u2011"


def unbroken(name: str) -> str:
    """A name as the documents print it, never split at a line's end: "Батыс Қазақстан
    обл.", "Нұр-Сұлтан қ."."""
    return name.replace(" ", NO_BREAK_SPACE).replace("-", NO_BREAK_HYPHEN)


def region_name(region: Region, period: Period, lang: str, form: str) -> str:
    """A region's name in a form ("table", "list", "locative") as the documents print it."""
    return unbroken(region.name(period).forms[lang][form])


# babel's answers to the questions the documents ask (a month's name, a figure, a date, the
# plural form of a count), kept per language in the cache folder with babel's version, as a
# prepared template is: loading its locale data for both languages took 14 ms of a month's
# build of 280. An answer not kept yet is babel's, and kept with the others when the month's
# documents are made (keep_answers); at most MAX_ANSWERS a language, then they start again.
# babel's dates and numbers are imported only when babel is asked (7 ms more).
MAX_ANSWERS = 10_000
_ANSWERS: dict[str, dict[str, str]] = {}
_NEW: set[str] = set()


def _key(lang: str) -> str:
    return f"babel {babel.__version__}\0{lang}"


def _asked(lang: str, question: str, answer: Callable[[], str]) -> str:
    if lang not in _ANSWERS:
        _ANSWERS[lang] = _answers(read_cached("babel", _key(lang)))
    answers = _ANSWERS[lang]
    if question not in answers:
        if len(answers) >= MAX_ANSWERS:
            answers.clear()
        answers[question] = answer()
        _NEW.add(lang)
    return answers[question]


def _answers(payload: bytes | None) -> dict[str, str]:
    try:
        answers = json.loads(payload) if payload is not None else {}
    except ValueError:
        return {}
    if not isinstance(answers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in answers.items()):
        return {}
    return answers


def keep_answers() -> None:
    """Keep the languages' answers in the cache folder, when babel gave new ones."""
    for lang in sorted(_NEW):
        keep("babel", _key(lang), json.dumps(_ANSWERS[lang], ensure_ascii=False).encode())
    _NEW.clear()


def localized_date(day: dt.date, pattern: str, lang: str) -> str:
    """babel's format_date, as kept."""
    def answer() -> str:
        from babel.dates import format_date
        return format_date(day, pattern, locale=lang)

    return _asked(lang, f"date {pattern} {day.isoformat()}", answer)


def _decimal(value: int, locale: str) -> str:
    """babel's format_decimal, as kept."""
    def answer() -> str:
        from babel.numbers import format_decimal
        return format_decimal(value, locale=locale)

    return _asked(locale, f"decimal {value}", answer)


def _plural_form(count: int, lang: str) -> str:
    """babel's plural form of a count ("one", "few", "many"), as kept."""
    return _asked(lang, f"plural {count}", lambda: babel.Locale.parse(lang).plural_form(count))


def month_name(month: Month, lang: str) -> str:
    """The month's name as the title phrase needs it: "август" (ru), "тамыз" (kk).

    Russian builds "за август 2020 года" on the standalone nominative (LLLL); CLDR's Kazakh
    has one form, which "2020 жылғы тамыз айындағы" uses as it is (attaching endings to
    "ай" avoids vowel harmony on the month's name).
    """
    pattern = "LLLL" if lang == "ru" else "MMMM"
    return localized_date(month.period.last_day, pattern, lang)


def number(value: int | None, words: dict) -> str:
    """A figure as the table prints it: grouped by the locale, a dash when not assessed."""
    if value is None:
        return words["dash"]
    return _decimal(value, words["locale"])


def sentence_for(forms: dict[str, str], findings: int, sites: int) -> str:
    """The sentence before the region list, by the number of findings and of websites."""
    if findings == 1:
        return forms["one"]
    return forms.get("many_sites", forms["many"]) if sites > 1 else forms["many"]


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _regions(month: Month, found, facts: MonthFacts, lang: str, words: dict) -> str:
    """"Акмолинская обл. (1), ВКО (2)"; a region whose own body is named comes last:
    "...; а также на сайте Управления зеленой экономики г. Алматы (3)"."""
    listed = ", ".join(f"{region_name(region, month.period, lang, 'list')} ({count})"
                       for region, count in found if region.code not in facts.bodies)
    bodies = ", ".join(f"{facts.bodies[region.code].value[lang]} ({count})"
                       for region, count in found if region.code in facts.bodies)
    if listed and bodies:
        return words["also"].format(regions=listed, bodies=bodies)
    return listed or bodies


def narrative(month: Month, facts: MonthFacts, lang: str, words: dict) -> list[str]:
    """A paragraph per category with findings, each followed by its observations, then the
    observations of no category (validation refuses one whose category has no findings)."""
    paragraphs = []
    for category in month.categories:
        found = month.findings(category)
        if not found:
            continue
        sentence = sentence_for(facts.sentence(category)[lang],
                                sum(count for _, count in found), len(found))
        clause = facts.clause(category)
        text = (f"{sentence}{f' ({clause[lang]})' if clause else ''}: "
                f"{_regions(month, found, facts, lang, words)}.")
        if category.consequence:
            text += f" {category.consequence[lang]}"
        paragraphs.append(text)
        paragraphs.extend(_sentence(o.text[lang]) for o in month.observations
                          if o.category == category.code)
    paragraphs.extend(_sentence(o.text[lang]) for o in month.observations if o.category is None)
    return paragraphs


def _cells(row: Row, words: dict) -> list[str]:
    return [number(row.announcements, words), number(row.protocols, words),
            *(number(n, words) for n in row.counts.values()), number(row.total, words)]


def table(month: Month, reference: Reference, lang: str, words: dict) -> dict:
    """The table's texts: headers from the reference data, rows in reference order."""
    labels = words["table"]
    phrase = {"month": month_name(month, lang), "year": month.period.year}
    titles = {group.code: group.title[lang] for group in reference.groups}  # any month's
    return {
        "labels": labels,
        # the placed columns are named like the groups: Объявления, Протоколы
        "placed": [titles["announcements"], titles["protocols"]],
        "groups": [(g.title[lang], len(month.group_codes(g.code))) for g in month.groups],
        "categories": [c.header[lang] for c in month.categories],
        "rows": [[str(i), region_name(row.region, month.period, lang, "table"),
                  *_cells(row, words)] for i, row in enumerate(month.rows, 1)],
        "totals": [labels["totals_row"].format(**phrase), *_cells(month.totals, words)],
    }


def counted(count: int, forms: dict, lang: str) -> str:
    """The noun after a number in the language's plural form: 1 нарушение, 5 нарушений."""
    return forms[_plural_form(count, lang)]


def comparison(month: Month, before: Month | None, lang: str, words: dict) -> str:
    """How the violations in total changed since the previous month, or "" without one; a
    month without violations says so in words."""
    if before is None:
        return ""
    after_n, before_n = month.totals.total, before.totals.total
    delta = after_n - before_n
    change = (words["more"] if delta > 0 else words["fewer"] if delta < 0 else words["same"])
    case = ("both" if before_n and after_n else "none_after" if before_n
            else "none_before" if after_n else "none")
    forms = words["words"]["violations"]
    phrases = words["comparison"]
    when = phrases["when"]["same_year" if before.period.year == month.period.year
                           else "other_year"].format(month=month_name(month, lang),
                                                     year=month.period.year)
    return phrases[case].format(
        before_month=month_name(before, lang), before_year=before.period.year,
        before=f"{number(before_n, words)} {counted(before_n, forms, lang)}",
        month=month_name(month, lang), year=month.period.year, when=when,
        after=f"{number(after_n, words)} {counted(after_n, forms, lang)}",
        change=change.format(delta=number(abs(delta), words)))


def appendix(month: Month, reference: Reference, lang: str, words: dict) -> dict | None:
    """The evidence register as the appendix lists it, or None without a register."""
    if not month.evidence:
        return None
    phrase = {"month": month_name(month, lang), "year": month.period.year}
    return {
        "title": words["appendix"]["title"].format(**phrase),
        "columns": words["appendix"]["columns"],
        # the name as typed: its narrow column may break it at a space or hyphen
        "rows": [[str(i), e.region.name(month.period).forms[lang]["list"],
                  e.category.name[lang], e.project, e.url,
                  localized_date(e.seen, "dd.MM.yyyy", lang),
                  e.remark[lang] if e.remark else ""]
                 for i, e in enumerate(month.evidence, 1)],
    }


# A chart compares regions: with findings in fewer than two, it would draw one bar (or none)
# beside empty rows, which the table and the narrative say better.
CHART_REGIONS = 2


def chart_shown(month: Month) -> bool:
    return sum(1 for row in month.rows if any(row.counts.values())) >= CHART_REGIONS


def chart_words(month: Month, reference: Reference, lang: str, words: dict,
                phrase: dict) -> dict:
    """The chart's caption, and the note saying, group by group, which regions are drawn
    without a bar because that group was not assessed there, and which with a bar of the
    categories assessed only."""
    chart = words["chart"]
    sentences = []
    for group in month.groups:
        columns = month.group_codes(group.code)
        missing = [(row, sum(row.counts[c] is None for c in columns)) for row in month.rows]
        for key, regions in (
                ("note", [row for row, n in missing if n == len(columns)]),
                ("partly", [row for row, n in missing if 0 < n < len(columns)])):
            names = [region_name(row.region, month.period, lang, "table") for row in regions]
            if names:
                sentences.append(_sentence(chart[key].format(group=group.title[lang],
                                                             regions=", ".join(names))))
    return {"shown": chart_shown(month),
            "caption": chart["caption"].format(**phrase),
            "note": f"{chart['marker']} {' '.join(sentences)}" if sentences else ""}


def document_context(month: Month, reference: Reference, facts: MonthFacts, settings: dict,
                     lang: str, before: Month | None = None) -> dict:
    """Everything the language's template needs, as text; a fact the reference data does not
    know for the month is left out (validation has said so)."""
    words = settings["languages"][lang]
    phrase = {"month": month_name(month, lang), "year": month.period.year}
    totals = month.totals
    forms = words["words"]
    groups = [(g, month.group_total(g.code)) for g in month.groups]
    return {
        "title": words["title"].format(**phrase),
        "period": {"month": phrase["month"], "year": phrase["year"]},
        "ministry": facts.text(facts.ministry, lang),
        "rules": facts.rules and facts.rules.citation[lang],
        "departments": facts.text(facts.departments, lang),
        "summary": {
            "announcements": number(totals.announcements, words),
            "announcements_word": counted(totals.announcements, forms["announcements"], lang),
            "protocols": number(totals.protocols, words),
            "protocols_word": counted(totals.protocols, forms["protocols"], lang),
            "violations": number(totals.total, words),
            "any": totals.total > 0,
            "single": totals.total == 1 and words["single"].format(
                by=next(g.by[lang] for g, count in groups if count)),
            "groups": [{"count": number(count, words), "found": count > 0, "by": g.by[lang]}
                       for g, count in groups],
        },
        "comparison": comparison(month, before, lang, words),
        # the key of "–" under the table, where the table shows one
        "table_note": words["dash_note"] if any(
            None in (row.announcements, row.protocols, *row.counts.values())
            for row in month.rows)
        else "",
        "chart": chart_words(month, reference, lang, words, phrase),
        "appendix": appendix(month, reference, lang, words),
        "narrative": narrative(month, facts, lang, words),
        "closing": [_sentence(paragraph[lang]) for paragraph in month.closing],
        "signatory": month.signatory and {key: month.signatory[key][lang]
                                           for key in ("position", "name")},
        "date": month.date and localized_date(month.date, "dd.MM.yyyy", lang),
        "executor": month.executor and words["executor"].format(
            name=month.executor["name"][lang], phone=month.executor["phone"]),
    }
