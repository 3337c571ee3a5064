"""`hearings import`: past months' Word reports, the Russian and the Kazakh one of a month
paired by the period their titles state, compared with themselves and with each other, and
written as monthly files in the shape `new` writes."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..commands.new import month_text
from ..files.limits import TEXT_LIMIT, size_text
from ..files.workspace import Workspace, shown
from ..files.write import write_atomically, write_new
from ..i18n import N_, _
from ..month.reference import Period, reference
from ..month.validate import check_text
from .archive import (
    LANGUAGES,
    Note,
    Place,
    Report,
    column_sum,
    find_region,
    period_of_title,
    plain,
    read_report,
)
from .word import NotAWordFile, SpanOutsideGrid, WordFile, read_word, word_from_bytes

SUFFIXES = (".docx", ".doc")
TITLE_PARAGRAPHS = 8     # a title stands among a report's first paragraphs


@dataclass
class MonthImport:
    period: Period
    files: dict[str, str] = field(default_factory=dict)   # lang -> file
    notes: list[Note] = field(default_factory=list)
    written: str | None = None
    refused: str | None = None       # why nothing was written
    errors_after: int = 0            # what validate finds in the written file

    @property
    def errors(self) -> list[Note]:
        return [n for n in self.notes if n.severity == "error"]


@dataclass
class ImportResult:
    months: list[MonthImport] = field(default_factory=list)
    files: list[Note] = field(default_factory=list)       # files that are no month's report

    @property
    def failed(self) -> bool:
        return bool(self.files) or any(m.refused or m.errors for m in self.months)


LANGUAGE_NAMES = {"ru": N_("Russian"), "kk": N_("Kazakh")}


def _lang_name(lang: str) -> str:
    return _(LANGUAGE_NAMES[lang])


def report_files(paths: list[Path]) -> list[Path]:
    """The Word files given, and those in the folders given (Word's "~$" lock files left
    out), each once, in name order within a folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES
                                and not p.name.startswith("~$")))
        else:
            found.append(path)
    unique = []
    for path in found:
        if path.resolve() not in {p.resolve() for p in unique}:
            unique.append(path)
    return unique


def _title(word: WordFile) -> tuple[str, Period | str] | None:
    for paragraph in word.paragraphs[:TITLE_PARAGRAPHS]:
        found = period_of_title(paragraph.text)
        if found:
            return found
    return None


def _examples() -> str:
    return "«за август 2020 года», «2020 жылдың тамыз айындағы»"


def read_files(paths: list[Path], result: ImportResult
               ) -> dict[Period, dict[str, WordFile]]:
    months: dict[Period, dict[str, WordFile]] = {}
    files = report_files(paths)
    converted = _converted([path for path in files if path.suffix.lower() == ".doc"], result)
    for path in files:
        file = shown(path)
        try:
            if path.suffix.lower() == ".doc":
                if path not in converted:
                    continue
                word = word_from_bytes(converted[path], file)
            else:
                word = read_word(path, file)
        except SpanOutsideGrid as err:
            result.files.append(Note("cell-span-outside-grid", Place(
                file, table=err.table, row=err.row, column=err.column), found=err.found,
                expected=err.width))
            continue
        except NotAWordFile as err:
            result.files.append(Note("file-unreadable", Place(file), params={"reason": err}))
            continue
        title = _title(word)
        if title is None:
            result.files.append(Note("not-a-report", Place(file),
                                     params={"examples": _examples()}))
            continue
        lang, period = title
        if period == "not-monthly":
            first = next(p for p in word.paragraphs if plain(p.text))
            result.files.append(Note("not-monthly", Place(file, paragraph=first.number),
                                     found=plain(first.text)[:120]))
            continue
        pair = months.setdefault(period, {})
        if lang in pair:
            result.files.append(Note("period-twice", Place(file), params={
                "lang": _lang_name(lang), "period": str(period), "first": pair[lang].file}))
            continue
        pair[lang] = word
    return months


def _converted(paths: list[Path], result: ImportResult) -> dict[Path, bytes]:
    """The old Word files (.doc) as .docx bytes, all converted in one LibreOffice run; each
    that cannot be read or converted is a finding."""
    from ..exceptions import ConversionError
    from ..files.limits import TEMPLATE_LIMIT, UnreadableFile, read_limited
    from ..files.pdf import to_docx

    if not paths:
        return {}
    documents, names = {}, {}
    for index, path in enumerate(paths):
        try:
            documents[f"{index}.doc"] = read_limited(path, TEMPLATE_LIMIT)
            names[f"{index}.doc"] = path
        except UnreadableFile as err:
            result.files.append(Note("file-unreadable", Place(shown(path)),
                                     params={"reason": err}))
    try:
        converted = to_docx(documents) if documents else {}
    except ConversionError as err:
        converted = {name: str(err) for name in documents}
    done = {}
    for name, outcome in converted.items():
        if isinstance(outcome, bytes):
            done[names[name]] = outcome
        else:
            result.files.append(Note("file-unreadable", Place(shown(names[name])),
                                     params={"reason": outcome}))
    return done


