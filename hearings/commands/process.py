"""The process's entry point (the `hearings` command, build.py, `python -m hearings`): the
garbage collector set for a command, the command, then the process ends at once."""

from __future__ import annotations

import gc
import sys

# Python's cycle collector, as set by default (700, 10, 10), walks every object there is,
# the few hundred thousand the imports made among them, once in ten of its younger passes:
# 15-25 ms of a month's build of 300. Those full passes now wait for a hundred times as many;
# the younger ones stay as they were, since a month's cycles hold whole documents' XML trees
# (a worker building 120 months stays near 60 MB; letting the young ones wait too took 270).
THRESHOLDS = (700, 10, 1000)


def run(prog_name: str | None = None) -> None:
    """The command, then the process ends at once. Python would otherwise take every module
    and object apart one by one before it exits (60 ms after a month's build, a seventh of
    it); what must happen at exit still happens first: the exit handlers (temporary folders'
    and worker pools' among them) and the output streams written out."""
    gc.set_threshold(*THRESHOLDS)
    from .cli import main  # after the collector is set: the imports are most of the objects

    try:
        main(prog_name=prog_name)
    except SystemExit as done:
        _end_now(done.code)
    _end_now(0)


def _end_now(code: object) -> None:
    import atexit
    import os
    import threading

    if threading.active_count() > 1:
        sys.exit(code)  # a thread still works: Python's own exit waits for it
    if code is None or isinstance(code, int):
        status = code or 0
    else:  # as sys.exit does with a message
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(status)  # a closed pipe: Python says so at its own exit, as it always did
    os._exit(status)
