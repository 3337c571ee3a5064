"""A template is untrusted input: read as a regular file of bounded size, a package of
bounded unpacked size that takes nothing from outside itself, and rendered in bounded time
and memory."""

from __future__ import annotations

import io
import os
import signal
import threading
import zipfile
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from ..exceptions import RenderError
from ..files.limits import TEMPLATE_LIMIT, UnreadableFile, read_limited, zip_contents
from ..files.workspace import shown
from ..i18n import _

_READ: dict[tuple, bytes] = {}
# A report's template is about 150 kB, and unpacks to about 600 kB.
_MAX_UNPACKED = 256 * 1024 * 1024
_MAX_ENTRIES = 10_000
RENDER_SECONDS = 60  # a template renders in 30 ms; one that loops for longer is refused
# A render takes about 20 MB more than the process holds; one that asks for more than this
# (a value of gigabytes, made in one allocation where no timer can stop it) is refused
RENDER_MEMORY = 256 * 1024 * 1024


def template_bytes(path: Path) -> bytes:
    """The template file, read once per process while it is unchanged on disk: a regular
    file of at most TEMPLATE_LIMIT bytes, a zip package that unpacks to a sane size."""
    try:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = None
    if key in _READ:
        return _READ[key]
    try:
        data = read_limited(path, TEMPLATE_LIMIT)
    except UnreadableFile as err:
        raise RenderError(_("{template} cannot be read: {reason}").format(
            template=shown(path), reason=err)) from err
    try:
        names, size = zip_contents(data)
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise RenderError(_("{template} is not a Word document (.docx): {reason}").format(
            template=shown(path), reason=err)) from err
    if len(names) > _MAX_ENTRIES or size > _MAX_UNPACKED:
        raise RenderError(_("{template} unpacks to more than {limit} MB: it is not a report's "
                            "template").format(template=shown(path),
                                               limit=_MAX_UNPACKED // 1024 // 1024))
    if linked := _linked_from_outside(data):
        raise RenderError(_("{template} takes {target} from outside itself ({part}): a "
                            "template holds what it shows (insert the picture, not a link "
                            "to it); it was not rendered").format(
                                template=shown(path), target=linked[1], part=linked[0]))
    if key is not None:
        _READ[key] = data
    return data


_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def _linked_from_outside(data: bytes) -> tuple[str, str] | None:
    """The first part and address of the package that a relationship takes from outside it
    (TargetMode="External": a picture, a frame, an attached template, an object that Word or
    LibreOffice would fetch, and the built report would keep); a hyperlink is only followed
    when a reader clicks it, and may stay. A part that is no XML is left to python-docx."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for info in package.infolist():
            if not info.filename.endswith(".rels"):
                continue
            try:
                root = etree.fromstring(package.read(info), parser)
            except etree.XMLSyntaxError:
                continue
            for relationship in root.iter(_RELATIONSHIPS):
                if (relationship.get("TargetMode") or "").lower() == "external" \
                        and relationship.get("Type") != _HYPERLINK:
                    return info.filename, (relationship.get("Target") or "")[:200]
    return None


class TooLong(Exception):
    """Raised inside a render that went on for longer than RENDER_SECONDS."""


@contextmanager
def time_limit(seconds: int):
    """Stop a render that runs too long (a template can nest loops over the context); only
    where a timer signal can be had: the main thread of a process on a POSIX system."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise TooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def memory_limit(extra: int):
    """Let what runs inside take at most `extra` bytes of address space beyond what the
    process has (RLIMIT_AS, put back after), so that an allocation beyond it fails with
    MemoryError; only where the process's size can be read (/proc) and no tighter limit
    is set."""
    try:
        import resource

        pages = int(Path("/proc/self/statm").read_text().split()[0])
        size = pages * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, OSError, ValueError, IndexError):
        yield
        return
    limit = size + extra
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft != resource.RLIM_INFINITY and soft <= limit:
        yield
        return
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
