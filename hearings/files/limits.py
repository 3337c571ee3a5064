"""Reading what a folder brings (monthly files, facts, templates, cache entries): regular files
only, never blocking on a FIFO or a device, never more than a limit."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from pathlib import Path

from ..i18n import _

# A monthly file is about 10 kB, the facts file 10 kB, a template 150 kB.
TEXT_LIMIT = 2 * 1024 * 1024
TEMPLATE_LIMIT = 32 * 1024 * 1024


class UnreadableFile(Exception):
    """Raised when a file is not a regular file, is larger than its limit, or cannot be
    read; its text says which, in the messages' language."""


def size_text(count: int) -> str:
    return f"{count / 1024 / 1024:.0f} MB" if count >= 1024 * 1024 else f"{count} B"


def read_limited(path: Path, limit: int = TEXT_LIMIT, follow_links: bool = True) -> bytes:
    """The bytes of a regular file (a link to one counts, unless follow_links is False) of at
    most `limit` bytes."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as err:
        reason = (_("it is a link to nothing") if os.path.islink(path)
                  else _("there is no such file"))
        raise UnreadableFile(reason) from err
    except OSError as err:
        raise UnreadableFile(err.strerror or str(err)) from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(_("it is not a regular file ({kind})").format(
                kind=_kind(info.st_mode)))
        if info.st_size > limit:
            raise UnreadableFile(_("it is larger than {limit} ({size})").format(
                limit=size_text(limit), size=size_text(info.st_size)))
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while it was read
                raise UnreadableFile(_("it is larger than {limit} ({size})").format(
                    limit=size_text(limit), size=size_text(total)))
        return b"".join(chunks)
    except OSError as err:
        raise UnreadableFile(err.strerror or str(err)) from err
    finally:
        os.close(fd)


def zip_contents(data: bytes) -> tuple[list[str], int]:
    """A zip package's (DOCX, XLSX) part names and the bytes they unpack to, as its directory
    declares them: zipfile unpacks no part beyond its declared size, so a package can be
    refused before any part is unpacked. zipfile.BadZipFile, ValueError or OSError when the
    bytes are no zip."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        infos = package.infolist()
    return [info.filename for info in infos], sum(info.file_size for info in infos)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a file")
