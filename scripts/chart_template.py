"""Put the chart of violations by region into a report template, after the table, with its
caption and the note on regions not assessed, shown when there are violations (run once per
template; from then on the chart is the template's, and a clerk restyles it in Word:
colours, fonts, size, labels).

Run: python scripts/chart_template.py hearings/templates/ru/report.docx
The builds replace the chart's labels and figures, in its cache and in its workbook; they
keep everything else.
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from lxml import etree

from hearings.documents.chart import ChartData, workbook

FONT = ('<a:defRPr sz="{size}"><a:latin typeface="Times New Roman"/>'
        '<a:cs typeface="Times New Roman"/></a:defRPr>')


def _text(size: int) -> str:
    return ('<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr>' + FONT.format(size=size)
            + '</a:pPr><a:endParaRPr lang="ru-RU"/></a:p></c:txPr>')


def _series(index: int, colour: str) -> str:
    return (f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/><c:tx><c:v>-</c:v></c:tx>'
            f'<c:spPr><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
            '<a:ln w="3175"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>'
            '</c:spPr><c:invertIfNegative val="0"/>'
            '<c:dLbls><c:numFmt formatCode="0;-0;;@" sourceLinked="0"/>' + _text(700)
            + '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
            '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
            '</c:dLbls><c:cat><c:strLit><c:ptCount val="0"/></c:strLit></c:cat>'
            '<c:val><c:numLit><c:ptCount val="0"/></c:numLit></c:val></c:ser>')


CHART = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<c:roundedCorners val="0"/><c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
    '<c:barChart><c:barDir val="bar"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
    + _series(0, "595959") + _series(1, "BFBFBF")
    + '<c:gapWidth val="60"/><c:axId val="1001"/><c:axId val="1002"/></c:barChart>'
    '<c:catAx><c:axId val="1001"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
    '<c:delete val="0"/><c:axPos val="l"/><c:numFmt formatCode="General" sourceLinked="0"/>'
    '<c:majorTickMark val="none"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>'
    + _text(800) + '<c:crossAx val="1002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
    '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
    '<c:valAx><c:axId val="1002"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
    '<c:delete val="0"/><c:axPos val="b"/><c:majorGridlines><c:spPr><a:ln w="3175">'
    '<a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr></c:majorGridlines>'
    '<c:numFmt formatCode="0" sourceLinked="0"/><c:majorTickMark val="out"/>'
    '<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>' + _text(800)
    + '<c:crossAx val="1001"/><c:crosses val="max"/><c:crossBetween val="between"/>'
    '</c:valAx></c:plotArea>'
    '<c:legend><c:legendPos val="b"/><c:overlay val="0"/>' + _text(800) + '</c:legend>'
    '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
    '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>' + _text(800)
    + '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>')

DRAWING = (
    '<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<w:pPr><w:keepNext/><w:spacing w:before="120" w:after="0"/><w:ind w:firstLine="0"/>'
    '<w:jc w:val="center"/></w:pPr><w:r><w:drawing>'
    '<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
    '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="4001" name="{name}"/>'
    '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
    'uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
    '<c:chart r:id="{rid}"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraph(text: str, style_of) -> etree._Element:
    """A centred paragraph of the template's kind, holding one template tag or text."""
    paragraph = copy.deepcopy(style_of)
    for child in list(paragraph):
        if child.tag != f"{W}pPr":
            paragraph.remove(child)
    run = etree.SubElement(paragraph, f"{W}r")
    etree.SubElement(run, f"{W}t").text = text
    return paragraph


def main(path: Path) -> None:
    document = Document(str(path))
    if any(rel.reltype == RT.CHART for rel in document.part.rels.values()):
        sys.exit(f"{path} has its chart already")
    package = document.part.package
    chart = Part(PackURI("/word/charts/chart1.xml"),
                 "application/vnd.openxmlformats-officedocument.drawingml.chart+xml",
                 CHART.encode("utf-8"), package)
    empty = workbook(ChartData((), (("-", ()), ("-", ())), ()), dt.date(2020, 1, 1))
    sheet = Part(PackURI("/word/embeddings/Microsoft_Excel_Worksheet1.xlsx"),
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 empty, package)
    chart.relate_to(sheet, RT.PACKAGE)  # rId1, the chart's externalData
    rid = document.part.relate_to(chart, RT.CHART)
    body = document.element.body
    table = next(p for p in body.iter(f"{W}p") if "{{p table }}" in "".join(
        t.text or "" for t in p.iter(f"{W}t")))
    drawing = etree.fromstring(DRAWING.format(cx=6120000, cy=4680000, rid=rid,
                                              name="Chart of violations by region"))
    caption = _paragraph("{{ chart.caption }}", drawing)
    caption.find(f"{W}pPr").remove(caption.find(f"{W}pPr/{W}keepNext"))
    shown, opening, note, closing, shown_end = (_paragraph(text, caption) for text in (
        "{%p if chart.shown %}", "{%p if chart.note %}", "{{ chart.note }}", "{%p endif %}",
        "{%p endif %}"))
    for offset, element in enumerate((shown, drawing, caption, opening, note, closing,
                                      shown_end), start=1):
        body.insert(body.index(table) + offset, element)
    document.save(str(path))


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        main(Path(argument))
