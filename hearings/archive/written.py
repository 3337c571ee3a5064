"""The monthly file's text from a month's two Word reports read: its figures from the source
language's table, the free paragraphs of both paired in order, the rest of their text kept as
comments, the signatory and the executor."""

from __future__ import annotations

import re
import textwrap

import yaml

from ..month.reference import LANGUAGES, reference
from .notes import Note, lang_name
from .report import Report
from .table import table_sums
from .words import find_region, plain


def figures(reports: dict[str, Report], source: str) -> dict:
    """The monthly file's summary and rows, from the source language's table as typed; a
    column it lacks from the other language's, a summary line it lacks from its table."""
    mine = reports[source]
    other = reports[next(lang for lang in LANGUAGES if lang != source)]
    regions = {}
    for code, row in mine.rows.items():
        comments = [escaped(f"row {mine.row_of[code]} of {mine.word.file}")]
        counts = dict(row["violations"])
        for category in reference().categories:
            if category.code in counts:
                continue
            theirs = other.rows.get(code, {}).get("violations", {}).get(category.code)
            if theirs is not None:
                counts[category.code] = theirs
                comments.append(escaped(f"{category.code}: from {other.word.file}, which "
                                         "has that column"))
        entry = {"violations": {c.code: counts[c.code] for c in reference().categories
                                if c.code in counts}, "comments": comments}
        for key in ("announcements", "protocols"):
            if key in row:
                entry[key] = row[key]
        if "total" in row:
            entry["total"] = row["total"]
        else:
            entry["total"] = sum(v for v in counts.values() if isinstance(v, int))
            comments.append("total: the table has no total column; the sum of the row")
        regions[code] = entry
    summary: dict = {"violations_by_group": {}}
    sums = table_sums(mine)
    for path, expected in sums.items():
        value = mine.summary.get(path)
        if value is None:
            value = expected
            mine.note("summary-missing", mine.place(), expected=expected,
                      params={"figure": ".".join(path[1:])})
        if len(path) == 3:
            summary["violations_by_group"][path[2]] = value
        else:
            summary[path[1]] = value
    return {"summary": summary, "regions": regions}


# What YAML cannot hold as it stands, and what would end a comment's line: written escaped
_NOT_PRINTABLE = re.compile(
    "[^\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029\ufeff]")


def escaped(text: str) -> str:
    """A text from a Word file (its name, a paragraph) as one line that YAML reads as it is
    written: a line break or a control character as its escape (\\u2028), never raw."""
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def comment(text: str, width: int = 94, hyphens: bool = True) -> list[str]:
    """A comment's lines for a text from a Word file, each one line of YAML."""
    return textwrap.wrap(escaped(text), width, break_on_hyphens=hyphens) or [""]


def _wrap(text: str, indent: int) -> str:
    lines = textwrap.wrap(text, 96 - indent, break_long_words=False, break_on_hyphens=False)
    return "\n".join(" " * indent + line for line in lines) if lines else ""


def _block(key: str, text: str, indent: int, first: bool) -> str:
    lead = " " * (indent - 2) + "- " if first else " " * indent
    if not text:
        return f'{lead}{key}: ""\n'
    if _NOT_PRINTABLE.search(text):  # a folded block cannot escape: a quoted scalar can
        quoted = yaml.safe_dump(text, allow_unicode=True, width=float("inf"), default_style='"')
        return f"{lead}{key}: {quoted.rstrip()}\n"
    return f"{lead}{key}: >-\n{_wrap(text, indent + 2)}\n"


