"""A past month's Word report read by what it says: its period from the title, its summary
lines, its table column by column from the headers' words, the lists of regions in its
narrative, and its free paragraphs; every problem a finding at its place in the Word file."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..month.context import NOT_ASSESSED
from ..month.reference import Period, reference
from .notes import Note, Place
from .paragraphs import read_paragraphs
from .table import Column, read_table
from .word import Paragraph, WordFile, WordTable
from .words import mixed_words, period_of_title, region_names


@dataclass
class Report:
    """One Word file read: what it states, where, and what is wrong with it alone."""

    word: WordFile
    lang: str
    period: Period
    notes: list[Note] = field(default_factory=list)
    table: WordTable | None = None
    columns: dict[int, Column] = field(default_factory=dict)
    rows: dict[str, dict] = field(default_factory=dict)            # code -> figures
    row_of: dict[str, int] = field(default_factory=dict)           # code -> table row
    summary: dict[tuple, int] = field(default_factory=dict)        # path -> figure
    summary_at: dict[tuple, int] = field(default_factory=dict)     # path -> paragraph
    narrative: list[Paragraph] = field(default_factory=list)
    listed: list[tuple[Paragraph, str, str, int]] = field(default_factory=list)
    texts: list[tuple[Paragraph, str | None, bool]] = field(default_factory=list)
    own: list[Paragraph] = field(default_factory=list)
    before: list[Paragraph] = field(default_factory=list)  # title, preamble, summary
    signatory: dict | None = None
    date: str | None = None
    executor: dict | None = None

    def place(self, **where) -> Place:
        return Place(self.word.file, **where)

    def cell_place(self, code: str, key: tuple) -> Place:
        """The cell of a region's figure at a monthly file's key: ("violations", category),
        ("total",), ("announcements",) or ("protocols",)."""
        kind, which = {"violations": ("category", key[-1]), "total": ("total", None),
                       "announcements": ("placed", "announcements"),
                       "protocols": ("placed", "protocols")}.get(key[0], (None, None))
        column = self.column_of(kind, which)
        return self.place(table=self.table.number if self.table else None,
                          row=self.row_of.get(code), column=column and column.column,
                          header=column and column.header)

    def column_of(self, kind: str, key: str | None) -> Column | None:
        return next((c for c in self.columns.values() if c.kind == kind and c.key == key), None)

    def note(self, code: str, place: Place, **params) -> None:
        self.notes.append(Note(code, place, **params))

def read_report(word: WordFile, lang: str, period: Period) -> Report:
    report = Report(word, lang, period)
    title = next((p for p in word.paragraphs if period_of_title(p.text)), None)
    if title is not None:
        for text_word, latin in mixed_words(title.text):
            report.note("mixed-script", report.place(paragraph=title.number),
                        params={"word": text_word, "latin": latin})
    read_table(report)
    read_paragraphs(report)
    _check_rows(report)
    _check_narrative(report)
    return report


def _check_rows(report: Report) -> None:
    for code, row in report.rows.items():
        counts = list(row["violations"].values())
        total = row.get("total")
        expected = sum(v for v in counts if isinstance(v, int))
        if total == NOT_ASSESSED and any(isinstance(v, int) for v in counts):
            report.note("total-not-assessed", report.cell_place(code, ("total",)),
                        region=region_names(report.period)[2][code][report.lang],
                        expected=expected)
            continue
        if not isinstance(total, int):
            continue
        if total != expected:
            report.note("row-total-mismatch", report.cell_place(code, ("total",)),
                        region=region_names(report.period)[2][code][report.lang],
                        found=total, expected=expected)


def _check_narrative(report: Report) -> None:
    names = region_names(report.period)[2]
    for paragraph, category, region, count in report.listed:
        row = report.rows.get(region)
        if row is None or category not in row["violations"]:
            continue
        value = row["violations"][category]
        if value != count:
            header = reference().category(category).header[report.lang]
            report.note("narrative-count-mismatch", report.place(paragraph=paragraph.number),
                        region=names[region][report.lang], category=header,
                        found=count, expected=value)
