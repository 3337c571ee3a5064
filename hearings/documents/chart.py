"""The chart of violations by region: a native Word chart that each template holds (a clerk
restyles it in Word), whose figures and labels every build replaces, in the chart's own
cache and in the workbook embedded behind it, so that Word and LibreOffice draw the month's
figures and Word can still edit them."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass

from lxml import etree

from ..files.write import write_entry
from ..month.model import Month
from ..month.reference import Reference

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CHART_TYPE = f"{R}/chart"
PACKAGE_TYPE = f"{R}/package"
SHEET = "Sheet1"


def _c(tag: str) -> str:
    return f"{{{C}}}{tag}"


@dataclass(frozen=True)
class ChartData:
    """What the chart shows: a label per region (in the table's order), a series per group
    with the region's violations of that group, None where none of them was assessed."""

    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int | None, ...]], ...]
    not_assessed: tuple[str, ...]  # the labels of regions with a group not wholly assessed


def chart_data(month: Month, ref: Reference, lang: str, marker: str) -> ChartData:
    labels, values, missing = [], {group.code: [] for group in month.groups}, []
    for row in month.rows:
        label = row.region.name(month.period).forms[lang]["table"]
        gap = False
        for group in month.groups:
            counts = [row.counts[code] for code in month.group_codes(group.code)]
            assessed = [count for count in counts if count is not None]
            values[group.code].append(sum(assessed) if assessed else None)
            gap = gap or len(assessed) < len(counts)  # no bar, or a bar of some categories
        labels.append(label + marker if gap else label)
        if gap:
            missing.append(label)
    return ChartData(tuple(labels), tuple((group.title[lang], tuple(values[group.code]))
                                          for group in month.groups), tuple(missing))


def bottom_up(space) -> bool:
    """Whether the chart draws its first category and first series at the bottom: a
    horizontal bar chart with its category axis in the normal direction, as the templates'
    is, so that LibreOffice's legend (which lists a bar chart's series from the top bar down)
    reads in the table's order, like the bars."""
    direction = space.find(f".//{_c('barDir')}")
    orientation = space.find(f".//{_c('catAx')}/{_c('scaling')}/{_c('orientation')}")
    return (direction is not None and direction.get("val") == "bar"
            and (orientation is None or orientation.get("val") == "minMax"))


def _reversed(data: ChartData) -> ChartData:
    return ChartData(data.labels[::-1],
                     tuple((name, values[::-1]) for name, values in reversed(data.series)),
                     data.not_assessed)


def as_drawn(template: bytes, data: ChartData) -> ChartData:
    """The data in the order the template's chart draws it (a bottom-up chart gets the last
    region and the last group first, so that they appear in the table's order top down)."""
    return _reversed(data) if bottom_up(etree.fromstring(template)) else data


def _column(index: int) -> str:
    return "ABCDEFGHIJ"[index]


def _string_cache(parent, reference: str, texts) -> None:
    parent.clear()
    ref = etree.SubElement(parent, _c("strRef"))
    etree.SubElement(ref, _c("f")).text = reference
    cache = etree.SubElement(ref, _c("strCache"))
    etree.SubElement(cache, _c("ptCount")).set("val", str(len(texts)))
    for index, text in enumerate(texts):
        point = etree.SubElement(cache, _c("pt"))
        point.set("idx", str(index))
        etree.SubElement(point, _c("v")).text = text


def _number_cache(parent, reference: str, values) -> None:
    parent.clear()
    ref = etree.SubElement(parent, _c("numRef"))
    etree.SubElement(ref, _c("f")).text = reference
    cache = etree.SubElement(ref, _c("numCache"))
    etree.SubElement(cache, _c("formatCode")).text = "General"
    etree.SubElement(cache, _c("ptCount")).set("val", str(len(values)))
    for index, value in enumerate(values):
        if value is None:
            continue  # a gap: no bar, not a zero
        point = etree.SubElement(cache, _c("pt"))
        point.set("idx", str(index))
        etree.SubElement(point, _c("v")).text = str(value)


