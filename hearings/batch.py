"""Build many months at once, on every core: each month in a worker process, each month's
result its own (a month that fails is reported and stops no other)."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .exceptions import HearingsError
from .i18n import _, language, set_language
from .report import Outcome, build
from .workspace import Workspace

# Workers are replaced after this many months each, so that nothing a month leaves behind in
# a process (caches, the allocator's fragments) adds up over an archive: memory stays flat.
# (A pool of its own per round: the executor's max_tasks_per_child can hang on Python 3.11.)
MONTHS_PER_WORKER = 60


@dataclass
class Result:
    """One month's build: its outcome, or the error that stopped it."""

    data_file: Path
    outcome: Outcome | None = None
    error: str | None = None

    def succeeded(self, strict: bool) -> bool:
        return self.outcome is not None and self.outcome.report.valid(strict)


def _build_one(data_file: Path, reports_dir: Path, options: dict,
               workspace: Workspace) -> Result:
    try:
        return Result(data_file, build(data_file, reports_dir, workspace=workspace, **options))
    except HearingsError as err:
        return Result(data_file, error=str(err))
    except Exception as err:  # a fault of this month's stops no other month, nor the listing
        return Result(data_file, error=_("unexpected error ({kind}: {reason})").format(
            kind=type(err).__name__, reason=err))


def _start_worker(lang: str) -> None:
    set_language(lang)


def jobs_default() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else os.cpu_count() or 1


def build_many(data_files: list[Path], reports_dir: Path, *, jobs: int, workspace: Workspace,
               options: dict):
    """Yield each month's Result as it is done, building `jobs` months at a time."""
    if jobs <= 1 or len(data_files) == 1:
        for data_file in data_files:
            yield _build_one(data_file, reports_dir, options, workspace)
        return
    workers = min(jobs, len(data_files))
    per_round = workers * MONTHS_PER_WORKER
    for start in range(0, len(data_files), per_round):
        with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                 initargs=(language(),)) as pool:
            futures = [pool.submit(_build_one, data_file, reports_dir, options, workspace)
                       for data_file in data_files[start:start + per_round]]
            for future in as_completed(futures):
                yield future.result()
