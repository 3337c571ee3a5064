"""Make the template of the year's (or a quarter's) report from the monthly one, so that both
share their styles, page setup, chart and signature block (run once per language; from then
on year.docx is a template of its own for a clerk to edit).

Run: python scripts/year_template.py hearings/templates/ru
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{W}t"))


def _paragraph(model, text: str):
    """A paragraph like `model` (its properties), holding one run of text."""
    paragraph = copy.deepcopy(model)
    for child in list(paragraph):
        if child.tag != f"{W}pPr":
            paragraph.remove(child)
    run = paragraph.makeelement(f"{W}r", {})
    text_element = run.makeelement(f"{W}t", {})
    text_element.text = text
    run.append(text_element)
    paragraph.append(run)
    return paragraph


def main(folder: Path) -> None:
    document = Document(str(folder / "report.docx"))
    body = document.element.body
    blocks = list(body)
    texts = [_text(block) for block in blocks]
    plain = blocks[1]  # the first paragraph of text after the title
    start, table = 1, texts.index("{{p table }}")
    # the summary of the month gives way to the period's
    for block in blocks[start:table]:
        body.remove(block)
    anchor = blocks[table]
    for text in ("{%p for paragraph in summary %}", "{{ paragraph }}", "{%p endfor %}",
                 "{{ table_title }}"):
        anchor.addprevious(_paragraph(plain, text))
    # after the chart and its note: the categories, then the narrative; no closing, no
    # appendix (they belong to a month)
    note_end = next(i for i in range(table, len(blocks)) if texts[i] == "{%p endif %}")
    narrative = texts.index("{%p for paragraph in narrative %}")
    signature = texts.index("{%p if signatory %}")
    for block in blocks[narrative:signature]:
        body.remove(block)
    follow = blocks[note_end]
    for text in reversed(("{{ categories_title }}", "{{p categories_table }}",
                          "{%p for paragraph in narrative %}", "{{ paragraph }}",
                          "{%p endfor %}")):
        follow.addnext(_paragraph(plain, text))
    appendix = texts.index("{%p if appendix %}")
    for block in blocks[appendix:]:
        if not block.tag.endswith("sectPr"):
            body.remove(block)
    document.save(str(folder / "year.docx"))


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        main(Path(argument))