def chart_xml(template: bytes, data: ChartData) -> bytes:
    """The template's chart with the data's labels, series names and figures; everything
    else (colours, fonts, axes, size) as the template has it."""
    space = etree.fromstring(template)
    series = space.findall(f".//{_c('ser')}")
    if len(series) != len(data.series):
        raise ValueError(f"the template's chart has {len(series)} series, the report "
                         f"{len(data.series)}")
    last = len(data.labels) + 1
    for index, (element, (name, values)) in enumerate(zip(series, data.series, strict=True)):
        column = _column(index + 1)
        _string_cache(element.find(_c("tx")), f"{SHEET}!${column}$1", [name])
        _string_cache(element.find(_c("cat")), f"{SHEET}!$A$2:$A${last}", data.labels)
        _number_cache(element.find(_c("val")), f"{SHEET}!${column}$2:${column}${last}", values)
    _whole_ticks(space, max((v for _, values in data.series for v in values if v), default=0))
    return etree.tostring(space, xml_declaration=True, encoding="UTF-8", standalone=True)


def _whole_ticks(space, largest: int) -> None:
    """The value axis in whole counts: a step of 1, 2, 5, 10, 20, ... giving at most ten
    ticks (an automatic step of 0.5 would print "0 1 1")."""
    axis = space.find(f".//{_c('valAx')}")
    if axis is None:
        return
    step = 1
    while largest / step > 10:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2
    unit = axis.find(_c("majorUnit"))
    if unit is None:
        unit = etree.Element(_c("majorUnit"))
        # majorUnit follows crossBetween in the axis's schema order
        axis.find(_c("crossBetween")).addnext(unit)
    unit.set("val", str(step))


_WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/></Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
        '<cellXfs count="1"><xf xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        '</styleSheet>'),
}


def _cell(reference: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook(data: ChartData, day: dt.date) -> bytes:
    """The workbook behind the chart, written as text: labels in A, a series per column,
    empty where not assessed (what Word shows when the chart's data is edited); every entry
    dated `day`, so that it is the same bytes."""
    rows = [[None, *(name for name, _ in data.series)],
            *([label, *(values[index] for _, values in data.series)]
              for index, label in enumerate(data.labels))]
    sheet = "".join(
        f'<row r="{number}">' + "".join(_cell(f"{_column(column)}{number}", value)
                                         for column, value in enumerate(row)) + "</row>"
        for number, row in enumerate(rows, start=1))
    parts = {**_WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{sheet}</sheetData></worksheet>")}
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            write_entry(archive, name, text.encode("utf-8"), day)
    return output.getvalue()


def read_chart(docx: bytes) -> tuple[list[str], list[tuple[str, list[int | None]]]]:
    """The labels and series of the document's chart, from the chart's cache, in the
    table's order (whatever order the chart draws them in)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
        targets = [rel.get("Target") for rel in rels if rel.get("Type") == CHART_TYPE]
        if len(targets) != 1:
            raise ValueError(f"the document has {len(targets)} charts, not one")
        space = etree.fromstring(package.read("word/" + re.sub(r"^/?word/", "",
                                                                   targets[0])))
    labels, series = None, []
    for element in space.iter(_c("ser")):
        name = element.findtext(f"{_c('tx')}//{_c('v')}")
        category = element.find(_c("cat"))
        cats = () if category is None else category.iter(_c("pt"))
        cat_labels = [point.findtext(_c("v")) for point in cats]
        labels = labels if labels is not None else cat_labels
        if cat_labels != labels:
            raise ValueError(f"the series {name} has other labels")
        value = element.find(_c("val"))
        cache = None if value is None else next(value.iter(_c("numCache"), _c("numLit")), None)
        count = 0 if cache is None else int(cache.find(_c("ptCount")).get("val"))
        values: list[int | None] = [None] * count
        for point in () if cache is None else cache.iter(_c("pt")):
            values[int(point.get("idx"))] = int(float(point.findtext(_c("v"))))
        series.append((name, values))
    labels = labels or []
    if bottom_up(space):  # as the table reads: first region and first group first
        labels = labels[::-1]
        series = [(name, values[::-1]) for name, values in reversed(series)]
    return labels, series
