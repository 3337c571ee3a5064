"""Make a report template keep its signature block whole and with the text before it, give a
single finding its one sentence, print the document's date, and put the key of "–" (in the
year's template, of "×") under its table. Run once per template; running it again changes nothing.

Run: python scripts/layout_template.py hearings/templates/ru hearings/templates/kk

- The signature's style keeps each of its paragraphs whole and with the next (the name in its
  cell, then the executor's line, whose frame stands at the page's foot); its row cannot
  split across pages; the empty paragraphs above it keep with it; and the last paragraph of
  text before it (the last closing paragraph, else the last of the narrative) keeps with
  them: the block never starts a page alone, nor breaks in two.
- The chart drawn bottom up with its series in reverse: the legend then reads as the bars.
- "Closing": the style of the closing's paragraphs, Normal's look under a name of its own, so
  that `hearings import` tells the closing from an observation in a report this tool built.
- "Narrative": the style of the narrative's paragraphs (and of the year's summary), Normal's
  look set flush left: their region lists are chains that never break ("Батыс Қазақстан
  обл. (2),"), which a justified line would space out by several words' widths.
- "ReportCaption": one style for every title of a table or figure (centred, without the first
  line's indent), kept with what it names.
- "Summary Total One": the paragraph that says a single finding in one sentence ("Выявлено
  одно нарушение – по объявлениям."), which the parity check reads as 1.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from year_template import W, _paragraph, _text  # run from scripts/, beside it


def _properties(paragraph):
    found = paragraph.find(f"{W}pPr")
    if found is None:
        found = OxmlElement("w:pPr")
        paragraph.insert(0, found)
    return found


def _keep_next(paragraph) -> None:
    properties = _properties(paragraph)
    if properties.find(f"{W}keepNext") is None:
        keep = OxmlElement("w:keepNext")
        style = properties.find(f"{W}pStyle")
        if style is not None:
            style.addnext(keep)
        else:
            properties.insert(0, keep)


def _style(document, style_id: str):
    return next(s for s in document.styles.element.iterchildren(qn("w:style"))
                if s.get(qn("w:styleId")) == style_id)


def _signature_style(document) -> None:
    style = _style(document, "Signature")
    properties = style.find(qn("w:pPr"))
    for tag in ("w:keepLines", "w:keepNext"):
        if properties.find(qn(tag)) is None:
            properties.insert(0, OxmlElement(tag))


def _summary_one_style(document) -> None:
    if any(s.get(qn("w:styleId")) == "SummaryTotalOne"
           for s in document.styles.element.iterchildren(qn("w:style"))):
        return
    total = _style(document, "SummaryTotal")
    one = copy.deepcopy(total)
    one.set(qn("w:styleId"), "SummaryTotalOne")
    one.find(qn("w:name")).set(qn("w:val"), "Summary Total One")
    based = one.find(qn("w:basedOn"))
    based.set(qn("w:val"), "SummaryTotal")
    total.addnext(one)


def _own_style(document, style_id: str, properties: tuple = ()) -> None:
    """A paragraph style of the template's own, based on Normal, with these paragraph
    properties ((tag, {attribute: value}), in the schema's order)."""
    styles = document.styles.element
    if any(s.get(qn("w:styleId")) == style_id for s in styles.iterchildren(qn("w:style"))):
        return
    style = OxmlElement("w:style")
    style.set(qn("w:type"), "paragraph")
    style.set(qn("w:customStyle"), "1")
    style.set(qn("w:styleId"), style_id)
    for tag, value in (("w:name", style_id), ("w:basedOn", "Normal"), ("w:qFormat", None)):
        child = OxmlElement(tag)
        if value:
            child.set(qn("w:val"), value)
        style.append(child)
    if properties:
        paragraph = OxmlElement("w:pPr")
        for tag, attributes in properties:
            child = OxmlElement(tag)
            for name, value in attributes.items():
                child.set(qn(name), value)
            paragraph.append(child)
        style.append(paragraph)
    _style(document, "Normal").addnext(style)


def _set_style(paragraph, style_id: str) -> None:
    properties = _properties(paragraph)
    style = properties.find(f"{W}pStyle")
    if style is None:
        style = OxmlElement("w:pStyle")
        properties.insert(0, style)
    style.set(qn("w:val"), style_id)


def _loop_style(body, loop: str, style_id: str) -> None:
    """The style of the paragraphs a loop prints ("{{ paragraph }}")."""
    blocks = list(body)
    texts = [_text(block) for block in blocks]
    start = texts.index(loop)
    end = texts.index("{%p endfor %}", start)
    for paragraph in blocks[start + 1:end]:
        if _text(paragraph) == "{{ paragraph }}":
            _set_style(paragraph, style_id)


def _closing_style(document, body) -> None:
    _own_style(document, "Closing")
    _loop_style(body, "{%p for paragraph in closing %}", "Closing")


def _narrative_style(document, body, loops: tuple[str, ...]) -> None:
    _own_style(document, "Narrative", (("w:jc", {"w:val": "left"}),))
    for loop in loops:
        _loop_style(body, loop, "Narrative")


CAPTIONS = ("{{ chart.caption }}", "{{ table_title }}", "{{ categories_title }}")


def _caption_style(document, body) -> None:
    _own_style(document, "ReportCaption", (
        ("w:keepNext", {}), ("w:spacing", {"w:before": "120"}), ("w:ind", {"w:firstLine": "0"}),
        ("w:jc", {"w:val": "center"})))
    for paragraph in body.iter(f"{W}p"):
        if _text(paragraph) in CAPTIONS:
            _set_style(paragraph, "ReportCaption")


def _last_before_signature(body, loop: str, condition: str) -> None:
    """The loop's paragraph twice: kept with the next when it is the last before the
    signature block, as it was otherwise."""
    blocks = list(body)
    texts = [_text(block) for block in blocks]
    start = texts.index(loop)
    if texts[start + 1].startswith("{%p if loop.last"):
        return  # done before
    paragraph = blocks[start + 1]
    kept = copy.deepcopy(paragraph)
    _keep_next(kept)
    paragraph.addprevious(_paragraph(paragraph, f"{{%p if {condition} %}}"))
    paragraph.addprevious(kept)
    paragraph.addprevious(_paragraph(paragraph, "{%p else %}"))
    paragraph.addnext(_paragraph(paragraph, "{%p endif %}"))


def _signature_block(body) -> None:
    blocks = list(body)
    texts = [_text(block) for block in blocks]
    start = texts.index("{%p if signatory %}")
    table = next(i for i in range(start, len(blocks)) if blocks[i].tag == f"{W}tbl")
    for spacer in blocks[start + 1:table]:
        _keep_next(spacer)
    row = blocks[table].find(f"{W}tr")
    properties = row.find(f"{W}trPr")
    if properties is None:
        properties = OxmlElement("w:trPr")
        row.insert(0, properties)
    if properties.find(f"{W}cantSplit") is None:
        properties.append(OxmlElement("w:cantSplit"))


def _document_date(body) -> None:
    blocks = list(body)
    texts = [_text(block) for block in blocks]
    if "{{ date }}" in texts:
        return
    start = texts.index("{%p if signatory %}")
    table = next(i for i in range(start, len(blocks)) if blocks[i].tag == f"{W}tbl")
    position = next(p for p in blocks[table].iter(f"{W}p"))
    anchor = blocks[table]
    for text in reversed(("{%p if date %}", "{{ date }}", "{%p endif %}")):
        paragraph = _paragraph(position, text)
        if text == "{{ date }}":  # the date in the signature's place, not in its bold
            run = paragraph.find(f"{W}r")
            properties = OxmlElement("w:rPr")
            bold = OxmlElement("w:b")
            bold.set(qn("w:val"), "0")
            properties.append(bold)
            run.insert(0, properties)
        anchor.addnext(paragraph)


def _single_finding(body, plain) -> None:
    """Under "if summary.any": the one sentence of a single finding, else the total and its
    groups as before."""
    blocks = list(body)
    texts = [_text(block) for block in blocks]
    if "{{ summary.single }}" in texts:
        return
    start = texts.index("{%p if summary.any %}")
    total = blocks[start + 1]
    none = next(i for i in range(start, len(blocks))
                if blocks[i].find(f"{W}pPr/{W}pStyle[@{W}val='SummaryTotalNone']") is not None)
    single = _paragraph(total, "{{ summary.single }}")
    _properties(single).find(f"{W}pStyle").set(f"{W}val", "SummaryTotalOne")
    for paragraph in (_paragraph(plain, "{%p if summary.single %}"), single,
                      _paragraph(plain, "{%p else %}")):
        total.addprevious(paragraph)
    blocks[none - 1].addprevious(_paragraph(plain, "{%p endif %}"))  # before the "else"


def _table_note(body, plain) -> None:
    blocks = list(body)
    texts = [_text(block) for block in blocks]
    if "{{ table_note }}" in texts:
        return
    table = texts.index("{{p table }}")
    anchor = blocks[table]
    for text in reversed(("{%p if table_note %}", "{{ table_note }}", "{%p endif %}")):
        anchor.addnext(_paragraph(plain, text))


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"


def _bottom_up_chart(document) -> None:
    """The chart drawn bottom up, its series in reverse (each with its colour): the build
    then writes the last region and group first, and LibreOffice's legend, which lists a bar
    chart's series from the top bar down, reads like the bars and the table."""
    from lxml import etree

    for relationship in document.part.rels.values():
        if not relationship.reltype.endswith("/chart"):
            continue
        part = relationship.target_part
        space = etree.fromstring(part.blob)
        orientation = space.find(f".//{C}catAx/{C}scaling/{C}orientation")
        if orientation.get("val") == "minMax":
            continue  # done before
        orientation.set("val", "minMax")
        space.find(f".//{C}valAx/{C}crosses").set("val", "autoZero")
        chart = space.find(f".//{C}barChart")
        series = chart.findall(f"{C}ser")
        anchor = series[-1].getnext()
        for element in series:
            chart.remove(element)
        for position, element in enumerate(reversed(series)):
            element.find(f"{C}order").set("val", str(position))
            anchor.addprevious(element)
        part._blob = etree.tostring(space, xml_declaration=True, encoding="UTF-8",
                                    standalone=True)


def main(folder: Path) -> None:
    for name in ("report", "year"):
        path = folder / f"{name}.docx"
        document = Document(str(path))
        body = document.element.body
        _bottom_up_chart(document)
        plain = next(block for block in body if block.tag == f"{W}p" and not len(
            block.findall(f"{W}pPr/{W}pStyle")) and _text(block).startswith("{%p"))
        _signature_style(document)
        _signature_block(body)
        if name == "report":
            _last_before_signature(body, "{%p for paragraph in closing %}",
                                   "loop.last and signatory")
            _last_before_signature(body, "{%p for paragraph in narrative %}",
                                   "loop.last and signatory and not closing")
            _closing_style(document, body)
            _document_date(body)
            _summary_one_style(document)
            _single_finding(body, plain)
            _table_note(body, plain)
            _narrative_style(document, body, ("{%p for paragraph in narrative %}",))
        else:
            _last_before_signature(body, "{%p for paragraph in narrative %}",
                                   "loop.last and signatory")
            _table_note(body, plain)
            _narrative_style(document, body, ("{%p for paragraph in narrative %}",
                                              "{%p for paragraph in summary %}"))
        _caption_style(document, body)
        document.save(str(path))


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        main(Path(argument))
