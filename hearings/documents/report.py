"""Build one month's reports: validate, model, localize, render, check parity, write safely."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import ReportExistsError, WriteError
from ..files.limits import TEMPLATE_LIMIT, read_limited
from ..files.lock import folder_lock
from ..files.pdf import libreoffice, to_pdf
from ..files.plan import REPLACED, UNCHANGED, Plan, digest
from ..files.workspace import Workspace
from ..files.write import recover, replace_folder
from ..i18n import _
from ..month.findings import FileReport
from ..month.model import Month, month_from
from ..month.reference import LANGUAGES, document_settings, reference
from ..month.validate import check_file
from .chart import chart_data
from .localize import document_context, table
from .parity import check_parity, full_text
from .render import render
from .tables import monthly_table

KEEP_PREVIOUS = 3  # sets of previous files kept in a month's folder


@dataclass
class Outcome:
    """What a build did: the validation report, and each file with what happened to it."""

    report: FileReport
    files: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def previous_month(month: Month, path: Path, month_facts=None
                   ) -> tuple[Month | None, str | None]:
    """The month before from its file, and a note when the reports make no comparison: the
    same wherever the month's own file lies."""
    if not path.exists():
        return None, _("there is no {path}: the reports say nothing about the month before")\
            .format(path=path)
    report, context = check_file(path, month_facts=month_facts)
    if report.errors:
        return None, _("{path} has errors: the comparison with the previous month is left "
                       "out").format(path=path)
    if context.period != month.period.previous():
        return None, _("{path} is not the month before {period}: the comparison is left "
                       "out").format(path=path, period=month.period)
    return month_from(context.data, reference()), None


def _excerpt(line: str, begin: int, width: int = 100) -> str:
    return ("…" if begin else "") + line[begin:begin + width] + (
        "…" if len(line) > begin + width else "")


def _what_changed(path: Path, content: bytes) -> str:
    """The first line of the report's text that the new one says otherwise (the comparison
    with a corrected month before, say), so that nobody has to guess why it differs."""
    try:
        before = full_text(read_limited(path, TEMPLATE_LIMIT, follow_links=False)).splitlines()
    except Exception:  # an unreadable or damaged report: nothing to show of it
        return _("{file}: it cannot be read to say what changed").format(file=path)
    after = full_text(content).splitlines()
    for old, new in zip([*before, ""], [*after, ""], strict=False):
        if old != new:
            start = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b),
                         min(len(old), len(new)))
            begin = max(0, start - 40)
            return _("{file}: «{old}» is now «{new}»").format(
                file=path, old=_excerpt(old, begin), new=_excerpt(new, begin))
    return _("{file}: the same text in another form (a template or the document's settings "
             "changed)").format(file=path)


def _refuse_replacing(blocked: dict[Path, bytes], force: bool) -> None:
    if blocked and not force:
        raise ReportExistsError(_(
            "these reports exist with other content and were not replaced: {files}; rebuild "
            "with --force to replace them (the previous files are kept beside)").format(
                files=", ".join(str(p) for p in blocked)) + "\n" + "\n".join(
                    "  " + _what_changed(path, content) for path, content in blocked.items()))


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
          previous: Path | None = None, keep: int = KEEP_PREVIOUS) -> Outcome:
    """Write reports/<period>/<period>-<lang>.docx (and .pdf) for a valid file.

    A file that names no signatory or executor gives reports without the signature block or
    the executor's line, and a warning. Nothing is written when the file is invalid (with
    strict, when it has warnings), when a report exists with other content and force is not
    given, or when PDF conversion fails. The templates are the workspace's (default: the
    current folder's), else the packaged ones; the month before is `previous`, by default
    the workspace's data/<month before>.yaml, wherever the month's own file lies. Replaced
    files go into one numbered set of previous files per build, DOCX and PDF together; at most
    `keep` sets are kept.
    """
    prepared = prepare(data_file, reports_dir, pdf=pdf, strict=strict, workspace=workspace,
                       previous=previous)
    if isinstance(prepared, Outcome):
        return prepared
    return write(prepared, force=force, pdf=pdf, keep=keep)


