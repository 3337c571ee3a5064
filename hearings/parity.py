"""Read both documents back and prove they state the same figures as each other and the table."""

from __future__ import annotations

import io
import re

from docx import Document

from .exceptions import ParityError

_NUMBER = re.compile(r"\d[\d\u00a0\u202f ]*")


def _figure(text: str) -> int | None:
    """A cell's figure: an int, or None for a dash (could not be assessed)."""
    digits = re.sub(r"[\u00a0\u202f ]", "", text.strip())
    return int(digits) if digits.isdigit() else None


def full_text(data: bytes) -> str:
    """The document's text in reading order: a line per paragraph, a line per table row
    with its cells separated by " | " (a merged cell once)."""
    document = Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in block.iter() if t.tag.endswith("}t")))
        elif block.tag.endswith("}tbl"):
            table = next(t for t in document.tables if t._tbl is block)
            for row in table.rows:
                cells = []
                for cell in row.cells:
                    if not cells or cell._tc is not cells[-1]._tc:
                        cells.append(cell)
                lines.append(" | ".join(c.text.replace("\n", " / ") for c in cells))
    return "\n".join(lines) + "\n"


def _document(data):
    return Document(io.BytesIO(data)) if isinstance(data, bytes) else data


def read_table(data) -> list[list[int | None]]:
    """The figures of the report's table, row by row, totals row last (header rows skipped)."""
    document = _document(data)
    table = max(document.tables, key=lambda t: len(t.columns))
    rows = []
    for row in table.rows[3:]:
        cells = [c.text for c in row.cells]
        rows.append([_figure(text) for text in cells[2:]])
    return rows


SUMMARY_STYLES = ("Summary Item", "Summary Total")
# A summary line that says in words that there is nothing: "Нарушений не выявлено."
SUMMARY_NONE_STYLES = ("Summary Item None", "Summary Total None")


def read_summary(data) -> list[int | None]:
    """The figures the summary states, in order: announcements, protocols, violations, then
    by group (only when there are violations): the first figure of each paragraph in a
    summary style of the template, 0 for a paragraph in a "none" style."""
    document = _document(data)
    styles = {style.style_id: style.name in SUMMARY_NONE_STYLES for style in document.styles
              if style.name in SUMMARY_STYLES + SUMMARY_NONE_STYLES}
    figures = []
    for paragraph in document.paragraphs:
        if paragraph._p.style in styles:
            match = _NUMBER.search(paragraph.text)
            if styles[paragraph._p.style]:
                figures.append(None if match else 0)
            else:
                figures.append(_figure(match.group()) if match else None)
    return figures


def check_parity(documents: dict[str, bytes], group_columns: list[list[int]]) -> None:
    """Every figure of the tables equal cell by cell across languages, and each summary
    figure equal to the table's totals; ParityError names the first difference."""
    documents = {lang: _document(data) for lang, data in documents.items()}
    tables = {lang: read_table(document) for lang, document in documents.items()}
    (first, reference_table), *others = tables.items()
    for lang, table in others:
        if len(table) != len(reference_table):
            raise ParityError(f"the {first} table has {len(reference_table)} rows, "
                              f"the {lang} table {len(table)}")
        for number, (a, b) in enumerate(zip(reference_table, table, strict=True), 1):
            if a != b:
                column = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
                raise ParityError(f"row {number}, figure column {column + 1}: "
                                  f"{first} {a[column]}, {lang} {b[column]}")
    for lang, table in tables.items():
        totals = table[-1]
        expected = [totals[0], totals[1], totals[-1]]
        if totals[-1]:  # the groups are listed only when there are violations
            expected += [sum(totals[2 + i] or 0 for i in group) for group in group_columns]
        stated = read_summary(documents[lang])
        if stated != expected:
            raise ParityError(f"the {lang} summary states {stated}, its table adds up to "
                              f"{expected}")
