"""A batch of months followed as it is built, on a terminal or in a log; Ctrl-C stops the
workers and says what was built and what was not."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..files.batch import Batch
from ..i18n import _
from .output import batch_as_text, build_as_json, result_as_text


def follow(batch: Batch, data_files: list[Path], output_format: str, strict: bool) -> int:
    """The months of a batch as they are built: on a terminal a progress bar, then each
    month's lines in order; otherwise each month's lines as it is done. The exit status: 1
    when any failed, 130 when interrupted."""
    done, interrupted = [], False
    try:
        if output_format == "json":
            done.extend(batch)
        elif sys.stderr.isatty():
            with click.progressbar(length=len(data_files), label=_("Building"),
                                   file=sys.stderr) as bar:
                for result in batch:
                    done.append(result)
                    bar.update(1)
        else:
            for result in batch:
                done.append(result)
                click.echo(result_as_text(result, strict))
    except KeyboardInterrupt:  # Ctrl-C: the workers are stopped, what was written is said
        interrupted = True
        for result in batch.stop():
            done.append(result)
            if output_format == "text" and not sys.stderr.isatty():
                click.echo(result_as_text(result, strict))
    if sys.stderr.isatty() and output_format != "json":
        done.sort(key=lambda result: data_files.index(result.data_file))
        click.echo("\n".join(result_as_text(result, strict) for result in done))
    failed = [result for result in done if not result.succeeded(strict)]
    if output_format == "json":
        done.sort(key=lambda result: data_files.index(result.data_file))
        click.echo(json.dumps({"valid": not failed, "months": [
            json.loads(build_as_json(r.outcome, strict)) if r.outcome else
            {"file": str(r.data_file), "valid": False, "error": r.error} for r in done]},
            ensure_ascii=False, indent=2))
    else:
        click.echo(batch_as_text(done, failed))
    if interrupted:
        built = {result.data_file for result in done}
        click.echo(_("interrupted: not built: {files}").format(files=", ".join(
            str(path) for path in data_files if path not in built)), err=True)
        return 130
    return 1 if failed else 0
