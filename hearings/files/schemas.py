"""The schema files editors read (schema/monthly.schema.json, schema/facts.schema.json,
schema/categories.schema.json): written from the reference data (with the folder's own
categories), or checked against it."""

from __future__ import annotations

from pathlib import Path

from ..exceptions import WriteError
from ..i18n import _
from ..month.categories import categories_schema_text
from ..month.facts.file import facts_schema_text
from ..month.schema import schema_text
from .limits import UnreadableFile, read_limited
from .workspace import Workspace
from .write import write_atomically

UP_TO_DATE, OUT_OF_DATE, UNCHANGED, WRITTEN = "up to date", "out of date", "unchanged", "written"


def update_schemas(workspace: Workspace, check: bool) -> list[tuple[Path, str]]:
    """Each schema file and what it is: up to date or out of date (check), else unchanged or
    written. A folder, a FIFO or a file of another kind where a schema belongs is no schema:
    it differs."""
    states = []
    ref = workspace.checked_facts().reference
    for path, text in ((workspace.schema_file, schema_text(ref)),
                       (workspace.facts_schema_file, facts_schema_text(ref)),
                       (workspace.categories_schema_file, categories_schema_text())):
        try:
            current = read_limited(path).decode("utf-8", "replace")
        except UnreadableFile:
            current = None
        if current == text:
            states.append((path, UP_TO_DATE if check else UNCHANGED))
        elif check:
            states.append((path, OUT_OF_DATE))
        else:
            try:
                write_atomically(path, text.encode("utf-8"))
            except OSError as err:  # a full disk, a read-only folder, a folder in its place
                raise WriteError(_(
                    "{folder} cannot be written: {reason}; what was there is as it was").format(
                        folder=path, reason=err.strerror or err)) from err
            states.append((path, WRITTEN))
    return states
