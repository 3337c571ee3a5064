"""Convert reports to archival PDF with LibreOffice, all files in one run: its whole process
group ended on a timeout or an interrupt, its output read up to a limit, its work folder
removed by the next build when the build that made it is gone."""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..exceptions import ConversionError
from ..i18n import _
from .write import uninterrupted

_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")

try:
    import fcntl
except ImportError:  # not a POSIX system: work folders are left to the system's cleaning
    fcntl = None

TIMEOUT_SECONDS = 300
OUTPUT_LIMIT = 64 * 1024  # of what LibreOffice prints, the end is kept: the reason is there
WORK_PREFIX = "hearings-pdf-"
OWNER = ".owner"  # a lock file in a work folder, held while the build that made it runs
GROUP = ".libreoffice"  # the process group of the LibreOffice a work folder's build started
# PDF/A-2 and tagged (a structure tree and the language, for screen readers and reflow)
EXPORT = "pdf:writer_pdf_Export:" + json.dumps({
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"}})
# What LibreOffice prints that says nothing about a conversion
NOISE = ("javaldx", "java may not function", "Warning: ", "fontconfig")
# LibreOffice's settings for a conversion of untrusted files: nothing a file names is
# fetched (a picture linked by address, a link to update, an HTML page's image): every
# address goes to a proxy that is not there (port 9 of this machine), links are never
# updated, referer links blocked, macros never run.
_NO_PROXY_THERE = {f"ooInet{kind}Proxy{key}": value for kind in ("HTTP", "HTTPS", "FTP")
                   for key, value in (("Name", "127.0.0.1"), ("Port", "9"))}
SETTINGS = {
    "/org.openoffice.Inet/Settings": {"ooInetProxyType": "1", "ooInetNoProxy": "",
                                      **_NO_PROXY_THERE},
    "/org.openoffice.Office.Common/Security/Scripting": {
        "BlockUntrustedRefererLinks": "true", "DisableMacrosExecution": "true",
        "MacroSecurityLevel": "3"},
    "/org.openoffice.Office.Writer/Content/Update": {"Link": "0"},  # 0: never
}


def libreoffice() -> str:
    """The LibreOffice command, or ConversionError saying how to get it."""
    command = shutil.which("soffice") or shutil.which("libreoffice")
    if command is None:
        raise ConversionError(_("--pdf needs LibreOffice, and `soffice` is not on PATH: "
                                "install it (Debian: apt-get install libreoffice-writer-nogui) "
                                "or build without --pdf"))
    return command


def _tail(path: Path) -> str:
    """The last OUTPUT_LIMIT bytes of what LibreOffice printed, as text."""
    try:
        with path.open("rb") as stream:
            stream.seek(max(0, path.stat().st_size - OUTPUT_LIMIT))
            return stream.read().decode("utf-8", "replace")
    except OSError:
        return ""


def reason(output: str) -> str:
    """The line of LibreOffice's output that says why a conversion failed: the last error it
    printed, else its last line that is not noise (a missing Java, font warnings)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    meaningful = [line for line in lines if not any(noise in line for noise in NOISE)]
    errors = [line for line in meaningful if "error" in line.lower()]
    chosen = (errors or meaningful or [_("it printed nothing")])[-1]
    return chosen[:300]


def sweep(folder: Path | None = None) -> None:
    """Remove the work folders of builds that are gone (killed, say); a folder whose owner
    still runs keeps its lock and stays."""
    if fcntl is None:
        return
    folder = folder or Path(tempfile.gettempdir())
    for work in folder.glob(WORK_PREFIX + "*"):
        try:
            if work.is_symlink() or not work.is_dir() or work.stat().st_uid != os.getuid():
                continue
            fd = os.open(work / OWNER, os.O_RDONLY | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:
            # no owner file: made by a build that died before it could take it, or not ours
            with contextlib.suppress(OSError):
                if time.time() - work.stat().st_mtime > TIMEOUT_SECONDS:
                    shutil.rmtree(work, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # its build still runs
        else:
            _end_orphan(work)
            shutil.rmtree(work, ignore_errors=True)
        finally:
            os.close(fd)


def _end_orphan(work: Path) -> None:
    """End the LibreOffice a killed build left converting in `work` (it would write into the
    folder as it is removed): its process group, if that group is still the one that names
    this folder on its command line."""
    try:
        group = int((work / GROUP).read_text())
        command = Path(f"/proc/{group}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if str(work).encode() in command:
        with contextlib.suppress(OSError):
            os.killpg(group, signal.SIGKILL)


@contextlib.contextmanager
def work_folder() -> Iterator[Path]:
    """A work folder of this build's, owned (locked) while it runs, removed after."""
    sweep()
    work, fd = None, None
    try:
        with uninterrupted():  # made and named at once: an interrupt waits until it is known
            work = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
        if fcntl is not None:
            fd = os.open(work / OWNER, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield work
    finally:
        if work is not None:
            with uninterrupted():  # a worker told to stop removes its folder first
                shutil.rmtree(work, ignore_errors=True)
            if fd is not None:
                os.close(fd)


@contextlib.contextmanager
def _started(command: list[str], work: Path) -> Iterator[subprocess.Popen]:
    """LibreOffice in a process group of its own, its output to a file; when the block ends
    (done, a timeout, an interrupt, a worker told to stop) the whole group is ended (soffice
    starts soffice.bin, which outlives a kill of the first)."""
    process = None
    with (work / "output.txt").open("wb") as output:
        try:
            # started and known at once: Ctrl-C (which does not reach its own session) waits
            # until there is a process to end
            with uninterrupted():
                process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=output,
                                           stderr=subprocess.STDOUT, start_new_session=True,
                                           env={**os.environ, "TMPDIR": str(work / "tmp")})
            with contextlib.suppress(OSError):  # so that a later build can end it if this dies
                (work / GROUP).write_text(str(process.pid))
            yield process
        finally:
            if process is not None:
                _end_group(process)


def _run(command: list[str], work: Path) -> tuple[int, str]:
    """LibreOffice run to its end: its exit code and the end of its output."""
    with _started(command, work) as process:
        code = process.wait(timeout=TIMEOUT_SECONDS)
    return code, _tail(work / "output.txt")


def _end_group(process: subprocess.Popen) -> None:
    """End the process group LibreOffice runs in, at once (SIGKILL: its profile is this
    build's own, thrown away; asked to stop, it takes two seconds to shut down politely),
    and wait until none of it runs: a soffice.bin still writing would put files back into a
    work folder being removed."""
    with uninterrupted():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2)
        deadline = time.monotonic() + 2
        while _group_runs(process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)


def _group_runs(group: int) -> bool:
    """Whether any process of the group still runs (a zombie does not), by /proc."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


def _profile(work: Path) -> Path:
    """A LibreOffice profile of this build's own, with SETTINGS."""
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    items = "".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>\n"
        for path, props in SETTINGS.items() for name, value in props.items())
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items '
        'xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + items + "</oor:items>\n",
        encoding="utf-8")
    return profile


