"""The report's paragraphs read: the summary lines before its table, the lists of regions of
its narrative and its free paragraphs after it, its signature block."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from ..month.reference import Period, reference
from .word import Paragraph
from .words import (
    archive_words,
    find_region,
    mixed_words,
    norm,
    period_of_title,
    phrase_pattern,
    plain,
)

if TYPE_CHECKING:
    from .report import Report

_ITEM = re.compile(r"(?P<name>[^,;:()]+?)\s*\(\s*(?P<n>\d+)\s*\)")
_EXECUTOR = re.compile(r"^\s*(?P<word>[^\W\d_]+)\s*\.?\s*:\s*(?P<name>.+?),\s*тел\.?\s*"
                       r"(?P<phone>.+?)\s*$")
NONE_AFTER = 1 << 30
OWN_STYLES = ("Report Title", "Summary Item", "Summary Total", "Summary Total One")


def read_summary(report: Report, paragraphs: list[Paragraph]) -> None:
    by = {group: [norm(t) for t in texts]
          for group, texts in archive_words()["summary"]["by"].items()}
    for group in reference().groups:
        by[group.code].append(norm(group.by[report.lang]))
    lists = {name: _patterns_of(report.lang, name)
             for name in ("announcements", "protocols", "violations")}
    for paragraph in paragraphs:
        text = norm(paragraph.text)
        if not text:
            continue
        found_group = None
        for group, phrases in by.items():
            for phrase in phrases:
                if match := re.search(r"(?<!\d)(\d{1,3}(?: \d{3})+|\d+) " + re.escape(phrase),
                                      text):
                    found_group = group
                    _state(report, ("summary", "violations_by_group", group),
                           int(match.group(1).replace(" ", "")), paragraph)
                    break
            if found_group:
                break
        if found_group:
            continue
        if _says(text, report.lang, "none"):
            named = [g.code for g in reference().groups if any(p in text for p in by[g.code])]
            if not named:  # "Нарушений не выявлено.": none at all
                _state(report, ("summary", "violations"), 0, paragraph)
            for group in named or [g.code for g in reference().groups]:
                _state(report, ("summary", "violations_by_group", group), 0, paragraph)
            continue
        if _says(text, report.lang, "single"):
            _state(report, ("summary", "violations"), 1, paragraph)
            for group in reference().groups:
                hit = any(p in text for p in by[group.code])
                _state(report, ("summary", "violations_by_group", group.code), int(hit),
                       paragraph)
            continue
        for name, patterns in lists.items():
            for pattern in patterns:
                if match := pattern.search(text):
                    _state(report, ("summary", name), int(match.group("n").replace(" ", "")),
                           paragraph)
                    break


def _says(text: str, lang: str, what: str) -> bool:
    """Whether a normalized summary line says "none found" or "a single one found"."""
    return any(norm(phrase) in text for phrase in archive_words()["summary"][lang][what])


def _patterns_of(lang: str, name: str) -> tuple[re.Pattern, ...]:
    return tuple(phrase_pattern(t) for t in archive_words()["summary"][lang][name])


def _state(report: Report, path: tuple, value: int, paragraph: Paragraph) -> None:
    if path not in report.summary:
        report.summary[path] = value
        report.summary_at[path] = paragraph.number


@cache
def _category_phrases(lang: str) -> list[tuple[str, str]]:
    """(phrase, code), the report's own sentences first, then what hands typed."""
    phrases = []
    for category in reference().categories:
        for text in category.sentence[lang].values():
            phrases.append((norm(text), category.code))
    for category in reference().categories:
        for text in archive_words()["narrative"].get(category.code, {}).get(lang, []):
            phrases.append((norm(text), category.code))
    return phrases


def _category_in(text: str, lang: str) -> str | None:
    normalized = norm(text)
    best, end = None, -1
    for phrase, code in _category_phrases(lang):
        at = normalized.rfind(phrase)
        if at >= 0 and at + len(phrase) > end:
            best, end = code, at + len(phrase)
    return best


def narrative_items(text: str, period: Period, lang: str
                    ) -> list[tuple[str | None, str | None, int, str]] | None:
    """The lists of a paragraph of the narrative: (category, region, count, as written)
    each; None when the paragraph lists no region with a count."""
    items, start, category = [], 0, None
    for match in _ITEM.finditer(text):
        region = find_region(match.group("name"), period)
        if region is None:
            continue
        segment = text[start:match.start()]
        category = _category_in(segment, lang) or category
        items.append((category, region, int(match.group("n")), plain(match.group(0))))
        start = match.end()
    return items or None


def read_paragraphs(report: Report) -> None:
    paragraphs = report.word.paragraphs
    table_at = report.table.after if report.table else len(paragraphs)
    title = next((p.number for p in paragraphs if period_of_title(p.text)), 1)
    read_summary(report, [p for p in paragraphs[title:table_at]])
    report.before = [p for p in paragraphs[:table_at] if plain(p.text)]
    own_styles = any(p.style in OWN_STYLES for p in paragraphs)
    after = [p for p in paragraphs[table_at:] if plain(p.text)]
    prefixes = tuple(archive_words()["own"][report.lang])
    executor_words = {norm(w) for w in archive_words()["executor"][report.lang]}
    category = None
    for paragraph in after:
        text = plain(paragraph.text)
        for word, latin in mixed_words(text):
            report.note("mixed-script", report.place(paragraph=paragraph.number),
                        params={"word": word, "latin": latin})
        executor = _EXECUTOR.match(text)
        if executor and norm(executor.group("word")) in executor_words:
            report.executor = {"name": executor.group("name"), "phone": executor.group("phone")}
            continue
        if text.startswith(prefixes) or paragraph.style == "Executor":
            report.own.append(paragraph)
            continue
        items = narrative_items(text, report.period, report.lang)
        if items and all(item[0] for item in items):
            report.narrative.append(paragraph)
            for item_category, region, count, _written in items:
                report.listed.append((paragraph, item_category, region, count))
            category = items[-1][0]
            continue
        if items:
            report.note("narrative-category-unknown", report.place(paragraph=paragraph.number),
                        found=items[0][3])
        closing = paragraph.style == "Closing"
        report.texts.append((paragraph, category if own_styles and not closing else None,
                             closing))
    if own_styles:  # observations after the last list stand after all of them
        report.texts = [(p, c if _next_list(report, p.number) < NONE_AFTER else None, closing)
                        for p, c, closing in report.texts]
    _signature(report)


def _next_list(report: Report, number: int) -> int:
    """The number of the next list paragraph after `number` (a very large one if none)."""
    return next((p.number for p in report.narrative if p.number > number), NONE_AFTER)


def _signature(report: Report) -> None:
    """The signature block this tool's templates print: a table of one row, the position
    in its first cell and the name (and the date) in its last."""
    if report.table is None:
        return
    for table in report.word.tables:
        if table.number <= report.table.number or len(table.rows) != 1:
            continue
        cells = [c for c in table.rows[0] if not c.continued]
        if len(cells) != 2:
            continue
        position, name = plain(cells[0].text), cells[1].text.split("\n")
        if position and plain(name[0]):
            report.signatory = {"position": position, "name": plain(name[0])}
            dated = [plain(n) for n in name[1:] if re.fullmatch(r"\d\d\.\d\d\.\d{4}", plain(n))]
            report.date = dated[0] if dated else None
            return
    for table in report.word.tables:
        if table.number > report.table.number and len(table.rows) > 1:
            report.note("appendix-not-imported", report.place(table=table.number),
                        params={"rows": len(table.rows)})

