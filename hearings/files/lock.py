"""One writer at a time for a folder that commands write (a month's reports, a year's, the
open data): a lock file beside the folder, held for the whole plan-and-replace."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from ..exceptions import FolderBusyError
from ..i18n import _

try:
    import fcntl
except ImportError:  # not a POSIX system: no lock (the folder is still replaced in one step)
    fcntl = None

LOCK = ".{name}.lock"
WAIT_SECONDS = 30.0  # a month's build holds its lock for a second or two, with PDFs


def _wait_seconds() -> float:
    try:
        return float(os.environ.get("HEARINGS_LOCK_WAIT", WAIT_SECONDS))
    except ValueError:
        return WAIT_SECONDS


def lock_path(folder: Path) -> Path:
    return folder.parent / LOCK.format(name=folder.name)


def _holder(fd: int) -> str:
    """Who holds the lock, as it wrote itself into the file: "process 123 on host"."""
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
    except OSError:
        text = ""
    pid, _sep, host = text.partition(" ")
    return _("process {pid} on {host}").format(pid=pid, host=host) if pid.isdigit() else "?"


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the folder's lock: taken at once when free, else waited for up to `wait` seconds
    (HEARINGS_LOCK_WAIT, 30 by default), then FolderBusyError. The lock goes with the process
    (a build that is killed holds nothing), and its file goes with the holder: removed while
    it is held, and a waiter that finds its file gone or replaced takes the new one."""
    if fcntl is None:
        yield
        return
    wait = _wait_seconds() if wait is None else wait
    path = lock_path(folder)
    made = not path.parent.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    fd = _acquire(path, folder, deadline)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {os.uname().nodename}\n".encode(), 0)
        yield
    finally:
        try:
            with contextlib.suppress(OSError):
                os.unlink(path)
        finally:
            os.close(fd)  # releases the lock
        if made:  # a folder made only for the lock goes with it, when nothing else came
            with contextlib.suppress(OSError):
                path.parent.rmdir()


def _acquire(path: Path, folder: Path, deadline: float) -> int:
    mask = os.umask(0)
    os.umask(mask)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
                     | getattr(os, "O_NOFOLLOW", 0), 0o666 & ~mask)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            holder = _holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise FolderBusyError(_(
                    "{folder} is being written by another command ({holder}); nothing was "
                    "written: run this again when it is done").format(
                        folder=folder, holder=holder)) from err
            time.sleep(0.05)
            continue
        except BaseException:
            os.close(fd)
            raise
        held = os.fstat(fd)
        try:
            current = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            current = None
        if current is not None and (current.st_dev, current.st_ino) == (held.st_dev,
                                                                         held.st_ino):
            return fd
        os.close(fd)  # its holder removed it as we took it: take the one there now
