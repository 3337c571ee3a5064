"""Build one month's reports: validate, model, localize, render, check parity; then hand them to
files/reports, which writes them."""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..files.cache import remembered
from ..files.limits import UnreadableFile, read_limited
from ..files.pdf import EarlyConversion, early_conversion, libreoffice
from ..files.plan import Plan, digest
from ..files.reports import write_reports
from ..files.workspace import Workspace
from ..i18n import _
from ..month.findings import FileReport
from ..month.model import Month, month_from
from ..month.reference import LANGUAGES, document_settings
from ..month.tally import register_evidence
from ..month.validate import check_file
from .chart import chart_data
from .localize import document_context, keep_answers, table
from .parity import check_parity
from .render import render
from .tables import monthly_table

KEEP_PREVIOUS = 3  # sets of previous files kept in a month's folder


@dataclass
class Outcome:
    """What a build did: the validation report, and each file with what happened to it."""

    report: FileReport
    files: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# The files this process validated last, by their state on disk (build --all validates each
# month, then again as the month before the next): at most a few, each with its facts.
_CHECKED: dict[tuple, tuple] = {}


def _state(path: Path) -> bytes | None:
    """What a file's findings depend on, on disk: its bytes (None: not kept, when registers
    lie beside it, which its counts are checked against)."""
    if next(path.parent.glob("*.register.*"), None) is not None:
        return None
    try:
        return hashlib.sha256(str(path).encode() + b"\0" + read_limited(path)).digest()
    except UnreadableFile:
        return None


def checked(path: Path, month_facts) -> tuple:
    """check_file, once for a file as it stands on disk and the same facts (kept with its
    entry, so that their id names no other while it is kept)."""
    state = _state(path)
    if state is None:
        return check_file(path, month_facts=month_facts)
    return remembered(_CHECKED, (state, id(month_facts)), lambda: (
        month_facts, check_file(path, month_facts=month_facts)), size=4)[1]


def previous_month(month: Month, path: Path, month_facts=None
                   ) -> tuple[Month | None, str | None]:
    """The month before from its file, and a note when the reports make no comparison: the
    same wherever the month's own file lies."""
    if not path.exists():
        return None, _("there is no {path}: the reports say nothing about the month before")\
            .format(path=path)
    report, context = checked(path, month_facts)
    if report.errors:
        return None, _("{path} has errors: the comparison with the previous month is left "
                       "out").format(path=path)
    if context.period != month.period.previous():
        return None, _("{path} is not the month before {period}: the comparison is left "
                       "out").format(path=path, period=month.period)
    return month_from(context.data, context.reference), None


@dataclass
class Prepared:
    """A month's two documents, made and checked, not yet written."""

    report: FileReport
    folder: Path
    stem: str
    documents: dict[str, bytes]
    families: list[str]
    notes: list[str]


def build(data_file: Path, reports_dir: Path, *, force: bool = False, pdf: bool = False,
          strict: bool = False, workspace: Workspace | None = None,
          previous: Path | None = None, keep: int = KEEP_PREVIOUS,
          early: EarlyConversion | None = None) -> Outcome:
    """Write reports/<period>/<period>-<lang>.docx (and .pdf) for a valid file.

    A file that names no signatory or executor gives reports without the signature block or
    the executor's line, and a warning. Nothing is written when the file is invalid (with
    strict, when it has warnings), when a report exists with other content and force is not
    given, or when PDF conversion fails. The templates are the workspace's (default: the
    current folder's), else the packaged ones; the month before is `previous`, by default
    the workspace's data/<month before>.yaml, wherever the month's own file lies. Replaced
    files go into one numbered set of previous files per build, DOCX and PDF together; at most
    `keep` sets are kept. With pdf, LibreOffice is started before the documents are made
    (`early`: the one the caller started, else one started here).
    """
    if pdf and early is None:
        with early_conversion(data_file) or contextlib.nullcontext() as started:
            return _build(data_file, reports_dir, force, pdf, strict, workspace, previous,
                          keep, started)
    return _build(data_file, reports_dir, force, pdf, strict, workspace, previous, keep,
                  early)