def _compare(reports: dict[str, Report], source: str) -> list[Note]:
    """Cell by cell, where the other language's table says otherwise than the source's."""
    notes = []
    other = next(lang for lang in LANGUAGES if lang != source)
    first, second = reports[source], reports[other]
    if first.table is None or second.table is None:
        return notes
    names = {r.code: r.name(first.period).forms for r in reference().regions}
    for category in reference().categories:
        for have, lack in ((first, second), (second, first)):
            if have.column_of("category", category.code) and not lack.column_of(
                    "category", category.code):
                notes.append(Note("column-missing", lack.place(table=lack.table.number),
                                  category=category.header[lack.lang],
                                  params={"other": _lang_name(have.lang)}))
    for code, row in first.rows.items():
        theirs = second.rows.get(code)
        if theirs is None:
            continue
        keys = [("announcements",), ("protocols",), ("total",),
                *(("violations", c.code) for c in reference().categories)]
        for key in keys:
            mine = row["violations"].get(key[1]) if key[0] == "violations" else row.get(key[0])
            their = (theirs["violations"].get(key[1]) if key[0] == "violations"
                     else theirs.get(key[0]))
            if mine is None or their is None or mine == their:
                continue
            place = second.cell_place(code, key)
            notes.append(Note("languages-disagree", place, region=names[code][other]["table"],
                              found=their, expected=mine, params={
                                  "column": place.header or key[-1],
                                  "lang": _lang_name(other), "other": _lang_name(source),
                                  "other_place": str(first.cell_place(code, key))}))
    for path, value in first.summary.items():
        theirs = second.summary.get(path)
        if theirs is not None and theirs != value:
            notes.append(Note("languages-summary-disagree", second.place(
                paragraph=second.summary_at[path]), found=theirs, expected=value, params={
                    "figure": ".".join(path[1:]), "lang": _lang_name(other),
                    "other": _lang_name(source)}))
    return notes


def _check_summary(report: Report) -> None:
    """The summary's lines against what the table adds up to."""
    if report.table is None:
        return
    sums = _table_sums(report)
    for path, expected in sums.items():
        found = report.summary.get(path)
        if found is not None and found != expected:
            report.note("summary-mismatch", report.place(paragraph=report.summary_at[path]),
                        found=found, expected=expected, params={"figure": ".".join(path[1:])})


def _table_sums(report: Report) -> dict[tuple, int]:
    sums = {}
    for kind in ("announcements", "protocols"):
        column = report.column_of("placed", kind)
        if column:
            sums["summary", kind] = column_sum(report, column)
    groups = {g.code: 0 for g in reference().groups}
    for category in reference().categories:
        column = report.column_of("category", category.code)
        if column:
            groups[category.group] += column_sum(report, column)
    if any(c.kind == "category" for c in report.columns.values()):
        sums["summary", "violations"] = sum(groups.values())
        for group, value in groups.items():
            sums["summary", "violations_by_group", group] = value
    return sums


