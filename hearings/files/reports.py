"""A month's reports written into its folder: the DOCX (and the PDF made from each) changing
together under the folder's lock, a report with other content replaced only when asked and
kept among the previous files, and why it differs said when it is not."""

from __future__ import annotations

import os
from pathlib import Path

from ..documents.parity import full_text
from ..exceptions import ReportExistsError, WriteError
from ..i18n import _
from .limits import TEMPLATE_LIMIT, read_limited
from .lock import folder_lock
from .pdf import to_pdf
from .plan import REPLACED, UNCHANGED, Plan, digest
from .write import recover, replace_folder


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
