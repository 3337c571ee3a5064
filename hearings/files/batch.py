"""Build many months at once, on every core: each worker process builds a share of the months,
converting all their PDFs in one LibreOffice run, and reports each month as it is written (a
month that fails is reported and stops no other). Interrupted, the workers are stopped within
moments, and what was written is said."""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import queue
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ..documents.report import Outcome, prepare, stale_documents, write
from ..exceptions import HearingsError
from ..i18n import _, language, set_language
from .pdf import to_pdf
from .plan import digest
from .workspace import Workspace
from .write import stop, uninterrupted

# Workers are replaced after this many months each, so that nothing a month leaves behind in
# a process (caches, the allocator's fragments) adds up over an archive: memory stays flat.
# (A pool of its own per round: the executor's max_tasks_per_child can hang on Python 3.11.)
MONTHS_PER_WORKER = 60
# At most this many months share a LibreOffice run (40 documents): LibreOffice starts once
# per share, not once per month, and a share's documents stay a few MB in memory.
MONTHS_PER_SHARE = 20
STOP_SECONDS = 2  # how long stopped workers have to clean up before they are killed


@dataclass
class Result:
    """One month's build: its outcome, or the error that stopped it."""

    data_file: Path
    outcome: Outcome | None = None
    error: str | None = None

    def succeeded(self, strict: bool) -> bool:
        return self.outcome is not None and self.outcome.report.valid(strict)


def _failure(data_file: Path, err: Exception) -> Result:
    if isinstance(err, HearingsError):
        return Result(data_file, error=str(err))
    # a fault of this month's stops no other month, nor the listing
    return Result(data_file, error=_("unexpected error ({kind}: {reason})").format(
        kind=type(err).__name__, reason=err))


def build_share(data_files: list[Path], reports_dir: Path, options: dict,
                workspace: Workspace) -> Iterator[Result]:
    """Each month of the share built, in order; with PDFs, all of them converted in one
    LibreOffice run first (a month whose PDF that run could not make converts its own when
    it is written, and says why it failed)."""
    pdf = options.get("pdf", False)
    prepared = {}
    for data_file in data_files:
        try:
            prepared[data_file] = prepare(data_file, reports_dir, pdf=pdf,
                                          strict=options.get("strict", False),
                                          workspace=workspace)
        except Exception as err:
            prepared[data_file] = _failure(data_file, err)
    converted = {}
    months = [p for p in prepared.values() if not isinstance(p, (Result, Outcome))]
    if pdf and months:
        documents = {name: data for month in months
                     for name, data in stale_documents(month).items()}
        if documents:
            with contextlib.suppress(HearingsError):
                made = to_pdf(documents, months[0].families)
                converted = {digest(documents[name]): made[name.removesuffix(".docx") + ".pdf"]
                             for name in documents}
    for data_file, month in prepared.items():
        if isinstance(month, Result):
            yield month
            continue
        if isinstance(month, Outcome):
            yield Result(data_file, month)
            continue
        # a month is written and said in one piece: a worker told to stop finishes it first
        with uninterrupted():
            try:
                result = Result(data_file, write(month, force=options.get("force", False),
                                                 pdf=pdf, keep=options.get("keep", 3),
                                                 converted=converted))
            except Exception as err:
                result = _failure(data_file, err)
            yield result


_progress: queue.Queue | None = None  # in a worker: where each month's Result goes


def _start_worker(lang: str, progress) -> None:
    global _progress
    _progress = progress
    set_language(lang)
    # Ctrl-C reaches the whole process group: the parent decides, and stops the workers with
    # SIGTERM, which unwinds a build (its LibreOffice ended, its staging folder removed)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, stop)


def _build_in_worker(data_files: list[Path], reports_dir: Path, options: dict,
                     workspace: Workspace) -> None:
    try:
        for result in build_share(data_files, reports_dir, options, workspace):
            _progress.put(result)
    except SystemExit as stopped:
        # told to stop: the build has unwound (its LibreOffice ended, its folders whole);
        # what it reported goes out, and the worker ends here rather than take the next share
        _progress.close()
        _progress.join_thread()
        os._exit(stopped.code if isinstance(stopped.code, int) else 1)


def jobs_default() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1


def _shares(data_files: list[Path], workers: int) -> list[list[Path]]:
    """The months split among the workers in shares of consecutive months, at most
    MONTHS_PER_SHARE each."""
    size = min(MONTHS_PER_SHARE, max(1, math.ceil(len(data_files) / workers)))
    return [data_files[start:start + size] for start in range(0, len(data_files), size)]


class Batch:
    """Many months built by `jobs` workers: iterate for each month's Result as it is
    written; stop() ends the workers (each finishes the month it is writing, and says so)
    and gives the Results that came meanwhile."""

    def __init__(self, data_files: list[Path], reports_dir: Path, *, jobs: int,
                 workspace: Workspace, options: dict) -> None:
        self.data_files, self.reports_dir = data_files, reports_dir
        self.jobs, self.workspace, self.options = jobs, workspace, options
        self.pool: ProcessPoolExecutor | None = None
        self.progress = None

    def __iter__(self) -> Iterator[Result]:
        if self.jobs <= 1 or len(self.data_files) == 1:
            for share in _shares(self.data_files, 1):
                yield from build_share(share, self.reports_dir, self.options, self.workspace)
            return
        workers = min(self.jobs, len(self.data_files))
        per_round = workers * MONTHS_PER_WORKER
        context = multiprocessing.get_context()
        for start in range(0, len(self.data_files), per_round):
            months = self.data_files[start:start + per_round]
            self.progress = context.Queue()
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                            initializer=_start_worker,
                                            initargs=(language(), self.progress))
            futures = {self.pool.submit(_build_in_worker, share, self.reports_dir,
                                        self.options, self.workspace): share
                       for share in _shares(months, workers)}
            yield from _collect(futures, self.progress, len(months))
            self.pool.shutdown(wait=True)
            self.pool = None

    def stop(self) -> list[Result]:
        """End the workers now; the Results they reported before they ended."""
        if self.pool is None:
            return []
        _stop_workers(self.pool)
        late = []
        with contextlib.suppress(queue.Empty, OSError, ValueError):
            while True:
                late.append(self.progress.get(timeout=0.1))
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.pool = None
        return late


def build_many(data_files: list[Path], reports_dir: Path, *, jobs: int, workspace: Workspace,
               options: dict) -> Batch:
    """The months, built `jobs` at a time (see Batch)."""
    return Batch(data_files, reports_dir, jobs=jobs, workspace=workspace, options=options)


def _collect(futures: dict, progress, count: int) -> Iterator[Result]:
    """Each Result as a worker reports it; a share whose worker died is reported month by
    month with what stopped it."""
    reported: set[Path] = set()
    while len(reported) < count:
        try:
            result = progress.get(timeout=0.2)
        except queue.Empty:
            for future, share in futures.items():
                if future.done() and future.exception() is not None and any(
                        month not in reported for month in share):
                    for month in share:
                        if month not in reported:
                            reported.add(month)
                            yield _failure(month, future.exception())
            continue
        reported.add(result.data_file)
        yield result


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop every worker now: SIGTERM (a build unwinds and cleans up), then SIGKILL."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        with contextlib.suppress(OSError):
            process.terminate()
    for process in processes:
        process.join(STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join(1)
