"""Findings: what validation says about a monthly file, as values with a stable code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..i18n import N_, language, translations

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Kind:
    """One kind of finding: its severity and its message template."""

    severity: str
    template: str


# Errors make a report wrong or unreadable; warnings are what a person must look at but the
# validator cannot prove wrong (validate --strict fails on them too, and so does CI).
KINDS: dict[str, Kind] = {
    # reading the file
    "file-unreadable": Kind(ERROR, N_("the file cannot be read: {reason}")),
    "not-utf8": Kind(ERROR, N_("the file is not UTF-8 text ({reason}); save it as UTF-8")),
    "bad-character": Kind(ERROR, N_("the character {character} cannot stand in a YAML file")),
    "yaml-syntax": Kind(ERROR, N_("YAML syntax error: {problem}")),
    "empty-file": Kind(ERROR, N_(
        "the file holds no data: a monthly file is a mapping with period, summary and regions")),
    "multiple-documents": Kind(ERROR, N_(
        "the file holds more than one YAML document ('---'); a monthly file is one document")),
    "not-a-mapping": Kind(ERROR, N_(
        "a monthly file is a mapping of keys (period, summary, regions, ...), found {found}")),
    "duplicate-key": Kind(ERROR, N_(
        "the key '{key}' is given twice, on line {first_line} and here; the second would silently"
        " replace the first")),
    "alias-not-allowed": Kind(ERROR, N_(
        "YAML aliases (*{alias}) are not allowed in a monthly file; write the value out")),
    "tag-not-allowed": Kind(ERROR, N_("the YAML tag {tag} is not allowed; write plain values")),
    "nesting-too-deep": Kind(ERROR, N_(
        "the data nests deeper than {limit} levels; a monthly file needs five")),
    "key-not-text": Kind(ERROR, N_("a key must be plain text, found {found}")),
    "number-not-decimal": Kind(ERROR, N_(
        "{found} is {form} in YAML, which reads it as {value}; write numbers in decimal digits "
        "only: {readings}")),
    "character-not-printable": Kind(ERROR, N_(
        "the text holds {character} ({name}), which the reports' font cannot print: write "
        "it otherwise or leave it out")),
    "invisible-character": Kind(ERROR, N_(
        "the text holds {character} ({name}), a character nobody sees in the signed document; "
        "delete it")),
    # the schema
    "unknown-key": Kind(ERROR, N_("unknown key '{key}'; {hint}")),
    "missing-key": Kind(ERROR, N_("the key '{key}' is missing")),
    "text-cut-at-comma": Kind(ERROR, N_(
        "a comma inside {{ru: ..., kk: ...}} ends a text, so '{key}' became a key and the text "
        "before it was cut; write the text in quotes (ru: \"...\") or on lines of its own "
        "(ru: >-)")),
    "wrong-type": Kind(ERROR, N_("expected {expected}, found {found}")),
    "invalid-value": Kind(ERROR, N_("expected {expected}, found {found}")),
    "empty-text": Kind(ERROR, N_("the text is empty; every text is needed in both languages")),
    # the checks
    "file-name-not-period": Kind(ERROR, N_(
        "the file name '{found}' does not name a month; name monthly files YYYY-MM.yaml")),
    "period-out-of-range": Kind(ERROR, N_(
        "{found} is outside the years {first} to {last} that reports are made for; is the "
        "period mistyped?")),
    "period-mismatch": Kind(ERROR, N_(
        "the period is {found}, but the file is named {expected}.yaml")),
    "region-missing": Kind(ERROR, N_(
        "{region} has no row; every region in force in {period} needs one")),
    "region-not-in-period": Kind(ERROR, N_("{region} is not in force in {period} ({validity})")),
    "category-not-in-force": Kind(ERROR, N_(
        "the category is not in force in {period} ({validity}): the month's table has no "
        "such column; remove it")),
    "group-not-in-force": Kind(ERROR, N_(
        "the group '{group}' has no category in force in {period}; remove it")),
    "row-total-mismatch": Kind(ERROR, N_(
        "{region}: the total is {found}, the violations add up to {expected}")),
    "total-not-assessed": Kind(ERROR, N_(
        "{region}: the total is n/a, but some counts were assessed; they add up to {expected}")),
    "summary-mismatch": Kind(ERROR, N_(
        "{figure}: the summary states {found}, the table adds up to {expected}")),
    # the evidence register
    "evidence-mismatch": Kind(ERROR, N_(
        "{region} › {category}: the evidence register lists {found}, the table counts "
        "{expected}; a register lists every violation of the table, one entry each, or the "
        "file keeps none (no `evidence:`)")),
    "evidence-url-invalid": Kind(ERROR, N_(
        "{found} is not a well-formed web address (http or https)")),
    "evidence-date-outside-month": Kind(ERROR, N_(
        "{found} is not a day of the report's month {period}")),
    "document-date-too-early": Kind(ERROR, N_(
        "the document is dated {found}, before its month ends on {end}: is the date "
        "mistyped?")),
    "observation-without-findings": Kind(ERROR, N_(
        "this observation belongs to a category without findings this month; its paragraph is "
        "not printed, so the text would follow another category's: remove `category:` or the "
        "observation")),
    # the reference data: a fact the month's reports state, unknown for the month
    "fact-unknown": Kind(ERROR, N_(
        "on {day}, the last day of {period}, the reference data does not know {fact}; no reports "
        "can be built until it is added to {file}")),
    # a facts file (the folder's reference/facts.yaml)
    "facts-overlap": Kind(ERROR, N_(
        "this row of {fact} is in force on days the row on line {line} covers too ({start} to "
        "{end}); rows of one fact in one file follow one another")),
    "facts-dates-reversed": Kind(ERROR, N_(
        "the row ends on {end}, before it starts on {start}")),
    "facts-edition-unknown": Kind(ERROR, N_(
        "no rules row names the edition '{edition}'; known editions: {editions}")),
    # the register of publications beside a monthly file (data/<month>.register.csv)
    "register-mismatch": Kind(ERROR, N_(
        "the file says {found}, the register {register} derives {expected} (its rows: "
        "{rows}); `hearings tally` writes what it derives")),
    "register-invalid": Kind(ERROR, N_(
        "the register {register} has {count} problem(s), shown with it; nothing is derived "
        "from it until they are fixed")),
    "register-earlier-invalid": Kind(ERROR, N_(
        "the register of an earlier month, {other}, has {count} problem(s): a protocol of its "
        "announcements cannot be matched until they are fixed")),
    "register-unreadable": Kind(ERROR, N_("the register cannot be read: {reason}")),
    "register-column-unknown": Kind(ERROR, N_("unknown column '{key}'; {hint}")),
    "register-column-missing": Kind(ERROR, N_("the register has no column '{key}'")),
    "register-region-unknown": Kind(ERROR, N_(
        "no region in force that month is written '{found}'; {hint}")),
    "register-value-unknown": Kind(ERROR, N_("{key}: '{found}' is none of: {expected}")),
    "register-value-missing": Kind(ERROR, N_("{key} is empty; every row needs it")),
    "register-date-invalid": Kind(ERROR, N_(
        "{key}: '{found}' is no date; write 2020-08-25 or 25.08.2020")),
    "register-date-outside": Kind(ERROR, N_(
        "{key}: {found} lies outside {start} to {end}, where the month's register reaches")),
    "register-url-invalid": Kind(ERROR, N_(
        "'{found}' is no web address (http or https)")),
    "register-url-twice": Kind(ERROR, N_(
        "{found} is listed twice, here and in row {line}; a publication is one row")),
    "register-protocol-before-hearing": Kind(ERROR, N_(
        "the protocol is placed on {found}, before its hearing on {expected}")),
    "register-survey-reversed": Kind(ERROR, N_(
        "the survey ends on {found}, before it begins on {expected}")),
    # a folder's reference/categories.yaml
    "categories-code-twice": Kind(ERROR, N_(
        "'{code}' is given twice, here and on line {line}; a category or group is changed by "
        "one entry")),
    "categories-group-unknown": Kind(ERROR, N_(
        "no group '{group}' exists; groups: {groups} (a folder adds one under `groups:`)")),
    "categories-replaced-unknown": Kind(ERROR, N_(
        "no category '{code}' exists to be replaced")),
    "categories-overlap": Kind(ERROR, N_(
        "'{code}' is in force until {end} (line {line}), but its replacement starts on "
        "{start}; a replaced category ends the day before")),
    "placeholder-text": Kind(ERROR, N_(
        "the text '{found}' still holds the \"...\" of the example: write what the source "
        "says")),
    # warnings
    "month-untouched": Kind(WARNING, N_(
        "the month is as `new` wrote it: nothing placed, no violations, no closing text; fill "
        "it in before its reports are signed")),
    "fact-left-out": Kind(WARNING, N_(
        "on {day}, the last day of {period}, the reference data does not know {fact}; the "
        "reports leave it out until it is added to {file}")),
    # the reports can be written, but lack what a signed report has
    "not-ready-to-sign": Kind(WARNING, N_(
        "the file names no {missing}: the reports have no {part} until `{key}:` is added (see "
        "README)")),
    "period-in-future": Kind(WARNING, N_(
        "{found} is after the current month: it has not begun, and its reports would state "
        "days to come; is the period mistyped? (--strict refuses it)")),
    "signatory-ministry-former": Kind(WARNING, N_(
        "the position names «{found}», which is not the ministry in force in {period} "
        "(«{expected}»)")),
    "period-not-over": Kind(WARNING, N_(
        "{found} is not over: its last day, {last}, has not passed, and its reports would "
        "state a month not monitored to its end (--strict refuses it)")),
    "count-exceeds-placed": Kind(WARNING, N_(
        "{region} › {category}: the count is {found}, more than {bound} ({expected})")),
    "count-without-placed": Kind(WARNING, N_(
        "{region} › {category}: the count is {found}, but {bound} could not be assessed (n/a)")),
    "text-unfinished": Kind(WARNING, N_(
        "the text ends '…{found}', not as a sentence ends (. ! ? » )): was it cut short?")),
    "translation-outdated": Kind(WARNING, N_(
        "the {source} text (line {line}) changed after this {target} one was translated "
        "from it: translate it again, then `hearings translated --mark` records it")),
    "mixed-script": Kind(WARNING, N_(
        "the word '{word}' mixes Cyrillic and Latin letters (Latin: {latin})")),
}

WARNING_CODES = tuple(code for code, kind in KINDS.items() if kind.severity == WARNING)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(path: tuple) -> str:
    """Render a path of keys and indexes as a JSONPath: $.regions['almaty-city'].total."""
    parts = ["$"]
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _IDENTIFIER.match(step):
            parts.append(f".{step}")
        else:
            parts.append("['" + step.replace("'", "\\'") + "']")
    return "".join(parts)


@dataclass(frozen=True)
class Finding:
    """One problem in one file, with where it stands and the figures involved."""

    code: str
    file: str
    line: int
    column: int
    path: tuple = ()
    params: dict = field(default_factory=dict, compare=False)
    region: str | None = None
    category: str | None = None
    expected: object = None
    found: object = None
    # the language the names and phrases were given in; the message follows it
    language: str = field(default_factory=language, compare=False)
    # what to do about it, where a line cannot say it: a snippet to paste, say
    hint: str | None = field(default=None, compare=False)

    @property
    def severity(self) -> str:
        return KINDS[self.code].severity

    @property
    def message(self) -> str:
        catalog = translations(self.language)
        template = catalog.gettext(KINDS[self.code].template)
        # a region or category the reference data does not know is named as the file has it
        keys = dict(zip(self.path, self.path[1:], strict=False))
        values = {"region": self.region or keys.get("regions"),
                  "category": self.category or keys.get("violations"),
                  "expected": self.expected, "found": self.found, **self.params}
        values = {name: catalog.gettext("nothing") if value is None else value
                  for name, value in values.items()}
        # Name the region and category in words when the template does not already.
        where = [self.region if "{region}" not in template else None,
                 self.category if "{category}" not in template else None]
        prefix = " › ".join(w for w in where if w)
        return (f"{prefix}: " if prefix else "") + template.format(**values)

    @property
    def json_path(self) -> str:
        return json_path(self.path)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.json_path,
            "region": self.region,
            "category": self.category,
            "expected": self.expected,
            "found": self.found,
            "hint": self.hint,
        }


@dataclass
class FileReport:
    """All findings of one file, sorted by where they stand, and the figures if valid."""

    file: str
    findings: list[Finding]
    figures: dict | None = None
    allowed: frozenset = frozenset()  # warning codes that --strict lets pass (--allow)

    def __post_init__(self) -> None:
        # stable: findings at one place keep the order the checks gave them (reference order)
        self.findings.sort(key=lambda f: (f.line, f.column))

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def valid(self, strict: bool = False) -> bool:
        counted = [f for f in self.warnings if f.code not in self.allowed]
        return not self.errors and not (strict and counted)
