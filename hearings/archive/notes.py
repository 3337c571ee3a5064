"""What the import finds wrong in a past month's Word report: the kinds of findings, each
with its severity and message, and the place in the Word file each stands at."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import N_, _, language, translations

ERROR, WARNING = "error", "warning"

KINDS: dict[str, tuple[str, str]] = {
    "not-a-report": (ERROR, N_(
        "no title of a month's report ({examples}) is among its first paragraphs")),
    "not-monthly": (ERROR, N_("it is a quarter's or a year's report, not a month's: {found}")),
    "table-missing": (ERROR, N_(
        "no table lists the regions of {period}: is it this report's table?")),
    "column-unknown": (ERROR, N_(
        "the column headed «{found}» is no column this report's table has; its figures are "
        "not imported")),
    "column-missing": (ERROR, N_(
        "the table has no column «{category}» (the {other} table has it)")),
    "region-unknown": (ERROR, N_(
        "«{found}» is no region of {period}; the row is not imported")),
    "region-name-other-period": (WARNING, N_(
        "«{found}» is the name of {region} in another period; in {period} it is «{expected}»")),
    "region-row-twice": (ERROR, N_("{region} has a row already (row {first}); this one is "
                                   "not imported")),
    "region-missing": (ERROR, N_("{region} has no row in the table")),
    "cell-not-a-figure": (ERROR, N_("«{found}» is not a figure")),
    "cells-empty": (WARNING, N_(
        "{count} empty cells read as 0: {cells}")),
    "row-total-mismatch": (ERROR, N_(
        "{region}: the total is {found}, the violations add up to {expected}")),
    "total-not-assessed": (ERROR, N_(
        "{region}: the total is a dash, but some counts were assessed; they add up to "
        "{expected}")),
    "totals-row-mismatch": (ERROR, N_(
        "the totals row states {found} under «{columns}», the rows add up to {expected}")),
    "totals-row-other-month": (ERROR, N_(
        "the totals row is labelled «{found}»: that is not {expected}")),
    "summary-mismatch": (ERROR, N_(
        "{figure}: the summary states {found}, the table adds up to {expected}")),
    "summary-missing": (WARNING, N_(
        "no summary line states {figure}; the monthly file takes the table's {expected}")),
    "languages-disagree": (ERROR, N_(
        "{region} › {column}: the {lang} table says {found}, the {other} one {expected} "
        "({other_place})")),
    "languages-summary-disagree": (ERROR, N_(
        "{figure}: the {lang} summary states {found}, the {other} one {expected}")),
    "narrative-count-mismatch": (ERROR, N_(
        "the text says {region} ({found}) under «{category}», the table {expected}")),
    "narrative-category-unknown": (WARNING, N_(
        "the list «{found}» belongs to no category the import can tell; its counts are not "
        "checked, and the paragraph goes to the free texts")),
    "mixed-script": (WARNING, N_(
        "the word '{word}' mixes Cyrillic and Latin letters (Latin: {latin})")),
    "appendix-not-imported": (WARNING, N_(
        "the table of {rows} rows after the report's table is not imported (an evidence "
        "register is entered as `evidence:` by hand)")),
    "texts-unpaired": (WARNING, N_(
        "the {lang} report has {found} free paragraphs, the {other} one {expected}: they are "
        "paired in order, and the unpaired ones left empty in the other language")),
    "file-unreadable": (ERROR, N_("the file cannot be read: {reason}")),
    "cell-span-outside-grid": (ERROR, N_(
        "the cell spans «{found}» columns, which is no whole number of columns within the "
        "table's grid of {expected}; the file is not imported")),
    "period-twice": (ERROR, N_(
        "a second {lang} report of {period} (the first: {first}); it is not imported")),
    "language-missing": (ERROR, N_(
        "no {lang} report of {period} is among the files; both are needed")),
    "month-exists": (ERROR, N_(
        "{found} exists already; it is left as it is (--force replaces it)")),
    "month-too-large": (ERROR, N_(
        "{found} would be {size}, larger than the {limit} a monthly file may be (validate "
        "would not read it); nothing was written")),
    "write-failed": (ERROR, N_("{found} cannot be written: {reason}; nothing was written")),
}


@dataclass(frozen=True)
class Place:
    """Where in a Word file: a paragraph, or a table's cell (rows and columns from 1)."""

    file: str
    table: int | None = None
    row: int | None = None
    column: int | None = None
    paragraph: int | None = None
    header: str | None = None   # the column's header, to name it

    def __str__(self) -> str:
        parts = [self.file]
        if self.paragraph:
            parts.append(_("paragraph {n}").format(n=self.paragraph))
        if self.table:
            parts.append(_("table {n}").format(n=self.table))
        if self.row:
            parts.append(_("row {n}").format(n=self.row))
        if self.column:
            column = _("column {n}").format(n=self.column)
            parts.append(f"{column} ({self.header})" if self.header else column)
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {"file": self.file, "table": self.table, "row": self.row,
                "column": self.column, "paragraph": self.paragraph}


def translations_now():
    return translations(language())


@dataclass(frozen=True)
class Note:
    """One finding of the import: its kind, where it stands and the figures involved."""

    code: str
    place: Place
    params: dict = field(default_factory=dict)
    region: str | None = None
    category: str | None = None
    expected: object = None
    found: object = None

    @property
    def severity(self) -> str:
        return KINDS[self.code][0]

    @property
    def message(self) -> str:
        catalog = translations_now()
        template = catalog.gettext(KINDS[self.code][1])
        values = {"region": self.region, "category": self.category, "expected": self.expected,
                  "found": self.found, **self.params}
        values = {k: catalog.gettext("nothing") if v is None else v for k, v in values.items()}
        prefix = self.region if self.region and "{region}" not in template else None
        return (f"{prefix}: " if prefix else "") + template.format(**values)

    def as_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "message": self.message,
                **self.place.as_dict(), "region": self.region, "category": self.category,
                "expected": self.expected, "found": self.found}


LANGUAGE_NAMES = {"ru": N_("Russian"), "kk": N_("Kazakh")}


def lang_name(lang: str) -> str:
    return _(LANGUAGE_NAMES[lang])