def texts(reports: dict[str, Report], source: str) -> tuple[str, list[Note]]:
    """The observations and closing as YAML: the free paragraphs of both files, paired in
    order, each with where it came from and a word to review it."""
    notes = []
    parts = {}
    for kind in ("observations", "closing"):
        lists = {lang: [(p, c) for p, c, closing in _split(reports[lang])[kind]]
                 for lang in LANGUAGES}
        if len(lists["ru"]) != len(lists["kk"]):
            longer, shorter = sorted(LANGUAGES, key=lambda lang: -len(lists[lang]))
            notes.append(Note("texts-unpaired", reports[shorter].place(), found=len(
                lists[longer]), expected=len(lists[shorter]), params={
                    "lang": lang_name(longer), "other": lang_name(shorter)}))
        entries = []
        for index in range(max(len(lists["ru"]), len(lists["kk"]))):
            pair = {lang: lists[lang][index] if index < len(lists[lang]) else None
                    for lang in LANGUAGES}
            where = "; ".join(f"{reports[lang].word.file}, paragraph {pair[lang][0].number}"
                              for lang in LANGUAGES if pair[lang])
            lines = ["".join(f"  # {line}\n" for line in comment(
                f"imported from {where}: review it"))]
            category = pair[source][1] if pair[source] else None
            first = True
            if category and kind == "observations":
                lines.append(f"  - category: {category}\n")
                first = False
            for lang in LANGUAGES:
                text = plain(pair[lang][0].text) if pair[lang] else ""
                lines.append(_block(lang, text, 4, first))
                first = False
            entries.append("".join(lines))
        parts[kind] = entries
    text = ("\n# " + ("The free paragraphs of the Word files, Russian and Kazakh paired in "
                       "order: check each pair, and give an observation its `category:` where "
                       "it follows that category's paragraph.") + "\n")
    text += "observations:" + ("\n" + "\n".join(parts["observations"]) if parts["observations"]
                              else " []\n")
    text += "\n# Proposals and next steps, one paragraph per item.\n"
    text += "closing:" + ("\n" + "\n".join(parts["closing"]) if parts["closing"] else " []\n")
    return text, notes


def _split(report: Report) -> dict[str, list]:
    """The free paragraphs as observations and closing: by the Closing style where the
    report has it, else the paragraphs after the last list of the narrative, after the last
    observation of a category and after the last that names a region close."""
    texts = report.texts
    if not any(closing for _p, _c, closing in texts):
        lists = max((p.number for p in report.narrative), default=0)
        last = max((i for i, (p, c, _x) in enumerate(texts)
                    if c or p.number < lists or find_region(p.text, report.period)),
                   default=-1)
        texts = [(p, c, i > last) for i, (p, c, _x) in enumerate(texts)]
    return {"observations": [t for t in texts if not t[2]],
            "closing": [t for t in texts if t[2]]}


def record(reports: dict[str, Report]) -> str:
    """The paragraphs that are not free text, as comments: none is dropped without a trace."""
    lines = ["", *("# " + line for line in textwrap.wrap((
        "The rest of the Word files' text: the title, the preamble, the summary, the "
        "narrative's lists and the chart's lines, which the reports write again from the facts "
        "and the table; kept here only as a record."), 94))]
    for lang in LANGUAGES:
        report = reports[lang]
        for paragraph in sorted(report.before + report.narrative + report.own,
                                key=lambda p: p.number):
            lines.append(f"#   {escaped(report.word.file)}, paragraph {paragraph.number}:")
            lines.extend("#     " + line for line in comment(
                plain(paragraph.text), 90, hyphens=False))
    return "\n".join(lines) + "\n" if len(lines) > 3 else ""


def people(reports: dict[str, Report]) -> dict:
    people = {}
    ru, kk = reports["ru"], reports["kk"]
    if ru.signatory and kk.signatory:
        people["signatory"] = {key: {"ru": ru.signatory[key], "kk": kk.signatory[key]}
                               for key in ("position", "name")}
    if ru.date:
        day, month, year = ru.date.split(".")
        people["date"] = f"{year}-{month}-{day}"
    if ru.executor and kk.executor:
        people["executor"] = {"name": {"ru": ru.executor["name"], "kk": kk.executor["name"]},
                              "phone": ru.executor["phone"]}
    return people
