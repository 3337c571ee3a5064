"""Validate monthly files: load, check against the schema, run the checks, collect findings."""

from __future__ import annotations

from pathlib import Path

from ..files.limits import TEXT_LIMIT, size_text
from ..i18n import _
from .checks import CHECKS, table_figures
from .conformance import check_schema
from .context import Context, period_of, unreadable
from .facts.dated import Facts, facts
from .findings import FileReport, Finding
from .load import Document, LoadError, Mark, decode, load, parse
from .reference import Period
from .tally import check_register


def _describe(value: object) -> str:
    return "a list" if isinstance(value, list) else f"a single value ({value!r})"


def validate_file(path: Path, file: str | None = None, month_facts: Facts | None = None
                  ) -> FileReport:
    """All findings for one file; figures are filled in when it has no errors."""
    return check_file(path, file, month_facts)[0]


def check_file(path: Path, file: str | None = None, month_facts: Facts | None = None
               ) -> tuple[FileReport, Context | None]:
    """The findings for one file, and the file as loaded (None when it could not be); the
    facts are the package's unless a folder's are given (Workspace.facts)."""
    file = file or str(path)
    try:
        document = load(path, file)
    except LoadError as err:
        return unreadable(err, file), None
    return check_document(document, month_facts, path)


def check_text(text: str, file: str, month_facts: Facts | None = None) -> FileReport:
    """The findings for a monthly file's text that is not on disk (what `new` writes, what
    an editor holds), with the same checks of its characters as a file's bytes get, and
    the same limit of its size."""
    raw = text.encode("utf-8", "replace")
    if len(raw) > TEXT_LIMIT:
        return unreadable(LoadError("file-unreadable", Mark(1, 1), reason=_(
            "it is larger than {limit} ({size})").format(
                limit=size_text(TEXT_LIMIT), size=size_text(len(raw)))), file)
    try:
        return check_document(parse(decode(raw), file), month_facts, Path(file))[0]
    except LoadError as err:
        return unreadable(err, file)


def check_document(document: Document, month_facts: Facts | None = None,
                   path: Path | None = None) -> tuple[FileReport, Context | None]:
    """The findings for a loaded file, and its context for the build; with the file's
    `path`, its counts against the register beside it, where it has one."""
    file = document.file
    if not isinstance(document.data, dict):
        mark = document.where(())
        return FileReport(file, [Finding("not-a-mapping", file, mark.line, mark.column,
                                         found=_describe(document.data))]), None
    month_facts = month_facts or facts()
    context = Context(document, month_facts.reference, month_facts)
    findings = list(check_schema(context))
    for check in CHECKS:
        findings.extend(check(context))
    if path is not None:
        findings.extend(check_register(context, path))
    report = FileReport(file, findings)
    if not report.errors:
        figures = table_figures(context)
        report.figures = {
            "period": str(context.period),
            "regions": len(context.regions()),
            "announcements": figures["summary", "announcements"],
            "protocols": figures["summary", "protocols"],
            "violations": figures["summary", "violations"],
        }
    return report, context


def default_files(data_dir: Path = Path("data")) -> list[Path]:
    """The monthly files in data/, oldest first."""
    return sorted(data_dir.glob("*.yaml"))


def newest_month(data_dir: Path) -> list[Path]:
    """The file of the newest month in data/, by the months the names give: "2020-08_v2.yaml"
    or "Копия 2020-08.yaml" is no month's file, whatever it sorts after."""
    months = [path for path in default_files(data_dir) if period_of(path.stem)]
    return months[-1:]


def months_in(data_dir: Path) -> list[Period]:
    """The months the names of data/'s files give, oldest first."""
    return sorted({period for path in default_files(data_dir) if (period := period_of(path.stem))},
                  key=lambda period: (period.year, period.month))
