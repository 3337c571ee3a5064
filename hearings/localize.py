"""A month put into one language's words: month phrases, numbers, names and the narrative."""

from __future__ import annotations

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from .model import Month, Row
from .reference import Reference, validity


def month_name(month: Month, lang: str) -> str:
    """The month's name as the title phrase needs it: "август" (ru), "тамыз" (kk).

    Russian builds "за август 2020 года" on the standalone nominative (LLLL); CLDR's Kazakh
    has one form, which "2020 жылғы тамыз айындағы" uses as it is (attaching endings to
    "ай" avoids vowel harmony on the month's name).
    """
    pattern = "LLLL" if lang == "ru" else "MMMM"
    return format_date(month.period.last_day, pattern, locale=lang)


def number(value: int | None, words: dict) -> str:
    """A figure as the table prints it: grouped by the locale, a dash when not assessed."""
    if value is None:
        return words["dash"]
    return format_decimal(value, locale=words["locale"])


def rules(settings: dict, month: Month, lang: str) -> str:
    """The Rules in force on the month's last day, as the introduction cites them."""
    day = month.period.last_day
    for entry in settings["rules"]:
        if validity(entry).covers(day):
            return entry[lang]
    raise LookupError(f"no Rules in reference/document.yaml apply on {day}")


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def narrative(month: Month, lang: str) -> list[str]:
    """A paragraph per category with findings, each followed by its observations."""
    paragraphs = []
    placed = set()
    for category in month.categories:
        found = month.findings(category)
        if not found:
            continue
        regions = ", ".join(f"{region.name(month.period).forms[lang]['list']} ({count})"
                            for region, count in found)
        clause = f" ({category.clause[lang]})" if category.clause else ""
        paragraphs.append(f"{category.narrative[lang]}{clause}: {regions}.")
        for observation in month.observations:
            if observation.category == category.code:
                paragraphs.append(_sentence(observation.text[lang]))
                placed.add(id(observation))
    # general observations, and any whose category had no findings this month
    paragraphs.extend(_sentence(o.text[lang]) for o in month.observations
                      if id(o) not in placed)
    return paragraphs


def _cells(row: Row, words: dict) -> list[str]:
    return [number(row.announcements, words), number(row.protocols, words),
            *(number(n, words) for n in row.counts), number(row.total, words)]


def table(month: Month, reference: Reference, lang: str, words: dict) -> dict:
    """The table's texts: headers from the reference data, rows in reference order."""
    labels = words["table"]
    phrase = {"month": month_name(month, lang), "year": month.period.year}
    titles = {group.code: group.title[lang] for group in reference.groups}
    return {
        "labels": labels,
        # the placed columns are named like the groups: Объявления, Протоколы
        "placed": [titles["announcements"], titles["protocols"]],
        "groups": [(g.title[lang], sum(1 for c in month.categories if c.group == g.code))
                   for g in reference.groups],
        "categories": [c.header[lang] for c in month.categories],
        "rows": [[str(i), row.region.name(month.period).forms[lang]["table"],
                  *_cells(row, words)] for i, row in enumerate(month.rows, 1)],
        "totals": [labels["totals_row"].format(**phrase), *_cells(month.totals, words)],
    }


def counted(count: int, forms: dict, lang: str) -> str:
    """The noun after a number in the language's plural form: 1 нарушение, 5 нарушений."""
    return forms[Locale.parse(lang).plural_form(count)]


def comparison(month: Month, before: Month | None, lang: str, words: dict) -> str:
    """How the violations in total changed since the previous month, or "" without one."""
    if before is None:
        return ""
    after_n, before_n = month.totals.total, before.totals.total
    delta = after_n - before_n
    change = (words["more"] if delta > 0 else words["fewer"] if delta < 0 else words["same"])
    return words["comparison"].format(
        before_month=month_name(before, lang), before_year=before.period.year,
        before=number(before_n, words), before_word=counted(before_n, words["violations"], lang),
        month=month_name(month, lang), year=month.period.year,
        after=number(after_n, words), after_word=counted(after_n, words["violations"], lang),
        change=change.format(delta=number(abs(delta), words)))


def appendix(month: Month, reference: Reference, lang: str, words: dict) -> dict | None:
    """The evidence register as the appendix lists it, or None without a register."""
    if not month.evidence:
        return None
    phrase = {"month": month_name(month, lang), "year": month.period.year}
    groups = {group.code: group.title[lang] for group in reference.groups}
    return {
        "title": words["appendix"]["title"].format(**phrase),
        "columns": words["appendix"]["columns"],
        # "Протоколы: Отсутствует": a header is named with its group outside the table
        "rows": [[str(i), e.region.name(month.period).forms[lang]["list"],
                  f"{groups[e.category.group]}: {e.category.header[lang]}", e.project, e.url,
                  format_date(e.seen, "dd.MM.yyyy", locale=lang),
                  e.remark[lang] if e.remark else ""]
                 for i, e in enumerate(month.evidence, 1)],
    }


def document_context(month: Month, reference: Reference, settings: dict, lang: str,
                     before: Month | None = None) -> dict:
    """Everything the language's template needs, as text."""
    words = settings["languages"][lang]
    phrase = {"month": month_name(month, lang), "year": month.period.year}
    totals = month.totals
    return {
        "title": words["title"].format(**phrase),
        "period": {"month": phrase["month"], "year": phrase["year"]},
        "rules": rules(settings, month, lang),
        "summary": {
            "announcements": number(totals.announcements, words),
            "protocols": number(totals.protocols, words),
            "violations": number(totals.total, words),
            "groups": [{"count": number(month.group_total(g.code), words), "by": g.by[lang]}
                       for g in reference.groups],
        },
        "comparison": comparison(month, before, lang, words),
        "appendix": appendix(month, reference, lang, words),
        "narrative": narrative(month, lang),
        "closing": [_sentence(paragraph[lang]) for paragraph in month.closing],
        "signatory": month.signatory and {key: month.signatory[key][lang]
                                           for key in ("position", "name")},
        "executor": month.executor and words["executor"].format(
            name=month.executor["name"][lang], phone=month.executor["phone"]),
    }
