"""Writing files so that a reader never sees a half-written one, nor a month's reports of two
different builds, with the permissions the user's umask gives any new file."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import shutil
import signal
import sys
import tempfile
import zipfile
from pathlib import Path

from ..i18n import _

# Left behind only by a build that was killed; the next one removes them.
STAGING = ".{name}.staging-"
RETIRED = ".{name}.retired-"


_critical = {"depth": 0, "pending": None}


@contextlib.contextmanager
def uninterrupted():
    """A signal that stops a build (see stop) waits until the folder is whole again: the swap
    and the removal of the previous state are never cut in two by an interrupt."""
    _critical["depth"] += 1
    try:
        yield
    finally:
        _critical["depth"] -= 1
        if not _critical["depth"] and _critical["pending"] is not None:
            signum, _critical["pending"] = _critical["pending"], None
            _raise(signum)


def stop(signum, frame) -> None:
    """A signal handler that ends the process (SIGTERM: SystemExit; SIGINT, Ctrl-C:
    KeyboardInterrupt), once no folder is being replaced."""
    if _critical["depth"]:
        _critical["pending"] = signum
        return
    _raise(signum)


def _raise(signum: int):
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise SystemExit(128 + signum)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_entry(archive: zipfile.ZipFile, name: str, content: bytes, day: dt.date, *,
                repeated: bool = False) -> None:
    """One entry of a zip package (DOCX, XLSX), dated `day` at midnight, mode 644, so that
    the same content gives the same bytes on every rebuild. A `repeated` entry, the same in
    many packages (a template's styles, 380 kB in every month's two documents), is deflated
    once for each content in a process: 2.5 ms a document."""
    info = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    if not repeated:
        archive.writestr(info, content)
        return
    info.file_size = len(content)  # as writestr sets it
    with archive.open(info, "w") as entry:
        # zipfile's own compressor, its output replayed for bytes it has deflated before
        # (a zipfile without this attribute compresses as always: the same bytes)
        entry._compressor = _Replaying(entry._compressor)
        entry.write(content)


_DEFLATED: dict[bytes, bytes] = {}  # content: what zipfile's compressor made of it


class _Replaying:
    """zipfile's compressor for one entry, fed all at once: what it made of the same bytes
    before is given back instead of being made again (the same bytes by construction)."""

    def __init__(self, compressor) -> None:
        self.compressor, self.fed = compressor, []

    def compress(self, data: bytes) -> bytes:
        self.fed.append(data)
        return b""

    def flush(self) -> bytes:
        from .cache import remembered  # here: the cache imports this module

        content = b"".join(self.fed)
        return remembered(_DEFLATED, content, lambda: self.compressor.compress(content)
                          + self.compressor.flush(), size=4)


def _temporary_beside(path: Path, content: bytes) -> str:
    """A temporary file beside path holding content, on disk, with the mode the umask gives
    a new file (mkstemp alone would make it 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        os.unlink(temporary)
        raise
    return temporary


def write_atomically(path: Path, content: bytes) -> None:
    """Write to a temporary file beside path, then rename it over path in one step."""
    temporary = _temporary_beside(path, content)
    try:
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def write_new(path: Path, content: bytes) -> None:
    """Write a file that must not exist yet, whole or not at all: FileExistsError when one
    stands there already, even one written a moment ago by another command (no overwrite)."""
    temporary = _temporary_beside(path, content)
    try:
        os.link(temporary, path)  # fails when the name is taken: never replaces a file
    finally:
        os.unlink(temporary)


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot."""
    if sys.platform != "linux":
        return False
    import ctypes  # here only: a build that replaces no folder does without it

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _link_or_copy(source: str, target: str) -> None:
    """An unchanged file goes into the new folder as a hard link (no copy, same file)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _fsync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def recover(folder: Path) -> None:
    """Undo what a killed replacement left: a retired folder whose successor never arrived
    is put back; staging and retired leftovers are removed."""
    parent, name = folder.parent, folder.name
    if not parent.is_dir():
        return
    retired = sorted(parent.glob(RETIRED.format(name=name) + "*"))
    if retired and not folder.exists():
        os.rename(retired.pop(), folder)
    for leftover in retired + sorted(parent.glob(STAGING.format(name=name) + "*")):
        shutil.rmtree(leftover, ignore_errors=True)


def _leftover(path: Path) -> str | None:
    """Remove what a replacement leaves (the previous state, swapped out); a note when that
    cannot be done (a folder of another user's, say): the new state is in place all the same."""
    try:
        shutil.rmtree(path)
    except OSError as err:
        return _("{path} (the previous state of the folder) could not be removed: {reason}; "
                 "remove it by hand").format(path=path, reason=err.strerror or err)
    return None


def replace_folder(folder: Path, renames: dict[str, str], files: dict[str, bytes],
                   removals: list[str] = ()) -> list[str]:
    """Give folder its next state in one step: its files as they are, those in `renames`
    moved to their new names (a replaced report kept as .previous-N), `removals` gone, and
    `files` written. Returns notes on what could not be cleaned up afterwards.

    The new state is made in a staging folder beside it and swapped in whole, so that a
    build killed at any moment leaves the previous state or the new one under the final
    names, never one language of each, and never loses the previous files. An OSError
    raised here (a full disk, say) leaves the previous state as it was.
    """
    with uninterrupted():
        return _replace(folder, renames, files, removals)


def _replace(folder: Path, renames: dict[str, str], files: dict[str, bytes],
             removals: list[str]) -> list[str]:
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    recover(folder)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=STAGING.format(name=folder.name)))
    try:
        os.chmod(staging, 0o777 & ~_umask())
        if folder.exists():
            os.rmdir(staging)
            shutil.copytree(folder, staging, copy_function=_link_or_copy)
        for old, new in renames.items():
            os.rename(staging / old, staging / new)
        for name in removals:
            os.unlink(staging / name)
        for name, content in files.items():
            write_atomically(staging / name, content)
        _fsync_directory(staging)
        if not folder.exists():
            os.rename(staging, folder)
            retired = None
        elif _exchange(staging, folder):
            retired = staging  # now the previous state
        else:  # two renames: recover() puts the previous folder back if killed between them
            retired = Path(tempfile.mkdtemp(dir=parent, prefix=RETIRED.format(name=folder.name)))
            os.rmdir(retired)
            os.rename(folder, retired)
            try:
                os.rename(staging, folder)
            except BaseException:
                os.rename(retired, folder)
                raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    with contextlib.suppress(OSError):
        _fsync_directory(parent)
    note = _leftover(retired) if retired else None
    return [note] if note else []
