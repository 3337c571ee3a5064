"""`hearings import`: past months' Word reports, the Russian and the Kazakh one of a month
paired by the period their titles state, compared with themselves and with each other, and
written as monthly files in the shape `new` writes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..commands.new import month_text
from ..files.limits import TEXT_LIMIT, size_text
from ..files.workspace import Workspace, shown
from ..files.write import write_atomically, write_new
from ..month.reference import LANGUAGES, Period, reference
from ..month.validate import check_text
from .notes import Note, Place, lang_name
from .report import Report, read_report
from .table import table_sums
from .word import NotAWordFile, SpanOutsideGrid, WordFile, read_word, word_from_bytes
from .words import period_of_title, plain
from .written import comment, figures, people, record, texts

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
                "lang": lang_name(lang), "period": str(period), "first": pair[lang].file}))
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
                                  params={"other": lang_name(have.lang)}))
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
                                  "lang": lang_name(other), "other": lang_name(source),
                                  "other_place": str(first.cell_place(code, key))}))
    for path, value in first.summary.items():
        theirs = second.summary.get(path)
        if theirs is not None and theirs != value:
            notes.append(Note("languages-summary-disagree", second.place(
                paragraph=second.summary_at[path]), found=theirs, expected=value, params={
                    "figure": ".".join(path[1:]), "lang": lang_name(other),
                    "other": lang_name(source)}))
    return notes


def _check_summary(report: Report) -> None:
    """The summary's lines against what the table adds up to."""
    if report.table is None:
        return
    sums = table_sums(report)
    for path, expected in sums.items():
        found = report.summary.get(path)
        if found is not None and found != expected:
            report.note("summary-mismatch", report.place(paragraph=report.summary_at[path]),
                        found=found, expected=expected, params={"figure": ".".join(path[1:])})


def _header(month: MonthImport, source: str) -> str:
    files = " and ".join(month.files[lang] for lang in LANGUAGES)
    lines = [f"Imported by `hearings import` from {files}; the figures are those of "
             f"{month.files[source]} as typed."]
    counts = Counter(note.code for note in month.notes)
    if counts:
        lines.append(("The import found: {counts}; `hearings import` lists them, and "
                       "`hearings validate` says what this file still needs.").format(
                           counts=", ".join(f"{code} {n}" for code, n in sorted(counts.items()))))
    return "".join(f"# {line}\n" for text in lines for line in comment(text))


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
            "lang": lang_name(missing[0]), "period": str(period)}))
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
    numbers = figures(reports, source)
    free, text_notes = texts(reports, source)
    month.notes = [n for lang in LANGUAGES for n in reports[lang].notes] + cross + text_notes
    data_dir = workspace.data_dir
    path = data_dir / f"{period}.yaml"
    body = month_text(period, people(reports), workspace.schema_reference(path), path,
                      numbers, free + record(reports), workspace.facts().reference)
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