def prepare(data_file: Path, reports_dir: Path, *, pdf: bool = False, strict: bool = False,
            workspace: Workspace | None = None, previous: Path | None = None
            ) -> Prepared | Outcome:
    """The month's documents, made and checked; an Outcome when the file is refused."""
    workspace = workspace or Workspace.here()
    # validate (readiness to sign included: --strict means the same as for validate)
    month_facts = workspace.checked_facts()
    report, context = check_file(data_file, month_facts=month_facts)
    if not report.valid(strict):
        return Outcome(report)
    if pdf:
        libreoffice()  # fail before rendering when it is missing
    # model, words, documents
    ref, settings = reference(), document_settings()
    month = month_from(context.data, ref)
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
    # both languages state the same figures, and the summary agrees with the table
    check_parity(documents, [month.group_columns(group.code) for group in ref.groups])
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


def write_reports(folder: Path, stem: str, documents: dict[str, bytes], *, force: bool,
                  pdf: bool, keep: int, families: list[str],
                  converted: dict[str, bytes] | None = None
                  ) -> tuple[list[tuple[Path, str]], list[str]]:
    """Write <stem>-<lang>.docx (and .pdf) into folder, all files changing together; each
    file with what happened to it, and notes. A report with other content is replaced only
    with force; the replaced files go into a numbered set of previous files (at most `keep`
    sets). One command at a time writes a folder: the others wait for it (see lock)."""
    if folder.is_symlink():
        raise WriteError(_("{folder} is a symbolic link (to {target}); a month's reports are "
                           "kept in a folder of their own: nothing was written").format(
                               folder=folder, target=os.readlink(folder)))
    try:
        with folder_lock(folder):
            return _write_locked(folder, stem, documents, force=force, pdf=pdf, keep=keep,
                                 families=families, converted=converted or {})
    except OSError as err:
        raise WriteError(_("{folder} cannot be written: {reason}; what was there is as it "
                           "was").format(folder=folder, reason=_reason(err))) from err


def _reason(err: OSError) -> str:
    where = f" ({err.filename})" if err.filename else ""
    return f"{err.strerror or err}{where}"


def _write_locked(folder: Path, stem: str, documents: dict[str, bytes], *, force: bool,
                  pdf: bool, keep: int, families: list[str], converted: dict[str, bytes]
                  ) -> tuple[list[tuple[Path, str]], list[str]]:
    # plan every file before writing any, on what a killed build may have left (no build
    # that is alive left it: each holds the lock while it has anything beside the folder)
    recover(folder)
    plan = Plan.of(folder, stem)
    docx = {lang: f"{stem}-{lang}.docx" for lang in documents}
    pdfs = {lang: f"{stem}-{lang}.pdf" for lang in documents}
    statuses = {lang: plan.status(docx[lang], documents[lang]) for lang in documents}
    _refuse_replacing({folder / docx[lang]: documents[lang] for lang in documents
                       if statuses[lang] == REPLACED}, force)
    # a PDF stays only while it was made from the very DOCX beside it
    stale = [lang for lang in documents if not plan.pdf_is_current(docx[lang], documents[lang])]
    made = {pdfs[lang]: converted[digest(documents[lang])] for lang in stale
            if digest(documents[lang]) in converted}
    missing = {docx[lang]: documents[lang] for lang in stale if pdfs[lang] not in made}
    if pdf and missing:
        made |= to_pdf(missing, families)
    converted = made if pdf else {}
    for lang in documents:
        plan.write(docx[lang], documents[lang], statuses[lang])
    for lang in documents:
        if pdfs[lang] in converted:
            plan.write(pdfs[lang], converted[pdfs[lang]],
                       plan.status(pdfs[lang], converted[pdfs[lang]]))
            plan.record(pdfs[lang], documents[lang])
        elif lang in stale and (folder / pdfs[lang]).exists():
            plan.remove_aside(pdfs[lang])
        elif pdf:
            plan.said[pdfs[lang]] = _(UNCHANGED)
    plan.keep_at_most(keep)
    # the files change together, or not at all
    notes = (replace_folder(folder, plan.renames, plan.files, plan.removals)
             if plan.finish() else [])
    return [(folder / name, said) for name, said in plan.said.items()], notes