@functools.cache
def without_network() -> tuple[str, ...]:
    """The command that runs another with no network at all (a network namespace of its
    own, with not even a loopback), where this system allows it: `unshare --net` as root,
    `unshare --net --map-root-user` where user namespaces are open to all; else nothing,
    and SETTINGS alone keep LibreOffice from fetching."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for command in ((unshare, "--net"), (unshare, "--net", "--map-root-user")):
        try:
            done = subprocess.run([*command, "true"], stdin=subprocess.DEVNULL,
                                  capture_output=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return command
    return ()


def _command(names: list[str], target: str, work: Path) -> list[str]:
    """LibreOffice converting work/in's `names` to `target` into work/out, with no network
    and its profile and temporary files in `work`."""
    (work / "in").mkdir()
    (work / "tmp").mkdir()
    return [*without_network(), libreoffice(), "--headless", "--norestore",
            f"-env:UserInstallation={_profile(work).as_uri()}",
            "--convert-to", target, "--outdir", str(work / "out"),
            *(str(work / "in" / name) for name in names)]


def _convert(documents: dict[str, bytes], target: str, work: Path) -> tuple[int, str]:
    """The documents written into work/in and converted to `target` into work/out by one
    LibreOffice run: its exit code and the end of its output."""
    command = _command(list(documents), target, work)
    for name, data in documents.items():
        (work / "in" / name).write_bytes(data)
    try:
        return _run(command, work)
    except subprocess.TimeoutExpired as err:
        raise _timed_out() from err
    except OSError as err:
        raise ConversionError(_("LibreOffice could not be started: {reason}").format(
            reason=err)) from err


def to_pdf(documents: dict[str, bytes], families: list[str]) -> dict[str, bytes]:
    """PDF/A-2b bytes for each DOCX (name -> bytes), converted in a single LibreOffice run,
    each validated and drawn in `families` only (ConversionError otherwise: nothing is
    returned)."""
    with _archival_imported(), work_folder() as work:
        code, output = _convert(documents, EXPORT, work)
        return _archived(work, documents, code, output, families)


def _pdf_name(docx_name: str) -> str:
    """The name LibreOffice gives the PDF of a document."""
    return Path(docx_name).stem + ".pdf"


def _timed_out() -> ConversionError:
    return ConversionError(_("LibreOffice did not finish within {seconds} s and was "
                             "stopped").format(seconds=TIMEOUT_SECONDS))


@contextlib.contextmanager
def _archival_imported() -> Iterator[None]:
    """The archival checks' 0.15 s of imports, which a build without --pdf does not need,
    made by a thread of their own while the block waits for LibreOffice (an import of them
    meanwhile waits for that thread's); joined when the block ends, so that no import is left
    half-done."""
    loading = threading.Thread(target=importlib.import_module, args=(f"{__package__}.pdfa",),
                               name="import pdfa", daemon=True)
    loading.start()
    try:
        yield
    finally:
        loading.join()


def _archived(work: Path, documents: dict[str, bytes], code: int, output: str,
              families: list[str], beside: bool = False) -> dict[str, bytes]:
    """The archival bytes of each PDF LibreOffice made of `documents`; `beside`: the last
    one made in a process of its own meanwhile (a month alone: its two PDFs on two cores)."""
    from .pdfa import archival

    made = {}
    for name in documents:
        pdf = work / "out" / _pdf_name(name)
        if code != 0 or not pdf.is_file():
            raise ConversionError(_("LibreOffice did not convert {name} (exit {code}): "
                                    "{detail}").format(name=name, code=code,
                                                       detail=reason(output)))
        data = pdf.read_bytes()
        if not data.startswith(b"%PDF-"):
            raise ConversionError(_("LibreOffice wrote {name} as {size} bytes that are no "
                                    "PDF").format(name=pdf.name, size=len(data)))
        made[pdf.name] = (data, documents[name])
    *first, last = made.items() if made else [None]
    other = _Forked(lambda: archival(last[0], *last[1], families)) \
        if beside and first and hasattr(os, "fork") else None
    with other or contextlib.nullcontext():
        results = {name: archival(name, data, docx, families)
                   for name, (data, docx) in (first if other else made.items())}
        if other is not None:
            results[last[0]] = other.result()
    return results


class _Forked:
    """`work` done in a forked child meanwhile (result: what it gave, or its
    ConversionError again); the child is ended when the block ends before it."""

    def __init__(self, work) -> None:
        self.work = work

    def __enter__(self) -> _Forked:
        self.read, write = os.pipe()
        with uninterrupted():
            self.pid = os.fork()
            if self.pid == 0:  # the child: it does its work and ends, whatever happens
                try:
                    signal.signal(signal.SIGINT, signal.SIG_IGN)  # its parent decides
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                    os.close(self.read)
                    try:
                        said = ("done", self.work())
                    except ConversionError as err:
                        said = ("refused", str(err))
                    except BaseException as err:  # told to the parent
                        said = ("fault", f"{type(err).__name__}: {err}")
                    with os.fdopen(write, "wb") as out:
                        out.write(pickle.dumps(said))
                finally:
                    os._exit(0)
        os.close(write)
        self.done = False
        return self

    def result(self) -> bytes:
        with os.fdopen(self.read, "rb") as said:
            kind, value = pickle.loads(said.read() or pickle.dumps(("fault", "no answer")))
        os.waitpid(self.pid, 0)
        self.done = True
        if kind == "refused":
            raise ConversionError(value)
        if kind == "fault":
            raise RuntimeError(value)
        return value

    def __exit__(self, *exc) -> None:
        if not self.done:  # the parent failed or was stopped first: the child goes too
            with contextlib.suppress(OSError):
                os.close(self.read)
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)


class EarlyConversion:
    """LibreOffice started on documents still being made, so that its start (a second of its
    1.5 for a month) overlaps their making: each is put in place whole (written beside, then
    renamed) when it is ready, and one that LibreOffice looked for before it was there is
    converted again by a run of its own. Ended, with its folder, when the block ends."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> EarlyConversion:
        with self._stack:
            self.work = self._stack.enter_context(work_folder())
            command = _command(self.names, EXPORT, self.work)
            self.process = self._stack.enter_context(_started(command, self.work))
            self._stack.enter_context(_archival_imported())  # once LibreOffice has started
            self._stack = self._stack.pop_all()
        return self

    def __exit__(self, *exc) -> None:
        self._stack.__exit__(*exc)

    def finish(self, documents: dict[str, bytes], families: list[str]) -> dict[str, bytes]:
        """The PDF/A bytes of `documents` (a part of the names, or all), as to_pdf gives
        them."""
        for name, data in documents.items():
            staged = self.work / "in" / f".{name}.part"
            staged.write_bytes(data)
            os.replace(staged, self.work / "in" / name)
        with contextlib.ExitStack() as checks:
            code, early = self._wait(documents, families, checks)
            out = self.work / "out"
            late = {name: data for name, data in documents.items()
                    if not (out / _pdf_name(name)).is_file()}
            checked = {pdf: check.result() for pdf, (looked_at, check) in early.items()
                       if code == 0 and (out / pdf).is_file()
                       and (out / pdf).read_bytes() == looked_at}
            rest = {name: data for name, data in documents.items()
                    if name not in late and _pdf_name(name) not in checked}
            results = {**checked, **_archived(self.work, rest, code,
                                              _tail(self.work / "output.txt"), families,
                                              beside=True)}
        return {**results, **(to_pdf(late, families) if late else {})}

    def _wait(self, documents: dict[str, bytes], families: list[str],
              checks: contextlib.ExitStack) -> tuple[int, dict[str, tuple[bytes, _Forked]]]:
        """LibreOffice's exit code, once it has ended; meanwhile each PDF it has written
        whole (a PDF's end, the same size twice) is checked in a forked child of its own,
        while LibreOffice converts the next or ends (60 ms after writing the last). Each
        check is given by the PDF's name with the bytes it checked: used only if the PDF is
        still those bytes when LibreOffice has ended."""
        deadline = time.monotonic() + TIMEOUT_SECONDS
        waiting = {_pdf_name(name): data for name, data in documents.items()
                   } if hasattr(os, "fork") else {}
        sizes: dict[str, int] = {}
        early: dict[str, tuple[bytes, _Forked]] = {}
        while (code := self.process.poll()) is None:
            if time.monotonic() > deadline:
                raise _timed_out()
            for name, docx in list(waiting.items()):
                written = _written_whole(self.work / "out" / name, sizes)
                if written is not None:
                    from .pdfa import archival

                    del waiting[name]
                    early[name] = (written, checks.enter_context(_Forked(
                        functools.partial(archival, name, written, docx, families))))
            time.sleep(0.005)
        return code, early


def _written_whole(path: Path, sizes: dict[str, int]) -> bytes | None:
    """A PDF's bytes when it looks written to its end: a regular file of the size it had
    when last looked at, from "%PDF-" to "%%EOF"."""
    try:
        size = path.stat().st_size if path.is_file() and not path.is_symlink() else None
    except OSError:
        size = None
    if size is None or sizes.get(path.name) != size:
        if size is not None:
            sizes[path.name] = size
        return None
    data = path.read_bytes()
    return data if data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF") else None


def to_docx(documents: dict[str, bytes]) -> dict[str, bytes | str]:
    """Old Word files (.doc, name -> bytes) as .docx, converted in a single LibreOffice run:
    each name to its bytes, or to why it could not be converted."""
    with work_folder() as work:
        # named: an HTML page saved as .doc opens as a web page, which has no plain "docx"
        code, output = _convert(documents, "docx:MS Word 2007 XML", work)
        results: dict[str, bytes | str] = {}
        for name in documents:
            docx = work / "out" / (Path(name).stem + ".docx")
            results[name] = (docx.read_bytes() if docx.is_file() else _(
                "LibreOffice did not convert {name} (exit {code}): {detail}").format(
                    name=name, code=code, detail=reason(output)))
        return results


def early_conversion(data_file: Path,
                     languages: tuple[str, ...] = ("ru", "kk")) -> EarlyConversion | None:
    """LibreOffice to be started before a month's documents are made, for a file named
    after its month (the documents' names); None without LibreOffice (the build says so)."""
    if not _MONTH.fullmatch(data_file.stem):
        return None
    try:
        libreoffice()
    except ConversionError:
        return None
    return EarlyConversion([f"{data_file.stem}-{lang}.docx" for lang in languages])
