"""A month's folder stays readable: every PDF was made from the DOCX beside it, and replaced
files go into numbered sets, DOCX and PDF of one build together, a limited number of them."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from hearings.commands.cli import main
from hearings.documents import report
from hearings.files import pdf, reports

from .months import month_data, write_month


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _version(backdated: int) -> None:
    """August 2020 with Akmola's backdated announcements as given."""
    write_month(Path("data"), month_data(
        "2020-08", {("akmola", "backdated"): backdated, ("kostanay", "protocol-missing"): 2}))


def _build(*args: str):
    result = CliRunner().invoke(main, ["build", "data/2020-08.yaml", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _names(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def fake_pdf(monkeypatch):
    """A stand-in for LibreOffice that writes which DOCX each PDF was made from."""
    def convert(documents, families):
        return {name.replace(".docx", ".pdf"): b"%PDF " + hashlib.sha256(data).hexdigest().encode()
                for name, data in documents.items()}
    monkeypatch.setattr(reports, "to_pdf", convert)
    monkeypatch.setattr(report, "libreoffice", lambda: "soffice")
    monkeypatch.setattr(report, "early_conversion", lambda data_file: None)
    monkeypatch.setattr(pdf, "early_conversion", lambda data_file: None)


def _made_from(pdf_path, docx_path) -> bool:
    return pdf_path.read_bytes() == b"%PDF " + hashlib.sha256(
        docx_path.read_bytes()).hexdigest().encode()


def test_no_pdf_stays_beside_a_docx_it_was_not_made_from(workspace, fake_pdf) -> None:
    month = workspace / "reports" / "2020-08"
    _version(2)
    _build("--pdf")
    _version(3)
    said = _build("--force")  # a new DOCX, no new PDF: the old PDF must not stay beside it
    assert "2020-08-ru.pdf: moved to 2020-08-ru.previous-1.pdf" in said
    assert not (month / "2020-08-ru.pdf").exists() and not (month / "2020-08-kk.pdf").exists()
    said = _build("--pdf", "--force")  # the DOCX is unchanged, its PDF is made anew
    assert "2020-08-ru.docx: unchanged" in said and "2020-08-ru.pdf: written" in said
    for lang in ("ru", "kk"):
        assert _made_from(month / f"2020-08-{lang}.pdf", month / f"2020-08-{lang}.docx")
    assert "2020-08-ru.pdf: unchanged" in _build("--pdf")
    # the previous set holds the old DOCX with the PDF made from it
    assert _made_from(month / "2020-08-ru.previous-1.pdf", month / "2020-08-ru.previous-1.docx")


def test_a_pdf_the_record_does_not_vouch_for_is_made_again(workspace, fake_pdf) -> None:
    month = workspace / "reports" / "2020-08"
    _version(2)
    _build("--pdf")
    (month / ".made-from.json").unlink()  # e.g. reports copied from elsewhere
    said = _build("--pdf")  # made again; the same bytes here, so kept, and vouched for again
    assert "2020-08-ru.pdf: unchanged" in said
    assert (month / ".made-from.json").exists()
    assert _made_from(month / "2020-08-ru.pdf", month / "2020-08-ru.docx")


def test_previous_files_are_numbered_sets_and_limited(workspace) -> None:
    month = workspace / "reports" / "2020-08"
    for backdated in (2, 3, 4, 5):
        _version(backdated)
        _build("--force", "--keep", "2")
    assert _names(month) == [
        "2020-08-kk.docx", "2020-08-kk.previous-2.docx", "2020-08-kk.previous-3.docx",
        "2020-08-ru.docx", "2020-08-ru.previous-2.docx", "2020-08-ru.previous-3.docx"]
    _version(6)
    said = _build("--force", "--keep", "0")
    assert "2020-08-ru.docx: replaced\n" in said
    assert _names(month) == ["2020-08-kk.docx", "2020-08-ru.docx"]


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or pdftotext not installed")
def test_the_stale_pdf_sequence_ends_with_the_new_figure(workspace) -> None:
    month = workspace / "reports" / "2020-08"
    _version(2)
    _build("--pdf")
    _version(3)
    _build("--force")
    _build("--pdf", "--force")
    for lang, listed in (("ru", "Акмолинская обл. (3)"), ("kk", "Ақмола обл. (3)")):
        text = subprocess.run(["pdftotext", "-layout", str(month / f"2020-08-{lang}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert listed in " ".join(text.split()), lang


def _openssl(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("openssl") is None,
                    reason="LibreOffice or openssl not installed")
def test_a_detached_signature_outlives_rebuilds_and_leaves_with_what_it_signed(
        workspace) -> None:
    """A CMS signature beside a PDF (as NCALayer makes them, here with openssl and a key of
    the test's own) still verifies after rebuilds that change nothing, the PDF made again
    from scratch included; a replaced PDF takes its signature into the previous set."""
    month = workspace / "reports" / "2020-08"
    assert _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=signer",
                    "-days", "1", "-keyout", "key.pem", "-out", "cert.pem",
                    cwd=workspace).returncode == 0
    _version(2)
    _build("--pdf")
    pdf, signature = month / "2020-08-ru.pdf", month / "2020-08-ru.pdf.cms"
    assert _openssl("cms", "-sign", "-binary", "-in", str(pdf), "-signer", "cert.pem",
                    "-inkey", "key.pem", "-outform", "DER", "-out", str(signature),
                    cwd=workspace).returncode == 0

    def verifies(document, cms) -> bool:
        return _openssl("cms", "-verify", "-binary", "-inform", "DER", "-in", str(cms),
                        "-content", str(document), "-CAfile", "cert.pem", "-out", "/dev/null",
                        cwd=workspace).returncode == 0

    assert verifies(pdf, signature)
    inode = pdf.stat().st_ino
    assert "2020-08-ru.pdf: unchanged" in _build("--pdf", "--force")
    assert pdf.stat().st_ino == inode and verifies(pdf, signature)
    for made in (".made-from.json", "2020-08-ru.pdf"):  # made again from nothing: same bytes
        (month / made).unlink()
        _build("--pdf")
        assert verifies(pdf, signature), made
    _version(3)
    said = _build("--pdf", "--force")
    assert "2020-08-ru.pdf.cms: moved to 2020-08-ru.previous-1.pdf.cms" in said
    assert not signature.exists()
    assert verifies(month / "2020-08-ru.previous-1.pdf", month / "2020-08-ru.previous-1.pdf.cms")
    assert not verifies(pdf, month / "2020-08-ru.previous-1.pdf.cms")