def _figures(reports: dict[str, Report], source: str) -> dict:
    """The monthly file's summary and rows, from the source language's table as typed; a
    column it lacks from the other language's, a summary line it lacks from its table."""
    mine = reports[source]
    other = reports[next(lang for lang in LANGUAGES if lang != source)]
    regions = {}
    for code, row in mine.rows.items():
        comments = [_escaped(f"row {mine.row_of[code]} of {mine.word.file}")]
        counts = dict(row["violations"])
        for category in reference().categories:
            if category.code in counts:
                continue
            theirs = other.rows.get(code, {}).get("violations", {}).get(category.code)
            if theirs is not None:
                counts[category.code] = theirs
                comments.append(_escaped(f"{category.code}: from {other.word.file}, which "
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
    sums = _table_sums(mine)
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


def _escaped(text: str) -> str:
    """A text from a Word file (its name, a paragraph) as one line that YAML reads as it is
    written: a line break or a control character as its escape (\\u2028), never raw."""
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _comment(text: str, width: int = 94, hyphens: bool = True) -> list[str]:
    """A comment's lines for a text from a Word file, each one line of YAML."""
    return textwrap.wrap(_escaped(text), width, break_on_hyphens=hyphens) or [""]


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


def _texts(reports: dict[str, Report], source: str) -> tuple[str, list[Note]]:
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
                    "lang": _lang_name(longer), "other": _lang_name(shorter)}))
        entries = []
        for index in range(max(len(lists["ru"]), len(lists["kk"]))):
            pair = {lang: lists[lang][index] if index < len(lists[lang]) else None
                    for lang in LANGUAGES}
            where = "; ".join(f"{reports[lang].word.file}, paragraph {pair[lang][0].number}"
                              for lang in LANGUAGES if pair[lang])
            lines = ["".join(f"  # {line}\n" for line in _comment(
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


def _record(reports: dict[str, Report]) -> str:
    """The paragraphs that are not free text, as comments: none is dropped without a trace."""
    lines = ["", *("# " + line for line in textwrap.wrap((
        "The rest of the Word files' text: the title, the preamble, the summary, the "
        "narrative's lists and the chart's lines, which the reports write again from the facts "
        "and the table; kept here only as a record."), 94))]
    for lang in LANGUAGES:
        report = reports[lang]
        for paragraph in sorted(report.before + report.narrative + report.own,
                                key=lambda p: p.number):
            lines.append(f"#   {_escaped(report.word.file)}, paragraph {paragraph.number}:")
            lines.extend("#     " + line for line in _comment(
                plain(paragraph.text), 90, hyphens=False))
    return "\n".join(lines) + "\n" if len(lines) > 3 else ""


def _people(reports: dict[str, Report]) -> dict:
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


def _header(month: MonthImport, source: str) -> str:
    files = " and ".join(month.files[lang] for lang in LANGUAGES)
    lines = [f"Imported by `hearings import` from {files}; the figures are those of "
             f"{month.files[source]} as typed."]
    counts = Counter(note.code for note in month.notes)
    if counts:
        lines.append(("The import found: {counts}; `hearings import` lists them, and "
                       "`hearings validate` says what this file still needs.").format(
                           counts=", ".join(f"{code} {n}" for code, n in sorted(counts.items()))))
    return "".join(f"# {line}\n" for text in lines for line in _comment(text))


def _refused(month: MonthImport, code: str, path: Path, err: OSError | None = None,
             **params) -> MonthImport:
    """The month not written, and why, at the monthly file's place."""
    if err:
        params["reason"] = err.strerror or err
    month.notes.append(Note(code, Place(shown(path)), found=shown(path), params=params))
    month.refused = code
    return month


def import_month(period: Period, pair: dict[str, WordFile], workspace: Workspace,
                 source: str = "ru", force: bool = False) -> MonthImport:
    month = MonthImport(period, {lang: word.file for lang, word in pair.items()})
    missing = [lang for lang in LANGUAGES if lang not in pair]
    if missing:
        present = next(iter(pair.values()))
        month.notes.append(Note("language-missing", Place(present.file), params={
            "lang": _lang_name(missing[0]), "period": str(period)}))
        month.refused = "language-missing"
        return month
    reports = {lang: read_report(pair[lang], lang, period) for lang in LANGUAGES}
    for report in reports.values():
        _check_summary(report)
    cross = _compare(reports, source)
    if any(r.table is None for r in reports.values()):
        month.notes = [n for r in reports.values() for n in r.notes]
        month.refused = "table-missing"
        return month
    figures = _figures(reports, source)
    texts, text_notes = _texts(reports, source)
    month.notes = [n for lang in LANGUAGES for n in reports[lang].notes] + cross + text_notes
    data_dir = workspace.data_dir
    path = data_dir / f"{period}.yaml"
    body = month_text(period, _people(reports), workspace.schema_reference(path), path,
                      figures, texts + _record(reports))
    lines = body.split("\n", 2)
    body = lines[0] + "\n#\n" + _header(month, source) + "\n".join(lines[1:])
    data = body.encode("utf-8")
    if len(data) > TEXT_LIMIT:  # validate would refuse to read it
        return _refused(month, "month-too-large", path, size=size_text(len(data)),
                        limit=size_text(TEXT_LIMIT))
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:  # FileExistsError too: a file where the folder should be
        return _refused(month, "write-failed", path, err)
    try:
        if path.exists() and not force:
            raise FileExistsError(path)
        (write_atomically if force else write_new)(path, data)
    except FileExistsError:  # there before, or written meanwhile by another command
        return _refused(month, "month-exists", path)
    except OSError as err:
        return _refused(month, "write-failed", path, err)
    month.written = shown(path)
    month.errors_after = len(check_text(body, str(path), workspace.checked_facts()).errors)
    return month


def import_reports(paths: list[Path], workspace: Workspace, source: str = "ru",
                   force: bool = False) -> ImportResult:
    result = ImportResult()
    months = read_files(paths, result)
    for period in sorted(months, key=str):
        result.months.append(import_month(period, months[period], workspace, source, force))
    return result
