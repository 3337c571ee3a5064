"""Convert reports to archival PDF with LibreOffice, all files in one run."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from .exceptions import ConversionError
from .i18n import _

TIMEOUT_SECONDS = 300
# PDF/A-2 and tagged (a structure tree and the language, for screen readers and reflow)
EXPORT = "pdf:writer_pdf_Export:" + json.dumps({
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"}})


def libreoffice() -> str:
    """The LibreOffice command, or ConversionError saying how to get it."""
    command = shutil.which("soffice") or shutil.which("libreoffice")
    if command is None:
        raise ConversionError(_("--pdf needs LibreOffice, and `soffice` is not on PATH: "
                                "install it (Debian: apt-get install libreoffice-writer-nogui) "
                                "or build without --pdf"))
    return command


def to_pdf(documents: dict[str, bytes], families: list[str]) -> dict[str, bytes]:
    """PDF/A-2b bytes for each DOCX (name -> bytes), converted in a single LibreOffice run,
    each validated and drawn in `families` only (ConversionError otherwise: nothing is
    returned)."""
    from .pdfa import archival  # 0.13 s of imports that a build without --pdf does not need

    command = libreoffice()
    with tempfile.TemporaryDirectory(prefix="hearings-pdf-") as work:
        work = Path(work)
        (work / "in").mkdir()
        for name, data in documents.items():
            (work / "in" / name).write_bytes(data)
        try:
            done = subprocess.run(
                [command, "--headless", "--norestore",
                 f"-env:UserInstallation={(work / 'profile').as_uri()}",
                 "--convert-to", EXPORT, "--outdir", str(work / "out"),
                 *(str(work / "in" / name) for name in documents)],
                capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired as err:
            raise ConversionError(_("LibreOffice did not finish within {seconds} s").format(
                seconds=TIMEOUT_SECONDS)) from err
        except OSError as err:
            raise ConversionError(_("LibreOffice could not be started: {reason}").format(
                reason=err)) from err
        results = {}
        for name in documents:
            pdf = work / "out" / (Path(name).stem + ".pdf")
            if done.returncode != 0 or not pdf.exists():
                detail = (done.stderr or done.stdout).strip().splitlines()[-1:]
                raise ConversionError(_("LibreOffice did not convert {name} (exit {code}): "
                                        "{detail}").format(name=name, code=done.returncode,
                                                           detail=" ".join(detail)))
            results[pdf.name] = archival(pdf.name, pdf.read_bytes(), documents[name],
                                            families)
        return results