def _build(data_file: Path, reports_dir: Path, force: bool, pdf: bool, strict: bool,
           workspace: Workspace | None, previous: Path | None, keep: int,
           early: EarlyConversion | None) -> Outcome:
    prepared = prepare(data_file, reports_dir, pdf=pdf, strict=strict, workspace=workspace,
                       previous=previous)
    if isinstance(prepared, Outcome):
        return prepared
    converted = None
    documents = stale_documents(prepared) if early is not None else {}
    if documents and early.names == _names(prepared.stem):
        made = early.finish(documents, prepared.families)
        converted = {digest(data): made[name.removesuffix(".docx") + ".pdf"]
                     for name, data in documents.items()}
    return write(prepared, force=force, pdf=pdf, keep=keep, converted=converted)


def _names(stem: str) -> list[str]:
    return [f"{stem}-{lang}.docx" for lang in LANGUAGES]


def prepare(data_file: Path, reports_dir: Path, *, pdf: bool = False, strict: bool = False,
            workspace: Workspace | None = None, previous: Path | None = None
            ) -> Prepared | Outcome:
    """The month's documents, made and checked; an Outcome when the file is refused."""
    workspace = workspace or Workspace.here()
    # validate (readiness to sign included: --strict means the same as for validate)
    month_facts = workspace.checked_facts()
    report, context = checked(data_file, month_facts)
    if not report.valid(strict):
        return Outcome(report)
    if pdf:
        libreoffice()  # fail before rendering when it is missing
    # model, words, documents
    ref, settings = context.reference, document_settings()
    month = month_from(context.data, ref)
    if month.evidence is None:  # the appendix from the register, where the month keeps one
        month = replace(month, evidence=register_evidence(data_file, month, month_facts))
    in_force = month_facts.for_month(month.period)
    before, note = previous_month(
        month, previous or workspace.data_dir / f"{month.period.previous()}.yaml", month_facts)
    charts = {lang: chart_data(month, ref, lang, settings["languages"][lang]["chart"]["marker"])
              for lang in LANGUAGES}
    documents = {
        lang: render(document_context(month, ref, in_force, settings, lang, before),
                     monthly_table(table(month, ref, lang, settings["languages"][lang]),
                                   settings),
                     settings, lang, month.period.last_day, workspace.template(lang),
                     charts[lang])
        for lang in LANGUAGES}
    keep_answers()
    # both languages state the same figures, and the summary agrees with the table
    check_parity(documents, [month.group_columns(group.code) for group in month.groups])
    return Prepared(report, reports_dir / str(month.period), str(month.period), documents,
                    settings["font"]["pdf_families"], [note] if note else [])


def write(prepared: Prepared, *, force: bool, pdf: bool, keep: int,
          converted: dict[str, bytes] | None = None) -> Outcome:
    """Write a prepared month; `converted` holds PDFs already made, by the digest of the
    DOCX they were made from (many months converted in one LibreOffice run)."""
    files, notes = write_reports(prepared.folder, prepared.stem, prepared.documents,
                                 force=force, pdf=pdf, keep=keep, families=prepared.families,
                                 converted=converted)
    return Outcome(prepared.report, files, notes=prepared.notes + notes)


def stale_documents(prepared: Prepared) -> dict[str, bytes]:
    """The month's DOCX whose PDF would be made again, as the folder stands now (a hint for
    converting many months at once: the write decides again, under the folder's lock)."""
    plan = Plan.of(prepared.folder, prepared.stem)
    return {f"{prepared.stem}-{lang}.docx": data for lang, data in prepared.documents.items()
            if not plan.pdf_is_current(f"{prepared.stem}-{lang}.docx", data)}


