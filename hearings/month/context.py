"""The file under validation: its data, period and reference data, and where findings go."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from ..i18n import language
from .findings import FileReport, Finding
from .load import Document, Mark
from .reference import Period, Reference, reference

NOT_ASSESSED = "n/a"
# No region, nor all together, places or breaks anything near this in a month (all of them
# place about 200 announcements): a figure above it is a typing slip, and sums of such would not
# even print (Python refuses integers of more than 4 300 digits as text).
MAX_COUNT = 1_000_000


def nearest(key: str, allowed: list[str]) -> list[str]:
    """The valid key a mistyped one most likely meant (none when nothing is close)."""
    return difflib.get_close_matches(key, allowed, n=1, cutoff=0.75)


def is_count(value: object) -> bool:
    """A whole number from 0 to MAX_COUNT (a YAML true/false is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _names_language() -> str:
    """The language of region and category names in messages: the messages' own."""
    return language()


def category_name(reference: Reference, code: object) -> str | None:
    """A category's name where it stands alone (not the column header "Отсутствует", which
    says something only under its group), in the message language; None for an unknown
    code."""
    category = reference.category(code) if isinstance(code, str) else None
    return category.label[_names_language()] if category else None


def path_names(reference: Reference, path: tuple, period: Period | None) -> dict:
    """The region and category a path like regions.akmola.violations.backdated names, in
    the message language (Russian names for English messages)."""
    lang = _names_language()
    names = {}
    if len(path) > 1 and path[0] == "regions" and isinstance(path[1], str):
        region = reference.region(path[1])
        if region is not None:
            forms = region.name(period) if period else region.names[-1]
            names["region"] = forms.forms[lang]["official"]
        if len(path) > 3 and path[2] == "violations":
            category = category_name(reference, path[3])
            if category is not None:
                names["category"] = category
    return names


def period_of(text: object) -> Period | None:
    """The period text names, or None."""
    try:
        return Period.parse(text) if isinstance(text, str) else None
    except ValueError:
        return None


# YAML's escapes of a double-quoted text that stand for one character
_ESCAPES = {"\0": "0", "\a": "a", "\b": "b", "\t": "t", "\n": "n", "\v": "v", "\f": "f",
            "\r": "r", "\x1b": "e", "\x85": "N", "\xa0": "_", "\u2028": "L", "\u2029": "P"}


def _hex(point: int, width: int) -> str:
    """The hex digits of a code point as a pattern, in either case: 1b, 1B."""
    return "".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in f"{point:0{width}x}")


def _escapes(text: str) -> list[str]:
    """The ways YAML can write a single character as an escape, as patterns."""
    if len(text) != 1:
        return []
    point = ord(text)
    found = [r"\\U" + _hex(point, 8)]
    if point < 0x10000:
        found.insert(0, r"\\u" + _hex(point, 4))
    if point < 0x100:
        found.insert(0, r"\\x" + _hex(point, 2))
    if text in _ESCAPES:
        found.insert(0, re.escape("\\" + _ESCAPES[text]))
    return found


def unreadable(err, file: str) -> FileReport:
    """The one finding of a file that could not be read into data (a LoadError)."""
    names = path_names(reference(), err.path, period_of(Path(file).stem))
    return FileReport(file, [Finding(err.code, file, err.mark.line, err.mark.column, err.path,
                                     params=err.params, **names)])


@dataclass
class Context:
    """One monthly file under validation."""

    document: Document
    reference: Reference
    facts: object = None  # the Facts the month's reports state (see facts.py)

    @property
    def data(self) -> dict:
        return self.document.data

    @property
    def period(self) -> Period | None:
        """The period the file states, else the one its name gives."""
        return period_of(self.data.get("period")) or period_of(Path(self.document.file).stem)

    def regions(self) -> dict:
        """The table's rows by region code, or an empty mapping when malformed."""
        regions = self.data.get("regions")
        return regions if isinstance(regions, dict) else {}

    def finding(self, code: str, path: tuple, *, key: bool = False, mark: Mark | None = None,
                **fields) -> Finding:
        """A finding placed at path, with the region and category that path names."""
        mark = mark or self.document.where(path, key=key)
        fields = {**path_names(self.reference, path, self.period), **fields}
        return Finding(code, self.document.file, mark.line, mark.column, path, **fields)

    def text_mark(self, path: tuple, text: str) -> Mark:
        """Where a piece of a text value stands in the file, as written there (a character
        may be written as a YAML escape: \\a, \\x07, \\u00e9); the text's start if not
        found."""
        start = self.document.where(path)
        lines = self.document.lines
        pattern = "|".join([re.escape(text), *_escapes(text)])
        for index in range(start.line - 1, len(lines)):
            offset = start.column - 1 if index == start.line - 1 else 0
            found = re.search(pattern, lines[index][offset:])
            if found:
                return Mark(index + 1, offset + found.start() + 1)
        return start


def well_typed(value: object) -> bool:
    """A count, or n/a."""
    return is_count(value) or value == NOT_ASSESSED


def violations_of(row: object) -> dict:
    """A region's row's counts by category; {} where the row has none well formed."""
    violations = row.get("violations") if isinstance(row, dict) else None
    return violations if isinstance(violations, dict) else {}
